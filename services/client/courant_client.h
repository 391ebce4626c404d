/* courant client library: the one public header for programs that read from
 * the store (and re-submit to ingest). The `courant` CLI is built on it.
 *
 *   cr_err err;
 *   cc_client *c = cc_client_new(NULL, &err);        // $COURANT_DATA or ./courant-data
 *   const char *types[] = {"CONSULT"}, *countries[] = {"MLI"};
 *   cc_filter f = {.types = types, .n_types = 1, .countries = countries, .n_countries = 1};
 *   cc_set_filter(c, &f);
 *   cc_follow(c, last_seq_saved_by_me);              // or CC_FROM_HEAD, or 0 for all
 *   for (;;) {
 *       const Courant__EventRecord *ev;
 *       if (cc_next(c, 1000, &ev) == CR_OK)
 *           save_cursor(ev->seq), handle(ev);        // ev valid until the next cc_next
 *   }
 *   cc_client_destroy(&c);
 *
 * Durable follow: cc_next long-polls the store with FOLLOW ("events with
 * seq > cursor matching the filter, at most K"), so a consumer that stores
 * the last seq it handled resumes after a restart with no gap and no
 * duplicate. Every function returns a cr_err (0 success); cc_last_error()
 * has the store's message when it refused a query.
 * Threads: a cc_client is used by one thread at a time. */
#ifndef COURANT_CLIENT_H
#define COURANT_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "courant.pb-c.h"
#include "common/err.h"

#define CC_FROM_HEAD UINT64_MAX /* cc_follow: only events committed from now on */

typedef struct cc_client cc_client;

/* Event filters; every list is "any of". NULL/0 fields do not filter.
 * Countries match any code among actor and recipient ("MLI", "IGO:UN");
 * pair (both or neither) needs both codes; dates are ISO 8601 prefixes. */
typedef struct cc_filter {
	const char *const *types;
	size_t n_types;
	const char *const *countries;
	size_t n_countries;
	const char *pair[2];
	const char *date_from, *date_to;
	const char *person;
} cc_filter;

/* Connect to the services of data directory `datadir` (NULL: $COURANT_DATA,
 * else ./courant-data), honouring COURANT_QUERY_ENDPOINT and
 * COURANT_SUBMIT_ENDPOINT. NULL on failure with *err set. */
cc_client *cc_client_new(const char *datadir, cr_err *err);
/* Connect to explicit endpoints (submit may be NULL when not needed). */
cc_client *cc_client_connect(const char *query_ep, const char *submit_ep, cr_err *err);
void cc_client_destroy(cc_client **c);

/* Per-request reply timeout for one-shot queries (default 5000 ms). */
void cc_set_timeout(cc_client *c, int ms);
/* Copy the filter used by cc_follow/cc_next (NULL clears it). */
cr_err cc_set_filter(cc_client *c, const cc_filter *f);
/* Start following after `after_seq` (0: from the first event; CC_FROM_HEAD:
 * from the store's current head). */
cr_err cc_follow(cc_client *c, uint64_t after_seq);
/* Next matching event, waiting up to timeout_ms (-1: until one arrives or a
 * stop signal, see common/zio.h). CR_ETIMEDOUT when none came, CR_EINTR on a
 * stop signal. *out belongs to the client and stays valid until the next
 * cc_next or cc_client_destroy. */
cr_err cc_next(cc_client *c, int timeout_ms, const Courant__EventRecord **out);
/* Sequence of the last event returned by cc_next (the durable cursor). */
uint64_t cc_cursor(const cc_client *c);
/* Highest committed event sequence, as of the last reply. */
uint64_t cc_head(const cc_client *c);

/* One-shot queries. *out is the decoded reply, owned by the caller and
 * released with cc_reply_free. A refused query returns CR_EINVAL or
 * CR_ENOTFOUND with the store's reason in cc_last_error(). */
cr_err cc_events(cc_client *c, const cc_filter *f, uint64_t after_seq, uint32_t limit,
		 Courant__QueryReply **out);
cr_err cc_article(cc_client *c, const char *id, Courant__QueryReply **out);
cr_err cc_stats(cc_client *c, Courant__QueryReply **out);
cr_err cc_dead_letters(cc_client *c, uint64_t after_seq, uint32_t limit, Courant__QueryReply **out);
cr_err cc_dead_letter(cc_client *c, const char *id, Courant__QueryReply **out);
/* Fetch the store's head sequence now. */
cr_err cc_fetch_head(cc_client *c, uint64_t *head);
void cc_reply_free(Courant__QueryReply **r);

/* Send one Submit to ingest and wait for its answer (owned by the caller,
 * free with cc_submit_reply_free). */
cr_err cc_submit(cc_client *c, const Courant__Submit *s, Courant__SubmitReply **out);
void cc_submit_reply_free(Courant__SubmitReply **r);

/* The store's last refusal message, or "" */
const char *cc_last_error(const cc_client *c);

#endif
