/* Baseline: raw ZeroMQ PUSH/PULL message rate between two processes over ipc,
 * with message sizes taken from the corpus (text + a fixed envelope, like one
 * Work{article} frame). This is the ceiling of one pipeline hop.
 * --batch B sends B articles per message (one frame of their summed sizes),
 * as the pipeline's batch frames do (common/batch.h): -m still counts
 * articles. cpu_us_per_article is both processes' CPU time (user + system,
 * libzmq's I/O threads included) per article.
 *   bench_zmq CORPUS [-m ARTICLES] [-e ENDPOINT] [-w HWM] [--envelope BYTES] [--batch B]
 * Prints one JSON object on stdout. */
#include <sys/resource.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zmq.h>

#include "corpus.h"

static int receiver(const char *ep, size_t count, int pipefd)
{
	void *ctx = zmq_ctx_new();
	void *s = zmq_socket(ctx, ZMQ_PULL);
	if (zmq_connect(s, ep)) {
		fprintf(stderr, "connect %s: %s\n", ep, zmq_strerror(zmq_errno()));
		return 1;
	}
	zmq_msg_t m;
	zmq_msg_init(&m);
	uint64_t t0 = 0, bytes = 0;
	for (size_t i = 0; i < count; i++) {
		if (zmq_msg_recv(&m, s, 0) < 0) {
			fprintf(stderr, "recv: %s\n", zmq_strerror(zmq_errno()));
			return 1;
		}
		if (!i)
			t0 = bc_mono_us();
		bytes += zmq_msg_size(&m);
	}
	uint64_t dt = bc_mono_us() - t0, res[2] = {dt, bytes};
	zmq_msg_close(&m);
	if (write(pipefd, res, sizeof res) != sizeof res)
		return 1;
	zmq_close(s);
	zmq_ctx_term(ctx);
	return 0;
}

int main(int argc, char **argv)
{
	const char *path = NULL, *ep = "ipc:///tmp/courant-bench-zmq.sock";
	size_t count = 200000, envelope = 200, batch = 1;
	int hwm = 1000;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-m") && i + 1 < argc)
			count = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "-e") && i + 1 < argc)
			ep = argv[++i];
		else if (!strcmp(argv[i], "-w") && i + 1 < argc)
			hwm = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--envelope") && i + 1 < argc)
			envelope = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--batch") && i + 1 < argc && atoi(argv[i + 1]) > 0)
			batch = strtoul(argv[++i], NULL, 10);
		else if (!path)
			path = argv[i];
		else
			return fprintf(stderr, "usage: bench_zmq CORPUS [-m N] [-e EP] [-w HWM] [--envelope B]\n"), 2;
	}
	if (!path)
		return fprintf(stderr, "usage: bench_zmq CORPUS [-m N] [-e EP] [-w HWM]\n"), 2;
	bc_corpus c;
	if (bc_load(path, 5000, &c))
		return 1;
	size_t *sizes = malloc(c.n * sizeof *sizes), maxsz = 0;
	for (size_t i = 0; i < c.n; i++) {
		sizes[i] = c.a[i].text_len + envelope;
		maxsz = sizes[i] > maxsz ? sizes[i] : maxsz;
	}
	size_t nmsg = (count + batch - 1) / batch, *msz = calloc(nmsg, sizeof *msz);
	for (size_t i = 0; i < count; i++)
		msz[i / batch] += sizes[i % c.n];
	maxsz = 0;
	for (size_t i = 0; i < nmsg; i++)
		maxsz = msz[i] > maxsz ? msz[i] : maxsz;
	char *payload = calloc(1, maxsz);
	for (size_t i = 0; i < maxsz; i++)
		payload[i] = (char)('a' + i % 26);
	bc_free(&c);

	int fds[2];
	if (pipe(fds))
		return perror("pipe"), 1;
	/* bind first (in the parent), then fork the receiver: no connect race */
	void *ctx = zmq_ctx_new();
	void *s = zmq_socket(ctx, ZMQ_PUSH);
	zmq_setsockopt(s, ZMQ_SNDHWM, &hwm, sizeof hwm);
	if (zmq_bind(s, ep))
		return fprintf(stderr, "bind %s: %s\n", ep, zmq_strerror(zmq_errno())), 1;
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		_exit(receiver(ep, nmsg, fds[1]));
	}
	close(fds[1]);
	uint64_t t0 = bc_mono_us();
	for (size_t i = 0; i < nmsg; i++) {
		if (zmq_send(s, payload, msz[i], 0) < 0) {
			fprintf(stderr, "send: %s\n", zmq_strerror(zmq_errno()));
			kill(pid, SIGTERM);
			return 1;
		}
	}
	uint64_t res[2] = {0, 0};
	ssize_t r = read(fds[0], res, sizeof res);
	int st;
	waitpid(pid, &st, 0);
	uint64_t send_dt = bc_mono_us() - t0;
	if (r != sizeof res || !WIFEXITED(st) || WEXITSTATUS(st))
		return fprintf(stderr, "receiver failed\n"), 1;
	double secs = (double)res[0] / 1e6;
	struct rusage me, kid;
	getrusage(RUSAGE_SELF, &me);
	getrusage(RUSAGE_CHILDREN, &kid);
	double cpu = (double)(me.ru_utime.tv_sec + me.ru_stime.tv_sec + kid.ru_utime.tv_sec + kid.ru_stime.tv_sec) * 1e6 +
		     (double)(me.ru_utime.tv_usec + me.ru_stime.tv_usec + kid.ru_utime.tv_usec + kid.ru_stime.tv_usec);
	printf("{\"messages\":%zu,\"articles\":%zu,\"batch\":%zu,\"avg_bytes\":%.0f,\"hwm\":%d,\"seconds\":%.3f,"
	       "\"msgs_per_s\":%.0f,\"articles_per_s\":%.0f,\"mb_per_s\":%.1f,\"sender_seconds\":%.3f,"
	       "\"cpu_us_per_article\":%.2f}\n",
	       nmsg, count, batch, (double)res[1] / (double)count, hwm, secs, (double)nmsg / secs, (double)count / secs,
	       (double)res[1] / secs / 1e6, (double)send_dt / 1e6, cpu / (double)count);
	int linger = 0;
	zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
	zmq_close(s);
	zmq_ctx_term(ctx);
	free(payload);
	free(sizes);
	free(msz);
	return 0;
}
