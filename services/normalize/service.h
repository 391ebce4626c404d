/* The normalize worker: PULL from ingest's `work`, run cn_normalize on each
 * article's raw body, PUSH the article with its clean text, language and
 * sentences to the relay. An article it cannot normalize goes on as a
 * Rejection (stage "normalize", the reason, the original raw body);
 * rejections and stats from upstream pass unchanged; junk frames are
 * counted and, when they still name an article, dead-lettered. */
#ifndef COURANT_NORMALIZE_SERVICE_H
#define COURANT_NORMALIZE_SERVICE_H

#include "common/endpoints.h"
#include "common/err.h"

cr_err normalize_service_run(const cr_endpoints *ep, int hwm);

#endif
