/* Reading `courant submit` inputs: JSON lines or one (possibly pretty-
 * printed) JSON object or array per file, in the project's format
 * (id, url, source, title, published, text, content_type, lang), the
 * news-please format (maintext, date_publish, source_domain, language) or
 * trafilatura's (text, date, hostname); plain .txt/.md/.html/.htm files
 * (content type from the extension, id from the file name); stdin ("-");
 * or a directory of any of these, walked recursively in sorted order.
 * Every field is bounded; a bad record is reported and reading goes on. */
#ifndef COURANT_CLI_INPUT_H
#define COURANT_CLI_INPUT_H

#include <stddef.h>
#include "common/err.h"

#define CI_MAX_FILE (32u << 20)   /* whole-file reads (one object, plain text) */
#define CI_MAX_LINE (16u << 20)   /* one JSON line */

typedef struct ci_article {
	char *id, *url, *source, *title, *published, *content_type, *lang; /* NULL when absent */
	char *text;             /* raw body, may hold any bytes */
	size_t text_len;
	char origin[512];       /* "path:line" or "path" for people */
} ci_article;

typedef struct ci_reader ci_reader;

/* Open a file, a directory or "-" (stdin). */
cr_err ci_open(const char *path, ci_reader **out);
void ci_close(ci_reader **r);

/* Next article. CR_OK: *a is filled (release with ci_article_fini).
 * CR_ENOTFOUND: no more input. Other errors: this record is bad; a->origin
 * says where and `why` why; call again for the next one. */
cr_err ci_next(ci_reader *r, ci_article *a, char *why, size_t whylen);

/* Whether ci_next would return without waiting for input: 1 for files,
 * directories, buffered or available stdin data and end of input; 0 when the
 * next record must come from a pipe or terminal that has nothing yet. When 0
 * and `fd` is not NULL, *fd is the descriptor to poll for readiness. */
int ci_ready(const ci_reader *r, int *fd);
void ci_article_fini(ci_article *a);

/* Map one parsed JSON object to an article (exposed for tests). */
struct cr_json;
cr_err ci_from_json(const struct cr_json *obj, ci_article *a, char *why, size_t whylen);

#endif
