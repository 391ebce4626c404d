/* store module tests: write path (idempotence, dead letters), index-served
 * queries for every filter, dead-letter lookups, topics, map growth, the
 * index env's recovery (a foreign one is rebuilt from events), and readers
 * that stay correct while the writer drops the maps' pages (st_db_trim). */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "t.h"
#include "common/codec.h"
#include "store/db.h"
#include "store/index.h"
#include "store/plan.h"
#include "store/publish.h"
#include "store/query.h"
#include "store/stats.h"
#include "store/writer.h"

static char dir[256];

struct ev_spec {
	const char *type, *a1, *a2, *r1, *date, *person;
};

/* An Extraction of article `id` with the given events (static storage per call). */
static Courant__Work *make_work(const char *id, uint64_t seq, const struct ev_spec *specs, int n)
{
	Courant__Work *w = calloc(1, sizeof *w);
	Courant__Extraction *x = calloc(1, sizeof *x);
	Courant__Article *a = calloc(1, sizeof *a);
	Courant__Event **evs = calloc((size_t)n + 1, sizeof *evs);

	courant__work__init(w);
	courant__extraction__init(x);
	courant__article__init(a);
	w->version = x->version = a->version = CR_SCHEMA_VERSION;
	a->id = (char *)id;
	a->seq = seq;
	a->published = "2021-04-02";
	a->url = "https://example.org/x";
	x->article = a;
	w->extraction = x;
	for (int i = 0; i < n; i++) {
		Courant__Event *e = calloc(1, sizeof *e);
		char **act = calloc(2, sizeof *act), **rec = calloc(1, sizeof *rec), **per = calloc(1, sizeof *per);
		courant__event__init(e);
		e->type = (char *)specs[i].type;
		if (specs[i].a1)
			act[e->n_actor++] = (char *)specs[i].a1;
		if (specs[i].a2)
			act[e->n_actor++] = (char *)specs[i].a2;
		if (specs[i].r1)
			rec[e->n_recipient++] = (char *)specs[i].r1;
		if (specs[i].person)
			per[e->n_persons++] = (char *)specs[i].person;
		e->actor = act;
		e->recipient = rec;
		e->persons = per;
		e->date = (char *)specs[i].date;
		evs[i] = e;
	}
	x->events = evs;
	x->n_events = (size_t)n;
	return w;
}

static void free_work(Courant__Work *w)
{
	Courant__Extraction *x = w->extraction;
	if (x) {
		for (size_t i = 0; i < x->n_events; i++) {
			free(x->events[i]->actor);
			free(x->events[i]->recipient);
			free(x->events[i]->persons);
			free(x->events[i]);
		}
		free(x->events);
		free(x->article);
		free(x);
	}
	free(w);
}

static st_db *db;
static st_stats *stats;

static const struct ev_spec A1[] = {
	{"CONSULT", "TGO", NULL, "MLI", "2021-03-30", "Robert Dussey"},
	{"AGREE", "TGO", "MLI", NULL, "2021-04", NULL},
};
static const struct ev_spec A2[] = {
	{"ACCUSE", "MAR", NULL, "DZA", "2022-01-15", "Nasser Bourita"},
};
static const struct ev_spec A3[] = {
	{"CONSULT", "KAZ", NULL, "MAR", NULL, "Mukhtar Tileuberdi"},
	{"SUPPORT", "IGO:UN", NULL, "MLI", "2023", "Assimi Goïta"},
};

