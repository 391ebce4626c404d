/* Work frame structural check; see peek.h. The walk follows the rules of
 * libprotobuf-c 1.4's unpack (tags of at most 5 bytes, length prefixes of at
 * most 5 bytes and INT_MAX, no groups, known fields of their declared wire
 * type or packed when repeated and packable, required fields present) so that
 * what passes here also unpacks; the schema has no recursive message, and
 * MAX_DEPTH bounds the recursion anyway. */
#include "common/peek.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/batch.h"
#include "common/codec.h"

#define MAX_DEPTH 8

typedef struct walker {
	char *why;
	size_t whylen;
} walker;

static int fail(walker *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(walker *w, const char *fmt, ...)
{
	if (w->why && w->whylen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(w->why, w->whylen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Varint of at most `max` bytes; -1 when truncated or longer. */
static int varint(const uint8_t **p, const uint8_t *end, unsigned max, uint64_t *v)
{
	uint64_t x = 0;
	if (*p < end && !(**p & 0x80)) { /* most tags and lengths: one byte */
		*v = *(*p)++;
		return 0;
	}
	for (unsigned i = 0; i < max && *p < end; i++) {
		uint8_t b = *(*p)++;
		x |= (uint64_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80)) {
			*v = x;
			return 0;
		}
	}
	return -1;
}

/* The wire type the schema's scalar or message type is written with. */
static int wire_type_of(ProtobufCType t)
{
	switch (t) {
	case PROTOBUF_C_TYPE_SFIXED32:
	case PROTOBUF_C_TYPE_FIXED32:
	case PROTOBUF_C_TYPE_FLOAT:
		return PROTOBUF_C_WIRE_TYPE_32BIT;
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_FIXED64:
	case PROTOBUF_C_TYPE_DOUBLE:
		return PROTOBUF_C_WIRE_TYPE_64BIT;
	case PROTOBUF_C_TYPE_STRING:
	case PROTOBUF_C_TYPE_BYTES:
	case PROTOBUF_C_TYPE_MESSAGE:
		return PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED;
	default:
		return PROTOBUF_C_WIRE_TYPE_VARINT;
	}
}

/* One field's value, read according to its wire type. */
typedef struct value {
	int wt;
	uint64_t v;            /* varint */
	const uint8_t *body;   /* length-prefixed */
	size_t len;
} value;

static int read_value(walker *w, const uint8_t **p, const uint8_t *end, value *val)
{
	uint64_t n;
	switch (val->wt) {
	case PROTOBUF_C_WIRE_TYPE_VARINT:
		return varint(p, end, 10, &val->v) ? fail(w, "bad varint") : 0;
	case PROTOBUF_C_WIRE_TYPE_64BIT:
	case PROTOBUF_C_WIRE_TYPE_32BIT:
		n = val->wt == PROTOBUF_C_WIRE_TYPE_64BIT ? 8 : 4;
		break;
	case PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED:
		if (varint(p, end, 5, &n) || n > INT_MAX)
			return fail(w, "bad length prefix");
		val->body = *p;
		val->len = n;
		break;
	default:
		return fail(w, "unsupported wire type %d", val->wt);
	}
	if (n > (size_t)(end - *p))
		return fail(w, "field runs past the end of its message");
	*p += n;
	return 0;
}

/* A packed repeated scalar: whole elements only. */
static int packed_ok(walker *w, int wt, const uint8_t *p, size_t len)
{
	const uint8_t *end = p + len;
	uint64_t v;
	if (wt == PROTOBUF_C_WIRE_TYPE_32BIT || wt == PROTOBUF_C_WIRE_TYPE_64BIT)
		return len % (wt == PROTOBUF_C_WIRE_TYPE_32BIT ? 4 : 8) ? fail(w, "bad packed field") : 0;
	while (p < end)
		if (varint(&p, end, 10, &v))
			return fail(w, "bad packed varint");
	return 0;
}

/* What a walk learns of a message. `vbad`: a version in it is not
 * CR_SCHEMA_VERSION, or it carries a field number 0, judged as unpack
 * merges repeated occurrences of a (non-repeated) message field: the last
 * occurrence's values win. */
typedef struct summary {
	uint64_t seen; /* bit per field index present */
	uint32_t version;
	int vbad;
} summary;

static int walk(walker *w, const ProtobufCMessageDescriptor *d, const uint8_t *p, size_t len, int depth,
		summary *out);

/* Check one occurrence of a known field; *vbad: that of a sub-message. */
static int field_ok(walker *w, const ProtobufCFieldDescriptor *f, const value *val, int depth, int *vbad)
{
	int want = wire_type_of(f->type);
	summary sub;
	*vbad = 0;
	if (f->label == PROTOBUF_C_LABEL_REPEATED && val->wt == PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED &&
	    want != PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED)
		return packed_ok(w, want, val->body, val->len);
	if (val->wt != want)
		return fail(w, "field %s has wire type %d", f->name, val->wt);
	if (f->type != PROTOBUF_C_TYPE_MESSAGE)
		return 0;
	if (walk(w, f->descriptor, val->body, val->len, depth + 1, &sub))
		return -1;
	*vbad = sub.vbad;
	return 0;
}

/* The schema's `version` fields are field 1, uint32. */
static int is_version(const ProtobufCFieldDescriptor *f)
{
	return f->id == 1 && f->type == PROTOBUF_C_TYPE_UINT32 && f->name[0] == 'v' && !strcmp(f->name, "version");
}

/* The schema numbers most fields 1..n: look there before the library's
 * binary search over the field ranges. */
static const ProtobufCFieldDescriptor *field_of(const ProtobufCMessageDescriptor *d, uint32_t id)
{
	if (id - 1 < d->n_fields && d->fields[id - 1].id == id)
		return &d->fields[id - 1];
	return protobuf_c_message_descriptor_get_field(d, id);
}

/* Walk one message: -1 when it would not unpack. */
static int walk(walker *w, const ProtobufCMessageDescriptor *d, const uint8_t *p, size_t len, int depth,
		summary *out)
{
	const uint8_t *end = p + len;
	uint64_t tag, child_bad = 0;
	int has_version = 0, field0 = 0;
	out->seen = 0;
	out->version = CR_SCHEMA_VERSION;
	if (depth > MAX_DEPTH || d->n_fields > 64)
		return fail(w, "%s: nested too deep", d->short_name);
	while (p < end) {
		value val = {0, 0, NULL, 0};
		const ProtobufCFieldDescriptor *f;
		uint64_t bit;
		int vbad;
		/* protobuf-c refuses a one-byte tag of field 0 but takes a longer
		 * one (81 00) as an unknown field 0, which the decoder refuses
		 * unless a later occurrence of the message replaces it (merge):
		 * judged like a bad version. Field numbers are taken modulo 2^32. */
		if ((p < end && !(*p & 0xf8)) || varint(&p, end, 5, &tag))
			return fail(w, "%s: bad tag", d->short_name);
		val.wt = (int)(tag & 7);
		if (read_value(w, &p, end, &val))
			return -1;
		if ((uint32_t)(tag >> 3) == 0)
			field0 = 1;
		if (!(f = field_of(d, (uint32_t)(tag >> 3))))
			continue; /* unknown field: kept opaque by the decoder too */
		if (field_ok(w, f, &val, depth, &vbad))
			return -1;
		bit = 1ull << (f - d->fields);
		out->seen |= bit;
		if (f->label != PROTOBUF_C_LABEL_REPEATED)
			child_bad &= ~bit; /* merged: the last occurrence decides */
		if (vbad)
			child_bad |= bit;
		if (is_version(f)) {
			has_version = 1;
			out->version = (uint32_t)val.v; /* as unpack: low 32 bits */
		}
	}
	for (unsigned i = 0; i < d->n_fields; i++)
		if (d->fields[i].label == PROTOBUF_C_LABEL_REQUIRED && !(out->seen & (1ull << i)))
			return fail(w, "%s: missing %s", d->short_name, d->fields[i].name);
	out->vbad = (has_version && out->version != CR_SCHEMA_VERSION) || child_bad || field0;
	return 0;
}

cr_err cr_peek_work(const void *buf, size_t len, int *payload, char *why, size_t whylen)
{
	const ProtobufCMessageDescriptor *d = &courant__work__descriptor;
	walker w = {why, whylen};
	summary top;
	int n = 0;
	if (why && whylen)
		why[0] = '\0';
	*payload = 0;
	if (len > CR_MAX_FRAME) {
		fail(&w, "frame of %zu bytes over the %u byte limit", len, CR_MAX_FRAME);
		return CR_ETOOBIG;
	}
	if (!buf && len) {
		fail(&w, "null buffer");
		return CR_EINVAL;
	}
	if (walk(&w, d, buf ? buf : (const void *)"", len, 0, &top))
		return CR_EPROTO;
	if (top.version != CR_SCHEMA_VERSION) {
		fail(&w, "Work: unknown schema version %u", top.version);
		return CR_EVERSION;
	}
	if (top.vbad) {
		fail(&w, "payload: unknown schema version or field number 0");
		return CR_EPROTO;
	}
	for (unsigned i = 0; i < d->n_fields; i++)
		if (d->fields[i].id == CR_BATCH_FIELD && (top.seen & (1ull << i))) {
			fail(&w, "a batch frame where one Work frame was expected");
			return CR_EPROTO;
		}
	for (unsigned i = 0; i < d->n_fields; i++)
		if (d->fields[i].id >= 2 && d->fields[i].id <= 5 && (top.seen & (1ull << i))) {
			n++;
			*payload = (int)d->fields[i].id;
		}
	if (n != 1) {
		*payload = 0;
		fail(&w, "work carries %d payloads, expected exactly one", n);
		return CR_EPROTO;
	}
	return CR_OK;
}

int cr_peek_field_range(const void *buf, size_t len, int field, size_t *off, size_t *n)
{
	const uint8_t *start = buf, *p = buf, *end = p + len;
	walker w = {NULL, 0};
	int found = 0;
	if (!buf || len > CR_MAX_FRAME || field < 1)
		return -1;
	while (p < end) {
		value val = {0, 0, NULL, 0};
		uint64_t tag;
		if (varint(&p, end, 5, &tag) || (uint32_t)(tag >> 3) == 0)
			return -1;
		val.wt = (int)(tag & 7);
		if (read_value(&w, &p, end, &val))
			return -1;
		if ((uint32_t)(tag >> 3) != (uint32_t)field)
			continue;
		if (found++ || val.wt != PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED)
			return -1;
		*off = (size_t)(val.body - start);
		*n = val.len;
	}
	return found ? 0 : -1;
}
