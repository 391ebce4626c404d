/* Writer loop: drain store-in, group commit, publish, ack (see intake.h). */
#include "store/intake.h"

#include <stdlib.h>
#include <time.h>
#include <zmq.h>

#include "common/batch.h"
#include "common/codec.h"
#include "common/log.h"
#include "common/peek.h"
#include "common/zio.h"
#include "store/lite.h"
#include "store/publish.h"
#include "store/writer.h"

#define IDLE_MS 5 /* no frame for this long: index what waits */

struct batch {
	Courant__Work *work[ST_BATCH_MAX];
	st_raw raw[ST_BATCH_MAX];       /* each item's frame: in a message below */
	size_t n;
	zmq_msg_t msg[ST_BATCH_MAX];    /* kept until committed: articles are stored from them */
	size_t nmsg;
};

static void count(_Atomic uint64_t *c, uint64_t v)
{
	atomic_fetch_add_explicit(c, v, memory_order_relaxed);
}

static void malformed(st_counters *c, const char *why)
{
	uint64_t n = atomic_fetch_add_explicit(&c->malformed, 1, memory_order_relaxed) + 1;
	if (n <= 10 || n % 1000 == 0)
		cr_warn("malformed_frame", "socket=store-in total=%llu why=\"%s\"",
			(unsigned long long)n, why);
}

/* One frame (a plain one, or an element of a batch frame) into the batch;
 * returns 1 when it joined it (and needs its message kept). */
static int take(const st_intake_cfg *cfg, struct batch *b, const void *p, size_t n)
{
	st_counters *c = st_stats_counters(cfg->stats);
	Courant__Work *w = NULL;
	char why[160];
	int slim;
	count(&c->received, 1);
	if (st_lite_decode_work(p, n, &w, &slim, why, sizeof why))
		malformed(c, why);
	if (w && (w->extraction || w->rejection)) {
		b->raw[b->n] = (st_raw){p, n};
		b->work[b->n++] = w;
		return 1;
	}
	if (w && w->stats) {
		count(&c->worker_stats, 1);
		st_stats_remember(cfg->stats, w->stats);
	}
	if (w)
		cr_msg_free(&w->base);
	return 0;
}

/* Receive what is queued (without waiting) into the batch. A received
 * part is a plain frame or a batch frame whose elements are taken one by
 * one (common/batch.h); a part of a multipart message is a frame too. The
 * batch stops short of ST_BATCH_MAX items by a whole batch frame. */
static void drain(const st_intake_cfg *cfg, struct batch *b)
{
	size_t bytes = 0;
	while (b->n + CR_BATCH_MAX <= ST_BATCH_MAX && bytes < ST_BATCH_BYTES) {
		zmq_msg_t *m = &b->msg[b->nmsg];
		cr_batch_it it;
		const void *p;
		size_t n;
		int kept = 0, r;
		zmq_msg_init(m);
		if (zmq_msg_recv(m, cfg->pull, ZMQ_DONTWAIT) < 0) {
			zmq_msg_close(m);
			break;
		}
		bytes += zmq_msg_size(m);
		r = cr_batch_open(zmq_msg_data(m), zmq_msg_size(m), &it);
		if (r == 1) {
			size_t k = 0;
			while (k++ < CR_BATCH_MAX && cr_batch_next(&it, &p, &n))
				kept |= take(cfg, b, p, n);
			if (cr_batch_next(&it, &p, &n)) /* longer than any sender makes */
				malformed(st_stats_counters(cfg->stats), "batch frame over CR_BATCH_MAX elements (rest dropped)");
		} else {
			kept = take(cfg, b, zmq_msg_data(m), zmq_msg_size(m));
		}
		if (kept)
			b->nmsg++;
		else
			zmq_msg_close(m);
	}
}

