/* UTF-8 validation shared by every decoder (protobuf strings, JSON text,
 * recovered ids): strict, so what passes is safe to hand to any consumer. */
#ifndef COURANT_UTF8_H
#define COURANT_UTF8_H

#include <stddef.h>

/* 1 when p[0..n) is strict UTF-8 (no overlongs, no surrogates, nothing
 * above U+10FFFF), else 0. */
int cr_utf8_valid(const void *p, size_t n);

#endif
