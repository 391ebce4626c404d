/* The engine's lexicon: every data table (gazetteers, titles, function words,
 * calendar words, triggers) parsed once from the compiled-in TSV files into
 * a hash of folded phrases (with every leading sub-phrase marked, so that a
 * longest match stops as soon as no key can continue) and a trigger index
 * keyed by the first four folded bytes of a trigger's first word. Each word
 * of a document is looked up once (cx_lexicon_tag): the rules then read its
 * entries from the token instead of hashing it again. */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "extract/doc.h"

#define X(n) extern const char cx_data_##n[]; extern const size_t cx_data_##n##_len;
X(countries) X(places) X(orgs) X(titles) X(triggers) X(words) X(calendar) X(context) X(roles)
#undef X

typedef struct slot {
	uint32_t hash;
	uint32_t koff;     /* key offset in strs, 0 = empty */
	int first;         /* first value / trigger, -1 */
	uint8_t prefix;
} slot;

typedef struct tab {
	slot *s;
	uint32_t cap, n;
} tab;

struct cx_lexicon {
	char *strs;        /* NUL-terminated keys and data copies */
	size_t slen, scap;
	tab words, trigs;
	cx_val *vals;
	int nval, capval;
	cx_trig *trig;
	int ntrig, captrig;
};

static uint32_t hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h ? h : 1;
}

static size_t put_str(cx_lexicon *l, const char *s, size_t n)
{
	if (l->slen + n + 1 > l->scap) {
		size_t nc = (l->scap + n + 1) * 2;
		char *q = realloc(l->strs, nc);
		if (!q)
			return 0;
		l->strs = q;
		l->scap = nc;
	}
	size_t off = l->slen;
	memcpy(l->strs + off, s, n);
	l->strs[off + n] = 0;
	l->slen += n + 1;
	return off;
}

/* The stored key s is exactly the n bytes of k (which holds no NUL); short
 * keys make a loop cheaper than strncmp's call. */
static int key_eq(const char *s, const char *k, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != k[i])
			return 0;
	return !s[n];
}

static slot *tab_find(const cx_lexicon *l, const tab *t, const char *k, size_t n, uint32_t h)
{
	if (!t->cap)
		return NULL;
	for (uint32_t i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		slot *s = &t->s[i];
		if (!s->koff)
			return s;
		if (s->hash == h && key_eq(l->strs + s->koff, k, n))
			return s;
	}
}

static slot *tab_put(cx_lexicon *l, tab *t, const char *k, size_t n)
{
	if ((t->n + 1) * 2 > t->cap) {
		tab nt = {calloc(t->cap ? t->cap * 2 : 1024, sizeof(slot)), t->cap ? t->cap * 2 : 1024, t->n};
		if (!nt.s)
			return NULL;
		for (uint32_t i = 0; i < t->cap; i++)
			if (t->s[i].koff)
				*tab_find(l, &nt, l->strs + t->s[i].koff, strlen(l->strs + t->s[i].koff), t->s[i].hash) = t->s[i];
		free(t->s);
		*t = nt;
	}
	uint32_t h = hash(k, n);
	slot *s = tab_find(l, t, k, n, h);
	if (!s->koff) {
		size_t off = put_str(l, k, n);
		if (!off)
			return NULL;
		s->hash = h;
		s->koff = (uint32_t)off;
		s->first = -1;
		t->n++;
	}
	return s;
}

static int lang_of(const char *s)
{
	return !strcmp(s, "fr") ? 1 : !strcmp(s, "en") ? 2 : 0;
}

