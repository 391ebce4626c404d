/* st_lite_decode_work against cr_decode_work: the same verdict on every
 * frame (valid, mutated byte by byte, truncated, hand-made edge cases, the
 * fuzz corpora), and on success the same Work except the article body left
 * out when slim (and the entities). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "common/codec.h"
#include "common/wire.h"
#include "store/lite.h"

static long compared, slimmed, accepted;

/* The full decode with raw/text/sentences and the entities dropped, packed,
 * equals the lite one packed: what the store reads from a Work is the same. */
static int same_work(Courant__Work *full, Courant__Work *lite, int slim)
{
	size_t n1, n2;
	void *p1, *p2;
	int same;
	if (slim && full->extraction) {
		Courant__Article *a = full->extraction->article;
		a->has_raw = 0;
		a->text = NULL;
		a->n_sentences = 0;
		full->extraction->n_entities = 0;
	}
	p1 = cr_pack(&full->base, &n1);
	p2 = cr_pack(&lite->base, &n2);
	same = p1 && p2 && n1 == n2 && !memcmp(p1, p2, n1);
	free(p1);
	free(p2);
	return same;
}

static int check(const void *buf, size_t len)
{
	Courant__Work *a = NULL, *b = NULL;
	char why1[160], why2[160];
	int slim = 0, ok;
	cr_err e1 = cr_decode_work(buf, len, &a, why1, sizeof why1);
	cr_err e2 = st_lite_decode_work(buf, len, &b, &slim, why2, sizeof why2);
	ok = e1 == e2 && (e1 || same_work(a, b, slim)) && (!e1 || !strcmp(why1, why2));
	if (!ok)
		fprintf(stderr, "# differs: len=%zu codec=%d (%s) lite=%d (%s) slim=%d\n", len, e1, why1, e2, why2, slim);
	compared++;
	slimmed += slim;
	accepted += !e1;
	cr_msg_free(a ? &a->base : NULL);
	cr_msg_free(b ? &b->base : NULL);
	return ok;
}

/* A typical extraction frame: raw, text with multi-byte UTF-8, sentences,
 * an entity, events. `edit` changes the article before packing. */
static void *frame(size_t *len, void (*edit)(Courant__Article *))
{
	static char raw[900], text[700];
	Courant__Work w = COURANT__WORK__INIT;
	Courant__Extraction x = COURANT__EXTRACTION__INIT;
	Courant__Article a = COURANT__ARTICLE__INIT;
	Courant__Sentence s[3] = {COURANT__SENTENCE__INIT, COURANT__SENTENCE__INIT, COURANT__SENTENCE__INIT};
	Courant__Sentence *sp[3] = {&s[0], &s[1], &s[2]};
	Courant__Entity en = COURANT__ENTITY__INIT, *enp = &en;
	Courant__Event ev = COURANT__EVENT__INIT, *evp[2] = {&ev, &ev};
	char *actors[] = {"MLI", "FRA"};

	memset(raw, 'r', sizeof raw - 1);
	for (size_t i = 0; i + 3 < sizeof text; i += 3)
		memcpy(text + i, i % 2 ? "\xc3\xa9." : "ab ", 3);
	w.version = x.version = a.version = CR_SCHEMA_VERSION;
	a.id = "lite-1";
	a.seq = 7;
	a.url = "https://example.org/a";
	a.published = "2021-04-02";
	a.lang = "fr";
	a.has_raw = 1;
	a.raw.data = (uint8_t *)raw;
	a.raw.len = sizeof raw - 1;
	a.text = text;
	for (int i = 0; i < 3; i++) {
		s[i].start = (uint32_t)(i * 100);
		s[i].end = (uint32_t)(i * 100 + 90);
	}
	a.sentences = sp;
	a.n_sentences = 3;
	en.type = COURANT__ENTITY_TYPE__COUNTRY;
	en.name = "Mali";
	en.code = "MLI";
	ev.type = "CONSULT";
	ev.actor = actors;
	ev.n_actor = 2;
	if (edit)
		edit(&a);
	x.article = &a;
	x.entities = &enp;
	x.n_entities = 1;
	x.events = evp;
	x.n_events = 2;
	w.extraction = &x;
	return cr_pack(&w.base, len);
}

