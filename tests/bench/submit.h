/* The Submit frame a benchmark client sends for a corpus article: the same
 * fields `courant submit` fills, client_ref the article's index. */
#ifndef COURANT_BENCH_SUBMIT_H
#define COURANT_BENCH_SUBMIT_H

#include <stddef.h>
#include "corpus.h"

/* Packed Submit for article a (index i), malloc'd; NULL when out of memory. */
void *bc_pack_submit(const bc_article *a, size_t i, size_t *len);

#endif
