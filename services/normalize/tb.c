/* Text builder with a per-byte offset map back to the raw input. */
#include <stdlib.h>
#include <string.h>

#include "normalize/tb.h"

void cn_tb_init(cn_tb *t, size_t max)
{
	memset(t, 0, sizeof *t);
	t->max = max;
}

void cn_tb_fini(cn_tb *t)
{
	free(t->s);
	free(t->map);
	memset(t, 0, sizeof *t);
}

cr_err cn_tb_reserve(cn_tb *t, size_t extra)
{
	if (t->oom)
		return CR_ENOMEM;
	if (t->len + extra + 1 <= t->cap)
		return CR_OK;
	if (t->max && t->len + extra > t->max) {
		t->oom = 1;
		return CR_ETOOBIG;
	}
	size_t cap = t->cap ? t->cap : 256;
	while (cap < t->len + extra + 1)
		cap *= 2;
	char *s = realloc(t->s, cap);
	if (s)
		t->s = s;
	uint32_t *m = s ? realloc(t->map, cap * sizeof *m) : NULL;
	if (!s || !m) {
		t->oom = 1;
		return CR_ENOMEM;
	}
	t->map = m;
	t->cap = cap;
	return CR_OK;
}

cr_err cn_tb_put_grow(cn_tb *t, const char *p, size_t n, uint32_t raw)
{
	cr_err e = cn_tb_reserve(t, n);
	if (e)
		return e;
	memcpy(t->s + t->len, p, n);
	for (size_t i = 0; i < n; i++)
		t->map[t->len + i] = raw;
	t->len += n;
	t->s[t->len] = 0;
	return CR_OK;
}

cr_err cn_tb_copy_grow(cn_tb *t, const char *p, const uint32_t *map, size_t n)
{
	cr_err e = cn_tb_reserve(t, n);
	if (e)
		return e;
	memcpy(t->s + t->len, p, n);
	memcpy(t->map + t->len, map, n * sizeof *map);
	t->len += n;
	t->s[t->len] = 0;
	return CR_OK;
}

size_t cn_utf8_enc(uint32_t cp, char *b)
{
	if (cp >= 0xD800 && cp < 0xE000)
		cp = 0xFFFD;
	if (cp < 0x80) {
		b[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp > 0x10FFFF)
		return cn_utf8_enc(0xFFFD, b);
	b[0] = (char)(0xF0 | (cp >> 18));
	b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	b[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

cr_err cn_tb_putcp(cn_tb *t, uint32_t cp, uint32_t raw)
{
	char b[4];
	size_t n = cn_utf8_enc(cp, b);
	return cn_tb_put(t, b, n, raw);
}

void cn_tb_rtrim(cn_tb *t, const char *set)
{
	while (t->len > 0 && strchr(set, t->s[t->len - 1]))
		t->len--;
	if (t->s)
		t->s[t->len] = 0;
}
