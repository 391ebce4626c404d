/* ingest's loop: one poll over submit/ack/work with the group commit of a
 * batch of submissions before any reply is sent (persist, then answer). */
#include "ingest/service.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/batch.h"
#include "common/codec.h"
#include "common/log.h"
#include "common/zio.h"
#include "ingest/canon.h"
#include "ingest/journal.h"
#include "ingest/pending.h"

#define SUBMIT_BATCH 128
#define SUBMIT_RCVHWM 256  /* submit messages queued per client (see open_all) */
#define ACK_BATCH 256
#define IDENT_MAX 256

typedef struct counters {
	uint64_t received, accepted, duplicates, refused, sent, resent, acked, dead, malformed, queries;
} counters;

typedef struct ingest {
	const ingest_config *cfg;
	void *submit, *work, *ack;
	ij_journal *journal;
	ip_table *pend;
	counters n;
	cr_buf art;            /* scratch: packed article read from the journal */
	uint64_t *forget;      /* acknowledged seqs not yet removed from the journal */
	int *forget_dead;
	size_t nforget, forget_cap;
	char instance[96];
} ingest;

/* One submission to answer: a request's single Submit or one element of
 * its batch. */
typedef struct inbound {
	Courant__Submit *msg;
	ij_sub sub;
} inbound;

/* One received request: its envelope, and its submissions in[first ..
 * first + count) (count 1 for a plain Submit). */
typedef struct request {
	cr_zmsg m;
	unsigned char ident[IDENT_MAX];
	size_t identlen;
	int delim;             /* request had an empty delimiter frame (REQ style) */
	int batch;             /* a batch Submit: answered by one batch SubmitReply */
	size_t first, count;
} request;

void ingest_config_defaults(ingest_config *c)
{
	/* A wide window lets the store's group commits grow under load (one
	 * fsync for hundreds of articles); the worker links' queues stay at
	 * their small high-water marks. */
	c->window = 1024;
	c->batch = 16;
	c->backlog = 4096;
	c->max_attempts = 6;
	c->redeliver_ms = 2000;
	c->map_mb = 64;
	c->max_map_mb = 16384;
}

/* ---- stats ---------------------------------------------------------------- */

static void fill_stats(ingest *g, Courant__Stats *s, Courant__Counter *cs, Courant__Counter **cp, size_t max)
{
	const struct {
		const char *name;
		uint64_t v;
	} rows[] = {
		{"received", g->n.received}, {"accepted", g->n.accepted}, {"duplicates", g->n.duplicates},
		{"refused", g->n.refused}, {"sent", g->n.sent}, {"resent", g->n.resent},
		{"acked", g->n.acked}, {"dead", g->n.dead}, {"malformed", g->n.malformed},
		{"inflight", ip_inflight(g->pend)}, {"queued", ip_queued(g->pend)},
		{"pending", ip_inflight(g->pend) + ip_queued(g->pend)},
		{"latency_p99_ms", ip_p99_ms(g->pend)}, {"redeliver_ms", ip_base_ms(g->pend)},
	};
	size_t n = sizeof rows / sizeof rows[0];
	courant__stats__init(s);
	s->version = CR_SCHEMA_VERSION;
	s->service = "ingest";
	s->instance = g->instance;
	s->has_at_us = 1;
	s->at_us = cr_now_us();
	for (size_t i = 0; i < n && i < max; i++) {
		courant__counter__init(&cs[i]);
		cs[i].name = (char *)rows[i].name;
		cs[i].value = rows[i].v;
		cp[i] = &cs[i];
	}
	s->counters = cp;
	s->n_counters = n < max ? n : max;
}

/* Reply envelope: the identity, then the empty delimiter if the request had one. */
static int send_envelope(ingest *g, const void *ident, size_t identlen, int delim)
{
	if (cr_zsend(g->submit, ident, identlen, ZMQ_SNDMORE | ZMQ_DONTWAIT) != CR_OK)
		return -1;
	if (delim && cr_zsend(g->submit, "", 0, ZMQ_SNDMORE | ZMQ_DONTWAIT) != CR_OK)
		return -1;
	return 0;
}

