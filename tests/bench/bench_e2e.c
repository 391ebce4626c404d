/* End-to-end load client for a running pipeline.
 *   throughput: keep up to WINDOW submissions unanswered (--window), and time
 *     from the first submit until the store counts every accepted article as
 *     stored or dead-lettered (polling Query{STATS} on the store);
 *   latency: submit at a fixed rate (--rate) and time each article from its
 *     submit to the first event for it received on the store's PUB socket.
 * Submit frames are packed before the clock starts so the client costs
 * little CPU during the measurement.
 *   bench_e2e CORPUS --submit EP --query EP --events EP [--count N]
 *             [--window W | --rate R] [--timeout S] [--progress] [--dump FILE]
 * Prints one JSON object on stdout. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <zmq.h>

#include "common/batch.h"
#include "common/zio.h"
#include "corpus.h"
#include "courant.pb-c.h"
#include "submit.h"

#define VERSION 1u

typedef struct client {
	void *ctx, *sub_s, *qry_s, *evt_s;
	void **frames;
	size_t *lens;
	size_t n;
	uint64_t *sent_real;   /* wall clock at send, per article */
	double *lat_client;    /* ms: our send -> first event received */
	double *lat_ingest;    /* ms: ingest's submitted_us -> first event received */
	double *lat_store;     /* ms: submitted_us -> stored_us */
	unsigned char *seen;
	FILE *dump;            /* --dump: "sent_ms latency_ms" per article, for time plots */
	uint64_t t0_real;
	size_t nlat, nlat_store;
	size_t sent, replied, accepted, dup, refused, events;
	uint64_t stored_base, stored_now;
	int stats_pending, have_base;
	char last_counters[4096]; /* the store's own counters, as JSON members */
	uint64_t stats_sent_at;
} client;

static int send_body(void *s, const void *p, size_t len)
{
	/* DEALER -> ROUTER with an empty delimiter frame, as REQ would send, so
	 * that a ROUTER written for either REQ or DEALER peers parses it. */
	if (zmq_send(s, "", 0, ZMQ_SNDMORE) < 0)
		return -1;
	return zmq_send(s, p, len, 0) < 0 ? -1 : 0;
}

/* Receive one multi-part message; returns the last frame (caller closes). */
static int recv_last(void *s, zmq_msg_t *last)
{
	int more = 1;
	zmq_msg_init(last);
	while (more) {
		zmq_msg_close(last);
		zmq_msg_init(last);
		if (zmq_msg_recv(last, s, ZMQ_DONTWAIT) < 0)
			return -1;
		more = zmq_msg_more(last);
	}
	return 0;
}

static int send_stats_query(client *c)
{
	Courant__Query q = COURANT__QUERY__INIT;
	q.version = VERSION;
	q.kind = COURANT__QUERY_KIND__STATS;
	uint8_t buf[64];
	size_t n = courant__query__pack(&q, buf);
	c->stats_pending = 1;
	c->stats_sent_at = bc_mono_us();
	return send_body(c->qry_s, buf, n);
}

/* Stored = articles + dead letters, from the store's own counters. */
static int stored_from_reply(const Courant__QueryReply *r, uint64_t *stored)
{
	int found = 0;
	*stored = 0;
	for (size_t i = 0; i < r->n_stats; i++) {
		const Courant__Stats *s = r->stats[i];
		if (!s->service || strcmp(s->service, "store"))
			continue;
		for (size_t k = 0; k < s->n_counters; k++) {
			const char *nm = s->counters[k]->name;
			if (!strcmp(nm, "articles") || !strcmp(nm, "dead_letters")) {
				*stored += s->counters[k]->value;
				found = 1;
			}
		}
	}
	return found ? 0 : -1;
}

