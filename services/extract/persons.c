/* Persons: names found from honorifics, ranks and roles before them, role
 * appositions, all-caps surnames and bare mid-sentence names; role and state
 * from the role's noun phrase; every later mention (surname alone, all-caps,
 * a small typo) merged into one person with aliases. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "extract/doc.h"

static int name_tok(const cx_doc *d, int i)
{
	if (!cx_is_word(d, i) || (d->toks[i].flags & (TK_SKIP | TK_NUM | TK_ALNUM)))
		return 0;
	if (!(d->toks[i].flags & (TK_CAP | TK_UPPER)) || d->toks[i].flen < 2)
		return 0;
	if (d->tok_ment[i] >= 0)
		return 0;
	if (cx_wordk(d, i, W_STOP) || cx_word(d, i, G_CAL, C_MONTH) || cx_word(d, i, G_CAL, C_WDAY))
		return 0;
	return 1;
}

/* End of the capitalised name starting at i (exclusive), i when none. */
static int name_span(const cx_doc *d, int i)
{
	int j = i, s = d->toks[i].sent;
	while (j < d->ntok && j - i < 6 && d->toks[j].sent == s) {
		if (j > i && (d->toks[j].flags & TK_NL))
			break;
		if (name_tok(d, j)) {
			j++;
			continue;
		}
		/* an honorific word inside a name ("Ould Cheikh El") is part of it */
		const cx_ment *m = cx_ment_at(d, j, G_TITLE);
		if (j > i && m && m->kind == K_HONORIFIC && m->te == j + 1 && (d->toks[j].flags & TK_CAP) &&
		    j + 1 < d->ntok && name_tok(d, j + 1)) {
			j++;
			continue;
		}
		if (j > i && cx_wordk(d, j, W_PART) && !(d->toks[j].flags & TK_CAP) && name_tok(d, j + 1)) {
			j++;
			continue;
		}
		break;
	}
	return j;
}

static int title_before(const cx_doc *d, int i, int kind_mask)
{
	/* "le président sénégalais Bassirou Diomaye Faye": skip the state adjective */
	while (i > 1 && cx_ment_at(d, i - 1, G_COUNTRY) && cx_ment_at(d, i - 1, G_COUNTRY)->kind == K_ADJ)
		i = cx_ment_at(d, i - 1, G_COUNTRY)->tb;
	const cx_ment *m = cx_ment_at(d, i - 1, G_TITLE);
	if (m && ((1 << m->kind) & kind_mask))
		return m->tb;
	/* "Prof." / "M." : the period after an honorific */
	if (i >= 2 && (d->toks[i - 1].flags & TK_PUNCT) && d->toks[i - 1].p == '.') {
		m = cx_ment_at(d, i - 2, G_TITLE);
		if (m && ((1 << m->kind) & kind_mask))
			return m->tb;
	}
	return -1;
}

/* A role title within the previous tokens of the sentence, for "ROLE ..., Name". */
static int role_back(const cx_doc *d, int i, int maxback)
{
	int s = d->toks[i].sent;
	for (int k = i - 1; k >= 0 && i - k <= maxback && d->toks[k].sent == s; k--) {
		const cx_ment *m = cx_ment_at(d, k, G_TITLE);
		if (m && m->kind == K_ROLE)
			return m->tb;
		if ((d->toks[k].flags & TK_PUNCT) && (d->toks[k].p == '.' || d->toks[k].p == ';'))
			return -1;
	}
	return -1;
}

/* ", ROLE" right after the name (skipping determiners) */
static int role_after(const cx_doc *d, int j)
{
	if (j >= d->ntok || !(d->toks[j].flags & TK_PUNCT) || d->toks[j].p != ',')
		return -1;
	for (int k = j + 1; k < d->ntok && k <= j + 4; k++) {
		const cx_ment *m = cx_ment_at(d, k, G_TITLE);
		if (m && m->kind == K_ROLE)
			return k;
		if (!cx_is_word(d, k))
			return -1;
		const char *f = cx_fold(d, k);
		if (strcmp(f, "le") && strcmp(f, "la") && strcmp(f, "l") && strcmp(f, "the") && strcmp(f, "a") &&
		    strcmp(f, "an") && strcmp(f, "ex") && strcmp(f, "former") && strcmp(f, "ancien") &&
		    strcmp(f, "ancienne") && strcmp(f, "actuel") && !cx_ment_at(d, k, G_COUNTRY))
			return -1;
	}
	return -1;
}

