/* Events: PLOVER triggers per sentence, filtered for negation, condition
 * and back-references, turned to AGREE when future or governed by a promise,
 * with actor and recipient read from the parties around the trigger (states,
 * persons coded as their state, IGOs, "les deux parties", pronouns for the
 * focal actor), then date, location, context and one event per
 * (type, set of states). */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "extract/doc.h"

typedef struct party {
	const char *code;
	int tok;
	uint8_t loc, agent, anaphor, place;
} party;

#define MAXP 32

static int is(const cx_doc *d, int i, const char *w)
{
	return cx_is_word(d, i) && !strcmp(cx_fold(d, i), w);
}

static int wordk(const cx_doc *d, int i, int kind)
{
	return i >= 0 && i < d->ntok && cx_word(d, i, G_WORD, kind) != NULL;
}

static int pmatch(const cx_doc *d, int k, const char *pat, int prefix)
{
	if (!cx_is_word(d, k))
		return 0;
	const char *f = cx_fold(d, k);
	size_t n = strlen(pat);
	return prefix ? !strncmp(f, pat, n) : !strcmp(f, pat);
}

/* match pattern tokens from ti at text token k; returns end or -1 */
static int match_from(const cx_doc *d, const cx_trig *t, int ti, int k, int lim)
{
	if (ti == t->ntok)
		return k;
	if (k >= lim)
		return -1;
	if (!t->tok[ti]) {
		for (int g = 0; g <= 3 && k + g < lim; g++) {
			if (g && !cx_is_word(d, k + g - 1))
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
	int best = -1;
	for (int ti = cx_trig_first(d->eng->lex, cx_fold(d, i), d->toks[i].flen); ti >= 0;) {
		const cx_trig *t = cx_trig_get(d->eng->lex, ti);
		ti = t->next;
		if (t->is_ctx != ctx || (t->lang && d->lang && t->lang != d->lang))
			continue;
		int e = match_from(d, t, 0, i, lim);
		if (e > best) {
			best = e;
			*out = t;
		}
	}
	return best;
}

static const char *pair_other(const cx_doc *d, const char *focal, int upto)
{
	int s0 = d->toks[upto].sent;
	for (int m = d->nment - 1; m >= 0; m--) {
		const cx_ment *x = &d->ments[m];
		if (x->tb >= upto || x->sent < s0 - 2)
			continue;
		if (x->cls == G_COUNTRY && x->code && (!focal || strcmp(x->code, focal)))
			return x->code;
	}
	return NULL;
}

static void add_party(party *p, int *n, const char *code, int tok, int loc, int agent, int ana, int place)
{
	if (!code || *n >= MAXP)
		return;
	p[(*n)++] = (party){code, tok, (uint8_t)loc, (uint8_t)agent, (uint8_t)ana, (uint8_t)place};
}

/* A role with no name and no state near it ("le ministre") stands for the focal actor. */
static int anaphoric_role(const cx_doc *d, const cx_ment *m)
{
	for (int k = m->te; k < d->ntok && k < m->te + 6 && d->toks[k].sent == m->sent; k++) {
		if (d->tok_person[k] >= 0 || cx_ment_at(d, k, G_COUNTRY) || cx_ment_at(d, k, G_ORG))
			return 0;
		if ((d->toks[k].flags & TK_PUNCT) && d->toks[k].p != '\'')
			break;
	}
	for (int k = m->tb - 1; k >= 0 && k >= m->tb - 2; k--)
		if (cx_ment_at(d, k, G_COUNTRY))
			return 0;
	return 1;
}

static int collect(const cx_doc *d, int s, const char *focal, party *p)
{
	int n = 0;
	for (int k = d->sents[s].tb; k < d->sents[s].te; k++) {
		if (d->toks[k].flags & TK_SKIP)
			continue;
		int agent = k > 0 && (wordk(d, k - 1, W_AGENT) || (k > 1 && wordk(d, k - 2, W_AGENT)));
		const cx_ment *m = cx_ment_at(d, k, 0);
		if (m && m->tb == k) {
			if (m->cls == G_COUNTRY)
				add_party(p, &n, m->code, k, m->loc, agent, 0, 0);
			else if (m->cls == G_PLACE && m->loc)
				add_party(p, &n, m->code, k, 1, 0, 0, 1);
			else if (m->cls == G_ORG && m->v->code && !strncmp(m->v->code, "IGO:", 4))
				add_party(p, &n, m->v->code, k, 0, agent, 0, 0);
			else if (m->cls == G_TITLE && m->kind == K_ROLE && focal && anaphoric_role(d, m))
				add_party(p, &n, focal, k, 0, agent, 1, 0);
			continue;
		}
		int pi = d->tok_person[k];
		if (pi >= 0 && (k == 0 || d->tok_person[k - 1] != pi)) {
			if (*d->persons[pi].country)
				add_party(p, &n, d->persons[pi].country, k, 0, agent, 0, 0);
			continue;
		}
		if (wordk(d, k, W_PAIRNUM) && wordk(d, k + 1, W_PAIRNOUN)) {
			const char *o = pair_other(d, focal, k);
			const char *a = focal ? focal : d->top[0], *b = o ? o : d->top[1];
			if (a && b && strcmp(a, b)) {
				add_party(p, &n, a, k, 0, 0, 1, 0);
				add_party(p, &n, b, k, 0, 0, 1, 0);
			}
			k++;
			continue;
		}
		if (focal && wordk(d, k, W_PRON) && !(k > 0 && is(d, k - 1, "s")))
			add_party(p, &n, focal, k, 0, agent, 1, 0);
	}
	return n;
}

static int clause_start(const cx_doc *d, int k)
{
	int s = d->toks[k].sent, j = k;
	while (j > d->sents[s].tb && k - j < 10) {
		const cx_tok *t = &d->toks[j - 1];
		if ((t->flags & TK_PUNCT) && (t->p == ',' || t->p == ';' || t->p == ':' || t->p == '"'))
			break;
		j--;
	}
	return j;
}

static int any_word(const cx_doc *d, int a, int b, int kind)
{
	for (int k = a < 0 ? 0 : a; k < b; k++)
		if (wordk(d, k, kind))
			return 1;
	return 0;
}

static int negated(const cx_doc *d, int k)
{
	int s = d->toks[k].sent;
	for (int j = k - 1; j >= 0 && j >= k - 4 && d->toks[j].sent == s; j--) {
		if ((d->toks[j].flags & TK_PUNCT) && d->toks[j].p != '\'')
			return 0;
		if (wordk(d, j, W_NEG))
			return 1;
	}
	return 0;
}

static int hypothetical(const cx_doc *d, int k)
{
	int c = clause_start(d, k);
	for (int j = c; j < k; j++) {
		if (wordk(d, j, W_HYPO))
			return 1;
		if (is(d, j, "s") && (d->toks[j].flags & TK_APOS) && (is(d, j + 1, "il") || is(d, j + 1, "ils")))
			return 1;
	}
	return 0;
}

static int future(const cx_doc *d, int k, int e, const cx_trig *t)
{
	int c = clause_start(d, k);
	if (any_word(d, c > k - 6 ? c : k - 6, k, W_FUT))
		return 1;
	if ((t->flags & TF_N) && any_word(d, e, e + 2, W_FUT))
		return 1;
	if (d->lang == 1 && !(t->flags & TF_N)) {
		const char *f = cx_fold(d, e - 1);
		size_t n = strlen(f);
		if (n > 4 && (!strcmp(f + n - 2, "ra") || !strcmp(f + n - 4, "ront")))
			return 1;
	}
	return 0;
}

static int referential(const cx_doc *d, int k, const cx_trig *t)
{
	if (!(t->flags & TF_N))
		return 0;
	return wordk(d, k - 1, W_DEMO) || (wordk(d, k - 2, W_DEMO) && cx_is_word(d, k - 1));
}

static int cooperative(const char *type)
{
	return !strcmp(type, "CONSULT") || !strcmp(type, "SUPPORT") || !strcmp(type, "COOPERATE") ||
	       !strcmp(type, "AID") || !strcmp(type, "RETREAT") || !strcmp(type, "CONCEDE") || !strcmp(type, "AGREE");
}

static int is_state(const char *c)
{
	return c && strlen(c) == 3 && c[0] >= 'A' && c[0] <= 'Z';
}

static int has(char (*list)[24], int n, const char *c)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(list[i], c))
			return 1;
	return 0;
}

