/* extract worker handler: Work{article} -> cx_extract -> Work{extraction}. */
#include "extract/service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/aview.h"
#include "common/codec.h"
#include "common/counters.h"
#include "common/log.h"
#include "common/peek.h"
#include "common/worker.h"
#include "extract/extract.h"

enum { C_RECEIVED, C_EXTRACTED, C_EVENTS, C_REJECTED, C_FORWARDED, C_MALFORMED, C_DEAD_LETTERED };
static const char *const names[] = {"received", "extracted", "events", "rejected", "forwarded",
				    "malformed", "malformed_dead_lettered", NULL};

typedef struct xctx {
	cr_counters c;
	cx_engine *engine;
} xctx;

/* What the handler needs of an article, read in place (common/aview) or
 * from the decoded message (`msg`, NULL in the first case). */
typedef struct xart {
	cx_input in;
	uint64_t seq;
	uint32_t attempt;
	const void *raw; /* the body, for a rejection's payload */
	size_t raw_len;
	Courant__Article *msg;
	const void *abytes; /* the article's encoding in the frame, or NULL */
	size_t alen;
} xart;

/* Send Work{extraction}. `a->abytes` is the article's encoding in the
 * received frame: copied verbatim into the output instead of re-packing the
 * decoded article (raw HTML, text, sentences: ~10% of this stage's
 * instructions); the decoded message is identical (common/codec.h). */
static cr_err send_extraction(const xart *a, const cx_result *r, cr_wout *out)
{
	Courant__Work w = COURANT__WORK__INIT;
	Courant__Extraction ex = COURANT__EXTRACTION__INIT;
	void *p;
	size_t n;
	if (a->abytes) {
		p = cr_pack_extraction_spliced(a->abytes, a->alen, r->entities, r->n_entities, r->events, r->n_events,
					       &n);
		return p ? cr_worker_send_owned(out, p, n) : CR_ENOMEM;
	}
	ex.version = w.version = CR_SCHEMA_VERSION;
	ex.article = a->msg;
	ex.entities = r->entities;
	ex.n_entities = r->n_entities;
	ex.events = r->events;
	ex.n_events = r->n_events;
	w.extraction = &ex;
	return cr_worker_send_pb(out, &w.base);
}

static cr_err on_article(xctx *x, const xart *a, cr_wout *out)
{
	cx_result *r = NULL;
	cr_err e;

	if (!a->in.text || !*a->in.text) {
		cr_count(&x->c, C_REJECTED, 1);
		return cr_worker_reject(out, "extract", "article has no normalized text", a->in.id, a->seq, a->attempt,
					a->raw, a->raw_len);
	}
	e = cx_extract(x->engine, &a->in, &r);
	if (e != CR_OK) {
		char why[128];
		snprintf(why, sizeof why, "extraction failed: %s", cr_strerror(e));
		cr_count(&x->c, C_REJECTED, 1);
		return cr_worker_reject(out, "extract", why, a->in.id, a->seq, a->attempt, a->raw, a->raw_len);
	}
	cr_count(&x->c, C_EXTRACTED, 1);
	cr_count(&x->c, C_EVENTS, r->n_events);
	e = send_extraction(a, r, out);
	cx_result_destroy(&r);
	return e;
}

/* The common frame, read in place: no unpack, no copy of the body. */
static cr_err on_view(xctx *x, const void *frame, const cr_aview *v, cr_wout *out)
{
	xart a = {{v->id, v->title, v->published, v->lang, v->text, v->text_len, v->bounds, v->n_sentences},
		  v->seq, v->attempt, v->raw, v->raw_len, NULL, (const char *)frame + v->article_off,
		  v->article_len};
	return on_article(x, &a, out);
}

/* A decoded article; `abytes` as in xart. */
static cr_err on_decoded(xctx *x, Courant__Article *m, const void *abytes, size_t alen, cr_wout *out)
{
	xart a = {{m->id, m->title, m->published, m->lang, m->text, m->text ? strlen(m->text) : 0, NULL, 0},
		  m->seq, m->attempt, m->raw.data, m->raw.len, m, abytes, alen};
	uint32_t *bounds = NULL;
	cr_err e;
	if (m->n_sentences && (bounds = malloc(m->n_sentences * 2 * sizeof *bounds)) != NULL) {
		for (size_t i = 0; i < m->n_sentences; i++) {
			bounds[2 * i] = m->sentences[i]->start;
			bounds[2 * i + 1] = m->sentences[i]->end;
		}
		a.in.sent_bounds = bounds;
		a.in.nsents = m->n_sentences;
	}
	e = on_article(x, &a, out);
	free(bounds);
	return e;
}

/* Frames in the common shape are read in place (common/aview: it takes
 * only frames cr_decode_work accepts, with the same values); any other
 * goes through cr_decode_work, whose verdict and reason stand. */
cr_err extract_service_handle(void *ctx, const void *frame, size_t len, cr_wout *out)
{
	xctx *x = ctx;
	Courant__Work *w;
	cr_aview v;
	char why[160], id[CR_MAX_ID + 1];
	uint64_t seq = 0;
	cr_err e;

	cr_count(&x->c, C_RECEIVED, 1);
	if (cr_aview_read(frame, len, &v) == 0) {
		e = on_view(x, frame, &v, out);
		cr_aview_fini(&v);
		return e;
	}
	if ((e = cr_decode_work(frame, len, &w, why, sizeof why)) != CR_OK) {
		char reason[200];
		cr_count(&x->c, C_MALFORMED, 1);
		cr_warn("malformed", "bytes=%zu err=%s why=\"%s\"", len, cr_errname(e), why);
		if (!cr_worker_salvage_id(frame, len, id, sizeof id, &seq))
			return CR_OK;
		cr_count(&x->c, C_DEAD_LETTERED, 1);
		snprintf(reason, sizeof reason, "malformed frame: %.160s", why);
		return cr_worker_reject(out, "extract", reason, id, seq, 0, frame, len);
	}
	if (w->article) {
		/* the frame passed cr_decode_work: only the range is looked up */
		size_t off = 0, n = 0;
		int one = cr_peek_field_range(frame, len, 2, &off, &n) == 0;
		e = on_decoded(x, w->article, one ? (const char *)frame + off : NULL, n, out);
	} else {
		cr_count(&x->c, C_FORWARDED, 1);
		e = cr_worker_send(out, frame, len);
	}
	cr_msg_free(&w->base);
	return e;
}

cr_err extract_service_ctx_new(void **ctx)
{
	xctx *x = calloc(1, sizeof *x);
	cr_err e;
	*ctx = NULL;
	if (!x)
		return CR_ENOMEM;
	cr_counters_init(&x->c, "extract", names);
	if ((e = cx_engine_new(&x->engine)) != CR_OK) {
		free(x);
		return e;
	}
	*ctx = x;
	return CR_OK;
}

void extract_service_ctx_destroy(void **ctx)
{
	xctx *x = *ctx;
	if (!x)
		return;
	cx_engine_destroy(&x->engine);
	free(x);
	*ctx = NULL;
}

cr_err extract_service_run(const cr_endpoints *ep, int hwm)
{
	void *ctx;
	cr_err e;
	if ((e = extract_service_ctx_new(&ctx)) != CR_OK) {
		cr_error("engine", "err=\"%s\"", cr_strerror(e));
		return e;
	}
	cr_worker_cfg cfg = {ep->relay_out, ep->store_in, 0, hwm, extract_service_handle, ctx, &((xctx *)ctx)->c};
	e = cr_worker_run(&cfg);
	extract_service_ctx_destroy(&ctx);
	return e;
}
