/* Batch frames: several Work frames carried in one (Work.batch,
 * courant.proto), so that a group of articles crosses a pipeline hop as one
 * ZeroMQ message of one part. libzmq reads a large frame straight into its
 * message buffer with a few big reads, where the same articles as separate
 * frames (or parts) cost a read, a copy and queue work each: on this
 * machine a 7 KB article costs ~8 us per hop as a part of a multipart
 * message and ~4 us inside a batch frame (BENCHMARKS.md).
 *
 * A batch frame holds `version` and one or more `batch` elements and nothing
 * else; each element is a whole Work frame (never itself a batch), judged
 * on its own by the receiver. A frame without `batch` is a plain Work frame. */
#ifndef COURANT_COMMON_BATCH_H
#define COURANT_COMMON_BATCH_H

#include <stddef.h>
#include <stdint.h>
#include "common/err.h"

#define CR_BATCH_FIELD 6           /* Work.batch */
#define CR_BATCH_BYTES (4u << 20)  /* a batch frame grows to this size at most... */
#define CR_BATCH_SOLO (1u << 20)   /* ...and a frame this big always travels alone */
#define CR_BATCH_SUBMIT 12         /* Submit.batch: submissions from a client */
#define CR_BATCH_REPLY 7           /* SubmitReply.batch: ingest's answers to them */

typedef struct cr_batch_it {
	const uint8_t *p, *end;
} cr_batch_it;

/* Look at a received frame: 1 when it is a well-formed batch frame (then
 * cr_batch_next yields its elements), 0 when it has no batch field (a plain
 * Work frame: decode it as such), -1 when it is a batch frame that breaks
 * the rules (truncated, another field beside version and batch, a wrong
 * version, an empty or oversized element, no element): junk as a whole, to
 * be handled like any frame the decoder refuses. Allocates nothing. */
int cr_batch_open(const void *frame, size_t len, cr_batch_it *it);
/* The same for the batch field `field` of another message (Submit.batch,
 * SubmitReply.batch: CR_BATCH_SUBMIT, CR_BATCH_REPLY); `head` is a further
 * varint field allowed beside version (SubmitReply's status), 0 for none. */
int cr_batch_open_field(const void *frame, size_t len, unsigned field, unsigned head, cr_batch_it *it);
/* The next element: 1 with *p and *n set, 0 after the last. */
int cr_batch_next(cr_batch_it *it, const void **p, size_t *n);

/* A batch frame being built: elements are copied in. Zeroed, it builds a
 * Work batch; cr_batch_kind makes it build another message's. */
typedef struct cr_batch {
	uint8_t *buf;
	size_t len, cap;
	unsigned n;      /* elements */
	unsigned field;  /* 0: Work.batch */
	unsigned status; /* the varint field head holds after version (0: none) */
	uint8_t head[8]; /* the frame's fields before the elements (0: version only) */
	size_t headlen;
} cr_batch;

/* Build frames whose elements go in `field`, after version and, when
 * `status_field` is not 0, that field with value 0 (SubmitReply.status
 * ACCEPTED: a required field). Call before the first element. */
void cr_batch_kind(cr_batch *b, unsigned field, unsigned status_field);

/* Append a copy of the Work frame p[0..n). CR_ENOMEM. */
cr_err cr_batch_add(cr_batch *b, const void *p, size_t n);
/* Room for an element of exactly n bytes that the caller writes (so that
 * it need not be built elsewhere and copied); NULL when out of memory. */
uint8_t *cr_batch_reserve(cr_batch *b, size_t n);
/* The sole element when the batch holds one (to send it as a plain frame):
 * 1 with *p and *n set, else 0. */
int cr_batch_single(const cr_batch *b, const void **p, size_t *n);
/* Bytes the frame would have with p[0..n) added. */
size_t cr_batch_size_with(const cr_batch *b, size_t n);
/* Hand over the frame (malloc'd; the caller frees it or gives it to
 * ZeroMQ) and start afresh; NULL when empty. */
void *cr_batch_take(cr_batch *b, size_t *len);
void cr_batch_fini(cr_batch *b);

#endif
