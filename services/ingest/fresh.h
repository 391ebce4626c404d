/* The ingest journal's fresh dedup keys in memory (see journal.c, "fresh
 * keys"): the id, URL key and text hash of each article accepted since the
 * last merge into the journal's trees, with an open-addressing index over
 * the three, and the bookkeeping of a merge under way. No LMDB here. */
#ifndef COURANT_INGEST_FRESH_H
#define COURANT_INGEST_FRESH_H

#include <stddef.h>
#include <stdint.h>

#define URL_KEY_MAX 400
/* the largest fkeys record (fk_encode) */
#define FK_REC_MAX (1 + 255 + 2 + URL_KEY_MAX + 16)

/* Dedup keys of the articles accepted since the last merge (see "fresh
 * keys" in journal.c): an entry per article, its id and URL key in `text`, and an
 * open-addressing index over the three keys. */
typedef struct fkey {
	uint64_t seq;
	size_t off;            /* id at text + off, URL key right after it */
	uint16_t idlen, ulen;
	uint8_t h[16];
	uint8_t dead;          /* dead-lettered: its keys are free again */
} fkey;

typedef struct fresh {
	fkey *e;
	size_t n, cap;
	char *text;
	size_t tlen, tcap;
	uint64_t *slot;        /* 0 empty, else (hash bits << 34) | (kind << 32) | (index + 1) */
	size_t nslot;          /* power of two, at least 4 x (3 keys x n) */
	size_t *killed;        /* entries marked dead in the open transaction */
	size_t nkilled, kcap;
	/* a merge under way: the first mg_n entries are being moved into the
	 * trees, one kind of key at a time, in key order, MERGE_STEP keys per
	 * transaction (mg_order: their indexes sorted by the key of mg_kind,
	 * mg_pos of them done) */
	size_t mg_n, mg_pos, *mg_order;
	unsigned mg_kind;
} fresh;

enum { K_ID, K_URL, K_HASH };

/* An entry's key of `kind` (K_*), *n its length. */
const void *fk_key(const fresh *f, const fkey *e, unsigned kind, size_t *n);
/* The live entry holding this key, or NULL. */
fkey *fk_find(fresh *f, unsigned kind, const void *k, size_t n);
/* The entry of seq (live or not), or NULL. */
fkey *fk_by_seq(fresh *f, uint64_t seq);
/* Append an entry (seqs ascending); 0, EINVAL or ENOMEM. */
int fk_add(fresh *f, uint64_t seq, const char *id, size_t idlen, const void *ukey, size_t ulen, const uint8_t h[16]);
/* Mark e dead in the open transaction (undone by fk_rollback); 0 or ENOMEM. */
int fk_kill(fresh *f, fkey *e);
/* The transaction that began with n0 entries and tlen0 text bytes aborted. */
void fk_rollback(fresh *f, size_t n0, size_t tlen0);
void fk_clear(fresh *f);
void fk_free(fresh *f);
/* The fkeys record of an entry into out (FK_REC_MAX bytes); its length. */
size_t fk_encode(unsigned char *out, const char *id, size_t idlen, const void *ukey, size_t ulen, const uint8_t h[16]);
/* Merging: start one over every entry (0 or ENOMEM; nothing when one is
 * under way), order the frozen entries by the key of mg_kind, and drop
 * them once their fkeys records are gone. */
int merge_start(fresh *f);
void mg_sort(fresh *f);
void mg_finish(fresh *f);

#endif
