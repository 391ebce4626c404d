/* URL canonicalisation and content hashing for duplicate detection. */
#include "ingest/canon.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const tracking[] = {
	"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "_ga", "igshid", "yclid", "_hsenc", "_hsmi",
};

static int is_tracking(const char *k, size_t n)
{
	if (n >= 4 && strncasecmp(k, "utm_", 4) == 0)
		return 1;
	for (size_t i = 0; i < sizeof tracking / sizeof tracking[0]; i++)
		if (strlen(tracking[i]) == n && strncasecmp(k, tracking[i], n) == 0)
			return 1;
	return 0;
}

typedef struct out {
	char *p;
	size_t n, cap;
	int over;
} out;

static void put(out *o, const char *s, size_t n)
{
	if (o->n + n + 1 > o->cap) {
		o->over = 1;
		return;
	}
	memcpy(o->p + o->n, s, n);
	o->n += n;
	o->p[o->n] = '\0';
}

static void put_lower(out *o, const char *s, size_t n)
{
	size_t start = o->n;
	put(o, s, n);
	if (!o->over)
		for (size_t i = start; i < o->n; i++)
			o->p[i] = (char)tolower((unsigned char)o->p[i]);
}

/* Query string without tracking parameters, '&'-joined, original order. */
static void put_query(out *o, const char *q, size_t n)
{
	int first = 1;
	size_t i = 0;
	while (i < n) {
		size_t j = i, k;
		while (j < n && q[j] != '&')
			j++;
		for (k = i; k < j && q[k] != '='; k++)
			;
		if (j > i && !is_tracking(q + i, k - i)) {
			put(o, first ? "?" : "&", 1);
			put(o, q + i, j - i);
			first = 0;
		}
		i = j + 1;
	}
}

cr_err ic_canon_url(const char *url, char *buf, size_t buflen)
{
	out o = {buf, 0, buflen, 0};
	const char *p = url, *sep, *host, *hend, *path, *q, *frag, *end;
	size_t hlen;

	if (!url || !buflen)
		return CR_EINVAL;
	while (*p && isspace((unsigned char)*p))
		p++;
	end = p + strlen(p);
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	sep = strstr(p, "://");
	if (!sep || sep == p || sep >= end)
		return CR_EINVAL;
	for (const char *s = p; s < sep; s++)
		if (!isalnum((unsigned char)*s) && *s != '+' && *s != '-' && *s != '.')
			return CR_EINVAL;
	frag = memchr(p, '#', (size_t)(end - p));
	if (frag)
		end = frag;
	host = sep + 3;
	for (hend = host; hend < end && *hend != '/' && *hend != '?'; hend++)
		;
	if (hend == host)
		return CR_EINVAL;
	put_lower(&o, p, (size_t)(sep - p));
	put(&o, "://", 3);
	hlen = (size_t)(hend - host);
	/* default ports say nothing */
	if ((sep - p == 4 && strncasecmp(p, "http", 4) == 0 && hlen > 3 && !strncmp(hend - 3, ":80", 3)) ||
	    (sep - p == 5 && strncasecmp(p, "https", 5) == 0 && hlen > 4 && !strncmp(hend - 4, ":443", 4)))
		hlen -= (size_t)(strncasecmp(p, "https", 5) == 0 ? 4 : 3);
	put_lower(&o, host, hlen);
	path = hend;
	q = memchr(path, '?', (size_t)(end - path));
	if (!q)
		q = end;
	if (q == path)
		put(&o, "/", 1);
	else
		put(&o, path, (size_t)(q - path));
	if (q < end)
		put_query(&o, q + 1, (size_t)(end - q - 1));
	return o.over ? CR_ETOOBIG : CR_OK;
}

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

/* Two independent 64-bit lanes fed byte by byte through a streaming state. */
typedef struct hstate {
	uint64_t a, b, n;
} hstate;

static void h_init(hstate *s)
{
	s->a = 0x9e3779b97f4a7c15ull;
	s->b = 0x6a09e667f3bcc909ull;
	s->n = 0;
}

static void h_byte(hstate *s, unsigned char c)
{
	s->a = (s->a ^ c) * 0x100000001b3ull;
	s->b = (s->b + c + 1) * 0xc2b2ae3d27d4eb4full;
	s->b ^= s->b >> 29;
	s->n++;
}

static void h_final(hstate *s, uint8_t out[16])
{
	uint64_t x = mix(s->a ^ s->n), y = mix(s->b + mix(s->a));
	for (int i = 0; i < 8; i++) {
		out[i] = (uint8_t)(x >> (8 * i));
		out[8 + i] = (uint8_t)(y >> (8 * i));
	}
}

void ic_hash128(const void *p, size_t len, uint8_t out[16])
{
	hstate s;
	h_init(&s);
	for (size_t i = 0; i < len; i++)
		h_byte(&s, ((const unsigned char *)p)[i]);
	h_final(&s, out);
}