static void on_stats(client *c)
{
	zmq_msg_t m;
	if (recv_last(c->qry_s, &m))
		return;
	Courant__QueryReply *r = courant__query_reply__unpack(NULL, zmq_msg_size(&m), zmq_msg_data(&m));
	uint64_t stored;
	if (r) {
		size_t o = 0;
		for (size_t i = 0; i < r->n_stats; i++) {
			const Courant__Stats *st = r->stats[i];
			if (!st->service || strcmp(st->service, "store"))
				continue;
			for (size_t k = 0; k < st->n_counters && o + 100 < sizeof c->last_counters; k++)
				o += (size_t)snprintf(c->last_counters + o, sizeof c->last_counters - o, "%s\"%.60s\":%llu",
					o ? "," : "", st->counters[k]->name, (unsigned long long)st->counters[k]->value);
		}
	}
	if (r && !stored_from_reply(r, &stored)) {
		if (!c->have_base) {
			c->stored_base = stored;
			c->have_base = 1;
		}
		c->stored_now = stored - c->stored_base;
	}
	if (r)
		courant__query_reply__free_unpacked(r, NULL);
	zmq_msg_close(&m);
	c->stats_pending = 0;
}

static void count_reply(client *c, const Courant__SubmitReply *r)
{
	c->replied++;
	if (r->status == COURANT__SUBMIT_STATUS__ACCEPTED)
		c->accepted++;
	else if (r->status == COURANT__SUBMIT_STATUS__DUPLICATE)
		c->dup++;
	else {
		if (c->refused < 5)
			fprintf(stderr, "bench_e2e: refused %s: %s\n", r->id ? r->id : "?", r->reason ? r->reason : "?");
		c->refused++;
	}
}

static void on_reply(client *c)
{
	zmq_msg_t m;
	if (recv_last(c->sub_s, &m))
		return;
	Courant__SubmitReply *r = courant__submit_reply__unpack(NULL, zmq_msg_size(&m), zmq_msg_data(&m));
	if (r && r->n_batch) {
		/* the answer to a batch frame: one reply per element */
		for (size_t i = 0; i < r->n_batch; i++) {
			Courant__SubmitReply *e =
				courant__submit_reply__unpack(NULL, r->batch[i].len, r->batch[i].data);
			if (!e) {
				c->replied++, c->refused++;
				continue;
			}
			count_reply(c, e);
			courant__submit_reply__free_unpacked(e, NULL);
		}
	} else if (r) {
		count_reply(c, r);
	}
	if (r)
		courant__submit_reply__free_unpacked(r, NULL);
	zmq_msg_close(&m);
}

/* The corpus ids end in the article's index ("bench-0001234"). */
static long index_of(const char *id, size_t n)
{
	const char *d = strrchr(id, '-');
	char *end;
	long i = d ? strtol(d + 1, &end, 10) : -1;
	return (d && *end == 0 && i >= 0 && (size_t)i < n) ? i : -1;
}

static void on_event(client *c)
{
	zmq_msg_t m;
	if (recv_last(c->evt_s, &m))
		return;
	uint64_t now = bc_now_us();
	Courant__EventRecord *r = courant__event_record__unpack(NULL, zmq_msg_size(&m), zmq_msg_data(&m));
	if (r) {
		c->events++;
		long i = index_of(r->article_id, c->n);
		if (i >= 0 && !c->seen[i] && c->sent_real[i]) {
			c->seen[i] = 1;
			c->lat_client[c->nlat] = (double)(now - c->sent_real[i]) / 1e3;
			if (c->dump)
				fprintf(c->dump, "%.1f %.2f\n", (double)(c->sent_real[i] - c->t0_real) / 1e3, c->lat_client[c->nlat]);
			c->lat_ingest[c->nlat] = r->has_submitted_us && r->submitted_us ? (double)((int64_t)(now - r->submitted_us)) / 1e3 : -1;
			c->nlat++;
			if (r->has_submitted_us && r->has_stored_us && r->submitted_us && r->stored_us >= r->submitted_us)
				c->lat_store[c->nlat_store++] = (double)(r->stored_us - r->submitted_us) / 1e3;
		}
		courant__event_record__free_unpacked(r, NULL);
	}
	zmq_msg_close(&m);
}

static void print_lat(const char *name, double *v, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i] >= 0)
			v[k++] = v[i];
	double p50 = bc_percentile(v, k, 50), p90 = bc_percentile(v, k, 90), p99 = bc_percentile(v, k, 99);
	printf(",\"%s\":{\"n\":%zu,\"p50_ms\":%.2f,\"p90_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f}", name, k, p50, p90, p99,
		k ? v[k - 1] : 0.0);
}

