/* A service's named counters and their heartbeat: workers never bind, so
 * they report by sending Work{stats} down the pipeline about once a second
 * (the store keeps the latest per instance for `courant stats`). */
#ifndef COURANT_COUNTERS_H
#define COURANT_COUNTERS_H

#include <stdint.h>
#include "courant.pb-c.h"
#include "common/err.h"

#define CR_COUNTERS_MAX 24

typedef struct cr_counters {
	const char *service;
	char instance[96];             /* host:pid */
	const char *names[CR_COUNTERS_MAX];
	uint64_t v[CR_COUNTERS_MAX];
	int n;
	uint64_t last_beat_us;
} cr_counters;

/* `names` is a NULL-terminated list of static strings; all start at 0. */
void cr_counters_init(cr_counters *c, const char *service, const char *const *names);

/* Counter by index (the order of `names`). */
static inline void cr_count(cr_counters *c, int i, uint64_t by) { c->v[i] += by; }

/* Fill a Stats message pointing into c (valid while c is unchanged). */
void cr_counters_stats(cr_counters *c, Courant__Stats *s, Courant__Counter *cs, Courant__Counter **cp);

/* Send Work{stats} on `sock` (non-blocking) if a second has passed since the
 * last one or `force`. Returns CR_OK, or CR_EAGAIN when the socket is full. */
cr_err cr_counters_beat(cr_counters *c, void *sock, int force);

#endif
