/* Store counters and the table of worker heartbeats (see stats.h). */
#include "store/stats.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "common/codec.h"

#define MAX_STATS_BYTES (64u << 10)

struct worker {
	char key[160];   /* service/instance */
	uint64_t at_us;
	void *packed;
	size_t len;
};

struct st_stats {
	st_counters c;
	pthread_mutex_t mu;
	struct worker w[ST_WORKERS_MAX];
	int nw;
	char instance[96];
};

static uint64_t now_us(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec;
}

st_stats *st_stats_new(void)
{
	st_stats *s = calloc(1, sizeof *s);
	char host[64] = "localhost";
	if (!s)
		return NULL;
	pthread_mutex_init(&s->mu, NULL);
	gethostname(host, sizeof host - 1);
	snprintf(s->instance, sizeof s->instance, "%s:%d", host, (int)getpid());
	return s;
}

void st_stats_destroy(st_stats **ps)
{
	st_stats *s = *ps;
	if (!s)
		return;
	for (int i = 0; i < s->nw; i++)
		free(s->w[i].packed);
	pthread_mutex_destroy(&s->mu);
	free(s);
	*ps = NULL;
}

st_counters *st_stats_counters(st_stats *s)
{
	return &s->c;
}

cr_err st_stats_remember(st_stats *s, const Courant__Stats *st)
{
	char key[160];
	size_t len = protobuf_c_message_get_packed_size(&st->base);
	void *packed;
	int slot = -1;

	if (len > MAX_STATS_BYTES)
		return CR_ETOOBIG;
	snprintf(key, sizeof key, "%.63s/%.90s", st->service, st->instance ? st->instance : "");
	packed = malloc(len ? len : 1);
	if (!packed)
		return CR_ENOMEM;
	protobuf_c_message_pack(&st->base, packed);
	pthread_mutex_lock(&s->mu);
	for (int i = 0; i < s->nw && slot < 0; i++)
		if (!strcmp(s->w[i].key, key))
			slot = i;
	if (slot < 0 && s->nw < ST_WORKERS_MAX)
		slot = s->nw++;
	if (slot < 0) { /* full: replace the stalest */
		slot = 0;
		for (int i = 1; i < s->nw; i++)
			if (s->w[i].at_us < s->w[slot].at_us)
				slot = i;
	}
	free(s->w[slot].packed);
	snprintf(s->w[slot].key, sizeof s->w[slot].key, "%s", key);
	s->w[slot].packed = packed;
	s->w[slot].len = len;
	s->w[slot].at_us = now_us();
	pthread_mutex_unlock(&s->mu);
	return CR_OK;
}

static Courant__Stats *own_stats(st_stats *s, uint64_t articles, uint64_t events, uint64_t dead,
				 uint64_t head_seq)
{
	const struct {
		const char *name;
		uint64_t v;
	} rows[] = {
		{"articles", articles},
		{"events", events},
		{"dead_letters", dead},
		{"head_seq", head_seq},
		{"received", atomic_load_explicit(&s->c.received, memory_order_relaxed)},
		{"stored", atomic_load_explicit(&s->c.stored, memory_order_relaxed)},
		{"duplicates", atomic_load_explicit(&s->c.duplicates, memory_order_relaxed)},
		{"dead_written", atomic_load_explicit(&s->c.dead_written, memory_order_relaxed)},
		{"events_written", atomic_load_explicit(&s->c.events_written, memory_order_relaxed)},
		{"commits", atomic_load_explicit(&s->c.commits, memory_order_relaxed)},
		{"commit_ms", atomic_load_explicit(&s->c.commit_us, memory_order_relaxed) / 1000},
		{"commit_us_last", atomic_load_explicit(&s->c.commit_us_last, memory_order_relaxed)},
		{"map_grows", atomic_load_explicit(&s->c.map_grows, memory_order_relaxed)},
		{"map_trims", atomic_load_explicit(&s->c.map_trims, memory_order_relaxed)},
		{"malformed", atomic_load_explicit(&s->c.malformed, memory_order_relaxed)},
		{"acks_sent", atomic_load_explicit(&s->c.acks_sent, memory_order_relaxed)},
		{"acks_dropped", atomic_load_explicit(&s->c.acks_dropped, memory_order_relaxed)},
		{"published", atomic_load_explicit(&s->c.published, memory_order_relaxed)},
		{"queries", atomic_load_explicit(&s->c.queries, memory_order_relaxed)},
		{"follows_held", atomic_load_explicit(&s->c.follows_held, memory_order_relaxed)},
		{"worker_stats", atomic_load_explicit(&s->c.worker_stats, memory_order_relaxed)},
	};
	size_t n = sizeof rows / sizeof rows[0];
	Courant__Stats *st = calloc(1, sizeof *st);
	Courant__Counter *cs = calloc(n, sizeof *cs);
	Courant__Counter **cp = calloc(n, sizeof *cp);

	if (!st || !cs || !cp) {
		free(st);
		free(cs);
		free(cp);
		return NULL;
	}
	courant__stats__init(st);
	st->version = CR_SCHEMA_VERSION;
	st->service = "store";
	st->instance = s->instance;
	st->has_at_us = 1;
	st->at_us = now_us();
	for (size_t i = 0; i < n; i++) {
		courant__counter__init(&cs[i]);
		cs[i].name = (char *)rows[i].name;
		cs[i].value = rows[i].v;
		cp[i] = &cs[i];
	}
	st->counters = cp;
	st->n_counters = n;
	return st;
}

cr_err st_stats_fill(st_stats *s, Courant__QueryReply *reply, uint64_t articles, uint64_t events,
		     uint64_t dead, uint64_t head_seq)
{
	Courant__Stats **all = calloc(ST_WORKERS_MAX + 1, sizeof *all);
	size_t n = 0;

	if (!all)
		return CR_ENOMEM;
	all[n] = own_stats(s, articles, events, dead, head_seq);
	if (!all[n]) {
		free(all);
		return CR_ENOMEM;
	}
	n++;
	pthread_mutex_lock(&s->mu);
	for (int i = 0; i < s->nw; i++) {
		Courant__Stats *w = courant__stats__unpack(NULL, s->w[i].len, s->w[i].packed);
		if (w)
			all[n++] = w;
	}
	pthread_mutex_unlock(&s->mu);
	reply->stats = all;
	reply->n_stats = n;
	return CR_OK;
}

void st_stats_reply_free(Courant__QueryReply *reply)
{
	if (!reply->stats)
		return;
	if (reply->n_stats) {
		Courant__Stats *own = reply->stats[0];
		free(own->counters[0]);
		free(own->counters);
		free(own);
	}
	for (size_t i = 1; i < reply->n_stats; i++)
		courant__stats__free_unpacked(reply->stats[i], NULL);
	free(reply->stats);
	reply->stats = NULL;
	reply->n_stats = 0;
}
