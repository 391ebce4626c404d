/* A small bounded JSON reader (RFC 8259) for command-line inputs: parses a
 * whole document into a read-only tree held in one allocation pool.
 * Strings are validated UTF-8 with \u escapes decoded (surrogate pairs
 * joined; lone surrogates refused). Depth, node count and input size are
 * capped; anything over a cap or malformed is an error, never a crash.
 * Ownership: every node belongs to its cr_json_doc; free the document once. */
#ifndef COURANT_JSON_H
#define COURANT_JSON_H

#include <stddef.h>
#include "common/err.h"

#define CR_JSON_MAX_DEPTH 64
#define CR_JSON_MAX_INPUT (32u << 20)

typedef enum cr_json_type {
	CR_JSON_NULL,
	CR_JSON_FALSE,
	CR_JSON_TRUE,
	CR_JSON_NUMBER,
	CR_JSON_STRING,
	CR_JSON_ARRAY,
	CR_JSON_OBJECT
} cr_json_type;

typedef struct cr_json cr_json;
struct cr_json {
	cr_json_type type;
	const char *str;     /* STRING: decoded UTF-8, NUL-terminated; NUMBER: its text */
	size_t len;          /* STRING/NUMBER: byte length; ARRAY/OBJECT: element count */
	double num;          /* NUMBER */
	const char *key;     /* member of an OBJECT: its key */
	cr_json *child;      /* ARRAY/OBJECT: first element */
	cr_json *next;       /* next sibling */
};

typedef struct cr_json_doc cr_json_doc;

/* Parse exactly one JSON value (surrounding whitespace allowed). On error
 * *doc is NULL and `why` holds "offset N: reason". */
cr_err cr_json_parse(const char *text, size_t len, cr_json_doc **doc, char *why, size_t whylen);
const cr_json *cr_json_root(const cr_json_doc *doc);
void cr_json_free(cr_json_doc **doc);

/* Member of an object by key (first match), or NULL. */
const cr_json *cr_json_get(const cr_json *obj, const char *key);
/* A member's string value, or NULL if absent or not a string. */
const char *cr_json_get_str(const cr_json *obj, const char *key);

#endif
