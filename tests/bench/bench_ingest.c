/* ingest alone under load: starts a courant-ingest on a fresh data dir,
 * submits corpus articles over a DEALER (window of unanswered submits) and
 * stands in for the rest of the pipeline, PULLing the work frames and
 * PUSHing one Ack per frame for every article in it, then stops ingest and
 * reports its CPU time per article (wait4 rusage: microsecond resolution).
 *   bench_ingest CORPUS DATADIR [--count N] [--window W] [--tag T] -- CMD [ARGS...]
 * --tag T makes every article new to a journal that has seen the corpus
 * under other tags (T is added to its id, URL and text): repeated runs on
 * one DATADIR fill the journal's dedup keys, to measure ingest on a large
 * journal.
 * CMD is the ingest binary, or e.g. valgrind --tool=callgrind ...
 * courant-ingest; --data DATADIR is appended. CMD runs in its own process
 * group, which gets SIGINT at the end (so that a wrapper such as perf stat
 * reports before ingest stops).
 * Prints one JSON object on stdout. Built by hand (not by make bench):
 *   cc -std=c11 -D_GNU_SOURCE -O2 -Itests/bench -Iservices -I$B/gen \
 *      tests/bench/bench_ingest.c tests/bench/corpus.c tests/bench/submit.c $B/lib/libcommon.a \
 *      $B/lib/libproto.a -lzmq -lprotobuf-c -lm -o bench_ingest */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zmq.h>

#include "common/batch.h"
#include "common/endpoints.h"
#include "corpus.h"
#include "courant.pb-c.h"
#include "submit.h"

/* Acks every article of one work frame (batch or plain); returns how many. */
static size_t ack_frame(void *ack, const void *frame, size_t len)
{
	Courant__AckItem items[64], *ip[64];
	Courant__Work *w[64];
	Courant__Ack a = COURANT__ACK__INIT;
	cr_batch_it it;
	const void *p;
	size_t n = 0, k, el;
	int kind = cr_batch_open(frame, len, &it);

	int plain = kind == 0; /* a plain Work frame: its one element */

	while (n < 64 && (kind == 1 ? cr_batch_next(&it, &p, &el) : plain)) {
		if (plain) {
			p = frame;
			el = len;
			plain = 0;
		}
		w[n] = courant__work__unpack(NULL, el, p);
		if (!w[n] || !w[n]->article) {
			fprintf(stderr, "bench_ingest: unexpected work frame\n");
			if (w[n])
				courant__work__free_unpacked(w[n], NULL);
			continue;
		}
		courant__ack_item__init(&items[n]);
		items[n].id = w[n]->article->id;
		items[n].seq = w[n]->article->seq;
		items[n].status = COURANT__ACK_STATUS__STORED;
		ip[n] = &items[n];
		n++;
	}
	if (n) {
		uint8_t *buf;
		a.version = 1;
		a.items = ip;
		a.n_items = n;
		k = courant__ack__get_packed_size(&a);
		if ((buf = malloc(k)) != NULL) {
			courant__ack__pack(&a, buf);
			zmq_send(ack, buf, k, 0);
			free(buf);
		}
	}
	for (k = 0; k < n; k++)
		courant__work__free_unpacked(w[k], NULL);
	return n;
}

/* Reads one reply (delimiter + SubmitReply); 1 when accepted. */
static int take_reply(void *s)
{
	zmq_msg_t m;
	int more = 1, ok = 0;
	while (more) {
		zmq_msg_init(&m);
		if (zmq_msg_recv(&m, s, 0) < 0)
			return -1;
		more = zmq_msg_more(&m);
		if (!more) {
			Courant__SubmitReply *r = courant__submit_reply__unpack(NULL, zmq_msg_size(&m), zmq_msg_data(&m));
			ok = r && r->status == COURANT__SUBMIT_STATUS__ACCEPTED;
			if (r)
				courant__submit_reply__free_unpacked(r, NULL);
		}
		zmq_msg_close(&m);
	}
	return ok;
}

static pid_t start(char **cmd, const char *data)
{
	int n = 0;
	char **argv;
	pid_t pid;
	while (cmd[n])
		n++;
	argv = calloc((size_t)n + 3, sizeof *argv);
	memcpy(argv, cmd, (size_t)n * sizeof *argv);
	argv[n] = "--data";
	argv[n + 1] = (char *)data;
	if ((pid = fork()) == 0) {
		setpgid(0, 0);
		execv(argv[0], argv);
		perror("execv");
		_exit(127);
	}
	free(argv);
	return pid;
}

