/* JSON-lines corpus loader for the benchmarks: a small strict parser for
 * flat objects of strings, numbers, booleans and nulls (what the corpus and
 * scrapers write), decoding \uXXXX escapes and surrogate pairs to UTF-8. */
#include "corpus.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return p;
}

static void put_utf8(char **o, unsigned cp)
{
	unsigned char *q = (unsigned char *)*o;
	if (cp < 0x80) {
		*q++ = (unsigned char)cp;
	} else if (cp < 0x800) {
		*q++ = (unsigned char)(0xC0 | cp >> 6);
		*q++ = (unsigned char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		*q++ = (unsigned char)(0xE0 | cp >> 12);
		*q++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		*q++ = (unsigned char)(0x80 | (cp & 0x3F));
	} else {
		*q++ = (unsigned char)(0xF0 | cp >> 18);
		*q++ = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		*q++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		*q++ = (unsigned char)(0x80 | (cp & 0x3F));
	}
	*o = (char *)q;
}

static int hex4(const char *p, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0') : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
			: c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 99;
		if (d > 15)
			return -1;
		*v = *v << 4 | d;
	}
	return 0;
}

/* Parse a JSON string at *pp (on the opening quote); returns a malloc'd copy. */
static char *parse_string(const char **pp, size_t *len)
{
	const char *p = *pp + 1;
	const char *e = p;
	while (*e && *e != '"')
		e += (*e == '\\' && e[1]) ? 2 : 1;
	if (*e != '"')
		return NULL;
	char *out = malloc((size_t)(e - p) + 1), *o = out;
	if (!out)
		return NULL;
	while (p < e) {
		if (*p != '\\') {
			*o++ = *p++;
			continue;
		}
		p++;
		unsigned cp, lo;
		switch (*p) {
		case 'n': *o++ = '\n'; break;
		case 't': *o++ = '\t'; break;
		case 'r': *o++ = '\r'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'u':
			if (hex4(p + 1, &cp))
				goto bad;
			p += 4;
			if (cp >= 0xD800 && cp < 0xDC00 && p[1] == '\\' && p[2] == 'u' && !hex4(p + 3, &lo) && lo >= 0xDC00 && lo < 0xE000) {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				p += 6;
			}
			put_utf8(&o, cp);
			break;
		default: *o++ = *p; break;
		}
		p++;
	}
	*o = 0;
	*len = (size_t)(o - out);
	*pp = e + 1;
	return out;
bad:
	free(out);
	return NULL;
}

static int parse_line(const char *p, bc_article *a)
{
	p = skip_ws(p);
	if (*p++ != '{')
		return -1;
	for (;;) {
		p = skip_ws(p);
		if (*p == '}')
			return 0;
		size_t kl, vl = 0;
		char *key = *p == '"' ? parse_string(&p, &kl) : NULL;
		if (!key)
			return -1;
		p = skip_ws(p);
		if (*p++ != ':') {
			free(key);
			return -1;
		}
		p = skip_ws(p);
		char *val = NULL;
		if (*p == '"') {
			val = parse_string(&p, &vl);
			if (!val) {
				free(key);
				return -1;
			}
		} else {
			while (*p && *p != ',' && *p != '}')
				p++;
		}
		char **slot = !strcmp(key, "id") ? &a->id : !strcmp(key, "url") ? &a->url : !strcmp(key, "source") ? &a->source
			: !strcmp(key, "title") ? &a->title : !strcmp(key, "published") ? &a->published
			: !strcmp(key, "text") ? &a->text : NULL;
		if (slot && !*slot) {
			*slot = val;
			if (slot == &a->text)
				a->text_len = vl;
		} else {
			free(val);
		}
		free(key);
		p = skip_ws(p);
		if (*p == ',')
			p++;
		else if (*p != '}')
			return -1;
	}
}

int bc_load(const char *path, size_t limit, bc_corpus *c)
{
	memset(c, 0, sizeof *c);
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		return -1;
	}
	char *line = NULL;
	size_t cap = 0, alloc = 0;
	ssize_t r;
	int rc = 0;
	while ((r = getline(&line, &cap, f)) > 0 && (!limit || c->n < limit)) {
		if (c->n == alloc) {
			alloc = alloc ? alloc * 2 : 1024;
			bc_article *na = realloc(c->a, alloc * sizeof *na);
			if (!na) {
				rc = -1;
				break;
			}
			c->a = na;
		}
		bc_article *a = &c->a[c->n];
		memset(a, 0, sizeof *a);
		if (parse_line(line, a) || !a->text) {
			fprintf(stderr, "%s:%zu: not a corpus line\n", path, c->n + 1);
			rc = -1;
			break;
		}
		c->text_bytes += a->text_len;
		c->n++;
	}
	free(line);
	fclose(f);
	if (rc)
		bc_free(c);
	return rc;
}

void bc_free(bc_corpus *c)
{
	for (size_t i = 0; i < c->n; i++) {
		bc_article *a = &c->a[i];
		free(a->id);
		free(a->url);
		free(a->source);
		free(a->title);
		free(a->published);
		free(a->text);
	}
	free(c->a);
	memset(c, 0, sizeof *c);
}

uint64_t bc_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

uint64_t bc_mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

double bc_percentile(double *v, size_t n, double p)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof *v, cmp_double);
	size_t k = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
	return v[k < n ? k : n - 1];
}