static void test_write(void)
{
	Courant__Work *b[3] = {make_work("a1", 11, A1, 2), make_work("a2", 12, A2, 1),
			       make_work("a1", 11, A1, 2)};
	st_writer *w = st_writer_new(db);
	st_result r;

	st_result_init(&r);
	size_t rawlen = 0;
	void *packed = cr_pack(&b[0]->base, &rawlen);
	st_raw raw[3] = {{packed, rawlen}, {NULL, 0}, {NULL, 0}}; /* a1 stored as it arrived */
	T_EQ_INT(st_writer_commit(w, b, raw, 3, &r), CR_OK);
	free(packed);
	/* records built from a1's arrived event bytes are what protobuf-c packs */
	for (size_t i = 0; i < r.npubs; i++) {
		Courant__EventRecord *rec = courant__event_record__unpack(NULL, r.pubs[i].len, r.pubs[i].body);
		size_t n = 0;
		void *again = rec ? cr_pack(&rec->base, &n) : NULL;
		T_OK(again && n == r.pubs[i].len && !memcmp(again, r.pubs[i].body, n));
		free(again);
		if (rec)
			courant__event_record__free_unpacked(rec, NULL);
	}
	T_EQ_INT(r.stored, 2);
	T_EQ_INT(r.duplicates, 1); /* same id twice in one batch */
	T_EQ_INT(r.events, 3);
	T_EQ_INT(r.nacks, 3);
	T_EQ_INT(r.acks[2].status, COURANT__ACK_STATUS__DUPLICATE_STORED);
	T_EQ_INT(r.npubs, 3);
	T_EQ_INT(st_writer_head(w), 3);
	for (int i = 0; i < 3; i++)
		free_work(b[i]);

	/* second batch: a re-send, a new article, a rejection of a stored id,
	 * a new rejection, and the same rejection again */
	Courant__Work *c[5] = {make_work("a2", 12, A2, 1), make_work("a3", 13, A3, 2), NULL, NULL, NULL};
	Courant__Rejection rj[3];
	for (int i = 0; i < 3; i++) {
		c[2 + i] = calloc(1, sizeof **c);
		courant__work__init(c[2 + i]);
		courant__rejection__init(&rj[i]);
		c[2 + i]->version = rj[i].version = CR_SCHEMA_VERSION;
		rj[i].stage = "normalize";
		rj[i].reason = "empty after cleanup";
		rj[i].id = i == 0 ? "a1" : "bad1";
		rj[i].has_payload = 1;
		rj[i].payload.data = (uint8_t *)"PAYLOAD";
		rj[i].payload.len = 7;
		c[2 + i]->rejection = &rj[i];
	}
	T_EQ_INT(st_writer_commit(w, c, NULL, 5, &r), CR_OK);
	T_EQ_INT(r.stored, 1);
	T_EQ_INT(r.duplicates, 2);
	T_EQ_INT(r.dead, 1);
	T_EQ_INT(r.nacks, 5);
	T_EQ_INT(r.acks[3].status, COURANT__ACK_STATUS__DEAD);
	T_EQ_INT(r.acks[4].status, COURANT__ACK_STATUS__DEAD);
	T_EQ_INT(st_writer_head(w), 5);
	free_work(c[0]);
	free_work(c[1]);
	for (int i = 2; i < 5; i++)
		free(c[i]);
	st_result_fini(&r);
	st_writer_destroy(&w);
}

/* Run a query; returns the decoded reply (caller frees). */
static Courant__QueryReply *ask(Courant__Query *q)
{
	cr_buf out;
	size_t n;
	uint64_t head;
	Courant__QueryReply *r = NULL;
	char why[128] = "";
	q->version = CR_SCHEMA_VERSION;
	cr_buf_init(&out, 0);
	T_EQ_INT(st_query_answer(db, stats, q, &out, &n, &head), CR_OK);
	if (cr_decode_query_reply(out.data, out.len, &r, why, sizeof why))
		printf("  decode: %s\n", why);
	cr_buf_fini(&out);
	T_OK(r != NULL);
	return r;
}

/* Sequences returned by an EVENTS query as "1,2,3". */
static const char *seqs(Courant__Query *q)
{
	static char s[256];
	Courant__QueryReply *r = ask(q);
	size_t l = 0;
	s[0] = '\0';
	if (!r)
		return "(null)";
	if (r->error)
		snprintf(s, sizeof s, "error: %s", r->error);
	for (size_t i = 0; i < r->n_events && l < sizeof s - 24; i++)
		l += (size_t)snprintf(s + l, sizeof s - l, "%s%llu", i ? "," : "",
				      (unsigned long long)r->events[i]->seq);
	cr_msg_free(&r->base);
	return s;
}

