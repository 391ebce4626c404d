/* courant submit: send articles to ingest with a window of requests in
 * flight (DEALER), print one JSON line per answer, and with --wait poll the
 * store until every accepted article is stored or dead-lettered. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/await.h"
#include "cli/cli.h"
#include "cli/conn.h"
#include "cli/input.h"
#include "common/batch.h"
#include "common/buf.h"
#include "common/codec.h"
#include "common/endpoints.h"
#include "common/jw.h"
#include "common/log.h"
#include "common/zio.h"

#define MAX_WINDOW 1000
#define RESEND_US (15ull * 1000000ull)

typedef struct slot {
	int used;
	unsigned ref;
	void *frame;
	size_t len;
	char *origin, *given_id;
	uint64_t sent_us;
	int resent;
	int queued;                /* packed, waiting for its batch frame to leave */
} slot;

typedef struct submit {
	void *sock;
	slot *slots;
	size_t window, busy;
	size_t batch, nqueued;     /* submissions per frame; packed ones not sent yet */
	size_t qbytes;             /* their bytes */
	unsigned next_ref;
	char **wait_ids;           /* ids to wait for */
	size_t nwait, wait_cap;
	size_t accepted, duplicates, refused, stored, dead;
	uint64_t last_progress_us, timeout_us, last_shown_us;
	int tty;                   /* stderr is a terminal: show a progress line */
} submit;

static void usage(FILE *f)
{
	fprintf(f, "usage: courant submit [--data DIR] [--wait] [--timeout S] [--window N] [--batch N] [endpoint flags] FILE|DIR|-\n"
		   "Send articles to ingest; print one JSON line per answer:\n"
		   "  {\"status\":\"accepted\",\"id\":..,\"seq\":..,\"input\":..}\n"
		   "  {\"status\":\"duplicate\",\"id\":..,\"duplicate_of\":..}   {\"status\":\"refused\",\"reason\":..}\n"
		   "Inputs: JSON lines or one JSON object/array per file (project, news-please or\n"
		   "trafilatura fields), .txt/.md/.html files, or a directory of them (recursive).\n"
		   "  --wait       then wait until every accepted article is stored or dead-lettered\n"
		   "  --timeout S  give up after S seconds without progress (default 300)\n"
		   "  --window N   submissions in flight (default 64)\n"
		   "  --batch N    submissions per message to ingest, as they are ready (default 16,\n"
		   "               at most 64; 1: one message each)\n"
		   "Exit status: 0 all accepted (and stored with --wait), 1 otherwise, 2 usage.\n%s",
		cr_endpoints_help());
}

static void print_line(cr_buf *b)
{
	fwrite(b->data, 1, b->len, stdout);
	fputc('\n', stdout);
	fflush(stdout);
}

static void print_refused(const char *id, const char *reason, const char *origin)
{
	cr_buf b;
	cr_jw w;
	cr_buf_init(&b, 1 << 16);
	cr_jw_init(&w, &b);
	cr_jw_obj(&w);
	cr_jw_kstr(&w, "status", "refused");
	if (id)
		cr_jw_kstr(&w, "id", id);
	cr_jw_kstr(&w, "reason", reason);
	cr_jw_kstr(&w, "input", origin);
	cr_jw_end(&w);
	print_line(&b);
	cr_buf_fini(&b);
}

static int add_wait(submit *s, const char *id)
{
	if (s->nwait == s->wait_cap) {
		size_t nc = s->wait_cap ? s->wait_cap * 2 : 256;
		char **nv = realloc(s->wait_ids, nc * sizeof *nv);
		if (!nv)
			return -1;
		s->wait_ids = nv;
		s->wait_cap = nc;
	}
	return (s->wait_ids[s->nwait] = strdup(id)) ? (int)s->nwait++ : -1;
}

static void slot_free(submit *s, slot *sl)
{
	free(sl->frame);
	free(sl->origin);
	free(sl->given_id);
	memset(sl, 0, sizeof *sl);
	s->busy--;
}

/* Send the packed submissions waiting in their slots: one plain frame, or
 * one batch frame (Submit.batch, common/batch.h) of them all. */
