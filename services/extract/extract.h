/* The extraction stage as a library: one normalized article in, entities
 * and PLOVER events (../shared/spec/EVENTS.md) out, as protobuf messages of
 * proto/courant.proto so the service can send them as they are and the CLI
 * can render them with common/record.h. Used by the extract service and by
 * `courant extract`. Gazetteers are loaded once (cx_engine); extraction is
 * then re-entrant: one engine may serve several threads. */
#ifndef COURANT_EXTRACT_H
#define COURANT_EXTRACT_H

#include <stddef.h>
#include <stdint.h>
#include "courant.pb-c.h"
#include "common/err.h"

typedef struct cx_engine cx_engine;

typedef struct cx_input {
	const char *id;
	const char *title;       /* may be NULL */
	const char *published;   /* "YYYY-MM-DD..." or NULL: relative dates stay unresolved */
	const char *lang;        /* "fr", "en", other or NULL */
	const char *text;        /* normalized text (normalize.h) */
	size_t len;
	const uint32_t *sent_bounds; /* nsents pairs (start, end) in text; NULL: split here */
	size_t nsents;
} cx_input;

typedef struct cx_result {
	Courant__Entity **entities;
	size_t n_entities;
	Courant__Event **events;
	size_t n_events;
	void *priv_;             /* owns every allocation above */
} cx_result;

/* Build the engine from the compiled-in gazetteers. */
cr_err cx_engine_new(cx_engine **out);
void cx_engine_destroy(cx_engine **e);

/* Extract; *out is owned by the caller and freed with cx_result_destroy.
 * The messages in it must not be freed any other way. */
cr_err cx_extract(const cx_engine *e, const cx_input *in, cx_result **out);
void cx_result_destroy(cx_result **r);

#endif