static void reply_stats(ingest *g, const request *in, const Courant__Query *q)
{
	Courant__QueryReply r = COURANT__QUERY_REPLY__INIT;
	Courant__Stats s, *sp = &s;
	Courant__Counter cs[24], *cp[24];
	r.version = CR_SCHEMA_VERSION;
	r.client_ref = q->client_ref;
	if (q->kind == COURANT__QUERY_KIND__STATS) {
		fill_stats(g, &s, cs, cp, 24);
		r.stats = &sp;
		r.n_stats = 1;
	} else {
		r.error = "ingest answers only STATS queries; ask the store";
	}
	g->n.queries++;
	if (send_envelope(g, in->ident, in->identlen, in->delim) == 0)
		cr_zsend_pb(g->submit, &r.base, ZMQ_DONTWAIT);
}

/* ---- submissions ---------------------------------------------------------- */

static int blank(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace(p[i]))
			return 0;
	return 1;
}

static int date_ok(const char *d)
{
	static const char pat[] = "dddd-dd-dd";
	for (int i = 0; pat[i]; i++)
		if (pat[i] == 'd' ? !isdigit((unsigned char)d[i]) : d[i] != pat[i])
			return 0;
	return 1;
}

/* Field checks beyond the codec's; sets a refusal reason and returns -1. */
static int validate(const Courant__Submit *s, char *why, size_t wl)
{
	static const char *const types[] = {"", "text/html", "text/plain", "text/markdown", "application/xhtml+xml"};
	char canon[4096];
	int ok = 0;
	if (!s->has_text || blank(s->text.data, s->text.len))
		return snprintf(why, wl, "empty text"), -1;
	if (s->published && *s->published && !date_ok(s->published))
		return snprintf(why, wl, "bad field published: expected YYYY-MM-DD..."), -1;
	if (s->url && *s->url && ic_canon_url(s->url, canon, sizeof canon) != CR_OK)
		return snprintf(why, wl, "bad field url: not an absolute URL"), -1;
	for (size_t i = 0; s->content_type && i < sizeof types / sizeof types[0]; i++)
		ok |= !strcmp(s->content_type, types[i]);
	if (s->content_type && !ok)
		return snprintf(why, wl, "bad field content_type: %.60s", s->content_type), -1;
	return 0;
}

static void refuse(inbound *in, const char *fmt, const char *detail)
{
	in->sub.status = COURANT__SUBMIT_STATUS__REFUSED;
	in->sub.decided = 1;
	snprintf(in->sub.reason, sizeof in->sub.reason, fmt, detail);
}

/* A ROUTER message is [identity][body] (DEALER) or [identity][""][body]
 * (REQ); anything else (more or fewer parts, a non-empty middle part) is
 * junk: counted as malformed and dropped WITHOUT a reply, as the store's
 * query socket does. The client's framing is unknown, so a reply could be
 * misread, and a REQ/DEALER client never produces such a message. */
static int envelope_ok(cr_zmsg *m)
{
	if (m->dropped || m->n < 2 || m->n > 3 || cr_zmsg_size(m, 0) > IDENT_MAX)
		return 0;
	return m->n == 2 || cr_zmsg_size(m, 1) == 0;
}

/* Decode and check one submission (a plain request's body or a batch
 * element) into *in; a refusal is decided there and then. */
static void take_one(ingest *g, const void *body, size_t len, inbound *in)
{
	char why[160];
	cr_err e;
	memset(&in->sub, 0, sizeof in->sub);
	in->msg = NULL;
	g->n.received++;
	e = cr_decode_submit(body, len, &in->msg, why, sizeof why);
	if (e == CR_ETOOBIG)
		refuse(in, "article too large: %.120s", why);
	else if (e != CR_OK) {
		g->n.malformed++;
		refuse(in, "malformed submit: %.120s", why);
	} else if (validate(in->msg, why, sizeof why))
		refuse(in, "%s", why);
	in->sub.in = in->msg;
}

/* A request refused as a whole (a batch frame that cannot be opened, or
 * too long): one plain REFUSED answer in in[0]. Returns 1, its count. */
static size_t refuse_request(ingest *g, request *r, inbound *in, const char *fmt, const char *detail)
{
	g->n.received++;
	g->n.malformed++;
	memset(&in->sub, 0, sizeof in->sub);
	in->msg = NULL;
	refuse(in, fmt, detail);
	r->count = 1;
	return 1;
}

/* Read request r (its message is in r->m) into r and in[0..CR_BATCH_MAX); returns
 * the number of submissions it holds (to answer), 0 if it was handled here.
 * A batch frame that breaks common/batch.h's rules, or holds more than
 * CR_BATCH_MAX elements, gets one plain REFUSED answer for all of it. */
