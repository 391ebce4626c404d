/* libFuzzer target for the JSON renderers of common/record.h over decoded
 * messages: whatever a valid frame holds, the article record and the event
 * lines must be exactly one valid JSON value on one line. The first byte
 * picks the message: 0 Work (extraction), 1 EventRecord, 2 QueryReply. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/codec.h"
#include "common/record.h"
#include "jsoncheck.h"

#define OUT_CAP (64u << 20)

static void check_line(const cr_buf *b, cr_err e)
{
	if (e != CR_OK)
		return; /* cap reached: the caller gets an error, not broken output */
	if (!b->data || memchr(b->data, '\n', b->len) || !json_valid(b->data, b->len))
		abort();
}

static void render_extraction(const Courant__Extraction *x)
{
	cr_buf b;
	cr_buf_init(&b, OUT_CAP);
	check_line(&b, cr_record_json(x, &b));
	cr_buf_fini(&b);
}

static void render_event(const Courant__EventRecord *r)
{
	cr_buf b;
	cr_buf_init(&b, OUT_CAP);
	check_line(&b, cr_event_line_json(r, &b));
	cr_buf_fini(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const uint8_t *p = data + 1;
	size_t n = size - 1;
	switch (data[0] % 3) {
	case 0: {
		Courant__Work *w;
		if (cr_decode_work(p, n, &w, NULL, 0) == CR_OK) {
			if (w->extraction)
				render_extraction(w->extraction);
			cr_msg_free(&w->base);
		}
		break;
	}
	case 1: {
		Courant__EventRecord *r;
		if (cr_decode_event_record(p, n, &r, NULL, 0) == CR_OK) {
			render_event(r);
			cr_msg_free(&r->base);
		}
		break;
	}
	case 2: {
		Courant__QueryReply *q;
		if (cr_decode_query_reply(p, n, &q, NULL, 0) == CR_OK) {
			if (q->article)
				render_extraction(q->article);
			for (size_t i = 0; i < q->n_events; i++)
				render_event(q->events[i]);
			cr_msg_free(&q->base);
		}
		break;
	}
	}
	return 0;
}
