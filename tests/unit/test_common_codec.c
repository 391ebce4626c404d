/* Unit tests for common/codec: round trips, size caps, version and field
 * validation, and that random bytes never crash a decoder. */
#include "t.h"
#include <stdlib.h>
#include "common/codec.h"

static void *pack_work(Courant__Work *w, size_t *n)
{
	return cr_pack(&w->base, n);
}

static void test_work_roundtrip(void)
{
	Courant__Work w = COURANT__WORK__INIT;
	Courant__Article a = COURANT__ARTICLE__INIT;
	Courant__Work *out = NULL;
	char why[128];
	size_t n;
	void *p;
	w.version = CR_SCHEMA_VERSION;
	a.version = CR_SCHEMA_VERSION;
	a.id = "seed-1";
	a.seq = 7;
	a.text = "Bonjour.";
	w.article = &a;
	p = pack_work(&w, &n);
	T_EQ_INT(cr_decode_work(p, n, &out, why, sizeof why), CR_OK);
	T_OK(out && out->article && out->article->seq == 7);
	T_EQ_STR(out ? out->article->id : NULL, "seed-1");
	cr_msg_free(&out->base);
	cr_msg_free(NULL);
	free(p);
}

static void test_work_validation(void)
{
	Courant__Work w = COURANT__WORK__INIT;
	Courant__Article a = COURANT__ARTICLE__INIT;
	Courant__Stats s = COURANT__STATS__INIT;
	Courant__Work *out = (Courant__Work *)1;
	char why[128];
	size_t n;
	void *p;

	w.version = CR_SCHEMA_VERSION;
	p = pack_work(&w, &n); /* no payload */
	T_EQ_INT(cr_decode_work(p, n, &out, why, sizeof why), CR_EPROTO);
	T_OK(out == NULL && why[0]);
	free(p);

	a.version = CR_SCHEMA_VERSION;
	a.id = "";
	w.article = &a;
	p = pack_work(&w, &n); /* empty id */
	T_EQ_INT(cr_decode_work(p, n, &out, why, sizeof why), CR_EPROTO);
	free(p);

	a.id = "x";
	s.version = 1;
	s.service = "normalize";
	w.stats = &s;
	p = pack_work(&w, &n); /* two payloads */
	T_EQ_INT(cr_decode_work(p, n, &out, why, sizeof why), CR_EPROTO);
	free(p);

	w.article = NULL;
	w.version = 99;
	p = pack_work(&w, &n);
	T_EQ_INT(cr_decode_work(p, n, &out, why, sizeof why), CR_EVERSION);
	free(p);

	w.version = 1;
	a.id = "bad\xff";
	w.stats = NULL;
	w.article = &a;
	p = pack_work(&w, &n);
	T_EQ_INT(cr_decode_work(p, n, &out, why, sizeof why), CR_EPROTO);
	free(p);
}

static void test_size_cap(void)
{
	Courant__Work *out;
	char why[128];
	T_EQ_INT(cr_decode_work("x", (size_t)CR_MAX_FRAME + 1, &out, why, sizeof why), CR_ETOOBIG);
}

static void test_truncated_and_random(void)
{
	Courant__Work w = COURANT__WORK__INIT;
	Courant__Article a = COURANT__ARTICLE__INIT;
	unsigned char junk[512];
	unsigned seed = 12345;
	size_t n;
	void *p;
	int ok = 0;
	w.version = a.version = 1;
	a.id = "abc";
	a.text = "some text here";
	w.article = &a;
	p = pack_work(&w, &n);
	for (size_t k = 0; k < n; k++) {
		Courant__Work *o;
		if (cr_decode_work(p, k, &o, NULL, 0) == CR_OK) {
			ok++;
			cr_msg_free(&o->base);
		}
	}
	T_EQ_INT(ok, 0);
	free(p);
	for (int r = 0; r < 2000; r++) {
		Courant__Work *o;
		Courant__Query *q;
		Courant__Ack *ak;
		size_t len = (size_t)(rand_r(&seed) % sizeof junk);
		for (size_t k = 0; k < len; k++)
			junk[k] = (unsigned char)rand_r(&seed);
		if (cr_decode_work(junk, len, &o, NULL, 0) == CR_OK)
			cr_msg_free(&o->base);
		if (cr_decode_query(junk, len, &q, NULL, 0) == CR_OK)
			cr_msg_free(&q->base);
		if (cr_decode_ack(junk, len, &ak, NULL, 0) == CR_OK)
			cr_msg_free(&ak->base);
	}
	T_OK(1);
}

static void test_submit_and_ack(void)
{
	Courant__Submit s = COURANT__SUBMIT__INIT;
	Courant__Submit *so;
	Courant__Ack a = COURANT__ACK__INIT;
	Courant__AckItem it = COURANT__ACK_ITEM__INIT, *items[1] = {&it};
	Courant__Ack *ao;
	size_t n;
	void *p;
	s.version = 1;
	s.id = "a\nb";
	p = cr_pack(&s.base, &n);
	T_EQ_INT(cr_decode_submit(p, n, &so, NULL, 0), CR_EPROTO);
	free(p);
	s.id = "ok";
	s.has_text = 1;
	s.text.data = (uint8_t *)"hello";
	s.text.len = 5;
	p = cr_pack(&s.base, &n);
	T_EQ_INT(cr_decode_submit(p, n, &so, NULL, 0), CR_OK);
	T_OK(so && so->text.len == 5);
	cr_msg_free(&so->base);
	free(p);
	a.version = 1;
	it.id = "ok";
	it.seq = 3;
	it.status = COURANT__ACK_STATUS__STORED;
	a.items = items;
	a.n_items = 1;
	p = cr_pack(&a.base, &n);
	T_EQ_INT(cr_decode_ack(p, n, &ao, NULL, 0), CR_OK);
	T_OK(ao && ao->n_items == 1 && ao->items[0]->seq == 3);
	cr_msg_free(&ao->base);
	free(p);
}

int main(void)
{
	T_RUN(test_work_roundtrip);
	T_RUN(test_work_validation);
	T_RUN(test_size_cap);
	T_RUN(test_truncated_and_random);
	T_RUN(test_submit_and_ack);
	return t_done();
}
