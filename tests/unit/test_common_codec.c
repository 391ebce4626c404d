/* Unit tests for common/codec: round trips, size caps, version and field
 * validation, and that random bytes never crash a decoder; and
 * cr_worker_salvage_id (common/worker.h), which looks into refused frames;
 * and cr_peek_work (common/peek.h), the relay's structural check. */
#include "t.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "common/codec.h"
#include "common/peek.h"
#include "common/worker.h"

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

/* An unknown field numbered 0, as the non-minimal tag 81 00 (wire type 1)
 * and 8 bytes of value: protobuf-c 1.4.1 unpacks it but re-packs the tag as
 * 01, which it refuses; the decoders must refuse it at any depth. */
static const unsigned char FIELD0[] = {0x81, 0x00, 1, 2, 3, 4, 5, 6, 7, 8};

static size_t cat(unsigned char *dst, const void *a, size_t na, const void *b, size_t nb)
{
	memcpy(dst, a, na);
	memcpy(dst + na, b, nb);
	return na + nb;
}

static void test_field_number_zero(void)
{
	/* tests/fuzz/regress/codec/ack-unknown-field-number-0 without its
	 * selector byte: an Ack of version 1 and unknown fields 0, 7, 12, 5 */
	static const unsigned char regress[] = {0x08, 0x01, 0x81, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x9b, 0x12,
						0x00, 0x38, 0x12, 0x65, 0x65, 0x74, 0x2d, 0x31, 0x28, 0x2a};
	static const unsigned char unknown99[] = {0x98, 0x06, 0x05}; /* field 99, varint 5 */
	Courant__Ack a = COURANT__ACK__INIT, *ao = (Courant__Ack *)1;
	Courant__Work *wo = (Courant__Work *)1;
	Courant__Article art = COURANT__ARTICLE__INIT;
	unsigned char buf[512], inner[256];
	char why[128];
	size_t n, ni;
	void *p, *q;

	T_EQ_INT(cr_decode_ack(regress, sizeof regress, &ao, why, sizeof why), CR_EPROTO);
	T_CHECK(ao == NULL && strstr(why, "field number 0"), "why: %s", why);

	/* top level: a valid Ack plus field 0 */
	a.version = CR_SCHEMA_VERSION;
	p = cr_pack(&a.base, &n);
	T_EQ_INT(cr_decode_ack(buf, cat(buf, p, n, FIELD0, sizeof FIELD0), &ao, why, sizeof why), CR_EPROTO);
	T_OK(ao == NULL);
	/* other unknown fields stay accepted (forward compatibility) and survive
	 * a re-pack */
	T_EQ_INT(cr_decode_ack(buf, cat(buf, p, n, unknown99, sizeof unknown99), &ao, why, sizeof why), CR_OK);
	if (ao) {
		size_t n2;
		void *p2 = cr_pack(&ao->base, &n2);
		Courant__Ack *again = NULL;
		T_EQ_INT(cr_decode_ack(p2, n2, &again, why, sizeof why), CR_OK);
		cr_msg_free(again ? &again->base : NULL);
		cr_msg_free(&ao->base);
		free(p2);
	}
	free(p);

	/* nested: field 0 inside Work.article (field 2) */
	art.version = CR_SCHEMA_VERSION;
	art.id = "nested-0";
	q = cr_pack(&art.base, &ni);
	T_OK(ni + sizeof FIELD0 < 0x80);
	ni = cat(inner, q, ni, FIELD0, sizeof FIELD0);
	free(q);
	buf[0] = 0x08, buf[1] = CR_SCHEMA_VERSION, buf[2] = 0x12, buf[3] = (unsigned char)ni;
	memcpy(buf + 4, inner, ni);
	T_EQ_INT(cr_decode_work(buf, 4 + ni, &wo, why, sizeof why), CR_EPROTO);
	T_OK(wo == NULL && strstr(why, "field number 0"));
	/* the same frame without field 0 is fine */
	buf[3] = (unsigned char)(ni - sizeof FIELD0);
	T_EQ_INT(cr_decode_work(buf, 4 + ni - sizeof FIELD0, &wo, why, sizeof why), CR_OK);
	T_EQ_STR(wo && wo->article ? wo->article->id : NULL, "nested-0");
	cr_msg_free(wo ? &wo->base : NULL);
}

