/* cr_buf: capped growable buffer. */
#include "common/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cr_buf_init(cr_buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
}

void cr_buf_fini(cr_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void cr_buf_reset(cr_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

cr_err cr_buf_reserve(cr_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1, ncap;
	char *p;

	if (need < b->len)
		return CR_ETOOBIG;
	if (b->max && need > b->max + 1)
		return CR_ETOOBIG;
	if (need <= b->cap)
		return CR_OK;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need)
		ncap *= 2;
	if (b->max && ncap > b->max + 1)
		ncap = b->max + 1;
	p = realloc(b->data, ncap);
	if (!p)
		return CR_ENOMEM;
	b->data = p;
	b->cap = ncap;
	return CR_OK;
}

cr_err cr_buf_append(cr_buf *b, const void *p, size_t n)
{
	cr_err e = cr_buf_reserve(b, n);
	if (e)
		return e;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return CR_OK;
}

cr_err cr_buf_putc(cr_buf *b, char c)
{
	return cr_buf_append(b, &c, 1);
}

cr_err cr_buf_puts(cr_buf *b, const char *s)
{
	return cr_buf_append(b, s, strlen(s));
}

cr_err cr_buf_printf(cr_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	cr_err e;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return CR_EINVAL;
	e = cr_buf_reserve(b, (size_t)n);
	if (e)
		return e;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return CR_OK;
}

char *cr_buf_steal(cr_buf *b, size_t *len)
{
	char *p = b->data;
	if (len)
		*len = b->len;
	if (!p) {
		p = calloc(1, 1);
	}
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}
