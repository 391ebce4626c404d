/* courant-store: stores extractions and dead letters in LMDB, acknowledges
 * them to ingest after commit, publishes events, answers queries.
 * Thin main: configuration, open, run, tear down in reverse order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "common/endpoints.h"
#include "common/log.h"
#include "common/zio.h"
#include "store/db.h"
#include "store/intake.h"
#include "store/server.h"
#include "store/stats.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: courant-store [--data DIR] [--map-mb MB] [endpoint flags]\n"
		   "  --data DIR   data directory (default $COURANT_DATA or ./courant-data);\n"
		   "               the LMDB environment lives in DIR/store/\n"
		   "  --map-mb MB  initial LMDB map size (default 1024, address space only;\n"
		   "               grows when full)\n"
		   "binds store-in (PULL), query (ROUTER) and events (PUB); connects ack (PUSH).\n"
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

static int parse(int argc, char **argv, const char **data, cr_endpoints *ep, int *help, size_t *map)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--data") && i + 1 < argc)
			*data = argv[++i];
		else if (!strncmp(argv[i], "--data=", 7))
			*data = argv[i] + 7;
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			*help = 1;
	*data = cr_datadir(*data);
	if (cr_endpoints_init(ep, *data))
		return -1;
	for (int i = 1; i < argc;) {
		if (cr_endpoints_flag(ep, argc, argv, &i))
			continue;
		if (!strcmp(argv[i], "--data"))
			i += 2;
		else if (!strcmp(argv[i], "--map-mb") && i + 1 < argc && !map_mb(argv[i + 1], map))
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
	int help = 0, rc = 1;
	size_t map = 0;
	cr_err err;
	st_db *db = NULL;
	st_stats *stats = NULL;
	st_server *server = NULL;
	st_intake_cfg cfg = {0};

	cr_log_init("store");
	if (parse(argc, argv, &data, &ep, &help, &map)) {
		usage(stderr);
		return 2;
	}
	if (help) {
		usage(stdout);
		return 0;
	}
	cr_zsignals();
	snprintf(dir, sizeof dir, "%s/store", data);
	if ((err = st_db_open(&db, dir, map)) || !(stats = st_stats_new()))
		goto out;
	if ((err = st_server_start(&server, db, stats, ep.query)))
		goto out;
	cfg.db = db;
	cfg.stats = stats;
	cfg.server = server;
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
