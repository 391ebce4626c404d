/* Charset detection and conversion to UTF-8 with a byte map to the raw input.
 * Legacy detection is by evidence, not by guessing a language: bytes
 * 0x80-0x9F only make sense as Windows-1252 punctuation; 0xA4 (¤, almost
 * never written) and œ/Œ at 0xBD/0xBC between letters mean ISO-8859-15. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "normalize/enc.h"

enum charset { CS_NONE, CS_UTF8, CS_UTF16LE, CS_UTF16BE, CS_1252, CS_8859_1, CS_8859_15 };

static const struct {
	const char *label;
	enum charset cs;
} labels[] = {
	{"utf-8", CS_UTF8},          {"utf8", CS_UTF8},
	{"windows-1252", CS_1252},   {"cp1252", CS_1252},         {"x-cp1252", CS_1252},
	{"iso-8859-1", CS_8859_1},   {"iso8859-1", CS_8859_1},    {"iso_8859-1", CS_8859_1},
	{"latin1", CS_8859_1},       {"latin-1", CS_8859_1},      {"l1", CS_8859_1},
	{"us-ascii", CS_8859_1},     {"ascii", CS_8859_1},
	{"iso-8859-15", CS_8859_15}, {"iso8859-15", CS_8859_15}, {"iso_8859-15", CS_8859_15},
	{"latin-9", CS_8859_15},     {"latin9", CS_8859_15},      {"l9", CS_8859_15},
	{"utf-16le", CS_UTF16LE},    {"utf-16be", CS_UTF16BE},
};

static const char *const cs_names[] = {
	[CS_NONE] = "utf-8",          [CS_UTF8] = "utf-8",         [CS_UTF16LE] = "utf-16le",
	[CS_UTF16BE] = "utf-16be",    [CS_1252] = "windows-1252", [CS_8859_1] = "iso-8859-1",
	[CS_8859_15] = "iso-8859-15",
};

/* Windows-1252 0x80..0x9F; 0 marks the five undefined bytes. */
static const uint16_t cp1252_c1[32] = {
	0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
	0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

uint32_t cn_enc_cp1252(unsigned b)
{
	return b >= 0x80 && b <= 0x9F ? cp1252_c1[b - 0x80] : 0;
}

/* ISO-8859-15 differs from ISO-8859-1 at eight positions. */
static uint32_t latin9(unsigned char b)
{
	switch (b) {
	case 0xA4: return 0x20AC;
	case 0xA6: return 0x0160;
	case 0xA8: return 0x0161;
	case 0xB4: return 0x017D;
	case 0xB8: return 0x017E;
	case 0xBC: return 0x0152;
	case 0xBD: return 0x0153;
	case 0xBE: return 0x0178;
	default: return b;
	}
}

static enum charset cs_from_label(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strlen(labels[i].label) == n && strncasecmp(labels[i].label, s, n) == 0)
			return labels[i].cs;
	return CS_NONE;
}

static int label_char(char c)
{
	return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
	       c == '_';
}

/* "charset=NAME" in a content type or in the first bytes of an HTML page. */
static enum charset cs_declared(const char *s, size_t len)
{
	if (len > 4096)
		len = 4096;
	for (size_t i = 0; i + 8 <= len; i++) {
		if ((s[i] | 0x20) != 'c' || strncasecmp(s + i, "charset", 7) != 0)
			continue;
		size_t j = i + 7;
		while (j < len && (s[j] == ' ' || s[j] == '='))
			j++;
		if (j < len && (s[j] == '"' || s[j] == '\''))
			j++;
		size_t k = j;
		while (k < len && k - j < 20 && label_char(s[k]))
			k++;
		if (k > j)
			return cs_from_label(s + j, k - j);
	}
	return CS_NONE;
}

/* Length of a valid UTF-8 sequence at p, or 0 when invalid (strict:
 * no overlongs, surrogates or code points past U+10FFFF). */
