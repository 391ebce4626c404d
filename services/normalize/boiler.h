/* Boilerplate lines, French and English: "Lire aussi", share buttons,
 * comment forms, cookie and captcha notices, newsletter prompts, ads; and
 * byline/credit lines ("Par Jean Dupont", "By John Smith", "Photo : AFP")
 * that are taken out of the text as metadata. Driven by a table. */
#ifndef COURANT_NORMALIZE_BOILER_H
#define COURANT_NORMALIZE_BOILER_H

#include <stddef.h>

typedef enum cn_bp {
	CN_BP_TEXT = 0, /* ordinary text: keep */
	CN_BP_DROP,     /* boilerplate line: drop */
	CN_BP_CUT,      /* start of a comment/related section: drop it and what follows */
	CN_BP_BYLINE,   /* author line: metadata */
	CN_BP_CREDIT,   /* photo credit or signature ("La Rédaction"): metadata, kept whole */
} cn_bp;

/* Classify one line (UTF-8 after character cleanup, no newline). For
 * BYLINE and CREDIT, [*meta, *meta + *meta_len) is the part to keep
 * ("Jean Dupont", "Photo : AFP"). */
cn_bp cn_boiler_classify(const char *line, size_t n, const char **meta, size_t *meta_len);

#endif
