/* Direction of an event: from the parties around a trigger (parties.c),
 * who acts and who is acted on, for visits and hosted meetings, meetings
 * with no host, one-sided acts and every other type; completed from the
 * discourse (the event just reported, the article's two states). */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "extract/doc.h"

typedef cx_party party;
#define MAXP CX_MAXP

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
	return n >= 2 || !cx_cooperative(ev->type) || has_igo(ev) || !strcmp(ev->type, "CONCEDE");
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
	for (int k = d->sents[s].tb; k < h->k && !back && !cx_cooperative(h->type); k++)
		back = cx_wordk(d, k, W_BACKREF);
	const char *me = ev->nactor ? ev->actor[0] : ev->recip[0];
	/* a condemnation with no target named answers the attack just reported, by its perpetrator */
	for (int i = d->nev - 1; i >= 0 && !strcmp(h->type, "ACCUSE"); i--) {
		const cx_ev *o = &d->evs[i];
		if (o->sent < s - 1)
			break;
		if (cx_hostile(o->type) && o->nactor && cx_is_state(o->actor[0]) && strcmp(o->actor[0], me)) {
			cx_put(ev->recip, &ev->nrecip, o->actor[0]);
			return;
		}
	}
	for (int i = d->nev - 1; i >= 0; i--) {
		const cx_ev *o = &d->evs[i];
		if (o->sent < s - 2 || (o->sent != s && !back))
			continue;
		if (!cx_has((char (*)[24])o->actor, o->nactor, me) && !cx_has((char (*)[24])o->recip, o->nrecip, me))
			continue;
		for (int j = 0; j < o->nactor; j++)
			if (strcmp(o->actor[j], me) && cx_is_state(o->actor[j]))
				cx_put(ev->recip, &ev->nrecip, o->actor[j]);
		for (int j = 0; j < o->nrecip; j++)
			if (strcmp(o->recip[j], me) && cx_is_state(o->recip[j]))
				cx_put(ev->recip, &ev->nrecip, o->recip[j]);
		if (cx_nstates(ev) > 1)
			return;
	}
}

/* In an article about two states, a cooperative act of one of them with no
 * other state named ("la Côte d'Ivoire s'est engagée à financer la route")
 * is taken to be with the other. */
static void bilateral(const cx_doc *d, cx_ev *ev)
{
	if (!cx_cooperative(ev->type) || cx_nstates(ev) != 1 || has_igo(ev) || !d->top[0] || !d->top[1] || d->top_n[1] < 2)
		return;
	const char *me = ev->nactor ? ev->actor[0] : ev->recip[0];
	if (!strcmp(me, d->top[0]))
		cx_put(ev->recip, &ev->nrecip, d->top[1]);
	else if (!strcmp(me, d->top[1]))
		cx_put(ev->recip, &ev->nrecip, d->top[0]);
}