int main(int argc, char **argv)
{
	size_t count = 20000, window = 512, sent = 0, replied = 0, accepted = 0, acked = 0;
	const char *corpus, *data, *tag = NULL;
	char **cmd = NULL;
	bc_corpus c;
	cr_endpoints ep;
	void **frames;
	size_t *lens;
	int i, status;
	struct rusage ru;
	pid_t pid;
	void *ctx, *sub, *work, *ack;
	uint64_t t0;

	if (argc < 5) {
		fprintf(stderr, "usage: bench_ingest CORPUS DATADIR [--count N] [--window W] [--tag T] -- CMD [ARGS...]\n");
		return 2;
	}
	corpus = argv[1];
	data = argv[2];
	for (i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--count") && i + 1 < argc)
			count = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--window") && i + 1 < argc)
			window = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--tag") && i + 1 < argc)
			tag = argv[++i];
		else if (!strcmp(argv[i], "--")) {
			cmd = argv + i + 1;
			break;
		}
	}
	if (!cmd || !*cmd || bc_load(corpus, count, &c))
		return 2;
	count = c.n;
	frames = calloc(count, sizeof *frames);
	lens = calloc(count, sizeof *lens);
	for (size_t k = 0; k < count; k++) {
		bc_article a = c.a[k];
		char *id = NULL, *url = NULL, *text = NULL;
		if (tag) {
			size_t n = strlen(tag) + a.text_len + 2;
			id = malloc(strlen(a.id ? a.id : "") + strlen(tag) + 2);
			url = malloc(strlen(a.url ? a.url : "") + strlen(tag) + 4);
			text = malloc(n);
			if (!id || !url || !text)
				return 1;
			sprintf(id, "%s-%s", a.id ? a.id : "", tag);
			sprintf(url, "%s%sv=%s", a.url ? a.url : "", a.url && strchr(a.url, '?') ? "&" : "?", tag);
			a.text_len = (size_t)snprintf(text, n, "%s %s", tag, a.text);
			a.id = id;
			a.url = a.url ? url : NULL;
			a.text = text;
		}
		frames[k] = bc_pack_submit(&a, k, &lens[k]);
		free(id);
		free(url);
		free(text);
		if (!frames[k])
			return 1;
	}
	if (cr_endpoints_init(&ep, data) != CR_OK)
		return 1;
	ctx = zmq_ctx_new();
	sub = zmq_socket(ctx, ZMQ_DEALER);
	work = zmq_socket(ctx, ZMQ_PULL);
	ack = zmq_socket(ctx, ZMQ_PUSH);
	for (int k = 0, zero = 0; k < 3; k++)
		zmq_setsockopt((void *[]){sub, work, ack}[k], ZMQ_LINGER, &zero, sizeof zero);
	zmq_connect(sub, ep.submit);
	zmq_connect(work, ep.work);
	zmq_connect(ack, ep.ack);
	pid = start(cmd, data);
	t0 = bc_mono_us();
	while (replied < count || acked < accepted) {
		zmq_pollitem_t it[2] = {{sub, 0, ZMQ_POLLIN, 0}, {work, 0, ZMQ_POLLIN, 0}};
		while (sent < count && sent - replied < window) {
			zmq_send(sub, "", 0, ZMQ_SNDMORE);
			zmq_send(sub, frames[sent], lens[sent], 0);
			sent++;
		}
		if (zmq_poll(it, 2, 1000) < 0)
			continue;
		if (bc_mono_us() - t0 > 600u * 1000000u) {
			fprintf(stderr, "bench_ingest: timeout replied=%zu acked=%zu/%zu\n", replied, acked, accepted);
			break;
		}
		while (zmq_poll(it, 1, 0) > 0 && (it[0].revents & ZMQ_POLLIN)) {
			int r = take_reply(sub);
			replied++;
			accepted += r == 1;
		}
		for (;;) {
			zmq_msg_t m;
			zmq_msg_init(&m);
			if (zmq_msg_recv(&m, work, ZMQ_DONTWAIT) < 0) {
				zmq_msg_close(&m);
				break;
			}
			acked += ack_frame(ack, zmq_msg_data(&m), zmq_msg_size(&m));
			zmq_msg_close(&m);
		}
	}
	kill(-pid, SIGINT);
	if (wait4(pid, &status, 0, &ru) < 0)
		return 1;
	printf("{\"articles\":%zu,\"accepted\":%zu,\"acked\":%zu,\"user_us\":%.0f,\"sys_us\":%.0f,"
	       "\"user_us_per_article\":%.2f,\"cpu_us_per_article\":%.2f}\n",
	       count, accepted, acked, ru.ru_utime.tv_sec * 1e6 + ru.ru_utime.tv_usec,
	       ru.ru_stime.tv_sec * 1e6 + ru.ru_stime.tv_usec,
	       (ru.ru_utime.tv_sec * 1e6 + ru.ru_utime.tv_usec) / (double)count,
	       (ru.ru_utime.tv_sec * 1e6 + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec * 1e6 + ru.ru_stime.tv_usec) /
		       (double)count);
	zmq_close(sub);
	zmq_close(work);
	zmq_close(ack);
	zmq_ctx_term(ctx);
	for (size_t k = 0; k < count; k++)
		free(frames[k]);
	free(frames);
	free(lens);
	bc_free(&c);
	return 0;
}
