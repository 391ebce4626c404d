/* Sentence splitting for clean text (French and English rules; other
 * scripts' full stops are recognised too). Paragraph breaks always end a
 * sentence; ". ! ? ..." end one when the next sentence starts with no
 * lower-case letter, except after abbreviations (M., Mme, Dr., S.E.M.,
 * U.N., initials...) and inside a quotation that goes on (« ... », "...").
 * Sentences longer than CN_SENT_MAX bytes are cut at a space. */
#ifndef COURANT_NORMALIZE_SENT_H
#define COURANT_NORMALIZE_SENT_H

#include "normalize/normalize.h"

#define CN_SENT_MAX 2000

/* Split text[0..len); *out is a malloc'd array of *n sentences with start
 * and end set (raw offsets left 0). Errors: CR_ENOMEM. */
cr_err cn_sent_split(const char *text, size_t len, cn_sentence **out, size_t *n);

#endif
