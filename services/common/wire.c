/* Protobuf wire-format primitives (see wire.h). */
#include "common/wire.h"

#include <string.h>

int cr_wire_get_varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	*v = 0;
	for (int shift = 0; shift < 64 && *p < end; shift += 7) {
		uint8_t b = *(*p)++;
		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return 0;
	}
	return -1;
}

/* Skip the value of a field of wire type `wt`; -1 on a bad encoding. */
static int skip(const uint8_t **p, const uint8_t *end, unsigned wt)
{
	uint64_t v;
	switch (wt) {
	case 0: return cr_wire_get_varint(p, end, &v);
	case 1: v = 8; break;
	case 5: v = 4; break;
	case 2:
		if (cr_wire_get_varint(p, end, &v))
			return -1;
		break;
	default: return -1; /* groups are not used by the schema */
	}
	if (v > (uint64_t)(end - *p))
		return -1;
	*p += v;
	return 0;
}

int cr_wire_next(const void *buf, size_t len, unsigned field, size_t *pos, const uint8_t **out,
		 size_t *outlen)
{
	const uint8_t *base = buf, *p = base + *pos, *end = base + len, *start;
	while (p < end) {
		uint64_t key, n;
		if (cr_wire_get_varint(&p, end, &key))
			return -1;
		start = p;
		if (skip(&p, end, (unsigned)(key & 7)))
			return -1;
		if ((key >> 3) != field)
			continue;
		if ((key & 7) != 2)
			return -1;
		cr_wire_get_varint(&start, end, &n); /* parsed once by skip() */
		*out = start;
		*outlen = (size_t)n;
		*pos = (size_t)(p - base);
		return 0;
	}
	return -1;
}

size_t cr_wire_varint(uint8_t *out, uint64_t v)
{
	size_t n = 0;
	do {
		out[n] = (uint8_t)(v & 0x7f);
		v >>= 7;
		if (v)
			out[n] |= 0x80;
		n++;
	} while (v);
	return n;
}

size_t cr_wire_varint_size(uint64_t v)
{
	size_t n = 1;
	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

size_t cr_wire_put_u64(uint8_t *out, unsigned field, uint64_t v)
{
	size_t n = cr_wire_varint(out, (uint64_t)field << 3);
	return n + cr_wire_varint(out + n, v);
}

size_t cr_wire_put_bytes(uint8_t *out, unsigned field, const void *data, size_t len)
{
	size_t n = cr_wire_varint(out, ((uint64_t)field << 3) | 2);
	n += cr_wire_varint(out + n, len);
	memcpy(out + n, data, len);
	return n + len;
}
