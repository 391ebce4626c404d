/* Index key grammar and index writes (see index.h). */
#include "store/index.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/codec.h"
#include "common/log.h"

#define TOKENS_MAX 32
#define CATCH_UP_CHUNK 20000 /* events per index txn: bounds its dirty pages */
#define GROW_TRIES 8

/* U+00C0..U+00FF folded to an ASCII letter ('_' = separator). */
static const char latin1_fold[64] = "aaaaaaaceeeeiiiidnooooo_ouuuuyts"
				    "aaaaaaaceeeeiiiidnooooo_ouuuuyty";

int st_index_code_ok(const char *code)
{
	size_t n;
	if (!code)
		return 0;
	n = strlen(code);
	if (n == 0 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (code[i] <= ' ' || code[i] == '|' || code[i] == 0x7f)
			return 0;
	return 1;
}

static int add_code(char codes[][ST_KEY_MAX], int n, const char *c)
{
	if (n >= ST_CODES_MAX || !st_index_code_ok(c))
		return n;
	for (int i = 0; i < n; i++)
		if (!strcmp(codes[i], c))
			return n;
	memcpy(codes[n], c, strlen(c) + 1); /* <= 32 bytes: st_index_code_ok */
	return n + 1;
}

int st_index_codes(const Courant__Event *ev, char codes[][ST_KEY_MAX])
{
	int n = 0;
	for (size_t i = 0; i < ev->n_actor; i++)
		n = add_code(codes, n, ev->actor[i]);
	for (size_t i = 0; i < ev->n_recipient; i++)
		n = add_code(codes, n, ev->recipient[i]);
	return n;
}

int st_index_pair_key(const char *a, const char *b, char out[ST_KEY_MAX])
{
	if (!st_index_code_ok(a) || !st_index_code_ok(b))
		return -1;
	if (strcmp(a, b) > 0) {
		const char *t = a;
		a = b;
		b = t;
	}
	{ /* both <= 32 bytes (st_index_code_ok): fits ST_KEY_MAX */
		size_t la = strlen(a), lb = strlen(b);
		memcpy(out, a, la);
		out[la] = '|';
		memcpy(out + la + 1, b, lb + 1);
	}
	return 0;
}

static int date_ok(const char *d)
{
	if (!d)
		return 0;
	for (int i = 0; i < 4; i++)
		if (!isdigit((unsigned char)d[i]))
			return 0;
	return 1;
}

void st_index_date_key(const Courant__Event *ev, const char *published, char out[ST_KEY_MAX])
{
	const char *d = date_ok(ev->date) ? ev->date : date_ok(published) ? published : NULL;
	size_t n = 0;
	out[0] = '\0';
	if (!d)
		return;
	/* keep digits and dashes only: "2021-03-30T10:00" -> "2021-03-30" */
	while (n < 10 && (isdigit((unsigned char)d[n]) || d[n] == '-'))
		n++;
	memcpy(out, d, n);
	out[n] = '\0';
}

int st_index_person_tokens(const char *name, char out[][ST_KEY_MAX], int max)
{
	const unsigned char *p = (const unsigned char *)(name ? name : "");
	char tok[ST_KEY_MAX];
	size_t tl = 0;
	int n = 0;

	for (;; p++) {
		int c = *p, sep = 0;
		if (c == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF) {
			c = latin1_fold[p[1] - 0x80];
			p++;
			sep = c == '_';
		} else if (c < 0x80) {
			sep = !isalnum(c);
			c = tolower(c);
		}
		if (sep || c == 0) {
			if (tl >= 2 && n < max) {
				tok[tl] = '\0';
				int dup = 0;
				for (int i = 0; i < n; i++)
					dup |= !strcmp(out[i], tok);
				if (!dup)
					memcpy(out[n++], tok, tl + 1);
			}
			tl = 0;
			if (*p == 0)
				break;
			continue;
		}
		if (tl < ST_KEY_MAX - 1)
			tok[tl++] = (char)c;
	}
	return n;
}

/* A batch groups its entries by key as they come: each distinct
 * (index, key) gets one record, found again through an open-addressing hash
 * table, with its sequences in a list in the order they were added
 * (ascending: events are added in seq order). Writing sorts only the
 * distinct keys. */
struct key {
	uint64_t order; /* index, then the key's first 7 bytes: most comparisons end here */
	uint32_t off;   /* key bytes at keys[off] */
	uint32_t slot;  /* its slot in the hash table, cleared after the write */
	uint32_t head, tail; /* its entries, linked by entry.next */
	uint32_t count;      /* how many */
	uint8_t len;
};

struct entry {
	uint64_t seq;
	uint32_t next; /* UINT32_MAX ends the list */
};

struct st_index_batch {
	struct entry *e;
	size_t n, cap;
	struct key *k;
	size_t nk, capk;
	char *keys;
	size_t klen, kcap;
	uint32_t *slot; /* key index + 1, 0 = free */
	size_t nslot;   /* power of two, > 2 * nk */
	unsigned char *vals; /* one key's sequences while writing */
	size_t vcap;
};

st_index_batch *st_index_batch_new(void)
{
	return calloc(1, sizeof(st_index_batch));
}

void st_index_batch_destroy(st_index_batch **pb)
{
	st_index_batch *b = *pb;
	if (!b)
		return;
	free(b->e);
	free(b->k);
	free(b->keys);
	free(b->slot);
	free(b->vals);
	free(b);
	*pb = NULL;
}

void st_index_batch_reset(st_index_batch *b)
{
	for (size_t i = 0; i < b->nk; i++)
		b->slot[b->k[i].slot] = 0;
	b->n = b->nk = b->klen = 0;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap : 256;
	void *q;
	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	if (!(q = realloc(*p, c * size)))
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

static uint32_t hash(enum st_dbi which, const char *key, size_t len)
{
	uint32_t h = 2166136261u ^ (uint32_t)which;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)key[i]) * 16777619u;
	return h;
}

