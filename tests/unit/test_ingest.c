/* Unit tests for ingest: URL canonical form, content hash, the pending
 * table (window, deadlines, give-up) and the LMDB journal (dedup, ids,
 * resume, full map refusal). */
#include "t.h"
#include <stdlib.h>
#include <unistd.h>
#include "common/codec.h"
#include "ingest/canon.h"
#include "ingest/journal.h"
#include "ingest/pending.h"

static void test_canon_url(void)
{
	static const char *cases[][2] = {
		{"HTTP://WWW.Example.COM/Path?a=1&utm_source=x#frag", "http://www.example.com/Path?a=1"},
		{"https://example.com:443", "https://example.com/"},
		{"http://example.com:80/x?utm_medium=a&fbclid=b", "http://example.com/x"},
		{"http://example.com:8080/x?b=2&gclid=z&a=1", "http://example.com:8080/x?b=2&a=1"},
		{"  https://a.b/c/  ", "https://a.b/c/"},
	};
	char out[256];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		T_EQ_INT(ic_canon_url(cases[i][0], out, sizeof out), CR_OK);
		T_EQ_STR(out, cases[i][1]);
	}
	T_EQ_INT(ic_canon_url("not a url", out, sizeof out), CR_EINVAL);
	T_EQ_INT(ic_canon_url("://x", out, sizeof out), CR_EINVAL);
	T_EQ_INT(ic_canon_url("http://", out, sizeof out), CR_EINVAL);
	T_EQ_INT(ic_canon_url("http://a.b/long", out, 8), CR_ETOOBIG);
}

static void test_text_hash(void)
{
	uint8_t a[16], b[16], c[16];
	ic_text_hash("Hello  world\n", 13, a);
	ic_text_hash(" Hello world", 12, b);
	ic_text_hash("Hello world!", 12, c);
	T_OK(!memcmp(a, b, 16));
	T_OK(memcmp(a, c, 16) != 0);
	/* eight-byte steps over single spaces (canon.c) fold like byte steps */
	ic_text_hash("Le ministre a dit que la paix est proche.", 41, a);
	ic_text_hash("Le  ministre\ta dit que\n\nla paix est  proche. ", 45, b);
	ic_text_hash("Le ministre a dit que la paix est proche!", 41, c);
	T_OK(!memcmp(a, b, 16));
	T_OK(memcmp(a, c, 16) != 0);
}

/* The digests are persisted (journal dedup keys): pinned, so that a faster
 * implementation cannot change them. */
static void test_text_hash_pinned(void)
{
	static const char *const cases[][2] = {
		{"", "dd0f544ef109be5c2d579d0ce4062cc2"},
		{"   \n\t ", "dd0f544ef109be5c2d579d0ce4062cc2"},
		{"The minister said on Tuesday that the talks in Doha would resume next week, after a pause of two "
		 "months.",
		 "839e51912908fe59d574b10c3bf64b9f"},
		{"<p>The minister said\n\non Tuesday  that the talks\tin Doha would resume\r\nnext week,\x01 after a "
		 "pause of two months.</p>\n",
		 "2da800211060282cf6a1041a4bced862"},
		{" \x0b Leading and trailing whitespace around a text of more than sixty-four bytes, with  doubled  "
		 "spaces.  \f\n",
		 "974a5e70936cecee934d11eb4e77600f"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint8_t h[16];
		char hex[33];
		ic_text_hash(cases[i][0], strlen(cases[i][0]), h);
		for (int j = 0; j < 16; j++)
			snprintf(hex + 2 * j, 3, "%02x", h[j]);
		T_EQ_STR(hex, cases[i][1]);
	}
}

/* The plain definition of the folding, byte by byte: whitespace runs become
 * one space, none at the edges. */
static size_t fold_ref(const unsigned char *t, size_t n, unsigned char *out)
{
	size_t k = 0;
	int pending = 0;
	for (size_t i = 0; i < n; i++) {
		int ws = t[i] == ' ' || (t[i] >= '\t' && t[i] <= '\r');
		if (ws) {
			pending = k > 0;
			continue;
		}
		if (pending)
			out[k++] = ' ';
		pending = 0;
		out[k++] = t[i];
	}
	return k;
}

/* Texts of every length and mix of whitespace hash like their folded form
 * (which folds to itself): the word-at-a-time paths of canon.c agree with
 * the byte-at-a-time definition at every offset. */
static void test_text_hash_folds(void)
{
	static const char al[] = "abcdefgh    \n\t\r\v\f\x01\x7f\xc3\xa9";
	unsigned char t[400], f[400];
	unsigned seed = 12345, bad = 0;
	for (int r = 0; r < 20000; r++) {
		size_t n = (size_t)(r % 400), k;
		uint8_t a[16], b[16];
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			/* mostly words and single spaces, as in real text, sometimes anything */
			t[i] = r % 3 ? (unsigned char)((seed >> 16) % 7 ? 'a' + (seed >> 20) % 26 : ' ')
				     : (unsigned char)al[(seed >> 16) % (sizeof al - 1)];
		}
		k = fold_ref(t, n, f);
		ic_text_hash(t, n, a);
		ic_text_hash(f, k, b);
		bad += memcmp(a, b, 16) != 0;
	}
	T_EQ_INT(bad, 0);
}

