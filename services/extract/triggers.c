/* Trigger matching and the clause around a trigger: data-file patterns
 * (prefixes, gaps, elisions, accents as tie-breakers), clause limits (list
 * commas, conjunctions), and the polarity tests: negation, condition,
 * future or intention, back-references ("cette visite"). */
#include <stdlib.h>
#include <string.h>

#include "extract/doc.h"

static int pmatch(const cx_doc *d, int k, const char *pat, int prefix)
{
	if (!cx_is_word(d, k))
		return 0;
	const char *f = cx_fold(d, k);
	/* elided French words: "décidé d'organiser" matches "décidé de" */
	if ((d->toks[k].flags & TK_APOS) && !prefix && f[0] && !f[1] && pat[0] == f[0] &&
	    (!strcmp(pat + 1, "e") || !strcmp(pat + 1, "a") || !strcmp(pat + 1, "ue")))
		return 1;
	if (!prefix)
		return cx_streq(f, pat);
	while (*pat && *f == *pat) /* strncmp(f, pat, strlen(pat)) == 0 */
		f++, pat++;
	return !*pat;
}

/* match pattern tokens from ti at text token k; returns end or -1 */
static int match_from(const cx_doc *d, const cx_trig *t, int ti, int k, int lim)
{
	if (ti == t->ntok)
		return k;
	if (k >= lim)
		return -1;
	if (!t->tok[ti]) {
		/* up to three words; an amount ("$1.3 billion", "2 000") counts as one */
		for (int g = 0, words = 0; words <= 3 && k + g < lim && g < 10; g++) {
			if (g) {
				const cx_tok *p = &d->toks[k + g - 1];
				int amount = (p->flags & TK_NUM) || ((p->flags & TK_PUNCT) && strchr("$.,", p->p) && p->p);
				if (!cx_is_word(d, k + g - 1) && !amount)
					break;
				words += !amount;
			}
			if (words > 3)
				break;
			int r = match_from(d, t, ti + 1, k + g, lim);
			if (r > 0)
				return r;
		}
		return -1;
	}
	if (!pmatch(d, k, t->tok[ti], t->prefix[ti]))
		return -1;
	return match_from(d, t, ti + 1, k + 1, lim);
}

int cx_trigger_at(const cx_doc *d, int i, int lim, int ctx, const cx_trig **out)
{
	if (!cx_is_word(d, i) || (d->toks[i].flags & (TK_SKIP | TK_NUM)))
		return -1;
	int best = -1, best_gaps = 0, best_exact = 0;
	for (int ti = d->toks[i].trig; ti >= 0;) {
		const cx_trig *t = cx_trig_get(d->eng->lex, ti);
		ti = t->next;
		if (t->is_ctx != ctx || (t->lang && d->lang && t->lang != d->lang))
			continue;
		int e = match_from(d, t, 0, i, lim);
		if (e < 0)
			continue; /* never better than no match */
		int gaps = 0;
		for (int g = 0; g < t->ntok; g++)
			gaps += !t->tok[g];
		int exact = e > 0 && d->toks[i].e - d->toks[i].b >= t->raw0len &&
		            !strncmp(d->text + d->toks[i].b, t->raw0, t->raw0len) &&
		            (t->prefix[0] || d->toks[i].e - d->toks[i].b == t->raw0len);
		if (e > best || (e == best && e > 0 && (gaps < best_gaps || (gaps == best_gaps && exact && !best_exact)))) {
			best_exact = exact;
			best = e;
			best_gaps = gaps;
			*out = t;
		}
	}
	return best;
}

