/* courant dead-letters: list the store's dead letters (seq, id, stage,
 * reason, at) as JSON lines (--json) or a table. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/conn.h"
#include "client/courant_client.h"
#include "common/buf.h"
#include "common/jw.h"

#define PAGE 1000u

static void usage(FILE *f)
{
	fprintf(f, "usage: courant dead-letters [--data DIR] [--query-endpoint E] [--json]\n"
		   "  every article that ended as a dead letter, with the stage that refused it\n"
		   "  and why; `courant retry ID` re-submits one.\n"
		   "environment: COURANT_DATA, COURANT_QUERY_ENDPOINT\n");
}

static void iso_time(uint64_t us, char out[32])
{
	time_t t = (time_t)(us / 1000000u);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void print_one(const Courant__DeadLetter *d, int json, cr_buf *line)
{
	const Courant__Rejection *r = d->rejection;
	char at[32] = "-";
	cr_jw w;

	if (r->has_at_us)
		iso_time(r->at_us, at);
	if (!json) {
		printf("%-6llu %-24s %-10s %s  %s\n", (unsigned long long)d->seq, r->id ? r->id : "-",
		       r->stage, at, r->reason);
		return;
	}
	cr_buf_reset(line);
	cr_jw_init(&w, line);
	cr_jw_obj(&w);
	cr_jw_kuint(&w, "seq", d->seq);
	cr_jw_kstr(&w, "id", r->id);
	cr_jw_kstr(&w, "stage", r->stage);
	cr_jw_kstr(&w, "reason", r->reason);
	if (r->has_at_us)
		cr_jw_kstr(&w, "at", at);
	if (r->has_attempt)
		cr_jw_kuint(&w, "attempt", r->attempt);
	cr_jw_end(&w);
	if (!cr_jw_err(&w)) {
		fwrite(line->data, 1, line->len, stdout);
		putchar('\n');
	}
}

int cmd_dead_letters(int argc, char **argv)
{
	int json = 0, rc = 0;
	uint64_t after = 0;
	cc_client *c;
	cr_buf line;
	cr_err err;

	if (cli_conn_take("dead-letters", &argc, argv))
		return 2;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!(c = cli_conn_client(&err))) {
		fprintf(stderr, "courant dead-letters: cannot connect: %s\n", cr_strerror(err));
		return 1;
	}
	cr_buf_init(&line, 1u << 20);
	for (;;) {
		Courant__QueryReply *r = NULL;
		if ((err = cc_dead_letters(c, after, PAGE, &r))) {
			fprintf(stderr, "courant dead-letters: %s\n", cr_strerror(err));
			rc = 1;
			break;
		}
		for (size_t i = 0; i < r->n_dead; i++)
			print_one(r->dead[i], json, &line);
		if (r->n_dead)
			after = r->dead[r->n_dead - 1]->seq;
		if (r->n_dead < PAGE) {
			cc_reply_free(&r);
			break;
		}
		cc_reply_free(&r);
	}
	fflush(stdout);
	cr_buf_fini(&line);
	cc_client_destroy(&c);
	return rc;
}
