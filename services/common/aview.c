/* Work{article} read in place (see aview.h). The wire rules followed are
 * libprotobuf-c 1.4's unpack (varints of at most 10 bytes, length prefixes
 * of at most 5 bytes and INT_MAX, required fields present, a uint32 keeps the
 * low 32 bits); tags are taken only in their minimal one- or two-byte form,
 * which is how every field number of the article is written. The content
 * checks are check_article's (common/codec.c) on the bytes up to each
 * string's first NUL, which is the C string the decoder hands out. */
#include "common/aview.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "common/codec.h"
#include "common/utf8.h"

#define NFIELDS 20          /* Article field numbers 1..19 (proto/courant.proto) */
#define SHORT_MAX 4096u     /* codec.c's bound on names, urls, titles */
/* Upper bound of what unpacking adds per sentence to the decoder's arena: the
 * message rounded to 16 bytes, its pointer, the unpacker's record of the
 * field (32 bytes, in slabs that double: twice that). */
#define SENTENCE_COST ((sizeof(Courant__Sentence) + 15) / 16 * 16 + 8 + 2 * 32)
#define ARENA_SLACK (1u << 20) /* codec.c: the arena cap is 8 x the frame + this */

enum { K_NONE, K_VARINT, K_STR, K_BYTES, K_FIXED32, K_SENTENCE };

static const unsigned char kind[NFIELDS] = {
	K_NONE,   K_VARINT, K_STR, K_VARINT, K_VARINT, K_STR,   K_STR,  K_STR,    K_STR,    K_STR,
	K_BYTES,  K_STR,    K_STR, K_FIXED32, K_SENTENCE, K_STR, K_STR, K_VARINT, K_VARINT, K_STR,
};

/* check_article's length bound of each string field (0: not a string). */
static const unsigned max_len[NFIELDS] = {
	[2] = CR_MAX_ID, [5] = SHORT_MAX, [6] = SHORT_MAX, [7] = SHORT_MAX, [8] = 64, [9] = 128,
	[11] = CR_MAX_FRAME, [12] = 32, [15] = SHORT_MAX, [16] = 64, [19] = 32,
};

typedef struct fval {
	const uint8_t *p; /* length-delimited value */
	size_t n;
	uint64_t v;       /* varint */
	int seen;
} fval;

/* A tag in its minimal form of one or two bytes; field 0 refused. */
static inline int get_tag(const uint8_t **p, const uint8_t *end, uint32_t *field, int *wt)
{
	const uint8_t *q = *p;
	uint32_t t;
	if (q >= end)
		return -1;
	if (!(q[0] & 0x80)) {
		t = q[0];
		*p = q + 1;
	} else if (end - q >= 2 && q[1] && !(q[1] & 0x80)) {
		t = (uint32_t)(q[0] & 0x7f) | (uint32_t)q[1] << 7;
		*p = q + 2;
	} else {
		return -1;
	}
	*field = t >> 3;
	*wt = (int)(t & 7);
	return *field ? 0 : -1;
}

static inline int get_varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	const uint8_t *q = *p;
	uint64_t x = 0;
	if (q < end && !(*q & 0x80)) { /* most values: one byte */
		*v = *q;
		*p = q + 1;
		return 0;
	}
	if (end - q >= 2 && !(q[1] & 0x80)) { /* text offsets: two */
		*v = (uint64_t)(q[0] & 0x7f) | (uint64_t)q[1] << 7;
		*p = q + 2;
		return 0;
	}
	for (unsigned s = 0; s < 70 && q < end; s += 7) {
		uint8_t b = *q++;
		x |= (uint64_t)(b & 0x7f) << s;
		if (!(b & 0x80)) {
			*v = x;
			*p = q;
			return 0;
		}
	}
	return -1;
}

static inline int get_len(const uint8_t **p, const uint8_t *end, fval *f)
{
	const uint8_t *q = *p;
	uint64_t x = 0;
	for (unsigned i = 0;; i++) {
		uint8_t b;
		if (i == 5 || q >= end)
			return -1;
		b = *q++;
		x |= (uint64_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80))
			break;
	}
	if (x > INT_MAX || x > (uint64_t)(end - q))
		return -1;
	f->p = q;
	f->n = (size_t)x;
	*p = q + x;
	return 0;
}