static void test_filters(void)
{
	Courant__Query q = COURANT__QUERY__INIT;
	char *t1[] = {"CONSULT"}, *t2[] = {"consult", "ACCUSE"}, *c1[] = {"MLI"}, *c2[] = {"MAR", "TGO"};
	char *p1[] = {"MLI", "TGO"}, *p2[] = {"DZA", "MAR"}, *bad[] = {"MLI"};

	T_EQ_STR(seqs(&q), "1,2,3,4,5");
	q.has_after_seq = 1, q.after_seq = 2;
	T_EQ_STR(seqs(&q), "3,4,5");
	q.has_limit = 1, q.limit = 1;
	T_EQ_STR(seqs(&q), "3");
	q.has_after_seq = q.has_limit = 0;
	q.types = t1, q.n_types = 1;
	T_EQ_STR(seqs(&q), "1,4");
	q.types = t2, q.n_types = 2;
	T_EQ_STR(seqs(&q), "1,3,4");
	q.n_types = 0;
	q.countries = c1, q.n_countries = 1;
	T_EQ_STR(seqs(&q), "1,2,5");
	q.countries = c2, q.n_countries = 2;
	T_EQ_STR(seqs(&q), "1,2,3,4");
	q.types = t1, q.n_types = 1; /* CONSULT and (MAR or TGO) */
	T_EQ_STR(seqs(&q), "1,4");
	q.n_types = q.n_countries = 0;
	q.pair = p1, q.n_pair = 2;
	T_EQ_STR(seqs(&q), "1,2");
	q.pair = p2;
	T_EQ_STR(seqs(&q), "3");
	q.pair = bad, q.n_pair = 1;
	T_OK(strncmp(seqs(&q), "error", 5) == 0);
	q.n_pair = 0;
	q.person = "DUSSEY";
	T_EQ_STR(seqs(&q), "1");
	q.person = "assimi goita";
	T_EQ_STR(seqs(&q), "5");
	q.person = "Goïta Nobody";
	T_EQ_STR(seqs(&q), "");
	q.person = NULL;
	q.date_from = "2021-04-01";
	T_EQ_STR(seqs(&q), "2,3,4,5"); /* 2021-04 overlaps; a4 has no date: published 2021-04-02 */
	q.date_to = "2021-12-31";
	T_EQ_STR(seqs(&q), "2,4");
	q.date_from = "2021-03-30", q.date_to = "2021-03-30";
	T_EQ_STR(seqs(&q), "1");
	q.date_from = "2023", q.date_to = NULL;
	T_EQ_STR(seqs(&q), "5");
}

static void test_article_dead(void)
{
	Courant__Query q = COURANT__QUERY__INIT;
	Courant__QueryReply *r;

	q.kind = COURANT__QUERY_KIND__ARTICLE;
	q.id = "a3";
	r = ask(&q);
	T_OK(r && r->article && !strcmp(r->article->article->id, "a3") && r->article->n_events == 2);
	cr_msg_free(r ? &r->base : NULL);
	q.id = "a1"; /* stored from its raw frame */
	r = ask(&q);
	T_OK(r && r->article && !strcmp(r->article->article->id, "a1") && r->article->n_events == 2 &&
	     !strcmp(r->article->events[1]->actor[1], "MLI"));
	cr_msg_free(r ? &r->base : NULL);
	q.id = "nope";
	r = ask(&q);
	T_OK(r && r->error && !r->article);
	cr_msg_free(r ? &r->base : NULL);

	q.kind = COURANT__QUERY_KIND__DEAD_LETTERS;
	q.id = NULL;
	r = ask(&q);
	T_OK(r && r->n_dead == 1 && r->dead[0]->seq == 1 && !r->dead[0]->rejection->has_payload);
	T_OK(r && r->n_dead == 1 && !strcmp(r->dead[0]->rejection->id, "bad1"));
	cr_msg_free(r ? &r->base : NULL);

	q.kind = COURANT__QUERY_KIND__DEAD_LETTER;
	q.id = "bad1";
	r = ask(&q);
	T_OK(r && r->n_dead == 1 && r->dead[0]->rejection->payload.len == 7);
	cr_msg_free(r ? &r->base : NULL);
	q.id = "1";
	r = ask(&q);
	T_OK(r && r->n_dead == 1);
	cr_msg_free(r ? &r->base : NULL);

	q.kind = COURANT__QUERY_KIND__STATS;
	q.id = NULL;
	r = ask(&q);
	T_OK(r && r->n_stats >= 1 && !strcmp(r->stats[0]->service, "store"));
	if (r && r->n_stats) {
		for (size_t i = 0; i < r->stats[0]->n_counters; i++) {
			Courant__Counter *c = r->stats[0]->counters[i];
			if (!strcmp(c->name, "articles"))
				T_EQ_INT(c->value, 3);
			if (!strcmp(c->name, "events"))
				T_EQ_INT(c->value, 5);
			if (!strcmp(c->name, "dead_letters"))
				T_EQ_INT(c->value, 1);
		}
	}
	cr_msg_free(r ? &r->base : NULL);
}

