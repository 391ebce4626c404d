/* courant client library: DEALER requests to the store's query ROUTER, durable
 * follow by FOLLOW long polls, re-submission to ingest (see courant_client.h). */
#include "client/courant_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "common/codec.h"
#include "common/endpoints.h"
#include "common/zio.h"

#define FOLLOW_HOLD_MS 5000   /* server-side hold per FOLLOW request */
#define FOLLOW_SLACK_MS 3000  /* extra wait before assuming the request was lost */
#define FOLLOW_BATCH 1000
#define MAX_FILTER_VALUES 64

struct owned_filter {
	char *types[MAX_FILTER_VALUES], *countries[MAX_FILTER_VALUES], *pair[2];
	size_t n_types, n_countries, n_pair;
	char *date_from, *date_to, *person;
};

struct cc_client {
	void *query, *submit;
	int timeout_ms;
	uint64_t ref;
	struct owned_filter f;
	uint64_t cursor, head;
	Courant__QueryReply *batch; /* current FOLLOW reply */
	size_t next;
	char error[256];
};

cc_client *cc_client_connect(const char *query_ep, const char *submit_ep, cr_err *err)
{
	cc_client *c = calloc(1, sizeof *c);
	*err = CR_ENOMEM;
	if (!c)
		return NULL;
	c->timeout_ms = 5000;
	c->query = cr_zsocket(ZMQ_DEALER, query_ep, 0, 1000, 0, err);
	if (c->query && submit_ep)
		c->submit = cr_zsocket(ZMQ_DEALER, submit_ep, 0, 1000, 0, err);
	if (!c->query || (submit_ep && !c->submit))
		cc_client_destroy(&c);
	return c;
}

cc_client *cc_client_new(const char *datadir, cr_err *err)
{
	cr_endpoints ep;
	*err = cr_endpoints_init(&ep, cr_datadir(datadir));
	if (*err)
		return NULL;
	return cc_client_connect(ep.query, ep.submit, err);
}

static void filter_clear(struct owned_filter *f)
{
	for (size_t i = 0; i < f->n_types; i++)
		free(f->types[i]);
	for (size_t i = 0; i < f->n_countries; i++)
		free(f->countries[i]);
	for (size_t i = 0; i < f->n_pair; i++)
		free(f->pair[i]);
	free(f->date_from);
	free(f->date_to);
	free(f->person);
	memset(f, 0, sizeof *f);
}

void cc_client_destroy(cc_client **pc)
{
	cc_client *c = *pc;
	if (!c)
		return;
	cc_reply_free(&c->batch);
	filter_clear(&c->f);
	cr_zclose(&c->query);
	cr_zclose(&c->submit);
	free(c);
	*pc = NULL;
}

void cc_set_timeout(cc_client *c, int ms)
{
	c->timeout_ms = ms > 0 ? ms : 5000;
}

const char *cc_last_error(const cc_client *c)
{
	return c->error;
}

uint64_t cc_cursor(const cc_client *c)
{
	return c->cursor;
}

uint64_t cc_head(const cc_client *c)
{
	return c->head;
}

static int dup_list(char **dst, size_t *n, const char *const *src, size_t m)
{
	if (m > MAX_FILTER_VALUES)
		return -1;
	for (size_t i = 0; i < m; i++)
		if (src[i] && !(dst[(*n)++] = strdup(src[i])))
			return -1;
	return 0;
}

static char *dup_opt(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}

static cr_err filter_copy(struct owned_filter *f, const cc_filter *in)
{
	filter_clear(f);
	if (!in)
		return CR_OK;
	if (dup_list(f->types, &f->n_types, in->types, in->n_types) ||
	    dup_list(f->countries, &f->n_countries, in->countries, in->n_countries) ||
	    (in->pair[0] && in->pair[1] && dup_list(f->pair, &f->n_pair, in->pair, 2))) {
		filter_clear(f);
		return CR_EINVAL;
	}
	f->date_from = dup_opt(in->date_from);
	f->date_to = dup_opt(in->date_to);
	f->person = dup_opt(in->person);
	return CR_OK;
}

cr_err cc_set_filter(cc_client *c, const cc_filter *f)
{
	return filter_copy(&c->f, f);
}

