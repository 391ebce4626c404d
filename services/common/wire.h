/* Protobuf wire-format primitives for bytes kept or forwarded as they
 * arrived (proto2 encoding, see proto/courant.proto): reading and writing
 * varints and fields, finding length-delimited fields without unpacking.
 * The scan is bounded but validates nothing else: use it on messages that
 * passed the codec's checks (common/codec.h) or common/peek.h's walk, which
 * follows protobuf-c's own acceptance rules. */
#ifndef COURANT_COMMON_WIRE_H
#define COURANT_COMMON_WIRE_H

#include <stddef.h>
#include <stdint.h>

/* The next occurrence of length-delimited field `field` at or after *pos:
 * 0 with out/outlen set and *pos moved past it; -1 at the end or on bytes
 * that do not parse. Occurrences come in the order a decoder sees them, so
 * the i-th is the i-th element of a repeated field. */
int cr_wire_next(const void *buf, size_t len, unsigned field, size_t *pos, const uint8_t **out,
		 size_t *outlen);

/* Read one varint at *p (at most 10 bytes, not past `end`), moving *p past
 * it: 0, or -1 when it runs off the end or is longer than 64 bits allow. */
int cr_wire_get_varint(const uint8_t **p, const uint8_t *end, uint64_t *v);

/* Writers into a buffer the caller sized with CR_WIRE_VARINT_MAX per varint
 * (tags included): return the bytes written. */
#define CR_WIRE_VARINT_MAX 10
size_t cr_wire_varint(uint8_t *out, uint64_t v);
/* Bytes cr_wire_varint writes for v. */
size_t cr_wire_varint_size(uint64_t v);
/* tag (field, wire type 0) + value */
size_t cr_wire_put_u64(uint8_t *out, unsigned field, uint64_t v);
/* tag (field, wire type 2) + length + bytes */
size_t cr_wire_put_bytes(uint8_t *out, unsigned field, const void *data, size_t len);

#endif
