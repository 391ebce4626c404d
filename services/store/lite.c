/* Store-in decoder that leaves the article body out of the unpack (see
 * lite.h). Every byte it does not strip is judged by cr_decode_work on the
 * slim copy; what it strips (and the tags it rewrites) it checks itself to
 * libprotobuf-c 1.4's rules, strictly: anything protobuf-c might read
 * otherwise sends the frame to the full decoder. The scans bound every
 * read. */
#include "store/lite.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/codec.h"
#include "common/utf8.h"
#include "common/wire.h"

#define F_RAW 10 /* Article fields left out (proto/courant.proto) */
#define F_TEXT 11
#define F_SENTENCES 14
#define SLIM_MIN 512        /* below this many bytes left out, unpack all */
#define SENTENCE_FIELDS 8   /* more fields in one sentence: unpack all */
/* Upper bound of what one sentence adds to the codec's arena when unpacked:
 * the message (16-byte rounded), its pointer in the array, and the
 * unpacker's record of the field in the article (slabs double: twice). */
#define SENTENCE_COST ((sizeof(Courant__Sentence) + 15) / 16 * 16 + 8 + 2 * 64)
/* An entity: its message, pointer and field record in the extraction, as
 * for a sentence; each string its bytes, NUL and alignment, each alias a
 * pointer more. At most ENTITY_FIELDS fields (no slab of field records). */
#define ENTITY_COST ((sizeof(Courant__Entity) + 15) / 16 * 16 + 8 + 2 * 64 + 16)
#define ENTITY_FIELDS 16
#define F_ENTITIES 3 /* Extraction field left out */

/* What the left-out fields of an article hold. */
struct body {
	const uint8_t *text;
	size_t textlen, rawlen, nsent;
	int ntext, nraw;
	uint32_t maxend;  /* largest sentence end */
	int bad;          /* a sentence starts after its end, or is unusual */
	size_t removed;   /* bytes left out, tags included */
	size_t ecost;     /* what the entities left out add to an unpack (ENTITY_COST) */
};

struct field {
	uint32_t num; /* as protobuf-c reads it: modulo 2^32 */
	int wt;
	const uint8_t *start, *val, *end; /* tag, value, next field */
	size_t len;                       /* length-delimited value */
	uint64_t v;                       /* varint value */
};

/* The field at *p; -1 at a bad encoding. */
static int next(const uint8_t **p, const uint8_t *end, struct field *f)
{
	uint64_t key, n = 0;
	f->start = *p;
	if (cr_wire_get_varint(p, end, &key))
		return -1;
	f->num = (uint32_t)(key >> 3);
	f->wt = (int)(key & 7);
	f->v = 0;
	f->val = *p;
	switch (f->wt) {
	case 0: return cr_wire_get_varint(p, end, &f->v) ? -1 : (f->end = *p, 0);
	case 1: n = 8; break;
	case 5: n = 4; break;
	case 2:
		if (cr_wire_get_varint(p, end, &n))
			return -1;
		f->val = *p;
		break;
	default: return -1;
	}
	if (n > (uint64_t)(end - *p))
		return -1;
	f->len = (size_t)n;
	*p += n;
	f->end = *p;
	return 0;
}

/* Is f a length-delimited field written as protobuf-c reads it wherever it
 * could be written: the one-byte tag `tag`, a length prefix of at most 5
 * bytes and INT_MAX (libprotobuf-c 1.4's limits)? The fields the slim copy
 * drops or re-tags must be, so that no other reading of them is possible. */
static int canonical(const struct field *f, uint8_t tag)
{
	return f->start[0] == tag && f->val - f->start - 1 <= 5 && f->len <= INT_MAX;
}

/* The only occurrence of length-delimited field `num`; -1 when it is absent,
 * repeated (unpack would merge) or the bytes do not parse. */
static int only(const uint8_t *buf, size_t len, uint32_t num, struct field *out)
{
	const uint8_t *p = buf, *end = buf + len;
	struct field f;
	int n = 0;
	while (p < end) {
		if (next(&p, end, &f))
			return -1;
		if (f.num == num) {
			*out = f;
			n++;
		}
	}
	return n == 1 && out->wt == 2 && canonical(out, (uint8_t)(num << 3 | 2)) ? 0 : -1;
}

