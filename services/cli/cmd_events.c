/* courant events: query stored events through the store's indexes and print
 * them as JSON lines (--json, common/record.h) or a compact table. */
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

#define MAX_VALUES 64
#define PAGE 1000u

static void usage(FILE *f)
{
	fprintf(f, "usage: courant events [--data DIR] [--query-endpoint E] [--json] [--country C]... [--pair A,B] [--type T]...\n"
		   "                      [--from DATE] [--to DATE] [--person NAME] [--limit N] [--since N]\n"
		   "  --country C    events with C among actor or recipient (repeat: any of them)\n"
		   "  --pair A,B     events with both A and B among actor and recipient\n"
		   "  --type T       PLOVER type (repeat: any of them)\n"
		   "  --from/--to    event date range, ISO 8601 at any precision (2021, 2021-03-30)\n"
		   "  --person NAME  events naming this person (any spelling of accents and case)\n"
		   "  --limit N      at most N events (default: all)\n"
		   "  --since N      only events with sequence > N\n"
		   "  --json         JSON lines (seq, article_id, published, url, then the event)\n"
		   "environment: COURANT_DATA, COURANT_QUERY_ENDPOINT (default ipc://DIR/run/query.sock)\n");
}

static int print_events(const Courant__QueryReply *r, int json, cr_buf *line)
{
	for (size_t i = 0; i < r->n_events; i++) {
		if (!json) {
			cli_print_event_row(r->events[i]);
			continue;
		}
		cr_buf_reset(line);
		if (cr_event_line_json(r->events[i], line))
			return -1;
		fwrite(line->data, 1, line->len, stdout);
		putchar('\n');
	}
	return 0;
}

static int run(cc_client *c, const cc_filter *f, unsigned long long since, unsigned long long limit, int json)
{
	cr_buf line;
	unsigned long long printed = 0;
	int rc = 0;

	cr_buf_init(&line, 32u << 20);
	for (;;) {
		Courant__QueryReply *r = NULL;
		unsigned long long want = limit ? limit - printed : PAGE;
		cr_err err = cc_events(c, f, since, (uint32_t)(want > PAGE ? PAGE : want), &r);
		if (err) {
			fprintf(stderr, "courant events: %s%s%s\n", cr_strerror(err),
				*cc_last_error(c) ? ": " : "", cc_last_error(c));
			rc = 1;
			break;
		}
		if (print_events(r, json, &line))
			rc = 1;
		printed += r->n_events;
		if (r->n_events)
			since = r->events[r->n_events - 1]->seq;
		if (!r->n_events || rc || (limit && printed >= limit)) {
			cc_reply_free(&r);
			break;
		}
		cc_reply_free(&r);
	}
	fflush(stdout);
	cr_buf_fini(&line);
	return rc;
}

int cmd_events(int argc, char **argv)
{
	const char *types[MAX_VALUES], *countries[MAX_VALUES];
	char pairbuf[160];
	cc_filter f = {0};
	unsigned long long limit = 0, since = 0;
	int json = 0, rc;
	cr_err err;
	cc_client *c;

	if (cli_conn_take("events", &argc, argv))
		return 2;

	f.types = types;
	f.countries = countries;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--json")) {
			json = 1;
			continue;
		} else if (!v) {
			break; /* every other option takes a value */
		}
		if (!strcmp(a, "--country") && f.n_countries < MAX_VALUES)
			countries[f.n_countries++] = v;
		else if (!strcmp(a, "--type") && f.n_types < MAX_VALUES)
			types[f.n_types++] = v;
		else if (!strcmp(a, "--pair") && strchr(v, ',') && strlen(v) < sizeof pairbuf) {
			strcpy(pairbuf, v);
			*strchr(pairbuf, ',') = '\0';
			f.pair[0] = pairbuf;
			f.pair[1] = pairbuf + strlen(pairbuf) + 1;
		} else if (!strcmp(a, "--from"))
			f.date_from = v;
		else if (!strcmp(a, "--to"))
			f.date_to = v;
		else if (!strcmp(a, "--person"))
			f.person = v;
		else if (!strcmp(a, "--limit") && !cli_parse_count(v, &limit))
			;
		else if (!strcmp(a, "--since") && !cli_parse_count(v, &since))
			;
		else {
			fprintf(stderr, "courant events: bad option '%s %s'\n", a, v);
			usage(stderr);
			return 2;
		}
		i++;
	}
	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-' && strcmp(argv[i], "--json") && (i + 1 >= argc)) {
			fprintf(stderr, "courant events: option '%s' needs a value\n", argv[i]);
			return 2;
		}
	c = cli_conn_client(&err);
	if (!c) {
		fprintf(stderr, "courant events: cannot connect: %s\n", cr_strerror(err));
		return 1;
	}
	rc = run(c, &f, since, limit, json);
	cc_client_destroy(&c);
	return rc;
}