/* Double the hash table when it is half full (re-slotting every key). */
static int rehash(st_index_batch *b)
{
	size_t n = b->nslot ? b->nslot * 2 : 1024;
	uint32_t *t;
	if (b->nslot && b->nk * 2 < b->nslot)
		return 0;
	if (!(t = calloc(n, sizeof *t)))
		return -1;
	for (size_t i = 0; i < b->nk; i++) {
		struct key *k = &b->k[i];
		uint32_t s = hash((enum st_dbi)(k->order >> 56), b->keys + k->off, k->len) & (uint32_t)(n - 1);
		while (t[s])
			s = (s + 1) & (uint32_t)(n - 1);
		t[s] = (uint32_t)i + 1;
		k->slot = s;
	}
	free(b->slot);
	b->slot = t;
	b->nslot = n;
	return 0;
}

/* The record of (which, key), created when new; NULL when out of memory. */
static struct key *key_of(st_index_batch *b, enum st_dbi which, const char *key, size_t len)
{
	uint32_t mask, s;
	struct key *k;
	if (rehash(b))
		return NULL;
	mask = (uint32_t)(b->nslot - 1);
	for (s = hash(which, key, len) & mask; b->slot[s]; s = (s + 1) & mask) {
		k = &b->k[b->slot[s] - 1];
		if ((int)(k->order >> 56) == (int)which && k->len == len && !memcmp(b->keys + k->off, key, len))
			return k;
	}
	if (grow((void **)&b->k, &b->capk, b->nk + 1, sizeof *b->k) ||
	    grow((void **)&b->keys, &b->kcap, b->klen + len, 1))
		return NULL;
	k = &b->k[b->nk];
	k->order = (uint64_t)which << 56;
	for (size_t i = 0; i < 7; i++)
		k->order |= (uint64_t)(i < len ? (unsigned char)key[i] : 0) << (48 - 8 * i);
	k->off = (uint32_t)b->klen;
	k->len = (uint8_t)len;
	k->slot = s;
	k->head = k->tail = UINT32_MAX;
	k->count = 0;
	memcpy(b->keys + b->klen, key, len);
	b->klen += len;
	b->slot[s] = (uint32_t)++b->nk;
	return k;
}

static cr_err push(st_index_batch *b, enum st_dbi which, const char *key, uint64_t seq)
{
	size_t len = strlen(key);
	struct key *k;
	if (len == 0)
		return CR_OK;
	if (len >= ST_KEY_MAX || b->klen + len > UINT32_MAX || b->n >= UINT32_MAX - 1)
		return CR_ETOOBIG;
	if (grow((void **)&b->e, &b->cap, b->n + 1, sizeof *b->e) || !(k = key_of(b, which, key, len)))
		return CR_ENOMEM;
	b->e[b->n] = (struct entry){seq, UINT32_MAX};
	if (k->tail == UINT32_MAX)
		k->head = (uint32_t)b->n;
	else
		b->e[k->tail].next = (uint32_t)b->n;
	k->tail = (uint32_t)b->n++;
	k->count++;
	return CR_OK;
}

