/* courant-ingest: parse options, run the ingest service (service.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/endpoints.h"
#include "common/log.h"
#include "common/zio.h"
#include "ingest/service.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: courant-ingest [--data DIR] [--window N] [--batch N] [--backlog N]\n"
		   "                      [--max-attempts N] [--redeliver-ms MS] [--journal-mb MB] [--journal-max-mb MB] [endpoint flags]\n"
		   "Accepts articles on the submit endpoint, journals them in DIR/ingest (LMDB),\n"
		   "sends them down the pipeline and re-sends until the store acknowledges.\n"
		   "  --window N          articles in flight at most (default 1024)\n"
		   "  --batch N           articles per message to the workers, at most (default 16, max 64)\n"
		   "  --backlog N         stop reading submissions above N queued (default 4096)\n"
		   "  --max-attempts N    sends before the article is dead-lettered (default 6)\n"
		   "  --redeliver-ms MS   minimum redelivery deadline (default 2000; adapts to 4 x p99)\n"
		   "  --journal-mb MB     initial journal map size (default 64; grows when full)\n"
		   "  --journal-max-mb MB largest journal map (default 16384)\n%s",
		cr_endpoints_help());
}

static int num(const char *s, unsigned long *out)
{
	char *end;
	if (!s)
		return -1;
	*out = strtoul(s, &end, 10);
	return *s && !*end ? 0 : -1;
}

int main(int argc, char **argv)
{
	ingest_config c;
	const char *data = NULL;
	unsigned long v;
	int i;

	cr_log_init("ingest");
	cr_malloc_tune();
	ingest_config_defaults(&c);
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--data") && i + 1 < argc)
			data = argv[++i];
	c.datadir = cr_datadir(data);
	if (cr_endpoints_init(&c.ep, c.datadir) != CR_OK) {
		fprintf(stderr, "courant-ingest: cannot prepare %s/run\n", c.datadir);
		return 1;
	}
	for (i = 1; i < argc;) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (cr_endpoints_flag(&c.ep, argc, argv, &i))
			continue;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(a, "--data") && val) {
			i += 2;
			continue;
		}
		if (num(val, &v) || v == 0) {
			fprintf(stderr, "courant-ingest: bad option %s\n", a);
			usage(stderr);
			return 2;
		}
		if (!strcmp(a, "--window"))
			c.window = v;
		else if (!strcmp(a, "--batch") && v <= CR_BATCH_MAX)
			c.batch = v;
		else if (!strcmp(a, "--batch")) {
			fprintf(stderr, "courant-ingest: --batch is at most %d\n", CR_BATCH_MAX);
			return 2;
		}
		else if (!strcmp(a, "--backlog"))
			c.backlog = v;
		else if (!strcmp(a, "--max-attempts"))
			c.max_attempts = (uint32_t)v;
		else if (!strcmp(a, "--redeliver-ms"))
			c.redeliver_ms = (uint32_t)v;
		else if (!strcmp(a, "--journal-mb"))
			c.map_mb = v;
		else if (!strcmp(a, "--journal-max-mb"))
			c.max_map_mb = v;
		else {
			fprintf(stderr, "courant-ingest: unknown option %s\n", a);
			usage(stderr);
			return 2;
		}
		i += 2;
	}
	cr_zsignals();
	return ingest_run(&c) == CR_OK ? 0 : 1;
}
