/* Recursive-descent JSON reader into an arena-held tree; see json.h. */
#include "common/json.h"
#include "common/utf8.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"

struct cr_json_doc {
	cr_arena *arena;
	cr_json *root;
};

typedef struct parser {
	const unsigned char *s;
	size_t n, i;
	int depth;
	cr_arena *a;
	char *why;
	size_t whylen;
	cr_err err;
} parser;

static cr_json *fail(parser *p, cr_err e, const char *msg)
{
	if (p->err == CR_OK) {
		p->err = e;
		if (p->why && p->whylen)
			snprintf(p->why, p->whylen, "offset %zu: %s", p->i, msg);
	}
	return NULL;
}

static void ws(parser *p)
{
	while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' || p->s[p->i] == '\r'))
		p->i++;
}

static cr_json *node(parser *p, cr_json_type t)
{
	cr_json *j = cr_arena_alloc(p->a, sizeof *j);
	if (!j)
		return fail(p, CR_ETOOBIG, "document too large");
	memset(j, 0, sizeof *j);
	j->type = t;
	return j;
}

static int hex4(parser *p, unsigned *out)
{
	unsigned v = 0;
	if (p->n - p->i < 4)
		return -1;
	for (int k = 0; k < 4; k++) {
		unsigned char c = p->s[p->i++];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	*out = v;
	return 0;
}

static size_t put_utf8(char *d, unsigned cp)
{
	if (cp < 0x80)
		return d[0] = (char)cp, 1;
	if (cp < 0x800)
		return d[0] = (char)(0xc0 | cp >> 6), d[1] = (char)(0x80 | (cp & 0x3f)), 2;
	if (cp < 0x10000)
		return d[0] = (char)(0xe0 | cp >> 12), d[1] = (char)(0x80 | ((cp >> 6) & 0x3f)),
		       d[2] = (char)(0x80 | (cp & 0x3f)), 3;
	d[0] = (char)(0xf0 | cp >> 18);
	d[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	d[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	d[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* One \u escape (p->i just past the 'u'), joining surrogate pairs. */
static int unicode_escape(parser *p, unsigned *cp)
{
	unsigned hi, lo;
	if (hex4(p, &hi))
		return fail(p, CR_EINVAL, "bad \\u escape"), -1;
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return fail(p, CR_EINVAL, "lone low surrogate"), -1;
	if (hi < 0xd800 || hi > 0xdbff)
		return *cp = hi, 0;
	if (p->n - p->i < 6 || p->s[p->i] != '\\' || p->s[p->i + 1] != 'u')
		return fail(p, CR_EINVAL, "lone high surrogate"), -1;
	p->i += 2;
	if (hex4(p, &lo) || lo < 0xdc00 || lo > 0xdfff)
		return fail(p, CR_EINVAL, "bad surrogate pair"), -1;
	*cp = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
	return 0;
}

/* String starting at the opening quote; returns decoded NUL-terminated copy. */
static char *string(parser *p, size_t *outlen)
{
	size_t start = ++p->i, end = start;
	char *d;
	size_t k = 0;
	while (end < p->n && p->s[end] != '"')
		end += p->s[end] == '\\' ? 2 : 1;
	if (end >= p->n)
		return fail(p, CR_EINVAL, "unterminated string"), NULL;
	/* decoded text is never longer than its source */
	if (!(d = cr_arena_alloc(p->a, end - start + 1)))
		return fail(p, CR_ETOOBIG, "document too large"), NULL;
	while (p->i < end) {
		unsigned char c = p->s[p->i];
		if (c < 0x20)
			return fail(p, CR_EINVAL, "control character in string"), NULL;
		if (c != '\\') {
			d[k++] = (char)c;
			p->i++;
			continue;
		}
		c = p->s[p->i + 1];
		p->i += 2;
		switch (c) {
		case '"': case '\\': case '/': d[k++] = (char)c; break;
		case 'b': d[k++] = '\b'; break;
		case 'f': d[k++] = '\f'; break;
		case 'n': d[k++] = '\n'; break;
		case 'r': d[k++] = '\r'; break;
		case 't': d[k++] = '\t'; break;
		case 'u': {
			unsigned cp;
			if (unicode_escape(p, &cp))
				return NULL;
			if (p->i > end)
				return fail(p, CR_EINVAL, "bad escape"), NULL;
			k += put_utf8(d + k, cp);
			break;
		}
		default:
			return fail(p, CR_EINVAL, "bad escape"), NULL;
		}
	}
	p->i = end + 1;
	d[k] = '\0';
	if (!cr_utf8_valid(d, k))
		return fail(p, CR_EENCODING, "string is not valid UTF-8"), NULL;
	*outlen = k;
	return d;
}

static cr_json *value(parser *p);

static cr_json *container(parser *p, int is_obj)
{
	cr_json *j = node(p, is_obj ? CR_JSON_OBJECT : CR_JSON_ARRAY), **tail;
	char close = is_obj ? '}' : ']';
	if (!j)
		return NULL;
	if (++p->depth > CR_JSON_MAX_DEPTH)
		return fail(p, CR_ETOOBIG, "nesting too deep");
	tail = &j->child;
	p->i++;
	ws(p);
	if (p->i < p->n && p->s[p->i] == close) {
		p->i++;
		p->depth--;
		return j;
	}
	for (;;) {
		const char *key = NULL;
		size_t kl;
		cr_json *v;
		ws(p);
		if (is_obj) {
			if (p->i >= p->n || p->s[p->i] != '"')
				return fail(p, CR_EINVAL, "expected a key");
			if (!(key = string(p, &kl)))
				return NULL;
			ws(p);
			if (p->i >= p->n || p->s[p->i] != ':')
				return fail(p, CR_EINVAL, "expected ':'");
			p->i++;
		}
		if (!(v = value(p)))
			return NULL;
		v->key = key;
		*tail = v;
		tail = &v->next;
		j->len++;
		ws(p);
		if (p->i < p->n && p->s[p->i] == ',') {
			p->i++;
			continue;
		}
		if (p->i < p->n && p->s[p->i] == close) {
			p->i++;
			p->depth--;
			return j;
		}
		return fail(p, CR_EINVAL, is_obj ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static cr_json *number(parser *p)
{
	size_t st = p->i;
	cr_json *j;
	char *t;
	if (p->i < p->n && p->s[p->i] == '-')
		p->i++;
	if (p->i < p->n && p->s[p->i] == '0')
		p->i++;
	else if (p->i < p->n && p->s[p->i] >= '1' && p->s[p->i] <= '9')
		while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
			p->i++;
	else
		return fail(p, CR_EINVAL, "bad number");
	if (p->i < p->n && p->s[p->i] == '.') {
		size_t d = ++p->i;
		while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
			p->i++;
		if (p->i == d)
			return fail(p, CR_EINVAL, "bad number");
	}
	if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
		size_t d;
		p->i++;
		if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
			p->i++;
		d = p->i;
		while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
			p->i++;
		if (p->i == d)
			return fail(p, CR_EINVAL, "bad number");
	}
	if (!(j = node(p, CR_JSON_NUMBER)) || !(t = cr_arena_alloc(p->a, p->i - st + 1)))
		return fail(p, CR_ETOOBIG, "document too large");
	memcpy(t, p->s + st, p->i - st);
	t[p->i - st] = '\0';
	j->str = t;
	j->len = p->i - st;
	j->num = strtod(t, NULL);
	return j;
}

static cr_json *literal(parser *p, const char *word, cr_json_type t)
{
	size_t n = strlen(word);
	if (p->n - p->i < n || memcmp(p->s + p->i, word, n) != 0)
		return fail(p, CR_EINVAL, "unexpected character");
	p->i += n;
	return node(p, t);
}

static cr_json *value(parser *p)
{
	ws(p);
	if (p->i >= p->n)
		return fail(p, CR_EINVAL, "unexpected end of input");
	switch (p->s[p->i]) {
	case '{': return container(p, 1);
	case '[': return container(p, 0);
	case '"': {
		cr_json *j = node(p, CR_JSON_STRING);
		if (j && !(j->str = string(p, &j->len)))
			return NULL;
		return j;
	}
	case 't': return literal(p, "true", CR_JSON_TRUE);
	case 'f': return literal(p, "false", CR_JSON_FALSE);
	case 'n': return literal(p, "null", CR_JSON_NULL);
	default: return number(p);
	}
}

cr_err cr_json_parse(const char *text, size_t len, cr_json_doc **doc, char *why, size_t whylen)
{
	parser p = {(const unsigned char *)text, len, 0, 0, NULL, why, whylen, CR_OK};
	cr_json_doc *d;
	*doc = NULL;
	if (why && whylen)
		why[0] = '\0';
	if (len > CR_JSON_MAX_INPUT)
		return fail(&p, CR_ETOOBIG, "input too large"), CR_ETOOBIG;
	if (!(d = calloc(1, sizeof *d)) || !(d->arena = cr_arena_new(len * 48 + 65536))) {
		free(d);
		return CR_ENOMEM;
	}
	p.a = d->arena;
	/* a UTF-8 byte-order mark is tolerated */
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		p.i = 3;
	d->root = value(&p);
	ws(&p);
	if (d->root && p.i != p.n)
		fail(&p, CR_EINVAL, "trailing characters");
	if (p.err != CR_OK) {
		cr_json_free(&d);
		return p.err;
	}
	*doc = d;
	return CR_OK;
}

const cr_json *cr_json_root(const cr_json_doc *doc)
{
	return doc ? doc->root : NULL;
}

void cr_json_free(cr_json_doc **doc)
{
	if (!doc || !*doc)
		return;
	cr_arena_destroy(&(*doc)->arena);
	free(*doc);
	*doc = NULL;
}

const cr_json *cr_json_get(const cr_json *obj, const char *key)
{
	if (!obj || obj->type != CR_JSON_OBJECT)
		return NULL;
	for (const cr_json *c = obj->child; c; c = c->next)
		if (c->key && !strcmp(c->key, key))
			return c;
	return NULL;
}

const char *cr_json_get_str(const cr_json *obj, const char *key)
{
	const cr_json *v = cr_json_get(obj, key);
	return v && v->type == CR_JSON_STRING ? v->str : NULL;
}