static void put(char (*list)[24], int *n, const char *c)
{
	if (c && *n < CX_MAX_PARTY && !has(list, *n, c))
		snprintf(list[(*n)++], 24, "%s", c);
}

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void make_key(cx_ev *ev)
{
	const char *c[2 * CX_MAX_PARTY];
	int n = 0;
	for (int i = 0; i < ev->nactor; i++)
		if (is_state(ev->actor[i]))
			c[n++] = ev->actor[i];
	for (int i = 0; i < ev->nrecip; i++)
		if (is_state(ev->recip[i]))
			c[n++] = ev->recip[i];
	qsort(c, (size_t)n, sizeof *c, cmpstr);
	size_t o = (size_t)snprintf(ev->key, sizeof ev->key, "%s", ev->type);
	for (int i = 0; i < n && o + 5 < sizeof ev->key; i++)
		if (!i || strcmp(c[i], c[i - 1]))
			o += (size_t)snprintf(ev->key + o, sizeof ev->key - o, " %s", c[i]);
}

static int nstates(const cx_ev *ev)
{
	int n = 0;
	for (int i = 0; i < ev->nactor; i++)
		n += is_state(ev->actor[i]);
	for (int i = 0; i < ev->nrecip; i++)
		n += is_state(ev->recip[i]) && !has((char (*)[24])ev->actor, ev->nactor, ev->recip[i]);
	return n;
}

