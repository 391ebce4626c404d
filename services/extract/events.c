/* Events: PLOVER triggers per sentence, filtered for negation, condition
 * and back-references (scope.c), turned to AGREE when future or governed by
 * a promise; their parties are read by direction.c; here the date,
 * location, context and the merge into one event per (type, set of states). */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "extract/doc.h"

typedef cx_party party;
#define MAXP CX_MAXP

int cx_cooperative(const char *type)
{
	static const char *const coop[] = {"CONSULT", "SUPPORT", "COOPERATE", "AID", "RETREAT", "CONCEDE", "AGREE", NULL};
	for (int i = 0; coop[i]; i++)
		if (cx_streq(type, coop[i]))
			return 1;
	return 0;
}

int cx_is_state(const char *c)
{
	return c && strlen(c) == 3 && c[0] >= 'A' && c[0] <= 'Z';
}

int cx_has(char (*list)[24], int n, const char *c)
{
	for (int i = 0; i < n; i++)
		if (cx_streq(list[i], c))
			return 1;
	return 0;
}

void cx_put(char (*list)[24], int *n, const char *c)
{
	if (c && *n < CX_MAX_PARTY && !cx_has(list, *n, c))
		cx_strlcpy(list[(*n)++], 24, c);
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
		if (cx_is_state(ev->actor[i]))
			c[n++] = ev->actor[i];
	for (int i = 0; i < ev->nrecip; i++)
		if (cx_is_state(ev->recip[i]))
			c[n++] = ev->recip[i];
	qsort(c, (size_t)n, sizeof *c, cmpstr);
	size_t o = cx_strlcpy(ev->key, sizeof ev->key, ev->type);
	for (int i = 0; i < n && o + 5 < sizeof ev->key; i++)
		if (!i || strcmp(c[i], c[i - 1])) {
			ev->key[o] = ' ';
			o += 1 + cx_strlcpy(ev->key + o + 1, sizeof ev->key - o - 1, c[i]);
		}
}

int cx_nstates(const cx_ev *ev)
{
	int n = 0;
	for (int i = 0; i < ev->nactor; i++)
		n += cx_is_state(ev->actor[i]);
	for (int i = 0; i < ev->nrecip; i++)
		n += cx_is_state(ev->recip[i]) && !cx_has((char (*)[24])ev->actor, ev->nactor, ev->recip[i]);
	return n;
}

static int near_date(const cx_doc *d, int s, int k)
{
	int best = -1, bd = 1 << 30;
	for (int i = cx_first_date(d, s); i < d->ndate && d->dates[i].sent == s; i++) {
		if (d->dates[i].dateline)
			continue;
		int tb = d->dates[i].tb, dist = abs(tb - k);
		/* "depuis 2019", "since June": when a state began, not the act */
		if (cx_is(d, tb - 1, "depuis") || cx_is(d, tb - 1, "since"))
			dist += 1000;
		/* "Lundi, ...", "Le 28 novembre, ...": a date opening the sentence frames it */
		else if (tb == d->sents[s].tb || (tb == d->sents[s].tb + 1 && (cx_is(d, tb - 1, "le") || cx_is(d, tb - 1, "on"))))
			dist = 0;
		if (dist < bd)
			bd = dist, best = i;
	}
	return best;
}

static int near_loc(const cx_doc *d, int s, int k, const char *host)
{
	int best = -1, bd = 1 << 30;
	for (int m = cx_first_ment(d, s); m < d->nment && d->ments[m].sent == s; m++) {
		const cx_ment *x = &d->ments[m];
		if (!x->loc || !x->code || (x->cls != G_PLACE && !(x->cls == G_COUNTRY && x->kind == K_NAME)))
			continue;
		int dist = abs(x->tb - k) + (x->cls == G_COUNTRY ? 1000 : 0);
		if (host && strcmp(x->code, host))
			dist += 500;
		if (dist < bd)
			bd = dist, best = m;
	}
	return best;
}

cr_err cx_emit(cx_doc *d, cx_ev *ev)
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
		d->last_ev = i;
		d->last_ev_sent = ev->sent;
		return CR_OK;
	}
	if (d->nev >= CX_MAX_EVENTS)
		return CR_OK;
	if (cx_grow((void **)&d->evs, &d->capev, d->nev + 1, sizeof *d->evs))
		return CR_ENOMEM;
	d->evs[d->nev] = *ev;
	d->last_ev = d->nev++;
	d->last_ev_sent = ev->sent;
	return CR_OK;
}

