/* Tokenizer: UTF-8 text -> words and punctuation with folded forms (case
 * folded, accents stripped, ligatures expanded, via utf8proc; ASCII runs
 * directly), hyphen and apostrophe joins, boilerplate lines and sentence
 * boundaries. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "extract/doc.h"

cr_err cx_grow(void **p, int *cap, int need, size_t elem)
{
	if (need <= *cap)
		return CR_OK;
	int nc = *cap ? *cap * 2 : 64;
	while (nc < need)
		nc *= 2;
	void *q = realloc(*p, (size_t)nc * elem);
	if (!q)
		return CR_ENOMEM;
	*p = q;
	*cap = nc;
	return CR_OK;
}

/* ASCII classes as the C locale's ctype has them, without its calls: most
 * of the text is ASCII and the tokenizer looks at every byte. */
static int ascii_digit(int32_t c) { return c >= '0' && c <= '9'; }
static int ascii_upper(int32_t c) { return c >= 'A' && c <= 'Z'; }
static int ascii_alpha(int32_t c) { return ascii_upper(c) || (c >= 'a' && c <= 'z'); }

static size_t fold_cp(int32_t cp, char *out)
{
	if (cp < 128) {
		out[0] = (char)(ascii_upper(cp) ? cp + 32 : cp);
		return 1;
	}
	if (cp == 0x153 || cp == 0x152) {
		memcpy(out, "oe", 2);
		return 2;
	}
	if (cp == 0xE6 || cp == 0xC6) {
		memcpy(out, "ae", 2);
		return 2;
	}
	utf8proc_int32_t buf[8];
	int last = 0;
	utf8proc_ssize_t n = utf8proc_decompose_char(cp, buf, 8,
	    UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK, &last);
	size_t w = 0;
	for (utf8proc_ssize_t k = 0; k < n && k < 8; k++)
		w += (size_t)utf8proc_encode_char(buf[k], (utf8proc_uint8_t *)out + w);
	return w;
}

static int is_wordcp(int32_t cp)
{
	if (cp < 128)
		return cp >= 0 && (ascii_digit(cp) || ascii_alpha(cp));
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_ND:
		return 1;
	default:
		return 0;
	}
}

static int is_apos(int32_t cp) { return cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0x2BC; }
static int is_hyph(int32_t cp) { return cp == '-' || cp == 0x2010 || cp == 0x2011; }

static char punct_char(int32_t cp)
{
	if (cp < 128)
		return (char)cp;
	if (cp == 0xAB || cp == 0xBB || cp == 0x201C || cp == 0x201D || cp == 0x201E)
		return '"';
	if (cp == 0x2013 || cp == 0x2014 || cp == 0x2212)
		return '-';
	if (cp == 0x2026)
		return '.';
	return '#';
}

static int32_t cp_at(const char *s, size_t len, size_t i, int *w)
{
	if ((unsigned char)s[i] < 0x80) {
		*w = 1;
		return (unsigned char)s[i];
	}
	utf8proc_int32_t cp = -1;
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
	if (n <= 0) {
		*w = 1;
		return -1;
	}
	*w = (int)n;
	return cp;
}

static cr_err push_tok(cx_doc *d, const cx_tok *t)
{
	if (d->ntok >= d->captok && cx_grow((void **)&d->toks, &d->captok, d->ntok + 1, sizeof *d->toks))
		return CR_ENOMEM;
	d->toks[d->ntok++] = *t;
	return CR_OK;
}

/* Counts of a word's characters, for its flags. */
typedef struct word_count {
	int letters, uppers, digits;
} word_count;

static void count_cp(int32_t cp, int first, word_count *c, cx_tok *t)
{
	if (cp < 128 ? ascii_digit(cp) : utf8proc_category(cp) == UTF8PROC_CATEGORY_ND) {
		c->digits++;
	} else if (cp < 128 ? ascii_alpha(cp) : utf8proc_category(cp) != UTF8PROC_CATEGORY_MN) {
		int up = (cp < 128 ? ascii_upper(cp) : utf8proc_isupper(cp)) ? 1 : 0;
		c->letters++;
		c->uppers += up;
		if (first && up)
			t->flags |= TK_CAP;
	}
}

/* The ASCII letters and digits from i, folded and counted as count_cp and
 * fold_cp would: the common case, without decoding code points. Returns
 * where the run stops. */
static size_t ascii_run(cx_doc *d, size_t i, word_count *c, cx_tok *t)
{
	char *out = d->fold + d->foldlen;
	for (; i < d->len; i++) {
		unsigned char ch = (unsigned char)d->text[i];
		if (ch >= 'a' && ch <= 'z') {
			c->letters++;
		} else if (ch >= 'A' && ch <= 'Z') {
			if (i == t->b)
				t->flags |= TK_CAP;
			c->letters++;
			c->uppers++;
			ch = (unsigned char)(ch + 32);
		} else if (ch >= '0' && ch <= '9') {
			c->digits++;
		} else {
			break;
		}
		*out++ = (char)ch;
	}
	d->foldlen = (size_t)(out - d->fold);
	return i;
}

