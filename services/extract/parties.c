/* Parties of a sentence for the event rules: states named or by
 * adjective, capitals and cities standing for their state, IGOs, persons
 * coded as their state, roles and pronouns standing for the focal actor,
 * "les deux parties" / "the three leaders" resolved to the article's
 * parties; each marked locative, agent, anaphoric or place. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/doc.h"

/* Is the state named in sentence s? ("en présence des deux pays" after
 * "le ministre togolais": Togo is a third party, not one of the two) */
static int named_in(const cx_doc *d, int s, const char *code)
{
	for (int m = cx_first_ment(d, s); m < d->nment && d->ments[m].sent == s; m++)
		if (d->ments[m].cls == G_COUNTRY && d->ments[m].code && !strcmp(d->ments[m].code, code))
			return 1;
	return 0;
}

static const char *pair_other(const cx_doc *d, const char *focal, int upto)
{
	int s0 = d->toks[upto].sent;
	for (int m = cx_first_ment(d, s0 + 1) - 1; m >= 0; m--) {
		const cx_ment *x = &d->ments[m];
		if (x->sent < s0 - 2)
			break;
		if (x->tb >= upto || x->sent == s0)
			continue;
		if (x->cls == G_COUNTRY && x->code && (!focal || strcmp(x->code, focal)) && !named_in(d, s0, x->code))
			return x->code;
	}
	return NULL;
}

