/* Relay handler: check the frame's structure (each element of a batch
 * frame), forward the received message itself (no unpack, no copy).
 * Content is validated by extract, which decodes fully: see common/peek.h
 * for what passes here and why that is safe. */
#include "relay/service.h"

#include "common/batch.h"
#include "common/counters.h"
#include "common/log.h"
#include "common/peek.h"
#include "common/worker.h"

enum { C_RECEIVED, C_FORWARDED, C_MALFORMED, C_STATS };
static const char *const names[] = {"received", "forwarded", "malformed", "stats_forwarded", NULL};

#define PAYLOAD_STATS 5 /* Work.stats, courant.proto */

/* Check one frame and count it: 1 when it may go on. */
static int pass(cr_counters *c, const void *p, size_t len)
{
	char why[160];
	int payload;
	cr_err e;
	cr_count(c, C_RECEIVED, 1);
	if ((e = cr_peek_work(p, len, &payload, why, sizeof why)) != CR_OK) {
		cr_count(c, C_MALFORMED, 1);
		cr_warn("malformed", "bytes=%zu err=%s why=\"%s\"", len, cr_errname(e), why);
		return 0;
	}
	cr_count(c, payload == PAYLOAD_STATS ? C_STATS : C_FORWARDED, 1);
	return 1;
}

/* A batch frame goes on whole (zero copy) when every element passes; one
 * with junk elements is rebuilt from the others (common/batch.h). */
static cr_err handle(void *ctx, zmq_msg_t *msg, cr_wout *out)
{
	cr_counters *c = ctx;
	cr_batch_it it, again;
	const void *p;
	size_t n;
	int bad = 0;
	cr_err e = CR_OK;
	if (cr_batch_open(zmq_msg_data(msg), zmq_msg_size(msg), &it) != 1)
		return pass(c, zmq_msg_data(msg), zmq_msg_size(msg)) ? cr_worker_forward(out, msg) : CR_OK;
	again = it;
	while (cr_batch_next(&it, &p, &n))
		bad += !pass(c, p, n);
	if (!bad)
		return cr_worker_forward(out, msg);
	while (e == CR_OK && cr_batch_next(&again, &p, &n))
		if (cr_peek_work(p, n, &(int){0}, NULL, 0) == CR_OK)
			e = cr_worker_send(out, p, n);
	return e;
}

cr_err relay_run(const cr_endpoints *ep, int hwm)
{
	cr_counters c;
	cr_worker_cfg cfg = {ep->relay_in, ep->relay_out, 1, hwm, NULL, &c, &c};
	cr_counters_init(&c, "relay", names);
	return cr_worker_run_msg(&cfg, handle);
}
