/* Decoding frames from the wire, safely. Every decoder here:
 *   1. refuses a frame over its size cap before unpacking (CR_ETOOBIG);
 *   2. unpacks (CR_EPROTO when protobuf-c refuses it);
 *   3. checks `version` == CR_SCHEMA_VERSION (CR_EVERSION);
 *   4. validates fields (CR_EPROTO): e.g. Work has exactly one payload,
 *      ids are non-empty printable UTF-8 of bounded length.
 * On failure *out is NULL and `why` (if not NULL) holds a one-line reason.
 * Ownership: a decoded message belongs to the caller and is released with
 * cr_msg_free() (decoders may unpack into an arena, so never call
 * protobuf-c free_unpacked directly on them). */
#ifndef COURANT_CODEC_H
#define COURANT_CODEC_H

#include <stddef.h>
#include "courant.pb-c.h"
#include "common/err.h"

#define CR_SCHEMA_VERSION 1u
#define CR_MAX_FRAME   (24u << 20)  /* any frame */
#define CR_MAX_ARTICLE (8u << 20)   /* raw article body accepted by ingest */
#define CR_MAX_ID      200u         /* article id length */

cr_err cr_decode_submit(const void *buf, size_t len, Courant__Submit **out, char *why, size_t whylen);
cr_err cr_decode_submit_reply(const void *buf, size_t len, Courant__SubmitReply **out, char *why, size_t whylen);
cr_err cr_decode_work(const void *buf, size_t len, Courant__Work **out, char *why, size_t whylen);
cr_err cr_decode_ack(const void *buf, size_t len, Courant__Ack **out, char *why, size_t whylen);
cr_err cr_decode_query(const void *buf, size_t len, Courant__Query **out, char *why, size_t whylen);
cr_err cr_decode_query_reply(const void *buf, size_t len, Courant__QueryReply **out, char *why, size_t whylen);
cr_err cr_decode_event_record(const void *buf, size_t len, Courant__EventRecord **out, char *why, size_t whylen);

/* Free any decoded message (NULL is fine). */
void cr_msg_free(ProtobufCMessage *m);

/* Pack a message into a malloc'd buffer; returns NULL on allocation failure. */
void *cr_pack(const ProtobufCMessage *m, size_t *len);

/* Pack Work{extraction{article, entities, events}} with the article given
 * as its encoding (article[0..alen), e.g. the range cr_peek_field_range found
 * in the received Work{article}) copied verbatim instead of re-packed: the
 * bytes are what protobuf-c packs for the same message whenever `article`
 * is itself protobuf-c's packing (as normalize sends it), and in any case
 * decode to the same message. malloc'd, NULL on allocation failure. */
void *cr_pack_extraction_spliced(const void *article, size_t alen, Courant__Entity *const *ents, size_t nents,
				 Courant__Event *const *evs, size_t nevs, size_t *len);

/* Work{article} around an article's encoding (article[0..alen), e.g. as
 * ingest journals it) with `attempt` (Article field 4) appended: protobuf
 * keeps the last occurrence of a non-repeated field, so this sets attempt
 * without unpacking and re-packing the article. A damaged encoding stays
 * damaged: the next stage's decoder refuses it. malloc'd, NULL when out of
 * memory. */
void *cr_pack_work_article(const void *article, size_t alen, uint32_t attempt, size_t *len);
/* The same written into out[0..cr_work_article_size(alen, attempt)), e.g. a
 * batch frame's element (common/batch.h); returns the bytes written. */
size_t cr_work_article_size(size_t alen, uint32_t attempt);
size_t cr_put_work_article(uint8_t *out, const void *article, size_t alen, uint32_t attempt);

#endif
