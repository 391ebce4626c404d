/* The text pipeline of the normalize stage, as a library: raw bytes as a
 * scraper delivers them (HTML, Markdown, plain text; UTF-8 or legacy
 * single-byte encodings) in, clean NFC UTF-8 text with title, language and
 * sentences out. Used by the normalize service and by `courant extract`.
 * Pure: no sockets, no global state, safe to call from several threads. */
#ifndef COURANT_NORMALIZE_H
#define COURANT_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>
#include "common/err.h"

#define CN_MAX_INPUT (8u << 20)  /* larger inputs are refused with CR_ETOOBIG */

typedef struct cn_input {
	const char *raw;          /* bytes as received; need not be NUL-terminated */
	size_t len;
	const char *content_type; /* "text/html", "text/markdown", "text/plain", or NULL: detect */
	const char *title;        /* title given by the submitter, or NULL */
	const char *lang_hint;    /* ISO 639-1 hint, or NULL */
} cn_input;

typedef struct cn_sentence {
	uint32_t start, end;         /* byte offsets in cn_doc.text, end exclusive */
	uint32_t raw_start, raw_end; /* byte offsets in cn_input.raw */
} cn_sentence;

typedef struct cn_doc {
	char *text;                /* clean UTF-8, NFC; paragraphs separated by "\n\n" */
	size_t len;
	char *title;               /* NULL when none */
	char *byline;              /* NULL when none; "Author; Photo : Credit" */
	char lang[8];              /* ISO 639-1, or "und" (or lang_hint, conf 0.1,
				      when the text cannot tell) */
	float lang_conf;           /* 0..1 */
	const char *encoding;      /* static: "utf-8", "windows-1252", "iso-8859-15", ... */
	const char *content_type;  /* static: the type used */
	unsigned repaired;         /* invalid byte sequences replaced */
	cn_sentence *sents;
	size_t nsents;
} cn_doc;

/* Normalize one article. On success fills *out (free with cn_doc_fini);
 * there is then at least one sentence, and sentences are in text order.
 * Errors: CR_ETOOBIG (over CN_MAX_INPUT, refused before reading the bytes),
 * CR_EEMPTY (empty, white space, markup or boilerplate only), CR_EENCODING
 * (binary, not text: NUL bytes or many control bytes), CR_EINVAL (no
 * input), CR_ENOMEM. On error `why` holds a one-line reason for the dead
 * letter and *out needs no cleanup. */
cr_err cn_normalize(const cn_input *in, cn_doc *out, char *why, size_t whylen);

void cn_doc_fini(cn_doc *d);

#endif
