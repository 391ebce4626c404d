/* The store's decoder of store-in frames: cr_decode_work's verdict at a
 * fraction of its cost. The store keeps an article as the bytes that arrived
 * and never reads its raw body, text or sentences, which are most of a frame
 * and most of the unpack (a copy of each, a message per sentence), nor the
 * extraction's entities. So for an extraction it checks those on the wire
 * as the codec would (raw size, text UTF-8, sentence offsets within the
 * text, each entity's strings), and unpacks a copy of the frame without
 * them with cr_decode_work, which checks all the rest. It reads the encoding
 * of what it leaves out itself (no separate structural walk of the frame:
 * that was a quarter of the decode) and takes only the plain form: one-byte
 * tags, length prefixes protobuf-c reads, sentences of known varint fields
 * with start and end present, entities of known fields (each non-repeated
 * one once) with their type present and known. Anything unusual (that, a
 * field repeated that unpack would merge, a frame over the codec's size cap
 * or whose unpack might hit its memory cap, a check that fails) goes to
 * cr_decode_work on the whole frame, so that the verdict and the reason are
 * always the codec's. */
#ifndef COURANT_STORE_LITE_H
#define COURANT_STORE_LITE_H

#include <stddef.h>

#include "common/err.h"
#include "courant.pb-c.h"

/* As cr_decode_work (codec.h: same verdict, same ownership, release with
 * cr_msg_free), except that on success, when *slim is set to 1, the article
 * of an extraction has no raw, text nor sentences and the extraction no
 * entities: use the frame's bytes for anything that needs the whole
 * extraction (common/wire.h). */
cr_err st_lite_decode_work(const void *buf, size_t len, Courant__Work **out, int *slim, char *why,
			   size_t whylen);

#endif
