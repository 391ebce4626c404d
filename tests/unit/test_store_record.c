/* Stored article values (store/record.h): an article whose events are also
 * in `events` is stored without them and answered with the very bytes that
 * arrived; anything else, and the values of older stores, as they are. And
 * the synced env's blocks reserved past its end of file (db.c, main_room). */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "t.h"
#include "common/codec.h"
#include "common/peek.h"
#include "common/wire.h"
#include "store/db.h"
#include "store/query.h"
#include "store/record.h"
#include "store/stats.h"
#include "store/writer.h"

static char dir[256];
static st_db *db;
static st_stats *stats;

/* A packed Work{extraction} of article `id` with `n` events (types from
 * `types`), an entity and a body; caller frees. */
static void *frame(const char *id, const char *const *types, int n, size_t *len)
{
	Courant__Work w = COURANT__WORK__INIT;
	Courant__Extraction x = COURANT__EXTRACTION__INIT;
	Courant__Article a = COURANT__ARTICLE__INIT;
	Courant__Entity ent = COURANT__ENTITY__INIT, *ents[1] = {&ent};
	Courant__Event ev[8], *evs[8];
	char *actor[1] = {"FRA"}, *rec[1] = {"MLI"};
	w.version = x.version = a.version = CR_SCHEMA_VERSION;
	a.id = (char *)id;
	a.seq = 7;
	a.url = "https://example.org/r";
	a.published = "2024-05-01";
	a.text = "Paris a aidé Bamako. Rien d'autre.";
	a.has_raw = 1;
	a.raw.data = (uint8_t *)"<p>Paris a aidé Bamako.</p>";
	a.raw.len = strlen((const char *)a.raw.data);
	ent.type = COURANT__ENTITY_TYPE__COUNTRY;
	ent.name = "France";
	ent.code = "FRA";
	for (int i = 0; i < n; i++) {
		courant__event__init(&ev[i]);
		ev[i].type = (char *)types[i];
		ev[i].actor = actor;
		ev[i].n_actor = 1;
		ev[i].recipient = rec;
		ev[i].n_recipient = (size_t)(i % 2);
		ev[i].date = i % 2 ? "2024-04-30" : NULL;
		ev[i].has_sentence = 1;
		ev[i].sentence = (uint32_t)i;
		evs[i] = &ev[i];
	}
	x.article = &a;
	x.entities = ents;
	x.n_entities = 1;
	x.events = evs;
	x.n_events = (size_t)n;
	w.extraction = &x;
	return cr_pack(&w.base, len);
}

static cr_err commit(st_writer *w, const void *f, size_t len)
{
	Courant__Work *work = NULL;
	st_raw raw = {f, len};
	st_result r;
	cr_err err = cr_decode_work(f, len, &work, NULL, 0);
	st_result_init(&r);
	if (!err)
		err = st_writer_commit(w, &work, &raw, 1, &r);
	st_result_fini(&r);
	cr_msg_free(work ? &work->base : NULL);
	return err;
}

/* The ARTICLE answer for id: the Extraction bytes (field 5 of the reply)
 * into *x, or the error. Returns the reply bytes (caller frees). */
static char *article(const char *id, const uint8_t **x, size_t *xlen, Courant__QueryReply **rep)
{
	Courant__Query q = COURANT__QUERY__INIT;
	cr_buf out;
	size_t n, pos = 0;
	uint64_t head;
	q.version = CR_SCHEMA_VERSION;
	q.kind = COURANT__QUERY_KIND__ARTICLE;
	q.id = (char *)id;
	cr_buf_init(&out, 0);
	T_EQ_INT(st_query_answer(db, stats, &q, &out, &n, &head), CR_OK);
	*x = NULL;
	*xlen = 0;
	cr_wire_next(out.data, out.len, 5, &pos, x, xlen);
	*rep = NULL;
	cr_decode_query_reply(out.data, out.len, rep, NULL, 0);
	return cr_buf_steal(&out, &n);
}

/* The stored value of id (a copy), its length in *len. */
static uint8_t *stored(const char *id, size_t *len)
{
	st_rtxn r;
	MDB_val k = {strlen(id), (void *)id}, v;
	uint8_t *copy = NULL;
	*len = 0;
	if (st_db_read_begin(db, &r))
		return NULL;
	if (!mdb_get(r.main, st_db_dbi(db, ST_ARTICLES), &k, &v) && (copy = malloc(v.mv_size + 1))) {
		memcpy(copy, v.mv_data, v.mv_size);
		*len = v.mv_size;
	}
	st_db_read_end(db, &r);
	return copy;
}

