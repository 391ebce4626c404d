/* Streaming JSON writer into a cr_buf. Commas and nesting are tracked, so a
 * caller writes keys and values in order and never punctuation:
 *
 *   cr_jw w; cr_jw_init(&w, &buf);
 *   cr_jw_obj(&w); cr_jw_key(&w, "id"); cr_jw_str(&w, id); cr_jw_end(&w);
 *
 * Strings are escaped per RFC 8259; invalid UTF-8 is replaced by U+FFFD so
 * the output is always valid JSON. Errors (cap reached, nesting too deep)
 * are sticky: check cr_jw_err() once at the end. */
#ifndef COURANT_JW_H
#define COURANT_JW_H

#include <stdint.h>
#include <stddef.h>
#include "common/buf.h"

#define CR_JW_DEPTH 32

typedef struct cr_jw {
	cr_buf *out;
	int depth;
	unsigned char first[CR_JW_DEPTH]; /* no element written yet at this level */
	char close[CR_JW_DEPTH];          /* bracket that closes this level */
	unsigned char after_key;
	cr_err err;
} cr_jw;

void cr_jw_init(cr_jw *w, cr_buf *out);
void cr_jw_obj(cr_jw *w);
void cr_jw_arr(cr_jw *w);
void cr_jw_end(cr_jw *w);               /* closes the innermost object or array */
void cr_jw_key(cr_jw *w, const char *k);
void cr_jw_str(cr_jw *w, const char *s); /* NULL writes null */
void cr_jw_strn(cr_jw *w, const char *s, size_t n);
void cr_jw_int(cr_jw *w, int64_t v);
void cr_jw_uint(cr_jw *w, uint64_t v);
void cr_jw_num(cr_jw *w, double v, int decimals);
void cr_jw_bool(cr_jw *w, int v);
void cr_jw_null(cr_jw *w);
/* Shorthands for a key followed by a value. */
void cr_jw_kstr(cr_jw *w, const char *k, const char *s);
void cr_jw_kint(cr_jw *w, const char *k, int64_t v);
void cr_jw_kuint(cr_jw *w, const char *k, uint64_t v);
cr_err cr_jw_err(const cr_jw *w);

#endif
