/* Markdown to text: headings, emphasis, code, links ([text](url) -> text),
 * images (dropped), lists, block quotes, tables and rules. Not a full
 * CommonMark parser: enough for what scrapers and writers produce, and
 * never failing on malformed input. Output: lines separated by "\n",
 * blocks by "\n\n". */
#ifndef COURANT_NORMALIZE_MD_H
#define COURANT_NORMALIZE_MD_H

#include "normalize/tb.h"

/* Convert in into out. *title receives a malloc'd copy of the first
 * level-1 heading, or NULL. Errors: CR_ENOMEM, CR_ETOOBIG. */
cr_err cn_md_strip(const cn_tb *in, cn_tb *out, char **title);

/* Cheap guess: does this text look like Markdown? */
int cn_md_sniff(const char *s, size_t len);

#endif