static const char *country_in(const cx_doc *d, int a, int b, int places)
{
	for (int k = a; k < b && k < d->ntok; k++) {
		const cx_ment *m = cx_ment_at(d, k, places ? G_PLACE : G_COUNTRY);
		if (m && m->code)
			return m->code;
	}
	return NULL;
}

static int stop_after(const cx_doc *d, int k)
{
	const cx_tok *t = &d->toks[k];
	if ((t->flags & TK_PUNCT) && (t->p == '.' || t->p == ';' || t->p == '(' || t->p == ')'))
		return 1;
	const cx_ment *m = cx_ment_at(d, k, G_TITLE);
	if (m && m->kind == K_HONORIFIC)
		return 1;
	const cx_trig *tr;
	return cx_trigger_at(d, k, d->ntok, 0, &tr) > 0;
}

static void title_case(const char *s, size_t n, char *out, size_t cap)
{
	size_t o = 0, i = 0;
	int start = 1;
	while (i < n && o + 8 < cap) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t w = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
		if (w <= 0)
			break;
		int letter = utf8proc_category(cp) >= UTF8PROC_CATEGORY_LU && utf8proc_category(cp) <= UTF8PROC_CATEGORY_LO;
		utf8proc_int32_t c2 = letter && !start ? utf8proc_tolower(cp) : cp;
		o += (size_t)utf8proc_encode_char(c2, (utf8proc_uint8_t *)out + o);
		start = !letter && cp != 0x2019 && cp != '\'';
		i += (size_t)w;
	}
	out[o] = 0;
}

/* Display form of tokens [a, b): all-caps words in title case. */
static void span_name(const cx_doc *d, int a, int b, char *out, size_t cap)
{
	size_t o = 0;
	out[0] = 0;
	for (int k = a; k < b && o + 4 < cap; k++) {
		if (k > a)
			out[o++] = (d->toks[k].flags & TK_HYPH) ? '-' : ' ';
		const char *w = d->text + d->toks[k].b;
		size_t n = d->toks[k].e - d->toks[k].b;
		if (d->toks[k].flags & TK_UPPER) {
			title_case(w, n, out + o, cap - o);
			o += strlen(out + o);
		} else {
			size_t c = n < cap - o - 1 ? n : cap - o - 1;
			memcpy(out + o, w, c);
			o += c;
			out[o] = 0;
		}
	}
}

static int edit_distance(const char *a, const char *b, int max)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 63 || lb > 63 || (la > lb ? la - lb : lb - la) > (size_t)max)
		return max + 1;
	int prev[64], cur[64];
	for (size_t j = 0; j <= lb; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = (int)i;
		int best = cur[0];
		for (size_t j = 1; j <= lb; j++) {
			int c = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < c)
				c = prev[j] + 1;
			if (cur[j - 1] + 1 < c)
				c = cur[j - 1] + 1;
			cur[j] = c;
			if (c < best)
				best = c;
		}
		if (best > max)
			return max + 1;
		memcpy(prev, cur, sizeof(int) * (lb + 1));
	}
	return prev[lb];
}

/* One person's surname spelt twice: equal, or a typo (same first letter,
 * one edit for four letters or more, two from eight). */
static int same_surname(const char *a, const char *b)
{
	if (!strcmp(a, b))
		return 1;
	if (*a != *b)
		return 0;
	size_t n = strlen(a) < strlen(b) ? strlen(a) : strlen(b);
	int max = n >= 8 ? 2 : n >= 4 ? 1 : 0;
	return max && edit_distance(a, b, max) <= max;
}

static void add_alias(cx_person *p, const char *s)
{
	if (!strcmp(p->name, s))
		return;
	for (int i = 0; i < p->naliases; i++)
		if (!strcmp(p->aliases[i], s))
			return;
	if (p->naliases < CX_MAX_ALIASES)
		snprintf(p->aliases[p->naliases++], sizeof p->aliases[0], "%s", s);
}

static void raw_span(const cx_doc *d, int a, int b, char *out, size_t cap)
{
	size_t n = d->toks[b - 1].e - d->toks[a].b;
	if (n >= cap)
		n = cap - 1;
	memcpy(out, d->text + d->toks[a].b, n);
	out[n] = 0;
}

