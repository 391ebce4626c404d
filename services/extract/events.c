/* Events: PLOVER triggers per sentence, filtered for negation, condition
 * and back-references (scope.c), turned to AGREE when future or governed by
 * a promise, with actor and recipient read from the parties around the
 * trigger (parties.c), then date, location, context and one event per
 * (type, set of states). */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "extract/doc.h"

typedef cx_party party;
#define MAXP CX_MAXP

static int cooperative(const char *type)
{
	return !strcmp(type, "CONSULT") || !strcmp(type, "SUPPORT") || !strcmp(type, "COOPERATE") ||
	       !strcmp(type, "AID") || !strcmp(type, "RETREAT") || !strcmp(type, "CONCEDE") || !strcmp(type, "AGREE");
}

int cx_is_state(const char *c)
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
		if (cx_is_state(ev->actor[i]))
			c[n++] = ev->actor[i];
	for (int i = 0; i < ev->nrecip; i++)
		if (cx_is_state(ev->recip[i]))
			c[n++] = ev->recip[i];
	qsort(c, (size_t)n, sizeof *c, cmpstr);
	size_t o = (size_t)snprintf(ev->key, sizeof ev->key, "%s", ev->type);
	for (int i = 0; i < n && o + 5 < sizeof ev->key; i++)
		if (!i || strcmp(c[i], c[i - 1]))
			o += (size_t)snprintf(ev->key + o, sizeof ev->key - o, " %s", c[i]);
}

int cx_nstates(const cx_ev *ev)
{
	int n = 0;
	for (int i = 0; i < ev->nactor; i++)
		n += cx_is_state(ev->actor[i]);
	for (int i = 0; i < ev->nrecip; i++)
		n += cx_is_state(ev->recip[i]) && !has((char (*)[24])ev->actor, ev->nactor, ev->recip[i]);
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
	/* a date in the lead usually dates what the article reports (not the dateline) */
	for (int i = 0; ev->date < 0 && i < d->ndate && d->dates[i].sent < 3; i++)
		if (!d->dates[i].dateline)
			ev->date = i;
	ev->loc = near_loc(d, s, k, host);
	/* "a frappé le port d'Odessa": an attack takes place where it strikes */
	for (int m = cx_first_ment(d, s); ev->loc < 0 && !strcmp(ev->type, "ASSAULT") && m < d->nment && d->ments[m].sent == s; m++)
		if (d->ments[m].cls == G_PLACE && d->ments[m].tb > k && d->ments[m].code)
			ev->loc = m;
	context_tags(d, s, ev);
	ev->conf = 0.5f + (cx_nstates(ev) >= 2 ? 0.2f : 0) + (ev->date_near ? 0.1f : 0);
}



static int has_igo(const cx_ev *ev)
{
	for (int i = 0; i < ev->nactor; i++)
		if (!strncmp(ev->actor[i], "IGO:", 4))
			return 1;
	for (int i = 0; i < ev->nrecip; i++)
		if (!strncmp(ev->recip[i], "IGO:", 4))
			return 1;
	return 0;
}

static int enough(const cx_ev *ev)
{
	int n = cx_nstates(ev);
	if (!n)
		return 0;
	return n >= 2 || !cooperative(ev->type) || has_igo(ev) || !strcmp(ev->type, "CONCEDE");
}

/* An act with one state named and the other left implicit ("China rejected
 * the accusations") answers the event just reported that involves it. */