static int near_date(const cx_doc *d, int s, int k)
{
	int best = -1, bd = 1 << 30;
	for (int i = 0; i < d->ndate; i++) {
		if (d->dates[i].sent != s)
			continue;
		int dist = abs(d->dates[i].tb - k);
		if (dist < bd)
			bd = dist, best = i;
	}
	return best;
}

static int near_loc(const cx_doc *d, int s, int k, const char *host)
{
	int best = -1, bd = 1 << 30;
	for (int m = 0; m < d->nment; m++) {
		const cx_ment *x = &d->ments[m];
		if (x->sent != s || !x->loc || !x->code || (x->cls != G_PLACE && !(x->cls == G_COUNTRY && x->kind == K_NAME)))
			continue;
		int dist = abs(x->tb - k) + (x->cls == G_COUNTRY ? 1000 : 0);
		if (host && strcmp(x->code, host))
			dist += 500;
		if (dist < bd)
			bd = dist, best = m;
	}
	return best;
}

static cr_err emit(cx_doc *d, cx_ev *ev)
{
	make_key(ev);
	for (int i = 0; i < d->nev; i++) {
		cx_ev *o = &d->evs[i];
		if (strcmp(o->key, ev->key))
			continue;
		if (ev->date >= 0 && (o->date < 0 || (!o->date_near && ev->date_near)))
			o->date = ev->date, o->date_near = ev->date_near;
		if (o->loc < 0)
			o->loc = ev->loc;
		if (ev->conf > o->conf)
			o->conf = ev->conf;
		return CR_OK;
	}
	if (cx_grow((void **)&d->evs, &d->capev, d->nev + 1, sizeof *d->evs))
		return CR_ENOMEM;
	d->evs[d->nev++] = *ev;
	return CR_OK;
}

static void context_tags(const cx_doc *d, int s, cx_ev *ev)
{
	for (int k = d->sents[s].tb; k < d->sents[s].te && ev->nctx < 6; k++) {
		const cx_trig *t;
		if (cx_trigger_at(d, k, d->sents[s].te, 1, &t) < 0)
			continue;
		int dup = 0;
		for (int i = 0; i < ev->nctx; i++)
			dup |= !strcmp(ev->ctx[i], t->type);
		if (!dup)
			ev->ctx[ev->nctx++] = t->type;
	}
}