/* Stored without its events, answered with the bytes that arrived. */
static void test_slim_roundtrip(void)
{
	static const char *const types[] = {"CONSULT", "AID", "ACCUSE", "AGREE", "ASSAULT"};
	st_writer *w = st_writer_new(db);
	for (int n = 0; n <= 5; n++) {
		char id[16];
		size_t flen = 0, off = 0, xl = 0, sl = 0, al = 0;
		void *f;
		const uint8_t *x = NULL;
		Courant__QueryReply *rep = NULL;
		uint8_t *s;
		char *reply;
		snprintf(id, sizeof id, "slim%d", n);
		f = frame(id, types, n, &flen);
		T_OK(f && cr_peek_field_range(f, flen, 3, &off, &xl) == 0);
		T_EQ_INT(commit(w, f, flen), CR_OK);
		s = stored(id, &sl);
		/* with events: slim, smaller by at least the events' bytes */
		T_EQ_INT(s ? st_record_is_slim(s, sl) : -1, n > 0);
		if (n > 0)
			T_OK(sl < xl);
		reply = article(id, &x, &al, &rep);
		T_OK(x && al == xl && !memcmp(x, (const uint8_t *)f + off, xl));
		T_OK(rep && rep->article && rep->article->n_events == (size_t)n);
		cr_msg_free(rep ? &rep->base : NULL);
		free(reply);
		free(s);
		free(f);
	}
	st_writer_destroy(&w);
}

/* Events that are not the last fields (protobuf-c packs them last, any
 * order is valid): what follows them is put back after them. */
static void test_slim_middle(void)
{
	static const char *const types[] = {"CONSULT", "AID", "AGREE"};
	size_t flen = 0, off = 0, xl = 0, al = 0, sl = 0, wl;
	void *f = frame("mid1", types, 3, &flen);
	uint8_t *w = NULL, *s;
	const uint8_t *x = NULL;
	Courant__QueryReply *rep = NULL;
	st_writer *wr = st_writer_new(db);
	char *reply;

	T_OK(f && cr_peek_field_range(f, flen, 3, &off, &xl) == 0);
	T_OK(xl > 2 && !memcmp((const uint8_t *)f + off, "\x08\x01", 2));
	if (!(w = malloc(xl + 32)) || xl <= 2)
		goto out;
	/* Work{version 1, extraction: its fields 2.. then field 1 last} */
	wl = 0;
	w[wl++] = 0x08;
	w[wl++] = 0x01;
	w[wl++] = 0x1a;
	wl += cr_wire_varint(w + wl, xl);
	memcpy(w + wl, (const uint8_t *)f + off + 2, xl - 2);
	memcpy(w + wl + xl - 2, "\x08\x01", 2);
	T_EQ_INT(commit(wr, w, wl + xl), CR_OK);
	s = stored("mid1", &sl);
	T_OK(s && st_record_is_slim(s, sl));
	free(s);
	reply = article("mid1", &x, &al, &rep);
	T_OK(x && al == xl && !memcmp(x, w + wl, xl));
	cr_msg_free(rep ? &rep->base : NULL);
	free(reply);
out:
	st_writer_destroy(&wr);
	free(w);
	free(f);
}

/* What the slim form accepts of the events' encoding. */
static void test_events_form(void)
{
	/* version, article {"x"}, event "a", event "bb" */
	static const uint8_t ok[] = {0x08, 0x01, 0x12, 0x01, 0x78, 0x22, 0x01, 0x61, 0x22, 0x02, 0x62, 0x62};
	/* an entity between the two events */
	static const uint8_t apart[] = {0x22, 0x01, 0x61, 0x1a, 0x00, 0x22, 0x01, 0x62};
	/* a length prefix longer than needed (1 in two bytes) */
	static const uint8_t longlen[] = {0x08, 0x01, 0x22, 0x81, 0x00, 0x61};
	/* field 4's tag in two bytes */
	static const uint8_t longtag[] = {0xa2, 0x00, 0x01, 0x61};
	/* field 4 as a varint */
	static const uint8_t varint[] = {0x20, 0x01};
	/* truncated */
	static const uint8_t cut[] = {0x22, 0x05, 0x61};
	size_t s = 0, e = 0;
	T_EQ_INT(st_record_events(ok, sizeof ok, 2, &s, &e), 0);
	T_EQ_INT(s, 5);
	T_EQ_INT(e, sizeof ok);
	T_EQ_INT(st_record_events(ok, sizeof ok, 1, &s, &e), -1);
	T_EQ_INT(st_record_events(ok, sizeof ok, 3, &s, &e), -1);
	T_EQ_INT(st_record_events(ok, sizeof ok, 0, &s, &e), -1);
	T_EQ_INT(st_record_events(apart, sizeof apart, 2, &s, &e), -1);
	T_EQ_INT(st_record_events(longlen, sizeof longlen, 1, &s, &e), -1);
	T_EQ_INT(st_record_events(longtag, sizeof longtag, 1, &s, &e), -1);
	T_EQ_INT(st_record_events(varint, sizeof varint, 1, &s, &e), -1);
	T_EQ_INT(st_record_events(cut, sizeof cut, 1, &s, &e), -1);
	/* the slim value: header, then the bytes around the events */
	{
		uint8_t out[ST_RECORD_HEAD_MAX + sizeof ok];
		size_t n = st_record_slim(out, ok, sizeof ok, 5, sizeof ok, 2, 300);
		static const uint8_t want[] = {0x00, 0x01, 0xac, 0x02, 0x02, 0x05, 0x08, 0x01, 0x12, 0x01, 0x78};
		T_EQ_INT(n, sizeof want);
		T_EQ_INT(st_record_slim_size(sizeof ok, 5, sizeof ok, 2, 300), sizeof want);
		T_OK(!memcmp(out, want, sizeof want));
		T_OK(st_record_is_slim(out, n));
		T_OK(!st_record_is_slim(ok, sizeof ok));
	}
}

