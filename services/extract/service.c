/* extract worker handler: Work{article} -> cx_extract -> Work{extraction}. */
#include "extract/service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Send Work{extraction}. `abytes` (may be NULL) is the article's encoding in
 * the received frame: copied verbatim into the output instead of re-packing
 * the decoded article (raw HTML, text, sentences: ~10% of this stage's
 * instructions); the decoded message is identical (common/codec.h). */
static cr_err send_extraction(Courant__Article *a, const void *abytes, size_t alen, const cx_result *r, cr_wout *out)
{
	Courant__Work w = COURANT__WORK__INIT;
	Courant__Extraction ex = COURANT__EXTRACTION__INIT;
	void *p;
	size_t n;
	if (abytes) {
		p = cr_pack_extraction_spliced(abytes, alen, r->entities, r->n_entities, r->events, r->n_events, &n);
		return p ? cr_worker_send_owned(out, p, n) : CR_ENOMEM;
	}
	ex.version = w.version = CR_SCHEMA_VERSION;
	ex.article = a;
	ex.entities = r->entities;
	ex.n_entities = r->n_entities;
	ex.events = r->events;
	ex.n_events = r->n_events;
	w.extraction = &ex;
	return cr_worker_send_pb(out, &w.base);
}

static cr_err on_article(xctx *x, Courant__Article *a, const void *abytes, size_t alen, cr_wout *out)
{
	cx_input in = {a->id, a->title, a->published, a->lang, a->text, a->text ? strlen(a->text) : 0, NULL, 0};
	cx_result *r = NULL;
	uint32_t *bounds = NULL;
	cr_err e;

	if (!a->text || !*a->text) {
		cr_count(&x->c, C_REJECTED, 1);
		return cr_worker_reject(out, "extract", "article has no normalized text", a->id, a->seq, a->attempt,
					a->raw.data, a->raw.len);
	}
	if (a->n_sentences && (bounds = malloc(a->n_sentences * 2 * sizeof *bounds)) != NULL) {
		for (size_t i = 0; i < a->n_sentences; i++) {
			bounds[2 * i] = a->sentences[i]->start;
			bounds[2 * i + 1] = a->sentences[i]->end;
		}
		in.sent_bounds = bounds;
		in.nsents = a->n_sentences;
	}
	e = cx_extract(x->engine, &in, &r);
	free(bounds);
	if (e != CR_OK) {
		char why[128];
		snprintf(why, sizeof why, "extraction failed: %s", cr_strerror(e));
		cr_count(&x->c, C_REJECTED, 1);
		return cr_worker_reject(out, "extract", why, a->id, a->seq, a->attempt, a->raw.data, a->raw.len);
	}
	cr_count(&x->c, C_EXTRACTED, 1);
	cr_count(&x->c, C_EVENTS, r->n_events);
	e = send_extraction(a, abytes, alen, r, out);
	cx_result_destroy(&r);
	return e;
}

static cr_err handle(void *ctx, const void *frame, size_t len, cr_wout *out)
{
	xctx *x = ctx;
	Courant__Work *w;
	char why[160], id[CR_MAX_ID + 1];
	uint64_t seq = 0;
	cr_err e;

	cr_count(&x->c, C_RECEIVED, 1);
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
		e = on_article(x, w->article, one ? (const char *)frame + off : NULL, n, out);
	} else {
		cr_count(&x->c, C_FORWARDED, 1);
		e = cr_worker_send(out, frame, len);
	}
	cr_msg_free(&w->base);
	return e;
}

cr_err extract_service_run(const cr_endpoints *ep, int hwm)
{
	xctx x;
	cr_worker_cfg cfg = {ep->relay_out, ep->store_in, 0, hwm, handle, &x, &x.c};
	cr_err e;
	cr_counters_init(&x.c, "extract", names);
	if ((e = cx_engine_new(&x.engine)) != CR_OK) {
		cr_error("engine", "err=\"%s\"", cr_strerror(e));
		return e;
	}
	e = cr_worker_run(&cfg);
	cx_engine_destroy(&x.engine);
	return e;
}
