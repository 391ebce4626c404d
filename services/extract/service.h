/* The extract worker: PULL normalized articles from relay-out, run
 * cx_extract, PUSH Work{extraction} (the article, raw body included so the
 * store keeps the original, with its entities and events) to store-in.
 * An article it cannot process goes on as a Rejection (stage "extract");
 * rejections and stats from upstream pass unchanged; junk frames are
 * counted and, when they still name an article, dead-lettered. */
#ifndef COURANT_EXTRACT_SERVICE_H
#define COURANT_EXTRACT_SERVICE_H

#include "common/endpoints.h"
#include "common/err.h"
#include "common/worker.h"

cr_err extract_service_run(const cr_endpoints *ep, int hwm);

/* The handler and its context, outside the worker loop, for in-process
 * benchmarks (tests/bench/bench_workers.c). */
cr_err extract_service_handle(void *ctx, const void *frame, size_t len, cr_wout *out);
cr_err extract_service_ctx_new(void **ctx);
void extract_service_ctx_destroy(void **ctx);

#endif
