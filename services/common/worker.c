/* Pipeline stage loop; see worker.h. */
#include "common/worker.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/codec.h"
#include "common/json.h"
#include "common/log.h"
#include "common/utf8.h"
#include "common/zio.h"

/* One part on the socket, blocking but interruptible. */
static cr_err send_part(void *sock, zmq_msg_t *msg, int flags)
{
	int rc;
	do
		rc = zmq_msg_send(msg, sock, flags);
	while (rc < 0 && zmq_errno() == EINTR && !cr_zstopping());
	if (rc >= 0)
		return CR_OK;
	return zmq_errno() == EINTR || zmq_errno() == ETERM ? CR_EINTR : cr_err_from_errno(zmq_errno());
}

cr_err cr_worker_flush(cr_wout *out)
{
	cr_err e;
	if (out->batch.n) {
		size_t n = 0;
		void *p = cr_batch_take(&out->batch, &n);
		zmq_msg_t m;
		if ((e = cr_zmsg_own(&m, p, n)) == CR_OK)
			e = send_part(out->sock, &m, 0);
		zmq_msg_close(&m); /* frees p unless ZeroMQ holds it */
		return e;
	}
	if (!out->has_held)
		return CR_OK;
	if ((e = send_part(out->sock, &out->held, 0)) != CR_OK)
		return e;
	zmq_msg_close(&out->held);
	out->has_held = 0;
	return CR_OK;
}

/* Move the held frame into the batch being built. */
static cr_err unhold(cr_wout *out)
{
	cr_err e = cr_batch_add(&out->batch, zmq_msg_data(&out->held), zmq_msg_size(&out->held));
	if (e != CR_OK)
		return e;
	zmq_msg_close(&out->held);
	out->has_held = 0;
	return CR_OK;
}

cr_err cr_worker_forward(cr_wout *out, zmq_msg_t *msg)
{
	size_t n = zmq_msg_size(msg);
	cr_batch_it it;
	cr_err e;
	/* alone, after what came before it: a big frame, or a batch frame (the
	 * relay passes batches on whole; one is never nested in another) */
	if (n > CR_BATCH_SOLO || cr_batch_open(zmq_msg_data(msg), n, &it) == 1) {
		if ((e = cr_worker_flush(out)) != CR_OK)
			return e;
		return send_part(out->sock, msg, 0);
	}
	if ((out->has_held || out->batch.n) && cr_mono_us() - out->first_us >= CR_BATCH_HOLD_US &&
	    (e = cr_worker_flush(out)) != CR_OK) /* what waits has waited enough */
		return e;
	if (out->has_held && (e = unhold(out)) != CR_OK && (e = cr_worker_flush(out)) != CR_OK)
		return e;
	if (out->batch.n) {
		if (out->batch.n < CR_BATCH_MAX && cr_batch_size_with(&out->batch, n) <= CR_BATCH_BYTES &&
		    cr_batch_add(&out->batch, zmq_msg_data(msg), n) == CR_OK)
			return CR_OK;
		if ((e = cr_worker_flush(out)) != CR_OK) /* full or old: the frame starts the next one */
			return e;
	}
	zmq_msg_init(&out->held);
	zmq_msg_move(&out->held, msg);
	out->has_held = 1;
	out->first_us = cr_mono_us();
	return CR_OK;
}

cr_err cr_worker_send(cr_wout *out, const void *p, size_t n)
{
	zmq_msg_t msg;
	cr_err e;
	if (zmq_msg_init_size(&msg, n) != 0)
		return CR_ENOMEM;
	if (n)
		memcpy(zmq_msg_data(&msg), p, n);
	e = cr_worker_forward(out, &msg);
	zmq_msg_close(&msg);
	return e;
}

cr_err cr_worker_send_owned(cr_wout *out, void *p, size_t n)
{
	zmq_msg_t msg;
	cr_err e = cr_zmsg_own(&msg, p, n);
	if (e == CR_OK)
		e = cr_worker_forward(out, &msg);
	zmq_msg_close(&msg); /* frees p unless the batch holds it */
	return e;
}