/* A comma inside a list of parties ("le Mali, le Niger et la Côte d'Ivoire") */
static int list_comma(const cx_doc *d, int k)
{
	static const char *const skip[] = {"le", "la", "les", "l", "the", "et", "and", "ou", "or", NULL};
	static const char *const intro[] = {"dont", "notamment", "including", "comme", "namely", "such", "as", "tels",
	                                    "telles", "que", "like", NULL};
	int te = d->sents[d->toks[k].sent].te, j = k + 1, introduced = 0;
	for (; j < te && cx_is_word(d, j); j++) {
		int hit = 0;
		for (int w = 0; skip[w] && !hit; w++)
			hit = cx_streq(cx_fold(d, j), skip[w]);
		for (int w = 0; intro[w] && !hit; w++)
			if ((hit = cx_streq(cx_fold(d, j), intro[w])))
				introduced = 1;
		if (!hit)
			break;
	}
	if (j >= te || k == 0)
		return 0;
	/* items of one kind on both sides (states and places, or persons), or a list announced by "dont", "including" */
	const cx_ment *m = cx_ment_at(d, j, 0), *b = cx_ment_at(d, k - 1, 0);
	int party = d->tok_person[j] >= 0 || (m && (m->cls == G_COUNTRY || m->cls == G_PLACE));
	if (introduced)
		return party;
	if (d->tok_person[j] >= 0 && d->tok_person[k - 1] >= 0)
		return 1;
	return m && b && (m->cls == G_COUNTRY || m->cls == G_PLACE) && (b->cls == G_COUNTRY || b->cls == G_PLACE);
}

/* "500,000": a comma between digits, with no space, groups thousands */
static int digit_comma(const cx_doc *d, int k)
{
	return k > 0 && k + 1 < d->ntok && (d->toks[k - 1].flags & TK_NUM) && (d->toks[k + 1].flags & TK_NUM) &&
	       d->toks[k - 1].e == d->toks[k].b && d->toks[k].e == d->toks[k + 1].b;
}

/* Start of the trigger's clause: back to a clause mark, a conjunction word
 * or a comma that does not continue a list of parties. */
static int clause_start(const cx_doc *d, int k)
{
	int s = d->toks[k].sent, j = k;
	while (j > d->sents[s].tb && k - j < 40) {
		const cx_tok *t = &d->toks[j - 1];
		if ((t->flags & TK_PUNCT) && (t->p == ';' || t->p == ':' || t->p == '"' || t->p == '(' || t->p == ')'))
			break;
		if ((t->flags & TK_PUNCT) && t->p == ',' && !digit_comma(d, j - 1) && !list_comma(d, j - 1))
			break;
		if (cx_wordk(d, j - 1, W_CLAUSE))
			break;
		j--;
	}
	return j;
}

int cx_clause_start(const cx_doc *d, int k)
{
	if (d->clause_at[k] < 0)
		d->clause_at[k] = clause_start(d, k);
	return d->clause_at[k];
}

/* End of the trigger's clause to the right: a comma ends it unless a list
 * of parties goes on ("le Mali, le Niger et la Côte d'Ivoire"). */
int cx_right_end(const cx_doc *d, int s, int e, int lim)
{
	int te = d->sents[s].te < lim ? d->sents[s].te : lim, k = e;
	for (; k < te && k - e < 24; k++) {
		const cx_tok *t = &d->toks[k];
		if (cx_wordk(d, k, W_CLAUSE))
			return k;
		if (!(t->flags & TK_PUNCT))
			continue;
		if (t->p == ';' || t->p == ':' || t->p == '(')
			return k;
		if (t->p == ',' && !digit_comma(d, k) && !list_comma(d, k))
			return k;
	}
	return k;
}

/* Tokens of the sentence around k up to a clause word ("but", "mais", "after"). */
void cx_clause_span(const cx_doc *d, int s, int k, int *a, int *b)
{
	*a = d->sents[s].tb;
	*b = d->sents[s].te;
	for (int j = k - 1; j > *a; j--)
		if (cx_wordk(d, j, W_CLAUSE)) {
			*a = j;
			break;
		}
	for (int j = k + 1; j < *b; j++)
		if (cx_wordk(d, j, W_CLAUSE)) {
			*b = j;
			break;
		}
}

static int any_word(const cx_doc *d, int a, int b, int kind)
{
	for (int k = a < 0 ? 0 : a; k < b; k++)
		if (cx_wordk(d, k, kind))
			return 1;
	return 0;
}

/* A noun trigger is the subject of what follows: "la visite n'aura pas lieu" */
int cx_after_noun(const cx_doc *d, int e, int kind)
{
	int s = d->toks[e - 1].sent;
	for (int j = e; j < d->ntok && j < e + 10 && d->toks[j].sent == s; j++) {
		if ((d->toks[j].flags & TK_PUNCT) && d->toks[j].p != '\'')
			return 0;
		if (cx_wordk(d, j, kind))
			return 1;
	}
	return 0;
}

