/* Group-commit write path of the store (see writer.h). */
#include "store/writer.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "common/codec.h"
#include "common/log.h"
#include "common/peek.h"
#include "common/zio.h"
#include "store/index.h"
#include "store/record.h"
#include "common/wire.h"

#define GROW_TRIES 8
#define RETRY_US 1000000u /* between index attempts after a failure */

struct st_writer {
	st_db *db;
	uint64_t head;      /* last committed event seq */
	uint64_t dead_head; /* last committed dead-letter seq */
	uint64_t indexed;   /* last event seq committed to the index env */
	st_index_batch *ix; /* entries of events (indexed, head] while ix_ok */
	int ix_ok;          /* else the next index write reads the events back */
	unsigned index_gap_us;
	unsigned long long index_last_us; /* start of the last index txn */
	int index_failing;                /* it failed: retry after RETRY_US */
	unsigned long kill_after, commits; /* crash-test hook (writer.h) */
};

/* one batch in flight: sequences assigned so far (committed only on success) */
struct pass {
	st_writer *w;
	MDB_txn *txn;
	MDB_cursor *events; /* appends to `events`, opened at the first */
	uint64_t head, dead_head, now_us;
	st_result *res;
};

void st_result_init(st_result *r)
{
	memset(r, 0, sizeof *r);
}

void st_result_reset(st_result *r)
{
	for (size_t i = 0; i < r->npubs; i++)
		free(r->pubs[i].body);
	r->nacks = r->npubs = 0;
	r->stored = r->duplicates = r->dead = r->events = r->grows = 0;
}

void st_result_fini(st_result *r)
{
	st_result_reset(r);
	free(r->acks);
	free(r->pubs);
	memset(r, 0, sizeof *r);
}

static cr_err add_ack(st_result *r, const char *id, uint64_t seq, Courant__AckStatus st);
static cr_err add_pub(st_result *r, const st_pub *p);

cr_err st_result_take(st_result *dst, st_result *src)
{
	cr_err err = CR_OK;
	for (size_t i = 0; i < src->nacks && !err; i++)
		err = add_ack(dst, src->acks[i].id, src->acks[i].seq, src->acks[i].status);
	for (size_t i = 0; i < src->npubs && !err; i++) {
		err = add_pub(dst, &src->pubs[i]);
		if (!err)
			src->pubs[i].body = NULL; /* now owned by dst */
	}
	dst->stored += src->stored;
	dst->duplicates += src->duplicates;
	dst->dead += src->dead;
	dst->events += src->events;
	dst->grows += src->grows;
	st_result_reset(src);
	return err;
}

static uint64_t now_us(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec;
}

static cr_err add_ack(st_result *r, const char *id, uint64_t seq, Courant__AckStatus st)
{
	if (!id || !*id)
		return CR_OK;
	if (r->nacks == r->capacks) {
		size_t cap = r->capacks ? r->capacks * 2 : 64;
		Courant__AckItem *a = realloc(r->acks, cap * sizeof *a);
		if (!a)
			return CR_ENOMEM;
		r->acks = a;
		r->capacks = cap;
	}
	courant__ack_item__init(&r->acks[r->nacks]);
	r->acks[r->nacks].id = (char *)id;
	r->acks[r->nacks].seq = seq;
	r->acks[r->nacks].status = st;
	r->nacks++;
	return CR_OK;
}

static cr_err add_pub(st_result *r, const st_pub *p)
{
	if (r->npubs == r->cappubs) {
		size_t cap = r->cappubs ? r->cappubs * 2 : 64;
		st_pub *p = realloc(r->pubs, cap * sizeof *p);
		if (!p)
			return CR_ENOMEM;
		r->pubs = p;
		r->cappubs = cap;
	}
	r->pubs[r->npubs++] = *p;
	return CR_OK;
}

st_writer *st_writer_new(st_db *db)
{
	st_writer *w = calloc(1, sizeof *w);
	const char *kill = getenv("COURANT_STORE_TEST_KILL_AFTER");
	st_rtxn r;
	if (!w)
		return NULL;
	w->db = db;
	if (!(w->ix = st_index_batch_new())) {
		free(w);
		return NULL;
	}
	w->kill_after = kill ? strtoul(kill, NULL, 10) : 0;
	if (!st_db_read_begin(db, &r)) {
		w->head = st_db_last_seq(r.main, st_db_dbi(db, ST_EVENTS));
		w->dead_head = st_db_last_seq(r.main, st_db_dbi(db, ST_DEAD));
		w->indexed = st_db_indexed_seq(db, r.index);
		st_db_read_end(db, &r);
	}
	/* a failure here is retried at the next index write */
	if (w->indexed < w->head)
		st_index_catch_up(db, w->head, &w->indexed);
	w->ix_ok = w->indexed == w->head;
	return w;
}