static void test_pending_window_and_redelivery(void)
{
	ip_table *p = ip_new(2, 3, 100);
	ip_entry *e;
	size_t gave;
	uint64_t t = 1000000;
	T_EQ_INT(ip_add(p, 1, "a"), CR_OK);
	T_EQ_INT(ip_add(p, 2, "b"), CR_OK);
	T_EQ_INT(ip_add(p, 3, "c"), CR_OK);
	T_EQ_INT(ip_add(p, 3, "c"), CR_EINVAL);
	e = ip_next(p);
	T_OK(e && e->seq == 1);
	ip_sent(p, e, t);
	ip_sent(p, ip_next(p), t);
	T_OK(ip_next(p) == NULL); /* window full */
	T_EQ_INT(ip_ack(p, 2, "wrong", t + 10), 0);
	T_EQ_INT(ip_ack(p, 2, "b", t + 10), 1);
	T_EQ_INT(ip_ack(p, 2, "b", t + 10), 0);
	e = ip_next(p);
	T_OK(e && e->seq == 3);
	ip_sent(p, e, t);
	/* base deadline 100 ms: nothing expires before */
	T_EQ_INT(ip_expire(p, t + 99000, &gave), 0);
	T_EQ_INT(ip_expire(p, t + 100001, &gave), 2);
	T_EQ_INT(ip_queued(p), 2);
	e = ip_next(p);
	T_OK(e && e->seq == 1);
	ip_sent(p, e, t + 200000); /* attempt 2: deadline doubles */
	T_EQ_INT(ip_expire(p, t + 200000 + 150000, &gave), 0);
	T_EQ_INT(ip_expire(p, t + 200000 + 200001, &gave), 1);
	e = ip_next(p);
	ip_sent(p, e, t + 500000); /* attempt 3 = max */
	ip_expire(p, t + 500000 + 400001, &gave);
	T_EQ_INT(gave, 1);
	e = ip_next(p);
	T_OK(e && e->seq == 1 && e->give_up);
	ip_destroy(&p);
	ip_destroy(&p);
}

static char dir[64];

static void mkjournal(ij_journal **j, size_t map_mb)
{
	T_EQ_INT(ij_open(dir, map_mb, map_mb, j), CR_OK);
}

static void sub(Courant__Submit *s, const char *id, const char *url, const char *text)
{
	courant__submit__init(s);
	s->version = 1;
	s->id = (char *)id;
	s->url = (char *)url;
	s->has_text = 1;
	s->text.data = (uint8_t *)text;
	s->text.len = strlen(text);
}

static void collect(void *ctx, uint64_t seq, const char *id)
{
	(void)id;
	(*(uint64_t *)ctx) += seq;
}

/* The journal record is exactly what protobuf-c packs for the Article
 * (readers and earlier journals agree on these bytes): pinned so that a
 * faster writer cannot drift from it. */
static void test_journal_record_bytes(void)
{
	ij_journal *j = NULL;
	Courant__Submit s[4];
	ij_sub in[4];
	cr_buf b;
	const uint64_t now = 1700000000123456ull;
	char keep[sizeof dir]; /* test_journal_full removes the other tests' journal */
	memcpy(keep, dir, sizeof dir);
	snprintf(dir, sizeof dir, "/tmp/test_ingest_rec.%d", (int)getpid());
	mkjournal(&j, 8);
	sub(&s[0], "r1", "https://example.com/a?x=1", "all fields set");
	s[0].source = "example.com";
	s[0].title = "A title";
	s[0].published = "2024-01-02";
	s[0].content_type = "text/plain";
	s[0].lang_hint = "en";
	s[0].client_ref = "ref";
	sub(&s[1], NULL, NULL, "no optional field");
	sub(&s[2], "", "", "empty strings"); /* present but empty: kept */
	s[2].title = "";
	s[2].lang_hint = "";
	sub(&s[3], "r4", NULL, "");
	s[3].text.data = NULL; /* an empty body: raw is still written */
	memset(in, 0, sizeof in);
	for (int i = 0; i < 4; i++)
		in[i].in = &s[i];
	T_EQ_INT(ij_accept(j, in, 4, now), CR_OK);
	cr_buf_init(&b, 0);
	for (int i = 0; i < 4; i++) {
		Courant__Article a = COURANT__ARTICLE__INIT;
		uint8_t want[512];
		size_t n;
		T_EQ_INT(in[i].status, COURANT__SUBMIT_STATUS__ACCEPTED);
		a.version = CR_SCHEMA_VERSION;
		a.id = in[i].id;
		a.seq = in[i].seq;
		a.url = s[i].url;
		a.source = s[i].source;
		a.title = s[i].title;
		a.published = s[i].published;
		a.content_type = s[i].content_type;
		a.lang_hint = s[i].lang_hint;
		a.has_raw = 1;
		a.raw = s[i].text;
		a.has_submitted_us = 1;
		a.submitted_us = now;
		n = courant__article__pack(&a, want);
		T_EQ_INT(ij_fetch(j, in[i].seq, &b), CR_OK);
		T_EQ_INT(b.len, n);
		T_OK(b.len == n && !memcmp(b.data, want, n));
	}
	cr_buf_fini(&b);
	ij_close(&j);
	{
		char cmd[128];
		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		T_EQ_INT(system(cmd), 0);
	}
	memcpy(dir, keep, sizeof dir);
}