static void send_acks(const st_intake_cfg *cfg, const st_result *res)
{
	Courant__Ack ack = COURANT__ACK__INIT;
	Courant__AckItem **items;
	st_counters *c = st_stats_counters(cfg->stats);
	cr_err err;

	if (!res->nacks)
		return;
	items = malloc(res->nacks * sizeof *items);
	if (!items)
		return;
	for (size_t i = 0; i < res->nacks; i++)
		items[i] = &res->acks[i];
	ack.version = CR_SCHEMA_VERSION;
	ack.items = items;
	ack.n_items = res->nacks;
	err = cr_zsend_pb(cfg->ack, &ack.base, ZMQ_DONTWAIT);
	if (err)
		count(&c->acks_dropped, res->nacks);
	else
		count(&c->acks_sent, res->nacks);
	free(items);
}

/* The item could not be stored: keep it as a dead letter instead, with the
 * extraction's bytes from its frame as payload (the decoded article lacks
 * its body, see lite.h), capped like any article body. */
static cr_err bury(st_writer *w, Courant__Work *item, const st_raw *raw, cr_err why, st_result *res)
{
	Courant__Work dw = COURANT__WORK__INIT;
	Courant__Rejection r = COURANT__REJECTION__INIT;
	const Courant__Article *a = item->extraction ? item->extraction->article : NULL;
	char reason[160];
	const uint8_t *payload = NULL;
	size_t off = 0, n = 0;
	cr_err err;

	if (!item->extraction) /* a rejection that cannot be stored: nothing left to try */
		return why;
	if (cr_peek_field_range(raw->data, raw->len, 3, &off, &n) == 0)
		payload = (const uint8_t *)raw->data + off;
	snprintf(reason, sizeof reason, "store could not write the article: %s", cr_strerror(why));
	dw.version = r.version = CR_SCHEMA_VERSION;
	r.id = a->id;
	r.has_seq = 1;
	r.seq = a->seq;
	r.stage = "store";
	r.reason = reason;
	r.has_payload = payload != NULL && n <= CR_MAX_ARTICLE;
	r.payload.data = (uint8_t *)payload;
	r.payload.len = r.has_payload ? n : 0;
	dw.rejection = &r;
	{
		Courant__Work *one = &dw;
		err = st_writer_commit(w, &one, NULL, 1, res);
	}
	return err;
}

/* Commit the batch; on a failure other than a full disk, item by item. */
static cr_err write_batch(st_writer *w, struct batch *b, st_result *res, st_result *one)
{
	cr_err err = st_writer_commit(w, b->work, b->raw, b->n, res);
	if (!err || err == CR_ENOSPC || b->n == 1)
		return b->n == 1 && err && err != CR_ENOSPC ? bury(w, b->work[0], &b->raw[0], err, res) : err;
	cr_warn("batch_split", "items=%zu err=%s", b->n, cr_errname(err));
	st_result_reset(res);
	for (size_t i = 0; i < b->n; i++) {
		cr_err e = st_writer_commit(w, &b->work[i], &b->raw[i], 1, one);
		if (e && e != CR_ENOSPC)
			e = bury(w, b->work[i], &b->raw[i], e, one);
		if (!e)
			e = st_result_take(res, one);
		if (e)
			return e; /* earlier items are committed: their acks go out */
	}
	return CR_OK;
}