/* Read one word starting at i; fills the token and its folded form. */
static cr_err read_word(cx_doc *d, size_t *pi, uint16_t flags)
{
	size_t i = *pi;
	cx_tok t = {.b = (uint32_t)i, .flags = (uint16_t)(flags | TK_WORD), .sent = 0};
	word_count c = {0, 0, 0};
	int w;
	if (d->foldlen + (d->len - i) * 3 + 8 > d->foldcap) {
		size_t nc = d->foldcap * 2 + (d->len - i) * 3 + 64;
		char *q = realloc(d->fold, nc);
		if (!q)
			return CR_ENOMEM;
		d->fold = q;
		d->foldcap = nc;
	}
	t.f = (uint32_t)d->foldlen;
	while ((i = ascii_run(d, i, &c, &t)) < d->len) {
		int32_t cp = cp_at(d->text, d->len, i, &w);
		if (cp < 0 || !is_wordcp(cp))
			break;
		count_cp(cp, i == t.b, &c, &t);
		d->foldlen += fold_cp(cp, d->fold + d->foldlen);
		i += (size_t)w;
	}
	d->fold[d->foldlen++] = 0;
	t.e = (uint32_t)i;
	size_t fl = d->foldlen - 1 - t.f;
	t.flen = (uint16_t)(fl > 65535 ? 65535 : fl);
	if (c.letters >= 2 && c.uppers == c.letters)
		t.flags |= TK_UPPER;
	if (c.digits && !c.letters)
		t.flags |= TK_NUM;
	if (c.digits && c.letters && ascii_digit((unsigned char)d->text[t.b]))
		t.flags |= TK_ALNUM;
	*pi = i;
	return push_tok(d, &t);
}

static cr_err scan(cx_doc *d)
{
	size_t i = 0;
	uint16_t pend = 0;
	int w;
	while (i < d->len) {
		int32_t cp = cp_at(d->text, d->len, i, &w);
		if (cp == '\n') {
			pend |= TK_NL;
			i += (size_t)w;
			continue;
		}
		if (cp < 0 || cp == ' ' || cp == '\t' || cp == '\r' || cp == 0xA0 || cp == 0x202F ||
		    (cp >= 128 && utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS) || cp == 0x200B) {
			pend &= (uint16_t)~TK_HYPH;
			i += (size_t)w;
			continue;
		}
		if (is_wordcp(cp)) {
			if (read_word(d, &i, pend))
				return CR_ENOMEM;
			pend = 0;
			/* apostrophe or hyphen glued between two words */
			int w2;
			int32_t nx = i < d->len ? cp_at(d->text, d->len, i, &w) : -1;
			int32_t nn = i + (size_t)w < d->len ? cp_at(d->text, d->len, i + (size_t)w, &w2) : -1;
			if (nx >= 0 && nn >= 0 && is_wordcp(nn)) {
				if (is_apos(nx)) {
					d->toks[d->ntok - 1].flags |= TK_APOS;
					i += (size_t)w;
				} else if (is_hyph(nx)) {
					pend = TK_HYPH;
					i += (size_t)w;
				}
			}
			continue;
		}
		cx_tok t = {.b = (uint32_t)i, .e = (uint32_t)(i + (size_t)w), .flags = (uint16_t)(TK_PUNCT | (pend & TK_NL)),
		            .p = punct_char(cp)};
		t.f = (uint32_t)d->foldlen;
		if (d->foldlen + 2 > d->foldcap) {
			char *q = realloc(d->fold, d->foldcap * 2 + 64);
			if (!q)
				return CR_ENOMEM;
			d->fold = q;
			d->foldcap = d->foldcap * 2 + 64;
		}
		d->fold[d->foldlen++] = 0;
		if (push_tok(d, &t))
			return CR_ENOMEM;
		pend = 0;
		i += (size_t)w;
	}
	return CR_OK;
}

static const char *const abbrevs[] = {
	"m", "mm", "mme", "mmes", "mlle", "mr", "mrs", "ms", "dr", "pr", "prof", "st", "ste", "gen", "gal",
	"col", "lt", "sgt", "capt", "cdt", "cmdt", "me", "mgr", "no", "vol", "jr", "sr", "av", "bd", "hon",
	"rev", "gov", "sen", "rep", "amb", "fig", "vs", "cf", "inc", "ltd", "co", "corp", "sem", "se", NULL};

static int is_abbrev(const cx_doc *d, int i)
{
	if (!cx_is_word(d, i))
		return 0;
	const char *f = cx_fold(d, i);
	if (d->toks[i].flen == 1 && !(d->toks[i].flags & TK_NUM))
		return 1;
	if (d->toks[i].flen > 4) /* the longest abbreviation */
		return 0;
	for (int k = 0; abbrevs[k]; k++)
		if (!strcmp(f, abbrevs[k]))
			return 1;
	return 0;
}

