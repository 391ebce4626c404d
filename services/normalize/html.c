/* Tokenizer-free HTML stripping: one forward scan, a table of element
 * behaviours, a counter for the dropped region we are in. Malformed markup
 * never fails: an unclosed tag or comment simply ends the text. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdio.h>

#include "normalize/html.h"
#include "normalize/ent.h"

enum {
	F_BLOCK = 1,  /* paragraph break before and after */
	F_SKIP = 2,   /* drop the contents */
	F_RAW = 4,    /* contents are not markup: jump to the closing tag */
	F_VOID = 8,   /* never has contents */
	F_BR = 16,    /* line break */
	F_PRE = 32,   /* keep white space */
	F_TITLE = 64, /* <title> */
	F_H1 = 128,
	F_CELL = 256, /* table cell: a space */
	F_KEEP = 512, /* never dropped because of its class (body, article...) */
	F_HARD = 1024, /* its edges are never rejoined as a page break (lists, headings) */
	F_AUTO = 2048, /* end tag optional: a new one closes the previous (<p>, <li>) */
};

/* Sorted by name (bisection). Unknown elements are inline. */
static const struct el {
	const char *name;
	unsigned flags;
} els[] = {
	{"address", F_BLOCK}, {"area", F_VOID}, {"article", F_BLOCK | F_KEEP},
	{"aside", F_SKIP}, {"audio", F_SKIP}, {"base", F_VOID},
	{"blockquote", F_BLOCK}, {"body", F_BLOCK | F_KEEP}, {"br", F_VOID | F_BR},
	{"button", F_SKIP}, {"canvas", F_SKIP}, {"caption", F_BLOCK | F_HARD},
	{"center", F_BLOCK}, {"col", F_VOID}, {"dd", F_BLOCK | F_HARD | F_AUTO},
	{"details", F_BLOCK}, {"dialog", F_SKIP}, {"div", F_BLOCK},
	{"dl", F_BLOCK}, {"dt", F_BLOCK | F_HARD | F_AUTO}, {"embed", F_VOID},
	{"fieldset", F_BLOCK}, {"figcaption", F_BLOCK | F_HARD}, {"figure", F_BLOCK},
	{"footer", F_SKIP}, {"form", F_SKIP}, {"h1", F_BLOCK | F_H1 | F_HARD},
	{"h2", F_BLOCK | F_HARD}, {"h3", F_BLOCK | F_HARD}, {"h4", F_BLOCK | F_HARD},
	{"h5", F_BLOCK | F_HARD}, {"h6", F_BLOCK | F_HARD}, {"head", F_BLOCK | F_KEEP},
	{"header", F_SKIP}, {"hr", F_VOID | F_BLOCK}, {"html", F_BLOCK | F_KEEP},
	{"iframe", F_SKIP}, {"img", F_VOID}, {"input", F_VOID},
	{"legend", F_BLOCK | F_HARD}, {"li", F_BLOCK | F_HARD | F_AUTO}, {"link", F_VOID},
	{"main", F_BLOCK | F_KEEP}, {"menu", F_SKIP}, {"meta", F_VOID},
	{"nav", F_SKIP}, {"noscript", F_SKIP}, {"object", F_SKIP},
	{"ol", F_BLOCK | F_HARD}, {"option", F_SKIP}, {"p", F_BLOCK | F_AUTO},
	{"param", F_VOID}, {"pre", F_BLOCK | F_PRE}, {"script", F_SKIP | F_RAW},
	{"section", F_BLOCK}, {"select", F_SKIP}, {"source", F_VOID},
	{"style", F_SKIP | F_RAW}, {"summary", F_BLOCK | F_HARD}, {"svg", F_SKIP},
	{"table", F_BLOCK | F_HARD}, {"tbody", F_BLOCK}, {"td", F_CELL | F_AUTO},
	{"template", F_SKIP}, {"textarea", F_SKIP | F_RAW}, {"tfoot", F_BLOCK},
	{"th", F_CELL | F_AUTO}, {"thead", F_BLOCK}, {"title", F_RAW | F_TITLE},
	{"tr", F_BLOCK | F_HARD | F_AUTO}, {"track", F_VOID}, {"ul", F_BLOCK | F_HARD},
	{"video", F_SKIP}, {"wbr", F_VOID},
};