static void commit(const st_intake_cfg *cfg, st_writer *w, struct batch *b, st_result *res, st_subs *subs)
{
	st_counters *c = st_stats_counters(cfg->stats);
	unsigned long long t0 = cr_mono_us(), us;
	st_result one;
	cr_err err;

	st_result_init(&one);
	err = write_batch(w, b, res, &one);
	st_result_fini(&one);
	us = cr_mono_us() - t0;
	if (!err) {
		count(&c->commits, 1);
		count(&c->commit_us, us);
		atomic_store_explicit(&c->commit_us_last, us, memory_order_relaxed);
	}
	/* res only ever describes committed items (after a failed split, those
	 * committed before the failure): announce exactly those */
	count(&c->stored, res->stored);
	count(&c->duplicates, res->duplicates);
	count(&c->dead_written, res->dead);
	count(&c->events_written, res->events);
	count(&c->map_grows, res->grows);
	st_server_committed(cfg->server, st_writer_head(w));
	st_publish(cfg->pub, subs, res, c);
	send_acks(cfg, res);
	if (cfg->map_budget && st_db_trim(cfg->db, cfg->map_budget))
		count(&c->map_trims, 1);
	cr_debug("commit", "items=%zu stored=%llu events=%llu us=%llu err=%s", b->n,
		 (unsigned long long)res->stored, (unsigned long long)res->events, us, cr_errname(err));
	for (size_t i = 0; i < b->n; i++)
		cr_msg_free(&b->work[i]->base);
	for (size_t i = 0; i < b->nmsg; i++)
		zmq_msg_close(&b->msg[i]);
	b->n = b->nmsg = 0;
}

/* Under load, wait until commit_gap_us after the previous commit started
 * before committing a small batch, so that it grows: most of a commit's
 * cost (page copies of every index key and B-tree path it touches, the
 * writes, the fsync) is per commit, not per article. At a low rate the
 * previous commit is old and nothing waits. Returns 1 after a wait. */
static int gather(const st_intake_cfg *cfg, unsigned long long last)
{
	unsigned long long now = cr_mono_us(), due = last + cfg->commit_gap_us;
	struct timespec ts;
	if (!cfg->commit_gap_us || now >= due)
		return 0;
	ts.tv_sec = (time_t)((due - now) / 1000000u);
	ts.tv_nsec = (long)((due - now) % 1000000u) * 1000;
	nanosleep(&ts, NULL); /* a signal cuts it short: fine, the loop sees it */
	return 1;
}

/* Write the collected index entries when due (`now`, a query waits for
 * them, or the index gap has passed), then wake the long polls and the
 * queries that wait: none looks past them. */
static void index_due(const st_intake_cfg *cfg, st_writer *w, int now, uint64_t *notified)
{
	st_writer_index(w, st_server_index_wanted(cfg->server) || now);
	if (st_writer_indexed(w) != *notified) {
		*notified = st_writer_indexed(w);
		st_server_notify(cfg->server, *notified);
	}
}

cr_err st_intake_run(const st_intake_cfg *cfg)
{
	st_writer *w = st_writer_new(cfg->db);
	struct batch *b = calloc(1, sizeof *b);
	st_result res;
	st_subs subs = {0, 0};
	zmq_pollitem_t item = {cfg->pull, 0, ZMQ_POLLIN, 0};
	unsigned long long last = 0;
	uint64_t notified;
	long wait_ms = 1000;
	int rc;
	cr_err err = CR_OK;

	st_result_init(&res);
	if (!w || !b) {
		err = CR_ENOMEM;
		goto out;
	}
	st_writer_set_index_gap(w, cfg->index_gap_us);
	notified = st_writer_indexed(w);
	st_server_committed(cfg->server, st_writer_head(w));
	st_server_notify(cfg->server, notified);
	cr_notice("ready", "head_seq=%llu", (unsigned long long)st_writer_head(w));
	while ((rc = cr_zpoll(&item, 1, wait_ms)) >= 0) {
		drain(cfg, b);
		if (b->n && b->n < ST_GAP_BATCH && gather(cfg, last))
			drain(cfg, b);
		if (b->n) {
			last = cr_mono_us();
			commit(cfg, w, b, &res, &subs);
		}
		/* a quiet store (nothing came within IDLE_MS) indexes what waits,
		 * so long polls see its commits soon; under load, every index gap
		 * (queries that need them ask, server.h) */
		index_due(cfg, w, rc == 0, &notified);
		wait_ms = st_writer_indexed(w) != st_writer_head(w) ? IDLE_MS : 1000;
	}
	st_writer_index(w, 1);
	st_server_notify(cfg->server, st_writer_indexed(w));
out:
	st_result_fini(&res);
	free(b);
	st_writer_destroy(&w);
	return err;
}
