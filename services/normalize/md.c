/* Markdown reader: block structure line by line, inline markup in one scan
 * per line. Links and images are resolved within their line only. */
#include <stdlib.h>
#include <string.h>

#include "normalize/md.h"
#include "normalize/ent.h"

typedef struct line {
	size_t a, b; /* [a, b) in the input, without the newline */
} line;

static int is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c >= 0x80;
}

static int is_blank(const char *s, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* "|---|:--:|" separator rows of a table. */
static int is_table_rule(const char *s, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++)
		if (!strchr("|-: \t\r", s[i]))
			return 0;
	return 1;
}

/* "---", "***", "___", "===" (spaces allowed), at least three of c. */
static int is_rule(const char *s, size_t a, size_t b, char c)
{
	int n = 0;
	for (size_t i = a; i < b; i++) {
		if (s[i] == c)
			n++;
		else if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	}
	return n >= 3;
}

#define SPAN_MAX 2048 /* links and code spans longer than this are text */

/* End of the bracketed run starting at s[i] == open, within [i, b). */
static size_t match(const char *s, size_t i, size_t b, char open, char close)
{
	int depth = 0;
	if (b - i > SPAN_MAX)
		b = i + SPAN_MAX;
	for (size_t k = i; k < b; k++) {
		if (s[k] == '\\') {
			k++;
			continue;
		}
		if (s[k] == open)
			depth++;
		else if (s[k] == close && --depth == 0)
			return k;
	}
	return 0;
}

/* After "]" at k: "(url)" or "[ref]"; returns the index past it, or 0. */
static size_t link_tail(const char *s, size_t k, size_t b)
{
	if (k + 1 < b && s[k + 1] == '(') {
		size_t e = match(s, k + 1, b, '(', ')');
		return e ? e + 1 : 0;
	}
	if (k + 1 < b && s[k + 1] == '[') {
		size_t e = match(s, k + 1, b, '[', ']');
		return e ? e + 1 : 0;
	}
	return 0;
}

static void emph_run(const cn_tb *in, size_t *ip, size_t a, size_t b, cn_tb *out)
{
	const char *s = in->s;
	size_t i = *ip, j = i;
	while (j < b && s[j] == s[i])
		j++;
	int before = i > a && s[i - 1] != ' ' && s[i - 1] != '\t';
	int after = j < b && s[j] != ' ' && s[j] != '\t';
	int drop = before || after;
	/* intraword underscores are part of a name (snake_case), keep them */
	if (s[i] == '_' && i > a && j < b && is_alnum((unsigned char)s[i - 1]) &&
	    is_alnum((unsigned char)s[j]))
		drop = 0;
	if (!drop)
		cn_tb_copy(out, s + i, in->map + i, j - i);
	*ip = j;
}

/* "<tag ...>" or "<http://...>" at s[i]: index of its '>', or 0. */
static size_t tag_end(const char *s, size_t i, size_t b)
{
	if (i + 1 >= b || !(s[i + 1] == '/' || ((s[i + 1] | 0x20) >= 'a' && (s[i + 1] | 0x20) <= 'z')))
		return 0;
	const char *p = memchr(s + i, '>', b - i);
	return p ? (size_t)(p - s) : 0;
}

/* Inline markup of s[a..b) into out. ends[] holds the pending "]" of open
 * links with the index to resume at after them. */
static void inline_md(const cn_tb *in, size_t a, size_t b, cn_tb *out)
{
	const char *s = in->s;
	size_t close_at[8], resume[8];
	int nopen = 0;
	for (size_t i = a; i < b;) {
		char c = s[i];
		uint32_t cp;
		size_t n, k, e;
		if (nopen && i == close_at[nopen - 1]) {
			i = resume[--nopen];
		} else if (c == '\\' && i + 1 < b && (unsigned char)s[i + 1] < 0x80 &&
			   !is_alnum((unsigned char)s[i + 1]) && s[i + 1] != ' ') {
			cn_tb_putc(out, s[i + 1], in->map[i + 1]);
			i += 2;
		} else if (c == '`') {
			for (k = i; k < b && s[k] == '`'; k++)
				;
			size_t lim = b - k > SPAN_MAX ? k + SPAN_MAX : b;
			const char *endp = memmem(s + k, lim - k, s + i, k - i);
			e = endp ? (size_t)(endp - s) : 0;
			if (!e) {
				cn_tb_copy(out, s + i, in->map + i, k - i);
				i = k;
			} else {
				cn_tb_copy(out, s + k, in->map + k, e - k);
				i = e + (k - i);
			}
		} else if (c == '!' && i + 1 < b && s[i + 1] == '[' && (k = match(s, i + 1, b, '[', ']')) &&
			   (e = link_tail(s, k, b))) {
			i = e; /* images carry no article text */
		} else if (c == '[' && nopen < 8 && (k = match(s, i, b, '[', ']')) && (e = link_tail(s, k, b))) {
			close_at[nopen] = k;
			resume[nopen++] = e;
			i++;
		} else if (c == '*' || c == '_') {
			emph_run(in, &i, a, b, out);
		} else if (c == '<' && (k = tag_end(s, i, b))) {
			i = k + 1; /* inline HTML tag or autolink */
		} else if (c == '&' && (n = cn_ent_decode(s + i, b - i, &cp)) > 0) {
			cn_tb_putcp(out, cp, in->map[i]);
			i += n;
		} else {
			cn_tb_putc(out, c, in->map[i]);
			i++;
		}
	}
}