static void from_discourse(const cx_doc *d, int s, const cx_hit *h, cx_ev *ev)
{
	if (cx_nstates(ev) != 1 || has_igo(ev) || d->last_ev < 0)
		return;
	/* across sentences only when the object takes it up: "the accusations", "leur libération" */
	int back = 0;
	for (int k = h->e; k < h->e + 4 && k < d->sents[s].te && !back; k++)
		back = cx_wordk(d, k, W_BACKREF) || (k < h->e + 2 && (cx_wordk(d, k, W_PRON) || cx_wordk(d, k, W_DEMO)));
	/* "Moscow called the accusations absurd and vowed to retaliate": the object taken up earlier in the sentence */
	for (int k = d->sents[s].tb; k < h->k && !back && !cooperative(h->type); k++)
		back = cx_wordk(d, k, W_BACKREF);
	const char *me = ev->nactor ? ev->actor[0] : ev->recip[0];
	/* a condemnation with no target named answers the attack just reported, by its perpetrator */
	for (int i = d->nev - 1; i >= 0 && !strcmp(h->type, "ACCUSE"); i--) {
		const cx_ev *o = &d->evs[i];
		if (o->sent < s - 1)
			break;
		if (cx_hostile(o->type) && o->nactor && cx_is_state(o->actor[0]) && strcmp(o->actor[0], me)) {
			put(ev->recip, &ev->nrecip, o->actor[0]);
			return;
		}
	}
	for (int i = d->nev - 1; i >= 0; i--) {
		const cx_ev *o = &d->evs[i];
		if (o->sent < s - 2 || (o->sent != s && !back))
			continue;
		if (!has((char (*)[24])o->actor, o->nactor, me) && !has((char (*)[24])o->recip, o->nrecip, me))
			continue;
		for (int j = 0; j < o->nactor; j++)
			if (strcmp(o->actor[j], me) && cx_is_state(o->actor[j]))
				put(ev->recip, &ev->nrecip, o->actor[j]);
		for (int j = 0; j < o->nrecip; j++)
			if (strcmp(o->recip[j], me) && cx_is_state(o->recip[j]))
				put(ev->recip, &ev->nrecip, o->recip[j]);
		if (cx_nstates(ev) > 1)
			return;
	}
}

/* In an article about two states, a cooperative act of one of them with no
 * other state named ("la Côte d'Ivoire s'est engagée à financer la route")
 * is taken to be with the other. */
static void bilateral(const cx_doc *d, cx_ev *ev)
{
	if (!cooperative(ev->type) || cx_nstates(ev) != 1 || has_igo(ev) || !d->top[0] || !d->top[1] || d->top_n[1] < 2)
		return;
	const char *me = ev->nactor ? ev->actor[0] : ev->recip[0];
	if (!strcmp(me, d->top[0]))
		put(ev->recip, &ev->nrecip, d->top[1]);
	else if (!strcmp(me, d->top[1]))
		put(ev->recip, &ev->nrecip, d->top[0]);
}

/* "contre la France", "against Russia", "devant l'ambassade de France": what a protest is aimed at */
static int target(const cx_doc *d, int k)
{
	static const char *const w[] = {"contre", "against", "devant", "outside", "anti", "on", "sur", "into", NULL};
	for (int j = k - 1; j >= 0 && j >= k - 7; j--)
		for (int i = 0; w[i]; i++)
			if (cx_is(d, j, w[i]))
				return 1;
	return 0;
}

/* One-sided acts (attacks, protests, repression): the named perpetrator and
 * its target, else one event per place it happened in. */
