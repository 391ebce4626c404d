/* In-process throughput of the two text stages, one thread (= one core):
 * cn_normalize over the corpus, then cx_extract over what normalize produced.
 * Rates use the thread's CPU time, so that other load on the machine does
 * not count against a stage; wall time is reported beside it.
 *   bench_stages CORPUS [--limit N] [--max-seconds S]
 * Prints one JSON object on stdout. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "corpus.h"
#include "extract/extract.h"
#include "normalize/normalize.h"

static uint64_t cpu_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

typedef struct stage_stats {
	size_t n, ok, failed, in_bytes, raw_bytes;
	uint64_t cpu, wall;
} stage_stats;

static void print_stage(const char *name, const stage_stats *s, const char *more)
{
	double cpu = (double)s->cpu / 1e6, wall = (double)s->wall / 1e6;
	printf("\"%s\":{\"articles\":%zu,\"ok\":%zu,\"failed\":%zu,\"cpu_seconds\":%.3f,\"wall_seconds\":%.3f,"
		"\"articles_per_s\":%.0f,\"mb_per_s\":%.2f,\"raw_mb_per_s\":%.2f,\"us_per_article\":%.1f%s}", name, s->n, s->ok,
		s->failed, cpu, wall, (double)s->n / cpu, (double)s->in_bytes / cpu / 1e6, (double)s->raw_bytes / cpu / 1e6,
		cpu * 1e6 / (double)s->n, more);
}

int main(int argc, char **argv)
{
	/* as in courant-normalize's main: keep CLD2's scratch tables in the heap */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	const char *path = NULL;
	size_t limit = 0;
	double max_s = 30;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--limit") && i + 1 < argc)
			limit = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--max-seconds") && i + 1 < argc)
			max_s = atof(argv[++i]);
		else
			path = argv[i];
	}
	if (!path)
		return fprintf(stderr, "usage: bench_stages CORPUS [--limit N] [--max-seconds S]\n"), 2;
	bc_corpus c;
	if (bc_load(path, limit, &c))
		return 1;
	cn_doc *docs = calloc(c.n, sizeof *docs);
	char *okd = calloc(c.n, 1);
	char why[256];
	stage_stats ns = {0}, xs = {0};
	uint64_t w0 = bc_mono_us(), c0 = cpu_us();
	for (size_t i = 0; i < c.n; i++) {
		const bc_article *a = &c.a[i];
		cn_input in = {.raw = a->text, .len = a->text_len, .title = a->title};
		ns.n++;
		ns.in_bytes += a->text_len;
		ns.raw_bytes += a->text_len;
		if (cn_normalize(&in, &docs[i], why, sizeof why) == CR_OK) {
			okd[i] = 1;
			ns.ok++;
		} else {
			ns.failed++;
		}
		if ((i & 63) == 63 && (double)(cpu_us() - c0) / 1e6 > max_s)
			break;
	}
	ns.cpu = cpu_us() - c0;
	ns.wall = bc_mono_us() - w0;

	cx_engine *eng = NULL;
	if (cx_engine_new(&eng) != CR_OK)
		return fprintf(stderr, "cx_engine_new failed\n"), 1;
	size_t nev = 0, nent = 0, maxs = 0;
	for (size_t i = 0; i < ns.n; i++)
		maxs = okd[i] && docs[i].nsents > maxs ? docs[i].nsents : maxs;
	uint32_t *bounds = malloc((maxs + 1) * 2 * sizeof *bounds);
	w0 = bc_mono_us();
	c0 = cpu_us();
	for (size_t i = 0; i < ns.n; i++) {
		if (!okd[i])
			continue;
		const cn_doc *d = &docs[i];
		for (size_t k = 0; k < d->nsents; k++) {
			bounds[2 * k] = d->sents[k].start;
			bounds[2 * k + 1] = d->sents[k].end;
		}
		cx_input in = {.id = c.a[i].id, .title = d->title, .published = c.a[i].published, .lang = d->lang,
			.text = d->text, .len = d->len, .sent_bounds = bounds, .nsents = d->nsents};
		cx_result *r = NULL;
		xs.n++;
		xs.in_bytes += d->len;
		xs.raw_bytes += c.a[i].text_len;
		if (cx_extract(eng, &in, &r) == CR_OK) {
			xs.ok++;
			nev += r->n_events;
			nent += r->n_entities;
		} else {
			xs.failed++;
		}
		cx_result_destroy(&r);
		if ((i & 63) == 63 && (double)(cpu_us() - c0) / 1e6 > max_s)
			break;
	}
	xs.cpu = cpu_us() - c0;
	xs.wall = bc_mono_us() - w0;
	char more[128];
	printf("{");
	print_stage("normalize", &ns, "");
	printf(",");
	snprintf(more, sizeof more, ",\"events\":%zu,\"entities\":%zu", nev, nent);
	print_stage("extract", &xs, more);
	printf("}\n");
	for (size_t i = 0; i < c.n; i++)
		if (okd[i])
			cn_doc_fini(&docs[i]);
	free(docs);
	free(okd);
	free(bounds);
	cx_engine_destroy(&eng);
	bc_free(&c);
	return 0;
}
