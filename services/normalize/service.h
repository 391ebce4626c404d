/* The normalize worker: PULL from ingest's `work`, run cn_normalize on each
 * article's raw body, PUSH the article with its clean text, language and
 * sentences to the relay. An article it cannot normalize goes on as a
 * Rejection (stage "normalize", the reason, the original raw body);
 * rejections and stats from upstream pass unchanged; junk frames are
 * counted and, when they still name an article, dead-lettered. */
#ifndef COURANT_NORMALIZE_SERVICE_H
#define COURANT_NORMALIZE_SERVICE_H

#include "common/counters.h"
#include "common/endpoints.h"
#include "common/err.h"
#include "common/worker.h"
#include "normalize/normalize.h"

cr_err normalize_service_run(const cr_endpoints *ep, int hwm);

/* The handler and its context (a cr_counters), outside the worker loop, for
 * in-process benchmarks (tests/bench/bench_workers.c). */
cr_err normalize_service_handle(void *ctx, const void *frame, size_t len, cr_wout *out);
void normalize_service_counters(cr_counters *c);
/* Work{article}: article a with d's text, language and sentences, packed
 * (malloc'd, NULL when out of memory): the worker's output for a, which
 * tests/bench/bench_store.c builds too. a is left as it was given. */
void *normalize_pack_doc(Courant__Article *a, const cn_doc *d, size_t *len);

#endif