/* The folded person tokens of an event, deduplicated across its names. */
static int person_tokens(const Courant__Event *ev, char toks[][ST_KEY_MAX])
{
	int nt = 0;
	for (size_t i = 0; i < ev->n_persons && nt < TOKENS_MAX; i++) {
		char t[TOKENS_MAX][ST_KEY_MAX];
		int m = st_index_person_tokens(ev->persons[i], t, TOKENS_MAX - nt);
		for (int j = 0; j < m; j++) {
			int dup = 0;
			for (int k = 0; k < nt; k++)
				dup |= !strcmp(toks[k], t[j]);
			if (!dup)
				memcpy(toks[nt++], t[j], ST_KEY_MAX);
		}
	}
	return nt;
}

cr_err st_index_batch_add(st_index_batch *b, const Courant__Event *ev, const char *published,
			  uint64_t seq)
{
	char codes[ST_CODES_MAX][ST_KEY_MAX], key[ST_KEY_MAX];
	char toks[TOKENS_MAX][ST_KEY_MAX];
	int n, nt;
	cr_err err = CR_OK;

	n = st_index_codes(ev, codes);
	for (int i = 0; i < n && !err; i++)
		err = push(b, ST_IX_COUNTRY, codes[i], seq);
	for (int i = 0; i < n && !err; i++)
		for (int j = i + 1; j < n && !err; j++)
			if (!st_index_pair_key(codes[i], codes[j], key))
				err = push(b, ST_IX_PAIR, key, seq);
	if (!err && st_index_code_ok(ev->type))
		err = push(b, ST_IX_TYPE, ev->type, seq);
	st_index_date_key(ev, published, key);
	if (!err)
		err = push(b, ST_IX_DATE, key, seq);
	nt = person_tokens(ev, toks);
	for (int i = 0; i < nt && !err; i++)
		err = push(b, ST_IX_PERSON, toks[i], seq);
	return err;
}

static int cmp_key(const void *pa, const void *pb, void *keys)
{
	const struct key *a = pa, *b = pb;
	const char *kb = keys;
	int c;
	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	c = memcmp(kb + a->off, kb + b->off, a->len < b->len ? a->len : b->len);
	return c ? c : (a->len > b->len) - (a->len < b->len);
}

static int put_entry(MDB_cursor *c, MDB_val *k, const unsigned char be[8])
{
	MDB_val v = {8, (void *)be};
	int rc = mdb_cursor_put(c, k, &v, MDB_APPENDDUP);
	if (rc == MDB_KEYEXIST) /* not above the key's last seq: an ordinary insert */
		rc = mdb_cursor_put(c, k, &v, MDB_NODUPDATA);
	return rc == MDB_KEYEXIST ? 0 : rc;
}

/* The sequences of key k, ascending, as 8-byte big-endian values in one
 * array: LMDB stores them in one call (MDB_MULTIPLE, the indexes are
 * DUPFIXED), finding the key and its duplicates once instead of once per
 * sequence. An append that fails (a sequence not above the key's last one:
 * a re-index after a failed index txn) goes on one by one from there. */
static int put_key(MDB_cursor *c, MDB_val *kv, const unsigned char *be, size_t n)
{
	MDB_val v[2] = {{8, (void *)be}, {n, NULL}};
	size_t done = 0;
	int rc = n > 1 ? mdb_cursor_put(c, kv, v, MDB_MULTIPLE | MDB_APPENDDUP) : MDB_KEYEXIST;
	if (rc == MDB_KEYEXIST)
		done = n > 1 ? v[1].mv_size : 0;
	else if (rc == 0)
		done = n;
	for (rc = rc == MDB_KEYEXIST ? 0 : rc; done < n && !rc; done++)
		rc = put_entry(c, kv, be + 8 * done);
	return rc;
}

/* Room for n sequences in the batch's value array. */
static int vals_room(st_index_batch *b, size_t n)
{
	return grow((void **)&b->vals, &b->vcap, n * 8, 1);
}

