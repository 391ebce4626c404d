/* Store counters and the latest Stats heartbeat of every worker instance.
 * Counters are written by the writer thread and read by the query thread
 * (relaxed atomics: they are monotonic tallies, not synchronisation).
 * The worker table is guarded by its own mutex and bounded (ST_WORKERS_MAX
 * instances; the oldest entry is replaced when full). */
#ifndef COURANT_STORE_STATS_H
#define COURANT_STORE_STATS_H

#include <stdatomic.h>
#include <stdint.h>

#include "courant.pb-c.h"
#include "common/err.h"

#define ST_WORKERS_MAX 256

typedef struct st_counters {
	_Atomic uint64_t received;     /* frames on store-in */
	_Atomic uint64_t stored;       /* articles written */
	_Atomic uint64_t duplicates;   /* articles already stored (re-sends) */
	_Atomic uint64_t dead_written; /* dead letters written */
	_Atomic uint64_t events_written;
	_Atomic uint64_t commits;
	_Atomic uint64_t commit_us;    /* total time in commit, microseconds */
	_Atomic uint64_t commit_us_last;
	_Atomic uint64_t map_grows;
	_Atomic uint64_t map_trims;    /* st_db_trim: mapped file pages dropped */
	_Atomic uint64_t malformed;    /* junk frames on any socket */
	_Atomic uint64_t acks_sent;
	_Atomic uint64_t acks_dropped; /* ingest not reachable: it will re-send */
	_Atomic uint64_t published;    /* PUB messages (one per topic copy) */
	_Atomic uint64_t queries;
	_Atomic uint64_t follows_held;
	_Atomic uint64_t worker_stats; /* Stats heartbeats received */
} st_counters;

typedef struct st_stats st_stats;

st_stats *st_stats_new(void);
void st_stats_destroy(st_stats **s);
st_counters *st_stats_counters(st_stats *s);

/* Keep a copy of `s` as the latest for (service, instance). */
cr_err st_stats_remember(st_stats *s, const Courant__Stats *st);

/* Append to reply->stats: first the store's own Stats (counters plus the
 * given totals read from LMDB), then every remembered worker Stats.
 * The messages added are malloc'd; free them with st_stats_reply_free. */
cr_err st_stats_fill(st_stats *s, Courant__QueryReply *reply, uint64_t articles, uint64_t events,
		     uint64_t dead, uint64_t head_seq);
void st_stats_reply_free(Courant__QueryReply *reply);

#endif
