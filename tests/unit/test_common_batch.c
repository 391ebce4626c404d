/* Unit tests for common/batch: frames built by cr_batch_add are read back
 * element by element, also by protobuf-c (the schema's Work.batch); plain
 * frames are told apart; elements written in place; a batch of one is sent
 * as its element; batch frames that break the rules are junk; the
 * single-frame decoder and the relay's peek refuse a batch frame; the same
 * for Submit and SubmitReply batches (cr_batch_kind). */
#include "t.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "common/batch.h"
#include "common/codec.h"
#include "common/peek.h"

static void *article_frame(const char *id, size_t *n)
{
	Courant__Work w = COURANT__WORK__INIT;
	Courant__Article a = COURANT__ARTICLE__INIT;
	w.version = a.version = CR_SCHEMA_VERSION;
	a.id = (char *)id;
	a.seq = 3;
	a.text = "Texte.";
	w.article = &a;
	return cr_pack(&w.base, n);
}

static void test_roundtrip(void)
{
	cr_batch b = {0};
	cr_batch_it it;
	void *f[3], *frame;
	size_t n[3], len = 0, k = 0, en;
	const void *e;
	const char *ids[3] = {"a-1", "a-2", "a-3"};
	for (int i = 0; i < 3; i++) {
		f[i] = article_frame(ids[i], &n[i]);
		T_EQ_INT(cr_batch_size_with(&b, n[i]) > b.len, 1);
		T_EQ_INT(cr_batch_add(&b, f[i], n[i]), CR_OK);
	}
	T_EQ_INT(b.n, 3);
	frame = cr_batch_take(&b, &len);
	T_OK(frame != NULL && b.n == 0 && b.buf == NULL);
	T_EQ_INT(cr_batch_open(frame, len, &it), 1);
	while (cr_batch_next(&it, &e, &en)) {
		T_OK(k < 3 && en == n[k] && !memcmp(e, f[k], en));
		k++;
	}
	T_EQ_INT(k, 3);
	/* protobuf-c reads the same frame as Work.batch */
	Courant__Work *w = courant__work__unpack(NULL, len, frame);
	T_OK(w && w->n_batch == 3 && !w->article && w->batch[1].len == n[1] && !memcmp(w->batch[1].data, f[1], n[1]));
	courant__work__free_unpacked(w, NULL);
	/* a batch frame never passes where one Work frame is expected */
	Courant__Work *d = NULL;
	char why[160];
	int payload = 9;
	T_EQ_INT(cr_decode_work(frame, len, &d, why, sizeof why) != CR_OK, 1);
	T_OK(strstr(why, "a batch frame") != NULL);
	T_EQ_INT(cr_peek_work(frame, len, &payload, why, sizeof why), CR_EPROTO);
	T_OK(strstr(why, "a batch frame") != NULL && payload == 0);
	for (int i = 0; i < 3; i++)
		free(f[i]);
	free(frame);
	cr_batch_fini(&b);
}

/* An element written in place (cr_batch_reserve) reads back; a batch of one
 * gives its element for sending plain, a batch of two does not. */
static void test_reserve_and_single(void)
{
	cr_batch b = {0};
	const void *p;
	size_t n, fn;
	void *f = article_frame("r-1", &fn);
	uint8_t *at = cr_batch_reserve(&b, fn);
	T_OK(at != NULL);
	memcpy(at, f, fn);
	T_EQ_INT(cr_batch_single(&b, &p, &n), 1);
	T_OK(n == fn && !memcmp(p, f, fn));
	T_EQ_INT(cr_batch_add(&b, f, fn), CR_OK);
	T_EQ_INT(cr_batch_single(&b, &p, &n), 0);
	cr_batch_fini(&b);
	T_EQ_INT(cr_batch_single(&b, &p, &n), 0);
	free(f);
}

static void test_plain_and_junk(void)
{
	cr_batch_it it;
	size_t n;
	void *plain = article_frame("p-1", &n);
	T_EQ_INT(cr_batch_open(plain, n, &it), 0);
	T_EQ_INT(cr_batch_open("", 0, &it), 0);
	/* version 1, one element "xy" */
	const uint8_t ok[] = {0x08, 0x01, 0x32, 0x02, 'x', 'y'};
	T_EQ_INT(cr_batch_open(ok, sizeof ok, &it), 1);
	/* wrong version; no version; an empty element; truncated element;
	 * an article beside the batch; an element before a bad wire type */
	const uint8_t v2[] = {0x08, 0x02, 0x32, 0x02, 'x', 'y'};
	const uint8_t nov[] = {0x32, 0x02, 'x', 'y'};
	const uint8_t empty[] = {0x08, 0x01, 0x32, 0x00};
	const uint8_t trunc[] = {0x08, 0x01, 0x32, 0x05, 'x', 'y'};
	const uint8_t mixed[] = {0x08, 0x01, 0x32, 0x02, 'x', 'y', 0x12, 0x00};
	const uint8_t wt[] = {0x08, 0x01, 0x32, 0x02, 'x', 'y', 0x0d, 0, 0, 0, 0};
	T_EQ_INT(cr_batch_open(v2, sizeof v2, &it), -1);
	T_EQ_INT(cr_batch_open(nov, sizeof nov, &it), -1);
	T_EQ_INT(cr_batch_open(empty, sizeof empty, &it), -1);
	T_EQ_INT(cr_batch_open(trunc, sizeof trunc, &it), 0); /* the element is not even there */
	T_EQ_INT(cr_batch_open(mixed, sizeof mixed, &it), -1);
	T_EQ_INT(cr_batch_open(wt, sizeof wt, &it), -1);
	free(plain);
}

