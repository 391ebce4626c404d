/* Gazetteer mentions: states by name, adjective or compound adjective
 * ("maroco-togolais"); places with their state; organisations; titles and
 * roles; each marked when a locative preposition governs it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "extract/doc.h"

static int lang_ok(const cx_val *v, const cx_doc *d)
{
	return !v->lang || !d->lang || v->lang == d->lang || v->cls == G_COUNTRY || v->cls == G_PLACE;
}

static int want_gaz(const cx_val *v, const cx_doc *d, int i)
{
	(void)i;
	return v->cls >= G_COUNTRY && v->cls <= G_TITLE && v->kind && lang_ok(v, d);
}

static int is_word_of(const cx_doc *d, int i, int kind)
{
	return cx_word(d, i, G_WORD, kind) != NULL;
}

const cx_ment *cx_ment_at(const cx_doc *d, int i, int cls)
{
	if (i < 0 || i >= d->ntok || d->tok_ment[i] < 0)
		return NULL;
	const cx_ment *m = &d->ments[d->tok_ment[i]];
	return !cls || m->cls == cls ? m : NULL;
}

static int raw_is(const cx_doc *d, int i, const char *s)
{
	size_t n = strlen(s);
	return cx_is_word(d, i) && d->toks[i].e - d->toks[i].b == n && !memcmp(d->text + d->toks[i].b, s, n);
}

/* "called on Cameroon", "appelle au Mali": the preposition ends a trigger
 * phrase and governs its object, not a place */
static int governed(const cx_doc *d, int k)
{
	const cx_trig *t;
	for (int j = k - 1; j >= 0 && j >= k - 2; j--)
		if (cx_is_word(d, j) && cx_trigger_at(d, j, k + 1, 0, &t) == k + 1)
			return 1;
	return 0;
}

/* preceded by "à", "au", "en", "in", "at"..., possibly through "la capitale malienne" */
static int locative(const cx_doc *d, int i)
{
	int s = d->toks[i].sent;
	for (int k = i - 1, n = 0; k >= 0 && n < 4 && d->toks[k].sent == s; k--, n++) {
		if (!cx_is_word(d, k))
			return 0;
		if (is_word_of(d, k, W_LOC) || raw_is(d, k, "à") || raw_is(d, k, "À"))
			return !governed(d, k);
		const char *f = cx_fold(d, k);
		static const char *const through[] = {"la", "le", "l", "les", "the", "capitale", "capital", "ville", "city",
		                                      "terre", "de", "du", "d", "of", "port", "region", "province", "est", "ouest",
		                                      "nord", "sud", "centre", "east", "west", "north", "south",
		                                      "eastern", "western", "northern", "southern", "central", "rues", "rue",
		                                      "streets", "street", "quartier", "quartiers", "banlieue", "outskirts",
		                                      "suburbs", "centre", "downtown", "plusieurs", "several", "many", "certains", "quelques", "mountains", "montagnes", "village", "villages", "town",
		                                      "aeroport", "airport", NULL};
		int ok = d->tok_ment[k] >= 0 && d->ments[d->tok_ment[k]].kind == K_ADJ;
		for (int w = 0; through[w] && !ok; w++)
			ok = cx_streq(f, through[w]);
		if (!ok)
			return 0;
	}
	return 0;
}

/* "in Mali, Burkina Faso and Niger": the preposition covers the whole list */
static int list_locative(const cx_doc *d, int i)
{
	int k = i - 1;
	while (k >= 0 && cx_is_word(d, k) && (!strcmp(cx_fold(d, k), "le") || !strcmp(cx_fold(d, k), "la") ||
	                                      !strcmp(cx_fold(d, k), "l") || !strcmp(cx_fold(d, k), "les")))
		k--;
	if (k < 1 || !((d->toks[k].flags & TK_PUNCT && d->toks[k].p == ',') ||
	               (cx_is_word(d, k) && (!strcmp(cx_fold(d, k), "et") || !strcmp(cx_fold(d, k), "and") ||
	                                     !strcmp(cx_fold(d, k), "ou") || !strcmp(cx_fold(d, k), "or")))))
		return 0;
	const cx_ment *m = cx_ment_at(d, k - 1, 0);
	return m && m->loc && (m->cls == G_COUNTRY || m->cls == G_PLACE);
}

static cr_err add_ment(cx_doc *d, cx_ment m)
{
	if (cx_grow((void **)&d->ments, &d->capment, d->nment + 1, sizeof *d->ments))
		return CR_ENOMEM;
	m.sent = d->toks[m.tb].sent;
	m.person = -1;
	d->ments[d->nment] = m;
	for (int k = m.tb; k < m.te; k++)
		d->tok_ment[k] = d->nment;
	d->nment++;
	return CR_OK;
}

