/* Relay handler: validate, forward the original bytes. */
#include "relay/service.h"

#include "common/codec.h"
#include "common/counters.h"
#include "common/log.h"
#include "common/worker.h"

enum { C_RECEIVED, C_FORWARDED, C_MALFORMED, C_STATS };
static const char *const names[] = {"received", "forwarded", "malformed", "stats_forwarded", NULL};

static cr_err handle(void *ctx, const void *frame, size_t len, void *out)
{
	cr_counters *c = ctx;
	Courant__Work *w;
	char why[160];
	cr_err e;
	cr_count(c, C_RECEIVED, 1);
	if ((e = cr_decode_work(frame, len, &w, why, sizeof why)) != CR_OK) {
		cr_count(c, C_MALFORMED, 1);
		cr_warn("malformed", "bytes=%zu err=%s why=\"%s\"", len, cr_errname(e), why);
		return CR_OK;
	}
	cr_count(c, w->stats ? C_STATS : C_FORWARDED, 1);
	cr_msg_free(&w->base);
	return cr_worker_send(out, frame, len);
}

cr_err relay_run(const cr_endpoints *ep, int hwm)
{
	cr_counters c;
	cr_worker_cfg cfg = {ep->relay_in, ep->relay_out, 1, hwm, handle, &c, &c};
	cr_counters_init(&c, "relay", names);
	return cr_worker_run(&cfg);
}
