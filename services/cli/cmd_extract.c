/* courant extract [--lang-hint L] [FILE|DIR|-]: the offline text pipeline.
 * Each input article goes through cn_normalize then cx_extract, and comes
 * out as one EVENTS.md §1 record per line on stdout. A bad article is
 * reported on stderr and the rest go on; exit 1 if any failed. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/input.h"
#include "common/buf.h"
#include "common/record.h"
#include "extract/extract.h"
#include "normalize/normalize.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: courant extract [--lang-hint L] [FILE|DIR|-]\n"
	           "  reads JSON lines (id, url, source, title, published, text[, content_type]) or\n"
	           "  text/markdown/html files; prints one extracted record per article.\n");
}

/* Normalize and extract one article into `out` (one JSON line). */
static cr_err one(const cx_engine *eng, const ci_article *a, const char *hint, cr_buf *out, char *why, size_t wl)
{
	cn_input in = {.raw = a->text ? a->text : "", .len = a->text_len, .content_type = a->content_type,
	               .title = a->title, .lang_hint = a->lang ? a->lang : hint};
	cn_doc doc;
	cr_err e = cn_normalize(&in, &doc, why, wl);
	if (e)
		return e;
	cx_input xi = {.id = a->id, .title = doc.title, .published = a->published, .lang = doc.lang,
	               .text = doc.text, .len = doc.len};
	cx_result *res = NULL;
	e = cx_extract(eng, &xi, &res);
	if (e) {
		snprintf(why, wl, "extract: %s", cr_strerror(e));
		cn_doc_fini(&doc);
		return e;
	}
	Courant__Article art = COURANT__ARTICLE__INIT;
	art.id = a->id ? a->id : (char *)"";
	art.url = a->url;
	art.source = a->source;
	art.published = a->published;
	art.title = doc.title ? doc.title : a->title;
	art.lang = doc.lang;
	Courant__Extraction x = COURANT__EXTRACTION__INIT;
	x.article = &art;
	x.n_entities = res->n_entities;
	x.entities = res->entities;
	x.n_events = res->n_events;
	x.events = res->events;
	cr_buf_reset(out);
	e = cr_record_json(&x, out);
	if (e)
		snprintf(why, wl, "render: %s", cr_strerror(e));
	cx_result_destroy(&res);
	cn_doc_fini(&doc);
	return e;
}

int cmd_extract(int argc, char **argv)
{
	const char *hint = NULL, *path = "-";
	/* as in courant-normalize's main: keep CLD2's scratch tables in the heap */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--lang-hint") && i + 1 < argc) {
			hint = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			usage(stderr);
			return 2;
		} else {
			path = argv[i];
		}
	}
	cx_engine *eng = NULL;
	ci_reader *rd = NULL;
	cr_err e = cx_engine_new(&eng);
	if (e) {
		fprintf(stderr, "courant extract: engine: %s\n", cr_strerror(e));
		return 1;
	}
	if ((e = ci_open(path, &rd))) {
		fprintf(stderr, "courant extract: %s: %s\n", path, cr_strerror(e));
		cx_engine_destroy(&eng);
		return 1;
	}
	cr_buf out;
	cr_buf_init(&out, 0);
	int failed = 0;
	for (;;) {
		ci_article a;
		char why[256] = "";
		e = ci_next(rd, &a, why, sizeof why);
		if (e == CR_ENOTFOUND)
			break;
		if (e) {
			fprintf(stderr, "courant extract: %s: %s\n", a.origin, why);
			failed = 1;
			continue;
		}
		if ((e = one(eng, &a, hint, &out, why, sizeof why))) {
			fprintf(stderr, "courant extract: %s: %s\n", a.origin, why);
			failed = 1;
		} else {
			fwrite(out.data, 1, out.len, stdout);
			fputc('\n', stdout);
		}
		ci_article_fini(&a);
	}
	cr_buf_fini(&out);
	ci_close(&rd);
	cx_engine_destroy(&eng);
	return failed;
}