static void test_topics(void)
{
	char t[ST_TOPIC_MAX];
	T_EQ_INT(st_topic_type(t, "CONSULT"), 10);
	T_EQ_STR(t, "t.CONSULT.");
	st_topic_country(t, "IGO:U.N", "ACCUSE");
	T_EQ_STR(t, "c.IGO:U_N.ACCUSE.");
	T_OK(st_date_overlaps("2021-03", "2021-03-15", "2021-04-02"));
	T_OK(!st_date_overlaps("2021-02-28", "2021-03", NULL));
	T_OK(st_date_overlaps("2023", NULL, "2023-01-01"));
}

static void test_tokens_and_take(void)
{
	char t[8][ST_KEY_MAX];
	st_result a, b;
	int n = st_index_person_tokens("Assimi GOÏTA, Jean-Yves Le Drian", t, 8);
	T_EQ_INT(n, 6);
	T_EQ_STR(t[1], "goita");
	T_EQ_STR(t[3], "yves");
	T_EQ_STR(t[4], "le");
	st_result_init(&a);
	st_result_init(&b);
	{
		Courant__Work *w[1] = {make_work("tk", 1, A2, 1)};
		st_writer *wr = st_writer_new(db);
		T_EQ_INT(st_writer_commit(wr, w, NULL, 1, &b), CR_OK);
		T_EQ_INT(st_result_take(&a, &b), CR_OK);
		T_EQ_INT(a.nacks, 1);
		T_EQ_INT(a.npubs, 1);
		T_EQ_INT(a.stored, 1);
		T_EQ_INT(b.nacks + b.npubs, 0);
		T_OK(a.pubs[0].body != NULL && a.pubs[0].seq == 6);
		st_result_fini(&a);
		st_result_fini(&b);
		st_writer_destroy(&wr);
		free_work(w[0]);
	}
}

/* A tiny map must grow instead of failing. */
static void test_grow(void)
{
	char d2[300];
	st_db *small = NULL;
	st_writer *w;
	st_result r;
	static char ids[200][16];
	Courant__Work *b[200];
	snprintf(d2, sizeof d2, "%s/small", dir);
	T_EQ_INT(st_db_open(&small, d2, 64 << 10), CR_OK);
	if (!small)
		return;
	w = st_writer_new(small);
	st_result_init(&r);
	for (int i = 0; i < 200; i++) {
		snprintf(ids[i], sizeof ids[i], "g%d", i);
		b[i] = make_work(ids[i], (uint64_t)i, A3, 2);
	}
	T_EQ_INT(st_writer_commit(w, b, NULL, 200, &r), CR_OK);
	T_EQ_INT(r.stored, 200);
	T_OK(r.grows > 0);
	for (int i = 0; i < 200; i++)
		free_work(b[i]);
	st_result_fini(&r);
	st_writer_destroy(&w);
	st_db_close(&small);
}

/* Store `n` copies of A1 (2 events each) in a fresh env at dir/name, close. */
static void fill(const char *name, int n)
{
	char d[300];
	static char ids[8][16];
	Courant__Work *b[8];
	st_db *x = NULL;
	st_writer *w;
	st_result r;
	snprintf(d, sizeof d, "%s/%s", dir, name);
	T_EQ_INT(st_db_open(&x, d, 0), CR_OK);
	if (!x)
		return;
	w = st_writer_new(x);
	st_result_init(&r);
	for (int i = 0; i < n; i++) {
		snprintf(ids[i], sizeof ids[i], "f%d", i);
		b[i] = make_work(ids[i], (uint64_t)i + 1, A1, 2);
	}
	T_EQ_INT(st_writer_commit(w, b, NULL, (size_t)n, &r), CR_OK);
	for (int i = 0; i < n; i++)
		free_work(b[i]);
	st_result_fini(&r);
	st_writer_destroy(&w);
	st_db_close(&x);
}

/* An index env that claims more events than `events` holds (copied from a
 * bigger store) is not trusted: it is deleted and rebuilt. */