static void finish(cx_doc *d, int s, int k, cx_ev *ev, const char *host)
{
	ev->sent = s;
	ev->date = near_date(d, s, k);
	ev->date_near = ev->date >= 0;
	if (ev->date < 0 && d->ndate)
		ev->date = 0; /* the article's first date: the lead usually dates what it reports */
	ev->loc = near_loc(d, s, k, host);
	context_tags(d, s, ev);
	ev->conf = 0.5f + (nstates(ev) >= 2 ? 0.2f : 0) + (ev->date_near ? 0.1f : 0);
}

typedef struct trig_hit {
	const cx_trig *t;
	int k, e;
	const char *type;
} trig_hit;

/* One trigger into events: parties split by side of the trigger. */
static cr_err assign(cx_doc *d, int s, const trig_hit *h, party *p, int np, const char *focal)
{
	const cx_trig *t = h->t;
	party L[MAXP], R[MAXP];
	int nl = 0, nr = 0;
	for (int i = 0; i < np; i++) {
		if (p[i].tok < h->k)
			L[nl++] = p[i];
		else if (p[i].tok >= h->e)
			R[nr++] = p[i];
	}
	int nominal = (t->flags & TF_N) != 0;
	int poss = nominal && h->k > 0 && (wordk(d, h->k - 1, W_PRON) || wordk(d, h->k - 2, W_PRON));
	cx_ev ev = {.type = h->type, .mode = t->mode, .date = -1, .loc = -1};
	if ((t->flags & TF_S)) {
		/* one-sided: the subject if named, else each place the act happened in */
		if (!nominal)
			for (int i = 0; i < nl; i++)
				if (!L[i].loc && !L[i].anaphor)
					put(ev.actor, &ev.nactor, L[i].code);
		if (ev.nactor) {
			finish(d, s, h->k, &ev, NULL);
			return emit(d, &ev);
		}
		for (int i = 0; i < nr; i++) {
			if (!R[i].loc || !is_state(R[i].code) || R[i].tok - h->e > 25)
				continue;
			cx_ev one = {.type = h->type, .mode = t->mode, .date = -1, .loc = -1};
			put(one.actor, &one.nactor, R[i].code);
			finish(d, s, h->k, &one, R[i].code);
			if (emit(d, &one))
				return CR_ENOMEM;
		}
		return CR_OK;
	}
	if ((t->flags & (TF_V | TF_H)) && !strcmp(h->type, "CONSULT")) {
		char hosts[CX_MAX_PARTY][24], guests[CX_MAX_PARTY][24];
		int nh = 0, ng = 0;
		if (t->flags & TF_V) {
			for (int i = 0; i < nr; i++)
				if (R[i].loc)
					put(hosts, &nh, R[i].code);
			for (int i = 0; i < nr; i++)
				if (R[i].agent)
					put(guests, &ng, R[i].code);
			if (poss && focal)
				put(guests, &ng, focal);
			for (int i = 0; i < nl && !ng; i++)
				if (!L[i].loc)
					put(guests, &ng, L[i].code);
			for (int i = 0; i < nr && !nh; i++)
				if (!R[i].agent && !has(guests, ng, R[i].code))
					put(hosts, &nh, R[i].code);
			if (!ng && focal)
				put(guests, &ng, focal);
		} else {
			for (int i = 0; i < np; i++)
				if (p[i].loc)
					put(hosts, &nh, p[i].code);
			for (int i = 0; i < nl && !nh; i++)
				put(hosts, &nh, L[i].code);
			for (int i = 0; i < nr; i++)
				if (!R[i].loc && !has(hosts, nh, R[i].code))
					put(guests, &ng, R[i].code);
		}
		for (int g = 0; g < ng; g++)
			for (int j = 0; j < nh; j++) {
				if (!strcmp(guests[g], hosts[j]) || !is_state(hosts[j]))
					continue;
				cx_ev one = {.type = h->type, .mode = t->mode, .date = -1, .loc = -1};
				put(one.actor, &one.nactor, guests[g]);
				put(one.recip, &one.nrecip, hosts[j]);
				finish(d, s, h->k, &one, hosts[j]);
				if (emit(d, &one))
					return CR_ENOMEM;
			}
		return CR_OK;
	}
	if ((t->flags & TF_M) && !strcmp(h->type, "CONSULT")) {
		for (int i = 0; i < np; i++)
			if (!p[i].place || np < 2)
				put(ev.actor, &ev.nactor, p[i].code);
		if (focal && (poss || nstates(&ev) == 1) && !has(ev.actor, ev.nactor, focal))
			put(ev.actor, &ev.nactor, focal);
		if (nstates(&ev) >= 3 && !ev.mode)
			ev.mode = "multilateral";
		if (nstates(&ev) < 2)
			return CR_OK;
		finish(d, s, h->k, &ev, NULL);
		return emit(d, &ev);
	}
	/* general: subject side acts on the other side, one event per recipient */
	for (int i = 0; i < nl; i++)
		if (!L[i].place)
			put(ev.actor, &ev.nactor, L[i].code);
	if (!ev.nactor && focal && (poss || !nominal))
		put(ev.actor, &ev.nactor, focal);
	char rec[CX_MAX_PARTY][24];
	int nrec = 0;
	for (int i = 0; i < nr; i++)
		if (!has(ev.actor, ev.nactor, R[i].code) && (!R[i].place || nstates(&ev) + nrec < 1))
			put(rec, &nrec, R[i].code);
	if (!ev.nactor && nrec) {
		/* nominal with no subject: "le soutien du Togo au Maroc" */
		put(ev.actor, &ev.nactor, rec[0]);
		memmove(rec, rec + 1, sizeof rec[0] * (size_t)(--nrec));
	}
	if ((t->flags & TF_R) && !nrec)
		return CR_OK;
	if (!nrec) {
		if (nstates(&ev) < (cooperative(h->type) ? 2 : 1))
			return CR_OK;
		finish(d, s, h->k, &ev, NULL);
		return emit(d, &ev);
	}
	for (int r = 0; r < nrec; r++) {
		cx_ev one = ev;
		put(one.recip, &one.nrecip, rec[r]);
		if (nstates(&one) < (cooperative(h->type) ? 2 : 1) && !(nstates(&one) == 1 && !is_state(rec[r])))
			continue;
		finish(d, s, h->k, &one, NULL);
		if (emit(d, &one))
			return CR_ENOMEM;
	}
	return CR_OK;
}

