/* The loop shared by the pipeline stages (normalize, relay, extract): PULL
 * frames from `in`, hand each to the stage's handler, which sends what it
 * produces on `out` (a PUSH); heartbeat Work{stats} on `out` every second.
 * Sends block when `out` is at its high-water mark, which stops reading
 * `in`: that is the backpressure. SIGINT/SIGTERM ends the loop; frames
 * queued but not handled are lost and re-sent by ingest.
 *
 * Batches (common/batch.h): a frame received may be a batch frame; the loop
 * hands each of its elements to the handler as a frame of its own (a junk
 * element costs only itself). Parts of a multipart message are taken the
 * same way, each part a frame. What the handler sends for one received
 * message leaves as one batch frame (or the plain frame when there is only
 * one): a batch made by ingest crosses every hop as one message of one part
 * (CR_BATCH_MAX elements and CR_BATCH_BYTES at most; a longer one is cut,
 * a frame over CR_BATCH_SOLO goes alone). */
#ifndef COURANT_WORKER_H
#define COURANT_WORKER_H

#include <stddef.h>
#include <stdint.h>
#include <zmq.h>
#include "common/batch.h"
#include "common/counters.h"
#include "common/endpoints.h"
#include "common/err.h"

/* The stage's output while the loop runs. The first frame a handler sends
 * for a received message is held as it is (zero copy); a second one starts
 * a batch frame that both are copied into; the loop sends what was built
 * when the received message is done, and a frame added CR_BATCH_HOLD_US
 * after the first was held closes the batch early: an article never waits
 * long for the rest of its batch to be processed. */
/* 3 ms: a received batch of 16 takes extract ~1.5 ms, so its output
 * leaves as one frame (with 1 ms it left as two: ~4 % less throughput in
 * alternating runs, the same latency at half load) */
#define CR_BATCH_HOLD_US 3000
typedef struct cr_wout {
	void *sock;     /* the PUSH socket */
	zmq_msg_t held; /* the first frame, not yet sent */
	int has_held;
	cr_batch batch; /* from the second frame on */
	unsigned long long first_us; /* when the first frame of what is built came */
} cr_wout;

typedef cr_err (*cr_worker_fn)(void *ctx, const void *frame, size_t len, cr_wout *out);
/* A handler given the received part itself (a batch frame is NOT opened for
 * it), so that it can pass it on without a copy (cr_worker_forward). The
 * message stays the loop's: it is closed after the handler returns (a no-op
 * once it has been handed over). */
typedef cr_err (*cr_worker_msg_fn)(void *ctx, zmq_msg_t *msg, cr_wout *out);

typedef struct cr_worker_cfg {
	const char *in_ep, *out_ep;
	int bind;                  /* relay: 1 (binds both); workers: 0 (connect) */
	int hwm;                   /* 0: CR_ZHWM */
	cr_worker_fn handle;
	void *ctx;
	cr_counters *counters;
} cr_worker_cfg;

/* Run until a stop signal. Returns CR_OK after a clean stop. */
cr_err cr_worker_run(const cr_worker_cfg *c);
/* The same loop, handing each frame to `fn` as a message (c->handle unused). */
cr_err cr_worker_run_msg(const cr_worker_cfg *c, cr_worker_msg_fn fn);

/* Add a frame (a copy of p[0..n)) to the output. A send it causes (a batch
 * full, a frame too big to join) blocks at the high-water mark
 * (backpressure) but is interruptible. */
cr_err cr_worker_send(cr_wout *out, const void *p, size_t n);
cr_err cr_worker_send_pb(cr_wout *out, const ProtobufCMessage *m);
/* The malloc'd p[0..n) without copying it; takes ownership of p whatever it
 * returns. */
cr_err cr_worker_send_owned(cr_wout *out, void *p, size_t n);
/* A received message as it is, zero copy. On success *msg is left empty
 * (the batch, then ZeroMQ, owns the data). */
cr_err cr_worker_forward(cr_wout *out, zmq_msg_t *msg);
/* Send what was built: the batch frame, or the one frame held. The loop
 * calls it at the end of every received message. */
cr_err cr_worker_flush(cr_wout *out);

/* Send Work{rejection} for an article this stage cannot process. */
cr_err cr_worker_reject(cr_wout *out, const char *stage, const char *reason, const char *id, uint64_t seq,
			uint32_t attempt, const void *payload, size_t payload_len);

/* For a frame that failed validation: if protobuf-c can still read an
 * article id (and seq) from it, copy them out and return 1. The frame is
 * unpacked under the decoder's size and memory caps (common/codec.h), so a
 * refused frame costs no more to look into than it cost to refuse. */
int cr_worker_salvage_id(const void *frame, size_t len, char *id, size_t idlen, uint64_t *seq);

/* The command line every worker program takes: --data DIR, the endpoint
 * flags, --hwm N (high-water mark of both sockets), --help. `prog` names the
 * program, `about` describes it for --help. Returns -1 when the program should
 * run, else its exit status: 0 after --help, 1 when the data directory cannot
 * be prepared, 2 on a usage error. */
int cr_worker_options(const char *prog, const char *about, int argc, char **argv, cr_endpoints *ep,
		      int *hwm);

#endif