static cr_err one_sided(cx_doc *d, int s, const cx_hit *h, const party *p, int np, int cs, int re, int re_all)
{
	const cx_trig *t = h->t;
	int nominal = (t->flags & TF_N) || h->object;
	/* "launched a cross-border incursion": the subject of a light verb acts */
	for (int j = h->k - 1; j >= h->k - 5 && j >= cs && nominal && !h->object; j--)
		if (cx_wordk(d, j, W_LIGHT))
			nominal = 0;
	cx_ev ev = {.type = h->type, .mode = t->mode, .date = -1, .loc = -1};
	/* "Israeli airstrikes", "frappes israéliennes": the adjective names the perpetrator */
	for (int i = 0; i < np && nominal; i++)
		if ((p[i].tok == h->k - 1 || p[i].tok == h->k - 2 || p[i].tok == h->e || p[i].tok == h->e + 1) &&
		    cx_ment_at(d, p[i].tok, G_COUNTRY) && cx_ment_at(d, p[i].tok, G_COUNTRY)->kind == K_ADJ)
			put(ev.actor, &ev.nactor, p[i].code);
	/* a state mobilises its own forces: the subject acts even for a noun ("décrété la mobilisation") */
	if (!ev.nactor && !h->object && !strcmp(h->type, "MOBILIZE"))
		nominal = 0;
	for (int i = 0; i < np && !nominal; i++)
		if (p[i].tok < h->k && p[i].tok >= cs && !p[i].loc && !p[i].anaphor)
			put(ev.actor, &ev.nactor, p[i].code);
	if (ev.nactor) {
		for (int i = 0; i < np && nominal; i++)
			if (p[i].loc && p[i].tok > h->k && p[i].tok < re_all && !has(ev.actor, ev.nactor, p[i].code))
				put(ev.recip, &ev.nrecip, p[i].code);
		for (int i = 0; i < np; i++)
			if (p[i].tok > h->k && p[i].tok < re && !p[i].agent && !p[i].anaphor &&
			    !has(ev.actor, ev.nactor, p[i].code))
				put(ev.recip, &ev.nrecip, p[i].code);
		finish(d, s, h->k, &ev, NULL);
		return emit(d, &ev);
	}
	/* no perpetrator: one event per place it happened in, against the named target */
	char locs[CX_MAX_PARTY][24], others[CX_MAX_PARTY][24];
	int nlo = 0, not = 0;
	for (int i = 0; i < np; i++) {
		int right = p[i].tok > h->k && p[i].tok < re;
		int left = p[i].tok < h->k && p[i].tok >= cs;
		if (!cx_is_state(p[i].code))
			continue;
		if ((right || left || (p[i].tok > h->k && p[i].tok < re_all)) && p[i].loc)
			put(locs, &nlo, p[i].code);
		else if (right && !p[i].agent && (nominal || !p[i].place) && (strcmp(h->type, "PROTEST") || target(d, p[i].tok)))
			put(others, &not, p[i].code);
	}
	if (!nlo && !not && s > 0 && h->k - d->sents[s].tb <= 2 && nominal &&
	    (!strcmp(h->type, "ASSAULT") || !strcmp(h->type, "PROTEST"))) {
		/* "Les combats ont fait 400 morts": where the previous sentence was */
		for (int m = cx_first_ment(d, s) - 1; m >= 0 && d->ments[m].sent == s - 1; m--)
			if ((d->ments[m].cls == G_PLACE || d->ments[m].cls == G_COUNTRY) && d->ments[m].loc && d->ments[m].code) {
				put(locs, &nlo, d->ments[m].code);
				break;
			}
	}
	/* "Les Forces vives de Guinée ... ont appelé à une journée ville morte":
	 * protesters named with their state before the act, no place given */
	int again = d->nev && d->evs[d->nev - 1].sent == s && !strcmp(d->evs[d->nev - 1].type, h->type);
	for (int i = 0; i < np && !nlo && !not && !again && !strcmp(h->type, "PROTEST"); i++)
		if (p[i].tok < h->k && !p[i].loc && !p[i].place && cx_is_state(p[i].code) && !target(d, p[i].tok))
			put(locs, &nlo, p[i].code);
	for (int i = 0; i < (nlo ? nlo : not); i++) {
		cx_ev one = {.type = h->type, .mode = t->mode, .date = -1, .loc = -1};
		put(one.actor, &one.nactor, nlo ? locs[i] : others[i]);
		for (int j = 0; j < not && nlo; j++)
			if (strcmp(others[j], locs[i]))
				put(one.recip, &one.nrecip, others[j]);
		finish(d, s, h->k, &one, one.actor[0]);
		if (emit(d, &one))
			return CR_ENOMEM;
	}
	return CR_OK;
}

/* "a été reçu par", "was received by": the host is the agent */
static int passive(const cx_doc *d, const cx_hit *h)
{
	if (!(h->t->flags & TF_H) || h->k < 1)
		return 0;
	static const char *const aux[] = {"ete", "was", "were", "been", "being", NULL};
	for (int w = 0; aux[w]; w++)
		if (cx_is(d, h->k - 1, aux[w]) || cx_is(d, h->k, aux[w]))
			return 1;
	/* a reduced relative: "talks hosted by Saudi Arabia", "la réunion accueillie par le Togo" */
	return cx_wordk(d, h->e, W_AGENT) && !(h->t->flags & TF_N);
}