static void test_journal_dedup_and_resume(void)
{
	ij_journal *j = NULL;
	Courant__Submit s[5];
	ij_sub in[5];
	uint64_t sum = 0, done[1] = {2};
	int dead[1] = {1};
	cr_buf b;
	snprintf(dir, sizeof dir, "/tmp/test_ingest.%d", (int)getpid());
	mkjournal(&j, 8);
	sub(&s[0], "x1", "http://A.com/1#f", "first text");
	sub(&s[1], "x2", "http://a.com/1", "other text");     /* same canonical url */
	sub(&s[2], "x1", "http://a.com/2", "third text");     /* id taken */
	sub(&s[3], NULL, NULL, "  first   text ");              /* same content */
	sub(&s[4], NULL, "http://a.com/3", "fourth text");    /* generated id */
	memset(in, 0, sizeof in);
	for (int i = 0; i < 5; i++)
		in[i].in = &s[i];
	T_EQ_INT(ij_accept(j, in, 5, 1), CR_OK);
	T_EQ_INT(in[0].status, COURANT__SUBMIT_STATUS__ACCEPTED);
	T_EQ_STR(in[0].id, "x1");
	T_EQ_INT(in[0].seq, 1);
	T_EQ_INT(in[1].status, COURANT__SUBMIT_STATUS__DUPLICATE);
	T_EQ_STR(in[1].id, "x1");
	T_EQ_INT(in[2].status, COURANT__SUBMIT_STATUS__ACCEPTED);
	T_OK(strcmp(in[2].id, "x1") != 0 && in[2].seq == 2);
	T_EQ_INT(in[3].status, COURANT__SUBMIT_STATUS__DUPLICATE);
	T_EQ_INT(in[4].status, COURANT__SUBMIT_STATUS__ACCEPTED);
	T_OK(in[4].id[0] != '\0' && in[4].seq == 3);
	cr_buf_init(&b, 0);
	T_EQ_INT(ij_fetch(j, 2, &b), CR_OK);
	T_OK(b.len > 0);
	T_EQ_INT(ij_done(j, done, dead, 1), CR_OK);
	T_EQ_INT(ij_fetch(j, 2, &b), CR_ENOTFOUND);
	ij_close(&j);
	/* reopen: the pending ones are 1 and 3; seq continues at 4 */
	mkjournal(&j, 8);
	T_EQ_INT(ij_pending_count(j), 2);
	ij_each_pending(j, collect, &sum);
	T_EQ_INT(sum, 4);
	/* the dead-lettered article's keys were freed: it can come back */
	memset(in, 0, sizeof in);
	in[0].in = &s[2];
	T_EQ_INT(ij_accept(j, in, 1, 1), CR_OK);
	T_EQ_INT(in[0].status, COURANT__SUBMIT_STATUS__ACCEPTED);
	T_EQ_STR(in[0].id, "x1~4"); /* x1 itself is still taken by seq 1 */
	T_EQ_INT(in[0].seq, 4);
	cr_buf_fini(&b);
	ij_close(&j);
}

static void test_journal_full(void)
{
	ij_journal *j = NULL;
	Courant__Submit s;
	ij_sub in;
	char *big = malloc(300000);
	int refused = 0, accepted = 0;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		T_OK(0);
	mkjournal(&j, 1);
	for (int k = 0; k < 12; k++) {
		memset(big, 'a' + k, 299999);
		big[299999] = '\0';
		sub(&s, NULL, NULL, big);
		memset(&in, 0, sizeof in);
		in.in = &s;
		if (ij_accept(j, &in, 1, 1) == CR_ENOSPC) {
			refused++;
			T_EQ_INT(in.status, COURANT__SUBMIT_STATUS__REFUSED);
			T_EQ_STR(in.reason, "journal full: no space left");
		} else {
			accepted++;
		}
	}
	T_OK(refused > 0 && accepted > 0);
	T_EQ_INT(ij_pending_count(j), accepted);
	ij_close(&j);
	free(big);
	if (system(cmd) != 0)
		T_OK(0);
}

int main(void)
{
	T_RUN(test_canon_url);
	T_RUN(test_text_hash);
	T_RUN(test_text_hash_pinned);
	T_RUN(test_text_hash_folds);
	T_RUN(test_pending_window_and_redelivery);
	T_RUN(test_journal_dedup_and_resume);
	T_RUN(test_journal_record_bytes);
	T_RUN(test_journal_full);
	return t_done();
}
