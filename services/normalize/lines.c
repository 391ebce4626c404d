/* Paragraph reconstruction. A text is "hard-wrapped" when most lines that
 * continue a paragraph are nearly as long as the longest one (a fixed
 * width, at most 130 columns); there a break is a wrap when the next word
 * would not have fitted. Everywhere, a line that does not end a sentence
 * followed by one starting in lower case is a continuation, even across a
 * blank line (page breaks, scraped page furniture removed in between). */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "normalize/lines.h"
#include "normalize/boiler.h"
#include "common/buf.h"

/* A comment/related-articles heading ends the article only in the second
 * half of the text and once this many bytes of text were kept (elsewhere it
 * is an inline box or page furniture: the line alone is dropped). */
#define CUT_AFTER 80

typedef struct ln {
	size_t a, b;      /* trimmed line in the input */
	unsigned cps;     /* length in code points */
	int blank_before; /* a paragraph break separates it from the previous line */
	int hard_before;  /* two or more blank lines: never rejoined */
} ln;

typedef struct doc {
	const cn_tb *in;
	ln *v;
	size_t n;
	unsigned width; /* wrap width, 0 when not hard-wrapped */
	int lookups;    /* word searches left (bounded cost) */
} doc;

/* Words that follow a real hyphen (French clitics, "-ci", "-même"...). */
static const char *const hy_after[] = {
	"il", "elle", "ils", "elles", "on", "je", "tu", "nous", "vous", "ce", "ci", "l\xC3\xA0",
	"la", "le", "les", "moi", "toi", "lui", "leur", "eux", "m\xC3\xAAme", "m\xC3\xAAmes", "y", "en", "t",
	"\xC3\xAAtre", "dessus", "dessous", "based", "led", "term", "old", "year", "like", "free", "up",
};
/* Words that precede a real hyphen (prefixes written with one). */
static const char *const hy_before[] = {
	"anti", "ex", "non", "post", "vice", "sous", "demi", "semi", "mi", "auto", "pro", "extra",
	"ultra", "self", "well", "long", "short", "high", "low", "state", "so", "after", "avant",
	"arri\xC3\xA8re", "contre", "grand", "porte", "garde", "sud", "nord", "est", "ouest",
	"peut", "celui", "celle", "ceux", "soi", "quelques", "euro", "franco", "afro", "sino",
	"russo", "germano", "anglo", "maroco", "top", "full", "e",
};

static uint32_t cp_at(const char *s, size_t n, size_t i)
{
	uint32_t cp;
	cn_utf8_dec(s + i, n - i, &cp);
	return cp;
}

static int cat_of(uint32_t cp)
{
	return utf8proc_category((utf8proc_int32_t)cp);
}

