/* A pipeline worker that does no text work, for the "null stages" run: the
 * same sockets, loop (common/worker.h), decoding and encoding as the real
 * workers, so the pipeline's rate with it is the ceiling that messaging and
 * storage alone allow.
 *   null_worker normalize DATA  : Work{article} -> same article, text = raw
 *   null_worker extract DATA    : Work{article} -> Work{extraction} with one fixed event
 * Other Work kinds are forwarded unchanged. */
#include <stdio.h>
#include <string.h>

#include "common/codec.h"
#include "common/counters.h"
#include "common/endpoints.h"
#include "common/log.h"
#include "common/worker.h"
#include "common/zio.h"

static int extract_mode;

static cr_err handle(void *ctx, const void *frame, size_t len, cr_wout *out)
{
	(void)ctx;
	Courant__Work *w = NULL;
	cr_err e = cr_decode_work(frame, len, &w, NULL, 0);
	if (e != CR_OK)
		return cr_worker_send(out, frame, len);
	if (w->article) {
		Courant__Article *a = w->article;
		if (!extract_mode) {
			a->text = a->has_raw ? (char *)"(null stage)" : NULL;
			a->lang = (char *)"en";
			e = cr_worker_send_pb(out, &w->base);
		} else {
			/* one fixed event per article, so that the store indexes and
			 * publishes as it does for real extractions */
			static char *actor[] = {"FRA"}, *recipient[] = {"MAR"};
			Courant__Event ev = COURANT__EVENT__INIT, *evs[1] = {&ev};
			Courant__Work o = COURANT__WORK__INIT;
			Courant__Extraction x = COURANT__EXTRACTION__INIT;
			ev.type = (char *)"CONSULT";
			ev.n_actor = ev.n_recipient = 1;
			ev.actor = actor;
			ev.recipient = recipient;
			ev.has_confidence = 1;
			ev.confidence = 0.5f;
			ev.has_sentence = 1;
			ev.sentence = 0;
			ev.text = (char *)"(null stage)";
			o.version = x.version = CR_SCHEMA_VERSION;
			x.article = a;
			x.n_events = 1;
			x.events = evs;
			o.extraction = &x;
			e = cr_worker_send_pb(out, &o.base);
		}
	} else {
		e = cr_worker_send(out, frame, len);
	}
	cr_msg_free(&w->base);
	return e;
}

int main(int argc, char **argv)
{
	static const char *const names[] = {"received", NULL};
	cr_endpoints ep;
	cr_counters cn;
	if (argc != 3 || (strcmp(argv[1], "normalize") && strcmp(argv[1], "extract")))
		return fprintf(stderr, "usage: null_worker normalize|extract DATA\n"), 2;
	extract_mode = !strcmp(argv[1], "extract");
	cr_log_init(extract_mode ? "extract" : "normalize");
	if (cr_endpoints_init(&ep, argv[2]))
		return 1;
	cr_counters_init(&cn, extract_mode ? "extract" : "normalize", names);
	cr_worker_cfg c = {.in_ep = extract_mode ? ep.relay_out : ep.work, .out_ep = extract_mode ? ep.store_in : ep.relay_in,
		.handle = handle, .counters = &cn};
	cr_zsignals();
	return cr_worker_run(&c) == CR_OK ? 0 : 1;
}