void st_writer_set_index_gap(st_writer *w, unsigned gap_us)
{
	w->index_gap_us = gap_us;
}

void st_writer_destroy(st_writer **pw)
{
	if (*pw) {
		st_writer_index(*pw, 1);
		st_index_batch_destroy(&(*pw)->ix);
	}
	free(*pw);
	*pw = NULL;
}

uint64_t st_writer_head(const st_writer *w)
{
	return w->head;
}

uint64_t st_writer_indexed(const st_writer *w)
{
	return w->indexed;
}

static int exists(MDB_txn *txn, MDB_dbi dbi, const char *id)
{
	MDB_val k = {strlen(id), (void *)id}, v;
	return mdb_get(txn, dbi, &k, &v) == 0;
}

/* Pack `m` straight into a reserved LMDB value. */
static cr_err put_packed(MDB_txn *txn, MDB_dbi dbi, MDB_val *k, const ProtobufCMessage *m,
			 unsigned flags)
{
	MDB_val v = {protobuf_c_message_get_packed_size(m), NULL};
	int rc = mdb_put(txn, dbi, k, &v, flags | MDB_RESERVE);
	if (rc)
		return st_db_err(rc);
	protobuf_c_message_pack(m, v.mv_data);
	return CR_OK;
}

/* The packed EventRecord of `rec`, its event taken as the bytes that arrived
 * (evb, evlen) when given: the same bytes protobuf-c would produce (fields
 * in number order, optional strings when set), without walking the event
 * again. NULL when out of memory. */
static void *pack_record(const Courant__EventRecord *rec, const uint8_t *evb, size_t evlen, size_t *len)
{
	const char *s[] = {rec->article_id, NULL, rec->published, rec->url, rec->lang};
	size_t max = 5 * CR_WIRE_VARINT_MAX + 2 * CR_WIRE_VARINT_MAX + evlen, n = 0;
	uint8_t *out;

	if (!evb || !rec->article_id) {
		*len = courant__event_record__get_packed_size(rec);
		out = malloc(*len ? *len : 1);
		if (out)
			courant__event_record__pack(rec, out);
		return out;
	}
	for (int i = 0; i < 5; i++)
		max += s[i] ? 2 * CR_WIRE_VARINT_MAX + strlen(s[i]) : 0;
	if (!(out = malloc(max)))
		return NULL;
	n += cr_wire_put_u64(out + n, 1, rec->version);
	n += cr_wire_put_u64(out + n, 2, rec->seq);
	n += cr_wire_put_bytes(out + n, 3, s[0], strlen(s[0]));
	n += cr_wire_put_bytes(out + n, 4, evb, evlen);
	for (unsigned f = 5; f <= 7; f++)
		if (s[f - 3])
			n += cr_wire_put_bytes(out + n, f, s[f - 3], strlen(s[f - 3]));
	if (rec->has_stored_us)
		n += cr_wire_put_u64(out + n, 8, rec->stored_us);
	if (rec->has_submitted_us)
		n += cr_wire_put_u64(out + n, 9, rec->submitted_us);
	*len = n;
	return out;
}

/* Event `ev` of article `a`; evb/evlen its bytes as they arrived, or NULL. */
static cr_err put_event(struct pass *p, const Courant__Article *a, Courant__Event *ev, const uint8_t *evb,
			size_t evlen)
{
	Courant__EventRecord rec = COURANT__EVENT_RECORD__INIT;
	unsigned char be[8];
	MDB_val k = {8, be}, v;
	size_t len;
	void *body;
	cr_err err;
	int rc;

	rec.version = CR_SCHEMA_VERSION;
	rec.seq = ++p->head;
	rec.article_id = a->id;
	rec.event = ev;
	rec.published = a->published;
	rec.url = a->url;
	rec.lang = a->lang;
	rec.has_stored_us = 1;
	rec.stored_us = p->now_us;
	rec.has_submitted_us = a->has_submitted_us;
	rec.submitted_us = a->submitted_us;
	st_be64_put(be, rec.seq);
	if (!(body = pack_record(&rec, evb, evlen, &len)))
		return CR_ENOMEM;
	err = add_pub(p->res, &(st_pub){rec.seq, ev, a->published, body, len});
	if (err) {
		free(body);
		return err;
	}
	v.mv_size = len;
	v.mv_data = body;
	/* one cursor for the batch: an append through it starts from the last
	 * leaf it wrote instead of descending from the root (mdb_put) */
	if (!p->events && (rc = mdb_cursor_open(p->txn, st_db_dbi(p->w->db, ST_EVENTS), &p->events)))
		return st_db_err(rc);
	rc = mdb_cursor_put(p->events, &k, &v, MDB_APPEND);
	if (rc)
		return st_db_err(rc);
	p->res->events++;
	return CR_OK;
}