static size_t take_submit(ingest *g, request *r, inbound *in)
{
	cr_zmsg *m = &r->m;
	const void *body, *p;
	size_t len, n = 0, k;
	Courant__Query *q;
	cr_batch_it it, count;

	r->batch = 0;
	r->count = 0;
	if (!envelope_ok(m)) {
		g->n.malformed++;
		cr_warn("bad_envelope", "parts=%d", m->n + m->dropped);
		return 0;
	}
	r->identlen = cr_zmsg_size(m, 0);
	memcpy(r->ident, cr_zmsg_data(m, 0), r->identlen);
	r->delim = m->n == 3;
	body = cr_zmsg_data(m, m->n - 1);
	len = cr_zmsg_size(m, m->n - 1);
	/* A Query's field 2 is a varint, a Submit's a string: no frame is both. */
	if (cr_decode_query(body, len, &q, NULL, 0) == CR_OK) {
		reply_stats(g, r, q);
		cr_msg_free(&q->base);
		return 0;
	}
	switch (cr_batch_open_field(body, len, CR_BATCH_SUBMIT, 0, &it)) {
	case 1:
		count = it;
		while (cr_batch_next(&count, &p, &k))
			n++;
		if (n > CR_BATCH_MAX) {
			char many[32];
			snprintf(many, sizeof many, "%zu", n);
			return refuse_request(g, r, in, "batch of %s submissions: at most 64 per frame", many);
		}
		r->batch = 1;
		while (cr_batch_next(&it, &p, &k))
			take_one(g, p, k, &in[r->count++]);
		return r->count;
	case -1:
		return refuse_request(g, r, in, "%s",
				      "malformed submit: a batch frame holds version and whole Submit frames only");
	default:
		take_one(g, body, len, &in[0]);
		r->count = 1;
		return 1;
	}
}

/* Fill reply *r for submission *in and do its bookkeeping. */
static void settle(ingest *g, inbound *in, Courant__SubmitReply *r)
{
	courant__submit_reply__init(r);
	r->version = CR_SCHEMA_VERSION;
	r->client_ref = in->msg ? in->msg->client_ref : NULL;
	r->status = in->sub.status;
	switch (in->sub.status) {
	case COURANT__SUBMIT_STATUS__ACCEPTED:
		g->n.accepted++;
		r->id = in->sub.id;
		r->has_seq = 1;
		r->seq = in->sub.seq;
		if (ip_add(g->pend, in->sub.seq, in->sub.id) != CR_OK)
			cr_error("pending_add", "seq=%llu", (unsigned long long)in->sub.seq);
		break;
	case COURANT__SUBMIT_STATUS__DUPLICATE:
		g->n.duplicates++;
		r->id = in->sub.id;
		break;
	default:
		g->n.refused++;
		r->reason = in->sub.reason;
		break;
	}
}

/* Answer request q: one SubmitReply, or for a batch one batch SubmitReply
 * holding each element's reply in order. */
static void answer(ingest *g, request *q, inbound *in)
{
	Courant__SubmitReply r;
	cr_batch b = {0};
	void *frame;
	size_t n;

	if (!q->batch) {
		settle(g, &in[0], &r);
		if (send_envelope(g, q->ident, q->identlen, q->delim) == 0)
			cr_zsend_pb(g->submit, &r.base, ZMQ_DONTWAIT);
		return;
	}
	cr_batch_kind(&b, CR_BATCH_REPLY, 3);
	for (size_t i = 0; i < q->count; i++) {
		uint8_t *at;
		settle(g, &in[i], &r);
		n = courant__submit_reply__get_packed_size(&r);
		if ((at = cr_batch_reserve(&b, n)) != NULL)
			courant__submit_reply__pack(&r, at);
	}
	/* short of memory the batch goes unanswered: the client re-sends it,
	 * and what was accepted comes back as duplicates of itself */
	if (b.n == q->count && (frame = cr_batch_take(&b, &n)) != NULL &&
	    send_envelope(g, q->ident, q->identlen, q->delim) == 0)
		cr_zsend_owned(g->submit, frame, n, ZMQ_DONTWAIT);
	cr_batch_fini(&b);
}

/* Up to SUBMIT_BATCH submissions (plain or in batch frames) journaled in
 * one group commit, then answered. */