static int find_triggers(const cx_doc *d, int s, trig_hit *out, int max)
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
		out[n++] = (trig_hit){t, k, e, t->type};
		k = e - 1;
	}
	return n;
}

static const char *sentence_focal(const cx_doc *d, int s, const char *focal)
{
	for (int k = d->sents[s].tb; k < d->sents[s].te; k++) {
		int pi = d->tok_person[k];
		if (pi >= 0 && *d->persons[pi].country)
			return d->persons[pi].country;
	}
	return focal;
}

cr_err cx_find_events(cx_doc *d)
{
	const char *focal = d->top[0];
	party p[MAXP];
	trig_hit hits[32];
	for (int s = 0; s < d->nsent; s++) {
		int nh = find_triggers(d, s, hits, 32);
		if (nh) {
			int np = collect(d, s, focal, p);
			int wrap_end = -1;
			for (int i = 0; i < nh; i++) {
				trig_hit *h = &hits[i];
				if (negated(d, h->k) || hypothetical(d, h->k) || referential(d, h->k, h->t))
					continue;
				if (h->k < wrap_end && cooperative(h->type))
					continue;
				if (h->t->flags & TF_A)
					wrap_end = !strcmp(h->type, "AGREE") ? d->sents[s].te : h->e + 6;
				if (future(d, h->k, h->e, h->t)) {
					if (cooperative(h->type))
						h->type = "AGREE";
					else if (!strcmp(h->type, "SANCTION") || !strcmp(h->type, "ASSAULT") ||
					         !strcmp(h->type, "COERCE"))
						h->type = "THREATEN";
				}
				if (assign(d, s, h, p, np, focal))
					return CR_ENOMEM;
			}
		}
		focal = sentence_focal(d, s, focal);
	}
	return CR_OK;
}