/* Packed into a buffer handed to ZeroMQ: zmq_send would copy it. */
cr_err cr_worker_send_pb(cr_wout *out, const ProtobufCMessage *m)
{
	size_t n;
	void *p = cr_pack(m, &n);
	if (!p)
		return CR_ENOMEM;
	return cr_worker_send_owned(out, p, n);
}

cr_err cr_worker_reject(cr_wout *out, const char *stage, const char *reason, const char *id, uint64_t seq,
			uint32_t attempt, const void *payload, size_t payload_len)
{
	Courant__Work w = COURANT__WORK__INIT;
	Courant__Rejection r = COURANT__REJECTION__INIT;
	char rs[1024];
	w.version = r.version = CR_SCHEMA_VERSION;
	snprintf(rs, sizeof rs, "%s", reason && *reason ? reason : "unspecified");
	if (!cr_utf8_valid(rs, strlen(rs)))
		snprintf(rs, sizeof rs, "unprintable reason");
	r.id = (char *)id;
	r.has_seq = seq != 0;
	r.seq = seq;
	r.stage = (char *)stage;
	r.reason = rs;
	r.has_payload = payload != NULL;
	r.payload.data = (uint8_t *)payload;
	r.payload.len = payload_len > CR_MAX_ARTICLE ? CR_MAX_ARTICLE : payload_len;
	r.has_at_us = 1;
	r.at_us = cr_now_us();
	r.has_attempt = attempt != 0;
	r.attempt = attempt;
	w.rejection = &r;
	return cr_worker_send_pb(out, &w.base);
}