/* A one-word state name that is also an event word ("Réunion") names the
 * state only after an article ("La Réunion", "de la Réunion") and not inside
 * a longer capitalised name ("Réunion Ministérielle"). */
static int common_word(const cx_doc *d, int i, int end)
{
	const cx_trig *t;
	if (cx_trigger_at(d, i, end, 0, &t) < 0)
		return 0;
	if (!(i > 0 && cx_is_word(d, i - 1) && (!strcmp(cx_fold(d, i - 1), "la") || !strcmp(cx_fold(d, i - 1), "l"))))
		return 1;
	return end < d->ntok && cx_is_word(d, end) && (d->toks[end].flags & TK_CAP);
}

/* "North-Western Sahara aquifer": a compass word glued before a name that
 * itself starts with one makes a new geographic name, not the state. */
static int compass_compound(const cx_doc *d, int i)
{
	static const char *const w[] = {"north", "south", "east", "west", "nord", "sud", "est", "ouest", NULL};
	static const char *const x[] = {"western", "eastern", "northern", "southern", "occidental", "oriental", NULL};
	if (i < 1 || !(d->toks[i].flags & TK_HYPH))
		return 0;
	int a = 0, b = 0;
	for (int k = 0; w[k]; k++)
		a |= cx_is(d, i - 1, w[k]);
	for (int k = 0; x[k]; k++)
		b |= cx_is(d, i, x[k]);
	return a && b;
}

/* "the South China Sea", "la mer de Chine" is a sea, not the state */
static int sea_name(const cx_doc *d, int end)
{
	return end < d->ntok && (d->toks[end].flags & TK_CAP) && (cx_is(d, end, "sea") || cx_is(d, end, "ocean"));
}

/* "congolais" names the Congo the article names: the Democratic Republic
 * when only it (or one of its places, "Kinshasa") is named. */
static void resolve_shared_adjectives(cx_doc *d)
{
	int cod = 0, cog = 0;
	for (int m = 0; m < d->nment; m++)
		if ((d->ments[m].cls == G_PLACE || (d->ments[m].cls == G_COUNTRY && d->ments[m].kind == K_NAME)) &&
		    d->ments[m].code) {
			cod |= !strcmp(d->ments[m].code, "COD");
			cog |= !strcmp(d->ments[m].code, "COG");
		}
	if (cod && !cog)
		for (int m = 0; m < d->nment; m++)
			if (d->ments[m].cls == G_COUNTRY && d->ments[m].kind == K_ADJ && d->ments[m].code &&
			    !strcmp(d->ments[m].code, "COG"))
				d->ments[m].code = "COD";
}

cr_err cx_find_gazetteer(cx_doc *d)
{
	for (int i = 0; i < d->ntok; i++) {
		if (!(d->toks[i].flags & TK_WORD) || (d->toks[i].flags & TK_SKIP))
			continue;
		int end = 0;
		int vi = cx_lexicon_match(d->eng->lex, d, i, d->ntok, want_gaz, &end);
		if (vi < 0)
			continue;
		const cx_val *v = cx_lexicon_val(d->eng->lex, vi);
		if (v->cls == G_COUNTRY && v->kind == K_PREFIX) {
			/* "maroco-togolais": a prefix counts only glued to a following word */
			if (end >= d->ntok || !(d->toks[end].flags & TK_HYPH))
				continue;
		}
		if (v->cls == G_COUNTRY && v->kind == K_NAME && end == i + 1 && common_word(d, i, end))
			continue;
		if (v->cls == G_COUNTRY && (compass_compound(d, i) || sea_name(d, end)))
			continue;
		/* "US$ 94 billion": a currency sign glued to the code */
		if (v->cls == G_COUNTRY && end < d->ntok && (d->toks[end].flags & TK_PUNCT) && d->toks[end].p == '$' &&
		    d->toks[end].b == d->toks[end - 1].e)
			continue;
		cx_ment m = {.cls = v->cls, .kind = v->kind, .tb = i, .te = end, .v = v};
		m.code = v->cls == G_ORG ? v->aux : v->code;
		if (v->cls == G_PLACE || v->cls == G_COUNTRY)
			m.loc = (uint8_t)(locative(d, i) || list_locative(d, i));
		if (add_ment(d, m))
			return CR_ENOMEM;
		i = end - 1;
	}
	resolve_shared_adjectives(d);
	return CR_OK;
}

int cx_first_ment(const cx_doc *d, int s)
{
	int lo = 0, hi = d->nment;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (d->ments[mid].sent < s)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int cx_first_date(const cx_doc *d, int s)
{
	int lo = 0, hi = d->ndate;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (d->dates[mid].sent < s)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
