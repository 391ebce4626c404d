/* The ingest service: answers submitters on the `submit` ROUTER, journals
 * accepted articles (journal.h), sends them down `work` within a bounded
 * in-flight window, takes the store's acknowledgements on `ack`, re-sends
 * what is not acknowledged in time and finally sends a Rejection so the
 * store dead-letters it (pending.h). Also answers Query{STATS}. */
#ifndef COURANT_INGEST_SERVICE_H
#define COURANT_INGEST_SERVICE_H

#include <stddef.h>
#include <stdint.h>
#include "common/endpoints.h"
#include "common/err.h"

typedef struct ingest_config {
	const char *datadir;
	cr_endpoints ep;
	size_t window;          /* articles in flight at most */
	size_t batch;           /* articles per message on the work link, at most */
	size_t backlog;         /* stop reading submissions above this many queued */
	uint32_t max_attempts;  /* sends before the ingest Rejection */
	uint32_t redeliver_ms;  /* minimum redelivery deadline */
	size_t map_mb, max_map_mb;
} ingest_config;

/* Defaults for every field but datadir/ep. */
void ingest_config_defaults(ingest_config *c);

/* Run until SIGINT/SIGTERM; returns CR_OK after a clean drain. */
cr_err ingest_run(const ingest_config *c);

#endif