/* Find or create the person for tokens [a, b). */
static int person_for(cx_doc *d, int a, int b, int create)
{
	const char *sur = cx_fold(d, b - 1);
	/* "OSEI-MENSAH" is one surname, not a first name and a surname */
	const char *first = b - a >= 2 && !(d->toks[a + 1].flags & TK_HYPH) ? cx_fold(d, a) : "";
	/* "WANG Jianmin": an all-caps first word before mixed case is the surname */
	if (b - a == 2 && (d->toks[a].flags & TK_UPPER) && !(d->toks[b - 1].flags & TK_UPPER) && d->toks[a].flen >= 2)
		sur = cx_fold(d, a), first = cx_fold(d, b - 1);
	/* "Mahamat Saleh" after "Abakar MAHAMAT SALEH": the trailing words of a known name */
	if (b - a >= 2)
		for (int i = 0; i < d->nperson; i++) {
			char f[96], w[96];
			cx_fold_phrase(d->persons[i].name, f, sizeof f);
			size_t o = 0;
			for (int k = a; k < b && o + d->toks[k].flen + 2 < sizeof w; k++) {
				if (o)
					w[o++] = ' ';
				memcpy(w + o, cx_fold(d, k), d->toks[k].flen);
				o += d->toks[k].flen;
			}
			w[o] = 0;
			size_t fl = strlen(f);
			if (fl > o && !strcmp(f + fl - o, w) && f[fl - o - 1] == ' ')
				return i;
		}
	for (int i = 0; i < d->nperson; i++) {
		cx_person *p = &d->persons[i];
		if (!same_surname(p->sur, sur))
			continue;
		if (*first && *p->first && strcmp(first, p->first))
			continue;
		return i;
	}
	if (!create || d->nperson >= CX_MAX_PERSONS ||
	    cx_grow((void **)&d->persons, &d->capperson, d->nperson + 1, sizeof *d->persons))
		return -1;
	cx_person *p = &d->persons[d->nperson];
	memset(p, 0, sizeof *p);
	snprintf(p->sur, sizeof p->sur, "%s", sur);
	snprintf(p->first, sizeof p->first, "%s", first);
	p->first_tok = a;
	return d->nperson++;
}

static void note_mention(cx_doc *d, int pi, int a, int b)
{
	cx_person *p = &d->persons[pi];
	char disp[96], raw[96];
	span_name(d, a, b, disp, sizeof disp);
	raw_span(d, a, b, raw, sizeof raw);
	/* the fullest mixed-case form names the person */
	int ntok = 1;
	for (const char *c = disp; *c; c++)
		ntok += *c == ' ';
	int cur = 1;
	for (const char *c = p->name; *c; c++)
		cur += *c == ' ';
	if (!*p->name || ntok > cur) {
		if (*p->name)
			add_alias(p, p->name);
		snprintf(p->name, sizeof p->name, "%s", disp);
		if (b - a >= 2)
			snprintf(p->first, sizeof p->first, "%s", cx_fold(d, a));
	}
	add_alias(p, raw);
	p->mentions++;
	for (int k = a; k < b; k++)
		d->tok_person[k] = pi;
}

/* Start of the noun phrase that ends before token i: back over determiners,
 * titles, state adjectives and capitalised words ("le Vice-Président de la
 * Transition malienne Colonel"), stopping at verbs, commas and other names. */
static int np_start(const cx_doc *d, int i)
{
	static const char *const det[] = {"le", "la", "les", "l", "du", "des", "de", "d", "the", "of", "a", "an", "s", NULL};
	int s = d->toks[i].sent, j = i;
	while (j > 0 && d->toks[j - 1].sent == s && i - j < 14) {
		int k = j - 1, ok = 0;
		if (!cx_is_word(d, k) || d->tok_person[k] >= 0)
			break;
		const cx_ment *m = cx_ment_at(d, k, 0);
		if (m && (m->cls == G_TITLE || m->cls == G_COUNTRY || m->cls == G_ORG))
			ok = 1;
		else if ((d->toks[k].flags & TK_CAP) && !(k > 0 && d->toks[k - 1].sent != s))
			ok = !cx_wordk(d, k, W_STOP) || m;
		for (int w = 0; det[w] && !ok; w++)
			ok = !strcmp(cx_fold(d, k), det[w]);
		if (!ok)
			break;
		j = k;
	}
	return j;
}

