/* The extract service's spliced output (common/codec.h
 * cr_pack_extraction_spliced, common/peek.h cr_peek_field_range) against
 * protobuf-c packing the same Work{extraction}: byte-identical for frames
 * that protobuf-c packed, and the same decoded message for frames it did
 * not (duplicate and unknown fields in the article). Articles: every
 * tests/data/extract/ *.jsonl input and the shared seeds, through cx_extract. */
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"
#include "common/codec.h"
#include "common/json.h"
#include "common/peek.h"
#include "extract/extract.h"

static cx_engine *eng;
static int articles;

/* Sentences cut after ". " as a stand-in for normalize's splitter. */
static size_t split(const char *text, Courant__Sentence *s, Courant__Sentence **ps, size_t max)
{
	size_t n = 0, start = 0, len = strlen(text);
	for (size_t i = 0; i + 1 < len && n + 1 < max; i++)
		if (text[i] == '.' && text[i + 1] == ' ') {
			courant__sentence__init(&s[n]);
			s[n].start = (uint32_t)start;
			s[n].end = (uint32_t)(i + 1);
			ps[n] = &s[n];
			n++;
			start = i + 2;
		}
	courant__sentence__init(&s[n]);
	s[n].start = (uint32_t)start;
	s[n].end = (uint32_t)len;
	ps[n] = &s[n];
	return n + 1;
}

/* What the service did before splicing: pack the decoded article. */
static void *reference(Courant__Article *a, const cx_result *r, size_t *n)
{
	Courant__Work w = COURANT__WORK__INIT;
	Courant__Extraction ex = COURANT__EXTRACTION__INIT;
	ex.version = w.version = CR_SCHEMA_VERSION;
	ex.article = a;
	ex.entities = r->entities;
	ex.n_entities = r->n_entities;
	ex.events = r->events;
	ex.n_events = r->n_events;
	w.extraction = &ex;
	return cr_pack(&w.base, n);
}

/* Decode `frame` (Work{article}), splice, and compare with the reference:
 * bytes when `same_bytes`, else the decoded spliced frame re-packed. */
static void check_frame(const void *frame, size_t len, int same_bytes)
{
	Courant__Work *w = NULL, *back = NULL;
	cx_result *r = NULL;
	size_t off = 0, alen = 0, rn = 0, sn = 0, bn = 0;
	void *ref, *sp, *bp;
	char why[160];
	T_EQ_INT(cr_decode_work(frame, len, &w, why, sizeof why), CR_OK);
	if (!w)
		return;
	T_EQ_INT(cr_peek_field_range(frame, len, 2, &off, &alen), 0);
	cx_input in = {w->article->id, w->article->title, w->article->published, w->article->lang, w->article->text,
		       strlen(w->article->text), NULL, 0};
	T_EQ_INT(cx_extract(eng, &in, &r), CR_OK);
	ref = reference(w->article, r, &rn);
	sp = cr_pack_extraction_spliced((const char *)frame + off, alen, r->entities, r->n_entities, r->events,
					r->n_events, &sn);
	T_OK(ref && sp);
	if (same_bytes)
		T_OK(sn == rn && !memcmp(sp, ref, rn));
	T_EQ_INT(cr_decode_work(sp, sn, &back, why, sizeof why), CR_OK);
	if (back) {
		T_OK(back->extraction && back->extraction->n_events == r->n_events);
		bp = reference(back->extraction->article, r, &bn);
		T_OK(bn == rn && !memcmp(bp, ref, rn));
		free(bp);
	}
	articles++;
	cr_msg_free(back ? &back->base : NULL);
	free(ref);
	free(sp);
	cx_result_destroy(&r);
	cr_msg_free(&w->base);
}

/* The article's encoding followed by a second title (the decoder keeps
 * the last) and an unknown field 99, re-framed as Work{version, article}:
 * not what protobuf-c packs, so only the decoded content can match. */
static void check_altered(const uint8_t *frame, size_t n)
{
	static const uint8_t extra[] = {0x3a, 0x03, 'd', 'u', 'p', 0x98, 0x06, 0x07};
	size_t off = 0, alen = 0, k = 3, v;
	uint8_t *q;
	T_EQ_INT(cr_peek_field_range(frame, n, 2, &off, &alen), 0);
	if (!(q = malloc(alen + sizeof extra + 16)))
		return;
	memcpy(q, "\x08\x01\x12", 3);
	for (v = alen + sizeof extra; v >= 0x80; v >>= 7)
		q[k++] = (uint8_t)(v | 0x80);
	q[k++] = (uint8_t)v;
	memcpy(q + k, frame + off, alen);
	memcpy(q + k + alen, extra, sizeof extra);
	check_frame(q, k + alen + sizeof extra, 0);
	free(q);
}

