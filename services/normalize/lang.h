/* Language identification: a thin C face over CLD2 (lang_cld2.cc), so the
 * rest of the library stays C. Thread-safe: CLD2 keeps only static tables. */
#ifndef COURANT_NORMALIZE_LANG_H
#define COURANT_NORMALIZE_LANG_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Identify the language of valid UTF-8 `text`. Writes an ISO 639-1 code (or
 * the shortest code CLD2 knows, e.g. "haw") into out[8], "und" when the text
 * is too short or unreliable; *conf in 0..1. `hint` is an ISO code or NULL. */
void cn_lang_detect(const char *text, size_t len, const char *hint, char out[8], float *conf);

#ifdef __cplusplus
}
#endif

#endif
