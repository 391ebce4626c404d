/* common/aview (the extract worker's in-place reader of Work{article})
 * against cr_decode_work: what it accepts the decoder accepts with the same
 * values (aview_check.h aborts otherwise); it declines every shape it does
 * not judge itself (merged or unknown fields, long tags, other payloads) and
 * every frame the decoder refuses; and it holds under random damage. */
#include "t.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../fuzz/aview_check.h"

static Courant__Sentence sents[3];
static Courant__Sentence *psents[3] = {&sents[0], &sents[1], &sents[2]};

/* A normalized article as normalize sends it. */
static void article(Courant__Article *a)
{
	static const uint32_t b[3][2] = {{0, 12}, {13, 30}, {31, 44}};
	courant__article__init(a);
	a->version = CR_SCHEMA_VERSION;
	a->id = "bench-0000001";
	a->seq = 300;
	a->has_attempt = 1;
	a->attempt = 2;
	a->url = "https://example.org/a";
	a->title = "Un titre";
	a->published = "2023-10-18";
	a->content_type = "text/plain";
	a->has_raw = 1;
	a->raw.data = (uint8_t *)"<p>raw body</p>";
	a->raw.len = 15;
	a->text = "Il a dit oui. La France et l'Allemagne. Fin de l'été.";
	a->lang = "fr";
	a->has_lang_confidence = 1;
	a->lang_confidence = 0.97f;
	for (int i = 0; i < 3; i++) {
		courant__sentence__init(&sents[i]);
		sents[i].start = b[i][0];
		sents[i].end = b[i][1];
		sents[i].has_raw_start = sents[i].has_raw_end = 1;
		sents[i].raw_start = b[i][0] + 3;
		sents[i].raw_end = b[i][1] + 3;
	}
	a->n_sentences = 3;
	a->sentences = psents;
	a->encoding = "utf-8";
	a->has_repaired = 1;
	a->has_submitted_us = 1;
	a->submitted_us = 1700000000000000ull;
	a->lang_hint = "fr"; /* field 19: two-byte tag */
}

static uint8_t *frame_of(Courant__Article *a, size_t *n)
{
	Courant__Work w = COURANT__WORK__INIT;
	w.version = CR_SCHEMA_VERSION;
	w.article = a;
	return cr_pack(&w.base, n);
}

/* Work{version 1, article = a[0..alen) + extra[0..elen)}. */
static uint8_t *wrap(const uint8_t *a, size_t alen, const uint8_t *extra, size_t elen, size_t *n)
{
	uint8_t *q = malloc(alen + elen + 16);
	size_t k = 3, v = alen + elen;
	memcpy(q, "\x08\x01\x12", 3);
	for (; v >= 0x80; v >>= 7)
		q[k++] = (uint8_t)(v | 0x80);
	q[k++] = (uint8_t)v;
	memcpy(q + k, a, alen);
	memcpy(q + k + alen, extra, elen);
	*n = k + alen + elen;
	return q;
}

static void test_accepts(void)
{
	Courant__Article a;
	size_t n;
	uint8_t *f;
	article(&a);
	f = frame_of(&a, &n);
	T_EQ_INT(aview_agrees(f, n), 1);
	free(f);
	a.n_sentences = 0; /* none: bounds NULL, cx_extract splits */
	a.title = NULL;
	a.has_attempt = 0;
	a.has_raw = 0;
	f = frame_of(&a, &n);
	T_EQ_INT(aview_agrees(f, n), 1);
	free(f);
	a.text = NULL; /* no text: taken, the worker rejects the article */
	a.title = "";
	a.has_raw = 1;
	a.raw.len = 0; /* empty body: NULL, as unpacked */
	f = frame_of(&a, &n);
	T_EQ_INT(aview_agrees(f, n), 1);
	free(f);
}

/* A string with a NUL inside: the decoder's C string stops there. */
static void test_nul(void)
{
	Courant__Article a;
	size_t n, an;
	uint8_t *f, *ab;
	static const uint8_t title[] = {0x3a, 0x05, 'a', 'b', 0, 'c', 'd'};
	article(&a);
	a.title = NULL;
	ab = cr_pack(&a.base, &an);
	f = wrap(ab, an, title, sizeof title, &n);
	T_EQ_INT(aview_agrees(f, n), 1);
	free(f);
	free(ab);
}

