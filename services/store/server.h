/* The query side of the store: a thread owning the ROUTER query socket.
 * Each request is [identity][(empty)][packed Query]; the reply keeps the same
 * envelope. EVENTS, ARTICLE, STATS, DEAD_LETTERS, DEAD_LETTER are answered at
 * once from a read txn. FOLLOW is answered at once when something matches;
 * otherwise it is held (identity and query kept, at most ST_FOLLOW_MAX) and
 * answered when a commit brings a matching event or its timeout_ms passes
 * (default ST_FOLLOW_DEFAULT_MS, capped at ST_FOLLOW_MAX_MS), with an empty
 * reply carrying head_seq. The writer wakes the thread with st_server_notify
 * after every index txn; a held FOLLOW never blocks the writer or other queries.
 * Queries see events once indexed, and the writer indexes at most every
 * index gap under load: a query that arrives while committed events wait for
 * their index is held until they are indexed (the writer, asked by
 * st_server_index_wanted, does it at its next loop), so that an event
 * acknowledged or published is never missing from a query's answer. */
#ifndef COURANT_STORE_SERVER_H
#define COURANT_STORE_SERVER_H

#include <stdint.h>

#include "common/err.h"
#include "store/db.h"
#include "store/stats.h"

#define ST_FOLLOW_MAX 1024
#define ST_FOLLOW_DEFAULT_MS 30000u
#define ST_FOLLOW_MAX_MS 300000u

typedef struct st_server st_server;

/* Bind `endpoint` and start the thread. */
cr_err st_server_start(st_server **out, st_db *db, st_stats *stats, const char *endpoint);
/* Tell the query thread that events up to `head` are indexed. Never blocks. */
void st_server_notify(st_server *s, uint64_t head);
/* Writer: events up to `head` are committed to the main env (call before
 * acknowledging or publishing them). */
void st_server_committed(st_server *s, uint64_t head);
/* Writer: 1 (once) when a query waits for the index to reach the committed
 * head. */
int st_server_index_wanted(st_server *s);
/* Answer held requests with what they have, stop and join the thread. */
void st_server_stop(st_server **s);

#endif
