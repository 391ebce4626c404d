/* Query answers built as packed QueryReply bytes (see query.h). */
#include "store/query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/codec.h"
#include "store/plan.h"
#include "store/record.h"

/* QueryReply field tags (proto/courant.proto), wire type 2 */
#define TAG_EVENTS 0x22  /* 4: repeated EventRecord */
#define TAG_ARTICLE 0x2a /* 5: Extraction */
#define TAG_DEAD 0x3a    /* 7: repeated DeadLetter */

struct ctx {
	st_db *db;
	st_rtxn r;
	MDB_txn *txn; /* r.main */
	uint64_t head; /* events <= head are committed and indexed in r */
	const Courant__Query *q;
	Courant__QueryReply hdr;
	cr_buf *body;   /* raw fields appended after the packed header */
	char why[160];
	size_t nevents;
};

static cr_err put_varint(cr_buf *b, uint64_t v)
{
	unsigned char tmp[10];
	size_t n = 0;
	do {
		tmp[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			tmp[n] |= 0x80;
		n++;
	} while (v);
	return cr_buf_append(b, tmp, n);
}

static cr_err put_field(cr_buf *b, unsigned char tag, const void *p, size_t n)
{
	cr_err err = cr_buf_putc(b, (char)tag);
	if (!err)
		err = put_varint(b, n);
	if (!err)
		err = cr_buf_append(b, p, n);
	return err;
}

static uint32_t limit_of(const Courant__Query *q)
{
	if (!q->has_limit || q->limit == 0)
		return ST_QUERY_DEFAULT_LIMIT;
	return q->limit > ST_QUERY_MAX_LIMIT ? ST_QUERY_MAX_LIMIT : q->limit;
}

static int date_passes(st_plan *p, const MDB_val *v)
{
	Courant__EventRecord *r = courant__event_record__unpack(NULL, v->mv_size, v->mv_data);
	int ok = 0;
	if (r) {
		ok = r->event && st_plan_date_ok(p, r->event, r->published);
		courant__event_record__free_unpacked(r, NULL);
	}
	return ok;
}

static cr_err answer_events(struct ctx *c)
{
	st_plan *p = NULL;
	MDB_dbi events = st_db_dbi(c->db, ST_EVENTS);
	uint32_t limit = limit_of(c->q);
	uint64_t from = (c->q->has_after_seq ? c->q->after_seq : 0) + 1;
	cr_err err = st_plan_new(&p, c->db, &c->r, c->q, c->why, sizeof c->why);

	while (!err && c->nevents < limit && c->body->len < ST_QUERY_MAX_BYTES && from) {
		unsigned char be[8];
		MDB_val k = {8, be}, v;
		uint64_t seq = st_plan_next(p, from);
		if (seq == ST_SEQ_END || seq > c->head)
			break;
		from = seq + 1;
		st_be64_put(be, seq);
		if (mdb_get(c->txn, events, &k, &v))
			continue;
		if (st_plan_needs_date_check(p) && !date_passes(p, &v))
			continue;
		err = put_field(c->body, TAG_EVENTS, v.mv_data, v.mv_size);
		c->nevents++;
	}
	st_plan_destroy(&p);
	return err;
}

static cr_err answer_article(struct ctx *c)
{
	MDB_val k, v;
	if (!c->q->id || !*c->q->id) {
		snprintf(c->why, sizeof c->why, "ARTICLE needs an id");
		return CR_EINVAL;
	}
	k.mv_size = strlen(c->q->id);
	k.mv_data = c->q->id;
	if (mdb_get(c->txn, st_db_dbi(c->db, ST_ARTICLES), &k, &v)) {
		snprintf(c->why, sizeof c->why, "article not found");
		return CR_ENOTFOUND;
	}
	/* the Extraction as received, whatever the stored form (record.h) */
	return st_record_append(c->txn, st_db_dbi(c->db, ST_EVENTS), v.mv_data, v.mv_size, TAG_ARTICLE, c->body);
}

/* DeadLetter{seq, rejection} as a QueryReply field; `keep_payload` 0 drops
 * the (possibly large) original payload, for listings. */
static cr_err put_dead(struct ctx *c, uint64_t seq, const MDB_val *v, int keep_payload)
{
	cr_buf inner;
	cr_err err;

	cr_buf_init(&inner, 0);
	err = cr_buf_putc(&inner, 0x08);
	if (!err)
		err = put_varint(&inner, seq);
	if (!err && keep_payload) {
		err = put_field(&inner, 0x12, v->mv_data, v->mv_size);
	} else if (!err) {
		Courant__Rejection *r = courant__rejection__unpack(NULL, v->mv_size, v->mv_data);
		if (!r) {
			err = CR_EPROTO;
		} else {
			size_t n;
			void *packed;
			r->has_payload = 0;
			packed = cr_pack(&r->base, &n);
			err = packed ? put_field(&inner, 0x12, packed, n) : CR_ENOMEM;
			free(packed);
			courant__rejection__free_unpacked(r, NULL);
		}
	}
	if (!err)
		err = put_field(c->body, TAG_DEAD, inner.data, inner.len);
	cr_buf_fini(&inner);
	return err;
}

static cr_err answer_dead_list(struct ctx *c)
{
	MDB_cursor *cur;
	unsigned char be[8];
	MDB_val k = {8, be}, v;
	uint32_t limit = limit_of(c->q), n = 0;
	cr_err err = CR_OK;
	int rc;

	if (mdb_cursor_open(c->txn, st_db_dbi(c->db, ST_DEAD), &cur))
		return CR_ESTORE;
	st_be64_put(be, (c->q->has_after_seq ? c->q->after_seq : 0) + 1);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); !rc && !err && n < limit;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT), n++)
		if (k.mv_size == 8)
			err = put_dead(c, st_be64_get(k.mv_data), &v, 0);
	mdb_cursor_close(cur);
	return err;
}

