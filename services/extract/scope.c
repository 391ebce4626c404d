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
static int only_function_words(const cx_doc *d, int a, int b)
{
	static const char *const w[] = {"that", "this", "the", "any", "such", "que", "qu", "cette", "ce", "cet", "toute",
	                                "tout", "la", "le", "l", NULL};
	if (b - a > 5)
		return 0;
	for (int k = a; k < b; k++) {
		if ((d->toks[k].flags & TK_PUNCT) && d->toks[k].p == '"')
			continue;
		int ok = 0;
		for (int i = 0; w[i] && !ok; i++)
			ok = cx_is(d, k, w[i]);
		if (!ok)
			return 0;
	}
	return 1;
}

int cx_promise_kind(const cx_doc *d, cx_hit *hits, int nh, int i, int wrap_end)
{
	for (int j = i + 1; j < nh && j == i + 1 && hits[j].k < wrap_end; j++) {
		int gap = hits[j].k - hits[i].e;
		if (gap <= 8 && (!strcmp(hits[j].type, "RETREAT") || (!strcmp(hits[j].type, "CONCEDE") && (hits[j].t->flags & TF_N)))) {
			hits[i].type = "CONCEDE";
			return 0;
		}
		/* "vowed to retaliate": the act right after "to", "de", "à"; "vowed
		 * that this aggression would not go unanswered": after "that" and
		 * a determiner, quotes aside */
		if ((gap <= 2 || only_function_words(d, hits[i].e, hits[j].k) || !strcmp(hits[j].type, "THREATEN")) &&
		    cx_hostile(hits[j].type)) {
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
	/* only a date of the trigger's own clause: "agreed to postpone the tariff
	 * due on October 1, after a phone call": the call is not announced */
	int cs = cx_clause_start(d, h->k), re = cx_right_end(d, s, h->e, d->ntok);
	/* a noun is the subject of what follows: "une réunion, co-présidée par
	 * X, doit se tenir la semaine prochaine" */
	if (h->t->flags & TF_N)
		re = d->sents[s].te;
	for (int j = cx_first_date(d, s); j < d->ndate && d->dates[j].sent == s; j++)
		if (!d->dates[j].dateline && d->dates[j].tb >= cs && d->dates[j].tb <= re && abs(d->dates[j].tb - h->k) < bd)
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
	for (int k = d->sents[s].tb; k <= last && words <= 4; k++)
		words += cx_is_word(d, k);
	if (words > 4 || words == 0)
		return 0;
	return !((d->toks[last].flags & TK_PUNCT) && strchr(".!?\"", d->toks[last].p));
}

static int one_of(const char *type, const char *a, const char *b, const char *c)
{
	return !strcmp(type, a) || (b && !strcmp(type, b)) || (c && !strcmp(type, c));
}

/* "Analysts in Islamabad warned that...", "des observateurs estiment":
 * the subject is a commentator, not a party; what they say is an opinion
 * on events, not an act. The commentator must be the nearest subject: no
 * state or person named between it and the trigger (only places). */
int cx_commentator(const cx_doc *d, const cx_hit *h)
{
	static const char *const w[] = {"analysts", "analyst", "experts", "expert", "observers", "commentators",
	                                "residents", "witnesses", "scholars", "economists", "analystes", "analyste",
	                                "observateurs", "commentateurs", "habitants", "temoins", "specialistes",
	                                "economistes", "chercheurs", "researchers", NULL};
	static const char *const crowd[] = {"protesters", "protestors", "demonstrators", "manifestants",
	                                    "protestataires", "marchers", NULL};
	if (!strcmp(h->type, "PROTEST"))
		return 0;
	/* "protesters demanding the withdrawal": what a crowd demands is its protest */
	if (one_of(h->type, "REQUEST", "ACCUSE", "REJECT") && cx_is_any(d, h->k - 1, crowd))
		return 1;
	int cs = cx_clause_start(d, h->k);
	for (int j = h->k - 1; j >= cs && j >= h->k - 6; j--) {
		const cx_ment *m = cx_ment_at(d, j, 0);
		if (d->tok_person[j] >= 0 || (m && !m->loc && (m->cls == G_COUNTRY || m->cls == G_ORG)))
			return 0;
		if (cx_is_any(d, j, w))
			return 1;
	}
	return 0;
}

/* "a detained American journalist", "the jailed activists": a participle
 * between a determiner and its noun is an attribute, a state of affairs in
 * the background, not the act being reported. */
int cx_attributive(const cx_doc *d, const cx_hit *h)
{
	static const char *const det[] = {"a", "an", "the", "two", "three", "several", "its", "their", "his", "her",
	                                  "other", "some", "many", "all", NULL};
	if (d->lang != 2 || (h->t->flags & TF_N) || h->e - h->k != 1 || h->k < 1 || !cx_is_word(d, h->e))
		return 0;
	const char *f = cx_fold(d, h->k);
	size_t n = strlen(f);
	if (n < 4 || strcmp(f + n - 2, "ed"))
		return 0;
	if (cx_wordk(d, h->e, W_AGENT) || cx_wordk(d, h->e, W_LOC) || cx_wordk(d, h->e, W_CLAUSE))
		return 0;
	for (int w = 0; det[w]; w++)
		if (cx_is(d, h->k - 1, det[w]))
			return 1;
	return 0;
}

static int between_party(const cx_doc *d, int a, int b)
{
	for (int j = a; j < b; j++) {
		const cx_ment *m = cx_ment_at(d, j, 0);
		if (d->tok_person[j] >= 0 || (m && !m->loc && (m->cls == G_COUNTRY || m->cls == G_ORG)))
			return 1;
	}
	return 0;
}

/* Hit i is part of the hit before it in its clause, not an act of its own:
 * - the object of a relaxation: "ease the curfew", "lever le blocus";
 * - a verb whose subject is a noun trigger of the same type: "Israeli
 *   strikes on two villages killed three people", "l'attaque a tué";
 * - a meeting noun after a meeting verb: "met them for talks";
 * - a purpose infinitive after a material act: "approved a loan to
 *   support reforms", "envoyé des troupes pour appuyer l'armée", or after
 *   a protest: "manifesté pour dénoncer". */
int cx_part_of_previous(const cx_doc *d, const cx_hit *hits, int i)
{
	if (i < 1)
		return 0;
	const cx_hit *h = &hits[i], *p = &hits[i - 1];
	if (p->k < cx_clause_start(d, h->k) || cx_clause_word_between(d, p->e, h->k))
		return 0;
	if (one_of(p->type, "CONCEDE", "RETREAT", NULL) && cx_hostile(h->type) && h->k - p->e <= 3)
		return 1;
	if (!strcmp(p->type, h->type) && (p->t->flags & TF_N) && !(h->t->flags & TF_N) && cx_hostile(h->type) &&
	    !between_party(d, p->e, h->k))
		return 1;
	/* "met her counterparts in Berlin for talks": the noun names the meeting the verb reported */
	if (!strcmp(p->type, "CONSULT") && !strcmp(h->type, "CONSULT") && !(p->t->flags & TF_N) && (h->t->flags & TF_N) &&
	    h->k - p->e <= 12)
		return 1;
	int to = cx_is(d, h->k - 1, "to") || cx_is(d, h->k - 1, "pour") ||
	         (cx_is(d, h->k - 1, "de") && cx_is(d, h->k - 2, "afin"));
	if (!to || (p->t->flags & TF_A) || !strcmp(p->type, h->type))
		return 0;
	/* "marched to demand", "manifesté pour dénoncer": what a protest asks or denounces is the protest */
	if (!strcmp(p->type, "PROTEST") && one_of(h->type, "REQUEST", "ACCUSE", "REJECT"))
		return 1;
	return one_of(h->type, "SUPPORT", "COOPERATE", "AID") && one_of(p->type, "AID", "MOBILIZE", NULL);
}

/* "joint drills", "exercices conjoints": exercises held together are
 * mutual cooperation, not one side raising its readiness. */
int cx_joint(const cx_doc *d, const cx_hit *h)
{
	for (int j = h->k; j < h->e + 1 && j < d->ntok; j++)
		if (cx_is(d, j, "joint") || cx_is(d, j, "conjoint") || cx_is(d, j, "conjoints") ||
		    cx_is(d, j, "conjointe") || cx_is(d, j, "conjointes") || cx_is(d, j, "combined"))
			return 1;
	return 0;
}

/* Sentence s states a condition on the other side's conduct: "unless", "à moins que", "sauf si" */
int cx_unless(const cx_doc *d, int s)
{
	for (int k = d->sents[s].tb; k < d->sents[s].te; k++)
		if (cx_is(d, k, "unless") || (cx_is(d, k, "moins") && cx_is(d, k - 1, "a") && (cx_is(d, k + 1, "que") ||
		                                                                              cx_is(d, k + 1, "qu"))) ||
		    (cx_is(d, k, "sauf") && cx_is(d, k + 1, "si")))
			return 1;
	return 0;
}