/* "contre la France", "against Russia", "devant l'ambassade de France": what a protest is aimed at */
static int target(const cx_doc *d, int k)
{
	static const char *const w[] = {"contre", "against", "devant", "outside", "anti", "on", "sur", "into", NULL};
	for (int j = k - 1; j >= 0 && j >= k - 7; j--)
		if (cx_is_any(d, j, w))
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
			cx_put(ev.actor, &ev.nactor, p[i].code);
	/* a state mobilises its own forces: the subject acts even for a noun ("décrété la mobilisation") */
	if (!ev.nactor && !h->object && !strcmp(h->type, "MOBILIZE"))
		nominal = 0;
	for (int i = 0; i < np && !nominal; i++)
		if (p[i].tok < h->k && p[i].tok >= cs && !p[i].loc && !p[i].anaphor)
			cx_put(ev.actor, &ev.nactor, p[i].code);
	if (ev.nactor) {
		for (int i = 0; i < np && nominal; i++)
			if (p[i].loc && p[i].tok > h->k && p[i].tok < re_all && !cx_has(ev.actor, ev.nactor, p[i].code))
				cx_put(ev.recip, &ev.nrecip, p[i].code);
		for (int i = 0; i < np; i++)
			if (p[i].tok > h->k && p[i].tok < re && !p[i].agent && !p[i].anaphor &&
			    !cx_has(ev.actor, ev.nactor, p[i].code))
				cx_put(ev.recip, &ev.nrecip, p[i].code);
		cx_finish(d, s, h->k, &ev, NULL);
		return cx_emit(d, &ev);
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
			cx_put(locs, &nlo, p[i].code);
		else if (right && !p[i].agent && (nominal || !p[i].place) && (strcmp(h->type, "PROTEST") || target(d, p[i].tok)))
			cx_put(others, &not, p[i].code);
	}
	if (!nlo && !not && s > 0 && h->k - d->sents[s].tb <= 2 && nominal &&
	    (!strcmp(h->type, "ASSAULT") || !strcmp(h->type, "PROTEST"))) {
		/* "Les combats ont fait 400 morts": where the previous sentence was */
		for (int m = cx_first_ment(d, s) - 1; m >= 0 && d->ments[m].sent == s - 1; m--)
			if ((d->ments[m].cls == G_PLACE || d->ments[m].cls == G_COUNTRY) && d->ments[m].loc && d->ments[m].code) {
				cx_put(locs, &nlo, d->ments[m].code);
				break;
			}
	}
	/* "Les Forces vives de Guinée ... ont appelé à une journée ville morte":
	 * protesters named with their state before the act, no place given */
	int again = d->nev && d->evs[d->nev - 1].sent == s && !strcmp(d->evs[d->nev - 1].type, h->type);
	for (int i = 0; i < np && !nlo && !not && !again && !strcmp(h->type, "PROTEST"); i++)
		if (p[i].tok < h->k && !p[i].loc && !p[i].place && cx_is_state(p[i].code) && !target(d, p[i].tok))
			cx_put(locs, &nlo, p[i].code);
	for (int i = 0; i < (nlo ? nlo : not); i++) {
		cx_ev one = {.type = h->type, .mode = t->mode, .date = -1, .loc = -1};
		cx_put(one.actor, &one.nactor, nlo ? locs[i] : others[i]);
		for (int j = 0; j < not && nlo; j++)
			if (strcmp(others[j], locs[i]))
				cx_put(one.recip, &one.nrecip, others[j]);
		cx_finish(d, s, h->k, &one, one.actor[0]);
		if (cx_emit(d, &one))
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
				cx_put(hosts, &nh, p[i].code);
		for (int i = 0; i < np; i++)
			if (p[i].tok < h->k && !p[i].loc && !p[i].place && !cx_has(hosts, nh, p[i].code))
				cx_put(guests, &ng, p[i].code);
	} else if (t->flags & TF_V) {
		for (int i = 0; i < np; i++)
			if (p[i].tok > h->k && p[i].tok < re && p[i].loc)
				cx_put(hosts, &nh, p[i].code);
		for (int i = 0; i < np; i++)
			if (p[i].tok > h->k && p[i].agent)
				cx_put(guests, &ng, p[i].code);
		if (poss && focal)
			cx_put(guests, &ng, focal);
		int noguest = !ng;
		for (int i = 0; i < np && noguest; i++)
			if (p[i].tok < h->k && !p[i].loc && !p[i].place)
				cx_put(guests, &ng, p[i].code);
		int none = !nh;
		for (int i = 0; i < np && none; i++)
			if (p[i].tok > h->k && p[i].tok < re && !p[i].agent && !p[i].place && !cx_has(guests, ng, p[i].code))
				cx_put(hosts, &nh, p[i].code);
		if (!ng && focal)
			cx_put(guests, &ng, focal);
	} else {
		for (int i = 0; i < np; i++)
			if (p[i].loc)
				cx_put(hosts, &nh, p[i].code);
		int none = !nh;
		for (int i = 0; i < np && none; i++)
			if (p[i].tok < h->k && !p[i].place)
				cx_put(hosts, &nh, p[i].code);
		for (int i = 0; i < np; i++)
			if (p[i].tok > h->k && !p[i].loc && !p[i].place && !cx_has(hosts, nh, p[i].code))
				cx_put(guests, &ng, p[i].code);
	}
	/* co-hosts named as agents ("talks hosted by Saudi Arabia and the
	 * United States"): one meeting they held for the guests */
	if (pass && nh >= 2 && ng >= 1) {
		cx_ev one = {.type = h->type, .mode = "third-party", .date = -1, .loc = -1};
		for (int j = 0; j < nh; j++)
			cx_put(one.actor, &one.nactor, hosts[j]);
		for (int g = 0; g < ng; g++)
			cx_put(one.recip, &one.nrecip, guests[g]);
		cx_finish(d, s, h->k, &one, NULL);
		return cx_emit(d, &one);
	}
	/* several guests received together by one host ("hosted the Algerian
	 * president and the head of Libya's council"): one hosted meeting */
	if (nh == 1 && ng >= 2 && (t->flags & TF_H) && !(t->flags & TF_N)) {
		cx_ev one = {.type = h->type, .mode = "multilateral", .date = -1, .loc = -1};
		for (int g = 0; g < ng; g++)
			if (strcmp(guests[g], hosts[0]))
				cx_put(one.actor, &one.nactor, guests[g]);
		cx_put(one.recip, &one.nrecip, hosts[0]);
		if (cx_nstates(&one) < 3)
			one.mode = t->mode;
		cx_finish(d, s, h->k, &one, hosts[0]);
		return cx_emit(d, &one);
	}
	/* a visit has one visitor and one host: several destinations are several visits */
	for (int g = 0; g < ng; g++)
		for (int j = 0; j < nh; j++) {
			if (!strcmp(guests[g], hosts[j]) || !cx_is_state(hosts[j]))
				continue;
			cx_ev one = {.type = h->type, .mode = t->mode, .date = -1, .loc = -1};
			cx_put(one.actor, &one.nactor, guests[g]);
			cx_put(one.recip, &one.nrecip, hosts[j]);
			cx_finish(d, s, h->k, &one, hosts[j]);
			if (cx_emit(d, &one))
				return CR_ENOMEM;
		}
	return CR_OK;
}