static cr_err answer_dead_one(struct ctx *c)
{
	unsigned char be[8];
	MDB_val k, v;
	char *end;
	uint64_t seq = 0;

	if (!c->q->id || !*c->q->id) {
		snprintf(c->why, sizeof c->why, "DEAD_LETTER needs an id");
		return CR_EINVAL;
	}
	k.mv_size = strlen(c->q->id);
	k.mv_data = c->q->id;
	if (!mdb_get(c->txn, st_db_dbi(c->db, ST_DEAD_IDS), &k, &v) && v.mv_size == 8)
		seq = st_be64_get(v.mv_data);
	else if (strtoull(c->q->id, &end, 10) > 0 && *end == '\0')
		seq = strtoull(c->q->id, NULL, 10); /* a dead letter's own seq */
	st_be64_put(be, seq);
	k.mv_size = 8;
	k.mv_data = be;
	if (!seq || mdb_get(c->txn, st_db_dbi(c->db, ST_DEAD), &k, &v)) {
		snprintf(c->why, sizeof c->why, "dead letter not found");
		return CR_ENOTFOUND;
	}
	return put_dead(c, seq, &v, 1);
}

static cr_err finish(struct ctx *c, cr_err err, cr_buf *out)
{
	size_t n;
	void *hdr;

	if (err) { /* a refused query: the error alone, no partial body */
		c->hdr.error = c->why[0] ? c->why : (char *)cr_strerror(err);
		c->body->len = 0;
		c->nevents = 0;
	}
	hdr = cr_pack(&c->hdr.base, &n);
	if (!hdr)
		return CR_ENOMEM;
	err = cr_buf_append(out, hdr, n);
	free(hdr);
	if (!err && c->body->len)
		err = cr_buf_append(out, c->body->data, c->body->len);
	return err;
}

cr_err st_query_answer(st_db *db, st_stats *stats, const Courant__Query *q, cr_buf *out,
		       size_t *nevents, uint64_t *head)
{
	struct ctx c = {.db = db, .q = q};
	cr_buf body;
	cr_err err;

	courant__query_reply__init(&c.hdr);
	c.hdr.version = CR_SCHEMA_VERSION;
	c.hdr.client_ref = q->client_ref;
	cr_buf_init(&body, ST_QUERY_MAX_BYTES + (CR_MAX_FRAME - ST_QUERY_MAX_BYTES) / 2);
	c.body = &body;
	*nevents = 0;
	err = st_db_read_begin(db, &c.r);
	if (err) {
		snprintf(c.why, sizeof c.why, "store unavailable");
		return finish(&c, err, out);
	}
	c.txn = c.r.main;
	/* announce only what both txns hold: between the writer's two commits
	 * the events are committed but not yet indexed */
	c.head = st_db_last_seq(c.txn, st_db_dbi(db, ST_EVENTS));
	if (st_db_indexed_seq(db, c.r.index) < c.head)
		c.head = st_db_indexed_seq(db, c.r.index);
	c.hdr.has_head_seq = 1;
	c.hdr.head_seq = c.head;
	*head = c.hdr.head_seq;
	switch (q->kind) {
	case COURANT__QUERY_KIND__EVENTS:
	case COURANT__QUERY_KIND__FOLLOW: err = answer_events(&c); break;
	case COURANT__QUERY_KIND__ARTICLE: err = answer_article(&c); break;
	case COURANT__QUERY_KIND__DEAD_LETTERS: err = answer_dead_list(&c); break;
	case COURANT__QUERY_KIND__DEAD_LETTER: err = answer_dead_one(&c); break;
	case COURANT__QUERY_KIND__STATS:
		err = st_stats_fill(stats, &c.hdr, st_db_count(c.txn, st_db_dbi(db, ST_ARTICLES)),
				    st_db_count(c.txn, st_db_dbi(db, ST_EVENTS)),
				    st_db_count(c.txn, st_db_dbi(db, ST_DEAD)), c.hdr.head_seq);
		break;
	default:
		snprintf(c.why, sizeof c.why, "unknown query kind");
		err = CR_EINVAL;
	}
	st_db_read_end(db, &c.r);
	*nevents = c.nevents;
	err = finish(&c, err, out);
	st_stats_reply_free(&c.hdr);
	cr_buf_fini(&body);
	return err;
}

cr_err st_query_error(const char *client_ref, const char *error, cr_buf *out)
{
	Courant__QueryReply r = COURANT__QUERY_REPLY__INIT;
	size_t n;
	void *p;
	cr_err err;

	r.version = CR_SCHEMA_VERSION;
	r.client_ref = (char *)client_ref;
	r.error = (char *)error;
	p = cr_pack(&r.base, &n);
	if (!p)
		return CR_ENOMEM;
	err = cr_buf_append(out, p, n);
	free(p);
	return err;
}