/* One sentence: start and end present, each of the four fields at most once,
 * start <= end. Its fields are 1..4: their minimal tags are one byte. */
static inline int sentence(const uint8_t *p, size_t n, uint32_t *start, uint32_t *stop)
{
	const uint8_t *end = p + n;
	unsigned seen = 0;
	while (p < end) {
		unsigned t = *p++, f = t >> 3;
		uint64_t v;
		if ((t & 0x87) || f < 1 || f > 4 || (seen & 1u << f))
			return -1; /* a long tag, another wire type or field, a repeat */
		seen |= 1u << f;
		if (p < end && !(p[0] & 0x80)) {
			v = p[0];
			p++;
		} else if (end - p >= 2 && !(p[1] & 0x80)) {
			v = (uint64_t)(p[0] & 0x7f) | (uint64_t)p[1] << 7;
			p += 2;
		} else if (get_varint(&p, end, &v)) {
			return -1;
		}
		if (f == 1)
			*start = (uint32_t)v;
		else if (f == 2)
			*stop = (uint32_t)v;
	}
	return (seen & 6) == 6 && *start <= *stop ? 0 : -1;
}

/* What the first pass learns of the sentences: their count, their largest
 * end, and the bounds of the first KEPT (the rest are read again later). */
#define KEPT 512
typedef struct sents {
	size_t n;
	uint32_t maxend;
	uint32_t b[2 * KEPT];
} sents;

/* One field of the article into f[]; sentences into *ss. */
static int article_field(const uint8_t **p, const uint8_t *end, fval *f, sents *ss)
{
	uint32_t num, s0 = 0, s1 = 0;
	int wt;
	fval x = {NULL, 0, 0, 1};
	if (get_tag(p, end, &num, &wt) || num >= NFIELDS)
		return -1;
	switch (kind[num]) {
	case K_VARINT:
		if (wt != 0 || get_varint(p, end, &x.v))
			return -1;
		break;
	case K_FIXED32:
		if (wt != 5 || end - *p < 4)
			return -1;
		*p += 4;
		break;
	case K_STR:
	case K_BYTES:
	case K_SENTENCE:
		if (wt != 2 || get_len(p, end, &x))
			return -1;
		break;
	default:
		return -1;
	}
	if (kind[num] == K_SENTENCE) {
		if (sentence(x.p, x.n, &s0, &s1))
			return -1;
		if (ss->n < KEPT) {
			ss->b[2 * ss->n] = s0;
			ss->b[2 * ss->n + 1] = s1;
		}
		ss->n++;
		if (s1 > ss->maxend)
			ss->maxend = s1;
		return 0;
	}
	if (f[num].seen) /* unpack would keep the last: not the common shape */
		return -1;
	f[num] = x;
	return 0;
}

/* check_article's verdict on the string fields, on their C-string prefix;
 * eff[i] gets that prefix's length. */
static int strings_ok(const fval *f, size_t *eff)
{
	for (unsigned i = 1; i < NFIELDS; i++) {
		const uint8_t *nul;
		if (kind[i] != K_STR || !f[i].seen)
			continue;
		nul = f[i].n ? memchr(f[i].p, 0, f[i].n) : NULL;
		eff[i] = nul ? (size_t)(nul - f[i].p) : f[i].n;
		if (eff[i] > max_len[i] || !cr_utf8_valid(f[i].p, eff[i]))
			return -1;
	}
	if (!eff[2]) /* the id: not empty, no control character */
		return -1;
	for (size_t k = 0; k < eff[2]; k++)
		if (f[2].p[k] < 0x20 || f[2].p[k] == 0x7f)
			return -1;
	return 0;
}

/* The Work level: exactly one version (1) and one article; *a is the article. */
static int work_level(const uint8_t *p, size_t len, fval *a)
{
	const uint8_t *end = p + len;
	int version = 0;
	a->seen = 0;
	while (p < end) {
		uint32_t num;
		int wt;
		uint64_t v;
		if (get_tag(&p, end, &num, &wt))
			return -1;
		if (num == 1 && wt == 0 && !version) {
			if (get_varint(&p, end, &v) || v != CR_SCHEMA_VERSION)
				return -1;
			version = 1;
		} else if (num == 2 && wt == 2 && !a->seen) {
			if (get_len(&p, end, a))
				return -1;
			a->seen = 1;
		} else {
			return -1;
		}
	}
	return version && a->seen ? 0 : -1;
}

