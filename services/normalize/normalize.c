/* cn_normalize: the stage orchestrator (temporary minimal version: plain
 * UTF-8 passthrough, paragraph-based sentences, CLD2). */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "normalize/normalize.h"
#include "normalize/lang.h"

cr_err cn_normalize(const cn_input *in, cn_doc *out, char *why, size_t whylen)
{
	memset(out, 0, sizeof *out);
	if (in->len > CN_MAX_INPUT) {
		snprintf(why, whylen, "input of %zu bytes over the %u byte limit", in->len, CN_MAX_INPUT);
		return CR_ETOOBIG;
	}
	size_t b = 0, e = in->len;
	while (b < e && (unsigned char)in->raw[b] <= ' ')
		b++;
	while (e > b && (unsigned char)in->raw[e - 1] <= ' ')
		e--;
	if (b == e) {
		snprintf(why, whylen, "empty text");
		return CR_EEMPTY;
	}
	if (memchr(in->raw, 0, in->len)) {
		snprintf(why, whylen, "binary input: NUL bytes");
		return CR_EENCODING;
	}
	out->text = malloc(e - b + 1);
	out->sents = malloc(sizeof *out->sents);
	if (!out->text || !out->sents) {
		cn_doc_fini(out);
		snprintf(why, whylen, "out of memory");
		return CR_ENOMEM;
	}
	memcpy(out->text, in->raw + b, e - b);
	out->text[e - b] = 0;
	out->len = e - b;
	out->title = in->title ? strdup(in->title) : NULL;
	out->encoding = "utf-8";
	out->content_type = "text/plain";
	out->sents[0] = (cn_sentence){0, (uint32_t)out->len, (uint32_t)b, (uint32_t)e};
	out->nsents = 1;
	cn_lang_detect(out->text, out->len, in->lang_hint, out->lang, &out->lang_conf);
	return CR_OK;
}

void cn_doc_fini(cn_doc *d)
{
	if (!d)
		return;
	free(d->text);
	free(d->title);
	free(d->byline);
	free(d->sents);
	memset(d, 0, sizeof *d);
}