static int send_queued(submit *s)
{
	cr_batch b = {0};
	slot *one = NULL;
	void *frame;
	size_t len;
	int rc = 0;
	if (!s->nqueued)
		return 0;
	cr_batch_kind(&b, CR_BATCH_SUBMIT, 0);
	/* every queued slot leaves the queue: one the frame misses (short of
	 * memory) is re-sent by pump() like a lost one */
	for (size_t i = 0; i < s->window; i++) {
		slot *sl = &s->slots[i];
		if (!sl->used || !sl->queued)
			continue;
		sl->queued = 0;
		sl->sent_us = cr_mono_us();
		one = sl;
		if (rc == 0 && s->nqueued > 1 && cr_batch_add(&b, sl->frame, sl->len) != CR_OK)
			rc = -1;
	}
	if (rc == 0 && s->nqueued == 1)
		rc = cr_zsend(s->sock, one->frame, one->len, 0) == CR_OK ? 0 : -1;
	else if (rc == 0 && (frame = cr_batch_take(&b, &len)) != NULL)
		rc = cr_zsend_owned(s->sock, frame, len, 0) == CR_OK ? 0 : -1;
	cr_batch_fini(&b);
	s->nqueued = 0;
	s->qbytes = 0;
	/* a frame that did not leave is re-sent by pump() after RESEND_US */
	if (rc != 0)
		fprintf(stderr, "courant submit: could not send to ingest (re-sent later)\n");
	return rc;
}

/* Pack one article into a free slot; it leaves with the next batch frame
 * (at once when the batch is full). Frames stay within common/batch.h's
 * limits: CR_BATCH_BYTES at most, and an article over CR_BATCH_SOLO alone
 * (ingest's transport drops any frame over CR_MAX_FRAME). */
static int send_article(submit *s, ci_article *a)
{
	Courant__Submit m = COURANT__SUBMIT__INIT;
	char ref[16];
	slot *sl = NULL;
	for (size_t i = 0; i < s->window && !sl; i++)
		if (!s->slots[i].used)
			sl = &s->slots[i];
	if (!sl)
		return -1;
	snprintf(ref, sizeof ref, "%u", s->next_ref);
	m.version = CR_SCHEMA_VERSION;
	m.client_ref = ref;
	m.id = a->id;
	m.url = a->url;
	m.source = a->source;
	m.title = a->title;
	m.published = a->published;
	m.has_text = 1;
	m.text.data = (uint8_t *)a->text;
	m.text.len = a->text_len;
	m.content_type = a->content_type;
	m.lang_hint = a->lang;
	if (!(sl->frame = cr_pack(&m.base, &sl->len)))
		return -1;
	sl->used = 1;
	sl->ref = s->next_ref++;
	sl->origin = strdup(a->origin);
	sl->given_id = a->id ? strdup(a->id) : NULL;
	sl->sent_us = cr_mono_us();
	s->busy++;
	if (s->nqueued && (sl->len > CR_BATCH_SOLO || s->qbytes + sl->len > CR_BATCH_BYTES))
		send_queued(s);
	sl->queued = 1;
	s->qbytes += sl->len;
	if (++s->nqueued >= s->batch || sl->len > CR_BATCH_SOLO)
		send_queued(s);
	return 0;
}

static void on_reply(submit *s, const Courant__SubmitReply *r);

/* An answer from ingest: one reply, or a batch of them (one per element of
 * a batch frame we sent). */
static void on_answer(submit *s, const Courant__SubmitReply *r)
{
	if (!r->n_batch) {
		on_reply(s, r);
		return;
	}
	for (size_t i = 0; i < r->n_batch; i++) {
		Courant__SubmitReply *e;
		if (cr_decode_submit_reply(r->batch[i].data, r->batch[i].len, &e, NULL, 0) == CR_OK) {
			on_reply(s, e);
			cr_msg_free(&e->base);
		}
	}
}

