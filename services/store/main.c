/* courant-store: stores extractions and dead letters in LMDB, acknowledges
 * them to ingest after commit, publishes events, answers queries.
 * Thin main: configuration, open, run, tear down in reverse order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "common/arena.h"
#include "common/endpoints.h"
#include "common/log.h"
#include "common/zio.h"
#include "store/db.h"
#include "store/intake.h"
#include "store/server.h"
#include "store/stats.h"

/* Under load a commit waits up to this long after the previous one started:
 * at 5,000 articles/s it takes ~25 articles instead of ~5, and the commit's
 * fixed costs (fsync, index page copies) are shared by all of them. */
#define DEFAULT_GAP_MS 5u
/* Under load the index txn (unsynced, derived) waits up to this long after
 * the previous one: it rewrites every index leaf page it touches (date and
 * pair keys are spread over the whole tree), so one per commit wrote ~20
 * pages per article and was half of the store's CPU; at 5,000 articles/s,
 * 25 ms writes 7.6 pages per article, 50 ms 4.5, 100 ms 2.5. Acks and PUB
 * never wait for it, queries wait for it only when they need it (the writer
 * indexes at once then, server.h); held FOLLOWs see new events up to this
 * much later under load, within IDLE_MS when the store is quiet. */
#define DEFAULT_INDEX_GAP_MS 50u
/* RSS charged for mapped LMDB file pages; the database files are larger */
#define DEFAULT_BUDGET_MB 96u

struct opts {
	size_t map;
	unsigned long gap_ms, index_gap_ms, budget_mb;
	int help;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: courant-store [--data DIR] [--map-mb MB] [--commit-gap-ms MS]\n"
		   "                     [--index-gap-ms MS] [--map-budget-mb MB] [endpoint flags]\n"
		   "  --data DIR   data directory (default $COURANT_DATA or ./courant-data);\n"
		   "               the LMDB environments live in DIR/store/ (synced) and\n"
		   "               DIR/store/index/ (indexes, rebuilt from DIR/store/ if lost)\n"
		   "  --map-mb MB  initial LMDB map size of each (default 1024, address space\n"
		   "               only; grows when full)\n"
		   "  --commit-gap-ms MS  under load, start commits at least MS apart so that\n"
		   "               batches grow (default %u; 0 commits as soon as anything waits)\n"
		   "  --index-gap-ms MS  under load, write the indexes at most every MS (default\n"
		   "               %u; queries see new events once indexed; 0 = every commit)\n"
		   "  --map-budget-mb MB  drop this process's mappings of LMDB file pages when\n"
		   "               they exceed MB (default %u; page cache keeps them; 0 = never)\n",
		DEFAULT_GAP_MS, DEFAULT_INDEX_GAP_MS, DEFAULT_BUDGET_MB);
	fprintf(f, "binds store-in (PULL), query (ROUTER) and events (PUB); connects ack (PUSH).\n"
		   "Stops on SIGINT/SIGTERM after finishing the current transaction.\n");
	fputs(cr_endpoints_help(), f);
}

/* --map-mb: 1 MiB .. 1 TiB */
static int map_mb(const char *s, size_t *out)
{
	char *end;
	unsigned long v = s ? strtoul(s, &end, 10) : 0;
	if (!s || !*s || *end || v < 1 || v > (1ul << 20))
		return -1;
	*out = (size_t)v << 20;
	return 0;
}

static int number(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v = s ? strtoul(s, &end, 10) : 0;
	if (!s || !*s || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse(int argc, char **argv, const char **data, cr_endpoints *ep, struct opts *o)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--data") && i + 1 < argc)
			*data = argv[++i];
		else if (!strncmp(argv[i], "--data=", 7))
			*data = argv[i] + 7;
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			o->help = 1;
	*data = cr_datadir(*data);
	if (cr_endpoints_init(ep, *data))
		return -1;
	for (int i = 1; i < argc;) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (cr_endpoints_flag(ep, argc, argv, &i))
			continue;
		if (!strcmp(argv[i], "--data"))
			i += 2;
		else if (!strcmp(argv[i], "--map-mb") && !map_mb(v, &o->map))
			i += 2;
		else if (!strcmp(argv[i], "--commit-gap-ms") && !number(v, 1000, &o->gap_ms))
			i += 2;
		else if (!strcmp(argv[i], "--index-gap-ms") && !number(v, 1000, &o->index_gap_ms))
			i += 2;
		else if (!strcmp(argv[i], "--map-budget-mb") && !number(v, 1ul << 20, &o->budget_mb))
			i += 2;
		else if (!strncmp(argv[i], "--data=", 7) || !strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			i++;
		else {
			fprintf(stderr, "courant-store: unknown argument '%s'\n", argv[i]);
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *data = NULL;
	cr_endpoints ep;
	char dir[4096];
	int rc = 1;
	struct opts o = {0, DEFAULT_GAP_MS, DEFAULT_INDEX_GAP_MS, DEFAULT_BUDGET_MB, 0};
	cr_err err;
	st_db *db = NULL;
	st_stats *stats = NULL;
	st_server *server = NULL;
	st_intake_cfg cfg = {0};

	cr_log_init("store");
	cr_malloc_tune();
	if (parse(argc, argv, &data, &ep, &o)) {
		usage(stderr);
		return 2;
	}
	if (o.help) {
		usage(stdout);
		return 0;
	}
	cr_zsignals();
	snprintf(dir, sizeof dir, "%s/store", data);
	if ((err = st_db_open(&db, dir, o.map)) || !(stats = st_stats_new()))
		goto out;
	if ((err = st_server_start(&server, db, stats, ep.query)))
		goto out;
	cfg.db = db;
	cfg.stats = stats;
	cfg.server = server;
	cfg.commit_gap_us = (unsigned)o.gap_ms * 1000u;
	cfg.index_gap_us = (unsigned)o.index_gap_ms * 1000u;
	cfg.map_budget = (size_t)o.budget_mb << 20;
	/* store-in queues up to one full batch (ST_BATCH_MAX) so that group
	 * commits can grow under load; what a killed store loses here ingest
	 * re-sends anyway, like everything not yet committed */
	cfg.pull = cr_zsocket(ZMQ_PULL, ep.store_in, 1, ST_BATCH_MAX, 0, &err);
	if (cfg.pull)
		cfg.pub = cr_zsocket(ZMQ_XPUB, ep.events, 1, 10000, 0, &err);
	if (cfg.pub)
		cfg.ack = cr_zsocket(ZMQ_PUSH, ep.ack, 0, 1000, 2000, &err);
	if (!cfg.ack)
		goto out;
	cr_info("started", "data=%s store_in=%s query=%s events=%s", dir, ep.store_in, ep.query,
		ep.events);
	err = st_intake_run(&cfg);
	rc = err ? 1 : 0;
out:
	if (err)
		cr_error("exit", "err=%s", cr_errname(err));
	cr_zclose(&cfg.ack);
	cr_zclose(&cfg.pub);
	cr_zclose(&cfg.pull);
	st_server_stop(&server);
	st_stats_destroy(&stats);
	st_db_close(&db);
	cr_zctx_term();
	cr_info("stopped", NULL);
	return rc;
}