static int add_val(cx_lexicon *l, const char *text, cx_val v)
{
	char key[512];
	size_t n = cx_fold_phrase(text, key, sizeof key);
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (key[i] == ' ') {
			slot *p = tab_put(l, &l->words, key, i);
			if (!p)
				return -1;
			p->prefix = 1;
		}
	slot *s = tab_put(l, &l->words, key, n);
	if (!s || cx_grow((void **)&l->vals, &l->capval, l->nval + 1, sizeof *l->vals))
		return -1;
	v.text = text;
	/* keep insertion order: append at the end of the chain */
	v.next = -1;
	l->vals[l->nval] = v;
	if (s->first < 0) {
		s->first = l->nval;
	} else {
		int k = s->first;
		while (l->vals[k].next >= 0)
			k = l->vals[k].next;
		l->vals[k].next = l->nval;
	}
	l->nval++;
	return 0;
}

/* First name line of a state, per language: its display name, under the raw
 * keys "=CODE" (any language) and "=CODE/fr", "=CODE/en". */
static int put_display(cx_lexicon *l, const char *key, size_t n, const char *code, const char *text)
{
	slot *s = tab_put(l, &l->words, key, n);
	if (!s)
		return -1;
	if (s->first < 0) {
		if (cx_grow((void **)&l->vals, &l->capval, l->nval + 1, sizeof *l->vals))
			return -1;
		l->vals[l->nval] = (cx_val){.cls = G_COUNTRY, .code = code, .text = text, .next = -1};
		s->first = l->nval++;
	}
	return 0;
}

static int add_display(cx_lexicon *l, const char *code, const char *lang, const char *text)
{
	char key[32];
	int n = snprintf(key, sizeof key, "=%s", code);
	if (n <= 0 || (size_t)n >= sizeof key - 4 || put_display(l, key, (size_t)n, code, text))
		return n <= 0 || (size_t)n >= sizeof key - 4 ? 0 : -1;
	for (int i = 0; i < 2; i++) {
		const char *lg = i ? "en" : "fr";
		if (strcmp(lang, "*") && strcmp(lang, lg))
			continue;
		int m = snprintf(key, sizeof key, "=%s/%s", code, lg);
		if (m > 0 && (size_t)m < sizeof key && put_display(l, key, (size_t)m, code, text))
			return -1;
	}
	return 0;
}

const char *cx_state_name(const cx_lexicon *l, const char *code, int lang)
{
	char key[32];
	size_t cl = strlen(code);
	for (int pass = lang == 1 || lang == 2 ? 0 : 1; pass < 2; pass++) {
		/* "=CODE/fr", then "=CODE" (put_display's keys) */
		size_t n = pass ? cl + 1 : cl + 4;
		if (n >= sizeof key)
			return code;
		key[0] = '=';
		memcpy(key + 1, code, cl);
		if (!pass)
			memcpy(key + 1 + cl, lang == 1 ? "/fr" : "/en", 3);
		slot *s = tab_find(l, &l->words, key, n, hash(key, n));
		if (s && s->koff && s->first >= 0)
			return l->vals[s->first].text;
	}
	return code;
}

static int kind_of(const char *s)
{
	static const char *const names[] = {"", "name", "adj", "prefix", "capital", "city", "region", "acronym",
	                                    "honorific", "rank", "role", NULL};
	for (int i = 1; names[i]; i++)
		if (!strcmp(s, names[i]))
			return i;
	return 0;
}

static int wclass_of(const char *s)
{
	static const char *const names[] = {"", "neg", "hypo", "fut", "demo", "pron", "pairnum", "pairnoun", "loc",
	                                    "agent", "stop", "part", "skip", "clause", "nonname", "backref", "light", NULL};
	for (int i = 1; names[i]; i++)
		if (!strcmp(s, names[i]))
			return i;
	return 0;
}

static int cclass_of(const char *s)
{
	static const char *const names[] = {"", "month", "wday", "rel", "unit", "day", NULL};
	for (int i = 1; names[i]; i++)
		if (!strcmp(s, names[i]))
			return i;
	return 0;
}

static int first_upper(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	/* ASCII capitals, or Latin-1 capitals (U+00C0..U+00DE: "Égypte", "Île") */
	return (u[0] >= 'A' && u[0] <= 'Z') || (u[0] == 0xC3 && u[1] >= 0x80 && u[1] <= 0x9E);
}