static void bad_end(Courant__Article *a) { a->sentences[2]->end = 100000; }
static void bad_order(Courant__Article *a) { a->sentences[1]->start = 195; }
static void bad_utf8(Courant__Article *a) { a->text[10] = (char)0xff; }
static void nul_text(Courant__Article *a) { a->text[50] = '\0'; } /* sentences end past the C string */
static void no_text(Courant__Article *a) { a->text = NULL; }
static void no_sentences(Courant__Article *a) { a->n_sentences = 0; }
static void bad_id(Courant__Article *a) { a->id = "a\001b"; }

static void test_edges(void)
{
	void (*edits[])(Courant__Article *) = {NULL, bad_end, bad_order, bad_utf8, nul_text, no_text, no_sentences, bad_id};
	for (size_t i = 0; i < sizeof edits / sizeof *edits; i++) {
		size_t len;
		uint8_t *f = frame(&len, edits[i]);
		T_OK(f != NULL);
		T_OK(check(f, len));
		free(f);
	}
	{ /* the text twice (unpack keeps the last), the article twice (merged) */
		size_t len;
		uint8_t *f = frame(&len, NULL), *g = malloc(2 * len + 64);
		memcpy(g, f, len);
		memcpy(g + len, f, len); /* Work fields repeated: version, extraction (merged) */
		T_OK(check(g, 2 * len));
		free(f);
		free(g);
	}
}

/* Hand-written encodings of what the slim copy strips or re-tags: tags and
 * length prefixes written longer than needed (protobuf-c takes up to 5
 * bytes, not 6), sentence values up to and past 10 bytes, a sentence
 * without its required end. pad[] adds bytes to one place at a time. */
enum {
	P_WORK_X, P_X_ARTICLE, P_RAW, P_TEXT, P_SENT, P_SENT_TAG, P_RAW_LEN, P_SENT_VAL, P_NO_END,
	/* the entity (left out too): tag padding, then flags */
	P_ENT, P_ENT_NAME_TAG, P_ENT_UTF8, P_ENT_NUL, P_ENT_LONG, P_ENT_NO_TYPE, P_ENT_TYPE, P_ENT_TWICE,
	P_ENT_UNKNOWN, P_N
};

static size_t varint_pad(uint8_t *o, uint64_t v, int pad)
{
	size_t n = cr_wire_varint(o, v);
	if (pad > 0) {
		o[n - 1] |= 0x80;
		for (int i = 1; i < pad; i++)
			o[n++] = 0x80;
		o[n++] = 0;
	}
	return n;
}

/* Field `num` of wire type 2 (val[0..len)), or 0 (the varint len). */
static size_t put_field(uint8_t *o, unsigned num, int wt, int tagpad, const void *val, size_t len, int lenpad)
{
	size_t n = varint_pad(o, (uint64_t)num << 3 | (unsigned)wt, tagpad);
	n += varint_pad(o + n, len, lenpad);
	if (wt == 2) {
		memcpy(o + n, val, len);
		n += len;
	}
	return n;
}

/* An entity: type, name (twice), code, two aliases, as pad[] says. */
static size_t hand_entity(uint8_t *e, const int pad[P_N])
{
	static char code[65];
	const char *name = pad[P_ENT_UTF8] ? "Ma\xffli" : pad[P_ENT_NUL] ? "Ma\0li" : "Mali";
	size_t n = 0;
	memset(code, 'A', sizeof code);
	if (!pad[P_ENT_NO_TYPE])
		n += put_field(e + n, 1, 0, 0, NULL, pad[P_ENT_TYPE] ? 99 : 0, 0);
	for (int i = 0; i < 1 + !!pad[P_ENT_TWICE]; i++)
		n += put_field(e + n, 2, 2, pad[P_ENT_NAME_TAG], name, 5 - !pad[P_ENT_UTF8] + !!pad[P_ENT_NUL], 0);
	n += put_field(e + n, 3, 2, 0, pad[P_ENT_LONG] ? code : "MLI", pad[P_ENT_LONG] ? sizeof code : 3, 0);
	n += put_field(e + n, 7, 2, 0, "Mali Republic", 13, 0);
	n += put_field(e + n, 7, 2, 0, "R\xc3\xa9publique du Mali", strlen("R\xc3\xa9publique du Mali"), 0);
	if (pad[P_ENT_UNKNOWN])
		n += put_field(e + n, 9, 0, 0, NULL, 1, 0);
	return n;
}