cr_err st_index_batch_write(st_index_batch *b, st_db *db, MDB_txn *ixtxn)
{
	MDB_cursor *c = NULL;
	int rc = 0, which = -1;

	/* the slots are cleared by position, before the sort moves the keys */
	for (size_t i = 0; i < b->nk; i++)
		b->slot[b->k[i].slot] = 0;
	qsort_r(b->k, b->nk, sizeof *b->k, cmp_key, b->keys);
	for (size_t i = 0; i < b->nk && !rc; i++) {
		struct key *k = &b->k[i];
		MDB_val kv = {k->len, b->keys + k->off};
		size_t n = 0;
		if ((int)(k->order >> 56) != which) {
			if (c)
				mdb_cursor_close(c);
			c = NULL;
			which = (int)(k->order >> 56);
			if ((rc = mdb_cursor_open(ixtxn, st_db_dbi(db, (enum st_dbi)which), &c)))
				break;
		}
		if (vals_room(b, k->count)) {
			rc = ENOMEM;
			break;
		}
		for (uint32_t e = k->head; e != UINT32_MAX; e = b->e[e].next)
			st_be64_put(b->vals + 8 * n++, b->e[e].seq);
		rc = put_key(c, &kv, b->vals, n);
	}
	if (c)
		mdb_cursor_close(c);
	b->n = b->nk = b->klen = 0;
	return st_db_err(rc);
}

/* Index events (*from, upto] (at most CATCH_UP_CHUNK) in one index txn;
 * *from advances to the last one indexed. */
static cr_err catch_up_chunk(st_db *db, st_index_batch *ib, uint64_t *from, uint64_t upto)
{
	st_rtxn r;
	MDB_txn *ix = NULL;
	MDB_cursor *c = NULL;
	unsigned char be[8];
	MDB_val k = {8, be}, v;
	uint64_t last = *from;
	/* the write txn first: its begin may take the remap lock exclusively */
	cr_err err = st_db_write_begin(db, ST_ENV_INDEX, &ix);

	r.main = NULL;
	st_index_batch_reset(ib);
	if (!err)
		err = st_db_read_begin(db, &r);
	if (!err)
		err = st_db_err(mdb_cursor_open(r.main, st_db_dbi(db, ST_EVENTS), &c));
	st_be64_put(be, *from + 1);
	for (int rc = err ? 1 : mdb_cursor_get(c, &k, &v, MDB_SET_RANGE), n = 0;
	     !rc && !err && n < CATCH_UP_CHUNK; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT), n++) {
		Courant__EventRecord *rec = NULL;
		uint64_t seq = k.mv_size == 8 ? st_be64_get(k.mv_data) : 0;
		if (seq > upto)
			break;
		/* an undecodable record cannot be indexed; skipping it beats never
		 * indexing anything after it */
		if (!cr_decode_event_record(v.mv_data, v.mv_size, &rec, NULL, 0) && rec->event)
			err = st_index_batch_add(ib, rec->event, rec->published, seq);
		if (rec)
			cr_msg_free(&rec->base);
		last = seq;
	}
	if (c)
		mdb_cursor_close(c);
	if (!err)
		err = st_index_batch_write(ib, db, ix);
	if (!err)
		err = st_db_set_indexed_seq(db, ix, last);
	st_db_read_end(db, &r); /* before a commit that may fail into a grow */
	if (!err)
		err = st_db_commit(ix);
	else if (ix)
		mdb_txn_abort(ix);
	if (!err)
		*from = last;
	return err;
}

cr_err st_index_catch_up(st_db *db, uint64_t upto, uint64_t *indexed)
{
	st_rtxn r;
	uint64_t at = 0, start;
	st_index_batch *ib = st_index_batch_new();
	cr_err err = ib ? st_db_read_begin(db, &r) : CR_ENOMEM;
	int tries = 0;

	if (!err) {
		at = st_db_indexed_seq(db, r.index);
		st_db_read_end(db, &r);
	}
	start = at;
	while (!err && at < upto) {
		uint64_t before = at;
		err = catch_up_chunk(db, ib, &at, upto);
		if (err == CR_ENOSPC && tries++ < GROW_TRIES)
			err = st_db_grow(db, ST_ENV_INDEX);
		else if (!err && at == before)
			break; /* events end below upto: nothing more to index */
	}
	if (at > start || err)
		cr_info("index_caught_up", "from=%llu to=%llu err=%s", (unsigned long long)start,
			(unsigned long long)at, cr_errname(err));
	st_index_batch_destroy(&ib);
	*indexed = at;
	return err;
}
