/* The normalize and extract workers' per-frame path in process, without
 * sockets: the frames ingest would send for the corpus go through
 * normalize's handler, its output through extract's (what the relay passes
 * on unchanged), each handler timed in CPU time, then the text work alone
 * (cn_normalize, cx_extract on the same inputs): the difference is the
 * worker's own overhead (decode, validation, packing, allocation).
 *   bench_workers CORPUS [--limit N] [--reps R] [--hashes FILE] [--no-text] [--dump DIR]
 * --reps: best of R passes of each kind; --hashes: one line per article
 * with the FNV-1a hash and size of each worker's output, to diff the
 * outputs of two builds; --no-text: handlers only (for callgrind, with
 * --toggle-collect=extract_service_handle etc.); --dump: write every frame
 * (DIR/{ingest,normalize,extract}-N: fuzz seeds). Prints one JSON object.
 * Build: cc ... bench_workers.c corpus.c libextract.a libnormalize.a
 * libcommon.a libproto.a $(LDLIBS) -lzmq. */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/codec.h"
#include "common/counters.h"
#include "common/worker.h"
#include "corpus.h"
#include "extract/extract.h"
#include "extract/service.h"
#include "normalize/normalize.h"
#include "normalize/service.h"

typedef cr_err (*handler)(void *ctx, const void *frame, size_t len, cr_wout *out);

typedef struct frame {
	void *p;
	size_t n;
} frame;

/* Process CPU time in ns (calls are timed one by one: µs would truncate). */
static uint64_t cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t fnv(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 1099511628211ull;
	return h;
}

/* What ingest sends for corpus article i: the journal's packed Article
 * (journal.c put_article) wrapped by cr_pack_work_article, attempt 1. The
 * submission time is fixed so that outputs compare across runs. */
static frame ingest_frame(const bc_article *a, size_t i)
{
	Courant__Article art = COURANT__ARTICLE__INIT;
	frame f = {NULL, 0};
	size_t alen;
	void *ab;
	art.version = CR_SCHEMA_VERSION;
	art.id = a->id;
	art.seq = i + 1;
	art.url = a->url;
	art.source = a->source;
	art.title = a->title;
	art.published = a->published;
	art.has_raw = 1;
	art.raw.data = (uint8_t *)a->text;
	art.raw.len = a->text_len;
	art.has_submitted_us = 1;
	art.submitted_us = 1700000000000000ull + i;
	if ((ab = cr_pack(&art.base, &alen)) != NULL)
		f.p = cr_pack_work_article(ab, alen, 1, &f.n);
	free(ab);
	return f;
}

/* One pass of `h` over the frames. Only the handler calls are timed, one
 * by one (the text passes below are timed the same way, so the clock's own
 * cost cancels out of the overhead). Each output part (one at most per
 * frame) is hashed into hash[i]/size[i], kept in out[i] as a malloc'd copy
 * when `out` is given, and freed before the next call: a timed pass keeps
 * nothing, so that the handler's allocations reuse memory as they do in the
 * service instead of growing the heap (page faults). Returns CPU ns. */
static uint64_t pass(handler h, void *ctx, const frame *in, size_t n, frame *out, uint64_t *hash, size_t *size)
{
	uint64_t t = 0;
	for (size_t i = 0; i < n; i++) {
		cr_wout w = {0};
		uint64_t t0 = cpu_ns();
		cr_err e = h(ctx, in[i].p, in[i].n, &w);
		t += cpu_ns() - t0;
		if (e != CR_OK)
			fprintf(stderr, "handler failed on frame %zu\n", i);
		hash[i] = fnv(NULL, 0);
		size[i] = 0;
		if (out) {
			out[i].p = NULL;
			out[i].n = 0;
		}
		if (!w.has_held)
			continue;
		size[i] = zmq_msg_size(&w.held);
		hash[i] = fnv(zmq_msg_data(&w.held), size[i]);
		if (out) {
			out[i].n = size[i];
			out[i].p = malloc(size[i] ? size[i] : 1);
			memcpy(out[i].p, zmq_msg_data(&w.held), size[i]);
		}
		zmq_msg_close(&w.held);
	}
	return t;
}

