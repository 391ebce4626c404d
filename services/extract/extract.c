/* Extraction engine entry points: the engine holds the lexicon; one call
 * runs tokens -> gazetteer mentions -> dates -> persons -> events on a
 * private cx_doc and renders the result as protobuf messages drawn from one
 * pool owned by the cx_result. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "extract/doc.h"

cr_err cx_engine_new(cx_engine **out)
{
	cx_engine *e = calloc(1, sizeof *e);
	if (!e)
		return CR_ENOMEM;
	cr_err r = cx_lexicon_new(&e->lex);
	if (r) {
		free(e);
		return r;
	}
	*out = e;
	return CR_OK;
}

void cx_engine_destroy(cx_engine **e)
{
	if (!e || !*e)
		return;
	cx_lexicon_destroy(&(*e)->lex);
	free(*e);
	*e = NULL;
}

/* ---- document lifecycle --------------------------------------------------- */

static void doc_fini(cx_doc *d)
{
	free(d->fold);
	free(d->toks);
	free(d->sents);
	free(d->ments);
	free(d->tok_ment);
	free(d->dates);
	free(d->persons);
	free(d->tok_person);
	free(d->clause_at);
	free(d->evs);
}

/* The two most mentioned states (ties: first mentioned). */
static void rank_states(cx_doc *d)
{
	const char *code[256];
	int cnt[256], n = 0;
	for (int m = 0; m < d->nment; m++) {
		const cx_ment *x = &d->ments[m];
		/* places count too: an article datelined and set in Niamey is about Niger */
		if ((x->cls != G_COUNTRY && x->cls != G_PLACE) || !x->code)
			continue;
		int i = 0;
		while (i < n && !cx_streq(code[i], x->code))
			i++;
		if (i == n && n < 256)
			code[n] = x->code, cnt[n++] = 0;
		if (i < n)
			cnt[i]++;
	}
	for (int p = 0; p < d->nperson; p++)
		for (int i = 0; i < n; i++)
			if (!strcmp(code[i], d->persons[p].country))
				cnt[i] += d->persons[p].mentions;
	int a = -1, b = -1;
	for (int i = 0; i < n; i++) {
		if (a < 0 || cnt[i] > cnt[a])
			b = a, a = i;
		else if (b < 0 || cnt[i] > cnt[b])
			b = i;
	}
	d->top[0] = a >= 0 ? code[a] : NULL;
	d->top[1] = b >= 0 ? code[b] : NULL;
	d->top_n[0] = a >= 0 ? cnt[a] : 0;
	d->top_n[1] = b >= 0 ? cnt[b] : 0;
}

static cr_err analyse(cx_doc *d)
{
	cr_err e;
	if ((e = cx_tokenize(d)))
		return e;
	d->tok_ment = malloc(sizeof(int) * (size_t)(d->ntok + 1));
	d->tok_person = malloc(sizeof(int) * (size_t)(d->ntok + 1));
	d->clause_at = malloc(sizeof(int) * (size_t)(d->ntok + 1));
	if (!d->tok_ment || !d->tok_person || !d->clause_at)
		return CR_ENOMEM;
	for (int i = 0; i < d->ntok; i++)
		d->tok_ment[i] = d->tok_person[i] = d->clause_at[i] = -1;
	if ((e = cx_find_gazetteer(d)) || (e = cx_find_dates(d)) || (e = cx_find_persons(d)))
		return e;
	rank_states(d);
	cx_infer_person_countries(d, d->top[0], d->top[1]);
	rank_states(d);
	return cx_find_events(d);
}

cr_err cx_extract(const cx_engine *e, const cx_input *in, cx_result **out)
{
	*out = NULL;
	if (!e || !in || (!in->text && in->len))
		return CR_EINVAL;
	if (in->len > (64u << 20))
		return CR_ETOOBIG;
	cx_doc d = {.eng = e, .text = in->text ? in->text : "", .len = in->len, .sb = in->sent_bounds,
	            .nsb = in->sent_bounds ? in->nsents : 0};
	d.lang = in->lang && !strcmp(in->lang, "fr") ? 1 : in->lang && !strcmp(in->lang, "en") ? 2 : 0;
	cx_parse_published(in->published, &d.py, &d.pm, &d.pd);
	cx_result *r = calloc(1, sizeof *r);
	cr_err err = r ? analyse(&d) : CR_ENOMEM;
	if (!err)
		err = cx_render(&d, r);
	doc_fini(&d);
	if (err) {
		cx_result_destroy(&r);
		return err;
	}
	*out = r;
	return CR_OK;
}
