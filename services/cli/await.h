/* Waiting for articles to reach the store: polls the store's query endpoint
 * (Query ARTICLE, then DEAD_LETTER, per id) until each id is stored or
 * dead-lettered, or nothing progressed for `timeout_us`. */
#ifndef COURANT_CLI_AWAIT_H
#define COURANT_CLI_AWAIT_H

#include <stddef.h>
#include <stdint.h>

/* Returns 0 when every id was resolved, -1 on timeout or interruption.
 * *stored and *dead count the outcomes. */
int ca_await(char **ids, size_t n, const char *endpoint, uint64_t timeout_us, size_t *stored, size_t *dead);

#endif