static int add_trig(cx_lexicon *l, const char *lang, const char *pat, const char *type, const char *mode,
                    const char *flags, int is_ctx)
{
	char key[256];
	size_t n = cx_fold_phrase(pat, key, sizeof key);
	if (!n || cx_grow((void **)&l->trig, &l->captrig, l->ntrig + 1, sizeof *l->trig))
		return -1;
	cx_trig t = {.type = type, .mode = strcmp(mode, "-") ? mode : NULL, .lang = (uint8_t)lang_of(lang),
	             .is_ctx = (uint8_t)is_ctx};
	for (const char *f = flags; *f; f++)
		t.flags |= *f == 'n' ? TF_N : *f == 'v' ? TF_V : *f == 'h' ? TF_H : *f == 'm' ? TF_M :
		           *f == 'a' ? TF_A : *f == 's' ? TF_S : *f == 'r' ? TF_R : 0;
	size_t off = put_str(l, key, n);
	if (!off)
		return -1;
	t.raw0 = pat;
	t.raw0len = (uint8_t)strcspn(pat, " *'~");
	/* split the stored copy into words */
	char *p = l->strs + off;
	while (*p && t.ntok < 8) {
		char *e = strchr(p, ' ');
		if (e)
			*e = 0;
		size_t wl = strlen(p);
		if (!strcmp(p, "~")) {
			t.tok[t.ntok] = NULL;
		} else {
			if (wl && p[wl - 1] == '*') {
				p[wl - 1] = 0;
				t.prefix[t.ntok] = 1;
			}
			t.tok[t.ntok] = p;
		}
		t.ntok++;
		p = e ? e + 1 : p + wl;
	}
	if (!t.ntok || !t.tok[0])
		return 0;
	size_t bl = strlen(t.tok[0]);
	slot *s = tab_put(l, &l->trigs, t.tok[0], bl < 4 ? bl : 4);
	if (!s)
		return -1;
	t.next = s->first;
	s->first = l->ntrig;
	l->trig[l->ntrig++] = t;
	return 0;
}

/* One data row into the lexicon; table numbers follow cx_lexicon_new. */
static int add_row(cx_lexicon *l, int table, char **f, int nf)
{
	cx_val v = {0};
	int r = 0;
	switch (table) {
	case 0: case 1: case 2: /* countries, places, orgs: code lang kind text [extra] */
		v.cls = (uint8_t)(table == 0 ? G_COUNTRY : table == 1 ? G_PLACE : G_ORG);
		v.code = f[0];
		v.lang = (uint8_t)lang_of(f[1]);
		v.kind = (uint8_t)kind_of(f[2]);
		if (table < 2 && !strcmp(f[4], "exact"))
			v.casing = CASE_EXACT;
		else if (v.kind == K_ACRONYM)
			v.casing = CASE_EXACT;
		else if (v.kind != K_ADJ && v.kind != K_PREFIX && first_upper(f[3]))
			v.casing = CASE_CAP;
		if (table == 2 && *f[4])
			v.aux = f[4];
		r = add_val(l, f[3], v);
		if (!r && table == 0 && v.kind == K_NAME)
			r = add_display(l, f[0], f[1], f[3]);
		break;
	case 3: /* titles: lang kind text canonical */
		v.cls = G_TITLE;
		v.lang = (uint8_t)lang_of(f[0]);
		v.kind = (uint8_t)kind_of(f[1]);
		v.code = *f[3] ? f[3] : NULL;
		/* short honorifics are also words ("Me", "Col"): capitalised only */
		if (v.kind != K_ROLE && first_upper(f[2]) && strlen(f[2]) <= 3)
			v.casing = CASE_CAP;
		r = add_val(l, f[2], v);
		break;
	case 4: case 7: /* triggers / context */
		if (table == 4 && nf >= 5)
			r = add_trig(l, f[0], f[1], f[2], f[3], f[4], 0);
		else if (table == 7)
			r = add_trig(l, f[0], f[1], f[2], "-", "", 1);
		break;
	case 5: /* words: class lang text */
		v.cls = G_WORD;
		v.kind = (uint8_t)wclass_of(f[0]);
		v.lang = (uint8_t)lang_of(f[1]);
		r = v.kind ? add_val(l, f[2], v) : 0;
		break;
	case 6: /* calendar: class lang text value */
		v.cls = G_CAL;
		v.kind = (uint8_t)cclass_of(f[0]);
		v.lang = (uint8_t)lang_of(f[1]);
		v.num = (int16_t)(*f[3] == 'y' ? 'y' : *f[3] == 'm' ? 'm' : *f[3] == 'w' ? 'w' : atoi(f[3]));
		r = v.kind ? add_val(l, f[2], v) : 0;
		break;
	}
	return r;
}