static void add_party(cx_party *p, int *n, const char *code, int tok, int loc, int agent, int ana, int place)
{
	if (!code || *n >= CX_MAXP)
		return;
	p[(*n)++] = (cx_party){code, tok, (uint8_t)loc, (uint8_t)agent, (uint8_t)ana, (uint8_t)place};
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

/* "le ministre", "the king": the state of the last person named with that
 * role before it, else the focal actor. */
static const char *role_holder(const cx_doc *d, const cx_ment *m, const char *focal)
{
	const char *role = m->v->code ? m->v->code : NULL;
	if (!role)
		return focal;
	size_t n = strlen(role);
	for (int k = m->tb - 1; k >= 0; k--) {
		int pi = d->tok_person[k];
		if (pi < 0 || !*d->persons[pi].country)
			continue;
		if (!strncmp(d->persons[pi].role, role, n))
			return d->persons[pi].country;
	}
	return focal;
}

static int company(const cx_doc *d, const cx_ment *m)
{
	static const char *const w[] = {"societe", "societes", "entreprise", "entreprises", "compagnie", "firme",
	                                "firmes", "company", "companies", "firm", "firms", "carmaker", "carmakers",
	                                "lender", "lenders", "bank", "banks", "banque", "banques", NULL};
	/* only a company named as a complement ("employés de la société
	 * chinoise", "engineers of a Chinese company"); "sanctions on Russian
	 * companies" are aimed at the state's economy */
	int k = -1;
	for (int i = 0; w[i] && k < 0; i++)
		if (cx_is(d, m->tb - 1, w[i]))
			k = m->tb - 1;
		else if (cx_is(d, m->te, w[i]))
			k = m->tb;
	if (k < 0)
		return 0;
	int j = k - 1;
	if (cx_is(d, j, "la") || cx_is(d, j, "une") || cx_is(d, j, "l") || cx_is(d, j, "a") || cx_is(d, j, "an") ||
	    cx_is(d, j, "the"))
		j--;
	return cx_is(d, j, "de") || cx_is(d, j, "d") || cx_is(d, j, "du") || cx_is(d, j, "des") || cx_is(d, j, "of");
}

/* Is the party at token k, after the n parties p, in an agent phrase ("by",
 * "par")? Asked only of tokens that make a party: most tokens do not. */
static int agent_at(const cx_doc *d, int k, const cx_party *p, int n)
{
	int agent = k > 0 && (cx_wordk(d, k - 1, W_AGENT) || (k > 1 && cx_wordk(d, k - 2, W_AGENT)));
	/* "by Saudi Arabia and the United States": the agent phrase covers its list */
	if (!agent && n && p[n - 1].agent && cx_ment_at(d, p[n - 1].tok, 0)) {
		int j = cx_ment_at(d, p[n - 1].tok, 0)->te;
		while (j < k && (cx_is(d, j, "and") || cx_is(d, j, "et") || cx_is(d, j, "the") || cx_is(d, j, "le") ||
		                 cx_is(d, j, "la") || cx_is(d, j, "l") || ((d->toks[j].flags & TK_PUNCT) && d->toks[j].p == ',')))
			j++;
		agent = j == k;
	}
	return agent;
}

int cx_collect(const cx_doc *d, int s, const char *focal, cx_party *p)
{
	int n = 0, has_state = 0;
	for (int m = cx_first_ment(d, s); m < d->nment && d->ments[m].sent == s; m++)
		has_state |= d->ments[m].cls == G_COUNTRY;
	for (int k = d->sents[s].tb; k < d->sents[s].te; k++) {
		if (d->toks[k].flags & TK_SKIP)
			continue;
		const cx_ment *m = cx_ment_at(d, k, 0);
		if (m && m->tb == k) {
			if (m->cls == G_COUNTRY && m->kind == K_ADJ && company(d, m))
				continue; /* "la société chinoise", "Chinese firms": a company, not its state */
			int agent = agent_at(d, k, p, n);
			if (m->cls == G_COUNTRY)
				add_party(p, &n, m->code, k, m->loc, agent, 0, 0);
			else if (m->cls == G_PLACE && m->loc)
				add_party(p, &n, m->code, k, 1, 0, 0, 1);
			else if (m->cls == G_PLACE && m->kind == K_CAPITAL)
				add_party(p, &n, m->code, k, 0, agent, 0, 0); /* "Alger a menacé": the capital for its state */
			else if (m->cls == G_PLACE && m->kind == K_CITY && !has_state)
				add_party(p, &n, m->code, k, 0, agent, 0, 0); /* "Accra signed with Abidjan" */
			else if (m->cls == G_PLACE)
				add_party(p, &n, m->code, k, 0, 0, 0, 1);
			else if (m->cls == G_ORG && m->v->code && !strncmp(m->v->code, "IGO:", 4))
				add_party(p, &n, m->v->code, k, 0, agent, 0, 0);
			else if (m->cls == G_TITLE && m->kind == K_ROLE && focal && anaphoric_role(d, m))
				add_party(p, &n, role_holder(d, m, focal), k, 0, agent, 1, 0);
			continue;
		}
		int pi = d->tok_person[k];
		if (pi >= 0 && (k == 0 || d->tok_person[k - 1] != pi)) {
			if (*d->persons[pi].country)
				add_party(p, &n, d->persons[pi].country, k, 0, agent_at(d, k, p, n), 0, 0);
			continue;
		}
		if ((cx_is(d, k, "three") || cx_is(d, k, "trois") || cx_is(d, k, "four") || cx_is(d, k, "quatre")) &&
		    cx_wordk(d, k + 1, W_PAIRNOUN)) {
			/* "the three leaders": the states of the last meeting of that many */
			int want = cx_is(d, k, "three") || cx_is(d, k, "trois") ? 3 : 4;
			for (int i = d->nev - 1; i >= 0; i--) {
				const cx_ev *o = &d->evs[i];
				if (o->sent < s - 3 || cx_nstates(o) != want)
					continue;
				for (int j = 0; j < o->nactor; j++)
					if (cx_is_state(o->actor[j]))
						add_party(p, &n, o->actor[j], k, 0, 0, 1, 0);
				for (int j = 0; j < o->nrecip; j++)
					if (cx_is_state(o->recip[j]))
						add_party(p, &n, o->recip[j], k, 0, 0, 1, 0);
				break;
			}
			k++;
			continue;
		}
		if (cx_wordk(d, k, W_PAIRNUM) && cx_wordk(d, k + 1, W_PAIRNOUN)) {
			const char *o = pair_other(d, focal, k);
			const char *a = focal ? focal : d->top[0], *b = o ? o : d->top[1];
			if (a && b && strcmp(a, b)) {
				add_party(p, &n, a, k, 0, 0, 1, 0);
				add_party(p, &n, b, k, 0, 0, 1, 0);
			}
			k++;
			continue;
		}
		if (focal && cx_wordk(d, k, W_PRON) && !(k > 0 && cx_is(d, k - 1, "s")))
			add_party(p, &n, focal, k, 0, agent_at(d, k, p, n), 1, 0);
	}
	return n;
}