static void context_tags(cx_doc *d, int s, cx_ev *ev)
{
	if (ev->nctx == 0 && d->ctx_sent == s) {
		memcpy(ev->ctx, d->ctx_tags, sizeof ev->ctx[0] * (size_t)d->nctx_tags);
		ev->nctx = d->nctx_tags;
		return;
	}
	int fresh = ev->nctx == 0;
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
	if (fresh) {
		d->ctx_sent = s;
		d->nctx_tags = ev->nctx;
		memcpy(d->ctx_tags, ev->ctx, sizeof ev->ctx[0] * (size_t)ev->nctx);
	}
}

/* "JAKARTA - ...", "Yaoundé, 12 septembre 2025 (CT) -": the city a dispatch
 * is filed from opens the text. A meeting (or a signing) the lead reports
 * with no place named was held there when that city is in the state of one
 * of its parties; never a phone call. Mention index, -1. */
static int dateline_place(const cx_doc *d, int s, cx_ev *ev)
{
	if (s > 2 || (strcmp(ev->type, "CONSULT") && strcmp(ev->type, "SUPPORT")) || (ev->mode && !strcmp(ev->mode, "phone")))
		return -1;
	int k = 0;
	while (k < d->ntok && k < 8 && (!cx_is_word(d, k) || (d->toks[k].flags & TK_SKIP)))
		k++;
	const cx_ment *m = k < d->ntok ? cx_ment_at(d, k, G_PLACE) : NULL;
	if (!m || m->tb != k || !m->code || m->sent > 1 || m->te >= d->ntok || !(d->toks[m->te].flags & TK_PUNCT) ||
	    !strchr(",-/", d->toks[m->te].p) || !d->toks[m->te].p)
		return -1;
	if (!cx_has(ev->actor, ev->nactor, m->code) && !cx_has(ev->recip, ev->nrecip, m->code))
		return -1;
	return (int)(m - d->ments);
}

void cx_finish(cx_doc *d, int s, int k, cx_ev *ev, const char *host)
{
	ev->sent = s;
	ev->date = near_date(d, s, k);
	ev->date_near = ev->date >= 0;
	/* a date in the lead usually dates what the article reports (not the dateline) */
	for (int i = 0; ev->date < 0 && i < d->ndate && d->dates[i].sent < 3; i++)
		if (!d->dates[i].dateline)
			ev->date = i;
	ev->loc = near_loc(d, s, k, host);
	if (ev->loc < 0)
		ev->loc = dateline_place(d, s, ev);
	/* "a frappé le port d'Odessa": an attack takes place where it strikes */
	for (int m = cx_first_ment(d, s); ev->loc < 0 && !strcmp(ev->type, "ASSAULT") && m < d->nment && d->ments[m].sent == s; m++)
		if (d->ments[m].cls == G_PLACE && d->ments[m].tb > k && d->ments[m].code)
			ev->loc = m;
	context_tags(d, s, ev);
	ev->conf = 0.5f + (cx_nstates(ev) >= 2 ? 0.2f : 0) + (ev->date_near ? 0.1f : 0);
}


/* The focal actor after sentence s: its first person acting for a state
 * (the usual subject), else the actor of its first directed event (subject
 * continuity), else unchanged. */
static const char *sentence_focal(const cx_doc *d, int s, const char *focal, int nev_before)
{
	for (int k = d->sents[s].tb; k < d->sents[s].te; k++) {
		int pi = d->tok_person[k];
		if (pi >= 0 && *d->persons[pi].country)
			return d->persons[pi].country;
	}
	for (int i = nev_before; i < d->nev; i++)
		if (d->evs[i].sent == s && d->evs[i].nactor == 1 && d->evs[i].nrecip && cx_is_state(d->evs[i].actor[0]))
			return d->evs[i].actor[0];
	return focal;
}

/* A deployment into a state other than the subject's ("va déployer des
 * policiers en Haïti"): announced, it is a pledge, not a mobilisation. */