/* ---- content hash: whitespace-collapsed text, 8 bytes per step ----------
 * The text is hashed as if every run of ASCII whitespace were one space and
 * leading/trailing whitespace were absent. The text is folded (branch-free)
 * into a small buffer, which is hashed as 64-bit little-endian words in two
 * independent lanes. The value is persisted (journal dedup keys): changing
 * this function changes which stored texts match. */
typedef struct wstate {
	uint64_t a, b;
} wstate;

static inline uint64_t rotl(uint64_t x, unsigned r)
{
	return (x << r) | (x >> (64 - r));
}

static inline void w_word(wstate *s, uint64_t w)
{
	s->a = (rotl(s->a, 29) ^ (w * 0x9fb21c651e98df25ull)) * 0xff51afd7ed558ccdull;
	s->b = (rotl(s->b, 31) + (w ^ 0xd6e8feb86659fd93ull)) * 0xc4ceb9fe1a85ec53ull;
}

/* Nonzero when some byte of x is <= 0x20 (every whitespace byte is). */
static inline uint64_t has_low(uint64_t x)
{
	return (x - 0x2121212121212121ull) & ~x & 0x8080808080808080ull;
}

#define ONES 0x0101010101010101ull
#define HIGH 0x8080808080808080ull

/* Exactly the bytes of x below 0x21 (0x80 in each), no borrow between bytes. */
static inline uint64_t low_bytes(uint64_t x)
{
	return ~(((x & ~HIGH) + (0x80 - 0x21) * ONES) | x) & HIGH;
}

/* Exactly the bytes of x equal to ' ' (0x80 in each). */
static inline uint64_t space_bytes(uint64_t x)
{
	uint64_t z = x ^ (0x20 * ONES);
	return ~(((z & ~HIGH) + (~HIGH)) | z) & HIGH;
}

/* Text words: if the only bytes <= 0x20 in x are single spaces, none of
 * them first unless text came before, folding keeps x as it is. */
static inline int folds_to_itself(uint64_t x, unsigned after_text)
{
	uint64_t sp = space_bytes(x);
	return low_bytes(x) == sp && !(sp & (sp << 8)) && (after_text || !(sp & 0x80));
}

static inline uint64_t load_le(const unsigned char *p)
{
	uint64_t x;
	memcpy(&x, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	x = __builtin_bswap64(x);
#endif
	return x;
}

/* 1 for the bytes isspace() accepts in the C locale */
static const unsigned char ws_tab[256] = {['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1};

#define FOLD_BUF 512

void ic_text_hash(const void *text, size_t len, uint8_t out[16])
{
	const unsigned char *t = text;
	unsigned char buf[FOLD_BUF + 8];
	wstate s = {0x9e3779b97f4a7c15ull, 0x6a09e667f3bcc909ull};
	uint64_t total = 0, x, y, tail = 0;
	size_t i = 0, k = 0, words;
	unsigned after_text = 0; /* previous byte was not whitespace */

	while (i < len) {
		/* fold: a whitespace byte is kept (as ' ') only right after text;
		 * a trailing space is dropped at the end */
		while (i < len && k < FOLD_BUF) {
			if (i + 8 <= len && (!has_low(x = load_le(t + i)) || folds_to_itself(x, after_text))) {
				memcpy(buf + k, t + i, 8);
				k += 8;
				i += 8;
				after_text = t[i - 1] != ' ';
				continue;
			}
			unsigned c = t[i++], ws = ws_tab[c];
			buf[k] = ws ? ' ' : (unsigned char)c;
			k += (!ws) | after_text;
			after_text = !ws;
		}
		/* hash whole words, keeping at least the last byte (it may be a
		 * trailing space to drop) */
		words = k ? (k - 1) / 8 : 0;
		for (size_t w = 0; w < words; w++)
			w_word(&s, load_le(buf + 8 * w));
		total += 8 * words;
		memmove(buf, buf + 8 * words, k - 8 * words);
		k -= 8 * words;
	}
	if (k && buf[k - 1] == ' ')
		k--;
	if (k == 8) { /* a full last word goes in like any other: k stays < 8 */
		w_word(&s, load_le(buf));
		total += 8;
		k = 0;
	}
	for (size_t j = 0; j < k; j++)
		tail |= (uint64_t)buf[j] << (8 * j);
	total += k;
	w_word(&s, tail ^ ((uint64_t)k << 61));
	x = mix(s.a ^ total);
	y = mix(s.b + mix(s.a ^ 0x94d049bb133111ebull));
	for (int j = 0; j < 8; j++) {
		out[j] = (uint8_t)(x >> (8 * j));
		out[8 + j] = (uint8_t)(y >> (8 * j));
	}
}