static void *sock(client *c, int type, const char *ep)
{
	void *s = zmq_socket(c->ctx, type);
	int linger = 0, hwm = 100000;
	zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
	zmq_setsockopt(s, ZMQ_RCVHWM, &hwm, sizeof hwm);
	zmq_setsockopt(s, ZMQ_SNDHWM, &hwm, sizeof hwm);

	if (zmq_connect(s, ep)) {
		fprintf(stderr, "bench_e2e: connect %s: %s\n", ep, zmq_strerror(zmq_errno()));
		exit(1);
	}
	return s;
}

/* Wait (bounded) until the store answers STATS; sets the stored baseline. */
static int wait_ready(client *c, double timeout_s)
{
	uint64_t t0 = bc_mono_us();
	while ((double)(bc_mono_us() - t0) / 1e6 < timeout_s) {
		if (!c->stats_pending || bc_mono_us() - c->stats_sent_at > 500000)
			send_stats_query(c);
		zmq_pollitem_t it = {c->qry_s, 0, ZMQ_POLLIN, 0};
		if (zmq_poll(&it, 1, 100) > 0) {
			on_stats(c);
			if (c->have_base)
				return 0;
		}
	}
	return -1;
}

typedef struct opts {
	const char *path, *ep_sub, *ep_qry, *ep_evt, *dump;
	size_t count, window, batch;
	double rate, timeout_s;
	int progress;
} opts;

static int parse(int argc, char **argv, opts *o)
{
	*o = (opts){.window = 1000, .timeout_s = 300, .batch = 1};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--submit") && v) o->ep_sub = v, i++;
		else if (!strcmp(a, "--query") && v) o->ep_qry = v, i++;
		else if (!strcmp(a, "--events") && v) o->ep_evt = v, i++;
		else if (!strcmp(a, "--count") && v) o->count = strtoul(v, NULL, 10), i++;
		else if (!strcmp(a, "--window") && v) o->window = strtoul(v, NULL, 10), i++;
		else if (!strcmp(a, "--rate") && v) o->rate = atof(v), i++;
		else if (!strcmp(a, "--timeout") && v) o->timeout_s = atof(v), i++;
		else if (!strcmp(a, "--submit-batch") && v) o->batch = strtoul(v, NULL, 10), i++;
		else if (!strcmp(a, "--progress")) o->progress = 1;
		else if (!strcmp(a, "--dump") && v) o->dump = v, i++;
		else o->path = a;
	}
	if (o->batch < 1 || o->batch > CR_BATCH_MAX)
		return -1;
	return o->path && o->ep_sub && o->ep_qry && o->ep_evt ? 0 : -1;
}

/* Pack every submission and connect; returns the corpus text bytes. */
static size_t client_open(client *c, const opts *o, const bc_corpus *corp)
{
	c->n = corp->n;
	c->frames = calloc(c->n, sizeof *c->frames);
	c->lens = calloc(c->n, sizeof *c->lens);
	c->sent_real = calloc(c->n, sizeof *c->sent_real);
	c->lat_client = calloc(c->n, sizeof(double));
	c->lat_ingest = calloc(c->n, sizeof(double));
	c->lat_store = calloc(c->n, sizeof(double));
	c->seen = calloc(c->n, 1);
	for (size_t i = 0; i < c->n; i++)
		c->frames[i] = bc_pack_submit(&corp->a[i], i, &c->lens[i]);
	c->ctx = zmq_ctx_new();
	c->sub_s = sock(c, ZMQ_DEALER, o->ep_sub);
	c->qry_s = sock(c, ZMQ_DEALER, o->ep_qry);
	c->evt_s = sock(c, ZMQ_SUB, o->ep_evt);
	/* latency runs take one copy of every event ("t.<TYPE>." topics; the
	 * per-country copies are filtered out at the publisher); throughput runs
	 * subscribe to nothing, so the client costs the pipeline no CPU for them */
	if (o->rate > 0)
		zmq_setsockopt(c->evt_s, ZMQ_SUBSCRIBE, "t.", 2);
	return corp->text_bytes;
}

static void client_close(client *c)
{
	zmq_close(c->sub_s);
	zmq_close(c->qry_s);
	zmq_close(c->evt_s);
	zmq_ctx_term(c->ctx);
	for (size_t i = 0; i < c->n; i++)
		free(c->frames[i]);
	free(c->frames);
	free(c->lens);
	free(c->sent_real);
	free(c->lat_client);
	free(c->lat_ingest);
	free(c->lat_store);
	free(c->seen);
}

