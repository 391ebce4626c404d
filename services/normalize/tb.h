/* Text builder: UTF-8 bytes plus, for every byte, the offset in the raw
 * input it came from. Each normalize pass reads one cn_tb and writes the
 * next, copying map entries along, so the last text still points into the
 * raw bytes (bytes produced by decoding an entity map to its '&'). */
#ifndef COURANT_NORMALIZE_TB_H
#define COURANT_NORMALIZE_TB_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "common/err.h"

typedef struct cn_tb {
	char *s;        /* NUL-terminated after every successful put */
	uint32_t *map;  /* map[i]: raw offset of byte s[i] */
	size_t len, cap, max;
	int oom;        /* sticky: a put failed (cap or memory) */
} cn_tb;

/* `max` caps the length; puts past it set oom and fail. */
void cn_tb_init(cn_tb *t, size_t max);
void cn_tb_fini(cn_tb *t);
cr_err cn_tb_reserve(cn_tb *t, size_t extra);
/* What cn_tb_put and cn_tb_copy do when the buffer may have to grow (or
 * is oom): reserve, then the same copy. */
cr_err cn_tb_put_grow(cn_tb *t, const char *p, size_t n, uint32_t raw);
cr_err cn_tb_copy_grow(cn_tb *t, const char *p, const uint32_t *map, size_t n);

/* n bytes, all mapped to `raw`. */
static inline cr_err cn_tb_put(cn_tb *t, const char *p, size_t n, uint32_t raw)
{
	if (t->oom || t->len + n + 1 > t->cap)
		return cn_tb_put_grow(t, p, n, raw);
	for (size_t i = 0; i < n; i++) {
		t->s[t->len + i] = p[i];
		t->map[t->len + i] = raw;
	}
	t->len += n;
	t->s[t->len] = 0;
	return CR_OK;
}

/* n bytes copied with their own map entries. */
static inline cr_err cn_tb_copy(cn_tb *t, const char *p, const uint32_t *map, size_t n)
{
	if (t->oom || t->len + n + 1 > t->cap)
		return cn_tb_copy_grow(t, p, map, n);
	memcpy(t->s + t->len, p, n);
	memcpy(t->map + t->len, map, n * sizeof *map);
	t->len += n;
	t->s[t->len] = 0;
	return CR_OK;
}
/* One code point as UTF-8, mapped to `raw`. */
cr_err cn_tb_putcp(cn_tb *t, uint32_t cp, uint32_t raw);
/* Drop trailing bytes in `set` (e.g. " \n"). */
void cn_tb_rtrim(cn_tb *t, const char *set);

static inline cr_err cn_tb_putc(cn_tb *t, char c, uint32_t raw)
{
	if (t->len + 1 < t->cap && (!t->max || t->len < t->max)) {
		t->s[t->len] = c;
		t->map[t->len++] = raw;
		t->s[t->len] = 0;
		return CR_OK;
	}
	return cn_tb_put(t, &c, 1, raw);
}

/* Decode one UTF-8 sequence at p (n bytes available, input known valid).
 * Returns its length (>= 1) and stores the code point. */
static inline size_t cn_utf8_dec(const char *p, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)p;
	if (u[0] < 0x80 || n < 2) {
		*cp = u[0];
		return 1;
	}
	if (u[0] < 0xE0) {
		*cp = ((uint32_t)(u[0] & 0x1F) << 6) | (u[1] & 0x3F);
		return 2;
	}
	if (u[0] < 0xF0 || n < 4) {
		if (n < 3) {
			*cp = 0xFFFD;
			return n;
		}
		*cp = ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
		return 3;
	}
	*cp = ((uint32_t)(u[0] & 0x07) << 18) | ((uint32_t)(u[1] & 0x3F) << 12) |
	      ((uint32_t)(u[2] & 0x3F) << 6) | (u[3] & 0x3F);
	return 4;
}

#define CN_ONES 0x0101010101010101u
#define CN_HIGHS 0x8080808080808080u

/* The 8 bytes at p as one word (any alignment). */
static inline uint64_t cn_word(const char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return w;
}

/* Non-zero when some byte of w equals c (exact: no false answers). */
static inline uint64_t cn_has_byte(uint64_t w, unsigned char c)
{
	uint64_t x = w ^ (c * CN_ONES);
	return (x - CN_ONES) & ~x & CN_HIGHS;
}

/* Length of the run at s (n bytes available) of printable ASCII and '\n',
 * the bytes that the passes copy unchanged. Eight bytes per step: a word
 * with no byte below 0x20 or from 0x7F up is all printable. */
static inline size_t cn_ascii_run(const char *s, size_t n)
{
	size_t i = 0;
	for (;;) {
		if (i + 8 <= n) {
			uint64_t w = cn_word(s + i);
			if (!((((w - 0x20 * CN_ONES) & ~w) | w | (w + CN_ONES)) & CN_HIGHS)) {
				i += 8;
				continue;
			}
		}
		for (size_t end = i + 8 < n ? i + 8 : n; i < end; i++) {
			unsigned char c = (unsigned char)s[i];
			if (!((c >= 0x20 && c < 0x7F) || c == '\n'))
				return i;
		}
		if (i >= n)
			return n;
	}
}

/* Encode cp as UTF-8 into b (4 bytes); returns the length. */
size_t cn_utf8_enc(uint32_t cp, char *b);

#endif