static uint8_t *hand_frame(const int pad[P_N], size_t *len)
{
	static uint8_t raw[800], text[600];
	uint8_t sent[3][64], art[4096], x[4096], ent[256], *w = malloc(8192);
	size_t ns[3], na = 0, nx = 0, nw = 0, ne = hand_entity(ent, pad);
	memset(raw, 'r', sizeof raw);
	memset(text, 't', sizeof text);
	for (int i = 0; i < 3; i++) {
		ns[i] = put_field(sent[i], 1, 0, pad[P_SENT_TAG], NULL, (size_t)i * 100, pad[P_SENT_VAL]);
		if (!pad[P_NO_END] || i != 1)
			ns[i] += put_field(sent[i] + ns[i], 2, 0, 0, NULL, (size_t)i * 100 + 50, 0);
	}
	na += put_field(art + na, 1, 0, 0, NULL, 1, 0);
	na += put_field(art + na, 2, 2, 0, "hand-1", 6, 0);
	na += put_field(art + na, 3, 0, 0, NULL, 9, 0);
	na += put_field(art + na, 10, 2, pad[P_RAW], raw, sizeof raw, pad[P_RAW_LEN]);
	na += put_field(art + na, 11, 2, pad[P_TEXT], text, sizeof text, 0);
	for (int i = 0; i < 3; i++)
		na += put_field(art + na, 14, 2, pad[P_SENT], sent[i], ns[i], 0);
	nx += put_field(x + nx, 1, 0, 0, NULL, 1, 0);
	nx += put_field(x + nx, 3, 2, pad[P_ENT], ent, ne, 0);
	nx += put_field(x + nx, 2, 2, pad[P_X_ARTICLE], art, na, 0);
	nx += put_field(x + nx, 3, 2, 0, ent, ne, 0);
	nw += put_field(w + nw, 1, 0, 0, NULL, 1, 0);
	nw += put_field(w + nw, 3, 2, pad[P_WORK_X], x, nx, 0);
	*len = nw;
	return w;
}

static void test_encodings(void)
{
	/* per place: paddings protobuf-c takes, then one it refuses */
	static const int tries[P_N][3] = {
		[P_WORK_X] = {1, 4, 5}, [P_X_ARTICLE] = {1, 4, 5}, [P_RAW] = {1, 4, 5}, [P_TEXT] = {1, 4, 5},
		[P_SENT] = {1, 4, 5}, [P_SENT_TAG] = {1, 4, 5}, [P_RAW_LEN] = {1, 4, 5}, [P_SENT_VAL] = {1, 9, 10},
		[P_NO_END] = {1, 0, 0}, [P_ENT] = {1, 4, 5}, [P_ENT_NAME_TAG] = {1, 4, 5}, [P_ENT_UTF8] = {1, 0, 0},
		[P_ENT_NUL] = {1, 0, 0}, [P_ENT_LONG] = {1, 0, 0}, [P_ENT_NO_TYPE] = {1, 0, 0},
		[P_ENT_TYPE] = {1, 0, 0}, [P_ENT_TWICE] = {1, 0, 0}, [P_ENT_UNKNOWN] = {1, 0, 0},
	};
	int bad = 0, pad[P_N] = {0};
	size_t len;
	uint8_t *f = hand_frame(pad, &len);
	bad += !check(f, len);
	{ /* the plain form takes the slim path */
		Courant__Work *wk = NULL;
		int slim = 0;
		T_OK(st_lite_decode_work(f, len, &wk, &slim, NULL, 0) == CR_OK && slim);
		cr_msg_free(wk ? &wk->base : NULL);
	}
	free(f);
	for (int p = 0; p < P_N; p++)
		for (int t = 0; t < 3; t++) {
			pad[p] = tries[p][t];
			f = hand_frame(pad, &len);
			bad += !check(f, len);
			free(f);
			pad[p] = 0;
		}
	T_EQ_INT(bad, 0);
}