/* One sentence: start/end (last occurrence wins, as in unpack). Only the
 * plain form is taken: one-byte tags of fields 1..4, varint values (at most
 * 10 bytes: next()), both required fields present; anything else is `bad`
 * (unknown fields would also take arena space): the frame is unpacked
 * whole. */
static void sentence(struct body *b, const uint8_t *p, size_t len)
{
	const uint8_t *end = p + len;
	uint32_t start = 0, stop = 0;
	struct field f;
	int n = 0, seen = 0;
	while (p < end && !b->bad) {
		if (next(&p, end, &f) || ++n > SENTENCE_FIELDS || f.wt != 0 || f.num < 1 || f.num > 4 ||
		    f.start[0] != (uint8_t)(f.num << 3))
			b->bad = 1;
		else if (f.num == 1)
			start = (uint32_t)f.v, seen |= 1;
		else if (f.num == 2)
			stop = (uint32_t)f.v, seen |= 2;
	}
	if (start > stop || seen != 3)
		b->bad = 1;
	if (stop > b->maxend)
		b->maxend = stop;
}

/* Copy article `a` without raw, text and sentences into out (>= alen
 * bytes), noting what they hold; returns the bytes written, -1 on a bad
 * encoding. */
static long strip_article(const uint8_t *a, size_t alen, uint8_t *out, struct body *b)
{
	const uint8_t *p = a, *end = a + alen;
	struct field f;
	long n = 0;
	while (p < end) {
		if (next(&p, end, &f))
			return -1;
		if (f.wt != 2 || (f.num != F_RAW && f.num != F_TEXT && f.num != F_SENTENCES)) {
			memcpy(out + n, f.start, (size_t)(f.end - f.start));
			n += f.end - f.start;
			continue;
		}
		if (!canonical(&f, (uint8_t)(f.num << 3 | 2)))
			return -1;
		b->removed += (size_t)(f.end - f.start);
		if (f.num == F_RAW) {
			b->nraw++;
			b->rawlen = f.len;
		} else if (f.num == F_TEXT) {
			b->ntext++;
			b->text = f.val;
			b->textlen = f.len;
		} else {
			b->nsent++;
			sentence(b, f.val, f.len);
		}
	}
	return n;
}

/* The store never reads an extraction's entities either (they stay in the
 * stored bytes). An entity is left out when it is in the plain form (one
 * known field per one-byte tag, each non-repeated field once, its type
 * present and known) and passes check_entity (common/codec.c): no string
 * over its bound or not UTF-8; a NUL inside a string (the codec would check
 * only what is before it) is unusual too. 0 when left out. */
static int entity(struct body *b, const struct field *e)
{
	/* max bytes of the string fields 2..7 (name code role country acronym alias) */
	static const size_t max[8] = {0, 0, 4096, 64, 4096, 64, 256, 4096};
	const uint8_t *p = e->val, *end = e->val + e->len;
	struct field f;
	unsigned seen = 0;
	size_t cost = ENTITY_COST;
	int n = 0;
	while (p < end) {
		if (next(&p, end, &f) || ++n > ENTITY_FIELDS || f.num < 1 || f.num > 8 ||
		    f.start[0] != (uint8_t)(f.num << 3 | (f.num == 1 || f.num == 8 ? 0 : 2)))
			return -1;
		if (f.num != 7 && (seen & (1u << f.num)))
			return -1;
		seen |= 1u << f.num;
		if (f.num == 1 && f.v > COURANT__ENTITY_TYPE__DATE)
			return -1;
		if (f.num == 1 || f.num == 8)
			continue;
		if (f.len > max[f.num] || memchr(f.val, 0, f.len) || !cr_utf8_valid((const char *)f.val, f.len))
			return -1;
		cost += f.len + 16 + (f.num == 7 ? 8 : 0);
	}
	if (!(seen & 2))
		return -1;
	b->ecost += cost;
	b->removed += (size_t)(e->end - e->start);
	return 0;
}

