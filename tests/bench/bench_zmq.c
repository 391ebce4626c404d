/* Baseline: raw ZeroMQ PUSH/PULL message rate between two processes over ipc,
 * with message sizes taken from the corpus (text + a fixed envelope, like one
 * Work{article} frame). This is the ceiling of one pipeline hop.
 *   bench_zmq CORPUS [-m MESSAGES] [-e ENDPOINT] [-w HWM] [--envelope BYTES]
 * Prints one JSON object on stdout. */
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
	size_t count = 200000, envelope = 200;
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
	char *payload = calloc(1, maxsz);
	for (size_t i = 0; i < maxsz; i++)
		payload[i] = (char)('a' + i % 26);
	size_t ncorp = c.n;
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
		_exit(receiver(ep, count, fds[1]));
	}
	close(fds[1]);
	uint64_t t0 = bc_mono_us();
	for (size_t i = 0; i < count; i++) {
		if (zmq_send(s, payload, sizes[i % ncorp], 0) < 0) {
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
	printf("{\"messages\":%zu,\"avg_bytes\":%.0f,\"hwm\":%d,\"seconds\":%.3f,\"msgs_per_s\":%.0f,\"mb_per_s\":%.1f,"
		"\"sender_seconds\":%.3f}\n", count, (double)res[1] / (double)count, hwm, secs,
		(double)count / secs, (double)res[1] / secs / 1e6, (double)send_dt / 1e6);
	int linger = 0;
	zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
	zmq_close(s);
	zmq_ctx_term(ctx);
	free(payload);
	free(sizes);
	return 0;
}