static void frames_free(frame *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(f[i].p);
}

/* cn_normalize alone, with the inputs normalize's handler gives it. The
 * body is copied first (untimed), as the handler's decoder copies it: the
 * text work then reads warm memory in both passes. */
static uint64_t text_normalize(const bc_corpus *c, size_t n)
{
	char why[256], *raw = NULL;
	size_t cap = 0;
	uint64_t t = 0;
	for (size_t i = 0; i < n; i++) {
		cn_doc d;
		uint64_t t0;
		if (c->a[i].text_len > cap && !(raw = realloc(raw, cap = c->a[i].text_len)))
			return 0;
		memcpy(raw, c->a[i].text, c->a[i].text_len);
		cn_input in = {raw, c->a[i].text_len, NULL, c->a[i].title, NULL};
		t0 = cpu_ns();
		if (cn_normalize(&in, &d, why, sizeof why) == CR_OK)
			cn_doc_fini(&d);
		t += cpu_ns() - t0;
	}
	free(raw);
	return t;
}

/* cx_extract alone on the articles of normalize's outputs, each decoded
 * and its sentence bounds laid out just before (untimed), so that its text
 * is as warm as in the handler. */
static uint64_t text_extract(cx_engine *eng, const frame *nf, size_t n)
{
	uint64_t t = 0;
	for (size_t i = 0; i < n; i++) {
		Courant__Work *w = NULL;
		Courant__Article *a;
		cx_result *r = NULL;
		uint32_t *b;
		uint64_t t0;
		if (!nf[i].p || cr_decode_work(nf[i].p, nf[i].n, &w, NULL, 0) != CR_OK)
			continue;
		a = w->article;
		if (!a || !a->text || !*a->text || !(b = malloc((a->n_sentences + 1) * 2 * sizeof *b))) {
			cr_msg_free(&w->base);
			continue;
		}
		for (size_t k = 0; k < a->n_sentences; k++) {
			b[2 * k] = a->sentences[k]->start;
			b[2 * k + 1] = a->sentences[k]->end;
		}
		cx_input in = {a->id, a->title, a->published, a->lang, a->text, strlen(a->text),
			       a->n_sentences ? b : NULL, a->n_sentences};
		t0 = cpu_ns();
		if (cx_extract(eng, &in, &r) == CR_OK)
			cx_result_destroy(&r);
		t += cpu_ns() - t0;
		free(b);
		cr_msg_free(&w->base);
	}
	return t;
}

static void dump(const char *dir, const char *what, const frame *f, size_t n)
{
	char path[4096];
	for (size_t i = 0; i < n; i++) {
		FILE *o;
		snprintf(path, sizeof path, "%s/%s-%zu", dir, what, i);
		if (f[i].p && (o = fopen(path, "wb")) != NULL) {
			fwrite(f[i].p, 1, f[i].n, o);
			fclose(o);
		}
	}
}

static uint64_t best(uint64_t a, uint64_t b)
{
	return a && a < b ? a : b;
}