static void query_filter(Courant__Query *q, const struct owned_filter *f)
{
	q->types = (char **)f->types;
	q->n_types = f->n_types;
	q->countries = (char **)f->countries;
	q->n_countries = f->n_countries;
	q->pair = (char **)f->pair;
	q->n_pair = f->n_pair;
	q->date_from = f->date_from;
	q->date_to = f->date_to;
	q->person = f->person;
}

/* Send q and wait up to wait_ms for the reply carrying its client_ref;
 * replies to earlier (abandoned) requests are discarded. */
static cr_err request(cc_client *c, Courant__Query *q, int wait_ms, Courant__QueryReply **out)
{
	char ref[32];
	unsigned long long deadline = cr_mono_us() + (unsigned long long)wait_ms * 1000u;
	cr_err err;

	*out = NULL;
	c->error[0] = '\0';
	snprintf(ref, sizeof ref, "cc-%llu", (unsigned long long)++c->ref);
	q->version = CR_SCHEMA_VERSION;
	q->client_ref = ref;
	err = cr_zsend_pb(c->query, &q->base, ZMQ_DONTWAIT);
	if (err)
		return err == CR_EAGAIN ? CR_ETIMEDOUT : err;
	for (;;) {
		zmq_pollitem_t it = {c->query, 0, ZMQ_POLLIN, 0};
		unsigned long long now = cr_mono_us();
		Courant__QueryReply *r = NULL;
		cr_zmsg m;
		int rc;
		if (now >= deadline)
			return CR_ETIMEDOUT;
		rc = cr_zpoll(&it, 1, (long)((deadline - now) / 1000 + 1));
		if (rc < 0)
			return CR_EINTR;
		if (rc == 0 || cr_zrecv(c->query, &m, ZMQ_DONTWAIT))
			continue;
		if (m.n >= 1)
			cr_decode_query_reply(cr_zmsg_data(&m, m.n - 1), cr_zmsg_size(&m, m.n - 1), &r, NULL, 0);
		cr_zmsg_close(&m);
		if (r && r->client_ref && !strcmp(r->client_ref, ref)) {
			if (r->has_head_seq)
				c->head = r->head_seq;
			if (r->error) {
				snprintf(c->error, sizeof c->error, "%s", r->error);
				err = strstr(r->error, "not found") ? CR_ENOTFOUND : CR_EINVAL;
				cr_msg_free(&r->base);
				return err;
			}
			*out = r;
			return CR_OK;
		}
		if (r)
			cr_msg_free(&r->base);
	}
}

void cc_reply_free(Courant__QueryReply **r)
{
	if (*r)
		cr_msg_free(&(*r)->base);
	*r = NULL;
}

cr_err cc_events(cc_client *c, const cc_filter *f, uint64_t after_seq, uint32_t limit,
		 Courant__QueryReply **out)
{
	Courant__Query q = COURANT__QUERY__INIT;
	struct owned_filter of = {0};
	cr_err err = filter_copy(&of, f);
	if (!err) {
		query_filter(&q, &of);
		q.kind = COURANT__QUERY_KIND__EVENTS;
		q.has_after_seq = 1;
		q.after_seq = after_seq;
		q.has_limit = limit > 0;
		q.limit = limit;
		err = request(c, &q, c->timeout_ms, out);
	}
	filter_clear(&of);
	return err;
}

static cr_err simple(cc_client *c, Courant__QueryKind kind, const char *id, uint64_t after,
		     uint32_t limit, Courant__QueryReply **out)
{
	Courant__Query q = COURANT__QUERY__INIT;
	q.kind = kind;
	q.id = (char *)id;
	q.has_after_seq = after > 0;
	q.after_seq = after;
	q.has_limit = limit > 0;
	q.limit = limit;
	return request(c, &q, c->timeout_ms, out);
}

cr_err cc_article(cc_client *c, const char *id, Courant__QueryReply **out)
{
	return simple(c, COURANT__QUERY_KIND__ARTICLE, id, 0, 0, out);
}

cr_err cc_stats(cc_client *c, Courant__QueryReply **out)
{
	return simple(c, COURANT__QUERY_KIND__STATS, NULL, 0, 0, out);
}

cr_err cc_dead_letters(cc_client *c, uint64_t after_seq, uint32_t limit, Courant__QueryReply **out)
{
	return simple(c, COURANT__QUERY_KIND__DEAD_LETTERS, NULL, after_seq, limit, out);
}

cr_err cc_dead_letter(cc_client *c, const char *id, Courant__QueryReply **out)
{
	return simple(c, COURANT__QUERY_KIND__DEAD_LETTER, id, 0, 0, out);
}