/* Will every event of x be stored, in order, from its arrived bytes? Then
 * the article value can leave them out (record.h): 1 with their range. */
static int slim_ok(const Courant__Extraction *x, const uint8_t *xb, size_t xlen, size_t *start, size_t *end)
{
	for (size_t i = 0; i < x->n_events; i++)
		if (!x->events[i] || !x->events[i]->type)
			return 0;
	return xb && st_record_events(xb, xlen, x->n_events, start, end) == 0;
}

/* The article value: the Extraction bytes as they arrived (xb, xlen: field 3
 * of the Work frame) when known, without its events when they will be
 * stored from those bytes as events p->head + 1 .. (record.h); else packed
 * again. */
static cr_err put_article(struct pass *p, Courant__Extraction *x, const uint8_t *xb, size_t xlen)
{
	MDB_dbi dbi = st_db_dbi(p->w->db, ST_ARTICLES);
	MDB_val k = {strlen(x->article->id), x->article->id}, v = {xlen, (void *)xb};
	size_t start, end;
	int rc;

	if (!xb)
		return put_packed(p->txn, dbi, &k, &x->base, MDB_NOOVERWRITE);
	if (!slim_ok(x, xb, xlen, &start, &end))
		return st_db_err(mdb_put(p->txn, dbi, &k, &v, MDB_NOOVERWRITE));
	v.mv_size = st_record_slim_size(xlen, start, end, x->n_events, p->head + 1);
	v.mv_data = NULL;
	if ((rc = mdb_put(p->txn, dbi, &k, &v, MDB_NOOVERWRITE | MDB_RESERVE)))
		return st_db_err(rc);
	st_record_slim(v.mv_data, xb, xlen, start, end, x->n_events, p->head + 1);
	return CR_OK;
}

/* Each event with a type, with its arrived bytes (the i-th occurrence of
 * Extraction field 4) when the extraction's bytes are known. */
static cr_err put_events(struct pass *p, Courant__Extraction *x, const uint8_t *xb, size_t xlen)
{
	size_t pos = 0;
	cr_err err = CR_OK;
	for (size_t i = 0; i < x->n_events && !err; i++) {
		const uint8_t *evb = NULL;
		size_t evlen = 0;
		if (xb && cr_wire_next(xb, xlen, 4, &pos, &evb, &evlen))
			xb = NULL, evb = NULL; /* not parseable after all: pack from here on */
		if (x->events[i] && x->events[i]->type)
			err = put_event(p, x->article, x->events[i], evb, evlen);
	}
	return err;
}

static cr_err put_extraction(struct pass *p, Courant__Extraction *x, const st_raw *raw)
{
	const Courant__Article *a = x->article;
	const uint8_t *xb = NULL;
	size_t off = 0, xlen = 0;
	cr_err err;

	if (raw && raw->data && cr_peek_field_range(raw->data, raw->len, 3, &off, &xlen) == 0)
		xb = (const uint8_t *)raw->data + off;
	/* MDB_NOOVERWRITE finds a stored id in the same descent as the put
	 * (no lookup of its own): then nothing is written */
	err = put_article(p, x, xb, xlen);
	if (err == CR_EEXIST) {
		p->res->duplicates++;
		return add_ack(p->res, a->id, a->seq, COURANT__ACK_STATUS__DUPLICATE_STORED);
	}
	if (!err)
		err = put_events(p, x, xb, xlen);
	if (!err) {
		p->res->stored++;
		err = add_ack(p->res, a->id, a->seq, COURANT__ACK_STATUS__STORED);
	}
	return err;
}