/* Work{version 99, extraction{article{id "amp"}, n entities of type 0}}:
 * each entity is 4 bytes on the wire and ~100 once unpacked. */
static unsigned char *amplifier(size_t entities, size_t *len)
{
	static const unsigned char art[] = {0x08, 0x01, 0x12, 0x03, 'a', 'm', 'p', 0x18, 0x05};
	size_t body = 4 + sizeof art + 4 * entities, k = 0;
	unsigned char *f = malloc(body + 16);
	if (!f)
		return NULL;
	f[k++] = 0x08, f[k++] = 99, f[k++] = 0x1a;
	for (size_t v = body; ; v >>= 7) {
		f[k++] = (unsigned char)(v >= 0x80 ? (v & 0x7f) | 0x80 : v);
		if (v < 0x80)
			break;
	}
	f[k++] = 0x08, f[k++] = 0x01, f[k++] = 0x12, f[k++] = sizeof art;
	memcpy(f + k, art, sizeof art);
	k += sizeof art;
	for (size_t i = 0; i < entities; i++)
		f[k++] = 0x1a, f[k++] = 0x02, f[k++] = 0x08, f[k++] = 0x00;
	*len = k;
	return f;
}

static void test_salvage(void)
{
	Courant__Work w = COURANT__WORK__INIT, *wo;
	Courant__Article a = COURANT__ARTICLE__INIT;
	char id[CR_MAX_ID + 1];
	uint64_t seq = 0;
	size_t n;
	unsigned char *p;

	/* a refused frame (article of version 99) still names its article */
	w.version = CR_SCHEMA_VERSION;
	a.version = 99;
	a.id = "v99";
	a.seq = 42;
	w.article = &a;
	p = cr_pack(&w.base, &n);
	T_EQ_INT(cr_decode_work(p, n, &wo, NULL, 0), CR_EPROTO);
	T_EQ_INT(cr_worker_salvage_id(p, n, id, sizeof id, &seq), 1);
	T_EQ_STR(id, "v99");
	T_EQ_INT(seq, 42);
	free(p);

	/* a few entities: within the cap, the id is found */
	seq = 0;
	p = amplifier(100, &n);
	T_EQ_INT(cr_worker_salvage_id(p, n, id, sizeof id, &seq), 1);
	T_EQ_STR(id, "amp");
	T_EQ_INT(seq, 5);
	free(p);
	/* 100000 entities (400 KB): ~10 MB unpacked, over the decoder's cap of
	 * 8 x 400 KB + 1 MiB, so the salvage gives up as the decoder did */
	p = amplifier(100000, &n);
	T_EQ_INT(cr_decode_work(p, n, &wo, NULL, 0), CR_EPROTO);
	T_EQ_INT(cr_worker_salvage_id(p, n, id, sizeof id, &seq), 0);
	free(p);
	T_EQ_INT(cr_worker_salvage_id(NULL, 0, id, sizeof id, &seq), 0);
}

/* The relay's check: valid frames pass with their payload named, frames
 * that would not unpack or carry the wrong version or payload count fail. */
