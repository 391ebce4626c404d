/* The scope of a trigger before its parties are read: what governs it (a
 * promise of release is a concession, a vow to strike a threat), what it
 * names again (appositions, definite nouns taking up a reported act),
 * passive participles with no agent, announced dates, subheadings. */
#include <stdlib.h>
#include <string.h>

#include "extract/doc.h"

/* "19 firms accused of shipping", "deux commandants accusés d'entraver":
 * the participle with nothing between it and "of"/"de" is passive, the
 * accuser unnamed; the active verb has its object there ("accused Russia
 * of", "l'accuse de" with the object as a clitic before it). */
int cx_participle(const cx_doc *d, const cx_hit *h)
{
	static const char *const clitic[] = {"l", "le", "la", "les", "lui", "leur", "nous", "vous", "me", "te", "se", "s", NULL};
	if ((h->t->flags & TF_N) || strcmp(h->type, "ACCUSE") || !(cx_is(d, h->e, "of") || cx_is(d, h->e, "de") ||
	                                                          cx_is(d, h->e, "d")))
		return 0;
	for (int w = 0; clitic[w]; w++)
		if (cx_is(d, h->k - 1, clitic[w]))
			return 0;
	static const char *const aux[] = {"a", "ont", "avait", "avaient", "has", "have", "had", "and", "et", NULL};
	for (int w = 0; aux[w]; w++)
		if (cx_is(d, h->k - 1, aux[w]) || (cx_is(d, h->k - 2, aux[w]) && cx_is_word(d, h->k - 1) &&
		                                   !(d->toks[h->k - 1].flags & TK_CAP)))
			return 0;
	return 1;
}

/* ", a deployment Addis Ababa views as hostile", ", une accusation que
 * Cotonou dément": a noun in apposition after a comma names again the act
 * the clause before it reported. */
int cx_apposition(const cx_doc *d, const cx_hit *h)
{
	if (h->k < 2)
		return 0;
	int j = h->k - 1;
	/* ", a long-standing Tunisian demand": adjectives between the article and the noun */
	for (int n = 0; n < 2 && j > 1 && cx_is_word(d, j) && !cx_is(d, j, "a") && !cx_is(d, j, "an") &&
	                !cx_is(d, j, "une") && !cx_is(d, j, "un") && d->lang == 2; n++)
		j--;
	/* French "a" is the auxiliary ("X, a rencontré"): articles by language */
	if (!(d->lang == 2 ? cx_is(d, j, "a") || cx_is(d, j, "an") : cx_is(d, j, "une") || cx_is(d, j, "un")))
		return 0;
	if (!((d->toks[j - 1].flags & TK_PUNCT) && d->toks[j - 1].p == ','))
		return 0;
	/* only when it names again what the sentence already reported */
	for (int i = d->nev - 1; i >= 0 && d->evs[i].sent == d->toks[h->k].sent; i--)
		if (!strcmp(d->evs[i].type, h->type))
			return 1;
	return 0;
}

/* "The expulsions came a week after...": a definite noun opening the
 * sentence names an act of a type already reported, as its subject. */
int cx_taken_up(const cx_doc *d, int s, const cx_hit *h)
{
	if (!(h->t->flags & TF_N))
		return 0;
	int k = h->k - 1;
	int def = cx_is(d, k, "the") || cx_is(d, k, "la") || cx_is(d, k, "le") || cx_is(d, k, "les") || cx_is(d, k, "l");
	/* "on the sidelines of the summit", "en marge du sommet", "à la menace de" */
	int pp = (def && (cx_is(d, k - 1, "of") || cx_is(d, k - 1, "at") || cx_is(d, k - 1, "de") || cx_is(d, k - 1, "a"))) ||
	         cx_is(d, k, "du") || cx_is(d, k, "au");
	/* "criticised the blockade": the definite object of another act */
	int object = def && h->k - 2 >= d->sents[s].tb && h->k - 2 >= cx_clause_start(d, h->k) &&
	             cx_trigger_at(d, h->k - 2, h->k - 1, 0, &(const cx_trig *){NULL}) > 0;
	if (!pp && !object && !(def && h->k == d->sents[s].tb + 1))
		return 0;
	for (int i = 0; i < d->nev; i++)
		if (d->evs[i].sent < s && !strcmp(d->evs[i].type, h->type))
			return 1;
	return 0;
}

/* "agreed to a truce after talks hosted by Egypt": a clause word ends what a promise governs */
int cx_clause_word_between(const cx_doc *d, int a, int b)
{
	for (int k = a; k < b; k++)
		if (k >= 0 && cx_wordk(d, k, W_CLAUSE))
			return 1;
	return 0;
}

int cx_hostile(const char *type)
{
	return !strcmp(type, "ASSAULT") || !strcmp(type, "SANCTION") || !strcmp(type, "COERCE") ||
	       !strcmp(type, "THREATEN") || !strcmp(type, "MOBILIZE");
}

/* What a promise governs decides what it is (PLOVER): promising a release,
 * a withdrawal or a truce is CONCEDE; vowing to strike or to punish is a
 * THREATEN. The wrapper hit i takes the type, or is dropped (returns 1) and
 * the governed act becomes a threat. */
int cx_promise_kind(cx_hit *hits, int nh, int i, int wrap_end)
{
	for (int j = i + 1; j < nh && j == i + 1 && hits[j].k < wrap_end; j++) {
		int gap = hits[j].k - hits[i].e;
		if (gap <= 8 && (!strcmp(hits[j].type, "RETREAT") || (!strcmp(hits[j].type, "CONCEDE") && (hits[j].t->flags & TF_N)))) {
			hits[i].type = "CONCEDE";
			return 0;
		}
		/* "vowed to retaliate": the act right after "to", "de", "à" */
		if (gap <= 2 && cx_hostile(hits[j].type)) {
			hits[j].type = "THREATEN";
			return 1;
		}
	}
	return 0;
}

/* An event dated by its own sentence after the publication date is announced, not done. */
int cx_later_date(const cx_doc *d, int s, const cx_hit *h)
{
	int i = -1, bd = 1 << 30;
	for (int j = cx_first_date(d, s); j < d->ndate && d->dates[j].sent == s; j++)
		if (!d->dates[j].dateline && abs(d->dates[j].tb - h->k) < bd)
			bd = abs(d->dates[j].tb - h->k), i = j;
	if (i < 0 || !d->py)
		return 0;
	const cx_date *x = &d->dates[i];
	long a = (long)x->y * 10000 + x->m * 100 + x->d, p = (long)d->py * 10000 + d->pm * 100 + d->pd;
	if (!x->m)
		return x->y > d->py;
	if (!x->d)
		return a / 100 > p / 100;
	return a > p;
}

/* "Médiation togolaise": a line of a few words with no final punctuation is
 * a subheading, a topic and not a report. */
int cx_subhead(const cx_doc *d, int s)
{
	int words = 0, last = d->sents[s].te - 1;
	for (int k = d->sents[s].tb; k <= last; k++)
		words += cx_is_word(d, k);
	if (words > 4 || words == 0)
		return 0;
	return !((d->toks[last].flags & TK_PUNCT) && strchr(".!?\"", d->toks[last].p));
}
