/* Answers to Query messages, each from its own short read txn (readers never
 * block the writer). Replies are built already packed: stored EventRecord,
 * Extraction and Rejection bytes are copied into the reply as length-
 * delimited fields without being unpacked, which is what makes catch-up fast.
 * Limits: EVENTS/FOLLOW return at most ST_QUERY_MAX_LIMIT events (default
 * ST_QUERY_DEFAULT_LIMIT) and about ST_QUERY_MAX_BYTES of them. */
#ifndef COURANT_STORE_QUERY_H
#define COURANT_STORE_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "courant.pb-c.h"
#include "common/buf.h"
#include "store/db.h"
#include "store/stats.h"

#define ST_QUERY_DEFAULT_LIMIT 1000u
#define ST_QUERY_MAX_LIMIT 10000u
#define ST_QUERY_MAX_BYTES (16u << 20)

/* Answer `q` (any kind; FOLLOW is answered like EVENTS, the caller decides
 * whether to hold it when *nevents is 0). The packed QueryReply is appended
 * to `out`; a refused query still yields a reply with `error` set. *head is
 * the highest event sequence both committed and indexed in the reader's
 * txns (the reply's head_seq); no event above it is returned. */
cr_err st_query_answer(st_db *db, st_stats *stats, const Courant__Query *q, cr_buf *out,
		       size_t *nevents, uint64_t *head);

/* A packed reply that only carries `error` (client_ref may be NULL). */
cr_err st_query_error(const char *client_ref, const char *error, cr_buf *out);

#endif
