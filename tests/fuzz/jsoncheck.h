/* A strict RFC 8259 validator for the fuzz targets: the JSON the project
 * writes must always be exactly one valid value, whatever message it was
 * rendered from. Test-only; bounded depth, no allocation. */
#ifndef COURANT_FUZZ_JSONCHECK_H
#define COURANT_FUZZ_JSONCHECK_H

#include <stddef.h>
#include <string.h>

typedef struct jc {
	const unsigned char *p, *end;
	int depth;
} jc;

static int jc_value(jc *c);

static void jc_ws(jc *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

static int jc_lit(jc *c, const char *s)
{
	for (; *s; s++, c->p++)
		if (c->p >= c->end || *c->p != (unsigned char)*s)
			return 0;
	return 1;
}

static int jc_hex(unsigned char x)
{
	return (x >= '0' && x <= '9') || (x >= 'a' && x <= 'f') || (x >= 'A' && x <= 'F');
}

/* Strings: no raw control characters, valid escapes, valid UTF-8. */
static int jc_string(jc *c)
{
	c->p++; /* opening quote */
	while (c->p < c->end) {
		unsigned x = *c->p;
		if (x == '"') {
			c->p++;
			return 1;
		}
		if (x < 0x20)
			return 0;
		if (x == '\\') {
			if (++c->p >= c->end)
				return 0;
			if (*c->p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (c->p + i >= c->end || !jc_hex(c->p[i]))
						return 0;
				c->p += 5;
			} else if (*c->p && strchr("\"\\/bfnrt", *c->p)) {
				c->p++;
			} else {
				return 0;
			}
			continue;
		}
		if (x < 0x80) {
			c->p++;
			continue;
		}
		unsigned need = x >= 0xf0 && x <= 0xf4 ? 3 : x >= 0xe0 && x <= 0xef ? 2 : x >= 0xc2 && x <= 0xdf ? 1 : 0;
		if (!need || (size_t)(c->end - c->p) <= need)
			return 0;
		for (unsigned k = 1; k <= need; k++)
			if ((c->p[k] & 0xc0) != 0x80)
				return 0;
		c->p += need + 1;
	}
	return 0;
}

static int jc_digits(jc *c)
{
	const unsigned char *s = c->p;
	while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
		c->p++;
	return c->p > s;
}

static int jc_number(jc *c)
{
	if (*c->p == '-')
		c->p++;
	if (c->p < c->end && *c->p == '0')
		c->p++;
	else if (!jc_digits(c))
		return 0;
	if (c->p < c->end && *c->p == '.') {
		c->p++;
		if (!jc_digits(c))
			return 0;
	}
	if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
		c->p++;
		if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
			c->p++;
		if (!jc_digits(c))
			return 0;
	}
	return 1;
}

static int jc_container(jc *c, unsigned char close)
{
	int first = 1;
	if (++c->depth > 256)
		return 0;
	c->p++;
	for (;;) {
		jc_ws(c);
		if (c->p >= c->end)
			return 0;
		if (*c->p == close && first) {
			c->p++;
			break;
		}
		if (close == '}') {
			if (*c->p != '"' || !jc_string(c))
				return 0;
			jc_ws(c);
			if (c->p >= c->end || *c->p++ != ':')
				return 0;
		}
		if (!jc_value(c))
			return 0;
		jc_ws(c);
		if (c->p >= c->end)
			return 0;
		if (*c->p == ',') {
			c->p++;
			first = 0;
			continue;
		}
		if (*c->p++ != close)
			return 0;
		break;
	}
	c->depth--;
	return 1;
}

static int jc_value(jc *c)
{
	jc_ws(c);
	if (c->p >= c->end)
		return 0;
	switch (*c->p) {
	case '{': return jc_container(c, '}');
	case '[': return jc_container(c, ']');
	case '"': return jc_string(c);
	case 't': return jc_lit(c, "true");
	case 'f': return jc_lit(c, "false");
	case 'n': return jc_lit(c, "null");
	default: return (*c->p == '-' || (*c->p >= '0' && *c->p <= '9')) && jc_number(c);
	}
}

/* 1 when s[0..n) is exactly one JSON value (surrounding whitespace allowed). */
static inline int json_valid(const char *s, size_t n)
{
	jc c = {(const unsigned char *)s, (const unsigned char *)s + n, 0};
	if (!jc_value(&c))
		return 0;
	jc_ws(&c);
	return c.p == c.end;
}

#endif