/* Send what the window or the pacing allows now; returns the poll timeout. */
static long send_some(client *c, const opts *o, uint64_t t0)
{
	long wait_ms = 10;
	uint64_t now = bc_mono_us();
	while (c->sent < c->n) {
		if (o->rate > 0) {
			uint64_t due = t0 + (uint64_t)((double)c->sent * 1e6 / o->rate);
			if (now < due) {
				/* sleep at least 1 ms and send what fell due meanwhile:
				 * a spinning client would steal a core from the pipeline */
				long ms = (long)((due - now) / 1000);
				ms = ms < 1 ? 1 : ms;
				return ms < wait_ms ? ms : wait_ms;
			}
		} else if (c->sent - c->replied >= o->window) {
			return wait_ms;
		}
		if (o->batch > 1 && o->rate <= 0) {
			/* up to --submit-batch submissions in one batch frame, as many
			 * as the window allows now */
			size_t k = 0, room = o->window - (c->sent - c->replied);
			cr_batch b = {0};
			void *frame;
			size_t len;
			cr_batch_kind(&b, CR_BATCH_SUBMIT, 0);
			while (k < o->batch && k < room && c->sent + k < c->n &&
			       cr_batch_add(&b, c->frames[c->sent + k], c->lens[c->sent + k]) == CR_OK)
				k++;
			frame = cr_batch_take(&b, &len);
			cr_batch_fini(&b);
			if (!frame || send_body(c->sub_s, frame, len)) {
				free(frame);
				return wait_ms;
			}
			free(frame);
			for (size_t j = 0; j < k; j++) {
				c->sent_real[c->sent] = bc_now_us();
				free(c->frames[c->sent]);
				c->frames[c->sent] = NULL;
				c->sent++;
			}
			now = bc_mono_us();
			wait_ms = 0;
			continue;
		}
		c->sent_real[c->sent] = bc_now_us();
		if (send_body(c->sub_s, c->frames[c->sent], c->lens[c->sent]))
			return wait_ms;
		free(c->frames[c->sent]);
		c->frames[c->sent] = NULL;
		c->sent++;
		now = bc_mono_us();
		wait_ms = 0;
	}
	return wait_ms;
}

/* Handle what the three sockets have, waiting at most wait_ms. */
static int poll_once(client *c, long wait_ms)
{
	zmq_pollitem_t it[3] = {{c->sub_s, 0, ZMQ_POLLIN, 0}, {c->evt_s, 0, ZMQ_POLLIN, 0}, {c->qry_s, 0, ZMQ_POLLIN, 0}};
	if (zmq_poll(it, 3, wait_ms) < 0 && zmq_errno() != EINTR)
		return -1;
	for (int k = 0; k < 256 && (it[0].revents & ZMQ_POLLIN); k++)
		if (zmq_poll(&it[0], 1, 0) > 0)
			on_reply(c);
	for (int k = 0; k < 256 && (it[1].revents & ZMQ_POLLIN); k++)
		if (zmq_poll(&it[1], 1, 0) > 0)
			on_event(c);
	if (it[2].revents & ZMQ_POLLIN)
		on_stats(c);
	return 0;
}

typedef struct times {
	uint64_t t0, replied, done;
	double cpu0, cpu1; /* the client's CPU seconds at t0 and at done */
} times;