/* Frames the reader must leave to the decoder, valid or not. */
static void test_declines(void)
{
	static const struct {
		const char *what;
		uint8_t extra[12];
		size_t n;
	} cases[] = {
		{"title twice (merged)", {0x3a, 0x01, 'x'}, 3},
		{"unknown field 40", {0xc2, 0x02, 0x01, 'z'}, 4},
		{"id again, empty", {0x12, 0x00}, 2},
		{"long tag of field 7", {0xba, 0x00, 0x01, 'x'}, 4},
		{"version 2", {0x08, 0x02}, 2},
		{"sentence past the text", {0x72, 0x04, 0x08, 0x00, 0x10, 0x7f}, 6},
		{"sentence backwards", {0x72, 0x04, 0x08, 0x05, 0x10, 0x01}, 6},
		{"sentence without end", {0x72, 0x02, 0x08, 0x00}, 4},
		{"sentence field 5", {0x72, 0x06, 0x08, 0x00, 0x10, 0x01, 0x28, 0x01}, 8},
		{"raw as a varint", {0x50, 0x01}, 2},
		{"truncated field", {0x3a, 0x05, 'x'}, 3},
	};
	Courant__Article a;
	size_t n, an;
	uint8_t *ab, *f;
	article(&a);
	a.n_sentences = 0;
	ab = cr_pack(&a.base, &an);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		f = wrap(ab, an, cases[i].extra, cases[i].n, &n);
		T_CHECK(aview_agrees(f, n) == 0, "%s: taken", cases[i].what);
		free(f);
	}
	free(ab);
}

/* Content the decoder refuses, written well. */
static void test_refused_content(void)
{
	const char *ids[] = {"", "a\tb", "\xff"};
	Courant__Article a;
	size_t n;
	uint8_t *f;
	for (size_t i = 0; i < 3; i++) {
		article(&a);
		a.id = (char *)ids[i];
		f = frame_of(&a, &n);
		T_EQ_INT(aview_agrees(f, n), 0);
		free(f);
	}
	article(&a);
	a.title = "\xc3\x28"; /* bad UTF-8 */
	f = frame_of(&a, &n);
	T_EQ_INT(aview_agrees(f, n), 0);
	free(f);
	article(&a);
	a.lang = "a-very-long-language-tag-over-32-bytes";
	f = frame_of(&a, &n);
	T_EQ_INT(aview_agrees(f, n), 0);
	free(f);
	article(&a);
	a.version = 2;
	f = frame_of(&a, &n);
	T_EQ_INT(aview_agrees(f, n), 0);
	free(f);
}

/* Other Work shapes: another payload, the article twice, a second version. */
static void test_work_level(void)
{
	static const uint8_t twice[] = {0x08, 0x01, 0x12, 0x00, 0x12, 0x00};
	static const uint8_t v2[] = {0x08, 0x01, 0x08, 0x01};
	static const uint8_t rej[] = {0x08, 0x01, 0x22, 0x00};
	T_EQ_INT(aview_agrees(twice, sizeof twice), 0);
	T_EQ_INT(aview_agrees(v2, sizeof v2), 0);
	T_EQ_INT(aview_agrees(rej, sizeof rej), 0);
	T_EQ_INT(aview_agrees(NULL, 0), 0);
}

/* Random damage to a valid frame: flipped, cut and inserted bytes. */
static void test_damage(void)
{
	Courant__Article a;
	size_t n, taken = 0;
	uint8_t *f, *g;
	uint64_t r = 0x9e3779b97f4a7c15ull;
	article(&a);
	f = frame_of(&a, &n);
	g = malloc(n + 8);
	for (int i = 0; i < 20000; i++) {
		size_t m = n, at;
		memcpy(g, f, n);
		for (int k = 0; k < 1 + i % 3; k++) {
			r ^= r << 13, r ^= r >> 7, r ^= r << 17;
			at = (size_t)(r >> 8) % m;
			if ((r & 3) == 0)
				m = at + 1; /* cut */
			else
				g[at] = (uint8_t)(r & 4 ? g[at] ^ (1u << (r >> 60 & 7)) : r >> 56);
		}
		taken += (size_t)aview_agrees(g, m);
	}
	T_OK(taken > 0); /* some damage leaves a valid frame (e.g. in the text) */
	free(g);
	free(f);
}

int main(void)
{
	T_RUN(test_accepts);
	T_RUN(test_nul);
	T_RUN(test_declines);
	T_RUN(test_refused_content);
	T_RUN(test_work_level);
	T_RUN(test_damage);
	return t_done();
}
