/* Sentence splitter: one scan per paragraph. A quotation is "open" from its
 * opening mark to its closing one (searched ahead, at most QUOTE_MAX bytes,
 * so an unbalanced quote mark never swallows a paragraph); boundaries
 * inside are ignored unless the quotation closes right after them. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "normalize/sent.h"
#include "normalize/tb.h"

#define QUOTE_MAX 1500

enum { NEVER = 1, MAY_END = 2 };

/* NEVER: a title or a word that is always followed by
 * more of the sentence. MAY_END: ends a sentence when a capital follows. */
static const struct abbr {
	const char *w;
	int how;
} abbrs[] = {
	{"Adm", NEVER},  {"Apr", NEVER},   {"Art", NEVER},   {"Aug", NEVER},  {"Av", NEVER},
	{"Ave", NEVER},  {"Bd", NEVER},    {"Blvd", NEVER},  {"Bros", MAY_END}, {"Capt", NEVER},
	{"Cdt", NEVER},  {"Cf", NEVER},    {"Cie", MAY_END}, {"Cmdt", NEVER}, {"Co", MAY_END},
	{"Col", NEVER},  {"Corp", MAY_END}, {"Cpt", NEVER},  {"Dec", NEVER},  {"Dept", NEVER},
	{"Dr", NEVER},   {"Feb", NEVER},   {"Fig", NEVER},   {"Gen", NEVER},  {"Gov", NEVER},
	{"Gal", NEVER},  {"Gl", NEVER},    {"G\xC3\xA9n", NEVER}, {"Hon", NEVER}, {"Inc", MAY_END},
	{"Jan", NEVER},  {"Jr", MAY_END},  {"Jul", NEVER},   {"Jun", NEVER},  {"Lt", NEVER},
	{"Ltd", MAY_END}, {"M", NEVER},    {"MM", NEVER},    {"Maj", NEVER},  {"Mar", NEVER},
	{"Me", NEVER},   {"Mgr", NEVER},   {"Mlle", NEVER},  {"Mlles", NEVER}, {"Mme", NEVER},
	{"Mmes", NEVER}, {"Mr", NEVER},    {"Mrs", NEVER},   {"Ms", NEVER},   {"Mt", NEVER},
	{"No", NEVER},   {"Nov", NEVER},   {"Oct", NEVER},   {"Pr", NEVER},   {"Prof", NEVER},
	{"Pres", NEVER}, {"Rep", NEVER},   {"Rev", NEVER},   {"Sen", NEVER},  {"Sep", NEVER},
	{"Sept", NEVER}, {"Sgt", NEVER},   {"Sr", MAY_END},  {"St", NEVER},   {"Ste", NEVER},
	{"St\xC3\xA9", NEVER}, {"Vol", NEVER}, {"al", MAY_END}, {"apr", NEVER}, {"art", NEVER},
	{"av", NEVER},   {"avr", NEVER},   {"cf", NEVER},    {"ch", NEVER},   {"chap", NEVER},
	{"d\xC3\xA9" "c", NEVER}, {"e.g", NEVER}, {"env", NEVER}, {"etc", MAY_END}, {"ex", NEVER},
	{"f\xC3\xA9v", NEVER}, {"f\xC3\xA9vr", NEVER}, {"i.e", NEVER}, {"janv", NEVER}, {"juil", NEVER},
	{"max", NEVER},  {"min", NEVER},   {"n", NEVER},     {"no", NEVER},   {"nov", NEVER},
	{"oct", NEVER},  {"p", NEVER},     {"pp", NEVER},    {"sept", NEVER}, {"t\xC3\xA9l", NEVER},
	{"vol", NEVER},  {"vs", NEVER},
};

/* Entries by first byte: by_first[first[c] .. first[c + 1]) for byte c;
 * built once. */
#define NABBRS (sizeof abbrs / sizeof abbrs[0])
_Static_assert(NABBRS < 256, "entry numbers are kept in bytes");
static unsigned char by_first[NABBRS], abbr_len[NABBRS];
static unsigned short first[257];
static pthread_once_t index_once = PTHREAD_ONCE_INIT;

static void build_index(void)
{
	unsigned short fill[256];
	for (size_t i = 0; i < NABBRS; i++)
		first[(unsigned char)abbrs[i].w[0] + 1]++;
	for (size_t c = 0; c < 256; c++) {
		first[c + 1] += first[c];
		fill[c] = first[c];
	}
	for (size_t i = 0; i < NABBRS; i++) {
		by_first[fill[(unsigned char)abbrs[i].w[0]]++] = (unsigned char)i;
		abbr_len[i] = (unsigned char)strlen(abbrs[i].w);
	}
}

static int abbr_how(const char *w, size_t n)
{
	if (n > 6)
		return 0;
	pthread_once(&index_once, build_index);
	unsigned char c = (unsigned char)w[0];
	for (size_t k = first[c]; k < first[c + 1]; k++) {
		size_t i = by_first[k];
		if (abbr_len[i] == n && memcmp(abbrs[i].w, w, n) == 0)
			return abbrs[i].how;
	}
	return 0;
}