static double cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* Submit everything and wait until the store has stored all accepted. */
static int run(client *c, const opts *o, times *t)
{
	uint64_t last_prog;
	t->cpu0 = cpu_s();
	last_prog = t->t0 = bc_mono_us();
	c->t0_real = bc_now_us();
	for (;;) {
		double el = (double)(bc_mono_us() - t->t0) / 1e6;
		if (el > o->timeout_s) {
			fprintf(stderr, "bench_e2e: timeout: sent=%zu replied=%zu stored=%lu\n", c->sent, c->replied,
				(unsigned long)c->stored_now);
			return 1;
		}
		long wait_ms = send_some(c, o, t->t0);
		if (c->replied == c->n && !t->replied)
			t->replied = bc_mono_us();
		/* poll the store's counters every 10 ms: often enough for a 1% error
		 * on runs of seconds, rarely enough to cost the store nothing */
		if (!c->stats_pending && bc_mono_us() - c->stats_sent_at > 10000)
			send_stats_query(c);
		if (c->replied == c->n && c->stored_now >= c->accepted) {
			t->done = bc_mono_us();
			t->cpu1 = cpu_s();
			return 0;
		}
		if (poll_once(c, wait_ms))
			return 1;
		if (o->progress && bc_mono_us() - last_prog > 1000000) {
			last_prog = bc_mono_us();
			fprintf(stderr, "bench_e2e: t=%.1fs sent=%zu replied=%zu stored=%lu events=%zu\n", el, c->sent,
				c->replied, (unsigned long)c->stored_now, c->events);
		}
	}
}

static void report(client *c, const opts *o, const times *t, size_t bytes)
{
	double secs = t->done ? (double)(t->done - t->t0) / 1e6 : 0;
	struct rusage ru;
	printf("{\"mode\":\"%s\",\"articles\":%zu,\"bytes\":%zu,\"window\":%zu,\"rate\":%.0f,\"accepted\":%zu,\"duplicates\":%zu,"
		"\"refused\":%zu,\"stored\":%lu,\"seconds\":%.3f,\"articles_per_s\":%.0f,\"mb_per_s\":%.2f,\"accept_seconds\":%.3f,"
		"\"events\":%zu,\"complete\":%s", o->rate > 0 ? "latency" : "throughput", c->n, bytes, o->window, o->rate,
		c->accepted, c->dup, c->refused, (unsigned long)c->stored_now, secs,
		secs > 0 ? (double)c->accepted / secs : 0.0, secs > 0 ? (double)bytes / secs / 1e6 : 0.0,
		t->replied ? (double)(t->replied - t->t0) / 1e6 : 0.0, c->events, t->done ? "true" : "false");
	getrusage(RUSAGE_SELF, &ru);
	printf(",\"client_cpu_s\":%.3f", (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
		(double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	/* what the client spent while it ran (not loading and packing the corpus) */
	printf(",\"client_cpu_run_s\":%.3f,\"submit_batch\":%zu", t->done ? t->cpu1 - t->cpu0 : 0.0, o->rate > 0 ? (size_t)1 : o->batch);
	printf(",\"store_counters\":{%s}", c->last_counters);
	print_lat("latency_client", c->lat_client, c->nlat);
	print_lat("latency_ingest", c->lat_ingest, c->nlat);
	print_lat("latency_store", c->lat_store, c->nlat_store);
	printf("}\n");
}

int main(int argc, char **argv)
{
	opts o;
	bc_corpus corp;
	client c = {0};
	times t = {0};
	if (parse(argc, argv, &o)) {
		fprintf(stderr, "usage: bench_e2e CORPUS --submit EP --query EP --events EP [--count N] [--window W [--submit-batch B] | --rate R]\n");
		return 2;
	}
	if (bc_load(o.path, o.count, &corp))
		return 1;
	size_t bytes = client_open(&c, &o, &corp);
	if (o.dump && !(c.dump = fopen(o.dump, "w")))
		perror(o.dump);
	bc_free(&corp);
	if (wait_ready(&c, 20)) {
		fprintf(stderr, "bench_e2e: store does not answer STATS on %s (or has no articles/dead_letters counters)\n", o.ep_qry);
		client_close(&c);
		return 1;
	}
	/* the SUB connection is asynchronous: give it a moment so that the first
	 * events are not lost (a benchmark, not a test) */
	zmq_pollitem_t wait_it = {c.evt_s, 0, ZMQ_POLLIN, 0};
	zmq_poll(&wait_it, 1, 300);
	int rc = run(&c, &o, &t);
	/* events of the last articles may still be in flight: drain briefly */
	uint64_t td = bc_mono_us();
	while (bc_mono_us() - td < 300000) {
		zmq_pollitem_t it = {c.evt_s, 0, ZMQ_POLLIN, 0};
		if (zmq_poll(&it, 1, 50) > 0)
			on_event(&c);
	}
	report(&c, &o, &t, bytes);
	if (c.dump)
		fclose(c.dump);
	client_close(&c);
	return rc;
}