static void on_reply(submit *s, const Courant__SubmitReply *r)
{
	unsigned ref = r->client_ref ? (unsigned)strtoul(r->client_ref, NULL, 10) : ~0u;
	slot *sl = NULL;
	cr_buf b;
	cr_jw w;
	for (size_t i = 0; i < s->window && !sl; i++)
		if (s->slots[i].used && s->slots[i].ref == ref)
			sl = &s->slots[i];
	if (!sl)
		return; /* an answer to a request already answered (re-send) */
	s->last_progress_us = cr_mono_us();
	cr_buf_init(&b, 1 << 16);
	cr_jw_init(&w, &b);
	cr_jw_obj(&w);
	if (r->status == COURANT__SUBMIT_STATUS__ACCEPTED ||
	    (r->status == COURANT__SUBMIT_STATUS__DUPLICATE && sl->resent)) {
		/* a re-sent request found as a duplicate was accepted the first time */
		s->accepted++;
		add_wait(s, r->id ? r->id : "");
		cr_jw_kstr(&w, "status", "accepted");
		cr_jw_kstr(&w, "id", r->id);
		if (r->has_seq)
			cr_jw_kuint(&w, "seq", r->seq);
		cr_jw_kstr(&w, "input", sl->origin);
	} else if (r->status == COURANT__SUBMIT_STATUS__DUPLICATE) {
		s->duplicates++;
		cr_jw_kstr(&w, "status", "duplicate");
		cr_jw_kstr(&w, "id", sl->given_id);
		cr_jw_kstr(&w, "duplicate_of", r->id);
		cr_jw_kstr(&w, "input", sl->origin);
	} else {
		s->refused++;
		cr_jw_kstr(&w, "status", "refused");
		if (sl->given_id)
			cr_jw_kstr(&w, "id", sl->given_id);
		cr_jw_kstr(&w, "reason", r->reason ? r->reason : "refused");
		cr_jw_kstr(&w, "input", sl->origin);
	}
	cr_jw_end(&w);
	print_line(&b);
	cr_buf_fini(&b);
	slot_free(s, sl);
}

/* Take answers for up to `ms`; re-send requests unanswered for a while (a
 * restarted ingest lost them; duplicates detection makes this safe). */
static void pump(submit *s, long ms, int infd)
{
	zmq_pollitem_t it[2] = {{s->sock, 0, ZMQ_POLLIN, 0}, {NULL, infd, ZMQ_POLLIN, 0}};
	cr_zmsg m;
	uint64_t now;
	if (cr_zpoll(it, infd >= 0 ? 2 : 1, ms) > 0 && it[0].revents)
		while (cr_zrecv(s->sock, &m, ZMQ_DONTWAIT) == CR_OK) {
			Courant__SubmitReply *r;
			if (cr_decode_submit_reply(cr_zmsg_data(&m, m.n - 1), cr_zmsg_size(&m, m.n - 1), &r, NULL, 0) == CR_OK) {
				on_answer(s, r);
				cr_msg_free(&r->base);
			}
			cr_zmsg_close(&m);
		}
	now = cr_mono_us();
	for (size_t i = 0; i < s->window; i++) {
		slot *sl = &s->slots[i];
		if (sl->used && !sl->queued && now - sl->sent_us > RESEND_US) {
			sl->sent_us = now;
			sl->resent = 1;
			cr_zsend(s->sock, sl->frame, sl->len, ZMQ_DONTWAIT);
		}
	}
}

static void progress(submit *s, int final)
{
	uint64_t now = cr_mono_us();
	if (!s->tty || (!final && now - s->last_shown_us < 250000u))
		return;
	s->last_shown_us = now;
	fprintf(stderr, "\r\033[Kaccepted %zu  duplicates %zu  refused %zu  in flight %zu%s", s->accepted,
		s->duplicates, s->refused, s->busy, final ? "\n" : "");
}

static int stalled(submit *s)
{
	return cr_mono_us() - s->last_progress_us > s->timeout_us;
}

