/* Streaming JSON writer. */
#include "common/jw.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

void cr_jw_init(cr_jw *w, cr_buf *out)
{
	memset(w, 0, sizeof *w);
	w->out = out;
	w->first[0] = 1;
}

static void put(cr_jw *w, const char *s, size_t n)
{
	if (!w->err)
		w->err = cr_buf_append(w->out, s, n);
}

/* Separator before a value or key at the current level. */
static void sep(cr_jw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (!w->first[w->depth])
		put(w, ",", 1);
	w->first[w->depth] = 0;
}

static void open(cr_jw *w, char c)
{
	sep(w);
	put(w, &c, 1);
	if (w->depth + 1 >= CR_JW_DEPTH) {
		w->err = CR_ETOOBIG;
		return;
	}
	w->first[++w->depth] = 1;
	w->close[w->depth] = c == '{' ? '}' : ']';
}

void cr_jw_obj(cr_jw *w) { open(w, '{'); }
void cr_jw_arr(cr_jw *w) { open(w, '['); }

void cr_jw_end(cr_jw *w)
{
	if (w->depth == 0) {
		w->err = CR_EINVAL;
		return;
	}
	put(w, &w->close[w->depth], 1);
	w->depth--;
}

static void utf8_escape(cr_jw *w, const unsigned char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, run = 0;

	put(w, "\"", 1);
	while (i < n) {
		unsigned char c = s[i];
		size_t len = 0;
		if (c < 0x80) {
			if (c >= 0x20 && c != '"' && c != '\\') {
				i++;
				continue;
			}
		} else if (c >= 0xC2 && c <= 0xDF) {
			len = 2;
		} else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
		}
		if (c >= 0x80 && len && i + len <= n) {
			int ok = 1;
			for (size_t k = 1; k < len; k++)
				if ((s[i + k] & 0xC0) != 0x80)
					ok = 0;
			if (ok && len == 3) {
				if (c == 0xE0 && s[i + 1] < 0xA0) ok = 0;
				if (c == 0xED && s[i + 1] >= 0xA0) ok = 0;
			}
			if (ok && len == 4) {
				if (c == 0xF0 && s[i + 1] < 0x90) ok = 0;
				if (c == 0xF4 && s[i + 1] >= 0x90) ok = 0;
			}
			if (ok) {
				i += len;
				continue;
			}
		}
		/* flush the clean run before i, then write the escape */
		put(w, (const char *)s + run, i - run);
		if (c < 0x80) {
			char esc[7];
			switch (c) {
			case '"': put(w, "\\\"", 2); break;
			case '\\': put(w, "\\\\", 2); break;
			case '\n': put(w, "\\n", 2); break;
			case '\r': put(w, "\\r", 2); break;
			case '\t': put(w, "\\t", 2); break;
			default:
				esc[0] = '\\'; esc[1] = 'u'; esc[2] = '0'; esc[3] = '0';
				esc[4] = hex[c >> 4]; esc[5] = hex[c & 15];
				put(w, esc, 6);
			}
		} else {
			put(w, "\xEF\xBF\xBD", 3); /* U+FFFD for an invalid byte */
		}
		i++;
		run = i;
	}
	put(w, (const char *)s + run, n - run);
	put(w, "\"", 1);
}

void cr_jw_key(cr_jw *w, const char *k)
{
	sep(w);
	utf8_escape(w, (const unsigned char *)k, strlen(k));
	put(w, ":", 1);
	w->after_key = 1;
}

void cr_jw_strn(cr_jw *w, const char *s, size_t n)
{
	sep(w);
	utf8_escape(w, (const unsigned char *)s, n);
}

void cr_jw_str(cr_jw *w, const char *s)
{
	if (!s) {
		cr_jw_null(w);
		return;
	}
	cr_jw_strn(w, s, strlen(s));
}

void cr_jw_int(cr_jw *w, int64_t v)
{
	char t[32];
	int n = snprintf(t, sizeof t, "%" PRId64, v);
	sep(w);
	put(w, t, (size_t)n);
}

void cr_jw_uint(cr_jw *w, uint64_t v)
{
	char t[32];
	int n = snprintf(t, sizeof t, "%" PRIu64, v);
	sep(w);
	put(w, t, (size_t)n);
}

void cr_jw_num(cr_jw *w, double v, int decimals)
{
	char t[64];
	int n;
	if (!isfinite(v)) {
		cr_jw_null(w);
		return;
	}
	n = snprintf(t, sizeof t, "%.*f", decimals, v);
	sep(w);
	put(w, t, (size_t)n);
}

void cr_jw_bool(cr_jw *w, int v)
{
	sep(w);
	put(w, v ? "true" : "false", v ? 4 : 5);
}

void cr_jw_null(cr_jw *w)
{
	sep(w);
	put(w, "null", 4);
}

void cr_jw_kstr(cr_jw *w, const char *k, const char *s) { cr_jw_key(w, k); cr_jw_str(w, s); }
void cr_jw_kint(cr_jw *w, const char *k, int64_t v) { cr_jw_key(w, k); cr_jw_int(w, v); }
void cr_jw_kuint(cr_jw *w, const char *k, uint64_t v) { cr_jw_key(w, k); cr_jw_uint(w, v); }

cr_err cr_jw_err(const cr_jw *w)
{
	return w->err;
}
