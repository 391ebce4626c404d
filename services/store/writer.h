/* The write path: one batch of decoded Work messages -> one LMDB write txn of
 * the main env -> one synced commit (group commit); the batch's index
 * entries are collected in memory and written by st_writer_index, in one txn
 * of the index env committed without fsync (see db.h), at most every
 * index_gap_us: an index txn costs about one page copy per distinct index key
 * it touches, whatever the number of entries, so fewer, larger index txns
 * are much cheaper (it was half of the store's CPU at one per commit).
 * Only after st_writer_commit returns CR_OK may the caller publish res->pubs
 * and send res->acks: nothing in a result describes uncommitted data. Queries
 * never look past indexed_seq (st_writer_indexed), so wake the long polls
 * after st_writer_index. A failed index txn is logged and the next one
 * catches up from `events`.
 *   extraction: stored once per article id (a re-send is acked
 *               DUPLICATE_STORED and writes nothing); each event gets the
 *               next event sequence and its index entries.
 *   rejection:  a dead letter, acked DEAD; nothing written when the id is
 *               already stored (acked DUPLICATE_STORED) or already dead.
 *   stats:      not handled here (the caller keeps them in memory).
 * MDB_MAP_FULL grows the map and replays the whole batch. The Work messages
 * stay owned by the caller and must outlive the result (acks and pubs point
 * into them). */
#ifndef COURANT_STORE_WRITER_H
#define COURANT_STORE_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "courant.pb-c.h"
#include "store/db.h"

typedef struct st_pub {
	uint64_t seq;
	const Courant__Event *ev; /* points into the batch */
	const char *published;    /* the article's, points into the batch */
	void *body;               /* packed EventRecord, owned by the result */
	size_t len;
} st_pub;

typedef struct st_result {
	Courant__AckItem *acks;
	size_t nacks, capacks;
	st_pub *pubs;
	size_t npubs, cappubs;
	uint64_t stored, duplicates, dead, events, grows;
} st_result;

void st_result_init(st_result *r);
void st_result_reset(st_result *r);
void st_result_fini(st_result *r);
/* Move everything of `src` to the end of `dst` (src is left empty). Acks
 * still point into src's batch. */
cr_err st_result_take(st_result *dst, st_result *src);

/* The frame a Work item was decoded from, when the caller still has it: an
 * extraction is then stored as the bytes that arrived instead of being
 * packed again (same message; the codec checked them). */
typedef struct st_raw {
	const void *data;
	size_t len;
} st_raw;

typedef struct st_writer st_writer;

/* Reads the heads and brings the index env up to the events head
 * (st_index_catch_up). For crash tests only: with the environment variable
 * COURANT_STORE_TEST_KILL_AFTER=N the process SIGKILLs itself right after
 * its Nth synced commit, before that batch's index txn. */
st_writer *st_writer_new(st_db *db);
void st_writer_destroy(st_writer **w);

/* Write and commit the batch; raw (may be NULL, or have NULL entries) gives
 * each item's frame, which an item decoded by st_lite_decode_work needs
 * (lite.h: its article lacks the body). On error nothing was committed and the result is empty;
 * the caller may retry later (ingest re-sends anyway). */
cr_err st_writer_commit(st_writer *w, Courant__Work *const *work, const st_raw *raw, size_t n,
			st_result *res);

/* Highest committed event sequence. */
uint64_t st_writer_head(const st_writer *w);
/* Highest event sequence committed to the indexes (what queries see). */
uint64_t st_writer_indexed(const st_writer *w);

/* Minimum time between the starts of two index txns (default 0: one per
 * st_writer_commit). Writes that wait are done by st_writer_index. */
void st_writer_set_index_gap(st_writer *w, unsigned gap_us);
/* Write the collected index entries when `now`, or when index_gap_us has
 * passed since the last index txn. Returns 1 when it wrote (indexed moved
 * or caught up), 0 when nothing was due. st_writer_destroy does it too. */
int st_writer_index(st_writer *w, int now);

#endif
