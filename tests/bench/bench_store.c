/* Store replay: the CPU time courant-store spends per article on real extract
 * output, without the rest of the pipeline, so that store changes can be
 * measured on a shared machine (CPU time is robust to others' load; its
 * system part much less: disk interrupts land on whoever runs).
 *   bench_store CORPUS --store BIN --dir DIR [--frames FILE] [--limit N]
 *               [--rate R] [--batch B] [--runs K] [-- STORE ARGS...]
 *   bench_store CORPUS --inproc --dir DIR [--commit-batch C] [--index-every I] ...
 * 1. Frames: each corpus article goes through what ingest, normalize and
 *    extract do to it (the ingest Article, cn_normalize, the normalized
 *    Work{article} packed like normalize's service, cx_extract, then
 *    Work{extraction} spliced like extract's service; an article a stage
 *    refuses becomes its Work{rejection}). Cached in FILE (default
 *    DIR/frames.bin, ~9 KB per article) for the same corpus and limit.
 * 2. K runs (default 3): a fresh DIR/run-K data directory, a real store
 *    process, the frames PUSHed to its store-in at R articles/s (default
 *    6000, about the pipeline's rate, so that its group commits have the
 *    pipeline's size) in batch frames of B articles (default 16, as
 *    extract sends them; 1: plain frames), its Acks PULLed
 *    until every article is acknowledged; the store's CPU time so far
 *    (/proc/PID/stat, as tests/bench/run reads it: "run_"), its counters
 *    (STATS), then SIGTERM and its whole rusage from wait4 (with the final
 *    sync of the index env at the stop). Each run starts after a sync(2),
 *    so that earlier runs' dirty pages are not written back during it.
 * --inproc: instead, the store's write path in this thread (decode, group
 *    commits of C articles, an index txn every I commits, default 36 and 8
 *    as under the pipeline's load), its CPU time per phase: repeatable, and
 *    what callgrind can profile.
 * Prints one JSON line per run and a last one with the medians. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include "common/batch.h"
#include "common/codec.h"
#include "common/peek.h"
#include "corpus.h"
#include "extract/extract.h"
#include "normalize/normalize.h"
#include "normalize/service.h"
#include "store/db.h"
#include "store/lite.h"
#include "store/writer.h"

#define RUNS_MAX 15

typedef struct frames {
	unsigned char **p;
	size_t *len, n, bytes, rejected;
} frames;

typedef struct opts {
	const char *corpus, *store, *dir, *cache;
	size_t limit, batch;
	double rate;
	int runs, inproc;
	size_t commit_batch, index_every;
	char **store_args;
	int nstore_args;
} opts;

static cr_err add(frames *f, void *p, size_t len)
{
	if (!p)
		return CR_ENOMEM;
	f->p[f->n] = p;
	f->len[f->n++] = len;
	f->bytes += len;
	return CR_OK;
}

static void *pack_rejection(const char *stage, const char *reason, const Courant__Article *a, size_t *len)
{
	Courant__Work w = COURANT__WORK__INIT;
	Courant__Rejection r = COURANT__REJECTION__INIT;
	w.version = r.version = CR_SCHEMA_VERSION;
	r.id = a->id;
	r.has_seq = 1;
	r.seq = a->seq;
	r.stage = (char *)stage;
	r.reason = (char *)reason;
	r.has_payload = 1;
	r.payload = a->raw;
	r.has_at_us = 1;
	r.at_us = bc_now_us();
	r.has_attempt = 1;
	r.attempt = a->attempt;
	w.rejection = &r;
	return cr_pack(&w.base, len);
}

/* Extract's output for the normalized frame nb[0..nlen). */
static void *extract_frame(cx_engine *eng, const void *nb, size_t nlen, size_t *len, size_t *rejected)
{
	Courant__Work *w = NULL;
	cx_result *r = NULL;
	size_t off = 0, alen = 0;
	void *out = NULL;
	if (cr_decode_work(nb, nlen, &w, NULL, 0) || !w->article || cr_peek_field_range(nb, nlen, 2, &off, &alen)) {
		cr_msg_free(w ? &w->base : NULL);
		return NULL;
	}
	Courant__Article *a = w->article;
	uint32_t *bounds = malloc((a->n_sentences + 1) * 2 * sizeof *bounds);
	for (size_t i = 0; bounds && i < a->n_sentences; i++) {
		bounds[2 * i] = a->sentences[i]->start;
		bounds[2 * i + 1] = a->sentences[i]->end;
	}
	cx_input in = {a->id, a->title, a->published, a->lang, a->text, a->text ? strlen(a->text) : 0, bounds,
		       a->n_sentences};
	if (a->text && *a->text && bounds && cx_extract(eng, &in, &r) == CR_OK) {
		out = cr_pack_extraction_spliced((const char *)nb + off, alen, r->entities, r->n_entities, r->events,
						 r->n_events, len);
	} else {
		++*rejected;
		out = pack_rejection("extract", "extraction failed", a, len);
	}
	cx_result_destroy(&r);
	free(bounds);
	cr_msg_free(&w->base);
	return out;
}

