/* ZeroMQ plumbing shared by every service: one context per process, sockets
 * with small high-water marks and ZMQ_MAXMSGSIZE = CR_MAX_FRAME, protobuf
 * send, bounded multipart receive, and a poll that wakes on SIGINT/SIGTERM.
 * Ownership: a received cr_zmsg owns its frames until cr_zmsg_close(). */
#ifndef COURANT_ZIO_H
#define COURANT_ZIO_H

#include <stddef.h>
#include <zmq.h>
#include <protobuf-c/protobuf-c.h>
#include "common/err.h"

#define CR_ZMAX_PARTS 4   /* extra frames of a multipart message are dropped */
#define CR_ZHWM 64        /* default high-water mark: small, see DESIGN §1 */
#define CR_BATCH_MAX 64   /* parts in one pipeline message (a batch, common/worker.h) */

typedef struct cr_zmsg {
	zmq_msg_t part[CR_ZMAX_PARTS];
	int n;          /* frames kept */
	int dropped;    /* frames beyond CR_ZMAX_PARTS, discarded */
} cr_zmsg;

/* The process's context, created on first use. */
void *cr_zctx(void);
/* Terminate the context (after every socket is closed). */
void cr_zctx_term(void);

/* Install SIGINT/SIGTERM handlers that set the stop flag. */
void cr_zsignals(void);
/* Non-zero once a stop signal arrived (or cr_zstop() was called). */
int cr_zstopping(void);
void cr_zstop(void);

/* New socket of `type`, bound (bind != 0) or connected to `endpoint`.
 * hwm <= 0 means CR_ZHWM; linger in ms. NULL on failure (logged, *err set). */
void *cr_zsocket(int type, const char *endpoint, int bind, int hwm, int linger_ms, cr_err *err);
/* The same with different send and receive high-water marks. (Set at
 * creation because a bound socket's listener copies its options at bind:
 * a change after that never reaches the peers that connect.) */
void *cr_zsocket_hwm(int type, const char *endpoint, int bind, int sndhwm, int rcvhwm, int linger_ms, cr_err *err);
void cr_zclose(void **sock);

/* Send one frame; flags as zmq_send (ZMQ_SNDMORE, ZMQ_DONTWAIT). CR_EAGAIN
 * when it would block, CR_EINTR on a signal. */
cr_err cr_zsend(void *sock, const void *p, size_t n, int flags);
/* Pack and send a protobuf message as one frame (zero copy). */
cr_err cr_zsend_pb(void *sock, const ProtobufCMessage *m, int flags);
/* Send the malloc'd buffer p[0..n) as one frame without copying it: the
 * call takes ownership of p whatever it returns (freed once sent, or now). */
cr_err cr_zsend_owned(void *sock, void *p, size_t n, int flags);
/* Initialise *m over the malloc'd p[0..n), which it then owns (freed by
 * zmq_msg_close or after the send). On failure p is freed and *m is an empty
 * message (still to be closed). */
cr_err cr_zmsg_own(zmq_msg_t *m, void *p, size_t n);

/* Receive one whole (possibly multipart) message. CR_EAGAIN with
 * ZMQ_DONTWAIT when nothing is queued, CR_EINTR on a signal. */
cr_err cr_zrecv(void *sock, cr_zmsg *m, int flags);
void cr_zmsg_close(cr_zmsg *m);
static inline const void *cr_zmsg_data(cr_zmsg *m, int i) { return zmq_msg_data(&m->part[i]); }
static inline size_t cr_zmsg_size(cr_zmsg *m, int i) { return zmq_msg_size(&m->part[i]); }

/* zmq_poll that returns the number of ready items, 0 on timeout, or -1
 * when interrupted by a signal or when stopping. */
int cr_zpoll(zmq_pollitem_t *items, int n, long timeout_ms);

/* libzmq (4.3) never reconnects a connecting socket after a protocol error,
 * and a frame over ZMQ_MAXMSGSIZE is one: a single oversized junk frame
 * would cut a worker off for good. A watch monitors such a socket and, when
 * the connection drops, disconnects and connects it again. */
typedef struct cr_zwatch {
	void *sock, *mon;
	char endpoint[256];
	unsigned reconnects;
} cr_zwatch;

cr_err cr_zwatch_start(cr_zwatch *w, void *sock, const char *endpoint);
/* Call when w->mon is readable (poll it with ZMQ_POLLIN). */
void cr_zwatch_handle(cr_zwatch *w);
void cr_zwatch_stop(cr_zwatch *w);

/* Wall clock and monotonic time in microseconds. */
unsigned long long cr_now_us(void);
unsigned long long cr_mono_us(void);

#endif