/* Paragraph break; hard (three newlines) around headings and list items,
 * which the line pass never rejoins. */
static void para_break(cn_tb *out, uint32_t raw, int hard)
{
	cn_tb_rtrim(out, " \t");
	if (!out->len)
		return;
	size_t nl = 0, want = hard ? 3 : 2;
	while (nl < 3 && nl < out->len && out->s[out->len - 1 - nl] == '\n')
		nl++;
	for (; nl < want; nl++)
		cn_tb_putc(out, '\n', raw);
}

static size_t skip_sp(const char *s, size_t i, size_t b, size_t max)
{
	for (size_t n = 0; i < b && n < max && (s[i] == ' ' || s[i] == '\t'); n++)
		i++;
	return i;
}

/* Block prefix of one line: returns where its text starts; sets *block
 * when it starts a block of its own (heading, list item), *level for
 * headings, *drop for lines with no text (reference definitions...). */
static size_t block_prefix(const char *s, size_t a, size_t b, int *block, int *level, int *drop)
{
	size_t i = skip_sp(s, a, b, 3);
	while (i < b && s[i] == '>') /* block quotes */
		i = skip_sp(s, i + 1, b, 1);
	if (i < b && s[i] == '#') {
		size_t h = i;
		while (h < b && s[h] == '#')
			h++;
		if (h - i <= 6 && (h == b || s[h] == ' ' || s[h] == '\t')) {
			*level = (int)(h - i);
			*block = 1;
			return skip_sp(s, h, b, 64);
		}
	}
	if (i + 1 < b && (s[i] == '-' || s[i] == '*' || s[i] == '+') && (s[i + 1] == ' ' || s[i + 1] == '\t')) {
		*block = 1;
		return skip_sp(s, i + 1, b, 8);
	}
	size_t d = i;
	while (d < b && d - i < 9 && s[d] >= '0' && s[d] <= '9')
		d++;
	if (d > i && d + 1 < b && (s[d] == '.' || s[d] == ')') && s[d + 1] == ' ') {
		*block = 1;
		return skip_sp(s, d + 1, b, 8);
	}
	if (i < b && s[i] == '[') {
		size_t k = match(s, i, b, '[', ']');
		if (k && k + 1 < b && s[k + 1] == ':')
			*drop = 1;
	}
	if (i < b && s[i] == '|' && is_table_rule(s, i, b))
		*drop = 1;
	return i;
}

static char *dup_trim(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\n'))
		p++, n--;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\n'))
		n--;
	return n ? strndup(p, n) : NULL;
}

/* One text line (heading, list item, paragraph line) into out. */
static void text_line(const cn_tb *in, size_t a, size_t e, cn_tb *out, char **title, size_t *line_at)
{
	const char *s = in->s;
	int block = 0, level = 0, drop = 0;
	size_t ts = block_prefix(s, a, e, &block, &level, &drop);
	if (drop)
		return;
	if (block)
		para_break(out, in->map[a], 1);
	if (level) /* closing hashes of "## Title ##" */
		while (e > ts && (s[e - 1] == '#' || s[e - 1] == ' ' || s[e - 1] == '\t'))
			e--;
	size_t at = out->len;
	*line_at = at;
	inline_md(in, ts, e, out);
	if (ts < e && s[ts] == '|')
		for (size_t k = at; k < out->len; k++)
			if (out->s[k] == '|')
				out->s[k] = ' ';
	if (level == 1 && !*title)
		*title = dup_trim(out->s + at, out->len - at);
	if (level)
		para_break(out, in->map[a], 1);
	else
		cn_tb_putc(out, '\n', e < in->len ? in->map[e] : in->map[a]);
}