static int make_frames(const opts *o, frames *f)
{
	bc_corpus c;
	cx_engine *eng = NULL;
	char why[256];
	if (bc_load(o->corpus, o->limit, &c) || cx_engine_new(&eng))
		return -1;
	f->p = calloc(c.n, sizeof *f->p);
	f->len = calloc(c.n, sizeof *f->len);
	for (size_t i = 0; i < c.n && f->p && f->len; i++) {
		const bc_article *ca = &c.a[i];
		Courant__Article a = COURANT__ARTICLE__INIT;
		char id[32];
		cn_doc d;
		size_t len = 0;
		void *p;
		snprintf(id, sizeof id, "a%08zu", i + 1); /* ingest's ids for submissions without one */
		a.version = CR_SCHEMA_VERSION;
		a.id = id;
		a.seq = i + 1;
		a.has_attempt = 1;
		a.attempt = 1;
		a.url = ca->url;
		a.source = ca->source;
		a.title = ca->title;
		a.published = ca->published;
		a.has_raw = 1;
		a.raw = (ProtobufCBinaryData){ca->text_len, (uint8_t *)ca->text};
		a.has_submitted_us = 1;
		a.submitted_us = bc_now_us();
		cn_input in = {.raw = ca->text, .len = ca->text_len, .title = ca->title};
		if (cn_normalize(&in, &d, why, sizeof why) != CR_OK) {
			f->rejected++;
			p = pack_rejection("normalize", why, &a, &len);
		} else {
			size_t nlen = 0;
			void *nb = normalize_pack_doc(&a, &d, &nlen);
			p = nb ? extract_frame(eng, nb, nlen, &len, &f->rejected) : NULL;
			free(nb);
			cn_doc_fini(&d);
		}
		if (add(f, p, len))
			return -1;
	}
	cx_engine_destroy(&eng);
	bc_free(&c);
	return f->p && f->len ? 0 : -1;
}

/* Cache: "BSF1", corpus size, limit, count, then (u32 length, bytes)*. */
static int load_cache(const opts *o, frames *f)
{
	struct stat st;
	uint64_t h[3];
	char magic[4];
	FILE *in = fopen(o->cache, "rb");
	int ok = in && stat(o->corpus, &st) == 0 && fread(magic, 4, 1, in) == 1 && !memcmp(magic, "BSF1", 4) &&
		 fread(h, sizeof h, 1, in) == 1 && h[0] == (uint64_t)st.st_size && h[1] == o->limit;
	if (ok) {
		f->p = calloc(h[2] + 1, sizeof *f->p);
		f->len = calloc(h[2] + 1, sizeof *f->len);
		ok = f->p && f->len;
	}
	for (uint64_t i = 0; ok && i < h[2]; i++) {
		uint32_t n;
		unsigned char *p = NULL;
		ok = fread(&n, 4, 1, in) == 1 && (p = malloc(n ? n : 1)) && fread(p, 1, n, in) == n && !add(f, p, n);
		if (!ok)
			free(p);
	}
	if (in)
		fclose(in);
	return ok ? 0 : -1;
}

static void save_cache(const opts *o, const frames *f)
{
	struct stat st;
	FILE *out = fopen(o->cache, "wb");
	uint64_t h[3] = {0, o->limit, f->n};
	if (!out)
		return;
	if (stat(o->corpus, &st) == 0)
		h[0] = (uint64_t)st.st_size;
	fwrite("BSF1", 4, 1, out);
	fwrite(h, sizeof h, 1, out);
	for (size_t i = 0; i < f->n; i++) {
		uint32_t n = (uint32_t)f->len[i];
		fwrite(&n, 4, 1, out);
		fwrite(f->p[i], 1, n, out);
	}
	fclose(out);
}

