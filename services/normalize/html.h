/* HTML to text without building a tree: tags are dropped, the contents of
 * script/style/nav/header/footer/aside/form/noscript/iframe (and of blocks
 * whose class or id names share buttons, comments, cookie banners...) are
 * dropped, block elements become paragraph breaks, <br> a line break,
 * character references are decoded and white space collapses (except in
 * <pre>). Output: lines separated by "\n", blocks by "\n\n". */
#ifndef COURANT_NORMALIZE_HTML_H
#define COURANT_NORMALIZE_HTML_H

#include "normalize/tb.h"

/* Strip in into out. *title receives a malloc'd title from the first <h1>
 * outside dropped regions, else from <title> without its site suffix, or
 * NULL; *byline the text of the first element whose class or id names the
 * byline or author ("Par Jean Dupont", as written), or NULL.
 * Errors: CR_ENOMEM, CR_ETOOBIG (out's cap). */
cr_err cn_html_strip(const cn_tb *in, cn_tb *out, char **title, char **byline);

/* Cheap guess: does this text look like HTML? */
int cn_html_sniff(const char *s, size_t len);

#endif