/* One corpus line as normalize would send it, then altered. */
static void check_line(const cr_json *o, uint64_t seq)
{
	Courant__Work w = COURANT__WORK__INIT;
	Courant__Article a = COURANT__ARTICLE__INIT;
	Courant__Sentence s[64], *ps[64];
	const char *text = cr_json_get_str(o, "text"), *title = cr_json_get_str(o, "title");
	uint8_t *frame;
	size_t n;
	if (!text || !*text || !cr_json_get_str(o, "id"))
		return;
	w.version = a.version = CR_SCHEMA_VERSION;
	a.id = (char *)cr_json_get_str(o, "id");
	a.seq = seq;
	a.has_attempt = 1;
	a.attempt = 1;
	a.url = (char *)cr_json_get_str(o, "url");
	a.source = (char *)cr_json_get_str(o, "source");
	a.title = (char *)title;
	a.published = (char *)cr_json_get_str(o, "published");
	a.has_raw = 1;
	a.raw.data = (uint8_t *)text;
	a.raw.len = strlen(text);
	a.text = (char *)text;
	a.lang = strstr(text, " le ") || strstr(text, " la ") ? "fr" : "en";
	a.n_sentences = split(text, s, ps, 64);
	a.sentences = ps;
	a.has_submitted_us = 1;
	a.submitted_us = 1700000000000000ull + seq;
	w.article = &a;
	frame = cr_pack(&w.base, &n);
	check_frame(frame, n, 1);
	check_altered(frame, n);
	free(frame);
}

static void check_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	uint64_t seq = 1;
	T_OK(f != NULL);
	while (f && (n = getline(&line, &cap, f)) > 0) {
		cr_json_doc *doc = NULL;
		char why[128];
		if (cr_json_parse(line, (size_t)n, &doc, why, sizeof why) == CR_OK)
			check_line(cr_json_root(doc), seq++);
		cr_json_free(&doc);
	}
	free(line);
	if (f)
		fclose(f);
}

static void test_splice_corpus(void)
{
	const char *root = getenv("COURANT_ROOT");
	char pat[1024];
	glob_t g;
	snprintf(pat, sizeof pat, "%s/tests/data/extract/*.jsonl", root ? root : ".");
	T_EQ_INT(glob(pat, 0, NULL, &g), 0);
	for (size_t i = 0; i < g.gl_pathc; i++)
		if (!strstr(g.gl_pathv[i], ".gold."))
			check_file(g.gl_pathv[i]);
	globfree(&g);
	/* the seeds (real news articles), when the shared corpus is here */
	snprintf(pat, sizeof pat, "%s/corpus/seeds.jsonl", getenv("SHARED") ? getenv("SHARED") : "/work/shared");
	if (access(pat, R_OK) == 0)
		check_file(pat);
	T_OK(articles >= 120); /* each article twice: as packed, then altered */
}

/* The article given twice at the top level is merged by the decoder: no
 * single byte range holds it, so the service must pack it instead. */
static void test_range_refuses(void)
{
	const uint8_t twice[] = {0x08, 0x01, 0x12, 0x00, 0x12, 0x00};
	const uint8_t once[] = {0x08, 0x01, 0x12, 0x02, 0x08, 0x01, 0x28, 0x05};
	const uint8_t cut[] = {0x08, 0x01, 0x12, 0x05, 0x08};
	const uint8_t wrong[] = {0x08, 0x01, 0x10, 0x05};
	size_t off = 9, n = 9;
	T_EQ_INT(cr_peek_field_range(twice, sizeof twice, 2, &off, &n), -1);
	T_EQ_INT(cr_peek_field_range(cut, sizeof cut, 2, &off, &n), -1);
	T_EQ_INT(cr_peek_field_range(wrong, sizeof wrong, 2, &off, &n), -1);
	T_EQ_INT(cr_peek_field_range(once, sizeof once, 3, &off, &n), -1);
	T_EQ_INT(cr_peek_field_range(once, sizeof once, 2, &off, &n), 0);
	T_EQ_INT(off, 4);
	T_EQ_INT(n, 2);
	T_EQ_INT(cr_peek_field_range(NULL, 0, 2, &off, &n), -1);
}

int main(void)
{
	if (cx_engine_new(&eng) != CR_OK)
		return 1;
	T_RUN(test_splice_corpus);
	T_RUN(test_range_refuses);
	cx_engine_destroy(&eng);
	return t_done();
}