static void on_submit(ingest *g)
{
	static inbound in[SUBMIT_BATCH + CR_BATCH_MAX];
	static request req[SUBMIT_BATCH];
	static ij_sub subs[SUBMIT_BATCH + CR_BATCH_MAX];
	size_t n = 0, nr = 0, k = 0;

	while (n < SUBMIT_BATCH && nr < SUBMIT_BATCH && cr_zrecv(g->submit, &req[nr].m, ZMQ_DONTWAIT) == CR_OK) {
		size_t got = take_submit(g, &req[nr], &in[n]);
		if (!got) {
			cr_zmsg_close(&req[nr].m);
			continue;
		}
		req[nr].first = n;
		n += got;
		nr++;
	}
	if (!nr)
		return;
	for (size_t i = 0; i < n; i++)
		if (!in[i].sub.decided)
			subs[k++] = in[i].sub;
	if (k)
		ij_accept(g->journal, subs, k, cr_now_us());
	k = 0;
	for (size_t i = 0; i < n; i++)
		if (!in[i].sub.decided)
			in[i].sub = subs[k++];
	for (size_t j = 0; j < nr; j++) {
		answer(g, &req[j], &in[req[j].first]);
		for (size_t i = req[j].first; i < req[j].first + req[j].count; i++)
			cr_msg_free(in[i].msg ? &in[i].msg->base : NULL);
		cr_zmsg_close(&req[j].m);
	}
}

/* ---- delivery ------------------------------------------------------------- */

/* The ingest Rejection that ends an article after max_attempts sends. A
 * journal record that does not unpack is dead-lettered too, under the id
 * ingest knows it by, with the record as payload. Packed into *msg. */
static cr_err pack_give_up(ingest *g, ip_entry *e, zmq_msg_t *msg)
{
	Courant__Work w = COURANT__WORK__INIT;
	Courant__Rejection r = COURANT__REJECTION__INIT;
	Courant__Article *a = courant__article__unpack(NULL, g->art.len, (const uint8_t *)g->art.data);
	char reason[96];
	void *frame;
	size_t n;

	snprintf(reason, sizeof reason, "%s after %u attempts", a ? "no acknowledgement" : "unreadable journal record",
		 g->cfg->max_attempts);
	w.version = r.version = CR_SCHEMA_VERSION;
	r.id = a ? a->id : e->id;
	r.has_seq = 1;
	r.seq = a ? a->seq : e->seq;
	r.stage = "ingest";
	r.reason = reason;
	r.has_payload = a ? a->has_raw : 1;
	r.payload = a ? a->raw : (ProtobufCBinaryData){g->art.len, (uint8_t *)g->art.data};
	if (r.payload.len > CR_MAX_ARTICLE)
		r.payload.len = CR_MAX_ARTICLE;
	r.has_at_us = 1;
	r.at_us = cr_now_us();
	r.has_attempt = 1;
	r.attempt = e->attempt + 1;
	w.rejection = &r;
	frame = cr_pack(&w.base, &n);
	if (a)
		courant__article__free_unpacked(a, NULL);
	return frame ? cr_zmsg_own(msg, frame, n) : CR_ENOMEM;
}

static int can_send(void *sock)
{
	int ev = 0;
	size_t len = sizeof ev;
	return zmq_getsockopt(sock, ZMQ_EVENTS, &ev, &len) == 0 && (ev & ZMQ_POLLOUT);
}

/* Whether an element of n bytes may join the batch (common/batch.h
 * limits); `first` is the size of its first element. */
static int joins(const cr_batch *b, size_t first, size_t n)
{
	if (!b->n)
		return 1;
	return first <= CR_BATCH_SOLO && n <= CR_BATCH_SOLO && b->n < CR_BATCH_MAX &&
	       cr_batch_size_with(b, n) <= CR_BATCH_BYTES;
}

/* Entry e's frame as an element of b. The journal holds the packed
 * Article: it goes out as stored, with the attempt number appended (codec.h
 * cr_put_work_article), written straight into the batch. A damaged record
 * is refused by normalize's decoder (dead-lettered when an id can be read,
 * else dropped, re-sent and finally dead-lettered by pack_give_up).
 * CR_EAGAIN: it does not fit in this batch. */