static pid_t start_store(const opts *o, const char *data)
{
	char log[4200];
	pid_t pid = fork();
	if (pid)
		return pid;
	snprintf(log, sizeof log, "%s/store.log", data);
	int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0)
		dup2(fd, 2);
	setenv("COURANT_LOG", "warn", 1);
	char **argv = calloc((size_t)o->nstore_args + 4, sizeof *argv);
	argv[0] = (char *)o->store;
	argv[1] = "--data";
	argv[2] = (char *)data;
	for (int i = 0; i < o->nstore_args; i++)
		argv[3 + i] = o->store_args[i];
	execv(o->store, argv);
	_exit(127);
}

/* Count the items of the Acks waiting on `pull`. */
static size_t read_acks(void *pull, int wait_ms)
{
	zmq_pollitem_t it = {pull, 0, ZMQ_POLLIN, 0};
	size_t items = 0;
	if (zmq_poll(&it, 1, wait_ms) <= 0)
		return 0;
	for (;;) {
		zmq_msg_t m;
		Courant__Ack *a = NULL;
		zmq_msg_init(&m);
		if (zmq_msg_recv(&m, pull, ZMQ_DONTWAIT) < 0) {
			zmq_msg_close(&m);
			return items;
		}
		if (!cr_decode_ack(zmq_msg_data(&m), zmq_msg_size(&m), &a, NULL, 0))
			items += a->n_items;
		cr_msg_free(a ? &a->base : NULL);
		zmq_msg_close(&m);
	}
}

static void free_batch(void *data, void *hint)
{
	(void)hint;
	free(data);
}

static void free_part(void *data, void *hint)
{
	(void)data;
	(void)hint; /* the frames live until exit */
}

/* The store's counters named in `want` (STATS over its query socket), as
 * "name":value JSON members in out. */
static void store_counters(void *ctx, const char *data, const char *const *want, char *out, size_t cap)
{
	char ep[4200];
	Courant__Query q = COURANT__QUERY__INIT;
	uint8_t buf[64];
	void *req = zmq_socket(ctx, ZMQ_REQ);
	int ms = 2000, linger = 0;
	zmq_msg_t m;
	size_t o = 0;
	out[0] = '\0';
	zmq_setsockopt(req, ZMQ_RCVTIMEO, &ms, sizeof ms);
	zmq_setsockopt(req, ZMQ_LINGER, &linger, sizeof linger);
	snprintf(ep, sizeof ep, "ipc://%s/run/query.sock", data);
	q.version = CR_SCHEMA_VERSION;
	q.kind = COURANT__QUERY_KIND__STATS;
	zmq_connect(req, ep);
	zmq_msg_init(&m);
	if (zmq_send(req, buf, courant__query__pack(&q, buf), 0) >= 0 && zmq_msg_recv(&m, req, 0) >= 0) {
		Courant__QueryReply *r = courant__query_reply__unpack(NULL, zmq_msg_size(&m), zmq_msg_data(&m));
		for (size_t i = 0; r && i < r->n_stats; i++)
			for (size_t k = 0; r->stats[i]->service && !strcmp(r->stats[i]->service, "store") &&
					   k < r->stats[i]->n_counters; k++)
				for (const char *const *w = want; *w && o + 80 < cap; w++)
					if (!strcmp(*w, r->stats[i]->counters[k]->name))
						o += (size_t)snprintf(out + o, cap - o, ",\"%s\":%llu", *w,
								      (unsigned long long)r->stats[i]->counters[k]->value);
		if (r)
			courant__query_reply__free_unpacked(r, NULL);
	}
	zmq_msg_close(&m);
	zmq_close(req);
}

typedef struct result {
	double user_us, sys_us, wall_s, hwm_mb;
	double run_us, run_sys_us; /* from /proc/PID/stat while it runs, as tests/bench/run reads it */
} result;