cr_err cc_fetch_head(cc_client *c, uint64_t *head)
{
	Courant__QueryReply *r = NULL;
	/* an EVENTS query past every sequence returns nothing but head_seq */
	cr_err err = simple(c, COURANT__QUERY_KIND__EVENTS, NULL, UINT64_MAX - 1, 1, &r);
	if (!err)
		*head = r->head_seq;
	cc_reply_free(&r);
	return err;
}

cr_err cc_follow(cc_client *c, uint64_t after_seq)
{
	cc_reply_free(&c->batch);
	c->next = 0;
	if (after_seq == CC_FROM_HEAD)
		return cc_fetch_head(c, &c->cursor);
	c->cursor = after_seq;
	return CR_OK;
}

/* One FOLLOW long poll of at most hold_ms; fills c->batch. */
static cr_err follow_once(cc_client *c, int hold_ms)
{
	Courant__Query q = COURANT__QUERY__INIT;
	cr_err err;
	query_filter(&q, &c->f);
	q.kind = COURANT__QUERY_KIND__FOLLOW;
	q.has_after_seq = 1;
	q.after_seq = c->cursor;
	q.has_limit = 1;
	q.limit = FOLLOW_BATCH;
	q.has_timeout_ms = 1;
	q.timeout_ms = (uint32_t)hold_ms;
	cc_reply_free(&c->batch);
	c->next = 0;
	err = request(c, &q, hold_ms + FOLLOW_SLACK_MS, &c->batch);
	return err;
}

cr_err cc_next(cc_client *c, int timeout_ms, const Courant__EventRecord **out)
{
	unsigned long long deadline = cr_mono_us() + (unsigned long long)(timeout_ms < 0 ? 0 : timeout_ms) * 1000u;

	*out = NULL;
	for (;;) {
		long left;
		cr_err err;
		while (c->batch && c->next < c->batch->n_events) {
			const Courant__EventRecord *e = c->batch->events[c->next++];
			if (e->seq <= c->cursor) /* never go backwards: no duplicates */
				continue;
			c->cursor = e->seq;
			*out = e;
			return CR_OK;
		}
		left = timeout_ms < 0 ? FOLLOW_HOLD_MS : (long)((deadline - cr_mono_us()) / 1000);
		if (timeout_ms >= 0 && (cr_mono_us() >= deadline || left <= 0))
			return CR_ETIMEDOUT;
		if (cr_zstopping())
			return CR_EINTR;
		err = follow_once(c, left > FOLLOW_HOLD_MS ? FOLLOW_HOLD_MS : (int)left);
		if (err == CR_EINTR || err == CR_EINVAL)
			return err;
		/* CR_ETIMEDOUT: the store may have restarted; ask again */
	}
}

cr_err cc_submit(cc_client *c, const Courant__Submit *s, Courant__SubmitReply **out)
{
	unsigned long long deadline = cr_mono_us() + (unsigned long long)c->timeout_ms * 1000u;
	cr_err err;

	*out = NULL;
	if (!c->submit)
		return CR_EINVAL;
	err = cr_zsend_pb(c->submit, &s->base, 0);
	while (!err) {
		zmq_pollitem_t it = {c->submit, 0, ZMQ_POLLIN, 0};
		unsigned long long now = cr_mono_us();
		cr_zmsg m;
		int rc;
		if (now >= deadline)
			return CR_ETIMEDOUT;
		rc = cr_zpoll(&it, 1, (long)((deadline - now) / 1000 + 1));
		if (rc < 0)
			return CR_EINTR;
		if (rc == 0 || cr_zrecv(c->submit, &m, ZMQ_DONTWAIT))
			continue;
		err = m.n >= 1 ? cr_decode_submit_reply(cr_zmsg_data(&m, m.n - 1), cr_zmsg_size(&m, m.n - 1),
							out, c->error, sizeof c->error)
			       : CR_EPROTO;
		cr_zmsg_close(&m);
		if (!err && s->client_ref && (*out)->client_ref && strcmp(s->client_ref, (*out)->client_ref)) {
			cc_submit_reply_free(out); /* an answer to someone else's earlier request */
			continue;
		}
		return err;
	}
	return err;
}

void cc_submit_reply_free(Courant__SubmitReply **r)
{
	if (*r)
		cr_msg_free(&(*r)->base);
	*r = NULL;
}
