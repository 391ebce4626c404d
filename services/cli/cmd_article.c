/* courant article ID: one stored article with its extraction, as the record
 * of spec/EVENTS.md §1 (common/record.h). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/conn.h"
#include "client/courant_client.h"
#include "common/buf.h"
#include "common/record.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: courant article ID [--data DIR] [--query-endpoint E]\n"
		   "  prints the stored article's record (id, url, published, lang, title,\n"
		   "  entities, events) as one JSON line; exit 1 when it is not stored.\n"
		   "environment: COURANT_DATA, COURANT_QUERY_ENDPOINT\n");
}

int cmd_article(int argc, char **argv)
{
	const char *id = NULL;
	Courant__QueryReply *r = NULL;
	cc_client *c;
	cr_buf out;
	cr_err err;
	int rc = 1;

	if (cli_conn_take("article", &argc, argv))
		return 2;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (argv[i][0] != '-' && !id) {
			id = argv[i];
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!id) {
		usage(stderr);
		return 2;
	}
	if (!(c = cli_conn_client(&err))) {
		fprintf(stderr, "courant article: cannot connect: %s\n", cr_strerror(err));
		return 1;
	}
	cr_buf_init(&out, 64u << 20);
	err = cc_article(c, id, &r);
	if (err) {
		fprintf(stderr, "courant article: %s: %s\n", id, *cc_last_error(c) ? cc_last_error(c) : cr_strerror(err));
	} else if (!r->article || cr_record_json(r->article, &out)) {
		fprintf(stderr, "courant article: %s: bad reply\n", id);
	} else {
		fwrite(out.data, 1, out.len, stdout);
		putchar('\n');
		rc = 0;
	}
	cc_reply_free(&r);
	cr_buf_fini(&out);
	cc_client_destroy(&c);
	return rc;
}
