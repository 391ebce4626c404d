/* The journal's fresh dedup keys in memory; see fresh.h and, for why they
 * exist, journal.c ("fresh keys"). */
#include "ingest/fresh.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static uint64_t key_hash(const void *k, size_t n, unsigned kind)
{
	const unsigned char *b = k;
	uint64_t h = 1469598103934665603ull ^ kind;
	if (kind == K_HASH) { /* already a hash */
		memcpy(&h, k, 8);
		return h;
	}
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h ^ (h >> 31);
}

const void *fk_key(const fresh *f, const fkey *e, unsigned kind, size_t *n)
{
	switch (kind) {
	case K_ID:
		*n = e->idlen;
		return f->text + e->off;
	case K_URL:
		*n = e->ulen;
		return f->text + e->off + e->idlen;
	default:
		*n = 16;
		return e->h;
	}
}

#define SLOT_TAG(h, kind) ((((h) >> 34) << 34) | ((uint64_t)(kind) << 32))

static void fk_index(fresh *f, size_t i)
{
	size_t m = f->nslot - 1;
	for (unsigned kind = K_ID; kind <= K_HASH; kind++) {
		size_t n, at;
		const void *k = fk_key(f, &f->e[i], kind, &n);
		uint64_t h;
		if (kind == K_URL && !n)
			continue;
		h = key_hash(k, n, kind);
		for (at = (size_t)h & m; f->slot[at]; at = (at + 1) & m)
			;
		f->slot[at] = SLOT_TAG(h, kind) | (uint64_t)(i + 1);
	}
}

/* Index every live entry in a table for `want` entries (load <= 1/2). */
static int fk_rebuild(fresh *f, size_t want)
{
	size_t ns = 64;
	uint64_t *sl;
	while (ns < 6 * want)
		ns <<= 1;
	if (!(sl = calloc(ns, sizeof *sl)))
		return ENOMEM;
	free(f->slot);
	f->slot = sl;
	f->nslot = ns;
	for (size_t i = 0; i < f->n; i++)
		if (!f->e[i].dead)
			fk_index(f, i);
	return 0;
}

/* The live entry holding this key, or NULL. */
fkey *fk_find(fresh *f, unsigned kind, const void *k, size_t n)
{
	uint64_t h, tag;
	size_t m, at;
	if (!f->nslot)
		return NULL;
	h = key_hash(k, n, kind);
	tag = SLOT_TAG(h, kind);
	m = f->nslot - 1;
	for (at = (size_t)h & m; f->slot[at]; at = (at + 1) & m) {
		fkey *e;
		const void *ek;
		size_t en;
		if ((f->slot[at] & ~(uint64_t)0xffffffffu) != tag)
			continue;
		e = &f->e[(uint32_t)f->slot[at] - 1];
		ek = fk_key(f, e, kind, &en);
		if (!e->dead && en == n && !memcmp(ek, k, n))
			return e;
	}
	return NULL;
}