/* utime + stime and stime of `pid` so far, in microseconds (clock ticks). */
static int proc_cpu(pid_t pid, double *cpu, double *sys)
{
	char path[64], buf[1024], *p;
	unsigned long ut = 0, st = 0;
	FILE *f;
	size_t n;
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if (!(f = fopen(path, "r")))
		return -1;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* fields 14 and 15, counted after the ")" that ends the command name */
	if (!(p = strrchr(buf, ')')) || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return -1;
	*cpu = (double)(ut + st) * 1e6 / (double)sysconf(_SC_CLK_TCK);
	*sys = (double)st * 1e6 / (double)sysconf(_SC_CLK_TCK);
	return 0;
}

static long hwm_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "VmHWM:", 6))
			kb = strtol(line + 6, NULL, 10);
	if (f)
		fclose(f);
	return kb;
}

static int one_run(const opts *o, const frames *f, int k, void *ctx, result *res)
{
	char data[2048], ep[4200], cmd[4200];
	snprintf(data, sizeof data, "%s/run-%d", o->dir, k);
	snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s/run'", data, data);
	if (system(cmd))
		return -1;
	void *pull = zmq_socket(ctx, ZMQ_PULL), *push = zmq_socket(ctx, ZMQ_PUSH);
	int hwm = 0, linger = 0;
	zmq_setsockopt(pull, ZMQ_RCVHWM, &hwm, sizeof hwm);
	zmq_setsockopt(push, ZMQ_LINGER, &linger, sizeof linger);
	zmq_setsockopt(pull, ZMQ_LINGER, &linger, sizeof linger);
	snprintf(ep, sizeof ep, "ipc://%s/run/ack.sock", data);
	if (zmq_bind(pull, ep))
		return fprintf(stderr, "bind %s: %s\n", ep, zmq_strerror(errno)), -1;
	snprintf(ep, sizeof ep, "ipc://%s/run/store-in.sock", data);
	zmq_connect(push, ep);
	/* what earlier runs (or anyone) left dirty in the page cache is written
	 * back now, not while this store runs, whose system time would take
	 * part of it (throttled writes) */
	sync();
	pid_t pid = start_store(o, data);
	uint64_t t0 = bc_mono_us();
	size_t sent = 0, acked = 0;
	while (acked < f->n) {
		double due = o->rate * (double)(bc_mono_us() - t0) / 1e6;
		while (sent < f->n && (double)sent < due) {
			size_t end = sent + o->batch < f->n ? sent + o->batch : f->n;
			zmq_msg_t m;
			if (end - sent == 1) { /* a plain frame, zero copy */
				zmq_msg_init_data(&m, f->p[sent], f->len[sent], free_part, NULL);
				sent++;
			} else { /* a batch frame, as extract sends them (common/batch.h) */
				cr_batch b = {0};
				size_t n = 0;
				for (; sent < end; sent++) {
					if (cr_batch_add(&b, f->p[sent], f->len[sent]) != CR_OK)
						return fprintf(stderr, "out of memory\n"), -1;
				}
				void *frame = cr_batch_take(&b, &n);
				zmq_msg_init_data(&m, frame, n, free_batch, NULL);
			}
			zmq_msg_send(&m, push, 0);
		}
		acked += read_acks(pull, 1);
		if (bc_mono_us() - t0 > 600u * 1000000u || waitpid(pid, NULL, WNOHANG) == pid)
			return fprintf(stderr, "run %d: store died or timed out (%zu of %zu acked)\n", k, acked, f->n), -1;
	}
	res->wall_s = (double)(bc_mono_us() - t0) / 1e6;
	res->hwm_mb = (double)hwm_kb(pid) / 1024.0;
	/* the last index txn follows the last commit within a few ms (IDLE_MS) */
	nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
	if (proc_cpu(pid, &res->run_us, &res->run_sys_us))
		res->run_us = res->run_sys_us = 0;
	static const char *const want[] = {"commits", "events", "map_trims", "map_grows", NULL};
	char counters[512];
	store_counters(ctx, data, want, counters, sizeof counters);
	kill(pid, SIGTERM);
	struct rusage ru;
	int status;
	if (wait4(pid, &status, 0, &ru) != pid)
		return -1;
	res->user_us = (double)ru.ru_utime.tv_sec * 1e6 + (double)ru.ru_utime.tv_usec;
	res->sys_us = (double)ru.ru_stime.tv_sec * 1e6 + (double)ru.ru_stime.tv_usec;
	zmq_close(push);
	zmq_close(pull);
	printf("{\"run\":%d,\"articles\":%zu,\"run_cpu_us_per_article\":%.1f,\"run_sys_us_per_article\":%.1f,"
	       "\"cpu_us_per_article\":%.1f,\"user_us_per_article\":%.1f,"
	       "\"sys_us_per_article\":%.1f,\"wall_s\":%.2f,\"vmhwm_mb\":%.1f,\"exit\":%d%s}\n",
	       k, f->n, res->run_us / (double)f->n, res->run_sys_us / (double)f->n,
	       (res->user_us + res->sys_us) / (double)f->n, res->user_us / (double)f->n,
	       res->sys_us / (double)f->n, res->wall_s, res->hwm_mb, WIFEXITED(status) ? WEXITSTATUS(status) : -1,
	       counters);
	fflush(stdout);
	return 0;
}