/* "held talks on their maritime border": a possessive after the trigger
 * qualifies its object, it names no further party */
static int possessive_after(const cx_doc *d, const cx_hit *h, int k)
{
	static const char *const w[] = {"their", "its", "his", "her", "leur", "leurs", "son", "sa", "ses", NULL};
	if (k < h->e)
		return 0;
	/* "met her French counterpart": the possessive of a counterpart is the subject's side */
	for (int j = k + 1; j < k + 4 && j < d->ntok; j++)
		if (cx_is(d, j, "counterpart") || cx_is(d, j, "counterparts") || cx_is(d, j, "homologue") ||
		    cx_is(d, j, "homologues"))
			return 0;
	for (int i = 0; w[i]; i++)
		if (cx_is(d, k, w[i]))
			return 1;
	return 0;
}

static int adjunct_word(const cx_doc *d, int k)
{
	static const char *const w[] = {"after", "before", "following", "during", "apres", "avant", "lors", NULL};
	for (int i = 0; w[i]; i++)
		if (cx_is(d, k, w[i]))
			return 1;
	return 0;
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
		if ((!p[i].place || np < 2) && p[i].tok >= a && p[i].tok < b && !(p[i].anaphor && possessive_after(d, h, p[i].tok)))
			cx_put(ev.actor, &ev.nactor, p[i].code);
	/* "X agreed to ..., after a phone call with Y", "après un entretien avec":
	 * a meeting noun in a time adjunct had the main clause's subject in it */
	if ((h->t->flags & TF_N) && cx_nstates(&ev) == 1 && a > d->sents[s].tb && adjunct_word(d, a))
		for (int i = 0; i < np && cx_nstates(&ev) == 1; i++)
			if (p[i].tok < a && !p[i].place && !p[i].loc && !p[i].anaphor && cx_is_state(p[i].code))
				cx_put(ev.actor, &ev.nactor, p[i].code);
	if (focal && (poss || (cx_nstates(&ev) == 1 && !has_igo(&ev))) && !cx_has(ev.actor, ev.nactor, focal))
		cx_put(ev.actor, &ev.nactor, focal);
	if (cx_nstates(&ev) >= 3 && !ev.mode)
		ev.mode = "multilateral";
	if (!enough(&ev))
		return CR_OK;
	cx_finish(d, s, h->k, &ev, NULL);
	return cx_emit(d, &ev);
}

