/* The property of common/aview (shared by tests/fuzz/fuzz_aview.c and
 * tests/unit/test_common_aview.c): whatever frame cr_aview_read accepts,
 * cr_decode_work accepts too, and the values read in place are the decoded
 * ones (strings as the decoder's C strings, absent as NULL; the article's
 * range is the one cr_peek_field_range gives). Returns 1 when the view
 * accepted, 0 when it declined, and aborts on a disagreement. */
#ifndef COURANT_AVIEW_CHECK_H
#define COURANT_AVIEW_CHECK_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/aview.h"
#include "common/codec.h"
#include "common/peek.h"

static int aview_same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static int aview_agrees(const uint8_t *p, size_t n)
{
	cr_aview v;
	Courant__Work *w = NULL;
	const Courant__Article *a;
	size_t off = 0, alen = 0;
	if (cr_aview_read(p, n, &v))
		return 0;
	if (cr_decode_work(p, n, &w, NULL, 0) != CR_OK || !w->article)
		abort(); /* the view took a frame the decoder refuses */
	a = w->article;
	if (!aview_same_str(v.id, a->id) || !aview_same_str(v.title, a->title) ||
	    !aview_same_str(v.published, a->published) || !aview_same_str(v.lang, a->lang) ||
	    !aview_same_str(v.text, a->text) || v.text_len != (a->text ? strlen(a->text) : 0))
		abort(); /* strings differ */
	if (v.seq != a->seq || v.attempt != (a->has_attempt ? a->attempt : 0))
		abort(); /* numbers differ */
	if (v.raw_len != a->raw.len || (v.raw != NULL) != (a->raw.data != NULL) ||
	    (v.raw_len && memcmp(v.raw, a->raw.data, v.raw_len)))
		abort(); /* body differs */
	if (v.n_sentences != a->n_sentences || (v.n_sentences != 0) != (v.bounds != NULL))
		abort(); /* sentence count differs */
	for (size_t i = 0; i < v.n_sentences; i++)
		if (v.bounds[2 * i] != a->sentences[i]->start || v.bounds[2 * i + 1] != a->sentences[i]->end)
			abort(); /* sentence bounds differ */
	if (cr_peek_field_range(p, n, 2, &off, &alen) || off != v.article_off || alen != v.article_len)
		abort(); /* the article's range differs */
	cr_msg_free(&w->base);
	cr_aview_fini(&v);
	return 1;
}

#endif
