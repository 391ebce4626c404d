/* Submit frames for the benchmark clients; see submit.h. */
#include "submit.h"

#include <stdio.h>
#include <stdlib.h>

#include "courant.pb-c.h"

void *bc_pack_submit(const bc_article *a, size_t i, size_t *len)
{
	Courant__Submit m = COURANT__SUBMIT__INIT;
	char ref[24];
	void *buf;
	snprintf(ref, sizeof ref, "%zu", i);
	m.version = 1;
	m.client_ref = ref;
	m.id = a->id;
	m.url = a->url;
	m.source = a->source;
	m.title = a->title;
	m.published = a->published;
	m.has_text = 1;
	m.text.data = (uint8_t *)a->text;
	m.text.len = a->text_len;
	*len = courant__submit__get_packed_size(&m);
	if ((buf = malloc(*len)) != NULL)
		courant__submit__pack(&m, buf);
	return buf;
}
