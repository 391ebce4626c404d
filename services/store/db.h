/* The store's LMDB environment (<data>/store/): one env, named databases.
 *   articles  id -> packed Extraction          urls    fnv64(url) -> id
 *   events    seq(u64 BE) -> packed EventRecord
 *   ix_country/ix_pair/ix_type/ix_date/ix_person  key -> seq (DUPSORT, DUPFIXED, 8-byte BE)
 *   dead      seq(u64 BE) -> packed Rejection  dead_ids id -> seq
 *   meta      "schema" -> u32
 * Sequences only grow, so every index is append-mostly (LMDB 0.9.24 has bugs
 * with some DUPSORT delete patterns; we never delete).
 * Threads: one writer; readers bracket their read txns with st_db_read_begin/
 * st_db_read_end, which holds a shared lock so that st_db_grow (which remaps
 * the file) never runs under a live reader. Values read from LMDB are only
 * valid until their txn ends: copy or unpack them before. */
#ifndef COURANT_STORE_DB_H
#define COURANT_STORE_DB_H

#include <stdint.h>
#include <stddef.h>
#include <lmdb.h>

#include "common/err.h"

enum st_dbi {
	ST_ARTICLES,
	ST_URLS,
	ST_EVENTS,
	ST_IX_COUNTRY,
	ST_IX_PAIR,
	ST_IX_TYPE,
	ST_IX_DATE,
	ST_IX_PERSON,
	ST_DEAD,
	ST_DEAD_IDS,
	ST_META,
	ST_NDBI
};

typedef struct st_db st_db;

/* Open (creating) the environment in `dir`, clear stale reader slots, open
 * every named database. `mapsize` 0 picks the default (1 GiB); an existing
 * data file at least half that size opens with twice its size. The map still
 * grows on demand (MDB_MAP_FULL -> st_db_grow). */
cr_err st_db_open(st_db **out, const char *dir, size_t mapsize);
void st_db_close(st_db **db);

MDB_env *st_db_env(st_db *db);
MDB_dbi st_db_dbi(st_db *db, enum st_dbi which);

/* Writer side. begin/commit map LMDB errors; MDB_MAP_FULL is CR_ENOSPC, after
 * which the caller aborts, calls st_db_grow and retries its whole batch. */
cr_err st_db_write_begin(st_db *db, MDB_txn **txn);
cr_err st_db_commit(MDB_txn *txn);
cr_err st_db_grow(st_db *db);
size_t st_db_mapsize(st_db *db);

/* Reader side: a read-only txn under the shared remap lock. Always pair. */
cr_err st_db_read_begin(st_db *db, MDB_txn **txn);
void st_db_read_end(st_db *db, MDB_txn **txn);

/* Highest key of a u64-keyed database (events, dead), 0 when empty. */
uint64_t st_db_last_seq(MDB_txn *txn, MDB_dbi dbi);
/* Number of entries of a database (keys, or key/value pairs when DUPSORT). */
uint64_t st_db_count(MDB_txn *txn, MDB_dbi dbi);

/* u64 <-> 8 bytes big-endian, so that memcmp order is numeric order. */
void st_be64_put(unsigned char out[8], uint64_t v);
uint64_t st_be64_get(const void *p);

/* Map an LMDB return code to cr_err (MDB_MAP_FULL -> CR_ENOSPC, ...). */
cr_err st_db_err(int rc);

#endif