static cr_err put_rejection(struct pass *p, Courant__Rejection *r)
{
	st_db *db = p->w->db;
	unsigned char be[8];
	MDB_val k = {8, be};
	const char *id = r->id && *r->id ? r->id : NULL;
	uint64_t seq = r->has_seq ? r->seq : 0;
	cr_err err;

	if (id && exists(p->txn, st_db_dbi(db, ST_ARTICLES), id)) {
		p->res->duplicates++;
		return add_ack(p->res, id, seq, COURANT__ACK_STATUS__DUPLICATE_STORED);
	}
	if (id && exists(p->txn, st_db_dbi(db, ST_DEAD_IDS), id))
		return add_ack(p->res, id, seq, COURANT__ACK_STATUS__DEAD);
	if (!r->has_at_us) {
		r->has_at_us = 1;
		r->at_us = p->now_us;
	}
	st_be64_put(be, ++p->dead_head);
	err = put_packed(p->txn, st_db_dbi(db, ST_DEAD), &k, &r->base, MDB_APPEND);
	if (!err && id) {
		MDB_val ik = {strlen(id), (void *)id};
		int rc = mdb_put(p->txn, st_db_dbi(db, ST_DEAD_IDS), &ik, &k, MDB_NOOVERWRITE);
		err = st_db_err(rc);
	}
	if (!err) {
		p->res->dead++;
		err = add_ack(p->res, id, seq, COURANT__ACK_STATUS__DEAD);
	}
	return err;
}

static cr_err one_pass(st_writer *w, Courant__Work *const *work, const st_raw *raw, size_t n,
		       st_result *res)
{
	struct pass p = {w, NULL, NULL, w->head, w->dead_head, now_us(), res};
	cr_err err = st_db_write_begin(w->db, ST_ENV_MAIN, &p.txn);

	for (size_t i = 0; i < n && !err; i++) {
		if (work[i]->extraction)
			err = put_extraction(&p, work[i]->extraction, raw ? &raw[i] : NULL);
		else if (work[i]->rejection)
			err = put_rejection(&p, work[i]->rejection);
	}
	if (p.events)
		mdb_cursor_close(p.events);
	if (err) {
		if (p.txn)
			mdb_txn_abort(p.txn);
		return err;
	}
	err = st_db_commit(p.txn);
	if (!err) {
		w->head = p.head;
		w->dead_head = p.dead_head;
	}
	return err;
}

/* The pending index entries in one txn of the index env (no fsync). */
static cr_err index_pass(st_writer *w)
{
	MDB_txn *ix = NULL;
	cr_err err = st_db_write_begin(w->db, ST_ENV_INDEX, &ix);
	if (!err)
		err = st_index_batch_write(w->ix, w->db, ix);
	if (!err)
		err = st_db_set_indexed_seq(w->db, ix, w->head);
	if (!err)
		return st_db_commit(ix);
	if (ix)
		mdb_txn_abort(ix);
	return err;
}

/* After the synced commit: collect the index entries of what it added. */
static void index_collect(st_writer *w, const st_result *res)
{
	cr_err err = CR_OK;
	for (size_t i = 0; i < res->npubs && !err && w->ix_ok; i++)
		err = st_index_batch_add(w->ix, res->pubs[i].ev, res->pubs[i].published, res->pubs[i].seq);
	if (err) { /* read the events back at the next index write instead */
		st_index_batch_reset(w->ix);
		w->ix_ok = 0;
	}
}

int st_writer_index(st_writer *w, int now)
{
	cr_err err = CR_OK;
	unsigned long long t = cr_mono_us();
	if (w->indexed == w->head)
		return 0;
	if ((!now && t - w->index_last_us < w->index_gap_us) || (w->index_failing && t - w->index_last_us < RETRY_US))
		return 0;
	w->index_last_us = t;
	if (w->ix_ok) {
		err = index_pass(w); /* a full map or any other failure: catch up below */
		if (!err)
			w->indexed = w->head;
	}
	st_index_batch_reset(w->ix);
	if (w->indexed < w->head)
		err = st_index_catch_up(w->db, w->head, &w->indexed);
	w->ix_ok = w->indexed == w->head;
	w->index_failing = err != CR_OK;
	if (err)
		cr_error("index_failed", "indexed=%llu head=%llu err=%s", (unsigned long long)w->indexed,
			 (unsigned long long)w->head, cr_errname(err));
	return 1;
}

cr_err st_writer_commit(st_writer *w, Courant__Work *const *work, const st_raw *raw, size_t n,
			st_result *res)
{
	cr_err err;
	uint64_t grows = 0;

	for (int tries = 0;; tries++) {
		st_result_reset(res);
		err = one_pass(w, work, raw, n, res);
		if (err != CR_ENOSPC || tries >= GROW_TRIES)
			break;
		err = st_db_grow(w->db, ST_ENV_MAIN);
		if (err)
			break;
		grows++;
	}
	if (err) {
		st_result_reset(res);
		cr_error("commit_failed", "items=%zu err=%s", n, cr_errname(err));
	} else {
		if (w->kill_after && ++w->commits == w->kill_after)
			raise(SIGKILL);
		index_collect(w, res);
		st_writer_index(w, 0);
	}
	res->grows = grows;
	return err;
}
