/* Structural check of a Work frame without unpacking it: what a forwarder
 * (the relay) needs to keep broken frames out of the pipeline at a fraction
 * of cr_decode_work's cost, allocating nothing. It walks the protobuf wire
 * format against the schema (common/codec.h decoders do the full job). */
#ifndef COURANT_PEEK_H
#define COURANT_PEEK_H

#include <stddef.h>
#include "common/err.h"

/* Check that `buf` is a well-formed Work frame of at most CR_MAX_FRAME bytes:
 * every tag, wire type, varint and length at every depth of the schema's
 * messages is in bounds and of the type the schema declares, no field number
 * is 0 (where the decoder would see it: a merged-away occurrence may carry
 * one), every required field is present, the top-level message and the
 * payload's carry `version` == CR_SCHEMA_VERSION, and exactly one of article,
 * extraction, rejection, stats is set; on success *payload is that field's
 * number (2..5, courant.proto).
 * It accepts exactly the frames that the decoder's structural steps accept
 * (unpack, versions, field number 0, one payload; tests/fuzz/fuzz_codec.c
 * checks both ways). What it does NOT check is content: UTF-8, id and string
 * lengths, sentence offsets, counter counts, and the decoder's memory cap.
 * Frames that fail only those reach the next stage, whose cr_decode_work
 * turns them into a rejection or a malformed count, as for junk sent there.
 * CR_ETOOBIG over the size cap, CR_EVERSION, CR_EPROTO; `why` as in codec.h. */
cr_err cr_peek_work(const void *buf, size_t len, int *payload, char *why, size_t whylen);

/* Where the Work frame's field `field` (2..5) lies: on success *off and *n
 * are the byte range of its value (the payload message's encoding, without
 * tag and length). Walks only the top level, so it checks nothing inside
 * the payload: use it on a frame that cr_decode_work or cr_peek_work has
 * accepted. Returns -1 when the field is absent, has another wire type, is
 * truncated, or occurs more than once (protobuf-c then merges the
 * occurrences, and no single range holds what the decoder saw). */
int cr_peek_field_range(const void *buf, size_t len, int field, size_t *off, size_t *n);

#endif
