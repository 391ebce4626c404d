/* The stored form of an article (`articles`: id -> value).
 * Every event of an extraction is also stored on its own in `events`, as
 * field 4 of its EventRecord, with the bytes that arrived. So when the
 * events of the received Extraction bytes can be put back exactly, the
 * article value leaves them out ("slim" record, ~2 KB and half an overflow
 * page less per article in the synced commit) and keeps where they were:
 *   0x00 0x01 varint(first event seq) varint(events) varint(offset)
 *   the Extraction bytes without its events
 * The events were at `offset`, one after the other, each written as
 * protobuf-c writes it (tag byte 0x22, the shortest length prefix): they are
 * put back from the `events` records first_seq .. first_seq + events - 1.
 * Any other value is the Extraction as received (no Extraction begins with a
 * zero byte: field number 0 does not exist), as every store before this
 * layout wrote, and is answered as it is. A query answers both forms with
 * the same bytes: the Extraction as received. */
#ifndef COURANT_STORE_RECORD_H
#define COURANT_STORE_RECORD_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/err.h"

#define ST_RECORD_HEAD_MAX (2 + 3 * 10)

/* Where the events of Extraction bytes xb[0..xlen) are, when the slim form
 * can hold them: exactly `n` (>= 1) occurrences of field 4, contiguous, each
 * with the one-byte tag 0x22 and the shortest length prefix. Then 0 with
 * [*start, *end) their bytes; else -1. Nothing else is judged (the codec
 * checked the frame). */
int st_record_events(const uint8_t *xb, size_t xlen, size_t n, size_t *start, size_t *end);

/* Write the slim value of xb (events at [start, end), the first stored as
 * `first_seq`) into out, which has ST_RECORD_HEAD_MAX + xlen - (end - start)
 * bytes; returns the bytes written. */
size_t st_record_slim(uint8_t *out, const uint8_t *xb, size_t xlen, size_t start, size_t end, size_t n,
		      uint64_t first_seq);
/* Bytes st_record_slim writes. */
size_t st_record_slim_size(size_t xlen, size_t start, size_t end, size_t n, uint64_t first_seq);

/* 1 when the value is in the slim form. */
int st_record_is_slim(const void *val, size_t len);

/* Append the Extraction bytes of article value val[0..len) to out as a
 * length-delimited field with tag byte `tag` (a QueryReply field): the
 * value itself, or a slim value with its events put back from `events`
 * (the u64-keyed database of EventRecords) read in txn. CR_ESTORE when a
 * slim value does not parse or its events are not there. */
cr_err st_record_append(MDB_txn *txn, MDB_dbi events, const void *val, size_t len, unsigned char tag, cr_buf *out);

#endif
