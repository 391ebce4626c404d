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

cr_err cr_worker_send(void *out, const void *p, size_t n)
{
	cr_err e;
	do
		e = cr_zsend(out, p, n, 0);
	while (e == CR_EINTR && !cr_zstopping());
	return e;
}

cr_err cr_worker_send_owned(void *out, void *p, size_t n)
{
	zmq_msg_t msg;
	cr_err e = cr_zmsg_own(&msg, p, n);
	if (e == CR_OK)
		e = cr_worker_forward(out, &msg);
	zmq_msg_close(&msg); /* frees p unless ZeroMQ holds it */
	return e;
}

/* Packed into a buffer handed to ZeroMQ: zmq_send would copy it. */
cr_err cr_worker_send_pb(void *out, const ProtobufCMessage *m)
{
	size_t n;
	void *p = cr_pack(m, &n);
	if (!p)
		return CR_ENOMEM;
	return cr_worker_send_owned(out, p, n);
}

cr_err cr_worker_forward(void *out, zmq_msg_t *msg)
{
	int rc;
	do
		rc = zmq_msg_send(msg, out, 0);
	while (rc < 0 && zmq_errno() == EINTR && !cr_zstopping());
	if (rc >= 0)
		return CR_OK;
	return zmq_errno() == EINTR || zmq_errno() == ETERM ? CR_EINTR : cr_err_from_errno(zmq_errno());
}

cr_err cr_worker_reject(void *out, const char *stage, const char *reason, const char *id, uint64_t seq,
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

/* Index of the counter called `name`, or -1. */
static int counter_index(const cr_counters *c, const char *name)
{
	for (int i = 0; c && i < c->n; i++)
		if (!strcmp(c->names[i], name))
			return i;
	return -1;
}

/* Every pipeline frame is exactly one part (a PUSH of one Work); a multipart
 * message is junk whatever its parts hold: counted as received and
 * malformed, then dropped. No part of it is trusted to name an article, so
 * none is dead-lettered (the article, if real, is re-sent by ingest). */
static void multipart_junk(cr_counters *c, const cr_zmsg *m)
{
	int rcv = counter_index(c, "received"), bad = counter_index(c, "malformed");
	if (rcv >= 0)
		cr_count(c, rcv, 1);
	if (bad >= 0)
		cr_count(c, bad, 1);
	cr_warn("malformed", "parts=%d err=EPROTO why=\"a pipeline frame has exactly one part\"", m->n + m->dropped);
}

cr_err cr_worker_run(const cr_worker_cfg *c)
{
	return cr_worker_run_msg(c, NULL);
}

cr_err cr_worker_run_msg(const cr_worker_cfg *c, cr_worker_msg_fn handle_msg)
{
	void *in = NULL, *out = NULL;
	cr_zwatch watch = {0};
	cr_err e = CR_OK;
	cr_zmsg m;

	if (!(in = cr_zsocket(ZMQ_PULL, c->in_ep, c->bind, c->hwm, 0, &e)) ||
	    !(out = cr_zsocket(ZMQ_PUSH, c->out_ep, c->bind, c->hwm, 2000, &e)))
		goto out;
	if (!c->bind && (e = cr_zwatch_start(&watch, in, c->in_ep)) != CR_OK)
		goto out;
	cr_notice("ready", "in=%s out=%s", c->in_ep, c->out_ep);
	while (!cr_zstopping()) {
		zmq_pollitem_t it[2] = {{in, 0, ZMQ_POLLIN, 0}, {watch.mon, 0, ZMQ_POLLIN, 0}};
		if (cr_counters_beat(c->counters, out, 0) == CR_EINTR)
			break;
		if (cr_zpoll(it, watch.mon ? 2 : 1, 1000) <= 0)
			continue;
		if (it[1].revents & ZMQ_POLLIN)
			cr_zwatch_handle(&watch);
		while (!cr_zstopping() && cr_zrecv(in, &m, ZMQ_DONTWAIT) == CR_OK) {
			cr_err he = CR_OK;
			if (m.n == 1 && !m.dropped && handle_msg)
				he = handle_msg(c->ctx, &m.part[0], out);
			else if (m.n == 1 && !m.dropped)
				he = c->handle(c->ctx, cr_zmsg_data(&m, 0), cr_zmsg_size(&m, 0), out);
			else
				multipart_junk(c->counters, &m);
			cr_zmsg_close(&m);
			if (he == CR_EINTR)
				break;
			cr_counters_beat(c->counters, out, 0);
		}
	}
	cr_counters_beat(c->counters, out, 1);
	cr_info("stopping", NULL);
out:
	cr_zwatch_stop(&watch);
	cr_zclose(&in);
	cr_zclose(&out);
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
