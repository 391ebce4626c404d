/* Line structure: trims and collapses spaces, drops boilerplate lines
 * (collecting byline and credits), then decides for every line break
 * whether it is a paragraph break or a hard wrap / page break to rejoin,
 * undoing end-of-line hyphenation unless the hyphen is a real one. */
#ifndef COURANT_NORMALIZE_LINES_H
#define COURANT_NORMALIZE_LINES_H

#include "normalize/tb.h"

/* in: text with "\n" line breaks (a blank line = a paragraph break, two or
 * more = a hard one that is never rejoined as a page break).
 * out: paragraphs separated by exactly "\n\n", no leading/trailing space.
 * *byline: malloc'd "Author; Photo : X" or NULL.
 * Errors: CR_ENOMEM, CR_ETOOBIG. */
cr_err cn_lines_build(const cn_tb *in, cn_tb *out, char **byline);

#endif
