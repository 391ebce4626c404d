/* Character-level cleanup: line endings (CRLF, CR, form feed, U+2028/9) to
 * "\n", every space variant (NBSP, narrow NBSP, thin, tab...) to ' ',
 * zero-width and soft-hyphen characters removed, apostrophes to ', double
 * quotes to " (French « » are kept), hyphens and dashes to '-', "…" to
 * "...", C1 code points read as the Windows-1252 characters they were
 * (else dropped), and the result in Unicode NFC. */
#ifndef COURANT_NORMALIZE_CHARS_H
#define COURANT_NORMALIZE_CHARS_H

#include "normalize/tb.h"

/* in (valid UTF-8) -> out, maps carried along. Errors: CR_ENOMEM, CR_ETOOBIG. */
cr_err cn_chars_clean(const cn_tb *in, cn_tb *out);

#endif