/* Send everything, keeping at most `window` unanswered. 0, or -1 on timeout. */
static int send_all(submit *s, ci_reader *r)
{
	ci_article a;
	char why[256];
	int eof = 0, infd;
	while (!cr_zstopping() && (!eof || s->busy)) {
		infd = -1;
		/* With answers outstanding, never block on a slow input: lost
		 * submissions must still be re-sent while the input is quiet. */
		while (!eof && s->busy < s->window && (!s->busy || ci_ready(r, &infd))) {
			cr_err e = ci_next(r, &a, why, sizeof why);
			if (e == CR_ENOTFOUND) {
				eof = 1;
				break;
			}
			if (e != CR_OK) {
				char reason[300];
				snprintf(reason, sizeof reason, "bad input: %s", why[0] ? why : cr_strerror(e));
				print_refused(NULL, reason, a.origin);
				s->refused++;
			} else if (a.text_len > CR_MAX_ARTICLE) {
				char reason[128];
				snprintf(reason, sizeof reason, "article too large (%zu bytes > %u)", a.text_len, CR_MAX_ARTICLE);
				print_refused(a.id, reason, a.origin);
				s->refused++;
			} else if (send_article(s, &a) != 0) {
				print_refused(a.id, "could not send to ingest", a.origin);
				s->refused++;
			}
			ci_article_fini(&a);
		}
		send_queued(s);
		pump(s, 100, infd);
		progress(s, 0);
		if (s->busy && stalled(s)) {
			fprintf(stderr, "courant submit: no answer from ingest for %llu s (is it running?)\n",
				(unsigned long long)(s->timeout_us / 1000000u));
			return -1;
		}
	}
	return 0;
}

int cmd_submit(int argc, char **argv)
{
	submit s;
	const cr_endpoints *ep;
	const char *path = NULL;
	ci_reader *r = NULL;
	int wait = 0, rc = 1, i;
	double timeout = 300;
	cr_err e;

	memset(&s, 0, sizeof s);
	s.window = 64;
	s.batch = 16;
	if (cli_conn_take("submit", &argc, argv))
		return 2;
	if (!(ep = cli_conn_endpoints("submit")))
		return 1;
	for (i = 1; i < argc;) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return usage(stdout), 0;
		if (!strcmp(a, "--wait"))
			wait = 1, i++;
		else if (!strcmp(a, "--timeout") && i + 1 < argc && atof(argv[i + 1]) > 0)
			timeout = atof(argv[i + 1]), i += 2;
		else if (!strcmp(a, "--window") && i + 1 < argc && atoi(argv[i + 1]) > 0)
			s.window = (size_t)atoi(argv[i + 1]), i += 2;
		else if (!strcmp(a, "--batch") && i + 1 < argc && atoi(argv[i + 1]) > 0 && atoi(argv[i + 1]) <= CR_BATCH_MAX)
			s.batch = (size_t)atoi(argv[i + 1]), i += 2;
		else if ((a[0] != '-' || !strcmp(a, "-")) && !path)
			path = a, i++;
		else
			return fprintf(stderr, "courant submit: unexpected argument %s\n", a), usage(stderr), 2;
	}
	if (!path)
		return usage(stderr), 2;
	if (s.window > MAX_WINDOW)
		s.window = MAX_WINDOW;
	if ((e = ci_open(path, &r)) != CR_OK)
		return fprintf(stderr, "courant submit: %s: %s\n", path, cr_strerror(e)), 1;
	cr_zsignals();
	s.timeout_us = (uint64_t)(timeout * 1e6);
	s.last_progress_us = cr_mono_us();
	s.tty = isatty(STDERR_FILENO);
	s.slots = calloc(s.window, sizeof *s.slots);
	if (s.slots && (s.sock = cr_zsocket(ZMQ_DEALER, ep->submit, 0, 2 * (int)s.window, 0, &e)) != NULL &&
	    send_all(&s, r) == 0) {
		progress(&s, 1);
		rc = s.refused ? 1 : 0;
		if (wait && s.nwait && !cr_zstopping())
			if (ca_await(s.wait_ids, s.nwait, ep->query, s.timeout_us, &s.stored, &s.dead) != 0 || s.dead)
				rc = 1;
	}
	fprintf(stderr, "accepted=%zu duplicates=%zu refused=%zu stored=%zu dead=%zu\n", s.accepted, s.duplicates,
		s.refused, s.stored, s.dead);
	for (size_t k = 0; k < s.window && s.slots; k++)
		if (s.slots[k].used)
			slot_free(&s, &s.slots[k]);
	for (size_t k = 0; k < s.nwait; k++)
		free(s.wait_ids[k]);
	free(s.wait_ids);
	free(s.slots);
	ci_close(&r);
	cr_zclose(&s.sock);
	cr_zctx_term();
	return rc;
}