/* Over the frame cap the codec refuses the frame, although its slim copy
 * (without the text) would fit. */
static char *big_text;
static void huge_text(Courant__Article *a) { a->text = big_text; }

static void test_over_cap(void)
{
	size_t len;
	uint8_t *f;
	big_text = malloc(CR_MAX_FRAME + 1);
	T_OK(big_text != NULL);
	memset(big_text, 'a', CR_MAX_FRAME);
	big_text[CR_MAX_FRAME] = '\0';
	f = frame(&len, huge_text);
	T_OK(f != NULL && len > CR_MAX_FRAME);
	T_OK(check(f, len));
	free(f);
	free(big_text);
}

static void test_mutations(void)
{
	size_t len;
	uint8_t *f = frame(&len, NULL);
	int bad = 0;
	T_OK(check(f, len));
	for (size_t i = 0; i < len && bad < 5; i++) {
		static const uint8_t flips[] = {0x01, 0x80, 0xff, 0x08};
		for (size_t k = 0; k < sizeof flips; k++) {
			f[i] ^= flips[k];
			bad += !check(f, len);
			f[i] ^= flips[k];
		}
		bad += !check(f, i); /* truncated */
	}
	T_EQ_INT(bad, 0);
	free(f);
}

static void test_corpora(void)
{
	const char *dirs[] = {"tests/fuzz/corpus/codec", "tests/fuzz/regress/codec"};
	int bad = 0;
	for (int d = 0; d < 2; d++) {
		DIR *dh = opendir(dirs[d]);
		struct dirent *e;
		while (dh && (e = readdir(dh))) {
			char path[512];
			FILE *fp;
			static uint8_t buf[1 << 20];
			size_t n;
			if (e->d_name[0] == '.' || (size_t)snprintf(path, sizeof path, "%s/%s", dirs[d], e->d_name) >= sizeof path)
				continue;
			if (!(fp = fopen(path, "rb")))
				continue;
			n = fread(buf, 1, sizeof buf, fp);
			fclose(fp);
			bad += !check(buf, n);
		}
		if (dh)
			closedir(dh);
	}
	T_EQ_INT(bad, 0);
	fprintf(stderr, "# compared %ld frames, %ld accepted, %ld slim\n", compared, accepted, slimmed);
	T_OK(slimmed > 0);
}

/* COURANT_LITE_FRAMES=file: also every frame of a capture (u32 LE length,
 * frame; e.g. what store-in received in a bench run). */
static void test_capture(void)
{
	const char *path = getenv("COURANT_LITE_FRAMES");
	FILE *fp = path ? fopen(path, "rb") : NULL;
	uint8_t hdr[4], *buf = NULL;
	int bad = 0;
	long before = slimmed, n = 0;
	while (fp && fread(hdr, 1, 4, fp) == 4) {
		size_t len = (size_t)hdr[0] | (size_t)hdr[1] << 8 | (size_t)hdr[2] << 16 | (size_t)hdr[3] << 24;
		if (len > CR_MAX_FRAME || !(buf = realloc(buf, len ? len : 1)) || fread(buf, 1, len, fp) != len)
			break;
		bad += !check(buf, len);
		n++;
	}
	if (fp) {
		fclose(fp);
		fprintf(stderr, "# capture: %ld frames, %ld slim\n", n, slimmed - before);
	}
	free(buf);
	T_EQ_INT(bad, 0);
}

int main(void)
{
	T_RUN(test_edges);
	T_RUN(test_encodings);
	T_RUN(test_over_cap);
	T_RUN(test_mutations);
	T_RUN(test_corpora);
	T_RUN(test_capture);
	return t_done();
}