static void *submit_frame(const char *ref, size_t *n)
{
	Courant__Submit m = COURANT__SUBMIT__INIT;
	m.version = CR_SCHEMA_VERSION;
	m.client_ref = (char *)ref;
	m.has_text = 1;
	m.text.data = (uint8_t *)"Un texte.";
	m.text.len = 9;
	return cr_pack(&m.base, n);
}

/* Submit.batch and SubmitReply.batch: built with cr_batch_kind, opened
 * with cr_batch_open_field, read by protobuf-c; the Work reader and the
 * single-Submit decoder do not take them for what they are not. */
static void test_other_kinds(void)
{
	cr_batch b = {0}, r = {0};
	cr_batch_it it;
	void *f[2], *frame, *rf;
	size_t n[2], len, rlen, en, k = 0;
	const void *e;
	Courant__Submit *s = NULL;
	Courant__SubmitReply *rep = NULL;
	char why[160];
	cr_batch_kind(&b, CR_BATCH_SUBMIT, 0);
	for (int i = 0; i < 2; i++) {
		f[i] = submit_frame(i ? "r-1" : "r-0", &n[i]);
		T_EQ_INT(cr_batch_add(&b, f[i], n[i]), CR_OK);
	}
	frame = cr_batch_take(&b, &len);
	T_EQ_INT(cr_batch_open_field(frame, len, CR_BATCH_SUBMIT, 0, &it), 1);
	while (cr_batch_next(&it, &e, &en)) {
		T_EQ_INT(en == n[k] && !memcmp(e, f[k], en), 1);
		k++;
	}
	T_EQ_INT(k, 2);
	T_EQ_INT(cr_batch_open(frame, len, &it), 0); /* not a Work batch */
	T_EQ_INT(cr_decode_submit(frame, len, &s, why, sizeof why), CR_EPROTO);
	T_OK(strstr(why, "batch") != NULL);
	/* the reply: version, status ACCEPTED (required), the elements */
	cr_batch_kind(&r, CR_BATCH_REPLY, 3);
	T_EQ_INT(cr_batch_add(&r, "\x08\x01\x18\x02", 4), CR_OK);
	T_EQ_INT(cr_batch_add(&r, "\x08\x01\x18\x01", 4), CR_OK);
	rf = cr_batch_take(&r, &rlen);
	T_EQ_INT(cr_batch_open_field(rf, rlen, CR_BATCH_REPLY, 3, &it), 1);
	T_EQ_INT(cr_batch_open_field(rf, rlen, CR_BATCH_REPLY, 0, &it), -1); /* status not allowed there */
	T_EQ_INT(cr_decode_submit_reply(rf, rlen, &rep, why, sizeof why), CR_OK);
	if (rep) {
		T_EQ_INT(rep->status, COURANT__SUBMIT_STATUS__ACCEPTED);
		T_EQ_INT((int)rep->n_batch, 2);
		T_EQ_INT(rep->n_batch == 2 && rep->batch[1].len == 4 && !memcmp(rep->batch[1].data, "\x08\x01\x18\x01", 4), 1);
		cr_msg_free(&rep->base);
	}
	/* a batch of one keeps its kind: the element comes back alone */
	cr_batch_kind(&b, CR_BATCH_SUBMIT, 0);
	T_EQ_INT(cr_batch_add(&b, f[0], n[0]), CR_OK);
	T_EQ_INT(cr_batch_single(&b, &e, &en), 1);
	T_EQ_INT(en == n[0] && !memcmp(e, f[0], en), 1);
	cr_batch_fini(&b);
	free(frame);
	free(rf);
	free(f[0]);
	free(f[1]);
}

int main(void)
{
	T_RUN(test_roundtrip);
	T_RUN(test_reserve_and_single);
	T_RUN(test_plain_and_junk);
	T_RUN(test_other_kinds);
	return t_done();
}