int main(int argc, char **argv)
{
	/* as in courant-normalize's main: keep CLD2's scratch tables in the heap */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	const char *path = NULL, *hashes = NULL, *dumpdir = NULL;
	size_t limit = 0;
	int reps = 1, text = 1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--limit") && i + 1 < argc)
			limit = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--reps") && i + 1 < argc)
			reps = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--hashes") && i + 1 < argc)
			hashes = argv[++i];
		else if (!strcmp(argv[i], "--dump") && i + 1 < argc)
			dumpdir = argv[++i];
		else if (!strcmp(argv[i], "--no-text"))
			text = 0;
		else
			path = argv[i];
	}
	if (!path || reps < 1)
		return fprintf(stderr, "usage: bench_workers CORPUS [--limit N] [--reps R] [--hashes FILE] [--no-text] "
				       "[--dump DIR]\n"), 2;
	bc_corpus c;
	if (bc_load(path, limit, &c))
		return 1;
	size_t n = c.n;
	frame *in = calloc(n, sizeof *in), *nout = calloc(n, sizeof *nout), *xout = calloc(n, sizeof *xout);
	for (size_t i = 0; i < n; i++)
		in[i] = ingest_frame(&c.a[i], i);
	cr_counters nc;
	void *xc = NULL;
	normalize_service_counters(&nc);
	if (extract_service_ctx_new(&xc) != CR_OK)
		return fprintf(stderr, "extract context failed\n"), 1;
	cx_engine *eng = NULL;
	if (text && cx_engine_new(&eng) != CR_OK)
		return fprintf(stderr, "cx_engine_new failed\n"), 1;

	uint64_t *nhash = calloc(n, sizeof *nhash), *xhash = calloc(n, sizeof *xhash);
	size_t *nsize = calloc(n, sizeof *nsize), *xsize = calloc(n, sizeof *xsize);
	uint64_t nt = 0, xt = 0, ntext = 0, xtext = 0, nh = 0, xh = 0;
	/* extract's input, made once before any timed pass */
	pass(normalize_service_handle, &nc, in, n, nout, nhash, nsize);
	if (dumpdir) {
		pass(extract_service_handle, xc, nout, n, xout, xhash, xsize);
		dump(dumpdir, "ingest", in, n);
		dump(dumpdir, "normalize", nout, n);
		dump(dumpdir, "extract", xout, n);
		frames_free(xout, n);
	}
	for (int r = 0; r < reps; r++) {
		uint64_t h1 = 0, h2 = 0;
		nt = best(nt, pass(normalize_service_handle, &nc, in, n, NULL, nhash, nsize));
		xt = best(xt, pass(extract_service_handle, xc, nout, n, NULL, xhash, xsize));
		if (text) {
			ntext = best(ntext, text_normalize(&c, n));
			xtext = best(xtext, text_extract(eng, nout, n));
		}
		for (size_t i = 0; i < n; i++) {
			h1 = (h1 ^ nhash[i]) * 1099511628211ull;
			h2 = (h2 ^ xhash[i]) * 1099511628211ull;
		}
		if (r && (h1 != nh || h2 != xh))
			fprintf(stderr, "outputs differ between passes\n");
		nh = h1;
		xh = h2;
	}
	if (hashes) {
		FILE *f = fopen(hashes, "w");
		for (size_t i = 0; f && i < n; i++)
			fprintf(f, "%zu %s normalize %zu %016llx extract %zu %016llx\n", i, c.a[i].id, nsize[i],
				(unsigned long long)nhash[i], xsize[i], (unsigned long long)xhash[i]);
		if (f)
			fclose(f);
	}
	double k = 1e-3 / (double)n; /* ns in all -> µs per article */
	printf("{\"articles\":%zu,\"reps\":%d,\"normalize\":{\"us_per_article\":%.2f", n, reps, (double)nt * k);
	if (text)
		printf(",\"text_us\":%.2f,\"overhead_us\":%.2f", (double)ntext * k, ((double)nt - (double)ntext) * k);
	printf(",\"hash\":\"%016llx\"},\"extract\":{\"us_per_article\":%.2f", (unsigned long long)nh, (double)xt * k);
	if (text)
		printf(",\"text_us\":%.2f,\"overhead_us\":%.2f", (double)xtext * k, ((double)xt - (double)xtext) * k);
	printf(",\"hash\":\"%016llx\"}}\n", (unsigned long long)xh);

	frames_free(in, n);
	frames_free(nout, n);
	free(in);
	free(nhash);
	free(xhash);
	free(nsize);
	free(xsize);
	free(nout);
	free(xout);
	extract_service_ctx_destroy(&xc);
	cx_engine_destroy(&eng);
	bc_free(&c);
	return 0;
}
