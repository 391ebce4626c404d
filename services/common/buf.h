/* Growable byte buffer with a hard cap: appending past `max` fails with
 * CR_ETOOBIG instead of growing (bound everything untrusted).
 * The buffer owns `data`; it is always NUL-terminated after a successful
 * append, so `data` can be used as a C string when the content has no NUL. */
#ifndef COURANT_BUF_H
#define COURANT_BUF_H

#include <stddef.h>
#include <stdarg.h>
#include "common/err.h"

typedef struct cr_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;   /* 0: no cap beyond memory */
} cr_buf;

void cr_buf_init(cr_buf *b, size_t max);
void cr_buf_fini(cr_buf *b);
void cr_buf_reset(cr_buf *b);
cr_err cr_buf_reserve(cr_buf *b, size_t extra);
cr_err cr_buf_append(cr_buf *b, const void *p, size_t n);
cr_err cr_buf_putc(cr_buf *b, char c);
cr_err cr_buf_puts(cr_buf *b, const char *s);
cr_err cr_buf_printf(cr_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hand the contents to the caller (who frees them); the buffer becomes empty. */
char *cr_buf_steal(cr_buf *b, size_t *len);

#endif
