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
	T_RUN(test_pending_window_and_redelivery);
	T_RUN(test_journal_dedup_and_resume);
	T_RUN(test_journal_full);
	return t_done();
}