/* This thread's CPU time (precise), and its system part so far (getrusage:
 * tick-grained, used only for the whole run). */
static uint64_t thread_us(struct timeval *sys)
{
	struct rusage ru;
	struct timespec ts;
	if (sys) {
		getrusage(RUSAGE_THREAD, &ru);
		*sys = ru.ru_stime;
	}
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static double tv_us(struct timeval a, struct timeval b)
{
	return (double)(b.tv_sec - a.tv_sec) * 1e6 + (double)(b.tv_usec - a.tv_usec);
}

/* The store's write path in this thread, without the process around it:
 * decode (st_lite_decode_work), group commits of `commit_batch` articles,
 * an index txn every `index_every` commits, the map trim as intake does it.
 * Deterministic batching, so that runs compare well; CPU split per phase. */
static int inproc_run(const opts *o, const frames *f, int k, result *res)
{
	char data[2048], cmd[4200];
	st_db *db = NULL;
	st_result r;
	Courant__Work **work = calloc(o->commit_batch, sizeof *work);
	st_raw *raw = calloc(o->commit_batch, sizeof *raw);
	uint64_t t_dec = 0, t_com = 0, t_ix = 0, t0, t1, c0;
	struct timeval s0, s1;
	size_t commits = 0;
	snprintf(data, sizeof data, "%s/inproc-%d", o->dir, k);
	snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", data, data);
	if (!work || !raw || system(cmd))
		return -1;
	sync(); /* as one_run */
	if (st_db_open(&db, data, 0))
		return -1;
	st_writer *w = st_writer_new(db);
	st_writer_set_index_gap(w, 1000000000u); /* indexed only when this loop says */
	st_result_init(&r);
	c0 = thread_us(&s0);
	for (size_t i = 0; i < f->n;) {
		size_t n = 0;
		int slim;
		t0 = thread_us(NULL);
		for (; n < o->commit_batch && i < f->n; i++) {
			raw[n] = (st_raw){f->p[i], f->len[i]};
			if (!st_lite_decode_work(f->p[i], f->len[i], &work[n], &slim, NULL, 0))
				n++;
		}
		t1 = thread_us(NULL);
		t_dec += t1 - t0;
		if (st_writer_commit(w, work, raw, n, &r))
			return fprintf(stderr, "inproc: commit failed\n"), -1;
		st_db_trim(db, (size_t)96 << 20);
		t0 = thread_us(NULL);
		t_com += t0 - t1;
		if (++commits % o->index_every == 0)
			st_writer_index(w, 1);
		t1 = thread_us(NULL);
		t_ix += t1 - t0;
		st_result_reset(&r);
		for (size_t j = 0; j < n; j++)
			cr_msg_free(&work[j]->base);
	}
	t0 = thread_us(NULL);
	st_writer_index(w, 1);
	t_ix += thread_us(NULL) - t0;
	res->user_us = (double)(thread_us(&s1) - c0);
	res->sys_us = tv_us(s0, s1);
	res->user_us -= res->sys_us;
	res->hwm_mb = 0;
	printf("{\"inproc\":%d,\"articles\":%zu,\"cpu_us_per_article\":%.1f,\"sys_us_per_article\":%.1f,"
	       "\"decode_us\":%.1f,\"commit_us\":%.1f,\"index_us\":%.1f,\"commits\":%zu}\n",
	       k, f->n, (res->user_us + res->sys_us) / (double)f->n, res->sys_us / (double)f->n,
	       (double)t_dec / (double)f->n, (double)t_com / (double)f->n, (double)t_ix / (double)f->n, commits);
	fflush(stdout);
	st_result_fini(&r);
	st_writer_destroy(&w);
	st_db_close(&db);
	free(work);
	free(raw);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int parse(int argc, char **argv, opts *o)
{
	static char cache[4200];
	*o = (opts){.batch = 16, .rate = 6000, .runs = 3, .commit_batch = 36, .index_every = 8};
	for (int i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(argv[i], "--")) {
			o->store_args = argv + i + 1;
			o->nstore_args = argc - i - 1;
			break;
		} else if (!strcmp(argv[i], "--store") && v)
			o->store = argv[++i];
		else if (!strcmp(argv[i], "--dir") && v)
			o->dir = argv[++i];
		else if (!strcmp(argv[i], "--frames") && v)
			o->cache = argv[++i];
		else if (!strcmp(argv[i], "--limit") && v)
			o->limit = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--batch") && v)
			o->batch = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--rate") && v)
			o->rate = atof(argv[++i]);
		else if (!strcmp(argv[i], "--inproc"))
			o->inproc = 1;
		else if (!strcmp(argv[i], "--commit-batch") && v)
			o->commit_batch = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--index-every") && v)
			o->index_every = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--runs") && v)
			o->runs = atoi(argv[++i]);
		else if (argv[i][0] != '-' && !o->corpus)
			o->corpus = argv[i];
		else
			return -1;
	}
	if (!o->corpus || (!o->store && !o->inproc) || !o->dir || !o->commit_batch || !o->index_every || o->batch < 1 || o->rate <= 0 || o->runs < 1 ||
	    o->runs > RUNS_MAX)
		return -1;
	if (!o->cache) {
		snprintf(cache, sizeof cache, "%s/frames.bin", o->dir);
		o->cache = cache;
	}
	return 0;
}

int main(int argc, char **argv)
{
	opts o;
	frames f = {0};
	result r[RUNS_MAX];
	double cpu[RUNS_MAX], sys[RUNS_MAX], hwm[RUNS_MAX], rcpu[RUNS_MAX], rsys[RUNS_MAX];
	if (parse(argc, argv, &o))
		return fprintf(stderr, "usage: bench_store CORPUS --store BIN --dir DIR [--frames FILE] [--limit N]\n"
				       "                   [--rate R] [--batch B] [--runs K] [-- STORE ARGS...]\n"), 2;
	mkdir(o.dir, 0755);
	if (load_cache(&o, &f)) {
		f = (frames){0};
		fprintf(stderr, "bench_store: making frames (normalize + extract in process)\n");
		if (make_frames(&o, &f))
			return fprintf(stderr, "bench_store: could not make the frames\n"), 1;
		save_cache(&o, &f);
	}
	fprintf(stderr, "bench_store: %zu frames, %zu rejections, %.1f MB\n", f.n, f.rejected, (double)f.bytes / 1e6);
	void *ctx = zmq_ctx_new();
	for (int k = 0; k < o.runs; k++) {
		if (o.inproc ? inproc_run(&o, &f, k, &r[k]) : one_run(&o, &f, k, ctx, &r[k]))
			return 1;
		cpu[k] = (r[k].user_us + r[k].sys_us) / (double)f.n;
		sys[k] = r[k].sys_us / (double)f.n;
		hwm[k] = r[k].hwm_mb;
		rcpu[k] = r[k].run_us / (double)f.n;
		rsys[k] = r[k].run_sys_us / (double)f.n;
	}
	printf("{\"median_run_cpu_us_per_article\":%.1f,\"median_run_sys_us_per_article\":%.1f,"
	       "\"median_cpu_us_per_article\":%.1f,\"median_sys_us_per_article\":%.1f,\"median_vmhwm_mb\":%.1f,"
	       "\"runs\":%d}\n", median(rcpu, o.runs), median(rsys, o.runs), median(cpu, o.runs), median(sys, o.runs),
	       median(hwm, o.runs), o.runs);
	zmq_ctx_term(ctx);
	return 0;
}