static void test_index_foreign(void)
{
	char cmd[700];
	st_db *keep = db;
	st_writer *w;
	Courant__Query q = COURANT__QUERY__INIT;
	char *t1[] = {"AGREE"};

	fill("ix_many", 4);
	fill("ix_one", 1);
	snprintf(cmd, sizeof cmd, "cp '%s/ix_many/index/data.mdb' '%s/ix_one/index/data.mdb'", dir, dir);
	T_EQ_INT(system(cmd), 0);
	snprintf(cmd, sizeof cmd, "%s/ix_one", dir);
	T_EQ_INT(st_db_open(&db, cmd, 0), CR_OK);
	if (!db) {
		db = keep;
		return;
	}
	T_EQ_INT(st_db_index_fresh(db), 1);
	w = st_writer_new(db); /* rebuilds from events */
	q.types = t1, q.n_types = 1;
	T_EQ_STR(seqs(&q), "2");
	q.n_types = 0;
	T_EQ_STR(seqs(&q), "1,2");
	st_writer_destroy(&w);
	st_db_close(&db);
	T_EQ_INT(st_db_open(&db, cmd, 0), CR_OK); /* a clean close: trusted */
	T_EQ_INT(db ? st_db_index_fresh(db) : -1, 0);
	st_db_close(&db);
	db = keep;
}

static _Atomic int trim_stop, trim_bad, trim_reads;

/* Reader thread: every AGREE query must see exactly the even seqs <= its
 * head (fill() stores A1 = CONSULT, AGREE per article), trimmed or not. */
static void *trim_reader(void *arg)
{
	st_db *x = arg;
	Courant__Query q = COURANT__QUERY__INIT;
	char *t1[] = {"AGREE"};
	q.version = CR_SCHEMA_VERSION;
	q.types = t1, q.n_types = 1;
	q.has_limit = 1, q.limit = 10000;
	while (!atomic_load(&trim_stop)) {
		cr_buf out;
		size_t n;
		uint64_t head;
		Courant__QueryReply *r = NULL;
		int ok = 0;
		cr_buf_init(&out, 0);
		if (!st_query_answer(x, stats, &q, &out, &n, &head) &&
		    !cr_decode_query_reply(out.data, out.len, &r, NULL, 0)) {
			ok = r->n_events == head / 2;
			for (size_t i = 0; ok && i < r->n_events; i++)
				ok = r->events[i]->seq == 2 * (i + 1) && !strcmp(r->events[i]->event->type, "AGREE");
			cr_msg_free(&r->base);
		}
		cr_buf_fini(&out);
		atomic_fetch_add(&trim_bad, !ok);
		atomic_fetch_add(&trim_reads, 1);
	}
	return NULL;
}

static void test_trim_concurrent(void)
{
	char d[300];
	static char ids[200][16];
	st_db *x = NULL;
	st_writer *w;
	st_result r;
	pthread_t th;
	int trimmed = 0;

	snprintf(d, sizeof d, "%s/trim", dir);
	T_EQ_INT(st_db_open(&x, d, 0), CR_OK);
	if (!x)
		return;
	w = st_writer_new(x);
	st_result_init(&r);
	pthread_create(&th, NULL, trim_reader, x);
	for (int i = 0; i < 200; i += 4) {
		Courant__Work *b[4];
		for (int j = 0; j < 4; j++) {
			snprintf(ids[i + j], sizeof ids[i + j], "t%d", i + j);
			b[j] = make_work(ids[i + j], (uint64_t)(i + j + 1), A1, 2);
		}
		T_EQ_INT(st_writer_commit(w, b, NULL, 4, &r), CR_OK);
		trimmed += st_db_trim(x, 0); /* budget 0: drop every time */
		for (int j = 0; j < 4; j++)
			free_work(b[j]);
		while (atomic_load(&trim_reads) < i / 4) /* let the reader interleave */
			sched_yield();
	}
	atomic_store(&trim_stop, 1);
	pthread_join(th, NULL);
	T_EQ_INT(trimmed, 50);
	T_OK(atomic_load(&trim_reads) >= 49);
	T_EQ_INT(atomic_load(&trim_bad), 0);
	st_result_fini(&r);
	st_writer_destroy(&w);
	st_db_close(&x);
}

int main(void)
{
	char cmd[300];
	snprintf(dir, sizeof dir, "/tmp/test_store.XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	if (st_db_open(&db, dir, 0) || !(stats = st_stats_new())) {
		printf("FAIL test_store: cannot open %s\n", dir);
		return 1;
	}
	T_RUN(test_write);
	T_RUN(test_filters);
	T_RUN(test_article_dead);
	T_RUN(test_topics);
	T_RUN(test_tokens_and_take);
	T_RUN(test_grow);
	T_RUN(test_index_foreign);
	T_RUN(test_trim_concurrent);
	st_stats_destroy(&stats);
	st_db_close(&db);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd))
		return 1;
	return t_done();
}
