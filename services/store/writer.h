/* The write path: one batch of decoded Work messages -> one LMDB write txn ->
 * one synced commit (group commit). Only after st_writer_commit returns CR_OK
 * may the caller publish res->pubs and send res->acks: nothing in a result
 * describes uncommitted data.
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

typedef struct st_writer st_writer;

st_writer *st_writer_new(st_db *db);
void st_writer_destroy(st_writer **w);

/* Write and commit the batch. On error nothing was committed and the result
 * is empty; the caller may retry later (ingest re-sends anyway). */
cr_err st_writer_commit(st_writer *w, Courant__Work *const *work, size_t n, st_result *res);

/* Highest committed event sequence. */
uint64_t st_writer_head(const st_writer *w);

#endif