/* Parse one table; `cols` fields per line (missing optional fields are ""). */
static int load(cx_lexicon *l, const char *data, size_t len, int table)
{
	size_t off = put_str(l, data, len);
	if (!off && len)
		return -1;
	/* pointers into strs stay valid only if strs never moves again: the
	 * caller reserved enough room before loading. */
	char *p = l->strs + off, *end = p + len;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		*nl = 0;
		if (nl > p && nl[-1] == '\r')
			nl[-1] = 0;
		char *f[6] = {"", "", "", "", "", ""};
		int nf = 0;
		for (char *q = p; nf < 6;) {
			f[nf++] = q;
			char *t = strchr(q, '\t');
			if (!t)
				break;
			*t = 0;
			q = t + 1;
		}
		if (*p && *p != '#' && nf >= 3 && add_row(l, table, f, nf))
			return -1;
		p = nl + 1;
	}
	return 0;
}

cr_err cx_lexicon_new(cx_lexicon **out)
{
	/* roles.tsv (the engine's own additions) has the format of titles.tsv */
	const char *data[] = {cx_data_countries, cx_data_places, cx_data_orgs, cx_data_titles,
	                      cx_data_triggers, cx_data_words, cx_data_calendar, cx_data_context, cx_data_roles};
	size_t lens[] = {cx_data_countries_len, cx_data_places_len, cx_data_orgs_len, cx_data_titles_len,
	                 cx_data_triggers_len, cx_data_words_len, cx_data_calendar_len, cx_data_context_len,
	                 cx_data_roles_len};
	static const int table[] = {0, 1, 2, 3, 4, 5, 6, 7, 3};
	cx_lexicon *l = calloc(1, sizeof *l);
	if (!l)
		return CR_ENOMEM;
	size_t total = 0;
	for (int i = 0; i < 9; i++)
		total += lens[i] + 1;
	/* data copies first, in one block that never moves; keys come after */
	l->scap = total * 4 + 4096;
	l->strs = malloc(l->scap);
	if (!l->strs)
		goto fail;
	l->slen = 1;
	char *base = l->strs;
	for (int i = 0; i < 9; i++) {
		if (load(l, data[i], lens[i], table[i]) || l->strs != base)
			goto fail;
	}
	*out = l;
	return CR_OK;
fail:
	cx_lexicon_destroy(&l);
	return CR_ENOMEM;
}

void cx_lexicon_destroy(cx_lexicon **pl)
{
	if (!pl || !*pl)
		return;
	cx_lexicon *l = *pl;
	free(l->strs);
	free(l->words.s);
	free(l->trigs.s);
	free(l->vals);
	free(l->trig);
	free(l);
	*pl = NULL;
}

int cx_lexicon_find(const cx_lexicon *l, const char *key, size_t n, int *is_prefix)
{
	slot *s = tab_find(l, &l->words, key, n, hash(key, n));
	*is_prefix = s && s->koff ? s->prefix : 0;
	return s && s->koff ? s->first : -1;
}

const cx_val *cx_lexicon_val(const cx_lexicon *l, int i)
{
	return i >= 0 && i < l->nval ? &l->vals[i] : NULL;
}