/* The entry of seq (live or not), or NULL: entries are in seq order. */
fkey *fk_by_seq(fresh *f, uint64_t seq)
{
	size_t lo = 0, hi = f->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->e[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < f->n && f->e[lo].seq == seq ? &f->e[lo] : NULL;
}

int fk_add(fresh *f, uint64_t seq, const char *id, size_t idlen, const void *ukey, size_t ulen,
		  const uint8_t h[16])
{
	fkey *e;
	if (idlen > UINT16_MAX || ulen > UINT16_MAX)
		return EINVAL;
	if (f->n == f->cap) {
		size_t nc = f->cap ? f->cap * 2 : 256;
		fkey *a = realloc(f->e, nc * sizeof *a);
		if (!a)
			return ENOMEM;
		f->e = a;
		f->cap = nc;
	}
	if (f->tlen + idlen + ulen > f->tcap) {
		size_t nc = f->tcap ? f->tcap : 16384;
		char *a;
		while (nc < f->tlen + idlen + ulen)
			nc *= 2;
		if (!(a = realloc(f->text, nc)))
			return ENOMEM;
		f->text = a;
		f->tcap = nc;
	}
	if (6 * (f->n + 1) > f->nslot && fk_rebuild(f, 2 * (f->n + 1)))
		return ENOMEM;
	e = &f->e[f->n];
	e->seq = seq;
	e->off = f->tlen;
	e->idlen = (uint16_t)idlen;
	e->ulen = (uint16_t)ulen;
	memcpy(e->h, h, 16);
	e->dead = 0;
	memcpy(f->text + f->tlen, id, idlen);
	memcpy(f->text + f->tlen + idlen, ukey, ulen);
	f->tlen += idlen + ulen;
	fk_index(f, f->n++);
	return 0;
}

/* Mark e dead in the open transaction (undone by fk_rollback). */
int fk_kill(fresh *f, fkey *e)
{
	if (f->nkilled == f->kcap) {
		size_t nc = f->kcap ? f->kcap * 2 : 64;
		size_t *a = realloc(f->killed, nc * sizeof *a);
		if (!a)
			return ENOMEM;
		f->killed = a;
		f->kcap = nc;
	}
	f->killed[f->nkilled++] = (size_t)(e - f->e);
	e->dead = 1;
	return 0;
}

/* A transaction that began with n0 entries and tlen0 bytes was aborted. */
void fk_rollback(fresh *f, size_t n0, size_t tlen0)
{
	int changed = f->n != n0 || f->nkilled;
	for (size_t i = 0; i < f->nkilled; i++)
		f->e[f->killed[i]].dead = 0;
	f->nkilled = 0;
	f->n = n0;
	f->tlen = tlen0;
	if (changed && fk_rebuild(f, f->n + 1)) {
		/* no memory for the index: keep the old table's size by
		 * clearing it and indexing again (same slots, no allocation) */
		memset(f->slot, 0, f->nslot * sizeof *f->slot);
		for (size_t i = 0; i < f->n; i++)
			if (!f->e[i].dead)
				fk_index(f, i);
	}
}

void fk_clear(fresh *f)
{
	f->n = f->tlen = f->nkilled = f->mg_n = f->mg_pos = 0;
	f->mg_kind = K_ID;
	if (f->slot)
		memset(f->slot, 0, f->nslot * sizeof *f->slot);
}

void fk_free(fresh *f)
{
	free(f->e);
	free(f->text);
	free(f->slot);
	free(f->killed);
	free(f->mg_order);
	memset(f, 0, sizeof *f);
}

/* fkeys value: id length (1 byte), id, URL key length (2 bytes, big
 * endian), URL key, text hash (16 bytes). */

size_t fk_encode(unsigned char *out, const char *id, size_t idlen, const void *ukey, size_t ulen,
			const uint8_t h[16])
{
	size_t n = 0;
	out[n++] = (unsigned char)idlen;
	memcpy(out + n, id, idlen);
	n += idlen;
	out[n++] = (unsigned char)(ulen >> 8);
	out[n++] = (unsigned char)ulen;
	memcpy(out + n, ukey, ulen);
	n += ulen;
	memcpy(out + n, h, 16);
	return n + 16;
}

static const fresh *sort_f;
static unsigned sort_kind;

static int by_key(const void *a, const void *b)
{
	size_t na, nb;
	const void *ka = fk_key(sort_f, &sort_f->e[*(const size_t *)a], sort_kind, &na);
	const void *kb = fk_key(sort_f, &sort_f->e[*(const size_t *)b], sort_kind, &nb);
	int c = memcmp(ka, kb, na < nb ? na : nb);
	return c ? c : (na > nb) - (na < nb);
}

/* mg_order for mg_kind: the frozen entries' indexes in LMDB's key order
 * (memcmp, then length: the default comparison). */
void mg_sort(fresh *f)
{
	for (size_t i = 0; i < f->mg_n; i++)
		f->mg_order[i] = i;
	sort_f = f;
	sort_kind = f->mg_kind;
	qsort(f->mg_order, f->mg_n, sizeof *f->mg_order, by_key);
	f->mg_pos = 0;
}

/* Drop the merged entries from memory (their fkeys records are gone). */
void mg_finish(fresh *f)
{
	size_t m = f->mg_n, toff = m < f->n ? f->e[m].off : f->tlen;
	memmove(f->e, f->e + m, (f->n - m) * sizeof *f->e);
	f->n -= m;
	memmove(f->text, f->text + toff, f->tlen - toff);
	f->tlen -= toff;
	for (size_t i = 0; i < f->n; i++)
		f->e[i].off -= toff;
	f->mg_n = f->mg_pos = 0;
	f->mg_kind = K_ID;
	if (fk_rebuild(f, f->n + 1)) { /* same size, no allocation */
		memset(f->slot, 0, f->nslot * sizeof *f->slot);
		for (size_t i = 0; i < f->n; i++)
			if (!f->e[i].dead)
				fk_index(f, i);
	}
}

/* Start a merge of every fresh entry, if none is under way; 0 or ENOMEM. */
int merge_start(fresh *f)
{
	size_t *o;
	if (f->mg_n || !f->n)
		return 0;
	if (!(o = realloc(f->mg_order, f->n * sizeof *o)))
		return ENOMEM;
	f->mg_order = o;
	f->mg_n = f->n;
	f->mg_kind = K_ID;
	mg_sort(f);
	return 0;
}

