/* Store-in decoder that leaves the article body out of the unpack (see
 * lite.h). The frame has passed cr_peek_work before any scan here, so every
 * tag, length and wire type is the schema's; the scans still bound every
 * read. */
#include "store/lite.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/codec.h"
#include "common/peek.h"
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

/* What the left-out fields of an article hold. */
struct body {
	const uint8_t *text;
	size_t textlen, rawlen, nsent;
	int ntext, nraw;
	uint32_t maxend;  /* largest sentence end */
	int bad;          /* a sentence starts after its end, or is unusual */
	size_t removed;   /* bytes left out, tags included */
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
	return n == 1 && out->wt == 2 ? 0 : -1;
}

/* One sentence: start/end (last occurrence wins, as in unpack). */
static void sentence(struct body *b, const uint8_t *p, size_t len)
{
	const uint8_t *end = p + len;
	uint32_t start = 0, stop = 0;
	struct field f;
	int n = 0;
	while (p < end && !b->bad) {
		if (next(&p, end, &f) || ++n > SENTENCE_FIELDS || f.wt != 0 || f.num < 1 || f.num > 4)
			b->bad = 1; /* unknown fields would take arena space: unpack all */
		else if (f.num == 1)
			start = (uint32_t)f.v;
		else if (f.num == 2)
			stop = (uint32_t)f.v;
	}
	if (start > stop)
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

/* What check_article (common/codec.c) asks of the left-out fields, and
 * that the whole unpack stays under the codec's arena cap, 8 bytes per frame
 * byte plus slack, whenever the stripped one does: what they add must be
 * within 8 bytes per byte left out. */
static int body_ok(const struct body *b)
{
	size_t tl = b->text ? strnlen((const char *)b->text, b->textlen) : 0; /* C string */
	size_t extra = b->rawlen + b->textlen + 3 * 16 + 8 * b->nsent + b->nsent * SENTENCE_COST + 3 * 128;
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

/* The frame without the article's raw, text and sentences, in a malloc'd
 * buffer; NULL when that cannot be done or is not worth it. */
static uint8_t *slim_frame(const uint8_t *buf, size_t len, size_t *outlen)
{
	struct field x, a;
	struct body b;
	uint8_t *out, *tmp, *w, lenbuf[CR_WIRE_VARINT_MAX];
	long alen;
	size_t xlen, room = len + 4 * CR_WIRE_VARINT_MAX;

	memset(&b, 0, sizeof b);
	if (only(buf, len, 3, &x) || only(x.val, x.len, 2, &a) || !(out = malloc(room + a.len)))
		return NULL;
	tmp = out + room; /* the stripped article, before it is placed */
	alen = strip_article(a.val, a.len, tmp, &b);
	if (alen < 0 || !body_ok(&b)) {
		free(out);
		return NULL;
	}
	xlen = (size_t)(a.start - x.val) + 1 + cr_wire_varint(lenbuf, (uint64_t)alen) + (size_t)alen +
	       (size_t)(x.val + x.len - a.end);
	w = put(out, buf, x.start);
	*w++ = (3u << 3) | 2; /* Work.extraction */
	w += cr_wire_varint(w, xlen);
	w = put(w, x.val, a.start);
	*w++ = (2u << 3) | 2; /* Extraction.article */
	w += cr_wire_varint(w, (uint64_t)alen);
	w = put(w, tmp, tmp + alen);
	w = put(w, a.end, x.val + x.len);
	w = put(w, x.end, buf + len);
	*outlen = (size_t)(w - out);
	return out;
}

cr_err st_lite_decode_work(const void *buf, size_t len, Courant__Work **out, int *slim, char *why,
			   size_t whylen)
{
	int payload = 0;
	uint8_t *copy = NULL;
	size_t clen = 0;
	cr_err err;

	*slim = 0;
	if (buf && len >= SLIM_MIN && !cr_peek_work(buf, len, &payload, NULL, 0) && payload == 3)
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
