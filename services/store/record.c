/* Stored article values: the slim form and its expansion (see record.h). */
#include "store/record.h"

#include <stdlib.h>
#include <string.h>

#include "common/wire.h"
#include "store/db.h"

#define SLIM_MARK 0x00
#define SLIM_V1 0x01
#define EVENT_TAG 0x22 /* Extraction.events: field 4, wire type 2 */
#define EVENTS_MAX (1u << 20)

int st_record_events(const uint8_t *xb, size_t xlen, size_t n, size_t *start, size_t *end)
{
	const uint8_t *p = xb, *stop = xb + xlen;
	size_t seen = 0, s = 0, e = 0;
	if (!n)
		return -1;
	while (p < stop) {
		const uint8_t *f = p, *v;
		uint64_t key, len;
		if (cr_wire_get_varint(&p, stop, &key))
			return -1;
		switch (key & 7) {
		case 0:
			if (cr_wire_get_varint(&p, stop, &len))
				return -1;
			break;
		case 1:
		case 5:
			len = (key & 7) == 1 ? 8 : 4;
			if (len > (uint64_t)(stop - p))
				return -1;
			p += len;
			break;
		case 2:
			if (cr_wire_get_varint(&p, stop, &len) || len > (uint64_t)(stop - p))
				return -1;
			v = p;
			p += len;
			if ((key >> 3) != 4)
				break;
			/* an event: the one-byte tag, the shortest prefix, right after
			 * the previous one */
			if (f[0] != EVENT_TAG || (size_t)(v - f) != 1 + cr_wire_varint_size(len) || (seen && f != xb + e))
				return -1;
			if (!seen++)
				s = (size_t)(f - xb);
			e = (size_t)(p - xb);
			continue;
		default:
			return -1;
		}
		if ((key >> 3) == 4) /* field 4 with another wire type */
			return -1;
	}
	if (seen != n)
		return -1;
	*start = s;
	*end = e;
	return 0;
}

static size_t head(uint8_t *out, size_t n, uint64_t first_seq, size_t start)
{
	size_t k = 0;
	out[k++] = SLIM_MARK;
	out[k++] = SLIM_V1;
	k += cr_wire_varint(out + k, first_seq);
	k += cr_wire_varint(out + k, n);
	k += cr_wire_varint(out + k, start);
	return k;
}

size_t st_record_slim_size(size_t xlen, size_t start, size_t end, size_t n, uint64_t first_seq)
{
	return 2 + cr_wire_varint_size(first_seq) + cr_wire_varint_size(n) + cr_wire_varint_size(start) + xlen -
	       (end - start);
}

size_t st_record_slim(uint8_t *out, const uint8_t *xb, size_t xlen, size_t start, size_t end, size_t n,
		      uint64_t first_seq)
{
	size_t k = head(out, n, first_seq, start);
	memcpy(out + k, xb, start);
	memcpy(out + k + start, xb + end, xlen - end);
	return k + start + (xlen - end);
}

int st_record_is_slim(const void *val, size_t len)
{
	return len >= 2 && ((const uint8_t *)val)[0] == SLIM_MARK;
}

static cr_err put_prefix(cr_buf *out, unsigned char tag, uint64_t len)
{
	uint8_t b[1 + CR_WIRE_VARINT_MAX];
	b[0] = tag;
	return cr_buf_append(out, b, 1 + cr_wire_varint(b + 1, len));
}

struct piece {
	const uint8_t *p;
	size_t len;
};

cr_err st_record_append(MDB_txn *txn, MDB_dbi events, const void *val, size_t len, unsigned char tag, cr_buf *out)
{
	const uint8_t *p = val, *end = p + len;
	uint64_t first, n, at, total;
	struct piece *ev = NULL;
	MDB_cursor *c = NULL;
	cr_err err = CR_ESTORE;
	size_t rest;

	if (!st_record_is_slim(val, len)) {
		err = put_prefix(out, tag, len);
		return err ? err : cr_buf_append(out, val, len);
	}
	p += 2;
	if (((const uint8_t *)val)[1] != SLIM_V1 || cr_wire_get_varint(&p, end, &first) ||
	    cr_wire_get_varint(&p, end, &n) || cr_wire_get_varint(&p, end, &at))
		return CR_ESTORE;
	rest = (size_t)(end - p);
	if (!first || !n || n > EVENTS_MAX || first > UINT64_MAX - n || at > rest)
		return CR_ESTORE;
	if (!(ev = malloc(n * sizeof *ev)))
		return CR_ENOMEM;
	total = rest;
	if (mdb_cursor_open(txn, events, &c))
		goto out;
	for (uint64_t i = 0; i < n; i++) {
		unsigned char be[8];
		MDB_val k = {8, be}, v;
		size_t pos = 0;
		st_be64_put(be, first + i);
		if (mdb_cursor_get(c, &k, &v, i ? MDB_NEXT : MDB_SET_KEY) || k.mv_size != 8 ||
		    st_be64_get(k.mv_data) != first + i ||
		    cr_wire_next(v.mv_data, v.mv_size, 4, &pos, &ev[i].p, &ev[i].len))
			goto out;
		total += 1 + cr_wire_varint_size(ev[i].len) + ev[i].len;
	}
	err = put_prefix(out, tag, total);
	if (!err)
		err = cr_buf_reserve(out, (size_t)total);
	if (!err)
		err = cr_buf_append(out, p, (size_t)at);
	for (uint64_t i = 0; i < n && !err; i++) {
		err = put_prefix(out, EVENT_TAG, ev[i].len);
		if (!err)
			err = cr_buf_append(out, ev[i].p, ev[i].len);
	}
	if (!err)
		err = cr_buf_append(out, p + at, rest - (size_t)at);
out:
	if (c)
		mdb_cursor_close(c);
	free(ev);
	return err;
}
