/* ca_await: a window of queries in flight over one DEALER; each id goes
 * ARTICLE -> (not there) DEAD_LETTER -> (not there) back to the queue for
 * the next round, a round starting at most every 200 ms. */
#include "cli/await.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/codec.h"
#include "common/log.h"
#include "common/zio.h"

#define WINDOW 32
#define ROUND_US 200000ull

enum { UNKNOWN, ASK_ARTICLE, ASK_DEAD, STORED, DEAD };

typedef struct waiter {
	void *sock;
	char **ids;
	unsigned char *state;
	size_t n, cursor, inflight, resolved;
	size_t *stored, *dead;
} waiter;

static int ask(waiter *w, size_t i, Courant__QueryKind kind)
{
	Courant__Query q = COURANT__QUERY__INIT;
	char ref[24];
	snprintf(ref, sizeof ref, "%zu", i);
	q.version = CR_SCHEMA_VERSION;
	q.kind = kind;
	q.id = w->ids[i];
	q.client_ref = ref;
	if (cr_zsend(w->sock, "", 0, ZMQ_SNDMORE | ZMQ_DONTWAIT) != CR_OK ||
	    cr_zsend_pb(w->sock, &q.base, ZMQ_DONTWAIT) != CR_OK)
		return -1;
	w->state[i] = kind == COURANT__QUERY_KIND__ARTICLE ? ASK_ARTICLE : ASK_DEAD;
	w->inflight++;
	return 0;
}

static void on_answer(waiter *w, const Courant__QueryReply *r)
{
	size_t i = r->client_ref ? (size_t)strtoull(r->client_ref, NULL, 10) : (size_t)-1;
	if (i >= w->n || (w->state[i] != ASK_ARTICLE && w->state[i] != ASK_DEAD))
		return;
	if (w->inflight) /* a late answer after a reset may arrive twice */
		w->inflight--;
	if (w->state[i] == ASK_ARTICLE && r->article) {
		w->state[i] = STORED;
		(*w->stored)++;
		w->resolved++;
	} else if (w->state[i] == ASK_DEAD && r->n_dead) {
		w->state[i] = DEAD;
		(*w->dead)++;
		w->resolved++;
		fprintf(stderr, "courant submit: %s dead-lettered: %s\n", w->ids[i],
			r->dead[0]->rejection->reason ? r->dead[0]->rejection->reason : "?");
	} else if (w->state[i] == ASK_ARTICLE) {
		if (ask(w, i, COURANT__QUERY_KIND__DEAD_LETTER) != 0)
			w->state[i] = UNKNOWN;
	} else {
		w->state[i] = UNKNOWN;
	}
}

/* Start queries for unresolved ids, at most WINDOW in flight. */
static void fill(waiter *w)
{
	while (w->inflight < WINDOW && w->cursor < w->n) {
		size_t i = w->cursor++;
		if (w->state[i] == UNKNOWN && ask(w, i, COURANT__QUERY_KIND__ARTICLE) != 0)
			break;
	}
}

int ca_await(char **ids, size_t n, const char *endpoint, uint64_t timeout_us, size_t *stored, size_t *dead)
{
	waiter w = {NULL, ids, calloc(n ? n : 1, 1), n, 0, 0, 0, stored, dead};
	uint64_t last_progress = cr_mono_us(), round_start = 0;
	size_t last_resolved = 0;
	int rc = -1;
	cr_err e;

	if (!w.state || !(w.sock = cr_zsocket(ZMQ_DEALER, endpoint, 0, 2 * WINDOW, 0, &e)))
		goto out;
	while (!cr_zstopping() && w.resolved < n) {
		zmq_pollitem_t it = {w.sock, 0, ZMQ_POLLIN, 0};
		cr_zmsg m;
		uint64_t now = cr_mono_us();
		if (w.cursor >= n && !w.inflight && now - round_start >= ROUND_US) {
			w.cursor = 0; /* next round over what is still unknown */
			round_start = now;
		}
		fill(&w);
		if (cr_zpoll(&it, 1, 100) > 0)
			while (cr_zrecv(w.sock, &m, ZMQ_DONTWAIT) == CR_OK) {
				Courant__QueryReply *r;
				if (cr_decode_query_reply(cr_zmsg_data(&m, m.n - 1), cr_zmsg_size(&m, m.n - 1), &r, NULL, 0) ==
				    CR_OK) {
					on_answer(&w, r);
					cr_msg_free(&r->base);
				}
				cr_zmsg_close(&m);
			}
		if (w.resolved != last_resolved) {
			last_resolved = w.resolved;
			last_progress = cr_mono_us();
		} else if (cr_mono_us() - last_progress > timeout_us) {
			fprintf(stderr, "courant submit: timed out waiting: %zu of %zu articles not in the store\n",
				n - w.resolved, n);
			goto out;
		} else if (w.inflight && cr_mono_us() - last_progress > 5000000u) {
			/* answers lost (store restarted): ask again, even mid-round,
			 * since a full window of lost queries would block fill() */
			for (size_t i = 0; i < n; i++)
				if (w.state[i] == ASK_ARTICLE || w.state[i] == ASK_DEAD)
					w.state[i] = UNKNOWN;
			w.inflight = 0;
		}
	}
	rc = w.resolved == n ? 0 : -1;
out:
	cr_zclose(&w.sock);
	free(w.state);
	return rc;
}