static void put_value(const char *id, const void *v, size_t len);

static uint32_t rnd_state = 12345;
static uint32_t rnd(uint32_t n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 8) % n;
}

/* Random field sequences, each known to be in the slim form or not (events
 * contiguous, one-byte tag, shortest prefix): st_record_events must say the
 * same, and its range must put the input back together; cut anywhere, the
 * bytes must be refused or parsed within bounds (ASan builds check). */
static void test_events_random(void)
{
	uint8_t buf[512], back[512];
	int agree = 0, slim = 0;
	for (int round = 0; round < 20000; round++) {
		size_t len = 0, n = 0, s = 0, e = 0;
		int nf = (int)rnd(8), ok = 1, state = 0; /* 0 before events, 1 in, 2 after */
		for (int f = 0; f < nf; f++) {
			static const unsigned nums[] = {1, 2, 3, 4, 4, 4, 5, 15};
			unsigned num = nums[rnd(8)], wt = num == 4 ? (rnd(10) ? 2 : 0) : (rnd(3) ? 2 : 0);
			size_t vlen = rnd(40);
			int longtag = !rnd(12), longlen = wt == 2 && !rnd(12);
			uint64_t key = (uint64_t)num << 3 | wt;
			if (longtag) {
				buf[len++] = (uint8_t)(key | 0x80);
				buf[len++] = 0x00;
			} else {
				len += cr_wire_varint(buf + len, key);
			}
			if (wt == 0) {
				len += cr_wire_varint(buf + len, rnd(1000));
			} else {
				if (longlen) {
					buf[len++] = (uint8_t)(vlen | 0x80);
					buf[len++] = 0x00;
				} else {
					len += cr_wire_varint(buf + len, vlen);
				}
				for (size_t i = 0; i < vlen; i++)
					buf[len++] = (uint8_t)rnd(256);
			}
			if (num == 4) {
				n++;
				ok &= wt == 2 && !longtag && !longlen && state != 2;
				state = 1;
			} else if (state == 1) {
				state = 2;
			}
		}
		ok &= n > 0;
		{
			int r = st_record_events(buf, len, n, &s, &e);
			agree += (r == 0) == ok;
			if (r == 0) {
				/* prefix, the events re-encoded as the slim form puts them back, suffix */
				size_t k = s, bl = 0;
				memcpy(back, buf, s);
				bl = s;
				while (k < e) {
					const uint8_t *p = buf + k + 1;
					uint64_t vl = 0;
					if (buf[k] != 0x22 || cr_wire_get_varint(&p, buf + e, &vl) || vl > (uint64_t)(buf + e - p)) {
						bl = 0; /* not events one after the other */
						break;
					}
					back[bl++] = 0x22;
					bl += cr_wire_varint(back + bl, vl);
					memcpy(back + bl, p, (size_t)vl);
					bl += (size_t)vl;
					k = (size_t)(p - buf) + (size_t)vl;
				}
				if (bl) {
					memcpy(back + bl, buf + e, len - e);
					bl += len - e;
				}
				T_OK(bl == len && !memcmp(back, buf, len));
				slim++;
			}
		}
		/* a cut copy, on the heap so that a read past it is caught */
		if (len) {
			size_t cut = rnd((uint32_t)len);
			uint8_t *c = malloc(cut ? cut : 1);
			memcpy(c, buf, cut);
			if (st_record_events(c, cut, n, &s, &e) == 0)
				T_OK(s <= e && e <= cut);
			free(c);
		}
	}
	T_EQ_INT(agree, 20000);
	T_OK(slim > 1000);
}

/* Random slim values: answered or refused, never read out of bounds
 * (ASan builds check). */