/* "brokered by Turkey", "organisée par le Togo": the agent phrase at k
 * follows a participle (not a noun: "a proposal by Somalia") */
static int participle_agent(const cx_doc *d, int k)
{
	int j = cx_wordk(d, k - 1, W_AGENT) ? k - 1 : k - 2;
	if (j < 1 || !cx_is_word(d, j - 1))
		return 0;
	const char *f = cx_fold(d, j - 1);
	size_t n = strlen(f);
	return n > 3 && (!strcmp(f + n - 2, "ed") || (d->lang == 1 && (!strcmp(f + n - 1, "e") || !strcmp(f + n - 2, "ee") ||
	                                                              !strcmp(f + n - 3, "ees") || !strcmp(f + n - 2, "es"))));
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
				cx_put(ev.actor, &ev.nactor, p[i].code);
	for (int i = 0; i < np; i++)
		if (p[i].tok < h->k && p[i].tok >= cs && !p[i].place && !p[i].loc)
			cx_put(ev.actor, &ev.nactor, p[i].code);
	for (int i = 0; i < np && !ev.nactor; i++)
		if (p[i].tok < h->k && p[i].tok >= cs && !p[i].place)
			cx_put(ev.actor, &ev.nactor, p[i].code);
	/* "Le Mali et le Niger, partenaires du Burkina au sein de l'AES, ont
	 * condamné": past an apposition, the subject opens the sentence */
	if (!ev.nactor && !nominal && cs > d->sents[s].tb && (d->toks[cs - 1].flags & TK_PUNCT) &&
	    (d->toks[cs - 1].p == ',' || d->toks[cs - 1].p == ')')) {
		int e1 = d->sents[s].tb;
		while (e1 < cs && !((d->toks[e1].flags & TK_PUNCT) && d->toks[e1].p == ','))
			e1++;
		for (int i = 0; i < np; i++)
			if (p[i].tok < e1 && !p[i].place && !p[i].loc)
				cx_put(ev.actor, &ev.nactor, p[i].code);
	}
	for (int i = 0; i < np && !ev.nactor; i++)
		if (p[i].tok < h->k && !p[i].place)
			cx_put(ev.actor, &ev.nactor, p[i].code);
	for (int i = 0; i < np && nominal && !ev.nactor; i++)
		if (p[i].tok > h->k && p[i].tok < re && p[i].agent)
			cx_put(ev.actor, &ev.nactor, p[i].code);
	if (!ev.nactor && focal && (poss || !nominal))
		cx_put(ev.actor, &ev.nactor, focal);
	int nonloc = 0;
	for (int i = 0; i < np; i++)
		nonloc += p[i].tok > h->k && p[i].tok < re && !p[i].loc && !p[i].place && !p[i].anaphor &&
		          !cx_has(ev.actor, ev.nactor, p[i].code);
	int named = nonloc;
	for (int i = 0; i < np; i++)
		named += p[i].tok > h->k && p[i].tok < re && p[i].loc;
	for (int i = 0; i < np; i++) {
		if (p[i].tok <= h->k || p[i].tok >= re || cx_has(ev.actor, ev.nactor, p[i].code) || (p[i].place && !p[i].loc))
			continue;
		/* a pronoun after the trigger is a possessive ("their decision", "on its soil"), not a party */
		if (p[i].anaphor && !p[i].loc)
			continue;
		/* "exchanged prisoners in a swap brokered by the UAE": after an active
		 * verb, an agent phrase belongs to a participle, a third party */
		if (p[i].agent && !nominal && participle_agent(d, p[i].tok) && !cx_is(d, h->k - 1, "been") &&
		    !cx_is(d, h->k - 1, "was") && !cx_is(d, h->k - 1, "were") && !cx_is(d, h->k - 1, "ete"))
			continue;
		if (p[i].loc && (nonloc || (p[i].place && cx_nstates(&ev) + ev.nrecip >= 2)))
			continue;
		cx_put(ev.recip, &ev.nrecip, p[i].code);
	}
	/* "sending rice to Malawi as food aid": a place named before a noun trigger */
	for (int i = 0; i < np && !ev.nrecip; i++)
		if (p[i].tok < h->k && p[i].tok >= cs && p[i].loc && !cx_has(ev.actor, ev.nactor, p[i].code))
			cx_put(ev.recip, &ev.nrecip, p[i].code);
	if (!ev.nactor && ev.nrecip) {
		/* a noun with no subject: "le soutien du Togo au Maroc" */
		cx_put(ev.actor, &ev.nactor, ev.recip[0]);
		memmove(ev.recip, ev.recip + 1, sizeof ev.recip[0] * (size_t)(--ev.nrecip));
	}
	/* "condamné l'incursion de soldats libériens": the perpetrator of the act
	 * that is the object, not its victims ("contre", "against") */
	if (!ev.nrecip && !cx_cooperative(h->type) && next < d->sents[s].te) {
		int ne = cx_right_end(d, s, next + 1, d->ntok);
		for (int i = 0; i < np; i++)
			if (p[i].tok > next && p[i].tok < ne && !p[i].loc && !p[i].place && !p[i].anaphor &&
			    !target(d, p[i].tok) && !cx_has(ev.actor, ev.nactor, p[i].code))
				cx_put(ev.recip, &ev.nrecip, p[i].code);
	}
	if (cx_nstates(&ev) == 1 && !has_igo(&ev) && !cx_cooperative(h->type))
		for (int i = 0; i < np; i++)
			if (p[i].tok > h->k && (next_verb || p[i].tok < next) && !p[i].place && !p[i].anaphor &&
			    cx_is_state(p[i].code) && !cx_has(ev.actor, ev.nactor, p[i].code))
				cx_put(ev.recip, &ev.nrecip, p[i].code);
	/* "accusing them of", "les accusant de": the object is who the clause before acted on */
	if (!strcmp(h->type, "ACCUSE") && !nominal && d->nev && d->evs[d->nev - 1].sent == s &&
	    (cx_is(d, h->e, "them") || cx_is(d, h->e, "him") || cx_is(d, h->e, "her") || cx_is(d, h->k - 1, "les") ||
	     cx_is(d, h->k - 1, "l"))) {
		const cx_ev *o = &d->evs[d->nev - 1];
		ev.nrecip = 0;
		for (int j = 0; j < o->nrecip; j++)
			if (!cx_has(ev.actor, ev.nactor, o->recip[j]))
				cx_put(ev.recip, &ev.nrecip, o->recip[j]);
	}
	from_discourse(d, s, h, &ev);
	bilateral(d, &ev);
	if (((t->flags & TF_R) && !ev.nrecip) || !enough(&ev))
		return CR_OK;
	cx_finish(d, s, h->k, &ev, NULL);
	return cx_emit(d, &ev);
}

