/* Batch frames; see batch.h. Read with common/wire's varint reader; the
 * top level is all there is to check, each element being judged later by
 * the receiver's decoder like any frame. */
#include "common/batch.h"

#include <stdlib.h>
#include <string.h>

#include "common/codec.h"
#include "common/wire.h"

#define WT_VARINT 0
#define WT_LEN 2

int cr_batch_open(const void *frame, size_t len, cr_batch_it *it)
{
	return cr_batch_open_field(frame, len, CR_BATCH_FIELD, 0, it);
}

int cr_batch_open_field(const void *frame, size_t len, unsigned bfield, unsigned head, cr_batch_it *it)
{
	const uint8_t *p = frame, *end = p + len, *first = NULL;
	uint64_t version = 0;
	int has_version = 0, other = 0, bad = 0;

	if (!frame || len > CR_MAX_FRAME)
		return 0; /* the decoder refuses it, as any frame */
	while (p < end) {
		uint64_t tag, v;
		const uint8_t *field = p;
		if (cr_wire_get_varint(&p, end, &tag) || tag > UINT32_MAX)
			return first ? -1 : 0;
		if ((tag & 7) == WT_VARINT) {
			if (cr_wire_get_varint(&p, end, &v))
				return first ? -1 : 0;
			if (tag >> 3 == 1) {
				has_version = 1;
				version = v;
			} else if (head && tag >> 3 == head) {
				/* allowed beside the elements */
			} else {
				other = 1;
			}
		} else if ((tag & 7) == WT_LEN) {
			if (cr_wire_get_varint(&p, end, &v) || v > (uint64_t)(end - p))
				return first ? -1 : 0;
			if (tag >> 3 == bfield) {
				if (!first)
					first = field;
				bad |= v == 0;
			} else {
				other = 1;
			}
			p += v;
		} else {
			/* other wire types have no place in a Work's top level: let
			 * the decoder say why, unless it claims to be a batch */
			other = 1;
			if (!first)
				return 0;
			return -1;
		}
	}
	if (!first)
		return 0;
	if (other || bad || !has_version || version != CR_SCHEMA_VERSION)
		return -1;
	it->p = first;
	it->end = end;
	return 1;
}

int cr_batch_next(cr_batch_it *it, const void **p, size_t *n)
{
	while (it->p < it->end) {
		uint64_t tag, v;
		if (cr_wire_get_varint(&it->p, it->end, &tag))
			return 0;
		if (cr_wire_get_varint(&it->p, it->end, &v)) /* version's value, or a length */
			return 0;
		if ((tag & 7) != WT_LEN)
			continue;
		*p = it->p;
		*n = (size_t)v;
		it->p += v;
		return 1;
	}
	return 0;
}

/* The frame starts with version (tag 1, varint) before the first element. */
static const uint8_t header[] = {0x08, CR_SCHEMA_VERSION};

void cr_batch_kind(cr_batch *b, unsigned field, unsigned status_field)
{
	b->field = field;
	b->status = status_field;
	memcpy(b->head, header, sizeof header);
	b->headlen = sizeof header;
	if (status_field) {
		b->head[b->headlen++] = (uint8_t)(status_field << 3 | WT_VARINT);
		b->head[b->headlen++] = 0;
	}
}

static size_t head_len(const cr_batch *b)
{
	return b->headlen ? b->headlen : sizeof header;
}

/* The element's tag: one byte for fields up to 15. */
static uint8_t elem_tag(const cr_batch *b)
{
	return (uint8_t)((b->field ? b->field : CR_BATCH_FIELD) << 3 | WT_LEN);
}

size_t cr_batch_size_with(const cr_batch *b, size_t n)
{
	size_t base = b->len ? b->len : head_len(b);
	return base + 1 + cr_wire_varint_size(n) + n;
}

uint8_t *cr_batch_reserve(cr_batch *b, size_t n)
{
	size_t need = cr_batch_size_with(b, n);
	uint8_t *at;
	if (need > b->cap) {
		size_t cap = b->cap ? b->cap : 64u << 10;
		uint8_t *nb;
		while (cap < need)
			cap *= 2;
		if (!(nb = realloc(b->buf, cap)))
			return NULL;
		b->buf = nb;
		b->cap = cap;
	}
	if (!b->len) {
		memcpy(b->buf, b->headlen ? b->head : header, head_len(b));
		b->len = head_len(b);
	}
	b->buf[b->len++] = elem_tag(b);
	b->len += cr_wire_varint(b->buf + b->len, n);
	at = b->buf + b->len;
	b->len += n;
	b->n++;
	return at;
}

cr_err cr_batch_add(cr_batch *b, const void *p, size_t n)
{
	uint8_t *at = cr_batch_reserve(b, n);
	if (!at)
		return CR_ENOMEM;
	if (n)
		memcpy(at, p, n);
	return CR_OK;
}

int cr_batch_single(const cr_batch *b, const void **p, size_t *n)
{
	cr_batch_it it;
	if (b->n != 1 || cr_batch_open_field(b->buf, b->len, b->field ? b->field : CR_BATCH_FIELD, b->status, &it) != 1)
		return 0;
	return cr_batch_next(&it, p, n);
}

void *cr_batch_take(cr_batch *b, size_t *len)
{
	void *p = b->buf;
	if (!b->n)
		return NULL;
	*len = b->len;
	b->buf = NULL;
	b->len = b->cap = 0;
	b->n = 0;
	return p;
}

void cr_batch_fini(cr_batch *b)
{
	free(b->buf);
	b->buf = NULL;
	b->len = b->cap = 0;
	b->n = 0;
}