const cx_trig *cx_trig_get(const cx_lexicon *l, int i)
{
	return i >= 0 && i < l->ntrig ? &l->trig[i] : NULL;
}

/* Exact-case values must match the words of their text byte for byte. */
static int case_ok(const cx_val *v, const cx_doc *d, int i, int end)
{
	if (v->casing == CASE_CAP)
		return (d->toks[i].flags & (TK_CAP | TK_UPPER)) != 0;
	if (v->casing != CASE_EXACT)
		return 1;
	const char *p = v->text;
	for (int k = i; k < end; k++) {
		if (!(d->toks[k].flags & TK_WORD))
			continue;
		while (*p && !((unsigned char)*p >= 0x80 || (*p >= '0' && *p <= '9') || ((*p | 32) >= 'a' && (*p | 32) <= 'z')))
			p++;
		size_t n = d->toks[k].e - d->toks[k].b;
		if (strncmp(p, d->text + d->toks[k].b, n))
			return 0;
		p += n;
	}
	return 1;
}

int cx_lexicon_match(const cx_lexicon *l, const cx_doc *d, int i, int lim,
                     int (*want)(const cx_val *v, const cx_doc *d, int i), int *end)
{
	char key[512];
	size_t n = 0;
	int best = -1;
	for (int k = i; k < lim && k - i < 24; k++) {
		const cx_tok *t = &d->toks[k];
		if (t->flags & TK_PUNCT) {
			/* periods inside abbreviations (R.D.C., U.N.) and hyphens do not break a phrase */
			if (t->p == '.' || t->p == '-')
				continue;
			break;
		}
		if (k > i && (t->flags & TK_NL))
			break;
		if (n + t->flen + 2 > sizeof key || (!n && t->lex < 0 && !t->lexpre))
			break; /* too long, or no key starts with the first word */
		if (n)
			key[n++] = ' ';
		memcpy(key + n, cx_fold(d, k), t->flen);
		n += t->flen;
		/* a one-word key was looked up at tokenization */
		int pre = t->lexpre;
		int v = n == t->flen ? t->lex : cx_lexicon_find(l, key, n, &pre);
		for (int j = v; j >= 0; j = l->vals[j].next)
			if ((!want || want(&l->vals[j], d, i)) && case_ok(&l->vals[j], d, i, k + 1)) {
				best = j;
				*end = k + 1;
				break;
			}
		if (!pre)
			break;
	}
	return best;
}

const cx_val *cx_lexicon_pick(const cx_lexicon *l, int v, int cls, int kind, int lang)
{
	for (; v >= 0; v = l->vals[v].next) {
		const cx_val *x = &l->vals[v];
		if (x->cls == cls && x->kind == kind && (!x->lang || !lang || x->lang == lang))
			return x;
	}
	return NULL;
}

void cx_lexicon_tag(const cx_lexicon *l, cx_doc *d)
{
	for (int i = 0; i < d->ntok; i++) {
		cx_tok *t = &d->toks[i];
		t->lex = t->trig = -1;
		t->kinds = 0;
		t->lexpre = 0;
		if (!(t->flags & TK_WORD))
			continue;
		const char *f = cx_fold(d, i);
		int pre;
		t->lex = cx_lexicon_find(l, f, t->flen, &pre);
		t->lexpre = (uint8_t)pre;
		for (int v = t->lex; v >= 0; v = l->vals[v].next) {
			const cx_val *x = &l->vals[v];
			if ((x->cls == G_WORD || x->cls == G_CAL) && (!x->lang || !d->lang || x->lang == d->lang))
				t->kinds |= cx_kind_bit(x->cls, x->kind);
		}
		if (t->flags & TK_NUM)
			continue; /* no trigger starts with a number (cx_trigger_at) */
		size_t k = t->flen < 4 ? t->flen : 4;
		slot *s = tab_find(l, &l->trigs, f, k, hash(f, k));
		t->trig = s && s->koff ? s->first : -1;
	}
}