static char *put_str(char **w, const fval *f, size_t n)
{
	char *s = *w;
	if (!f->seen)
		return NULL;
	memcpy(s, f->p, n);
	s[n] = '\0';
	*w = s + n + 1;
	return s;
}

/* Copy the strings and the sentence bounds into one block. */
static int fill(cr_aview *v, const fval *f, const size_t *eff, const fval *art, const sents *ss)
{
	static const unsigned copied[] = {2, 7, 8, 12, 11};
	size_t need = v->n_sentences * 2 * sizeof(uint32_t), k = 0;
	const uint8_t *p = art->p, *end = art->p + art->n;
	uint32_t *b;
	char *w;
	for (unsigned i = 0; i < sizeof copied / sizeof *copied; i++)
		need += eff[copied[i]] + 1;
	if (!(v->mem = malloc(need)))
		return -1;
	b = v->mem;
	if (v->n_sentences <= KEPT) {
		memcpy(b, ss->b, v->n_sentences * 2 * sizeof *b);
		k = v->n_sentences;
	}
	while (k < v->n_sentences && p < end) {
		uint32_t num = 0;
		int wt = 0;
		fval x = {NULL, 0, 0, 0};
		uint64_t dummy;
		if (get_tag(&p, end, &num, &wt)) /* the first pass read these bytes */
			break;
		if (wt == 0)
			get_varint(&p, end, &dummy);
		else if (wt == 5)
			p += 4;
		else
			get_len(&p, end, &x);
		if (num == 14 && sentence(x.p, x.n, &b[2 * k], &b[2 * k + 1]) == 0)
			k++;
	}
	w = (char *)(b + 2 * v->n_sentences);
	v->bounds = v->n_sentences ? b : NULL; /* none: cx_extract splits (extract.h) */
	v->id = put_str(&w, &f[2], eff[2]);
	v->title = put_str(&w, &f[7], eff[7]);
	v->published = put_str(&w, &f[8], eff[8]);
	v->lang = put_str(&w, &f[12], eff[12]);
	v->text = put_str(&w, &f[11], eff[11]);
	v->text_len = eff[11];
	return 0;
}

int cr_aview_read(const void *frame, size_t len, cr_aview *v)
{
	const uint8_t *p, *end;
	fval f[NFIELDS], art = {NULL, 0, 0, 0};
	size_t eff[NFIELDS] = {0};
	sents ss;

	memset(v, 0, sizeof *v);
	if (!frame || len > CR_MAX_FRAME || work_level(frame, len, &art))
		return -1;
	memset(f, 0, sizeof f);
	ss.n = 0;
	ss.maxend = 0;
	for (p = art.p, end = art.p + art.n; p < end;)
		if (article_field(&p, end, f, &ss))
			return -1;
	if (!f[1].seen || f[1].v != CR_SCHEMA_VERSION || !f[2].seen || !f[3].seen)
		return -1;
	/* beyond this many sentences the decoder's arena cap could refuse the frame */
	if (2 * len + 4096 + ss.n * SENTENCE_COST > 8 * len + ARENA_SLACK)
		return -1;
	if ((f[10].seen && f[10].n > CR_MAX_ARTICLE) || strings_ok(f, eff) || (ss.n && ss.maxend > eff[11]))
		return -1;
	v->seq = f[3].v;
	v->attempt = f[4].seen ? (uint32_t)f[4].v : 0;
	v->raw = f[10].seen && f[10].n ? f[10].p : NULL;
	v->raw_len = f[10].seen ? f[10].n : 0;
	v->n_sentences = ss.n;
	v->article_off = (size_t)(art.p - (const uint8_t *)frame);
	v->article_len = art.n;
	if (fill(v, f, eff, &art, &ss)) {
		memset(v, 0, sizeof *v);
		return -1;
	}
	return 0;
}

void cr_aview_fini(cr_aview *v)
{
	free(v->mem);
	memset(v, 0, sizeof *v);
}