static size_t utf8_valid(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return n >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0))
			return 0;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (n < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

static int is_ctl(unsigned char c)
{
	return (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') || c == 0x7F;
}

/* Could one of the 8 bytes at u be a NUL or a control byte? Every byte
 * below 0x20 and 0x7F make the answer yes, so "no" lets sniff() skip them. */
static int ctl_in_word(const unsigned char *u)
{
	uint64_t w = cn_word((const char *)u);
	return ((w - 0x20 * CN_ONES) & ~w & CN_HIGHS) || cn_has_byte(w, 0x7F);
}

/* Binary sniffing; also spots UTF-16 without a BOM by its NUL pattern. */
static cr_err sniff(const unsigned char *u, size_t len, enum charset *cs, char *why, size_t whylen)
{
	size_t nul = 0, nul_even = 0, nul_odd = 0, ctl = 0;
	for (size_t i = 0; i < len;) {
		if (i + 8 <= len && !ctl_in_word(u + i)) {
			i += 8;
			continue;
		}
		for (size_t end = i + 8 < len ? i + 8 : len; i < end; i++) {
			if (u[i] == 0) {
				nul++;
				if (i & 1)
					nul_odd++;
				else
					nul_even++;
			} else if (is_ctl(u[i])) {
				ctl++;
			}
		}
	}
	if (nul && len >= 8 && nul_odd > len * 2 / 5 && nul_even < len / 50) {
		*cs = CS_UTF16LE;
		return CR_OK;
	}
	if (nul && len >= 8 && nul_even > len * 2 / 5 && nul_odd < len / 50) {
		*cs = CS_UTF16BE;
		return CR_OK;
	}
	if (nul) {
		snprintf(why, whylen, "binary input: %zu NUL bytes in %zu", nul, len);
		return CR_EENCODING;
	}
	if (ctl > 2 + len / 50) {
		snprintf(why, whylen, "binary input: %zu control bytes in %zu", ctl, len);
		return CR_EENCODING;
	}
	return CR_OK;
}

/* Choose between the single-byte charsets on the bytes' own evidence. */
static enum charset legacy_pick(const unsigned char *u, size_t len, enum charset declared)
{
	int latin9_hits = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = u[i];
		if (c >= 0x80 && c <= 0x9F)
			return CS_1252;
		if (c == 0xA4)
			latin9_hits++;
		else if ((c == 0xBD || c == 0xBC) && i > 0 && i + 1 < len &&
			 ((u[i - 1] | 0x20) >= 'a' && (u[i - 1] | 0x20) <= 'z') &&
			 ((u[i + 1] | 0x20) >= 'a' && (u[i + 1] | 0x20) <= 'z'))
			latin9_hits++;
	}
	if (declared == CS_8859_15 || latin9_hits)
		return CS_8859_15;
	if (declared == CS_8859_1)
		return CS_8859_1;
	return declared == CS_1252 ? CS_1252 : CS_8859_1;
}

static cr_err put_cp(cn_tb *out, uint32_t cp, size_t at, unsigned *repaired)
{
	if (cp < 0x80 && is_ctl((unsigned char)cp)) {
		(*repaired)++;
		return CR_OK;
	}
	return cn_tb_putcp(out, cp, (uint32_t)at);
}

typedef uint32_t cn_u32x4 __attribute__((vector_size(16))); /* GCC and clang vectors */

/* Copies runs of printable ASCII in one go; counts valid multi-byte
 * sequences in *multi and invalid ones in *bad (and in *rep, with the
 * dropped control bytes). */
static cr_err conv_utf8(const unsigned char *u, size_t len, size_t start, cn_tb *out, unsigned *rep,
			size_t *multi, size_t *bad)
{
	cr_err e = cn_tb_reserve(out, len - start);
	for (size_t i = start; i < len && !e;) {
		size_t j = i + cn_ascii_run((const char *)u + i, len - i);
		if (j > i) {
			e = cn_tb_reserve(out, j - i);
			if (e)
				break;
			memcpy(out->s + out->len, u + i, j - i);
			/* raw offsets i, i+1, ..., four at a time */
			uint32_t *m = out->map + out->len, v = (uint32_t)i;
			cn_u32x4 v4 = {v, v + 1, v + 2, v + 3}, four = {4, 4, 4, 4};
			size_t k = 0, cnt = j - i;
			for (; k + 4 <= cnt; k += 4) {
				memcpy(m + k, &v4, sizeof v4);
				v4 += four;
			}
			for (v += (uint32_t)k; k < cnt; k++)
				m[k] = v++;
			out->len += j - i;
			out->s[out->len] = 0;
			i = j;
			continue;
		}
		size_t n = utf8_valid(u + i, len - i);
		if (n == 1) {
			e = put_cp(out, u[i], i, rep);
		} else if (n) {
			(*multi)++;
			e = cn_tb_put(out, (const char *)u + i, n, (uint32_t)i);
		} else {
			/* one U+FFFD per maximal invalid run of continuation bytes */
			(*rep)++;
			(*bad)++;
			e = cn_tb_putcp(out, 0xFFFD, (uint32_t)i);
			n = 1;
			while (i + n < len && (u[i + n] & 0xC0) == 0x80 && n < 4)
				n++;
		}
		i += n;
	}
	return e;
}

static cr_err conv_utf16(const unsigned char *u, size_t len, size_t start, int be, cn_tb *out,
			 unsigned *rep)
{
	cr_err e = CR_OK;
	for (size_t i = start; i + 1 < len && !e; i += 2) {
		uint32_t c = be ? (uint32_t)(u[i] << 8 | u[i + 1]) : (uint32_t)(u[i + 1] << 8 | u[i]);
		size_t at = i;
		if (c >= 0xD800 && c < 0xDC00 && i + 3 < len) {
			uint32_t d = be ? (uint32_t)(u[i + 2] << 8 | u[i + 3])
					: (uint32_t)(u[i + 3] << 8 | u[i + 2]);
			if (d >= 0xDC00 && d < 0xE000) {
				c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
				i += 2;
			}
		}
		if (c == 0 || (c >= 0xD800 && c < 0xE000)) {
			(*rep)++;
			c = c ? 0xFFFD : ' ';
		}
		e = put_cp(out, c, at, rep);
	}
	return e;
}

static cr_err conv_legacy(const unsigned char *u, size_t len, enum charset cs, cn_tb *out,
			  unsigned *rep)
{
	cr_err e = cn_tb_reserve(out, len + len / 4);
	for (size_t i = 0; i < len && !e; i++) {
		unsigned char c = u[i];
		uint32_t cp = c;
		if (c >= 0x80 && c <= 0x9F) {
			cp = cs == CS_1252 ? cp1252_c1[c - 0x80] : 0;
			if (!cp) {
				(*rep)++;
				cp = 0xFFFD;
			}
		} else if (cs == CS_8859_15) {
			cp = latin9(c);
		}
		e = put_cp(out, cp, i, rep);
	}
	return e;
}

cr_err cn_enc_decode(const char *raw, size_t len, const char *declared, cn_tb *out,
		     cn_enc_result *res, char *why, size_t whylen)
{
	const unsigned char *u = (const unsigned char *)raw;
	enum charset cs = CS_NONE;
	size_t start = 0;
	memset(res, 0, sizeof *res);
	res->raw_unit = 1;
	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		cs = CS_UTF8;
		start = 3;
	} else if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
		cs = u[0] == 0xFF ? CS_UTF16LE : CS_UTF16BE;
		start = 2;
	} else {
		cr_err e = sniff(u, len, &cs, why, whylen);
		if (e)
			return e;
	}
	if (cs == CS_UTF16LE || cs == CS_UTF16BE) {
		res->name = cs_names[cs];
		res->raw_unit = 2;
		return conv_utf16(u, len, start, cs == CS_UTF16BE, out, &res->repaired);
	}
	size_t multi = 0, bad = 0;
	if (cs == CS_UTF8 || cs == CS_NONE) {
		cr_err e = conv_utf8(u, len, start, out, &res->repaired, &multi, &bad);
		/* mostly valid UTF-8 (or declared so by a BOM): keep, repaired */
		if (e || cs == CS_UTF8 || bad == 0 || multi > bad) {
			res->name = cs_names[CS_UTF8];
			return e;
		}
		out->len = 0;
		out->s[0] = 0;
		res->repaired = 0;
	}
	enum charset decl = declared ? cs_from_label(declared, strlen(declared)) : CS_NONE;
	if (decl == CS_NONE)
		decl = cs_declared(raw, len);
	cs = legacy_pick(u, len, decl);
	res->name = cs_names[cs];
	return conv_legacy(u, len, cs, out, &res->repaired);
}

size_t cn_enc_charlen(const char *raw, size_t len, size_t off, const cn_enc_result *res)
{
	if (off >= len)
		return 0;
	if (res->raw_unit == 2)
		return off + 2 <= len ? 2 : len - off;
	if (res->name && strcmp(res->name, "utf-8") == 0) {
		size_t n = utf8_valid((const unsigned char *)raw + off, len - off);
		return n ? n : 1;
	}
	return 1;
}
