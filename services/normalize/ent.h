/* HTML character references (&eacute; &#233; &#xE9;), used by the HTML,
 * Markdown and plain-text readers alike. */
#ifndef COURANT_NORMALIZE_ENT_H
#define COURANT_NORMALIZE_ENT_H

#include <stddef.h>
#include <stdint.h>

/* If p[0..n) starts with a character reference, store its code point and
 * return the number of bytes it spans; else return 0. */
size_t cn_ent_decode(const char *p, size_t n, uint32_t *cp);

#endif