static void test_peek(void)
{
	Courant__Work w = COURANT__WORK__INIT;
	Courant__Article a = COURANT__ARTICLE__INIT;
	Courant__Stats st = COURANT__STATS__INIT;
	Courant__Sentence s0 = COURANT__SENTENCE__INIT, *ss[1] = {&s0};
	unsigned char buf[512];
	int pl = -1;
	size_t n;
	void *p;
	w.version = a.version = st.version = CR_SCHEMA_VERSION;
	a.id = "peek-1";
	a.seq = 3;
	a.text = "Bonjour.";
	a.n_sentences = 1;
	a.sentences = ss;
	s0.end = 8;
	w.article = &a;
	p = pack_work(&w, &n);
	T_OK(n < sizeof buf - 4);
	T_EQ_INT(cr_peek_work(p, n, &pl, NULL, 0), CR_OK);
	T_EQ_INT(pl, 2);
	memcpy(buf, p, n);
	T_EQ_INT(cr_peek_work(buf, n - 1, &pl, NULL, 0), CR_EPROTO); /* truncated */
	T_EQ_INT(pl, 0);
	buf[n] = 0x07; /* trailing byte: field 0 */
	T_EQ_INT(cr_peek_work(buf, n + 1, &pl, NULL, 0), CR_EPROTO);
	memcpy(buf + n, "\x81\x00\x01", 3); /* field 0 written as a two-byte tag */
	T_EQ_INT(cr_peek_work(buf, n + 3, &pl, NULL, 0), CR_EPROTO);
	memcpy(buf + n, "\x08\x63", 2); /* version again, 99: the last one wins */
	T_EQ_INT(cr_peek_work(buf, n + 2, &pl, NULL, 0), CR_EVERSION);
	memcpy(buf + n, "\xf8\x01\x05", 3); /* unknown field 31: kept, as unpack does */
	T_EQ_INT(cr_peek_work(buf, n + 3, &pl, NULL, 0), CR_OK);
	free(p);
	st.service = "relay";
	w.stats = &st;
	p = pack_work(&w, &n); /* article and stats */
	T_EQ_INT(cr_peek_work(p, n, &pl, NULL, 0), CR_EPROTO);
	free(p);
	w.article = NULL;
	p = pack_work(&w, &n);
	T_EQ_INT(cr_peek_work(p, n, &pl, NULL, 0), CR_OK);
	T_EQ_INT(pl, 5);
	free(p);
	a.version = 2; /* payload version */
	w.stats = NULL;
	w.article = &a;
	p = pack_work(&w, &n);
	T_EQ_INT(cr_peek_work(p, n, &pl, NULL, 0), CR_EPROTO);
	free(p);
	T_EQ_INT(cr_peek_work("", 0, &pl, NULL, 0), CR_EPROTO); /* no version */
	T_EQ_INT(cr_peek_work(buf, (size_t)CR_MAX_FRAME + 1, &pl, NULL, 0), CR_ETOOBIG);
}

/* ingest's re-send: the journal's Article bytes with attempt appended. The
 * decoder and the peek take the last attempt (also when the article already
 * had one); a damaged record is refused by both, never read past its end. */
static void test_work_article_attempt(void)
{
	Courant__Article a = COURANT__ARTICLE__INIT;
	Courant__Work *w = NULL;
	uint8_t *art, *frame;
	size_t an, n;
	int payload = 0;
	char why[160];
	a.version = CR_SCHEMA_VERSION;
	a.id = "att-1";
	a.seq = 9;
	a.has_attempt = 1;
	a.attempt = 1;
	a.text = "some text";
	art = cr_pack(&a.base, &an);
	frame = cr_pack_work_article(art, an, 300, &n);
	T_EQ_INT(cr_peek_work(frame, n, &payload, why, sizeof why), CR_OK);
	T_EQ_INT(payload, 2);
	T_EQ_INT(cr_decode_work(frame, n, &w, why, sizeof why), CR_OK);
	if (w) {
		T_OK(w->article && w->article->has_attempt && w->article->attempt == 300);
		T_EQ_STR(w->article->id, "att-1");
		T_EQ_INT(w->article->seq, 9);
		cr_msg_free(&w->base);
	}
	free(frame);
	/* a record cut inside its last field: refused, the appended attempt
	 * taken as part of that field or as junk */
	for (size_t cut = 1; cut < an; cut++) {
		frame = cr_pack_work_article(art, an - cut, 2, &n);
		w = NULL;
		if (cr_decode_work(frame, n, &w, why, sizeof why) == CR_OK) {
			/* some cuts still decode (a shorter text): never past the end */
			T_OK(w->article != NULL);
			cr_msg_free(&w->base);
		}
		cr_peek_work(frame, n, &payload, why, sizeof why);
		free(frame);
	}
	free(art);
}

int main(void)
{
	T_RUN(test_work_roundtrip);
	T_RUN(test_work_validation);
	T_RUN(test_size_cap);
	T_RUN(test_truncated_and_random);
	T_RUN(test_submit_and_ack);
	T_RUN(test_field_number_zero);
	T_RUN(test_salvage);
	T_RUN(test_peek);
	T_RUN(test_work_article_attempt);
	return t_done();
}