static cr_err add_entry(ingest *g, cr_batch *b, size_t *first, ip_entry *e)
{
	zmq_msg_t m;
	uint8_t *at;
	size_t n;
	cr_err err;

	if ((err = ij_fetch(g->journal, e->seq, &g->art)) != CR_OK)
		return err;
	if (e->give_up) {
		if ((err = pack_give_up(g, e, &m)) != CR_OK)
			return err;
		n = zmq_msg_size(&m);
		if (!joins(b, *first, n))
			err = CR_EAGAIN;
		else if (cr_batch_add(b, zmq_msg_data(&m), n) != CR_OK)
			err = CR_ENOMEM;
		zmq_msg_close(&m);
	} else {
		n = cr_work_article_size(g->art.len, e->attempt + 1);
		if (!joins(b, *first, n))
			return CR_EAGAIN;
		if (!(at = cr_batch_reserve(b, n)))
			return CR_ENOMEM;
		cr_put_work_article(at, g->art.data, g->art.len, e->attempt + 1);
	}
	if (err == CR_OK && b->n == 1)
		*first = n;
	return err;
}

/* One message: up to cfg->batch entries in a batch frame (common/batch.h),
 * or the plain frame when only one is ready. The caller saw room for a
 * message; an entry counts as sent when its frame is in the message (one
 * lost with a failed send is re-sent at its deadline). Returns the number
 * of entries sent. */
static size_t send_batch(ingest *g)
{
	cr_batch b = {0};
	size_t parts = 0, n, first = 0;
	const void *one;
	ip_entry *e;
	void *frame;

	while (parts < g->cfg->batch && (e = ip_next(g->pend)) != NULL) {
		cr_err err = add_entry(g, &b, &first, e);
		if (err == CR_ENOTFOUND || err == CR_EPROTO) {
			/* not in the journal any more (or unreadable): nothing to send */
			cr_warn("pending_missing", "seq=%llu err=%s", (unsigned long long)e->seq, cr_errname(err));
			ip_ack(g->pend, e->seq, NULL, cr_mono_us());
			continue;
		}
		if (err != CR_OK) /* no room left (sent next time), or out of memory */
			break;
		if (e->attempt)
			g->n.resent++;
		else
			g->n.sent++;
		ip_sent(g->pend, e, cr_mono_us());
		parts++;
	}
	if (cr_batch_single(&b, &one, &n))
		cr_zsend(g->work, one, n, ZMQ_DONTWAIT); /* a plain frame, copied */
	else if ((frame = cr_batch_take(&b, &n)) != NULL)
		cr_zsend_owned(g->work, frame, n, ZMQ_DONTWAIT);
	cr_batch_fini(&b);
	return parts;
}

static void send_some(ingest *g)
{
	while (ip_next(g->pend) && can_send(g->work) && send_batch(g) > 0)
		;
}

static void remember_done(ingest *g, uint64_t seq, int dead)
{
	if (g->nforget == g->forget_cap) {
		size_t nc = g->forget_cap ? g->forget_cap * 2 : 512;
		uint64_t *a = realloc(g->forget, nc * sizeof *a);
		int *b;
		if (!a)
			return;
		g->forget = a;
		if (!(b = realloc(g->forget_dead, nc * sizeof *b)))
			return;
		g->forget_dead = b;
		g->forget_cap = nc;
	}
	g->forget[g->nforget] = seq;
	g->forget_dead[g->nforget++] = dead;
}

static void on_ack(ingest *g)
{
	cr_zmsg m;
	for (int k = 0; k < ACK_BATCH && cr_zrecv(g->ack, &m, ZMQ_DONTWAIT) == CR_OK; k++) {
		Courant__Ack *a;
		char why[128] = "an ack is exactly one part";
		/* the store PUSHes one frame per ack: more parts are junk */
		if (m.n != 1 || m.dropped || cr_decode_ack(cr_zmsg_data(&m, 0), cr_zmsg_size(&m, 0), &a, why, sizeof why)) {
			g->n.malformed++;
			cr_warn("bad_ack", "why=\"%s\"", why);
			cr_zmsg_close(&m);
			continue;
		}
		for (size_t i = 0; i < a->n_items; i++) {
			int dead = a->items[i]->status == COURANT__ACK_STATUS__DEAD;
			if (!ip_ack(g->pend, a->items[i]->seq, a->items[i]->id, cr_mono_us()))
				continue;
			g->n.acked++;
			g->n.dead += (uint64_t)dead;
			remember_done(g, a->items[i]->seq, dead);
		}
		cr_msg_free(&a->base);
		cr_zmsg_close(&m);
	}
	/* committed with the next accepted batch (journal.c says why that is safe) */
	if (g->nforget && ij_done_later(g->journal, g->forget, g->forget_dead, g->nforget, cr_mono_us()) == CR_OK)
		g->nforget = 0;
}