static void test_values_random(void)
{
	static const char *const types[] = {"CONSULT", "AID"};
	uint8_t v[64];
	st_writer *w = st_writer_new(db);
	size_t flen = 0;
	void *f = frame("rv0", types, 2, &flen);
	T_EQ_INT(commit(w, f, flen), CR_OK); /* some events to point at */
	free(f);
	st_writer_destroy(&w);
	for (int round = 0; round < 300; round++) {
		size_t n = 2 + rnd(20);
		const uint8_t *x;
		size_t xl;
		Courant__QueryReply *rep = NULL;
		char *reply;
		v[0] = 0x00;
		v[1] = rnd(4) ? 0x01 : (uint8_t)rnd(256);
		for (size_t i = 2; i < n; i++)
			v[i] = (uint8_t)(rnd(3) ? rnd(8) : rnd(256));
		put_value("rv", v, n);
		reply = article("rv", &x, &xl, &rep);
		/* a refusal, or the bytes the value describes (an Extraction or
		 * not: stored garbage is answered as garbage, as before) */
		T_OK(reply && ((rep && rep->error) || x));
		cr_msg_free(rep ? &rep->base : NULL);
		free(reply);
	}
}

static void put_value(const char *id, const void *v, size_t len)
{
	MDB_txn *txn = NULL;
	MDB_val k = {strlen(id), (void *)id}, val = {len, (void *)v};
	T_EQ_INT(st_db_write_begin(db, ST_ENV_MAIN, &txn), CR_OK);
	if (!txn)
		return;
	T_EQ_INT(mdb_put(txn, st_db_dbi(db, ST_ARTICLES), &k, &val, 0), 0);
	T_EQ_INT(st_db_commit(txn), CR_OK);
}

/* A value as older stores wrote it (the whole Extraction) is answered as it
 * is; a slim value whose events are not there is refused, not invented. */
static void test_old_and_damaged(void)
{
	static const char *const types[] = {"CONSULT", "AID"};
	size_t flen = 0, off = 0, xl = 0, al = 0;
	void *f = frame("old1", types, 2, &flen);
	const uint8_t *x = NULL;
	Courant__QueryReply *rep = NULL;
	char *reply;
	uint8_t bad[ST_RECORD_HEAD_MAX + 64];
	size_t n;

	T_OK(f && cr_peek_field_range(f, flen, 3, &off, &xl) == 0);
	put_value("old1", (const uint8_t *)f + off, xl);
	reply = article("old1", &x, &al, &rep);
	T_OK(x && al == xl && !memcmp(x, (const uint8_t *)f + off, xl));
	cr_msg_free(rep ? &rep->base : NULL);
	free(reply);

	/* events 1,000,000.. do not exist */
	n = st_record_slim(bad, (const uint8_t *)"\x08\x01", 2, 2, 2, 1, 1000000);
	put_value("bad1", bad, n);
	reply = article("bad1", &x, &al, &rep);
	T_OK(rep && rep->error && !rep->article);
	cr_msg_free(rep ? &rep->base : NULL);
	free(reply);
	/* a header that does not parse */
	put_value("bad2", "\x00\x01\xff", 3);
	reply = article("bad2", &x, &al, &rep);
	T_OK(rep && rep->error && !rep->article);
	cr_msg_free(rep ? &rep->base : NULL);
	free(reply);
	free(f);
}

/* After a commit, the synced env's file has blocks reserved past its end
 * (when the file system can fallocate at all). */
static void test_main_reserve(void)
{
	char path[300];
	struct stat st;
	int fd, can;
	snprintf(path, sizeof path, "%s/probe", dir);
	fd = open(path, O_CREAT | O_RDWR, 0644);
	can = fd >= 0 && fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 1 << 20) == 0;
	if (fd >= 0)
		close(fd);
	unlink(path);
	if (!can) {
		printf("  (no fallocate here: reserve not checked)\n");
		return;
	}
	snprintf(path, sizeof path, "%s/data.mdb", dir);
	T_EQ_INT(stat(path, &st), 0);
	/* 8 MiB and more past the end of file (MAIN_AHEAD) */
	T_OK((long long)st.st_blocks * 512 >= (long long)st.st_size + (8ll << 20));
}

int main(void)
{
	char cmd[300];
	snprintf(dir, sizeof dir, "/tmp/test_store_record.XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	if (st_db_open(&db, dir, 0) || !(stats = st_stats_new())) {
		printf("FAIL test_store_record: cannot open %s\n", dir);
		return 1;
	}
	T_RUN(test_events_form);
	T_RUN(test_slim_roundtrip);
	T_RUN(test_slim_middle);
	T_RUN(test_old_and_damaged);
	T_RUN(test_events_random);
	T_RUN(test_values_random);
	T_RUN(test_main_reserve);
	st_stats_destroy(&stats);
	st_db_close(&db);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd))
		return 1;
	return t_done();
}
