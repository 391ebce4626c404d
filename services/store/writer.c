/* Group-commit write path of the store (see writer.h). */
#include "store/writer.h"

#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "common/codec.h"
#include "common/log.h"
#include "store/index.h"

#define GROW_TRIES 8

struct st_writer {
	st_db *db;
	uint64_t head;      /* last committed event seq */
	uint64_t dead_head; /* last committed dead-letter seq */
};

/* one batch in flight: sequences assigned so far (committed only on success) */
struct pass {
	st_writer *w;
	MDB_txn *txn;
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
static cr_err add_pub(st_result *r, uint64_t seq, const Courant__Event *ev, void *body, size_t len);

cr_err st_result_take(st_result *dst, st_result *src)
{
	cr_err err = CR_OK;
	for (size_t i = 0; i < src->nacks && !err; i++)
		err = add_ack(dst, src->acks[i].id, src->acks[i].seq, src->acks[i].status);
	for (size_t i = 0; i < src->npubs && !err; i++) {
		err = add_pub(dst, src->pubs[i].seq, src->pubs[i].ev, src->pubs[i].body, src->pubs[i].len);
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

static cr_err add_pub(st_result *r, uint64_t seq, const Courant__Event *ev, void *body, size_t len)
{
	if (r->npubs == r->cappubs) {
		size_t cap = r->cappubs ? r->cappubs * 2 : 64;
		st_pub *p = realloc(r->pubs, cap * sizeof *p);
		if (!p)
			return CR_ENOMEM;
		r->pubs = p;
		r->cappubs = cap;
	}
	r->pubs[r->npubs++] = (st_pub){seq, ev, body, len};
	return CR_OK;
}

st_writer *st_writer_new(st_db *db)
{
	st_writer *w = calloc(1, sizeof *w);
	MDB_txn *txn;
	if (!w)
		return NULL;
	w->db = db;
	if (!st_db_read_begin(db, &txn)) {
		w->head = st_db_last_seq(txn, st_db_dbi(db, ST_EVENTS));
		w->dead_head = st_db_last_seq(txn, st_db_dbi(db, ST_DEAD));
		st_db_read_end(db, &txn);
	}
	return w;
}

void st_writer_destroy(st_writer **pw)
{
	free(*pw);
	*pw = NULL;
}

uint64_t st_writer_head(const st_writer *w)
{
	return w->head;
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

static uint64_t fnv64(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static cr_err put_event(struct pass *p, const Courant__Article *a, Courant__Event *ev)
{
	Courant__EventRecord rec = COURANT__EVENT_RECORD__INIT;
	unsigned char be[8];
	MDB_val k = {8, be};
	size_t len;
	void *body;
	cr_err err;

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
	len = courant__event_record__get_packed_size(&rec);
	body = malloc(len ? len : 1);
	if (!body)
		return CR_ENOMEM;
	courant__event_record__pack(&rec, body);
	err = add_pub(p->res, rec.seq, ev, body, len);
	if (err) {
		free(body);
		return err;
	}
	{
		MDB_val v = {len, body};
		int rc = mdb_put(p->txn, st_db_dbi(p->w->db, ST_EVENTS), &k, &v, MDB_APPEND);
		if (rc)
			return st_db_err(rc);
	}
	p->res->events++;
	return st_index_put(p->w->db, p->txn, ev, a->published, rec.seq);
}

static cr_err put_extraction(struct pass *p, Courant__Extraction *x)
{
	const Courant__Article *a = x->article;
	st_db *db = p->w->db;
	MDB_val k = {strlen(a->id), a->id};
	cr_err err;

	if (exists(p->txn, st_db_dbi(db, ST_ARTICLES), a->id)) {
		p->res->duplicates++;
		return add_ack(p->res, a->id, a->seq, COURANT__ACK_STATUS__DUPLICATE_STORED);
	}
	err = put_packed(p->txn, st_db_dbi(db, ST_ARTICLES), &k, &x->base, MDB_NOOVERWRITE);
	for (size_t i = 0; i < x->n_events && !err; i++)
		if (x->events[i] && x->events[i]->type)
			err = put_event(p, a, x->events[i]);
	if (!err && a->url && *a->url) {
		unsigned char h[8];
		MDB_val uk = {8, h}, uv = {strlen(a->id), a->id};
		int rc;
		st_be64_put(h, fnv64(a->url));
		rc = mdb_put(p->txn, st_db_dbi(db, ST_URLS), &uk, &uv, MDB_NOOVERWRITE);
		err = rc == MDB_KEYEXIST ? CR_OK : st_db_err(rc);
	}
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

static cr_err one_pass(st_writer *w, Courant__Work *const *work, size_t n, st_result *res)
{
	struct pass p = {w, NULL, w->head, w->dead_head, now_us(), res};
	cr_err err = st_db_write_begin(w->db, &p.txn);

	for (size_t i = 0; i < n && !err; i++) {
		if (work[i]->extraction)
			err = put_extraction(&p, work[i]->extraction);
		else if (work[i]->rejection)
			err = put_rejection(&p, work[i]->rejection);
	}
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

cr_err st_writer_commit(st_writer *w, Courant__Work *const *work, size_t n, st_result *res)
{
	cr_err err;
	uint64_t grows = 0;

	for (int tries = 0;; tries++) {
		st_result_reset(res);
		err = one_pass(w, work, n, res);
		if (err != CR_ENOSPC || tries >= GROW_TRIES)
			break;
		err = st_db_grow(w->db);
		if (err)
			break;
		grows++;
	}
	if (err) {
		st_result_reset(res);
		cr_error("commit_failed", "items=%zu err=%s", n, cr_errname(err));
	}
	res->grows = grows;
	return err;
}