/* One trigger into events: parties split by side of the trigger. */
cr_err cx_assign(cx_doc *d, int s, const cx_hit *h, party *p, int np, const char *focal, int next,
                     int next_verb)
{
	const cx_trig *t = h->t;
	int nominal = (t->flags & TF_N) != 0;
	int poss = nominal && h->k > 0 && (cx_wordk(d, h->k - 1, W_PRON) || cx_wordk(d, h->k - 2, W_PRON));
	/* what follows another trigger belongs to it ("condamné l'attaque contre l'armée malienne") */
	int own = (t->flags & TF_A) || cx_cooperative(h->type);
	int cs = cx_clause_start(d, h->k), re = cx_right_end(d, s, h->e, own ? d->ntok : next);
	if (t->flags & TF_S)
		return one_sided(d, s, h, p, np, cs, re, cx_right_end(d, s, h->e, d->ntok));
	if ((t->flags & (TF_V | TF_H)) && !strcmp(h->type, "CONSULT"))
		return visit(d, s, h, p, np, focal, poss, re, passive(d, h));
	if ((t->flags & TF_M) && !strcmp(h->type, "CONSULT"))
		return meeting(d, s, h, p, np, focal, poss);
	return general(d, s, h, p, np, focal, poss, cs, re, next, next_verb);
}