static int is_letter_cp(uint32_t cp)
{
	int c = cat_of(cp);
	return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

static int starts_lower(const doc *d, const ln *l)
{
	return cat_of(cp_at(d->in->s, l->b, l->a)) == UTF8PROC_CATEGORY_LL;
}

/* Ends a sentence, a heading with a colon, or a quotation. */
static int ends_terminal(const doc *d, const ln *l)
{
	char c = d->in->s[l->b - 1];
	if (strchr(".!?:;\")", c))
		return 1;
	return l->b - l->a >= 2 && (unsigned char)d->in->s[l->b - 2] == 0xC2 &&
	       (unsigned char)c == 0xBB; /* » */
}

static unsigned first_word(const doc *d, const ln *l)
{
	unsigned n = 0;
	for (size_t i = l->a; i < l->b && d->in->s[i] != ' '; i++)
		if (((unsigned char)d->in->s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

static int in_list(const char *const *list, size_t n, const char *w, size_t wl)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(list[i]) == wl && memcmp(list[i], w, wl) == 0)
			return 1;
	return 0;
}

static uint32_t cp_before(const char *s, size_t i)
{
	size_t k = i;
	while (k > 0 && ((unsigned char)s[k - 1] & 0xC0) == 0x80)
		k--;
	if (k > 0)
		k--;
	uint32_t cp;
	cn_utf8_dec(s + k, i - k, &cp);
	return cp;
}

/* Is w (wl bytes) a whole word somewhere in the text, other than at the
 * offsets skip1/skip2 (the line break being decided)? */
static int seen(doc *d, const char *w, size_t wl, size_t skip1, size_t skip2)
{
	if (d->lookups <= 0 || wl < 2)
		return 0;
	d->lookups--;
	const char *s = d->in->s;
	size_t n = d->in->len;
	for (const char *p = s; (p = memmem(p, n - (size_t)(p - s), w, wl)) != NULL; p++) {
		size_t at = (size_t)(p - s);
		if (at == skip1 || at == skip2)
			continue;
		if (at > 0 && is_letter_cp(cp_before(s, at)))
			continue;
		if (at + wl < n && (is_letter_cp(cp_at(s, n, at + wl)) || s[at + wl] == '-'))
			continue;
		return 1;
	}
	return 0;
}

static size_t word_start(const char *s, size_t lo, size_t i)
{
	while (i > lo) {
		size_t k = i - 1;
		while (k > lo && ((unsigned char)s[k] & 0xC0) == 0x80)
			k--;
		uint32_t cp;
		cn_utf8_dec(s + k, i - k, &cp);
		if (!is_letter_cp(cp))
			break;
		i = k;
	}
	return i;
}

static size_t word_end(const char *s, size_t i, size_t hi)
{
	while (i < hi) {
		uint32_t cp;
		size_t n = cn_utf8_dec(s + i, hi - i, &cp);
		if (!is_letter_cp(cp))
			break;
		i += n;
	}
	return i;
}

/* Line l ends "word-" and the next line goes on in lower case: is the
 * hyphen part of the word (keep) or a break (drop)? Evidence from the
 * text itself first, then word lists, then: two known words -> compound. */
static int keep_hyphen(doc *d, const ln *l, const ln *next)
{
	const char *s = d->in->s;
	size_t pe = l->b - 1, pa = word_start(s, l->a, pe);
	size_t sa = next->a, se = word_end(s, sa, next->b);
	size_t pl = pe - pa, sl = se - sa;
	char w[132], low[64];
	if (!pl || !sl || pl > 60 || sl > 60)
		return 1;
	memcpy(w, s + pa, pl);
	memcpy(w + pl, s + sa, sl);
	if (seen(d, w, pl + sl, (size_t)-1, (size_t)-1))
		return 0;
	w[pl] = '-';
	memcpy(w + pl + 1, s + sa, sl);
	if (seen(d, w, pl + 1 + sl, (size_t)-1, (size_t)-1))
		return 1;
	int c0 = cat_of(cp_at(s, pe, pa));
	if (c0 == UTF8PROC_CATEGORY_LU || c0 == UTF8PROC_CATEGORY_LT)
		return 1;
	for (size_t k = 0; k < pl; k++)
		low[k] = (char)(s[pa + k] >= 'A' && s[pa + k] <= 'Z' ? s[pa + k] | 0x20 : s[pa + k]);
	if (in_list(hy_after, sizeof hy_after / sizeof hy_after[0], s + sa, sl) ||
	    in_list(hy_before, sizeof hy_before / sizeof hy_before[0], low, pl))
		return 1;
	return pl >= 3 && sl >= 3 && seen(d, s + pa, pl, pa, (size_t)-1) && seen(d, s + sa, sl, sa, (size_t)-1);
}

/* Line ends "letter-" (not a dash after a space). */
static int ends_hyphen(const doc *d, const ln *l)
{
	const char *s = d->in->s;
	return l->b - l->a >= 3 && s[l->b - 1] == '-' && s[l->b - 2] != ' ' && s[l->b - 2] != '-' &&
	       is_letter_cp(cp_before(s, l->b - 1));
}

/* Should line i+1 continue line i? */
static int joins(const doc *d, size_t i)
{
	const ln *l = &d->v[i], *nx = &d->v[i + 1];
	int lower = starts_lower(d, nx);
	if (nx->hard_before)
		return 0;
	if (lower && (ends_hyphen(d, l) || !ends_terminal(d, l)))
		return 1;
	if (nx->blank_before)
		return 0;
	if (ends_hyphen(d, l) && is_letter_cp(cp_at(d->in->s, nx->b, nx->a)))
		return 1; /* "Lomé-\nCotonou" */
	if (d->width)
		return l->cps + 1 + first_word(d, nx) > d->width - 2;
	return d->in->s[l->b - 1] == ',';
}

/* Hard wrap: >= 2 continued lines, width <= 130, 70% of them long. */
static void detect_width(doc *d)
{
	unsigned max = 0, pairs = 0, longish = 0;
	for (size_t i = 0; i + 1 < d->n; i++)
		if (!d->v[i + 1].blank_before && d->v[i].cps > max)
			max = d->v[i].cps;
	for (size_t i = 0; i + 1 < d->n; i++) {
		if (d->v[i + 1].blank_before)
			continue;
		pairs++;
		if (d->v[i].cps * 10 >= max * 6)
			longish++;
	}
	d->width = pairs >= 2 && max >= 30 && max <= 130 && longish * 10 >= pairs * 7 ? max : 0;
}

static void add_meta(cr_buf *m, const char *p, size_t n)
{
	if (m->len && cr_buf_append(m, "; ", 2))
		return;
	cr_buf_append(m, p, n);
}

/* Code points in s[0..n): bytes that are not UTF-8 continuation bytes
 * (10xxxxxx), counted 8 at a time (one 0/1 per byte, summed into the top
 * byte by the multiplication). */
static unsigned code_points(const char *s, size_t n)
{
	size_t k = 0, cont = 0;
	for (; k + 8 <= n; k += 8) {
		uint64_t w = cn_word(s + k);
		cont += (size_t)((((w & ~(w << 1) & CN_HIGHS) >> 7) * CN_ONES) >> 56);
	}
	for (; k < n; k++)
		cont += ((unsigned char)s[k] & 0xC0) == 0x80;
	return (unsigned)(n - cont);
}

/* Split into trimmed lines, dropping boilerplate; fills d->v. */
static cr_err collect(doc *d, cr_buf *meta)
{
	const char *s = d->in->s;
	size_t len = d->in->len, cap = 1, kept = 0;
	for (const char *p = s; (p = memchr(p, '\n', len - (size_t)(p - s))) != NULL; p++)
		cap++;
	d->v = malloc(cap * sizeof *d->v);
	if (!d->v)
		return CR_ENOMEM;
	int blank = 0;
	for (size_t a = 0, next; a < len; a = next) {
		const char *nl = memchr(s + a, '\n', len - a);
		size_t b = nl ? (size_t)(nl - s) : len;
		next = nl ? b + 1 : len;
		while (a < b && s[a] == ' ')
			a++;
		while (b > a && s[b - 1] == ' ')
			b--;
		if (a == b) {
			blank++;
			continue;
		}
		const char *m;
		size_t ml;
		cn_bp kind = cn_boiler_classify(s + a, b - a, &m, &ml);
		if (kind == CN_BP_CUT && kept >= CUT_AFTER && a >= len / 2)
			break;
		if ((kind == CN_BP_BYLINE || kind == CN_BP_CREDIT) && meta->len < 400)
			add_meta(meta, m, ml);
		if (kind != CN_BP_TEXT)
			continue;
		ln *l = &d->v[d->n++];
		l->a = a;
		l->b = b;
		l->cps = code_points(s + a, b - a);
		l->blank_before = blank && d->n > 1;
		l->hard_before = blank >= 2 && d->n > 1;
		blank = 0;
		kept += b - a;
	}
	return CR_OK;
}

/* Offset of the second space of the first "  " in s[i..b), or b; 8
 * positions at a time (a byte is flagged when it is a space and so is the
 * next one; the per-byte test is exact, without borrows between bytes). */
static size_t double_space(const char *s, size_t i, size_t b)
{
	const uint64_t low7 = CN_ONES * 0x7F;
	for (; i + 9 <= b; i += 8) {
		uint64_t x = cn_word(s + i) ^ (CN_ONES * ' '), y = cn_word(s + i + 1) ^ (CN_ONES * ' ');
		uint64_t z = x | y; /* a zero byte: both are spaces */
		uint64_t m = ~(((z & low7) + low7) | z | low7);
		if (m)
			return i + ((size_t)__builtin_ctzll(m) >> 3) + 1;
	}
	for (; i + 1 < b; i++)
		if (s[i] == ' ' && s[i + 1] == ' ')
			return i + 1;
	return b;
}

/* The line with runs of spaces squeezed to one (the line is trimmed). */
static void copy_line(const cn_tb *in, const ln *l, cn_tb *out)
{
	size_t i = l->a;
	while (i < l->b) {
		size_t j = double_space(in->s, i, l->b);
		cn_tb_copy(out, in->s + i, in->map + i, j - i);
		while (j < l->b && in->s[j] == ' ')
			j++;
		i = j;
	}
}

static void emit(doc *d, cn_tb *out)
{
	const cn_tb *in = d->in;
	for (size_t i = 0; i < d->n && !out->oom; i++) {
		const ln *l = &d->v[i];
		if (i > 0) {
			const ln *p = &d->v[i - 1];
			if (!joins(d, i - 1))
				cn_tb_put(out, "\n\n", 2, in->map[l->a]);
			else if (!ends_hyphen(d, p))
				cn_tb_putc(out, ' ', in->map[l->a]);
			else if (starts_lower(d, l) && !keep_hyphen(d, p, l))
				out->len--; /* "hyphen-\nated": the hyphen was a break */
		}
		copy_line(in, l, out);
	}
}

cr_err cn_lines_build(const cn_tb *in, cn_tb *out, char **byline)
{
	/* at most 256 word searches, and no more than ~64 MB scanned in all */
	size_t budget = in->len ? (64u << 20) / in->len : 256;
	doc d = {.in = in, .lookups = budget < 256 ? (int)budget : 256};
	cr_buf meta;
	cr_buf_init(&meta, 1024);
	*byline = NULL;
	cr_err e = collect(&d, &meta);
	if (!e) {
		detect_width(&d);
		cn_tb_reserve(out, in->len + 1);
		emit(&d, out);
		if (out->oom)
			e = out->max && out->len >= out->max ? CR_ETOOBIG : CR_ENOMEM;
	}
	if (!e && meta.len)
		*byline = cr_buf_steal(&meta, NULL);
	cr_buf_fini(&meta);
	free(d.v);
	return e;
}