static int want_skip(const cx_val *v, const cx_doc *d, int i)
{
	(void)d;
	(void)i;
	return v->cls == G_WORD && v->kind == W_SKIP;
}

/* Lines that start with a boilerplate phrase ("Lire aussi", "Read more") are skipped. */
static void mark_skip_lines(cx_doc *d)
{
	for (int i = 0; i < d->ntok; i++) {
		if (i && !(d->toks[i].flags & TK_NL))
			continue;
		int j = i;
		while (j < d->ntok && (d->toks[j].flags & TK_PUNCT) && (j == i || !(d->toks[j].flags & TK_NL)))
			j++;
		int end = -1;
		if (j >= d->ntok || cx_lexicon_match(d->eng->lex, d, j, d->ntok, want_skip, &end) < 0)
			continue;
		{
			for (int k = i; k < d->ntok && (k == i || !(d->toks[k].flags & TK_NL)); k++)
				d->toks[k].flags |= TK_SKIP;
		}
	}
}

static int starts_sentence(const cx_doc *d, int i)
{
	for (; i < d->ntok; i++) {
		const cx_tok *t = &d->toks[i];
		if (t->flags & TK_WORD)
			return (t->flags & (TK_CAP | TK_UPPER | TK_NUM)) != 0;
		if (t->p != '"' && t->p != '*' && t->p != '(' && t->p != '[' && t->p != '#' && t->p != '-')
			return 0;
	}
	return 1;
}

static cr_err split_sentences(cx_doc *d)
{
	int start = 0, para = 0, cap = 0;
	for (int i = 0; i <= d->ntok; i++) {
		int brk = i == d->ntok;
		if (!brk && i > start && (d->toks[i].flags & TK_NL) && starts_sentence(d, i))
			brk = 1;
		/* bound the work per sentence: text without punctuation is cut into pieces */
		if (!brk && i - start >= CX_MAX_SENT_TOKENS)
			brk = 1;
		if (brk && i > start) {
			if (cx_grow((void **)&d->sents, &cap, d->nsent + 1, sizeof *d->sents))
				return CR_ENOMEM;
			d->sents[d->nsent++] = (cx_sent){start, i, para};
			start = i;
			if (i < d->ntok && (d->toks[i].flags & TK_NL))
				para++;
		}
		if (i == d->ntok)
			break;
		const cx_tok *t = &d->toks[i];
		/* "4.5": a period between digits with no space is a decimal point */
		int decimal = t->p == '.' && i > 0 && i + 1 < d->ntok && (d->toks[i - 1].flags & TK_NUM) &&
		              (d->toks[i + 1].flags & TK_NUM) && d->toks[i - 1].e == t->b && t->e == d->toks[i + 1].b;
		if ((t->flags & TK_PUNCT) && (t->p == '.' || t->p == '!' || t->p == '?') && !decimal &&
		    !(t->p == '.' && is_abbrev(d, i - 1)) && starts_sentence(d, i + 1)) {
			int e = i + 1;
			while (e < d->ntok && (d->toks[e].flags & TK_PUNCT) && !(d->toks[e].flags & TK_NL) &&
			       (d->toks[e].p == '"' || d->toks[e].p == ')' || d->toks[e].p == '*'))
				e++;
			if (cx_grow((void **)&d->sents, &cap, d->nsent + 1, sizeof *d->sents))
				return CR_ENOMEM;
			d->sents[d->nsent++] = (cx_sent){start, e, para};
			start = e;
			i = e - 1;
		}
	}
	for (int s = 0; s < d->nsent; s++)
		for (int k = d->sents[s].tb; k < d->sents[s].te; k++)
			d->toks[k].sent = s;
	return CR_OK;
}

cr_err cx_tokenize(cx_doc *d)
{
	d->foldcap = d->len * 2 + 64;
	d->fold = malloc(d->foldcap);
	if (!d->fold)
		return CR_ENOMEM;
	cr_err e = scan(d);
	if (e)
		return e;
	cx_lexicon_tag(d->eng->lex, d);
	mark_skip_lines(d);
	return split_sentences(d);
}

size_t cx_fold_phrase(const char *s, char *out, size_t cap)
{
	size_t n = 0, i = 0, len = strlen(s);
	int inword = 0, w;
	while (i < len && n + 8 < cap) {
		int32_t cp = cp_at(s, len, i, &w);
		if (cp >= 0 && is_wordcp(cp)) {
			n += fold_cp(cp, out + n);
			inword = 1;
		} else if (cp == '*' && inword) {
			out[n++] = '*';
		} else if (cp == '~') {
			if (n && out[n - 1] != ' ')
				out[n++] = ' ';
			out[n++] = '~';
			inword = 1;
		} else if (inword) {
			out[n++] = ' ';
			inword = 0;
		}
		i += (size_t)w;
	}
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = 0;
	return n;
}
