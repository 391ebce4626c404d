/* Where every socket lives. Stable points (ingest, relay, store) bind; workers
 * connect. Defaults put ipc sockets under <data>/run/ so one data directory is
 * one self-contained instance; every endpoint can be overridden by the
 * environment (COURANT_<NAME>_ENDPOINT, e.g. COURANT_SUBMIT_ENDPOINT) and by a
 * flag (--<name>-endpoint, e.g. --submit-endpoint tcp://127.0.0.1:7001). */
#ifndef COURANT_ENDPOINTS_H
#define COURANT_ENDPOINTS_H

#include "common/err.h"

#define CR_EP_MAX 256

typedef struct cr_endpoints {
	char submit[CR_EP_MAX];    /* ingest ROUTER: Submit -> SubmitReply; Query{STATS} */
	char work[CR_EP_MAX];      /* ingest PUSH (bind) -> normalize PULL (connect) */
	char ack[CR_EP_MAX];       /* ingest PULL (bind) <- store PUSH (connect) */
	char relay_in[CR_EP_MAX];  /* relay PULL (bind) <- normalize PUSH (connect) */
	char relay_out[CR_EP_MAX]; /* relay PUSH (bind) -> extract PULL (connect) */
	char store_in[CR_EP_MAX];  /* store PULL (bind) <- extract PUSH (connect) */
	char query[CR_EP_MAX];     /* store ROUTER: Query -> QueryReply */
	char events[CR_EP_MAX];    /* store PUB: topic frame + EventRecord */
} cr_endpoints;

/* The data directory: `flag` if not NULL, else $COURANT_DATA, else
 * "./courant-data". Returns a pointer to static or caller storage. */
const char *cr_datadir(const char *flag);

/* Fill every endpoint with ipc://<datadir>/run/<name>.sock, then apply the
 * COURANT_<NAME>_ENDPOINT environment variables. Creates <datadir>/run.
 * Fails with CR_ETOOBIG when a path does not fit an ipc address. */
cr_err cr_endpoints_init(cr_endpoints *e, const char *datadir);

/* If argv[*i] is --<name>-endpoint (with its value in the next argument or
 * after '='), store it, advance *i past it and return 1; else return 0. */
int cr_endpoints_flag(cr_endpoints *e, int argc, char **argv, int *i);

/* One line of --help text listing the endpoint flags. */
const char *cr_endpoints_help(void);

#endif