static cr_err visit(cx_doc *d, int s, const cx_hit *h, const party *p, int np, const char *focal, int poss, int re,
                    int pass)
{
	const cx_trig *t = h->t;
	char hosts[CX_MAX_PARTY][24], guests[CX_MAX_PARTY][24];
	int nh = 0, ng = 0;
	if (pass) {
		for (int i = 0; i < np; i++)
			if (p[i].tok > h->k && (p[i].agent || p[i].loc))
				put(hosts, &nh, p[i].code);
		for (int i = 0; i < np; i++)
			if (p[i].tok < h->k && !p[i].loc && !p[i].place && !has(hosts, nh, p[i].code))
				put(guests, &ng, p[i].code);
	} else if (t->flags & TF_V) {
		for (int i = 0; i < np; i++)
			if (p[i].tok > h->k && p[i].tok < re && p[i].loc)
				put(hosts, &nh, p[i].code);
		for (int i = 0; i < np; i++)
			if (p[i].tok > h->k && p[i].agent)
				put(guests, &ng, p[i].code);
		if (poss && focal)
			put(guests, &ng, focal);
		int noguest = !ng;
		for (int i = 0; i < np && noguest; i++)
			if (p[i].tok < h->k && !p[i].loc && !p[i].place)
				put(guests, &ng, p[i].code);
		int none = !nh;
		for (int i = 0; i < np && none; i++)
			if (p[i].tok > h->k && p[i].tok < re && !p[i].agent && !p[i].place && !has(guests, ng, p[i].code))
				put(hosts, &nh, p[i].code);
		if (!ng && focal)
			put(guests, &ng, focal);
	} else {
		for (int i = 0; i < np; i++)
			if (p[i].loc)
				put(hosts, &nh, p[i].code);
		int none = !nh;
		for (int i = 0; i < np && none; i++)
			if (p[i].tok < h->k && !p[i].place)
				put(hosts, &nh, p[i].code);
		for (int i = 0; i < np; i++)
			if (p[i].tok > h->k && !p[i].loc && !p[i].place && !has(hosts, nh, p[i].code))
				put(guests, &ng, p[i].code);
	}
	/* co-hosts named as agents ("talks hosted by Saudi Arabia and the
	 * United States"): one meeting they held for the guests */
	if (pass && nh >= 2 && ng >= 1) {
		cx_ev one = {.type = h->type, .mode = "third-party", .date = -1, .loc = -1};
		for (int j = 0; j < nh; j++)
			put(one.actor, &one.nactor, hosts[j]);
		for (int g = 0; g < ng; g++)
			put(one.recip, &one.nrecip, guests[g]);
		finish(d, s, h->k, &one, NULL);
		return emit(d, &one);
	}
	/* several guests received together by one host ("hosted the Algerian
	 * president and the head of Libya's council"): one hosted meeting */
	if (nh == 1 && ng >= 2 && (t->flags & TF_H) && !(t->flags & TF_N)) {
		cx_ev one = {.type = h->type, .mode = "multilateral", .date = -1, .loc = -1};
		for (int g = 0; g < ng; g++)
			if (strcmp(guests[g], hosts[0]))
				put(one.actor, &one.nactor, guests[g]);
		put(one.recip, &one.nrecip, hosts[0]);
		if (cx_nstates(&one) < 3)
			one.mode = t->mode;
		finish(d, s, h->k, &one, hosts[0]);
		return emit(d, &one);
	}
	/* a visit has one visitor and one host: several destinations are several visits */
	for (int g = 0; g < ng; g++)
		for (int j = 0; j < nh; j++) {
			if (!strcmp(guests[g], hosts[j]) || !cx_is_state(hosts[j]))
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


static cr_err meeting(cx_doc *d, int s, const cx_hit *h, const party *p, int np, const char *focal, int poss)
{
	cx_ev ev = {.type = h->type, .mode = h->t->mode, .date = -1, .loc = -1};
	int a, b;
	cx_clause_span(d, s, h->k, &a, &b);
	/* "Speaking after a meeting with EU envoys in Cairo, X said...": a
	 * meeting noun's parties stop at the comma that closes its phrase */
	if (h->t->flags & TF_N) {
		int r = cx_right_end(d, s, h->e, d->ntok);
		int named = 0;
		for (int i = 0; i < np; i++)
			named += p[i].tok >= h->e && p[i].tok < r && !p[i].place && !p[i].anaphor;
		if (named && r < b && r < d->sents[s].te && (d->toks[r].flags & TK_PUNCT) && d->toks[r].p == ',')
			b = r;
	}
	for (int i = 0; i < np; i++)
		if ((!p[i].place || np < 2) && p[i].tok >= a && p[i].tok < b)
			put(ev.actor, &ev.nactor, p[i].code);
	if (focal && (poss || (cx_nstates(&ev) == 1 && !has_igo(&ev))) && !has(ev.actor, ev.nactor, focal))
		put(ev.actor, &ev.nactor, focal);
	if (cx_nstates(&ev) >= 3 && !ev.mode)
		ev.mode = "multilateral";
	if (!enough(&ev))
		return CR_OK;
	finish(d, s, h->k, &ev, NULL);
	return emit(d, &ev);
}

/* Any other type: the subject (its own clause first) acts on what follows
 * the trigger; one event with every recipient. */
static cr_err general(cx_doc *d, int s, const cx_hit *h, const party *p0, int np, const char *focal, int poss,
                      int cs, int re, int next, int next_verb)
{
	const cx_trig *t = h->t;
	/* "called on Egypt", "appelé le Mali à": the trigger's own preposition governs its object, not a place */
	party p[MAXP];
	memcpy(p, p0, sizeof *p * (size_t)np);
	for (int i = 0; i < np; i++)
		if (p[i].loc && !p[i].place && h->e - h->k >= 2 && cx_wordk(d, h->e - 1, W_LOC) &&
		    (p[i].tok == h->e || (p[i].tok == h->e + 1 && (cx_is(d, h->e, "the") || cx_is(d, h->e, "le") ||
		                                                   cx_is(d, h->e, "la") || cx_is(d, h->e, "l")))))
			p[i].loc = 0;
	/* and the rest of its list: "called on Chile and Peru" */
	for (int i = 1; i < np; i++) {
		const cx_ment *m = cx_ment_at(d, p[i - 1].tok, 0);
		if (p[i - 1].loc || !p[i].loc || p[i - 1].tok < h->e || !m)
			continue;
		int k = m->te;
		while (k < p[i].tok && (((d->toks[k].flags & TK_PUNCT) && d->toks[k].p == ',') || cx_is(d, k, "and") ||
		                        cx_is(d, k, "et") || cx_is(d, k, "the") || cx_is(d, k, "le") || cx_is(d, k, "la") ||
		                        cx_is(d, k, "l")))
			k++;
		if (k == p[i].tok)
			p[i].loc = 0;
	}
	int nominal = (t->flags & TF_N) != 0;
	cx_ev ev = {.type = h->type, .mode = t->mode, .date = -1, .loc = -1};
	/* "..., qui l'accuse": a relative clause's subject is the party just before it */
	if (cs > d->sents[s].tb && (cx_is(d, cs - 1, "qui") || cx_is(d, cs, "qui") || cx_is(d, cs - 1, "who") ||
	                            cx_is(d, cs, "who") || cx_is(d, cs, "which")))
		for (int i = np - 1; i >= 0 && !ev.nactor; i--)
			if (p[i].tok < cs && !p[i].place && !p[i].loc && cx_is_state(p[i].code))
				put(ev.actor, &ev.nactor, p[i].code);
	for (int i = 0; i < np; i++)
		if (p[i].tok < h->k && p[i].tok >= cs && !p[i].place && !p[i].loc)
			put(ev.actor, &ev.nactor, p[i].code);
	for (int i = 0; i < np && !ev.nactor; i++)
		if (p[i].tok < h->k && p[i].tok >= cs && !p[i].place)
			put(ev.actor, &ev.nactor, p[i].code);
	/* "Le Mali et le Niger, partenaires du Burkina au sein de l'AES, ont
	 * condamné": past an apposition, the subject opens the sentence */
	if (!ev.nactor && !nominal && cs > d->sents[s].tb && (d->toks[cs - 1].flags & TK_PUNCT) &&
	    (d->toks[cs - 1].p == ',' || d->toks[cs - 1].p == ')')) {
		int e1 = d->sents[s].tb;
		while (e1 < cs && !((d->toks[e1].flags & TK_PUNCT) && d->toks[e1].p == ','))
			e1++;
		for (int i = 0; i < np; i++)
			if (p[i].tok < e1 && !p[i].place && !p[i].loc)
				put(ev.actor, &ev.nactor, p[i].code);
	}
	for (int i = 0; i < np && !ev.nactor; i++)
		if (p[i].tok < h->k && !p[i].place)
			put(ev.actor, &ev.nactor, p[i].code);
	for (int i = 0; i < np && nominal && !ev.nactor; i++)
		if (p[i].tok > h->k && p[i].tok < re && p[i].agent)
			put(ev.actor, &ev.nactor, p[i].code);
	if (!ev.nactor && focal && (poss || !nominal))
		put(ev.actor, &ev.nactor, focal);
	int nonloc = 0;
	for (int i = 0; i < np; i++)
		nonloc += p[i].tok > h->k && p[i].tok < re && !p[i].loc && !p[i].place && !p[i].anaphor &&
		          !has(ev.actor, ev.nactor, p[i].code);
	int named = nonloc;
	for (int i = 0; i < np; i++)
		named += p[i].tok > h->k && p[i].tok < re && p[i].loc;
	for (int i = 0; i < np; i++) {
		if (p[i].tok <= h->k || p[i].tok >= re || has(ev.actor, ev.nactor, p[i].code) || (p[i].place && !p[i].loc))
			continue;
		/* a pronoun after the trigger is a possessive ("their decision", "on its soil"), not a party */
		if (p[i].anaphor && !p[i].loc)
			continue;
		if (p[i].loc && (nonloc || (p[i].place && cx_nstates(&ev) + ev.nrecip >= 2)))
			continue;
		put(ev.recip, &ev.nrecip, p[i].code);
	}
	/* "sending rice to Malawi as food aid": a place named before a noun trigger */
	for (int i = 0; i < np && !ev.nrecip; i++)
		if (p[i].tok < h->k && p[i].tok >= cs && p[i].loc && !has(ev.actor, ev.nactor, p[i].code))
			put(ev.recip, &ev.nrecip, p[i].code);
	if (!ev.nactor && ev.nrecip) {
		/* a noun with no subject: "le soutien du Togo au Maroc" */
		put(ev.actor, &ev.nactor, ev.recip[0]);
		memmove(ev.recip, ev.recip + 1, sizeof ev.recip[0] * (size_t)(--ev.nrecip));
	}
	/* "condamné l'incursion de soldats libériens": the perpetrator of the act
	 * that is the object, not its victims ("contre", "against") */
	if (!ev.nrecip && !cooperative(h->type) && next < d->sents[s].te) {
		int ne = cx_right_end(d, s, next + 1, d->ntok);
		for (int i = 0; i < np; i++)
			if (p[i].tok > next && p[i].tok < ne && !p[i].loc && !p[i].place && !p[i].anaphor &&
			    !target(d, p[i].tok) && !has(ev.actor, ev.nactor, p[i].code))
				put(ev.recip, &ev.nrecip, p[i].code);
	}
	if (cx_nstates(&ev) == 1 && !has_igo(&ev) && !cooperative(h->type))
		for (int i = 0; i < np; i++)
			if (p[i].tok > h->k && (next_verb || p[i].tok < next) && !p[i].place && !p[i].anaphor &&
			    cx_is_state(p[i].code) && !has(ev.actor, ev.nactor, p[i].code))
				put(ev.recip, &ev.nrecip, p[i].code);
	/* "accusing them of", "les accusant de": the object is who the clause before acted on */
	if (!strcmp(h->type, "ACCUSE") && !nominal && d->nev && d->evs[d->nev - 1].sent == s &&
	    (cx_is(d, h->e, "them") || cx_is(d, h->e, "him") || cx_is(d, h->e, "her") || cx_is(d, h->k - 1, "les") ||
	     cx_is(d, h->k - 1, "l"))) {
		const cx_ev *o = &d->evs[d->nev - 1];
		ev.nrecip = 0;
		for (int j = 0; j < o->nrecip; j++)
			if (!has(ev.actor, ev.nactor, o->recip[j]))
				put(ev.recip, &ev.nrecip, o->recip[j]);
	}
	from_discourse(d, s, h, &ev);
	bilateral(d, &ev);
	if (((t->flags & TF_R) && !ev.nrecip) || !enough(&ev))
		return CR_OK;
	finish(d, s, h->k, &ev, NULL);
	return emit(d, &ev);
}

/* One trigger into events: parties split by side of the trigger. */
static cr_err assign(cx_doc *d, int s, const cx_hit *h, party *p, int np, const char *focal, int next,
                     int next_verb)
{
	const cx_trig *t = h->t;
	int nominal = (t->flags & TF_N) != 0;
	int poss = nominal && h->k > 0 && (cx_wordk(d, h->k - 1, W_PRON) || cx_wordk(d, h->k - 2, W_PRON));
	/* what follows another trigger belongs to it ("condamné l'attaque contre l'armée malienne") */
	int own = (t->flags & TF_A) || cooperative(h->type);
	int cs = cx_clause_start(d, h->k), re = cx_right_end(d, s, h->e, own ? d->ntok : next);
	if (t->flags & TF_S)
		return one_sided(d, s, h, p, np, cs, re, cx_right_end(d, s, h->e, d->ntok));
	if ((t->flags & (TF_V | TF_H)) && !strcmp(h->type, "CONSULT"))
		return visit(d, s, h, p, np, focal, poss, re, passive(d, h));
	if ((t->flags & TF_M) && !strcmp(h->type, "CONSULT"))
		return meeting(d, s, h, p, np, focal, poss);
	return general(d, s, h, p, np, focal, poss, cs, re, next, next_verb);
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
	cx_hit hits[32];
	for (int s = 0; s < d->nsent; s++) {
		int nh = cx_subhead(d, s) ? 0 : cx_find_triggers(d, s, hits, 32), nev_before = d->nev;
		if (nh) {
			int np = cx_collect(d, s, focal, p);
			int wrap_end = -1, wrap_any = 0, wrap_e = -100;
			for (int i = 0; i < nh; i++) {
				cx_hit *h = &hits[i];
				if (cx_negated(d, h->k) || cx_hypothetical(d, h->k) || cx_referential(d, h->k, h->t) ||
				    cx_participle(d, h) || cx_apposition(d, h) || cx_taken_up(d, s, h))
					continue;
				if ((h->t->flags & TF_N) && !(i > 0 && hits[i - 1].k >= cx_clause_start(d, h->k)) &&
				    (cx_after_noun(d, h->e, W_HYPO) || cx_after_noun(d, h->e, W_NEG)))
					continue;
				if (!strcmp(h->type, "NONE"))
					continue;
				h->object = i > 0 && hits[i - 1].k >= cx_clause_start(d, h->k);
				/* governed by a promise, refusal or demand; a wrapper itself only as its
				 * direct object ("rejected the accusations"), not as a coordinated verb */
				/* (a call to strike or march is the protest itself: not absorbed) */
				if (h->k < wrap_end && (wrap_any || cooperative(h->type)) &&
				    (!(h->t->flags & TF_A) || h->k - wrap_e <= 2) && strcmp(h->type, "PROTEST") &&
				    !cx_clause_word_between(d, wrap_e, h->k))
					continue;
				if (h->t->flags & TF_A) {
					wrap_any = strcmp(h->type, "AGREE") != 0;
					wrap_end = h->e + (wrap_any ? 6 : 10);
					wrap_e = h->e;
					if (!wrap_any && cx_promise_kind(hits, nh, i, wrap_end))
						continue;
				}
				if (cx_future(d, h->k, h->e, h->t) || cx_later_date(d, s, h)) {
					if (!strcmp(h->type, "RETREAT") || !strcmp(h->type, "CONCEDE"))
						h->type = "CONCEDE"; /* a promised release or withdrawal is a verbal concession */
					else if (cooperative(h->type) || (!strcmp(h->type, "MOBILIZE") && abroad(d, s, h, p, np)))
						h->type = "AGREE";
					else if (!strcmp(h->type, "SANCTION") || !strcmp(h->type, "ASSAULT") ||
					         !strcmp(h->type, "COERCE"))
						h->type = "THREATEN";
				}
				if (assign(d, s, h, p, np, focal, i + 1 < nh ? hits[i + 1].k : d->ntok,
				           i + 1 < nh && (hits[i + 1].t->flags & TF_A)))
					return CR_ENOMEM;
			}
		}
		focal = sentence_focal(d, s, focal, nev_before);
	}
	return CR_OK;
}