static void expire(ingest *g)
{
	size_t gave_up, n = ip_expire(g->pend, cr_mono_us(), &gave_up);
	if (n)
		cr_info("redeliver", "n=%zu gave_up=%zu deadline_ms=%u", n, gave_up, ip_base_ms(g->pend));
}

/* ---- setup and loop ------------------------------------------------------- */

static void resume_one(void *ctx, uint64_t seq, const char *id)
{
	ip_add(((ingest *)ctx)->pend, seq, id);
}

static cr_err open_all(ingest *g)
{
	char dir[1024];
	cr_err e = CR_OK;
	snprintf(dir, sizeof dir, "%s/ingest", g->cfg->datadir);
	if ((e = ij_open(dir, g->cfg->map_mb, g->cfg->max_map_mb, &g->journal)) != CR_OK)
		return e;
	g->pend = ip_new(g->cfg->window, g->cfg->max_attempts, g->cfg->redeliver_ms);
	if (!g->pend)
		return CR_ENOMEM;
	ij_each_pending(g->journal, resume_one, g);
	/* Submissions waiting while ingest does not read (window and backlog
	 * full): at most SUBMIT_RCVHWM messages per client here, the rest in
	 * the client's own queue. A message may be a batch of up to 64 articles,
	 * so this is what bounds ingest's memory under a flood; replies keep the
	 * larger high-water mark (a client slow to read them loses none). */
	if (!(g->submit = cr_zsocket_hwm(ZMQ_ROUTER, g->cfg->ep.submit, 1, 1000, SUBMIT_RCVHWM, 500, &e)) ||
	    !(g->work = cr_zsocket(ZMQ_PUSH, g->cfg->ep.work, 1, 0, 0, &e)) ||
	    !(g->ack = cr_zsocket(ZMQ_PULL, g->cfg->ep.ack, 1, 1000, 0, &e)))
		return e;
	return CR_OK;
}

cr_err ingest_run(const ingest_config *cfg)
{
	ingest g;
	char host[64] = "localhost";
	cr_err e;

	memset(&g, 0, sizeof g);
	g.cfg = cfg;
	cr_buf_init(&g.art, CR_MAX_FRAME);
	gethostname(host, sizeof host - 1);
	snprintf(g.instance, sizeof g.instance, "%s:%ld", host, (long)getpid());
	if ((e = open_all(&g)) == CR_OK) {
		cr_notice("ready", "submit=%s work=%s ack=%s pending=%zu window=%zu", cfg->ep.submit, cfg->ep.work,
			cfg->ep.ack, ip_queued(g.pend), cfg->window);
		while (!cr_zstopping()) {
			int can_send = ip_next(g.pend) != NULL;
			zmq_pollitem_t it[3] = {
				{g.ack, 0, ZMQ_POLLIN, 0},
				{g.submit, 0, ip_queued(g.pend) < cfg->backlog ? ZMQ_POLLIN : 0, 0},
				{g.work, 0, can_send ? ZMQ_POLLOUT : 0, 0},
			};
			long t = (long)(ip_next_due(g.pend, cr_mono_us(), 200000) / 1000) + 1;
			if (cr_zpoll(it, 3, g.nforget ? 50 : t) < 0)
				continue;
			if (it[0].revents & ZMQ_POLLIN)
				on_ack(&g);
			else if (g.nforget)
				on_ack(&g);
			if (it[1].revents & ZMQ_POLLIN)
				on_submit(&g);
			expire(&g);
			send_some(&g);
			ij_tick(g.journal, cr_mono_us());
		}
		cr_info("stopping", "pending=%zu", ip_inflight(g.pend) + ip_queued(g.pend));
	}
	cr_zclose(&g.submit);
	cr_zclose(&g.work);
	cr_zclose(&g.ack);
	cr_zctx_term();
	ij_close(&g.journal);
	ip_destroy(&g.pend);
	cr_buf_fini(&g.art);
	free(g.forget);
	free(g.forget_dead);
	return e;
}