int cx_negated(const cx_doc *d, int k)
{
	int s = d->toks[k].sent;
	for (int j = k - 1; j >= 0 && j >= k - 6 && d->toks[j].sent == s; j--) {
		if (((d->toks[j].flags & TK_PUNCT) && d->toks[j].p != '\'') || cx_wordk(d, j, W_CLAUSE))
			return 0;
		if (cx_wordk(d, j, W_NEG))
			return 1;
	}
	return 0;
}

/* "said that China would send", "a indiqué que Paris serait prêt": a
 * conditional in reported speech is the future of the past, unless the
 * sentence states a condition ("if", "si", "unless"). */
static int reported_would(const cx_doc *d, int j)
{
	static const char *const cond[] = {"would", "serait", "seraient", NULL};
	int hit = 0;
	for (int w = 0; cond[w] && !hit; w++)
		hit = cx_is(d, j, cond[w]);
	if (!hit)
		return 0;
	int s = d->toks[j].sent, that = 0;
	for (int k = d->sents[s].tb; k < d->sents[s].te; k++) {
		if (cx_is(d, k, "if") || cx_is(d, k, "si") || cx_is(d, k, "unless") || cx_is(d, k, "whether"))
			return 0;
		if (k < j && (cx_is(d, k, "that") || cx_is(d, k, "que") || cx_is(d, k, "qu") || cx_is(d, k, "said") ||
		              cx_is(d, k, "told") || cx_is(d, k, "announced") || cx_is(d, k, "says")))
			that = 1;
	}
	return that;
}

int cx_hypothetical(const cx_doc *d, int k)
{
	int c = cx_clause_start(d, k);
	/* "said the sanctions would fail and accused": a verb coordinated by
	 * "and" has its own modality; the conditional belongs to the first one */
	for (int j = k - 1; j > c; j--)
		if ((cx_is(d, j, "and") || cx_is(d, j, "et")) && j >= k - 2) {
			c = j + 1;
			break;
		}
	for (int j = c; j < k; j++) {
		if (cx_wordk(d, j, W_HYPO) && !reported_would(d, j))
			return 1;
		if (cx_is(d, j, "s") && (d->toks[j].flags & TK_APOS) && (cx_is(d, j + 1, "il") || cx_is(d, j + 1, "ils")))
			return 1;
	}
	return 0;
}

int cx_future(const cx_doc *d, int k, int e, const cx_trig *t)
{
	int c = cx_clause_start(d, k);
	if (any_word(d, c > k - 12 ? c : k - 12, k, W_FUT))
		return 1;
	for (int j = c > k - 6 ? c : k - 6; j < k; j++)
		if (j >= 0 && reported_would(d, j))
			return 1;
	if ((t->flags & TF_N) && any_word(d, k + 1, e + 2, W_FUT))
		return 1;
	for (int j = k; d->lang == 1 && !(t->flags & TF_N) && j < e; j++) {
		const char *f = cx_fold(d, j);
		size_t n = strlen(f);
		if (n > 4 && (!strcmp(f + n - 2, "ra") || !strcmp(f + n - 4, "ront")))
			return 1;
	}
	return 0;
}

int cx_referential(const cx_doc *d, int k, const cx_trig *t)
{
	if (!(t->flags & TF_N))
		return 0;
	return cx_wordk(d, k - 1, W_DEMO) || (cx_wordk(d, k - 2, W_DEMO) && cx_is_word(d, k - 1));
}

int cx_find_triggers(const cx_doc *d, int s, cx_hit *out, int max)
{
	int n = 0;
	for (int k = d->sents[s].tb; k < d->sents[s].te && n < max; k++) {
		const cx_trig *t;
		int e = cx_trigger_at(d, k, d->sents[s].te, 0, &t);
		if (e < 0)
			continue;
		/* a capitalised trigger inside a sentence is part of a name ("Groupe de Soutien") */
		int first = k == d->sents[s].tb || (k > 0 && (d->toks[k - 1].flags & TK_PUNCT) && d->toks[k - 1].p != ',');
		if ((d->toks[k].flags & TK_CAP) && !first) {
			k = e - 1;
			continue;
		}
		out[n++] = (cx_hit){t, k, e, t->type, 0};
		k = e - 1;
	}
	return n;
}
