/* Live fan-out of committed events on the PUB socket, two frames per message:
 * [topic][packed EventRecord]. Topic grammar (filtered at the publisher by
 * ZeroMQ prefix subscriptions):
 *   t.<TYPE>.            one copy of every event, e.g. "t.CONSULT."
 *   c.<CODE>.<TYPE>.     one copy per distinct actor/recipient code,
 *                        e.g. "c.MLI.CONSULT.", "c.IGO:UN.ACCUSE."
 * Subscribe to "t." for everything, "t.CONSULT." for one type, "c.MLI." for
 * one country, "c.MLI.CONSULT." for both. A subscriber with several country
 * prefixes gets an event once per matching country: de-duplicate by
 * EventRecord.seq. '.' inside a code or type is sent as '_'. */
#ifndef COURANT_STORE_PUBLISH_H
#define COURANT_STORE_PUBLISH_H

#include <stddef.h>

#include "store/stats.h"
#include "store/writer.h"

#define ST_TOPIC_MAX 96

/* Topic strings (see above); return their length. */
size_t st_topic_type(char out[ST_TOPIC_MAX], const char *type);
size_t st_topic_country(char out[ST_TOPIC_MAX], const char *code, const char *type);

/* Live subscriptions by topic class, read from the XPUB socket: a class
 * nobody can match is not built nor sent (most consumers take only "t.";
 * the country copies are ~70 % of the sends). Counts of distinct prefixes. */
typedef struct st_subs {
	long type;    /* prefixes that can match "t." topics ("", "t", "t.X") */
	long country; /* prefixes that can match "c." topics ("", "c", "c.X") */
} st_subs;

/* Read the pending (un)subscription notices of an XPUB socket into subs. */
void st_subs_update(void *xpub, st_subs *subs);

/* Send every copy of every committed event of `res` that some subscriber
 * can match, never blocking (PUB drops for slow subscribers anyway). `pub` is
 * an XPUB socket when `subs` is given (updated first); with subs NULL, a PUB
 * socket and every copy is sent. Counts messages in c->published. */
void st_publish(void *pub, st_subs *subs, const st_result *res, st_counters *c);

#endif
