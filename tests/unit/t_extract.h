/* Helpers of the extraction rule tests (test_extract_{rules,scope,general}.c):
 * run the engine on one text of our own and look for events by type and by
 * the states on their two sides. The including test creates `eng`. */
#ifndef COURANT_T_EXTRACT_H
#define COURANT_T_EXTRACT_H

#include <string.h>

#include "t.h"
#include "extract/doc.h"

static cx_engine *eng;

static inline cx_result *run_at(const char *lang, const char *pub, const char *text)
{
	cx_input in = {.id = "t", .published = pub, .lang = lang, .text = text, .len = strlen(text)};
	cx_result *r = NULL;
	T_EQ_INT(cx_extract(eng, &in, &r), CR_OK);
	return r;
}

static inline cx_result *run(const char *lang, const char *text)
{
	return run_at(lang, "2024-05-10", text);
}

/* an event of this type whose states are exactly a and b (b may be NULL) */
static inline const Courant__Event *find(const cx_result *r, const char *type, const char *a, const char *b)
{
	for (size_t i = 0; r && i < r->n_events; i++) {
		const Courant__Event *e = r->events[i];
		if (strcmp(e->type, type))
			continue;
		int fa = !a, fb = !b, n = 0;
		for (size_t j = 0; j < e->n_actor + e->n_recipient; j++) {
			const char *c = j < e->n_actor ? e->actor[j] : e->recipient[j - e->n_actor];
			fa |= a && !strcmp(c, a);
			fb |= b && !strcmp(c, b);
			n += strlen(c) == 3;
		}
		if (fa && fb && n == (a != NULL) + (b != NULL))
			return e;
	}
	return NULL;
}

static inline int count_type(const cx_result *r, const char *type)
{
	int n = 0;
	for (size_t i = 0; r && i < r->n_events; i++)
		n += !strcmp(r->events[i]->type, type);
	return n;
}

#endif
