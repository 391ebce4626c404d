/* libFuzzer target for the whole normalize stage: the first byte picks the
 * declared content type (none, HTML, Markdown, plain, HTML with a legacy
 * charset) and whether a title and language hint are given; the rest is
 * the raw body. Every successful result is checked against the contract:
 * valid UTF-8, sentences inside the text and in order, raw offsets inside
 * the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "normalize/normalize.h"

static const char *const types[] = {NULL, "text/html", "text/markdown", "text/plain",
				    "text/html; charset=iso-8859-1", NULL, NULL, NULL};

static int valid_utf8(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t k = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
		if (!k || i + k > n)
			return 0;
		for (size_t j = 1; j < k; j++)
			if (((unsigned char)s[i + j] & 0xC0) != 0x80)
				return 0;
		i += k;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t sel = data[0];
	cn_input in = {(const char *)data + 1, size - 1, types[sel & 7], (sel & 8) ? "Un titre" : NULL,
		       (sel & 16) ? "fr" : NULL};
	cn_doc d;
	char why[128];
	cr_err e = cn_normalize(&in, &d, why, sizeof why);
	if (e) {
		if (!memchr(why, 0, sizeof why) || !why[0])
			abort(); /* every rejection says why */
		return 0;
	}
	if (!d.text || strlen(d.text) != d.len || !valid_utf8(d.text, d.len) || !d.nsents)
		abort();
	if (d.title && !valid_utf8(d.title, strlen(d.title)))
		abort();
	uint32_t prev_end = 0;
	for (size_t i = 0; i < d.nsents; i++) {
		const cn_sentence *s = &d.sents[i];
		if (s->start >= s->end || s->end > d.len || s->start < prev_end)
			abort();
		if (s->raw_start > s->raw_end || s->raw_end > in.len)
			abort();
		prev_end = s->end;
	}
	cn_doc_fini(&d);
	return 0;
}