static int id_printable(const char *s)
{
	size_t n = strnlen(s, CR_MAX_ID + 1);
	if (!n || n > CR_MAX_ID || !cr_utf8_valid(s, n))
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

/* The frame is hostile (the decoder refused it): unpack it into an arena
 * with the decoder's cap (common/codec.c: 8 x the frame + 1 MiB), so that a
 * frame of millions of empty sub-messages fails here as it failed there
 * instead of costing ~30 times its size in malloc'd structs. */
#define SALVAGE_SLACK (1u << 20)

int cr_worker_salvage_id(const void *frame, size_t len, char *id, size_t idlen, uint64_t *seq)
{
	ProtobufCAllocator al;
	cr_arena *arena;
	Courant__Work *w;
	const Courant__Article *a = NULL;
	int ok = 0;
	if (len > CR_MAX_FRAME || (!frame && len) || !idlen)
		return 0;
	if (!(arena = cr_arena_new(len * 8 + SALVAGE_SLACK)))
		return 0;
	cr_arena_pb_allocator(arena, &al);
	w = courant__work__unpack(&al, len, frame ? frame : (const void *)"");
	if (w && w->article)
		a = w->article;
	else if (w && w->extraction)
		a = w->extraction->article;
	if (a && a->id && id_printable(a->id)) {
		snprintf(id, idlen, "%s", a->id);
		*seq = a->seq;
		ok = 1;
	}
	cr_arena_destroy(&arena); /* frees w and everything in it */
	return ok;
}

cr_err cr_worker_run(const cr_worker_cfg *c)
{
	return cr_worker_run_msg(c, NULL);
}

/* One received part: a batch frame's elements one by one, else the frame. */
static cr_err handle_part(const cr_worker_cfg *c, cr_worker_msg_fn handle_msg, zmq_msg_t *part, cr_wout *out)
{
	cr_batch_it it;
	const void *p;
	size_t n;
	cr_err he = CR_OK;
	if (handle_msg)
		return handle_msg(c->ctx, part, out);
	if (cr_batch_open(zmq_msg_data(part), zmq_msg_size(part), &it) != 1)
		return c->handle(c->ctx, zmq_msg_data(part), zmq_msg_size(part), out);
	while (he != CR_EINTR && cr_batch_next(&it, &p, &n))
		he = c->handle(c->ctx, p, n, out);
	return he;
}

/* Handle the parts of the messages queued on `in`, each part alone; what
 * they produce leaves as one message per received one (see worker.h).
 * Returns CR_EINTR when stopping. */
static cr_err drain(const cr_worker_cfg *c, cr_worker_msg_fn handle_msg, void *in, cr_wout *out)
{
	zmq_msg_t part;
	cr_err he = CR_OK;
	int more = 0;
	while (!cr_zstopping()) {
		zmq_msg_init(&part);
		/* the parts after the first are there already: a message is atomic */
		if (zmq_msg_recv(&part, in, more ? 0 : ZMQ_DONTWAIT) < 0) {
			zmq_msg_close(&part);
			break;
		}
		more = zmq_msg_more(&part);
		he = handle_part(c, handle_msg, &part, out);
		zmq_msg_close(&part);
		if (he != CR_EINTR && !more)
			he = cr_worker_flush(out);
		if (he == CR_EINTR)
			return CR_EINTR;
		if (!more)
			cr_counters_beat(c->counters, out->sock, 0);
	}
	return cr_zstopping() ? CR_EINTR : CR_OK;
}

cr_err cr_worker_run_msg(const cr_worker_cfg *c, cr_worker_msg_fn handle_msg)
{
	void *in = NULL;
	cr_wout out = {0};
	cr_zwatch watch = {0};
	cr_err e = CR_OK;

	if (!(in = cr_zsocket(ZMQ_PULL, c->in_ep, c->bind, c->hwm, 0, &e)) ||
	    !(out.sock = cr_zsocket(ZMQ_PUSH, c->out_ep, c->bind, c->hwm, 2000, &e)))
		goto out;
	if (!c->bind && (e = cr_zwatch_start(&watch, in, c->in_ep)) != CR_OK)
		goto out;
	cr_notice("ready", "in=%s out=%s", c->in_ep, c->out_ep);
	while (!cr_zstopping()) {
		zmq_pollitem_t it[2] = {{in, 0, ZMQ_POLLIN, 0}, {watch.mon, 0, ZMQ_POLLIN, 0}};
		if (cr_counters_beat(c->counters, out.sock, 0) == CR_EINTR)
			break;
		if (cr_zpoll(it, watch.mon ? 2 : 1, 1000) <= 0)
			continue;
		if (it[1].revents & ZMQ_POLLIN)
			cr_zwatch_handle(&watch);
		if (drain(c, handle_msg, in, &out) == CR_EINTR)
			break;
	}
	if (!out.has_held && !out.batch.n) /* a batch cut short by the stop is not sent: ingest re-sends it */
		cr_counters_beat(c->counters, out.sock, 1);
	cr_info("stopping", NULL);
out:
	if (out.has_held)
		zmq_msg_close(&out.held);
	cr_batch_fini(&out.batch);
	cr_zwatch_stop(&watch);
	cr_zclose(&in);
	cr_zclose(&out.sock);
	cr_zctx_term();
	return e;
}

static void worker_usage(FILE *f, const char *prog, const char *about)
{
	fprintf(f, "usage: %s [--data DIR] [--hwm N] [endpoint flags]\n%s\n"
		   "  --hwm N   high-water mark of both sockets (default 64)\n%s",
		prog, about, cr_endpoints_help());
}

int cr_worker_options(const char *prog, const char *about, int argc, char **argv, cr_endpoints *ep,
		      int *hwm)
{
	const char *data = NULL;
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--data") && i + 1 < argc)
			data = argv[++i];
	if (cr_endpoints_init(ep, cr_datadir(data)) != CR_OK) {
		fprintf(stderr, "%s: cannot prepare the data directory\n", prog);
		return 1;
	}
	for (i = 1; i < argc;) {
		if (cr_endpoints_flag(ep, argc, argv, &i))
			continue;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			worker_usage(stdout, prog, about);
			return 0;
		}
		if (!strcmp(argv[i], "--data") && i + 1 < argc) {
			i += 2;
		} else if (!strcmp(argv[i], "--hwm") && i + 1 < argc && atoi(argv[i + 1]) > 0) {
			*hwm = atoi(argv[i + 1]);
			i += 2;
		} else {
			fprintf(stderr, "%s: unknown option %s\n", prog, argv[i]);
			worker_usage(stderr, prog, about);
			return 2;
		}
	}
	return -1;
}
