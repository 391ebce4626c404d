/* Encoding: refuse binary, detect the charset (UTF-8, UTF-16 with or without
 * BOM, Windows-1252, ISO-8859-1, ISO-8859-15) and convert to valid UTF-8.
 * Invalid sequences become U+FFFD and stray control bytes are dropped; both
 * are counted as repairs. */
#ifndef COURANT_NORMALIZE_ENC_H
#define COURANT_NORMALIZE_ENC_H

#include <stddef.h>
#include "normalize/tb.h"

typedef struct cn_enc_result {
	const char *name;   /* static: "utf-8", "windows-1252", ... */
	unsigned repaired;
	int raw_unit;       /* raw bytes per source code unit: 1 (8-bit) or 2 (UTF-16) */
} cn_enc_result;

/* Decode raw[0..len) into out (each byte mapped to the raw offset of the
 * character it came from). `declared` is a charset name from the
 * submitter's content type, or NULL; an HTML <meta charset> is also looked
 * at. Errors: CR_EENCODING (binary: NUL bytes or many control bytes, with
 * `why` set), CR_ENOMEM. */
cr_err cn_enc_decode(const char *raw, size_t len, const char *declared, cn_tb *out,
		     cn_enc_result *res, char *why, size_t whylen);

/* Windows-1252 meaning of a byte 0x80..0x9F (also used for C1 code points
 * that mis-decoded pages and &#146;-style references carry); 0 if none. */
uint32_t cn_enc_cp1252(unsigned b);

/* Length of the raw character starting at raw[off] under the detected
 * encoding (for mapping sentence ends back to raw bytes). */
size_t cn_enc_charlen(const char *raw, size_t len, size_t off, const cn_enc_result *res);

#endif