static int cat(const char *s, size_t n, size_t i)
{
	uint32_t cp;
	cn_utf8_dec(s + i, n - i, &cp);
	return utf8proc_category((utf8proc_int32_t)cp);
}

static int is_upper_ascii(char c)
{
	return c >= 'A' && c <= 'Z';
}

/* The word before the '.' at s[i] decides whether it is an abbreviation:
 * returns NEVER, MAY_END or 0. */
static int abbreviation(const char *s, size_t lo, size_t i)
{
	size_t a = i;
	while (a > lo && i - a < 16 && !strchr(" ([\"'\n", s[a - 1]))
		a--;
	size_t n = i - a;
	if (n == 0)
		return 0;
	int how = abbr_how(s + a, n);
	if (how)
		return how;
	/* initials and dotted acronyms: "J.", "U.S.", "S.E.M.", "J.-C." */
	if (n == 1 && is_upper_ascii(s[a]))
		return NEVER;
	if (n >= 2 && memchr(s + a, '.', n)) {
		for (size_t k = a; k < i; k++)
			if (!strchr(".-", s[k]) && !((s[k] | 0x20) >= 'a' && (s[k] | 0x20) <= 'z'))
				return 0;
		return NEVER;
	}
	/* a list number opening the sentence: "1. ..." */
	if (a == lo) {
		size_t k = a;
		while (k < i && s[k] >= '0' && s[k] <= '9')
			k++;
		if (k == i)
			return NEVER;
	}
	return 0;
}

typedef struct sp {
	const char *s;
	size_t len;     /* paragraph end */
	size_t qend;    /* inside a quotation until here (index of its closing mark) */
	size_t noq;     /* a search for a closing mark failed up to here: none before */
	cn_sentence *v;
	size_t n, cap;
} sp;

static int push(sp *x, size_t a, size_t b)
{
	while (a < b && (x->s[a] == ' ' || x->s[a] == '\n'))
		a++;
	while (b > a && (x->s[b - 1] == ' ' || x->s[b - 1] == '\n'))
		b--;
	if (a == b)
		return 0;
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 64;
		cn_sentence *v = realloc(x->v, cap * sizeof *v);
		if (!v)
			return -1;
		x->v = v;
		x->cap = cap;
	}
	x->v[x->n++] = (cn_sentence){(uint32_t)a, (uint32_t)b, 0, 0};
	return 0;
}

static int is_guillemet_open(const char *s, size_t n, size_t i)
{
	return i + 1 < n && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xAB;
}

static int is_guillemet_close(const char *s, size_t n, size_t i)
{
	return i + 1 < n && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xBB;
}

/* An opening quotation mark at s[i]: index of its closing mark, or 0. */
static size_t quote_end(const sp *x, size_t i)
{
	const char *s = x->s;
	size_t lim = x->len - i > QUOTE_MAX ? i + QUOTE_MAX : x->len;
	if (is_guillemet_open(s, lim, i)) {
		int depth = 0;
		for (size_t k = i; k + 1 < lim; k++) {
			if (is_guillemet_open(s, lim, k))
				depth++;
			else if (is_guillemet_close(s, lim, k) && --depth == 0)
				return k;
		}
		return 0;
	}
	/* '"' opens after a space or bracket and before a non-space */
	if (s[i] == '"' && (i == 0 || strchr(" ([\n", s[i - 1])) && i + 1 < lim && s[i + 1] != ' ') {
		const char *e = memchr(s + i + 1, '"', lim - i - 1);
		return e ? (size_t)(e - s) : 0;
	}
	return 0;
}

/* Past the punctuation run at i and the closing marks after it. */
static size_t past_closers(const sp *x, size_t j)
{
	const char *s = x->s;
	for (;;) {
		if (j < x->len && strchr(".!?\"')]", s[j]) && s[j])
			j++;
		else if (is_guillemet_close(s, x->len, j))
			j += 2;
		else if (j + 2 < x->len && s[j] == ' ' && is_guillemet_close(s, x->len, j + 1))
			j += 3; /* French spacing: "fin. »" */
		else
			return j;
	}
}

/* Does a sentence start at k (after the spaces)? */
static int starts_sentence(const sp *x, size_t k)
{
	if (k >= x->len)
		return 1;
	int c = cat(x->s, x->len, k);
	return c != UTF8PROC_CATEGORY_LL;
}

/* Full stops of other scripts that need no space after them. */
static size_t wide_stop(const char *s, size_t n, size_t i)
{
	static const char *const stops[] = {"\xE3\x80\x82", "\xEF\xBC\x81", "\xEF\xBC\x9F", "\xD8\x9F",
					    "\xDB\x94", "\xE0\xA5\xA4", "\xE0\xA5\xA5"};
	for (size_t k = 0; k < sizeof stops / sizeof stops[0]; k++) {
		size_t l = strlen(stops[k]);
		if (n - i >= l && memcmp(s + i, stops[k], l) == 0)
			return l;
	}
	return 0;
}

/* Candidate boundary at s[i]: returns where the sentence ends (> i) or 0;
 * *run is the end of the punctuation run, which needs no second look. */