/* A class or id containing one of these marks a block to drop. */
static const char *const noise_attr[] = {
	"share",    "sharing",  "social",     "comment", "cookie",  "consent", "gdpr",
	"newsletter", "related", "advert",    "promo",   "sidebar", "breadcrumb",
	"subscribe", "popup",   "modal",      "outbrain", "taboola", "captcha", "paywall",
};

#define BYLINE_MAX 120 /* longer "author" blocks are biographies: dropped */

typedef struct tag {
	char name[16];
	unsigned flags;
	int closing, noisy;
	size_t end; /* index after '>' */
} tag;

typedef struct st {
	const cn_tb *in;
	cn_tb *out;
	char skip[16];   /* element whose contents are being dropped */
	unsigned skip_n; /* nesting of that element */
	int pre, space;
	int h1_tried; /* one look for </h1> only: unclosed <h1>s stay linear */
	char *h1, *title, *byline;
} st;

static unsigned el_flags(const char *name)
{
	size_t lo = 0, hi = sizeof els / sizeof els[0];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int r = strcmp(name, els[mid].name);
		if (!r)
			return els[mid].flags;
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

static int is_sp(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* A class or id containing one of these holds the byline: kept as
 * metadata, dropped from the text. */
static const char *const byline_attr[] = {"byline", "author"};

enum { NOISE = 1, BYLINE = 2 };

static int noisy_value(const char *v, size_t n)
{
	char low[256];
	if (n >= sizeof low)
		n = sizeof low - 1;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)((v[i] >= 'A' && v[i] <= 'Z') ? v[i] | 0x20 : v[i]);
	low[n] = 0;
	for (size_t i = 0; i < sizeof byline_attr / sizeof byline_attr[0]; i++)
		if (strstr(low, byline_attr[i]))
			return BYLINE;
	for (size_t i = 0; i < sizeof noise_attr / sizeof noise_attr[0]; i++)
		if (strstr(low, noise_attr[i]))
			return NOISE;
	return 0;
}

/* Attributes up to '>' (quotes respected); notes a noisy class/id. */
static size_t attrs(const char *s, size_t len, size_t i, tag *t)
{
	while (i < len && s[i] != '>') {
		if (is_sp(s[i]) || s[i] == '/') {
			i++;
			continue;
		}
		size_t an = i;
		while (i < len && !is_sp(s[i]) && s[i] != '=' && s[i] != '>')
			i++;
		size_t alen = i - an;
		while (i < len && is_sp(s[i]))
			i++;
		if (i >= len || s[i] != '=')
			continue;
		i++;
		while (i < len && is_sp(s[i]))
			i++;
		size_t vs = i, ve;
		if (i < len && (s[i] == '"' || s[i] == '\'')) {
			char q = s[i];
			const char *e = memchr(s + i + 1, q, len - i - 1);
			vs = i + 1;
			ve = e ? (size_t)(e - s) : len;
			i = e ? ve + 1 : len;
		} else {
			while (i < len && !is_sp(s[i]) && s[i] != '>')
				i++;
			ve = i;
		}
		if ((alen == 5 && strncasecmp(s + an, "class", 5) == 0) ||
		    (alen == 2 && strncasecmp(s + an, "id", 2) == 0)) {
			int v = noisy_value(s + vs, ve - vs);
			t->noisy = v > t->noisy ? v : t->noisy;
		}
	}
	return i < len ? i + 1 : len;
}

/* Parse the markup at s[i] == '<'. Returns 0 when it is a literal '<'. */
static int parse_tag(const char *s, size_t len, size_t i, tag *t)
{
	memset(t, 0, sizeof *t);
	size_t j = i + 1;
	if (j < len && (s[j] == '!' || s[j] == '?')) {
		const char *e;
		if (len - j >= 3 && s[j + 1] == '-' && s[j + 2] == '-') {
			e = memmem(s + j + 3, len - j - 3, "-->", 3);
			t->end = e ? (size_t)(e - s) + 3 : len;
		} else {
			e = memchr(s + j, '>', len - j);
			t->end = e ? (size_t)(e - s) + 1 : len;
		}
		return 1;
	}
	if (j < len && s[j] == '/') {
		t->closing = 1;
		j++;
	}
	if (j >= len || !((s[j] | 0x20) >= 'a' && (s[j] | 0x20) <= 'z'))
		return 0;
	size_t k = 0;
	while (j < len && !is_sp(s[j]) && s[j] != '>' && s[j] != '/') {
		if (k < sizeof t->name - 1)
			t->name[k++] = (char)((s[j] >= 'A' && s[j] <= 'Z') ? s[j] | 0x20 : s[j]);
		j++;
	}
	t->flags = el_flags(t->name);
	t->end = attrs(s, len, j, t);
	return 1;
}

/* Index of "</name" at or after i, or len. */
static size_t find_close(const char *s, size_t len, size_t i, const char *name)
{
	size_t n = strlen(name);
	while (i + 2 + n <= len) {
		const char *p = memchr(s + i, '<', len - i);
		if (!p)
			break;
		i = (size_t)(p - s);
		if (i + 2 + n <= len && s[i + 1] == '/' && strncasecmp(s + i + 2, name, n) == 0)
			return i;
		i++;
	}
	return len;
}

/* Past the closing tag of a raw-text element (script, style...). */
static size_t skip_raw(const char *s, size_t len, const tag *t)
{
	size_t c = find_close(s, len, t->end, t->name);
	const char *gt = c < len ? memchr(s + c, '>', len - c) : NULL;
	return gt ? (size_t)(gt - s) + 1 : len;
}

/* Text of s[a..b) with tags removed, references decoded, white space
 * collapsed; malloc'd, NULL when empty. */
static char *capture(const char *s, size_t a, size_t b)
{
	cn_tb t;
	cn_tb_init(&t, 4096);
	int space = 0;
	for (size_t i = a; i < b;) {
		uint32_t cp;
		size_t n;
		if (s[i] == '<') {
			const char *e = memchr(s + i, '>', b - i);
			i = e ? (size_t)(e - s) + 1 : b;
			space = 1;
		} else if (is_sp(s[i])) {
			space = 1;
			i++;
		} else {
			if (space && t.len)
				cn_tb_putc(&t, ' ', 0);
			space = 0;
			if (s[i] == '&' && (n = cn_ent_decode(s + i, b - i, &cp)) > 0) {
				cn_tb_putcp(&t, cp, 0);
				i += n;
			} else {
				cn_tb_putc(&t, s[i++], 0);
			}
		}
	}
	char *r = t.len && !t.oom ? strdup(t.s) : NULL;
	cn_tb_fini(&t);
	return r;
}

/* Can the text run go on over all of s[0..8)? Yes when none of the 8 bytes
 * is '<', '&' or a control byte (white space other than ' ' included), and
 * no space among them is followed (s[1..9)) by a space, a control byte or
 * '<'. Every test is one "is there such a byte" on the 8-byte word. */
static int plain8(const char *s)
{
	uint64_t a = cn_word(s), b = cn_word(s + 1), sp = CN_ONES * ' ';
	uint64_t ctl = ((a - sp) & ~a) | ((b - sp) & ~b); /* a byte below 0x20 */
	return !((ctl & CN_HIGHS) | cn_has_byte(a, '<') | cn_has_byte(a, '&') | cn_has_byte(b, '<') |
		 cn_has_byte((a ^ sp) | (b ^ sp), 0));
}

/* Line break (para 0), paragraph break (1: "\n\n") or hard paragraph
 * break (2: "\n\n\n", never rejoined by the line pass). */
static void brk(st *x, size_t at, int para)
{
	cn_tb *o = x->out;
	x->space = 0;
	cn_tb_rtrim(o, " ");
	if (!o->len)
		return;
	size_t nl = 0;
	while (nl < 3 && nl < o->len && o->s[o->len - 1 - nl] == '\n')
		nl++;
	size_t want = para == 2 ? 3 : para == 1 ? 2 : nl ? 2 : 1;
	for (uint32_t raw = x->in->map[at]; nl < want; nl++)
		cn_tb_putc(o, '\n', raw);
}

static void text_char(st *x, size_t *ip)
{
	const char *s = x->in->s;
	size_t i = *ip, len = x->in->len;
	cn_tb *o = x->out;
	if (is_sp(s[i])) {
		if (x->pre && (s[i] == '\n' || s[i] == '\r'))
			cn_tb_putc(o, '\n', x->in->map[i]);
		else
			x->space = 1;
		*ip = i + 1;
		return;
	}
	if (x->space && o->len && o->s[o->len - 1] != '\n')
		cn_tb_putc(o, ' ', x->in->map[i]);
	x->space = 0;
	uint32_t cp;
	size_t n;
	if (s[i] == '&' && (n = cn_ent_decode(s + i, len - i, &cp)) > 0) {
		cn_tb_putcp(o, cp, x->in->map[i]);
		*ip = i + n;
		return;
	}
	/* copy the run up to the next byte that needs a decision (a single
	 * space between words needs none) */
	size_t j = i + 1;
	while (j + 9 <= len && plain8(s + j))
		j += 8;
	while (j < len && s[j] != '<' && s[j] != '&' &&
	       (!is_sp(s[j]) || (s[j] == ' ' && j + 1 < len && !is_sp(s[j + 1]) && s[j + 1] != '<')))
		j++;
	cn_tb_copy(o, s + i, x->in->map + i, j - i);
	*ip = j;
}

/* While inside a dropped region only tags of the same name matter (and an
 * article <h1> kept in a <header>). */
static void skipped_tag(st *x, const tag *t)
{
	if (strcmp(t->name, x->skip) == 0) {
		x->skip_n += t->closing ? -1u : 1u;
		return;
	}
	if ((t->flags & F_H1) && !t->closing && !x->h1_tried && strcmp(x->skip, "header") == 0) {
		x->h1_tried = 1;
		x->h1 = capture(x->in->s, t->end, find_close(x->in->s, x->in->len, t->end, "h1"));
	}
}

static size_t open_tag(st *x, const tag *t, size_t at)
{
	const char *s = x->in->s;
	size_t len = x->in->len;
	if (t->flags & F_RAW) {
		if ((t->flags & F_TITLE) && !x->title)
			x->title = capture(s, t->end, find_close(s, len, t->end, t->name));
		return skip_raw(s, len, t);
	}
	if (t->noisy == BYLINE && !(t->flags & (F_KEEP | F_VOID)) && !x->byline) {
		char *b = capture(s, t->end, find_close(s, len, t->end, t->name));
		if (b && strlen(b) <= BYLINE_MAX)
			x->byline = b;
		else
			free(b);
	}
	if (((t->flags & F_SKIP) || (t->noisy && !(t->flags & F_KEEP))) && !(t->flags & F_VOID)) {
		snprintf(x->skip, sizeof x->skip, "%s", t->name);
		x->skip_n = 1;
		return t->end;
	}
	if ((t->flags & F_H1) && !x->h1_tried) {
		x->h1_tried = 1;
		x->h1 = capture(s, t->end, find_close(s, len, t->end, "h1"));
	}
	if (t->flags & F_PRE)
		x->pre++;
	if (t->flags & F_BR)
		brk(x, at, 0);
	else if (t->flags & F_BLOCK)
		brk(x, at, t->flags & F_HARD ? 2 : 1);
	else if (t->flags & F_CELL)
		x->space = 1;
	return t->end;
}

static void close_tag(st *x, const tag *t, size_t at)
{
	if ((t->flags & F_PRE) && x->pre)
		x->pre--;
	if (t->flags & F_BLOCK)
		brk(x, at, t->flags & F_HARD ? 2 : 1);
	else if (t->flags & F_CELL)
		x->space = 1;
}

/* "Headline | Site": keep the longest part. */
static void strip_site(char *t)
{
	static const char *const seps[] = {" | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " :: ", " \xC2\xB7 "};
	for (size_t k = 0; k < sizeof seps / sizeof seps[0]; k++) {
		char *p = strstr(t, seps[k]);
		if (!p)
			continue;
		size_t first = (size_t)(p - t), sl = strlen(seps[k]);
		const char *rest = p + sl;
		const char *next = strstr(rest, seps[k]);
		size_t second = next ? (size_t)(next - rest) : strlen(rest);
		if (first >= second) {
			*p = 0;
		} else {
			memmove(t, rest, second);
			t[second] = 0;
		}
		return;
	}
}

static char *pick_title(st *x)
{
	char *h1 = x->h1, *tt = x->title;
	x->h1 = x->title = NULL;
	/* an <h1> that is the site name sits inside <title> but not at its start */
	if (h1 && tt && strstr(tt, h1) && strncmp(tt, h1, strlen(h1)) != 0) {
		free(h1);
		h1 = NULL;
	}
	if (h1) {
		free(tt);
		return h1;
	}
	if (tt)
		strip_site(tt);
	return tt;
}

int cn_html_sniff(const char *s, size_t len)
{
	size_t n = len < 2048 ? len : 2048, i = 0;
	while (i < n && is_sp(s[i]))
		i++;
	if (i < n && s[i] == '<' && i + 1 < n &&
	    (s[i + 1] == '!' || ((s[i + 1] | 0x20) >= 'a' && (s[i + 1] | 0x20) <= 'z')))
		return 1;
	static const char *const marks[] = {"<p>", "<p ", "<br", "<div", "</p>", "</a>", "<html", "<body"};
	unsigned seen = 0; /* bit k: marks[k] occurs */
	int hits = 0;
	for (const char *p = s; (p = memchr(p, '<', n - (size_t)(p - s))) != NULL; p++)
		for (size_t k = 0; k < sizeof marks / sizeof marks[0]; k++) {
			size_t ml = strlen(marks[k]);
			if (!(seen >> k & 1) && (size_t)(p - s) + ml <= n && memcmp(p, marks[k], ml) == 0) {
				seen |= 1u << k;
				hits++;
			}
		}
	return hits >= 2;
}

cr_err cn_html_strip(const cn_tb *in, cn_tb *out, char **title, char **byline)
{
	st x = {.in = in, .out = out};
	const char *s = in->s;
	size_t len = in->len;
	cn_tb_reserve(out, len / 2 + 16);
	for (size_t i = 0; i < len && !out->oom;) {
		tag t;
		if (s[i] == '<' && parse_tag(s, len, i, &t)) {
			if (x.skip_n == 1 && (t.flags & F_AUTO) && !t.closing && strcmp(t.name, x.skip) == 0) {
				x.skip_n = 0; /* "<p class=share>...<p>": the dropped one ended */
				i = open_tag(&x, &t, i);
			} else if (x.skip_n) {
				if (t.name[0])
					skipped_tag(&x, &t);
				i = t.end;
				if ((t.flags & F_RAW) && !t.closing) /* "<nav>" inside a script is not a tag */
					i = skip_raw(s, len, &t);
			} else if (!t.name[0]) {
				i = t.end;
			} else if (t.closing) {
				close_tag(&x, &t, i);
				i = t.end;
			} else {
				i = open_tag(&x, &t, i);
			}
		} else if (x.skip_n) {
			const char *p = memchr(s + i + 1, '<', len - i - 1);
			i = p ? (size_t)(p - s) : len;
		} else {
			text_char(&x, &i);
		}
	}
	cn_tb_rtrim(out, " \n");
	*title = pick_title(&x);
	*byline = x.byline;
	cr_err e = out->oom ? (out->max && out->len >= out->max ? CR_ETOOBIG : CR_ENOMEM) : CR_OK;
	if (e) {
		free(*title);
		free(*byline);
		*title = *byline = NULL;
	}
	return e;
}