static void attributes(cx_doc *d, int pi, int a, int b, int role_tb, int after_role)
{
	cx_person *p = &d->persons[pi];
	int s = d->toks[a].sent;
	int wb = np_start(d, role_tb >= 0 ? role_tb : a);
	int we = b;
	if (b < d->ntok && (d->toks[b].flags & TK_PUNCT) && d->toks[b].p == ',')
		for (we = b + 1; we < d->ntok && we - b < 25 && d->toks[we].sent == s && !stop_after(d, we) &&
		                 d->tok_person[we] < 0; we++)
			;
	const char *c = country_in(d, wb, a, 0);
	if (!c)
		c = country_in(d, b, we, 0);
	if (!c)
		c = country_in(d, wb, a, 1);
	if (!c)
		c = country_in(d, b, we, 1);
	/* "Ukraine's human rights commissioner, Dmytro Lysenko": a possessive state before the role's modifiers */
	for (int k = (role_tb >= 0 ? role_tb : a) - 1; !c && k >= 1 && k >= (role_tb >= 0 ? role_tb : a) - 6 &&
	                                                d->toks[k].sent == s; k--) {
		if (d->toks[k].flags & TK_PUNCT)
			break;
		if (cx_is(d, k, "s") && cx_ment_at(d, k - 1, G_COUNTRY) && cx_ment_at(d, k - 1, G_COUNTRY)->kind == K_NAME)
			c = cx_ment_at(d, k - 1, G_COUNTRY)->code;
	}
	if (c && !*p->country)
		snprintf(p->country, sizeof p->country, "%s", c);
	int r = role_tb >= 0 ? role_tb : after_role;
	if (r < 0)
		for (int k = wb; k < a; k++)
			if (cx_ment_at(d, k, G_TITLE) && cx_ment_at(d, k, G_TITLE)->kind == K_ROLE) {
				r = k;
				break;
			}
	if (r >= 0 && !*p->role) {
		const cx_ment *m = cx_ment_at(d, r, G_TITLE);
		if (m && m->v->code && *m->v->code)
			snprintf(p->role, sizeof p->role, "%s", m->v->code);
		else if (m)
			cx_fold_phrase(m->v->text, p->role, sizeof p->role);
	}
}

/* A name with no title ("insulted Gustavo Petro"): two or three mixed-case
 * words inside a sentence, after a lower-case word that is not an article,
 * with nothing in them that makes an organisation or a place. */
static int bare_name(const cx_doc *d, int i, int j)
{
	static const char *const det[] = {"the", "a", "an", "le", "la", "les", "l", "un", "une", "des", "du", "de",
	                                  "d", "of", "this", "that", "ce", "cette", NULL};
	int s = d->toks[i].sent;
	if (j - i < 2 || j - i > 3 || i <= d->sents[s].tb || !cx_is_word(d, i - 1))
		return 0;
	if (d->toks[i - 1].flags & (TK_CAP | TK_UPPER | TK_NUM))
		return 0;
	for (int w = 0; det[w]; w++)
		if (!strcmp(cx_fold(d, i - 1), det[w]))
			return 0;
	const cx_trig *t;
	for (int k = i; k < j; k++)
		if ((d->toks[k].flags & TK_UPPER) || cx_wordk(d, k, W_NONNAME) || d->toks[k].flen < 2 ||
		    cx_trigger_at(d, k, d->ntok, 0, &t) > 0)
			return 0;
	if (j < d->ntok && ((d->toks[j].flags & TK_CAP) || (d->toks[j].flags & TK_PUNCT && d->toks[j].p == '(')))
		return 0;
	/* "la base aérienne Adji Kosseï", "the Zuru camp": named after a place noun */
	if (cx_wordk(d, i - 1, W_NONNAME) || (d->lang == 1 && i >= 2 && cx_wordk(d, i - 2, W_NONNAME)))
		return 0;
	/* "Danko-Wasagu": a hyphenated word alone is a place or a compound more often than a name */
	int spaced = 0;
	for (int k = i + 1; k < j; k++)
		spaced += !(d->toks[k].flags & TK_HYPH);
	if (!spaced)
		return 0;
	/* "Kurdistan Workers' Party" */
	if (j + 1 < d->ntok && (d->toks[j].flags & TK_PUNCT) && d->toks[j].p == '\'' && cx_wordk(d, j + 1, W_NONNAME))
		return 0;
	return 1;
}

static int is_conj(const cx_doc *d, int i)
{
	return cx_is_word(d, i) && (!strcmp(cx_fold(d, i), "et") || !strcmp(cx_fold(d, i), "and"));
}

/* "les ministres marocain et espagnol, A et B": B acts for the second state */
static void respectively(cx_doc *d, int pi, int prev, int i)
{
	const char *seen[4];
	int n = 0, s = d->toks[i].sent;
	for (int k = i - 1; k >= 0 && i - k < 30 && d->toks[k].sent == s; k--) {
		const cx_ment *m = cx_ment_at(d, k, G_COUNTRY);
		if (!m || m->tb != k || !m->code)
			continue;
		int dup = 0;
		for (int j = 0; j < n; j++)
			dup |= !strcmp(seen[j], m->code);
		if (!dup && n < 4)
			seen[n++] = m->code;
	}
	/* seen[] is in reverse text order */
	if (n >= 2 && !strcmp(seen[n - 1], d->persons[prev].country))
		snprintf(d->persons[pi].country, sizeof d->persons[pi].country, "%s", seen[n - 2]);
}

