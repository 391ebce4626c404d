/* libFuzzer target for the JSON reader of common/json.h. Beyond "no crash,
 * no leak": on failure the document is NULL with a reason; on success every
 * node is well formed (strings valid UTF-8 and NUL-terminated at len, counts
 * match, members have keys), and writing the tree back as JSON and parsing
 * it again gives the same tree. cr_utf8_valid is checked against a plain
 * reference decoder on the raw input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/json.h"
#include "common/utf8.h"
#include "common/jw.h"

/* Reference: decode code points one by one (RFC 3629). */
static int ref_utf8(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned c = s[i], need, cp, min;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0)
			need = 1, cp = c & 0x1f, min = 0x80;
		else if ((c & 0xf0) == 0xe0)
			need = 2, cp = c & 0x0f, min = 0x800;
		else if ((c & 0xf8) == 0xf0)
			need = 3, cp = c & 0x07, min = 0x10000;
		else
			return 0;
		if (need >= n - i)
			return 0;
		for (unsigned k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

static void check_tree(const cr_json *j, int depth)
{
	if (depth > CR_JSON_MAX_DEPTH + 1)
		abort();
	switch (j->type) {
	case CR_JSON_STRING:
	case CR_JSON_NUMBER:
		if (!j->str || j->str[j->len] != '\0' || !cr_utf8_valid(j->str, j->len))
			abort();
		break;
	case CR_JSON_ARRAY:
	case CR_JSON_OBJECT: {
		size_t n = 0;
		for (const cr_json *c = j->child; c; c = c->next, n++) {
			if (j->type == CR_JSON_OBJECT && !c->key)
				abort();
			check_tree(c, depth + 1);
		}
		if (n != j->len)
			abort();
		break;
	}
	case CR_JSON_NULL:
	case CR_JSON_FALSE:
	case CR_JSON_TRUE:
		break;
	default:
		abort();
	}
}

/* Writes the tree back (numbers as their source text). */
static void write_tree(cr_jw *w, cr_buf *b, const cr_json *j)
{
	switch (j->type) {
	case CR_JSON_NULL: cr_jw_null(w); break;
	case CR_JSON_FALSE: cr_jw_bool(w, 0); break;
	case CR_JSON_TRUE: cr_jw_bool(w, 1); break;
	case CR_JSON_STRING: cr_jw_strn(w, j->str, j->len); break;
	case CR_JSON_NUMBER:
		/* jw has no raw-number call: write a placeholder string, then the
		 * comparison below accepts STRING vs NUMBER with the same text. */
		cr_jw_strn(w, j->str, j->len);
		break;
	case CR_JSON_ARRAY:
	case CR_JSON_OBJECT:
		if (j->type == CR_JSON_ARRAY)
			cr_jw_arr(w);
		else
			cr_jw_obj(w);
		for (const cr_json *c = j->child; c; c = c->next) {
			if (j->type == CR_JSON_OBJECT)
				cr_jw_key(w, c->key);
			write_tree(w, b, c);
		}
		cr_jw_end(w);
		break;
	}
}

static int same_tree(const cr_json *a, const cr_json *b)
{
	int num_as_str = a->type == CR_JSON_NUMBER && b->type == CR_JSON_STRING;
	if (a->type != b->type && !num_as_str)
		return 0;
	if ((a->key || b->key) && (!a->key || !b->key || strcmp(a->key, b->key)))
		return 0;
	if (a->type == CR_JSON_STRING || a->type == CR_JSON_NUMBER)
		return a->len == b->len && !memcmp(a->str, b->str, a->len);
	if (a->type == CR_JSON_ARRAY || a->type == CR_JSON_OBJECT) {
		const cr_json *x = a->child, *y = b->child;
		for (; x && y; x = x->next, y = y->next)
			if (!same_tree(x, y))
				return 0;
		return !x && !y && a->len == b->len;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cr_json_doc *doc = (cr_json_doc *)(uintptr_t)1, *again = NULL;
	char why[256];
	cr_buf b;
	cr_jw w;

	if (!cr_utf8_valid(data, size) != !ref_utf8(data, size))
		abort();
	memset(why, 'x', sizeof why);
	if (cr_json_parse((const char *)data, size, &doc, why, sizeof why) != CR_OK) {
		if (doc || !memchr(why, '\0', sizeof why) || !why[0])
			abort();
		return 0;
	}
	check_tree(cr_json_root(doc), 0);
	cr_buf_init(&b, 0);
	cr_jw_init(&w, &b);
	write_tree(&w, &b, cr_json_root(doc));
	if (cr_jw_err(&w) == CR_OK) {
		if (cr_json_parse(b.data, b.len, &again, NULL, 0) != CR_OK ||
		    !same_tree(cr_json_root(doc), cr_json_root(again)))
			abort();
		cr_json_free(&again);
	}
	cr_buf_fini(&b);
	cr_json_free(&doc);
	if (doc)
		abort(); /* free must clear the pointer */
	return 0;
}
