/* Packing the pipeline's bulk messages without protobuf-c's descriptor-driven
 * packer, which costs ~1,500 instructions per small message (the extract
 * worker packs ~30 entities and events per article, normalize ~30 sentences).
 * The bytes are exactly protobuf-c 1.4's for the same message: fields in
 * number order, proto2 presence (required fields always, a NULL string or
 * message among them as an empty one; optional scalars by their has_ flag;
 * optional strings and messages when not NULL), no packed fields in the
 * schema. Extraction, Article, Sentence, Entity, Event and Location are
 * written here; any other message, any message carrying unknown fields, and
 * any of those whose schema has grown fields since go to protobuf-c.
 * tests/unit/test_common_emit.c and tests/fuzz/fuzz_emit.c compare the two
 * packers. */
#ifndef COURANT_COMMON_EMIT_H
#define COURANT_COMMON_EMIT_H

#include <stddef.h>
#include <stdint.h>
#include "courant.pb-c.h"

/* protobuf_c_message_get_packed_size(m) */
size_t cr_emit_size(const ProtobufCMessage *m);
/* protobuf_c_message_pack(m, out): out has cr_emit_size(m) bytes; returns
 * the bytes written. */
size_t cr_emit_pack(const ProtobufCMessage *m, uint8_t *out);
/* Work{version, article = a} (no other field of Work set) as protobuf-c
 * packs it, a packed by the packer above: malloc'd, NULL when out of
 * memory. Work itself is not written by cr_emit_pack (its schema is the
 * one that grows). */
void *cr_emit_work_article(const Courant__Article *a, uint32_t version, size_t *len);

#endif
