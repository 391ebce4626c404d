/* The loop shared by the pipeline stages (normalize, relay, extract): PULL
 * frames from `in`, hand each to the stage's handler, which sends what it
 * produces on `out` (a PUSH); heartbeat Work{stats} on `out` every second.
 * Sends block when `out` is at its high-water mark, which stops reading
 * `in`: that is the backpressure. SIGINT/SIGTERM ends the loop; frames
 * queued but not handled are lost and re-sent by ingest.
 * Frames are single-part: a multipart message never reaches the handler; the
 * loop counts it in the counters named "received" and "malformed" (when the
 * service has them) and drops it. */
#ifndef COURANT_WORKER_H
#define COURANT_WORKER_H

#include <stddef.h>
#include <stdint.h>
#include <zmq.h>
#include "common/counters.h"
#include "common/endpoints.h"
#include "common/err.h"

typedef cr_err (*cr_worker_fn)(void *ctx, const void *frame, size_t len, void *out);
/* A handler given the received message itself, so that it can pass it on
 * without a copy (cr_worker_forward). The message stays the loop's: it is
 * closed after the handler returns (a no-op once it has been sent). */
typedef cr_err (*cr_worker_msg_fn)(void *ctx, zmq_msg_t *msg, void *out);

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

/* Send a frame on `out`, blocking (backpressure) but interruptible. */
cr_err cr_worker_send(void *out, const void *p, size_t n);
cr_err cr_worker_send_pb(void *out, const ProtobufCMessage *m);
/* Send the malloc'd p[0..n) without copying it; takes ownership of p
 * whatever it returns. */
cr_err cr_worker_send_owned(void *out, void *p, size_t n);
/* Send a received message on `out` as it is, zero copy, blocking like
 * cr_worker_send. On success *msg is left empty (ZeroMQ owns the data). */
cr_err cr_worker_forward(void *out, zmq_msg_t *msg);

/* Send Work{rejection} for an article this stage cannot process. */
cr_err cr_worker_reject(void *out, const char *stage, const char *reason, const char *id, uint64_t seq,
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
