/* Keys for exact-duplicate detection: a canonical form of an article URL
 * (lowercase scheme and host, default port, fragment and tracking parameters
 * removed) and a 128-bit hash of its text with whitespace runs collapsed. */
#ifndef COURANT_INGEST_CANON_H
#define COURANT_INGEST_CANON_H

#include <stddef.h>
#include <stdint.h>
#include "common/err.h"

/* Canonical URL into out (NUL-terminated). CR_EINVAL when `url` has no
 * scheme://host, CR_ETOOBIG when it does not fit. */
cr_err ic_canon_url(const char *url, char *out, size_t outlen);

/* 128-bit content hash of text (whitespace-insensitive at the edges and in
 * runs). Not cryptographic: a collision makes a false duplicate. */
void ic_text_hash(const void *text, size_t len, uint8_t out[16]);

/* 128-bit hash of arbitrary bytes (used for over-long URL keys). */
void ic_hash128(const void *p, size_t len, uint8_t out[16]);

#endif