/* What check_article (common/codec.c) asks of the left-out fields, and
 * that the whole unpack stays under the codec's arena cap, 8 bytes per frame
 * byte plus slack, whenever the stripped one does: what they add must be
 * within 8 bytes per byte left out. */
static int body_ok(const struct body *b)
{
	size_t tl = b->text ? strnlen((const char *)b->text, b->textlen) : 0; /* C string */
	size_t extra = b->rawlen + b->textlen + 3 * 16 + 8 * b->nsent + b->nsent * SENTENCE_COST + 3 * 128 + b->ecost;
	if (b->bad || b->nraw > 1 || b->ntext > 1 || b->removed < SLIM_MIN || extra > 8 * b->removed)
		return 0;
	if (b->rawlen > CR_MAX_ARTICLE || (b->text && !cr_utf8_valid(b->text, tl)))
		return 0;
	return !b->nsent || b->maxend <= tl;
}

static uint8_t *put(uint8_t *w, const uint8_t *from, const uint8_t *to)
{
	memcpy(w, from, (size_t)(to - from));
	return w + (to - from);
}

/* The extraction's fields (x: its value) into out, the article a replaced
 * by its stripped form (art[0..alen)) and the entities left out; the bytes
 * written, -1 when an entity is not to be left out. */
static long slim_extraction(const struct field *x, const struct field *a, const uint8_t *art, long alen,
			    uint8_t *out, struct body *b)
{
	const uint8_t *p = x->val, *end = x->val + x->len;
	struct field f;
	uint8_t *w = out;
	while (p < end) {
		if (next(&p, end, &f))
			return -1;
		if (f.start == a->start) {
			*w++ = (2u << 3) | 2; /* Extraction.article */
			w += cr_wire_varint(w, (uint64_t)alen);
			w = put(w, art, art + alen);
		} else if (f.num == F_ENTITIES) {
			if (f.wt != 2 || !canonical(&f, (F_ENTITIES << 3) | 2) || entity(b, &f))
				return -1;
		} else {
			w = put(w, f.start, f.end);
		}
	}
	return w - out;
}

/* The frame without the article's raw, text and sentences and without the
 * entities, in a malloc'd buffer; NULL when that cannot be done or is not
 * worth it. */
static uint8_t *slim_frame(const uint8_t *buf, size_t len, size_t *outlen)
{
	struct field x, a;
	struct body b;
	uint8_t *out, *tmp, *xb, *w;
	long alen, xlen;
	size_t room = len + 4 * CR_WIRE_VARINT_MAX;

	memset(&b, 0, sizeof b);
	if (only(buf, len, 3, &x) || only(x.val, x.len, 2, &a) || !(out = malloc(room + a.len + x.len + 16)))
		return NULL;
	tmp = out + room; /* the stripped article, then the extraction, before they are placed */
	xb = tmp + a.len;
	alen = strip_article(a.val, a.len, tmp, &b);
	xlen = alen < 0 ? -1 : slim_extraction(&x, &a, tmp, alen, xb, &b);
	if (xlen < 0 || !body_ok(&b)) {
		free(out);
		return NULL;
	}
	w = put(out, buf, x.start);
	*w++ = (3u << 3) | 2; /* Work.extraction */
	w += cr_wire_varint(w, (uint64_t)xlen);
	w = put(w, xb, xb + xlen);
	w = put(w, x.end, buf + len);
	*outlen = (size_t)(w - out);
	return out;
}

cr_err st_lite_decode_work(const void *buf, size_t len, Courant__Work **out, int *slim, char *why,
			   size_t whylen)
{
	uint8_t *copy = NULL;
	size_t clen = 0;
	cr_err err;

	*slim = 0;
	/* over the cap: the codec refuses the frame, not its smaller copy */
	if (buf && len >= SLIM_MIN && len <= CR_MAX_FRAME)
		copy = slim_frame(buf, len, &clen);
	if (!copy)
		return cr_decode_work(buf, len, out, why, whylen);
	err = cr_decode_work(copy, clen, out, NULL, 0);
	free(copy);
	if (err) /* the codec's verdict and reason on the whole frame */
		return cr_decode_work(buf, len, out, why, whylen);
	if (why && whylen)
		why[0] = '\0';
	*slim = 1;
	return CR_OK;
}
