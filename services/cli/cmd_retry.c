/* courant retry ID: fetch a dead letter's original payload from the store and
 * submit it to ingest again, marked Submit.retry_of = ID so that ingest does
 * not refuse it as a duplicate of the article that failed. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/conn.h"
#include "client/courant_client.h"
#include "common/buf.h"
#include "common/codec.h"
#include "common/jw.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: courant retry ID [--data DIR] [--query-endpoint E] [--submit-endpoint E]\n"
		   "  ID is the article id of a dead letter (or its sequence number, see\n"
		   "  courant dead-letters). Prints ingest's answer as one JSON line.\n"
		   "environment: COURANT_DATA, COURANT_QUERY_ENDPOINT, COURANT_SUBMIT_ENDPOINT\n");
}

/* The payload is the article's raw body or, for frames a stage could not
 * read, the frame itself: recover the article's metadata when it is a Work. */
static void fill_submit(Courant__Submit *s, const Courant__Rejection *r, Courant__Work **work)
{
	const Courant__Article *a;
	*work = NULL;
	s->has_text = 1;
	s->text = r->payload;
	if (cr_decode_work(r->payload.data, r->payload.len, work, NULL, 0) || !(*work)->article)
		return;
	a = (*work)->article;
	s->url = a->url;
	s->source = a->source;
	s->title = a->title;
	s->published = a->published;
	s->content_type = a->content_type;
	s->lang_hint = a->lang_hint;
	s->text = a->raw;
	s->has_text = a->has_raw;
}

static int print_reply(const Courant__SubmitReply *r, const char *retry_of)
{
	static const char *names[] = {"accepted", "duplicate", "refused"};
	cr_buf b;
	cr_jw w;
	cr_buf_init(&b, 1u << 16);
	cr_jw_init(&w, &b);
	cr_jw_obj(&w);
	cr_jw_kstr(&w, "status", (unsigned)r->status < 3 ? names[r->status] : "unknown");
	if (r->id)
		cr_jw_kstr(&w, "id", r->id);
	if (r->has_seq)
		cr_jw_kuint(&w, "seq", r->seq);
	if (r->reason)
		cr_jw_kstr(&w, "reason", r->reason);
	cr_jw_kstr(&w, "retry_of", retry_of);
	cr_jw_end(&w);
	if (!cr_jw_err(&w))
		printf("%.*s\n", (int)b.len, b.data);
	cr_buf_fini(&b);
	return r->status == COURANT__SUBMIT_STATUS__REFUSED;
}

int cmd_retry(int argc, char **argv)
{
	const char *id = NULL;
	Courant__QueryReply *q = NULL;
	Courant__SubmitReply *sr = NULL;
	Courant__Submit s = COURANT__SUBMIT__INIT;
	Courant__Work *work = NULL;
	const Courant__Rejection *rj;
	char ref[256];
	cc_client *c;
	cr_err err;
	int rc = 1;

	if (cli_conn_take("retry", &argc, argv))
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
		fprintf(stderr, "courant retry: cannot connect: %s\n", cr_strerror(err));
		return 1;
	}
	if ((err = cc_dead_letter(c, id, &q)) || q->n_dead != 1) {
		fprintf(stderr, "courant retry: %s: %s\n", id, *cc_last_error(c) ? cc_last_error(c) : cr_strerror(err));
		goto out;
	}
	rj = q->dead[0]->rejection;
	if (!rj->has_payload || !rj->payload.len) {
		fprintf(stderr, "courant retry: %s: the dead letter has no payload to re-submit\n", id);
		goto out;
	}
	s.version = CR_SCHEMA_VERSION;
	fill_submit(&s, rj, &work);
	s.retry_of = rj->id && *rj->id ? rj->id : (char *)id;
	snprintf(ref, sizeof ref, "retry-%.200s", s.retry_of);
	s.client_ref = ref;
	if ((err = cc_submit(c, &s, &sr))) {
		fprintf(stderr, "courant retry: %s: submit failed: %s\n", id, cr_strerror(err));
		goto out;
	}
	rc = print_reply(sr, s.retry_of);
out:
	cc_submit_reply_free(&sr);
	cr_msg_free(work ? &work->base : NULL);
	cc_reply_free(&q);
	cc_client_destroy(&c);
	return rc;
}
