/* The store's main loop (writer thread): PULL store-in, group commit, then
 * publish and acknowledge. One iteration:
 *   1. wait for a frame on store-in (or a stop signal);
 *   2. drain what is queued, up to ST_BATCH_MAX frames or ST_BATCH_BYTES: junk is counted
 *      (malformed) and dropped, Work{stats} is remembered in memory, the rest
 *      joins the batch (with its frame: articles are stored as they arrived);
 *      a batch under ST_GAP_BATCH items waits until commit_gap_us after the
 *      previous commit started, then drains again (under load only);
 *   3. st_writer_commit: one txn, one synced commit; when a batch fails for
 *      another reason than a full disk (e.g. MDB_TXN_FULL, a value LMDB
 *      refuses), its items are committed one by one and an item that still
 *      fails becomes a dead letter (stage "store"), so that one bad article
 *      can never block the others forever;
 *   4. only then PUB the events, PUSH one Ack with every item to ingest
 *      (non-blocking: when ingest is away the Ack is dropped and counted; its
 *      re-send will be acked DUPLICATE_STORED), and trim the maps' resident
 *      pages to map_budget (st_db_trim);
 *   5. write the collected index entries when index_gap_us has passed since
 *      the last index txn, when store-in stays empty for IDLE_MS, or when
 *      a query waits for them (server.h); then wake the query thread.
 * A stop signal lets the current batch finish before st_intake_run returns. */
#ifndef COURANT_STORE_INTAKE_H
#define COURANT_STORE_INTAKE_H

#include "common/err.h"
#include "store/db.h"
#include "store/server.h"
#include "store/stats.h"

#define ST_BATCH_MAX 512
#define ST_BATCH_BYTES (64u << 20)
#define ST_GAP_BATCH 64 /* a batch this big commits without waiting for company */

typedef struct st_intake_cfg {
	void *pull;   /* store-in, bound */
	void *ack;    /* PUSH to ingest's ack endpoint, connected */
	void *pub;    /* events XPUB, bound (may be NULL): see publish.h */
	st_db *db;
	st_stats *stats;
	st_server *server;
	unsigned commit_gap_us; /* min. time between commit starts under load, 0 = none */
	unsigned index_gap_us;  /* min. time between index txns under load (writer.h) */
	size_t map_budget;      /* st_db_trim budget (bytes) after each commit, 0 = never trim */
} st_intake_cfg;

/* Run until a stop signal. Returns CR_OK on a clean stop. */
cr_err st_intake_run(const st_intake_cfg *cfg);

#endif
