/* Character unification and NFC. NFC is applied only to the stretches that
 * can change (from the last starter before a combining or otherwise
 * composing code point), so ordinary text is a straight copy. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "normalize/chars.h"
#include "normalize/enc.h"

/* Sorted by code point. Replacement "" drops the character. */
static const struct uni {
	uint32_t cp;
	const char *to;
} unis[] = {
	{0x0009, " "},  {0x000B, "\n"}, {0x000C, "\n"}, {0x0085, "\n"},   {0x00A0, " "},
	{0x00AD, ""},   {0x00B4, "'"},  {0x061C, ""},   {0x1680, " "},    {0x180E, ""},
	{0x2000, " "},  {0x2001, " "},  {0x2002, " "},  {0x2003, " "},    {0x2004, " "},
	{0x2005, " "},  {0x2006, " "},  {0x2007, " "},  {0x2008, " "},    {0x2009, " "},
	{0x200A, " "},  {0x200B, ""},   {0x200E, ""},   {0x200F, ""},     {0x2010, "-"},
	{0x2011, "-"},  {0x2012, "-"},  {0x2013, "-"},  {0x2014, "-"},    {0x2015, "-"},
	{0x2018, "'"},  {0x2019, "'"},  {0x201A, "'"},  {0x201B, "'"},    {0x201C, "\""},
	{0x201D, "\""}, {0x201E, "\""}, {0x201F, "\""}, {0x2026, "..."},  {0x2028, "\n"},
	{0x2029, "\n\n"}, {0x202A, ""}, {0x202B, ""},   {0x202C, ""},     {0x202D, ""},
	{0x202E, ""},   {0x202F, " "},  {0x2032, "'"},  {0x2033, "\""},   {0x205F, " "},
	{0x2060, ""},   {0x2212, "-"},  {0x3000, " "},  {0xFE58, "-"},    {0xFE63, "-"},
	{0xFEFF, ""},   {0xFF0D, "-"},
};

static const char *unify(uint32_t cp)
{
	size_t lo = 0, hi = sizeof unis / sizeof unis[0];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (unis[mid].cp == cp)
			return unis[mid].to;
		if (unis[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Could this code point make the text around it non-NFC? Scripts whose
 * composing partners all have a non-zero combining class are safe as
 * starters even when they can be the first half of a composition. */
static int nfc_risky(uint32_t cp)
{
	if (cp < 0x300)
		return 0;
	const utf8proc_property_t *p = utf8proc_get_property((utf8proc_int32_t)cp);
	if (p->combining_class || p->comp_exclusion)
		return 1;
	if (p->decomp_seqindex != UINT16_MAX && p->decomp_type == 0) {
		utf8proc_int32_t d[4];
		int last = 0;
		utf8proc_ssize_t n = utf8proc_decompose_char((utf8proc_int32_t)cp, d, 4, UTF8PROC_DECOMPOSE, &last);
		if (n == 1)
			return 1; /* singleton (Ω sign, Å sign...) */
	}
	if (p->comb_index == UINT16_MAX)
		return 0;
	return !((cp <= 0x052F) || (cp >= 0x0590 && cp <= 0x06FF) || (cp >= 0x1E00 && cp <= 0x1FFF) ||
		 (cp >= 0x3040 && cp <= 0x30FF));
}

/* Recompose out[seg..len) in NFC; bytes map to the segment's first byte. */
static void nfc_fix(cn_tb *out, size_t seg)
{
	utf8proc_uint8_t *dst = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)out->s + seg,
					  (utf8proc_ssize_t)(out->len - seg), &dst,
					  UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (n >= 0 && ((size_t)n != out->len - seg || memcmp(dst, out->s + seg, (size_t)n) != 0)) {
		uint32_t raw = out->map[seg];
		out->len = seg;
		cn_tb_put(out, (const char *)dst, (size_t)n, raw);
	}
	free(dst);
}

/* Length of the run at s (n bytes) that is copied unchanged: printable
 * ASCII and '\n' (cn_ascii_run), and two-byte characters U+00C0..U+02FF
 * (lead bytes C3..CB): none of them is in unis[], none is below U+0300
 * where nfc_risky() looks, none is a control. *last: where the run's last
 * character starts (every character of the run is a starter). */
static size_t plain_run(const char *s, size_t n, size_t *last)
{
	size_t i = 0;
	for (;;) {
		size_t a = cn_ascii_run(s + i, n - i);
		if (a) {
			i += a;
			*last = i - 1;
		}
		unsigned char c = i + 1 < n ? (unsigned char)s[i] : 0;
		if (c >= 0xC3 && c <= 0xCB && ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
			*last = i;
			i += 2;
			continue;
		}
		return i;
	}
}

cr_err cn_chars_clean(const cn_tb *in, cn_tb *out)
{
	const char *s = in->s;
	size_t len = in->len, starter = 0;
	int dirty = 0;
	cr_err e = cn_tb_reserve(out, len);
	for (size_t i = 0; i < len && !e;) {
		size_t last = 0, run = plain_run(s + i, len - i, &last);
		if (run) {
			if (dirty) {
				nfc_fix(out, starter);
				dirty = 0;
			}
			starter = out->len + last;
			e = cn_tb_copy(out, s + i, in->map + i, run);
			i += run;
			continue;
		}
		uint32_t cp;
		size_t n = cn_utf8_dec(s + i, len - i, &cp);
		if (cp == '\r') {
			if (i + 1 >= len || s[i + 1] != '\n')
				e = cn_tb_putc(out, '\n', in->map[i]);
			i += n;
			continue;
		}
		if (cp >= 0x80 && cp < 0xA0 && cn_enc_cp1252(cp))
			cp = cn_enc_cp1252(cp); /* UTF-8 made from Windows-1252 by a Latin-1 decoder */
		const char *to = unify(cp);
		int risky = !to && nfc_risky(cp);
		if (dirty && !risky) {
			nfc_fix(out, starter);
			dirty = 0;
		}
		if (!dirty && risky) {
			dirty = 1;
		} else if (!risky) {
			starter = out->len;
		}
		if (to)
			e = cn_tb_put(out, to, strlen(to), in->map[i]);
		else if (cp == 0x7F || (cp < 0x20 && cp != '\n') || (cp >= 0x80 && cp < 0xA0))
			; /* controls carry no text */
		else if (n == 2 && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] < 0xA0)
			e = cn_tb_putcp(out, cp, in->map[i]);
		else
			e = cn_tb_copy(out, s + i, in->map + i, n);
		i += n;
	}
	if (dirty && !e)
		nfc_fix(out, starter);
	return e ? e : (out->oom ? CR_ENOMEM : CR_OK);
}