cr_err cn_md_strip(const cn_tb *in, cn_tb *out, char **title)
{
	const char *s = in->s;
	size_t len = in->len, line_at = (size_t)-1;
	int fence = 0;
	*title = NULL;
	cn_tb_reserve(out, len + 16);
	for (size_t a = 0; a < len && !out->oom;) {
		const char *nl = memchr(s + a, '\n', len - a);
		size_t b = nl ? (size_t)(nl - s) : len, next = nl ? b + 1 : len, e = b;
		if (e > a && s[e - 1] == '\r')
			e--;
		size_t t = skip_sp(s, a, e, 3);
		uint32_t raw = in->map[a];
		if (e - t >= 3 && (strncmp(s + t, "```", 3) == 0 || strncmp(s + t, "~~~", 3) == 0)) {
			fence = !fence;
			para_break(out, raw, 1);
		} else if (fence) {
			cn_tb_copy(out, s + a, in->map + a, e - a);
			cn_tb_putc(out, '\n', raw);
		} else if (is_rule(s, a, e, '=') && line_at != (size_t)-1) {
			/* setext heading: the line above is a level-1 title */
			if (!*title)
				*title = dup_trim(out->s + line_at, out->len - line_at);
			para_break(out, raw, 1);
			line_at = (size_t)-1;
		} else if (is_blank(s, a, e) || is_rule(s, a, e, '-') || is_rule(s, a, e, '*') ||
			   is_rule(s, a, e, '_')) {
			para_break(out, raw, !is_blank(s, a, e));
			line_at = (size_t)-1;
		} else {
			text_line(in, a, e, out, title, &line_at);
		}
		a = next;
	}
	cn_tb_rtrim(out, " \n");
	if (out->oom) {
		free(*title);
		*title = NULL;
		return out->max && out->len >= out->max ? CR_ETOOBIG : CR_ENOMEM;
	}
	return CR_OK;
}

/* Markdown evidence at the start of a line, scored. */
static int bol_marks(const char *s, size_t i, size_t n)
{
	static const struct {
		const char *mark;
		int score;
	} marks[] = {
		{"# ", 2}, {"## ", 2}, {"### ", 2}, {"- ", 1}, {"* ", 1}, {"> ", 1}, {"```", 2},
		{"===", 2}, {"---", 1}, {"|--", 2}, {"| --", 2}, {"1. ", 1},
	};
	if (!strchr("#-*>`=|1[", s[i]) || !s[i])
		return 0; /* no mark starts with it (most lines: a letter) */
	for (size_t k = 0; k < sizeof marks / sizeof marks[0]; k++) {
		size_t ml = strlen(marks[k].mark);
		if (n - i >= ml && memcmp(s + i, marks[k].mark, ml) == 0)
			return marks[k].score;
	}
	if (s[i] == '[') { /* reference definition "[id]: url" */
		const char *e = memchr(s + i, ']', n - i < 64 ? n - i : 64);
		return e && (size_t)(e - s) + 1 < n && e[1] == ':' ? 2 : 0;
	}
	return 0;
}

/* Only line starts, ']' and '*' can score; hits only grow, so the bytes
 * between them are skipped. */
static size_t next_md_byte(const char *s, size_t i, size_t n)
{
	for (; i + 8 <= n; i += 8) {
		uint64_t w = cn_word(s + i);
		if (cn_has_byte(w, '\n') || cn_has_byte(w, ']') || cn_has_byte(w, '*'))
			break;
	}
	while (i < n && s[i] != '\n' && s[i] != ']' && s[i] != '*')
		i++;
	return i;
}

int cn_md_sniff(const char *s, size_t len)
{
	size_t n = len < 4096 ? len : 4096;
	int hits = n ? bol_marks(s, 0, n) : 0;
	for (size_t i = 0; (i = next_md_byte(s, i, n)) < n && hits < 3; i++) {
		if (s[i] == '\n' && i + 1 < n)
			hits += bol_marks(s, i + 1, n);
		else if (s[i] == ']' && i + 1 < n && (s[i + 1] == '(' || s[i + 1] == '['))
			hits += 2;
		else if (s[i] == '*' && i + 1 < n && s[i + 1] == '*')
			hits++;
	}
	return hits >= 3;
}
