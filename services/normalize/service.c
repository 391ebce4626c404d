/* normalize worker handler: Work{article} -> cn_normalize -> Work{article}. */
#include "normalize/service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/codec.h"
#include "common/counters.h"
#include "common/emit.h"
#include "common/log.h"
#include "common/worker.h"
#include "normalize/normalize.h"

enum { C_RECEIVED, C_NORMALIZED, C_REJECTED, C_FORWARDED, C_MALFORMED, C_DEAD_LETTERED };
static const char *const names[] = {"received", "normalized", "rejected", "forwarded",
				    "malformed", "malformed_dead_lettered", NULL};

/* Send the article with the normalized fields of `d` filled in. */
void *normalize_pack_doc(Courant__Article *a, const cn_doc *d, size_t *len)
{
	Courant__Sentence *ss = NULL, **sp = NULL;
	void *p = NULL;
	if (d->nsents && (!(ss = calloc(d->nsents, sizeof *ss)) || !(sp = calloc(d->nsents, sizeof *sp))))
		goto out;
	for (size_t i = 0; i < d->nsents; i++) {
		courant__sentence__init(&ss[i]);
		ss[i].start = d->sents[i].start;
		ss[i].end = d->sents[i].end;
		ss[i].has_raw_start = ss[i].has_raw_end = 1;
		ss[i].raw_start = d->sents[i].raw_start;
		ss[i].raw_end = d->sents[i].raw_end;
		sp[i] = &ss[i];
	}
	a->text = d->text;
	a->lang = (char *)d->lang;
	a->has_lang_confidence = 1;
	a->lang_confidence = d->lang_conf;
	a->sentences = sp;
	a->n_sentences = d->nsents;
	if ((!a->title || !*a->title) && d->title)
		a->title = d->title;
	a->byline = d->byline;
	a->encoding = (char *)d->encoding;
	a->has_repaired = 1;
	a->repaired = d->repaired;
	if (!a->content_type || !*a->content_type)
		a->content_type = (char *)d->content_type;
	/* Work{article} as protobuf-c packs it, at a fraction of its cost */
	p = cr_emit_work_article(a, CR_SCHEMA_VERSION, len);
	a->sentences = NULL; /* the caller's arena must not see our arrays */
	a->n_sentences = 0;
out:
	free(ss);
	free(sp);
	return p;
}

static cr_err send_normalized(cr_wout *out, Courant__Article *a, const cn_doc *d)
{
	size_t n;
	void *p = normalize_pack_doc(a, d, &n);
	return p ? cr_worker_send_owned(out, p, n) : CR_ENOMEM;
}

static cr_err on_article(cr_counters *c, Courant__Article *a, cr_wout *out)
{
	cn_input in = {(const char *)a->raw.data, a->raw.len, a->content_type, a->title, a->lang_hint};
	cn_doc d;
	char why[256];
	cr_err e;
	if (in.content_type && !*in.content_type)
		in.content_type = NULL;
	if (!a->has_raw || !a->raw.len) {
		snprintf(why, sizeof why, "empty article body");
		e = CR_EEMPTY;
	} else {
		why[0] = '\0';
		e = cn_normalize(&in, &d, why, sizeof why);
	}
	if (e != CR_OK) {
		cr_count(c, C_REJECTED, 1);
		cr_info("reject", "id=%s err=%s why=\"%s\"", a->id, cr_errname(e), why);
		return cr_worker_reject(out, "normalize", why[0] ? why : cr_strerror(e), a->id, a->seq, a->attempt,
					a->raw.data, a->raw.len);
	}
	cr_count(c, C_NORMALIZED, 1);
	e = send_normalized(out, a, &d);
	cn_doc_fini(&d);
	return e;
}

void normalize_service_counters(cr_counters *c)
{
	cr_counters_init(c, "normalize", names);
}

cr_err normalize_service_handle(void *ctx, const void *frame, size_t len, cr_wout *out)
{
	cr_counters *c = ctx;
	Courant__Work *w;
	char why[160], id[CR_MAX_ID + 1];
	uint64_t seq = 0;
	cr_err e;

	cr_count(c, C_RECEIVED, 1);
	if ((e = cr_decode_work(frame, len, &w, why, sizeof why)) != CR_OK) {
		char reason[200];
		cr_count(c, C_MALFORMED, 1);
		cr_warn("malformed", "bytes=%zu err=%s why=\"%s\"", len, cr_errname(e), why);
		if (!cr_worker_salvage_id(frame, len, id, sizeof id, &seq))
			return CR_OK;
		cr_count(c, C_DEAD_LETTERED, 1);
		snprintf(reason, sizeof reason, "malformed frame: %.160s", why);
		return cr_worker_reject(out, "normalize", reason, id, seq, 0, frame, len);
	}
	if (w->article)
		e = on_article(c, w->article, out);
	else {
		cr_count(c, C_FORWARDED, 1);
		e = cr_worker_send(out, frame, len);
	}
	cr_msg_free(&w->base);
	return e;
}

cr_err normalize_service_run(const cr_endpoints *ep, int hwm)
{
	cr_counters c;
	cr_worker_cfg cfg = {ep->work, ep->relay_in, 0, hwm, normalize_service_handle, &c, &c};
	normalize_service_counters(&c);
	return cr_worker_run(&cfg);
}