static int abroad(const cx_doc *d, int s, const cx_hit *h, const party *p, int np)
{
	const char *subj = NULL;
	int cs = cx_clause_start(d, h->k), re = cx_right_end(d, s, h->e, d->ntok);
	for (int i = 0; i < np && !subj; i++)
		if (p[i].tok < h->k && p[i].tok >= cs && !p[i].loc)
			subj = p[i].code;
	for (int i = 0; i < np && subj; i++)
		if (p[i].tok > h->k && p[i].tok < re && p[i].loc && cx_is_state(p[i].code) && strcmp(p[i].code, subj))
			return 1;
	return 0;
}

cr_err cx_find_events(cx_doc *d)
{
	const char *focal = d->top[0];
	party p[MAXP];
	d->last_ev = -1;
	d->ctx_sent = -1;
	cx_hit hits[32];
	for (int s = 0; s < d->nsent; s++) {
		int nh = cx_subhead(d, s) ? 0 : cx_find_triggers(d, s, hits, 32), nev_before = d->nev;
		if (nh) {
			int np = cx_collect(d, s, focal, p);
			int wrap_end = -1, wrap_any = 0, wrap_e = -100, neg_end = -1;
			const char *neg_type = NULL;
			for (int i = 0; i < nh; i++) {
				cx_hit *h = &hits[i];
				/* "did not meet his counterpart during the summit": the negation
				 * covers the rest of its clause for an act of the same type */
				/* "would cut gas deliveries unless Chisinau paid": harm made
				 * conditional on the other's conduct is a threat */
				if (!cx_negated(d, h->k) && cx_hypothetical(d, h->k) && cx_hostile(h->type) && cx_unless(d, s))
					h->type = "THREATEN";
				else if (cx_negated(d, h->k) || cx_hypothetical(d, h->k)) {
					neg_type = h->type;
					neg_end = cx_right_end(d, s, h->e, d->ntok);
					continue;
				}
				if ((neg_type && h->k < neg_end && !strcmp(neg_type, h->type)) ||
				    cx_referential(d, h->k, h->t) || cx_participle(d, h) || cx_apposition(d, h) ||
				    cx_taken_up(d, s, h) || cx_commentator(d, h) || cx_attributive(d, h) ||
				    cx_part_of_previous(d, hits, i))
					continue;
				if (!strcmp(h->type, "MOBILIZE") && cx_joint(d, h))
					h->type = "COOPERATE";
				if ((h->t->flags & TF_N) && !(i > 0 && hits[i - 1].k >= cx_clause_start(d, h->k)) &&
				    (cx_after_noun(d, h->e, W_HYPO) || cx_after_noun(d, h->e, W_NEG)))
					continue;
				if (!strcmp(h->type, "NONE"))
					continue;
				h->object = i > 0 && hits[i - 1].k >= cx_clause_start(d, h->k);
				/* governed by a promise, refusal or demand; a wrapper itself only as its
				 * direct object ("rejected the accusations"), not as a coordinated verb */
				/* (a call to strike or march is the protest itself: not absorbed) */
				if (h->k < wrap_end && (wrap_any || cx_cooperative(h->type)) &&
				    (!(h->t->flags & TF_A) || h->k - wrap_e <= 2) && strcmp(h->type, "PROTEST") &&
				    !cx_clause_word_between(d, wrap_e, h->k))
					continue;
				if (h->t->flags & TF_A) {
					wrap_any = strcmp(h->type, "AGREE") != 0;
					wrap_end = h->e + (wrap_any ? 6 : 10);
					wrap_e = h->e;
					if (!wrap_any && cx_promise_kind(d, hits, nh, i, wrap_end))
						continue;
				}
				if (cx_future(d, h->k, h->e, h->t) || cx_later_date(d, s, h)) {
					if (!strcmp(h->type, "RETREAT") || !strcmp(h->type, "CONCEDE"))
						h->type = "CONCEDE"; /* a promised release or withdrawal is a verbal concession */
					else if (cx_cooperative(h->type) || (!strcmp(h->type, "MOBILIZE") && abroad(d, s, h, p, np)))
						h->type = "AGREE";
					else if (!strcmp(h->type, "SANCTION") || !strcmp(h->type, "ASSAULT") ||
					         !strcmp(h->type, "COERCE"))
						h->type = "THREATEN";
				}
				if (cx_assign(d, s, h, p, np, focal, i + 1 < nh ? hits[i + 1].k : d->ntok,
				           i + 1 < nh && (hits[i + 1].t->flags & TF_A)))
					return CR_ENOMEM;
			}
		}
		focal = sentence_focal(d, s, focal, nev_before);
	}
	return CR_OK;
}