static size_t boundary(sp *x, size_t start, size_t i, size_t *run)
{
	const char *s = x->s;
	size_t w = (unsigned char)s[i] >= 0x80 ? wide_stop(s, x->len, i) : 0;
	if (w)
		return past_closers(x, i + w);
	if (s[i] != '.' && s[i] != '!' && s[i] != '?')
		return 0;
	size_t j = past_closers(x, i);
	*run = j;
	if (j < x->len && s[j] != ' ' && s[j] != '\n')
		return 0;
	if (x->qend && x->qend >= j)
		return 0; /* the quotation goes on */
	size_t k = j;
	while (k < x->len && (s[k] == ' ' || s[k] == '\n'))
		k++;
	if (!starts_sentence(x, k))
		return 0;
	if (s[i] == '.' && j == i + 1) {
		int how = abbreviation(s, start, i);
		if (how == NEVER)
			return 0;
	}
	return j;
}

/* Where to cut an over-long sentence ending at i: the last space, else a
 * character boundary. */
static size_t cut_point(const char *s, size_t start, size_t i)
{
	size_t k = i;
	while (k > start && s[k] != ' ')
		k--;
	if (k > start)
		return k;
	for (k = i; k > start && ((unsigned char)s[k] & 0xC0) == 0x80;)
		k--;
	return k > start ? k : i;
}

/* Bytes that can open a quotation or end a sentence: '"', the lead byte
 * of U+00AB, ". ! ?", and the lead bytes of the wide stops. Everything
 * else is skipped without a look (a quotation that closed in the skipped
 * stretch is noticed at the next byte looked at: i > qend still holds). */
static int looked_at(unsigned char c)
{
	return c == '"' || c == '.' || c == '!' || c == '?' || c == 0xC2 || c >= 0xD8;
}

/* The first i from `i` that needs a look, stopping at `lim`, 8 bytes at
 * a time: one bit per byte that looked_at() accepts. cn_has_byte can also
 * flag a byte above a true match, never below one, so the lowest bit of
 * the union is exact. */
static size_t skip_plain(const char *s, size_t i, size_t lim)
{
	for (; i + 8 <= lim; i += 8) {
		uint64_t w = cn_word(s + i);
		uint64_t high = w & ((w & ~CN_HIGHS) + 0x28 * CN_ONES) & CN_HIGHS; /* 0xD8 and above */
		uint64_t m = high | cn_has_byte(w, '"') | cn_has_byte(w, '.') | cn_has_byte(w, '!') |
			     cn_has_byte(w, '?') | cn_has_byte(w, 0xC2);
		if (m)
			return i + ((size_t)__builtin_ctzll(m) >> 3);
	}
	while (i < lim && !looked_at((unsigned char)s[i]))
		i++;
	return i;
}

static int split_para(sp *x, size_t a)
{
	const char *s = x->s;
	size_t start = a;
	x->qend = x->noq = 0;
	for (size_t i = a; i < x->len; i++) {
		/* an over-long sentence is cut at start + CN_SENT_MAX */
		size_t lim = start + CN_SENT_MAX < x->len ? start + CN_SENT_MAX : x->len;
		if ((i = skip_plain(s, i, lim)) >= x->len)
			break;
		if (x->qend && i > x->qend)
			x->qend = 0;
		if (!x->qend && i >= x->noq && (s[i] == '"' || is_guillemet_open(s, x->len, i))) {
			x->qend = quote_end(x, i);
			if (!x->qend) /* unbalanced: no second search over the same stretch */
				x->noq = i + QUOTE_MAX < x->len ? i + QUOTE_MAX : x->len;
		}
		unsigned char c = (unsigned char)s[i];
		size_t run = i;
		size_t e = (c == '.' || c == '!' || c == '?' || c >= 0xD8) ? boundary(x, start, i, &run) : 0;
		if (!e && i - start >= CN_SENT_MAX)
			e = cut_point(s, start, i);
		if (e) {
			if (push(x, start, e))
				return -1;
			start = e;
			i = e - 1;
			if (x->qend && x->qend < e)
				x->qend = 0;
		} else if (run > i + 1 && (!x->qend || x->qend >= run)) {
			i = run - 1; /* "......": one look per run */
		}
	}
	return push(x, start, x->len);
}

/* Offset of the next "\n\n" from a, or len. */
static size_t para_end(const char *s, size_t a, size_t len)
{
	for (const char *p; a + 1 < len && (p = memchr(s + a, '\n', len - a - 1)) != NULL;) {
		a = (size_t)(p - s);
		if (s[a + 1] == '\n')
			return a;
		a++;
	}
	return len;
}

cr_err cn_sent_split(const char *text, size_t len, cn_sentence **out, size_t *n)
{
	sp x = {.s = text};
	int rc = 0;
	for (size_t a = 0; a < len && !rc;) {
		size_t b = para_end(text, a, len);
		x.len = b;
		rc = split_para(&x, a);
		a = b < len ? b + 2 : len;
	}
	if (rc) {
		free(x.v);
		*out = NULL;
		*n = 0;
		return CR_ENOMEM;
	}
	*out = x.v;
	*n = x.n;
	return CR_OK;
}
