/* JSON renderings people and scripts see (../shared/spec/EVENTS.md §1), made
 * from the wire messages so that every command prints the same shape:
 *   - the article record: id, url, published, lang, title, entities, events;
 *   - an event line (events, tail): seq, article_id, published, url, then the
 *     event's own fields (type, mode, actor, recipient, persons, date,
 *     date_end, location, context, text, confidence) at the top level.
 * Output is one line without a trailing newline, appended to `out`. */
#ifndef COURANT_RECORD_H
#define COURANT_RECORD_H

#include "courant.pb-c.h"
#include "common/buf.h"
#include "common/jw.h"

cr_err cr_record_json(const Courant__Extraction *x, cr_buf *out);
cr_err cr_event_line_json(const Courant__EventRecord *r, cr_buf *out);

/* Field writers, for callers composing their own objects. */
void cr_jw_event_fields(cr_jw *w, const Courant__Event *ev);
void cr_jw_entity(cr_jw *w, const Courant__Entity *en);

#endif
