/* Query thread of the store: ROUTER requests and held FOLLOWs (see server.h). */
#include "store/server.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "common/buf.h"
#include "common/codec.h"
#include "common/log.h"
#include "common/zio.h"
#include "store/query.h"

#define ID_MAX 255

struct envelope {
	unsigned char id[ID_MAX];
	size_t idlen;
	int empty; /* a REQ-style empty delimiter frame sits between id and body */
};

struct held {
	struct envelope env;
	Courant__Query *q;
	unsigned long long deadline_us;
	uint64_t want; /* answer once indexed >= want (0: none, a held FOLLOW) */
	unsigned long long want_us; /* ... or at this time, with what is indexed */
};

/* A query that finds committed events not yet indexed waits for them up to
 * this long (the writer indexes at once when asked, st_server_index_wanted):
 * what a writer acknowledged is what a query sees. */
#define INDEX_WAIT_US 200000u

struct st_server {
	st_db *db;
	st_stats *stats;
	void *router, *wake_rx, *wake_tx;
	pthread_t th;
	int started;
	_Atomic uint64_t head;      /* indexed: what queries see */
	_Atomic uint64_t committed; /* events head of the main env */
	_Atomic int wanted;         /* a query waits for the index */
	_Atomic int stop;
	uint64_t seen_head;
	struct held *held;
	int nheld;
	cr_buf out;
};

