/* Relay handler: check the frame's structure, forward the received message
 * itself (no unpack, no copy). Content is validated by extract, which decodes
 * fully: see common/peek.h for what passes here and why that is safe. */
#include "relay/service.h"

#include "common/counters.h"
#include "common/log.h"
#include "common/peek.h"
#include "common/worker.h"

enum { C_RECEIVED, C_FORWARDED, C_MALFORMED, C_STATS };
static const char *const names[] = {"received", "forwarded", "malformed", "stats_forwarded", NULL};

#define PAYLOAD_STATS 5 /* Work.stats, courant.proto */

static cr_err handle(void *ctx, zmq_msg_t *msg, cr_wout *out)
{
	cr_counters *c = ctx;
	size_t len = zmq_msg_size(msg);
	char why[160];
	int payload;
	cr_err e;
	cr_count(c, C_RECEIVED, 1);
	if ((e = cr_peek_work(zmq_msg_data(msg), len, &payload, why, sizeof why)) != CR_OK) {
		cr_count(c, C_MALFORMED, 1);
		cr_warn("malformed", "bytes=%zu err=%s why=\"%s\"", len, cr_errname(e), why);
		return CR_OK;
	}
	cr_count(c, payload == PAYLOAD_STATS ? C_STATS : C_FORWARDED, 1);
	return cr_worker_forward(out, msg);
}

cr_err relay_run(const cr_endpoints *ep, int hwm)
{
	cr_counters c;
	cr_worker_cfg cfg = {ep->relay_in, ep->relay_out, 1, hwm, NULL, &c, &c};
	cr_counters_init(&c, "relay", names);
	return cr_worker_run_msg(&cfg, handle);
}
