/* Pipeline stage loop; see worker.h. */
#include "common/worker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/codec.h"
#include "common/json.h"
#include "common/log.h"
#include "common/zio.h"

cr_err cr_worker_send(void *out, const void *p, size_t n)
{
	cr_err e;
	do
		e = cr_zsend(out, p, n, 0);
	while (e == CR_EINTR && !cr_zstopping());
	return e;
}

cr_err cr_worker_send_pb(void *out, const ProtobufCMessage *m)
{
	size_t n;
	void *p = cr_pack(m, &n);
	cr_err e;
	if (!p)
		return CR_ENOMEM;
	e = cr_worker_send(out, p, n);
	free(p);
	return e;
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

int cr_worker_salvage_id(const void *frame, size_t len, char *id, size_t idlen, uint64_t *seq)
{
	Courant__Work *w;
	const Courant__Article *a = NULL;
	int ok = 0;
	if (len > CR_MAX_FRAME)
		return 0;
	w = courant__work__unpack(NULL, len, frame);
	if (!w)
		return 0;
	if (w->article)
		a = w->article;
	else if (w->extraction)
		a = w->extraction->article;
	if (a && a->id && id_printable(a->id)) {
		snprintf(id, idlen, "%s", a->id);
		*seq = a->seq;
		ok = 1;
	}
	courant__work__free_unpacked(w, NULL);
	return ok;
}

cr_err cr_worker_run(const cr_worker_cfg *c)
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
			/* a multipart frame is not ours: hand over the last part and
			 * let the handler's validation count it */
			cr_err he = c->handle(c->ctx, cr_zmsg_data(&m, m.n - 1), cr_zmsg_size(&m, m.n - 1), out);
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
