/* The store's two LMDB environments.
 * <data>/store/ (synced: every commit is durable, what acks promise):
 *   articles  id -> the Extraction as received, or without its events when
 *             they are all in `events` (record.h: the "slim" form, read
 *             back with st_record_append); older stores wrote only the first
 *   (the file's blocks are reserved ahead past its end: main_room in db.c)
 *   urls      fnv64(url) -> id: no longer written (nothing read it; ingest's
 *             journal finds duplicate URLs). Its random keys cost a page
 *             write per article in the synced commit, a quarter of them.
 *   events    seq(u64 BE) -> packed EventRecord
 *   dead      seq(u64 BE) -> packed Rejection  dead_ids id -> seq
 *   meta      "schema" -> u32, "index_boot" -> boot id while the index env
 *             may hold unsynced pages (see below)
 * <data>/store/index/ (MDB_NOSYNC | MDB_WRITEMAP: derived from `events`,
 *   rebuilt if lost; a sparse file as long as its map, see index_room):
 *   ix_country/ix_pair/ix_type/ix_date/ix_person  key -> seq (DUPSORT, DUPFIXED, 8-byte BE)
 *   ix meta   "indexed_seq" -> u64: every event <= it is indexed
 * Keeping the index entries (~5 per event) out of the fsync'd commit is what
 * makes the synced part cheap. A killed process loses nothing of the index
 * env (its pages are in the page cache); an OS crash may damage it. So the
 * open trusts the index env only when its last writer ran under the current
 * boot or closed cleanly (meta "index_boot"), it opens, and its indexed_seq
 * is not beyond the events head; otherwise it is deleted and rebuilt
 * (st_index_catch_up). A thread fsyncs it every few seconds.
 * Sequences only grow, so every index is append-mostly (LMDB 0.9.24 has bugs
 * with some DUPSORT delete patterns; we never delete).
 * Threads: one writer; readers bracket their read txns with st_db_read_begin/
 * st_db_read_end, which holds a shared lock so that st_db_grow (which remaps
 * a file) never runs under a live reader. Values read from LMDB are only
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
	ST_IX_META,
	ST_NDBI
};

enum st_env {
	ST_ENV_MAIN,  /* synced */
	ST_ENV_INDEX, /* MDB_NOSYNC */
	ST_NENV
};

/* A reader's view: one read txn per environment, main first, so that an
 * index seq above the main txn's events head is to be ignored (its event is
 * newer than the reader's snapshot of `events`). */
typedef struct st_rtxn {
	MDB_txn *main;
	MDB_txn *index;
} st_rtxn;

typedef struct st_db st_db;

/* Open (creating) both environments, `dir` and `dir`/index, clear stale
 * reader slots, open every named database, delete an untrusted index env (see
 * above). `mapsize` 0 picks the default (1 GiB); an existing data file at
 * least half that size opens with twice its size. Each map still grows on
 * demand (MDB_MAP_FULL -> st_db_grow). Close syncs the index env. */
cr_err st_db_open(st_db **out, const char *dir, size_t mapsize);
void st_db_close(st_db **db);

MDB_env *st_db_env(st_db *db, enum st_env env);
MDB_dbi st_db_dbi(st_db *db, enum st_dbi which);
/* 1 when the open found no trustworthy index env and started an empty one. */
int st_db_index_fresh(st_db *db);

/* Writer side. begin/commit map LMDB errors; MDB_MAP_FULL is CR_ENOSPC, after
 * which the caller aborts, calls st_db_grow and retries its whole txn. */
cr_err st_db_write_begin(st_db *db, enum st_env env, MDB_txn **txn);
cr_err st_db_commit(MDB_txn *txn);
cr_err st_db_grow(st_db *db, enum st_env env);
size_t st_db_mapsize(st_db *db, enum st_env env);

/* Reader side: read-only txns under the shared remap lock. Always pair. */
cr_err st_db_read_begin(st_db *db, st_rtxn *r);
void st_db_read_end(st_db *db, st_rtxn *r);

/* The index env's indexed_seq (0 when absent), read / written in a txn of
 * the index env. */
uint64_t st_db_indexed_seq(st_db *db, MDB_txn *ixtxn);
cr_err st_db_set_indexed_seq(st_db *db, MDB_txn *ixtxn, uint64_t seq);

/* Keep the file pages mapped by this process under `budget` bytes: when
 * /proc/self/statm counts more shared (file-backed) resident pages, drop the
 * page-table entries of both maps (MADV_DONTNEED). Both are MAP_SHARED file
 * maps (the index env's writable: MDB_WRITEMAP), so this loses nothing: the
 * kernel keeps a dropped page's dirty state, the data stays in the page
 * cache and the next access, by any thread, refaults it. It only keeps what
 * the process is charged for (RSS, VmHWM) bounded as the files grow.
 * Returns 1 when it trimmed. Writer thread, between txns (not during a
 * grow, nor inside an index txn writing through the map). */
int st_db_trim(st_db *db, size_t budget);

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
