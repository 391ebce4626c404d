/* courant tail: follow events durably (FOLLOW long polls through the client
 * library) and print one line per event, flushed, until SIGINT/SIGTERM. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/conn.h"
#include "cli/show.h"
#include "client/courant_client.h"
#include "common/buf.h"
#include "common/record.h"
#include "common/zio.h"

#define MAX_VALUES 64

static void usage(FILE *f)
{
	fprintf(f, "usage: courant tail [--data DIR] [--query-endpoint E] [--since N] [--type T]... [--country C]... [--json]\n"
		   "                    [--max N] [--idle-exit S]\n"
		   "  --since N      every event with sequence > N (0: from the start);\n"
		   "                 without it, only events committed from now on\n"
		   "  --type T       PLOVER type (repeat: any of them)\n"
		   "  --country C    C among actor or recipient (repeat: any of them)\n"
		   "  --json         JSON lines with seq, article_id and the event\n"
		   "  --max N        exit after N events\n"
		   "  --idle-exit S  exit when no event came for S seconds\n"
		   "Runs until interrupted; the last printed seq is the cursor to resume with --since.\n"
		   "environment: COURANT_DATA, COURANT_QUERY_ENDPOINT\n");
}

struct opts {
	const char *types[MAX_VALUES], *countries[MAX_VALUES];
	size_t nt, nc;
	int json, has_since;
	unsigned long long since, max, idle;
};

static int parse(int argc, char **argv, struct opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--json")) {
			o->json = 1;
			continue;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return 1;
		if (!v)
			return -1;
		if (!strcmp(a, "--type") && o->nt < MAX_VALUES)
			o->types[o->nt++] = v;
		else if (!strcmp(a, "--country") && o->nc < MAX_VALUES)
			o->countries[o->nc++] = v;
		else if (!strcmp(a, "--since") && !cli_parse_count(v, &o->since))
			o->has_since = 1;
		else if (!strcmp(a, "--max") && !cli_parse_count(v, &o->max))
			;
		else if (!strcmp(a, "--idle-exit") && !cli_parse_count(v, &o->idle))
			;
		else
			return -1;
		i++;
	}
	return 0;
}

static int follow(cc_client *c, const struct opts *o)
{
	cr_buf line;
	unsigned long long n = 0, idle_since = cr_mono_us();
	int rc = 0;

	cr_buf_init(&line, 32u << 20);
	while (!o->max || n < o->max) {
		const Courant__EventRecord *e;
		cr_err err = cc_next(c, 1000, &e);
		if (err == CR_ETIMEDOUT) {
			if (o->idle && cr_mono_us() - idle_since >= o->idle * 1000000ull)
				break;
			continue;
		}
		if (err == CR_EINTR)
			break;
		if (err) {
			fprintf(stderr, "courant tail: %s%s%s\n", cr_strerror(err), *cc_last_error(c) ? ": " : "",
				cc_last_error(c));
			rc = 1;
			break;
		}
		idle_since = cr_mono_us();
		n++;
		if (o->json) {
			cr_buf_reset(&line);
			if (!cr_event_line_json(e, &line)) {
				fwrite(line.data, 1, line.len, stdout);
				putchar('\n');
			}
		} else {
			cli_print_event_row(e);
		}
		fflush(stdout);
	}
	cr_buf_fini(&line);
	return rc;
}

int cmd_tail(int argc, char **argv)
{
	struct opts o = {0};
	cc_filter f = {0};
	cc_client *c;
	cr_err err;
	int rc;

	if (cli_conn_take("tail", &argc, argv))
		return 2;
	rc = parse(argc, argv, &o);

	if (rc) {
		usage(rc > 0 ? stdout : stderr);
		return rc > 0 ? 0 : 2;
	}
	cr_zsignals();
	f.types = o.types;
	f.n_types = o.nt;
	f.countries = o.countries;
	f.n_countries = o.nc;
	if (!(c = cli_conn_client(&err))) {
		fprintf(stderr, "courant tail: cannot connect: %s\n", cr_strerror(err));
		return 1;
	}
	err = cc_set_filter(c, &f);
	/* without --since: start at the head, retrying until the store answers */
	if (!err)
		do
			err = cc_follow(c, o.has_since ? o.since : CC_FROM_HEAD);
		while (err == CR_ETIMEDOUT && !cr_zstopping());
	if (err && err != CR_EINTR) {
		fprintf(stderr, "courant tail: %s\n", cr_strerror(err));
		rc = 1;
	} else if (!err) {
		rc = follow(c, &o);
	}
	cc_client_destroy(&c);
	return rc;
}