static int mixed_upper(const cx_doc *d, int a, int b)
{
	int up = 0, mixed = 0;
	for (int k = a; k < b; k++) {
		if ((d->toks[k].flags & TK_UPPER) && d->toks[k].flen >= 3)
			up++;
		else if (d->toks[k].flags & TK_CAP)
			mixed++;
	}
	return up && mixed;
}

cr_err cx_find_persons(cx_doc *d)
{
	for (int i = 0; i < d->ntok; i++) {
		if (!name_tok(d, i) || d->tok_person[i] >= 0)
			continue;
		int j = name_span(d, i);
		if (j <= i)
			continue;
		int n = j - i, role_tb = -1, ra = -1, ok = 0;
		int tb = title_before(d, i, 1 << K_HONORIFIC | 1 << K_RANK | 1 << K_ROLE);
		if (tb >= 0) {
			ok = 1;
			role_tb = cx_ment_at(d, tb, G_TITLE)->kind == K_ROLE ? tb : -1;
			/* "le ministre togolais des affaires étrangères, Prof Robert Dussey" */
			if (role_tb < 0 && tb > 0 && (d->toks[tb - 1].flags & TK_PUNCT) && d->toks[tb - 1].p == ',')
				role_tb = role_back(d, tb - 1, 30);
		} else if (n >= 2 && i > 0 && (d->toks[i - 1].flags & TK_PUNCT) && d->toks[i - 1].p == ',' &&
		           (role_tb = role_back(d, i - 1, 30)) >= 0) {
			ok = 1;
		} else if (n >= 2 && (ra = role_after(d, j)) >= 0) {
			ok = 1;
		} else if (n >= 2 && mixed_upper(d, i, j)) {
			ok = 1;
		} else if (bare_name(d, i, j)) {
			ok = 1;
		} else if (n >= 2 && i >= 2 && (is_conj(d, i - 1)) && d->tok_person[i - 2] >= 0) {
			/* "Abdelouafi Laftit et Fernando Grande-Marlaska" */
			ok = 1;
			role_tb = -1;
		}
		if (!ok) {
			i = j - 1;
			continue;
		}
		int pi = person_for(d, i, j, 1);
		if (pi < 0) {
			if (d->nperson < CX_MAX_PERSONS)
				return CR_ENOMEM;
			i = j - 1;
			continue;
		}
		note_mention(d, pi, i, j);
		attributes(d, pi, i, j, role_tb, ra);
		if (!*d->persons[pi].country && i >= 2 && is_conj(d, i - 1) && d->tok_person[i - 2] >= 0)
			respectively(d, pi, d->tok_person[i - 2], i);
		i = j - 1;
	}
	/* later mentions: the surname alone, all-caps, a typo of it */
	for (int i = 0; i < d->ntok && d->nperson; i++) {
		if (d->tok_person[i] >= 0 || !name_tok(d, i))
			continue;
		int j = name_span(d, i), a = i;
		int pi = person_for(d, i, j, 0);
		if (pi < 0 && j - i >= 2) {
			a = j - 1;
			pi = person_for(d, a, j, 0);
		}
		if (pi >= 0)
			note_mention(d, pi, a, j);
		i = j - 1;
	}
	return CR_OK;
}

void cx_infer_person_countries(cx_doc *d, const char *top1, const char *top2)
{
	if (!top1 || !top2)
		return;
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < d->ntok; i++) {
			int pi = d->tok_person[i];
			if (pi < 0 || *d->persons[pi].country)
				continue;
			int s = d->toks[i].sent, others = 0;
			for (int k = d->sents[s].tb; k < d->sents[s].te; k++)
				others += d->tok_person[k] >= 0 && d->tok_person[k] != pi &&
				          (k == d->sents[s].tb || d->tok_person[k - 1] != d->tok_person[k]);
			/* a two-person meeting of the article's two parties: the other one's counterpart */
			for (int k = d->sents[s].tb; k < d->sents[s].te && others == 1; k++) {
				int o = d->tok_person[k];
				if (o < 0 || o == pi || !*d->persons[o].country)
					continue;
				const char *oc = d->persons[o].country;
				const char *c = !strcmp(oc, top1) ? top2 : !strcmp(oc, top2) ? top1 : NULL;
				if (c)
					snprintf(d->persons[pi].country, 4, "%s", c);
				break;
			}
		}
}