static void send_reply(st_server *s, const struct envelope *e, const cr_buf *body)
{
	if (zmq_send(s->router, e->id, e->idlen, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0)
		return;
	if (e->empty)
		zmq_send(s->router, "", 0, ZMQ_SNDMORE | ZMQ_DONTWAIT);
	zmq_send(s->router, body->data ? body->data : "", body->len, ZMQ_DONTWAIT);
}

/* Answer q; returns the number of events in the answer (in s->out). */
static size_t answer(st_server *s, const Courant__Query *q)
{
	size_t n = 0;
	uint64_t head = 0;
	cr_buf_reset(&s->out);
	if (st_query_answer(s->db, s->stats, q, &s->out, &n, &head)) {
		cr_buf_reset(&s->out);
		st_query_error(q->client_ref, "internal error", &s->out);
	}
	return n;
}

static void release(st_server *s, int i)
{
	cr_msg_free(&s->held[i].q->base);
	s->held[i] = s->held[--s->nheld];
	atomic_store_explicit(&st_stats_counters(s->stats)->follows_held, (uint64_t)s->nheld,
			      memory_order_relaxed);
}

static void hold(st_server *s, const struct envelope *e, Courant__Query *q, uint64_t want)
{
	unsigned ms = q->has_timeout_ms && q->timeout_ms ? q->timeout_ms : ST_FOLLOW_DEFAULT_MS;
	struct held *h = &s->held[s->nheld++];
	if (ms > ST_FOLLOW_MAX_MS)
		ms = ST_FOLLOW_MAX_MS;
	h->env = *e;
	h->q = q;
	h->deadline_us = cr_mono_us() + (unsigned long long)ms * 1000u;
	h->want = want;
	h->want_us = cr_mono_us() + INDEX_WAIT_US;
	atomic_store_explicit(&st_stats_counters(s->stats)->follows_held, (uint64_t)s->nheld,
			      memory_order_relaxed);
}

static int parse_envelope(cr_zmsg *m, struct envelope *e, int *body)
{
	if (m->dropped || m->n < 2 || m->n > 3 || cr_zmsg_size(m, 0) > ID_MAX)
		return -1;
	if (m->n == 3 && cr_zmsg_size(m, 1) != 0)
		return -1;
	e->idlen = cr_zmsg_size(m, 0);
	memcpy(e->id, cr_zmsg_data(m, 0), e->idlen);
	e->empty = m->n == 3;
	*body = m->n - 1;
	return 0;
}

static void on_request(st_server *s)
{
	cr_zmsg m;
	struct envelope e;
	Courant__Query *q = NULL;
	char why[128];
	int body;

	if (cr_zrecv(s->router, &m, ZMQ_DONTWAIT))
		return;
	atomic_fetch_add_explicit(&st_stats_counters(s->stats)->queries, 1, memory_order_relaxed);
	if (parse_envelope(&m, &e, &body)) {
		atomic_fetch_add_explicit(&st_stats_counters(s->stats)->malformed, 1, memory_order_relaxed);
		goto out;
	}
	if (cr_decode_query(cr_zmsg_data(&m, body), cr_zmsg_size(&m, body), &q, why, sizeof why)) {
		atomic_fetch_add_explicit(&st_stats_counters(s->stats)->malformed, 1, memory_order_relaxed);
		cr_buf_reset(&s->out);
		st_query_error(NULL, why, &s->out);
		send_reply(s, &e, &s->out);
		goto out;
	}
	if (atomic_load(&s->head) < atomic_load(&s->committed) && s->nheld < ST_FOLLOW_MAX) {
		hold(s, &e, q, atomic_load(&s->committed));
		atomic_store(&s->wanted, 1);
		q = NULL;
	} else if (answer(s, q) == 0 && q->kind == COURANT__QUERY_KIND__FOLLOW && s->nheld < ST_FOLLOW_MAX) {
		hold(s, &e, q, 0);
		q = NULL;
	} else {
		send_reply(s, &e, &s->out);
	}
out:
	if (q)
		cr_msg_free(&q->base);
	cr_zmsg_close(&m);
}

/* After a commit or at a deadline: answer what can be answered. */
static void sweep(st_server *s, int all)
{
	uint64_t head = atomic_load(&s->head);
	unsigned long long now = cr_mono_us();
	int moved = head != s->seen_head;

	s->seen_head = head;
	for (int i = 0; i < s->nheld;) {
		struct held *h = &s->held[i];
		int due = all || now >= h->deadline_us;
		int worth = moved && (!h->q->has_after_seq || h->q->after_seq < head);
		if (h->want && head < h->want && !all && now < h->want_us) {
			i++;
			continue;
		}
		if (h->want) { /* indexed now: answer as if it had just come */
			h->want = 0;
			due |= h->q->kind != COURANT__QUERY_KIND__FOLLOW;
			worth = 1;
		}
		if ((due || worth) && (answer(s, h->q) > 0 || due)) {
			send_reply(s, &h->env, &s->out);
			release(s, i);
			continue;
		}
		i++;
	}
}

static long next_timeout_ms(st_server *s)
{
	unsigned long long now = cr_mono_us(), first = now + 1000000u;
	for (int i = 0; i < s->nheld; i++) {
		if (s->held[i].deadline_us < first)
			first = s->held[i].deadline_us;
		if (s->held[i].want && s->held[i].want_us < first)
			first = s->held[i].want_us;
	}
	return first <= now ? 0 : (long)((first - now + 999) / 1000);
}

static void *run(void *arg)
{
	st_server *s = arg;
	zmq_pollitem_t items[2] = {{s->router, 0, ZMQ_POLLIN, 0}, {s->wake_rx, 0, ZMQ_POLLIN, 0}};

	while (!atomic_load(&s->stop)) {
		int rc = zmq_poll(items, 2, next_timeout_ms(s));
		if (rc < 0 && errno != EINTR)
			break;
		if (rc > 0 && (items[1].revents & ZMQ_POLLIN)) {
			char b[16];
			while (zmq_recv(s->wake_rx, b, sizeof b, ZMQ_DONTWAIT) >= 0)
				;
		}
		for (int k = 0; rc > 0 && (items[0].revents & ZMQ_POLLIN) && k < 64; k++) {
			int more = 0;
			size_t ml = sizeof more;
			on_request(s);
			if (zmq_getsockopt(s->router, ZMQ_EVENTS, &more, &ml) || !(more & ZMQ_POLLIN))
				break;
		}
		sweep(s, 0);
	}
	sweep(s, 1);
	return NULL;
}

cr_err st_server_start(st_server **out, st_db *db, st_stats *stats, const char *endpoint)
{
	st_server *s = calloc(1, sizeof *s);
	cr_err err = CR_ENOMEM;
	char inproc[64];

	*out = NULL;
	if (!s || !(s->held = calloc(ST_FOLLOW_MAX, sizeof *s->held)))
		goto out;
	s->db = db;
	s->stats = stats;
	cr_buf_init(&s->out, CR_MAX_FRAME);
	s->router = cr_zsocket(ZMQ_ROUTER, endpoint, 1, 1000, 0, &err);
	if (!s->router)
		goto out;
	snprintf(inproc, sizeof inproc, "inproc://store-wake-%p", (void *)s);
	s->wake_rx = cr_zsocket(ZMQ_PAIR, inproc, 1, 1000, 0, &err);
	if (s->wake_rx)
		s->wake_tx = cr_zsocket(ZMQ_PAIR, inproc, 0, 1000, 0, &err);
	if (!s->wake_tx)
		goto out;
	err = pthread_create(&s->th, NULL, run, s) ? CR_ENOMEM : CR_OK;
	s->started = !err;
out:
	if (err && s)
		st_server_stop(&s);
	*out = s;
	return err;
}

void st_server_committed(st_server *s, uint64_t head)
{
	atomic_store(&s->committed, head);
}

int st_server_index_wanted(st_server *s)
{
	return atomic_exchange(&s->wanted, 0);
}

void st_server_notify(st_server *s, uint64_t head)
{
	atomic_store(&s->head, head);
	zmq_send(s->wake_tx, "w", 1, ZMQ_DONTWAIT);
}

void st_server_stop(st_server **ps)
{
	st_server *s = *ps;
	if (!s)
		return;
	if (s->started) {
		atomic_store(&s->stop, 1);
		zmq_send(s->wake_tx, "s", 1, ZMQ_DONTWAIT);
		pthread_join(s->th, NULL);
	}
	for (int i = s->nheld - 1; i >= 0; i--)
		release(s, i);
	cr_zclose(&s->wake_tx);
	cr_zclose(&s->wake_rx);
	cr_zclose(&s->router);
	cr_buf_fini(&s->out);
	free(s->held);
	free(s);
	*ps = NULL;
}
