/* Secondary index keys of an event, shared by the writer (which puts
 * key -> seq into the DUPSORT indexes) and the query planner (which looks the
 * same keys up), so that both always agree on the key grammar:
 *   ix_country  every actor/recipient code ("MLI", "IGO:UN"), deduplicated
 *   ix_pair     "A|B" for each unordered pair of distinct codes, A < B
 *   ix_type     the PLOVER type
 *   ix_date     the event date (else the article's published date), <= 10 chars
 *   ix_person   each folded name token (lower case, Latin accents removed) */
#ifndef COURANT_STORE_INDEX_H
#define COURANT_STORE_INDEX_H

#include <stdint.h>
#include <lmdb.h>

#include "courant.pb-c.h"
#include "store/db.h"

#define ST_KEY_MAX 80    /* any index key, with its NUL */
#define ST_CODES_MAX 16  /* codes per event considered for indexing */

/* The distinct valid codes among actor and recipient, in first-seen order.
 * Returns how many were written to codes[] (at most ST_CODES_MAX). */
int st_index_codes(const Courant__Event *ev, char codes[][ST_KEY_MAX]);

/* "A|B" with A < B into out; 0 on success, -1 when a code is invalid. */
int st_index_pair_key(const char *a, const char *b, char out[ST_KEY_MAX]);

/* The date key of an event ("" when it has none). */
void st_index_date_key(const Courant__Event *ev, const char *published, char out[ST_KEY_MAX]);

/* Split `name` into folded tokens of >= 2 bytes; returns the count written
 * (at most `max`). */
int st_index_person_tokens(const char *name, char out[][ST_KEY_MAX], int max);

/* 1 when `code` may be an index key (1..32 printable bytes, no '|'). */
int st_index_code_ok(const char *code);

/* The index entries of a batch of events, collected, then written in
 * (index, key, seq) order: LMDB then finds each key from the cursor's page
 * instead of from the root, and appends each seq after the key's last one
 * (MDB_APPENDDUP: sequences only grow). Memory is kept for the next batch. */
typedef struct st_index_batch st_index_batch;

st_index_batch *st_index_batch_new(void);
void st_index_batch_destroy(st_index_batch **b);
/* Forget the entries added (after an error). */
void st_index_batch_reset(st_index_batch *b);
/* Add every index entry of event `seq`. */
cr_err st_index_batch_add(st_index_batch *b, const Courant__Event *ev, const char *published,
			  uint64_t seq);
/* Put the entries into a write txn of the index env; the batch is empty
 * afterwards, also on error. */
cr_err st_index_batch_write(st_index_batch *b, st_db *db, MDB_txn *ixtxn);

/* Bring the index env up to the committed events: index every event after
 * its indexed_seq up to `upto`, read back from `events`, in txns of bounded
 * size that each advance indexed_seq (so an interrupted catch-up resumes),
 * growing the index map when full. Used at start (after a kill between the
 * two commits, or on a fresh index env) and after a failed index txn.
 * *indexed is set to the indexed_seq reached. */
cr_err st_index_catch_up(st_db *db, uint64_t upto, uint64_t *indexed);

#endif
