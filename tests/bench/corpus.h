/* Loading the benchmark corpus (JSON lines written by gen_corpus, the format
 * of `courant submit`) into memory, so that timed loops never parse JSON.
 * Strings are NUL-terminated copies owned by the corpus; a JSON null or a
 * missing field is NULL. Only the fields the benchmarks use are kept. */
#ifndef BENCH_CORPUS_H
#define BENCH_CORPUS_H

#include <stddef.h>
#include <stdint.h>

typedef struct bc_article {
	char *id, *url, *source, *title, *published, *text;
	size_t text_len;
} bc_article;

typedef struct bc_corpus {
	bc_article *a;
	size_t n;
	size_t text_bytes;
} bc_corpus;

/* Load at most `limit` lines (0: all). Returns 0, or -1 with a message on stderr. */
int bc_load(const char *path, size_t limit, bc_corpus *c);
void bc_free(bc_corpus *c);

/* Wall clock and monotonic clock in microseconds. */
uint64_t bc_now_us(void);
uint64_t bc_mono_us(void);

/* Percentile (0..100) of `n` doubles; sorts `v` in place. */
double bc_percentile(double *v, size_t n, double p);

#endif
