/* Supervisor loop: one signalfd (SIGCHLD, SIGINT, SIGTERM) and one stderr
 * pipe per child in a single poll(2) loop. Children run in their own process
 * group with PR_SET_PDEATHSIG, so they die with the supervisor even if it is
 * killed with SIGKILL, and a terminal's Ctrl-C reaches only the supervisor,
 * which then stops them in an orderly way. SIGINT, SIGTERM and SIGHUP stop. */
#include "cli/supervise.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"

#define MAX_CHILDREN 160
#define MAX_ARGS 64
#define LINE_MAX_ 4096
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 5000
#define STABLE_MS 10000      /* up this long: the next failure starts from BACKOFF_MIN */
#define READY_TIMEOUT_MS 10000

typedef struct child {
	char name[48];
	char *argv[MAX_ARGS + 1];
	int wait_ready;
	pid_t pid;            /* 0: not running */
	int fd;               /* read end of its stderr pipe, -1 when closed */
	char line[LINE_MAX_];
	size_t linelen;
	int64_t started_ms;
	int64_t restart_at;   /* 0: no restart scheduled */
	int backoff_ms;
	int ready;            /* logged msg=ready since its last start */
	int ever_ready;
	unsigned restarts;
} child;

struct sup {
	child kids[MAX_CHILDREN];
	int n;
	int grace_ms;
	int launched;         /* kids[0..launched) have been started at least once */
	int64_t launch_wait_until;
	int stopping;
	int64_t kill_at;
	int all_ready_logged;
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

sup *sup_new(int grace_ms)
{
	sup *s = calloc(1, sizeof *s);
	if (s)
		s->grace_ms = grace_ms > 0 ? grace_ms : 10000;
	return s;
}

void sup_destroy(sup **sp)
{
	if (!sp || !*sp)
		return;
	sup *s = *sp;
	for (int i = 0; i < s->n; i++) {
		for (int k = 0; s->kids[i].argv[k]; k++)
			free(s->kids[i].argv[k]);
		if (s->kids[i].fd >= 0)
			close(s->kids[i].fd);
	}
	free(s);
	*sp = NULL;
}

cr_err sup_add(sup *s, const char *name, char *const argv[], int wait_ready)
{
	child *c;
	int k;

	if (s->n >= MAX_CHILDREN)
		return CR_ETOOBIG;
	c = &s->kids[s->n];
	memset(c, 0, sizeof *c);
	c->fd = -1;
	snprintf(c->name, sizeof c->name, "%s", name);
	for (k = 0; argv[k]; k++) {
		cr_err e = k == MAX_ARGS ? CR_ETOOBIG : CR_OK;
		if (!e && !(c->argv[k] = strdup(argv[k])))
			e = CR_ENOMEM;
		if (e) {
			while (k-- > 0)
				free(c->argv[k]);
			return e;
		}
	}
	c->argv[k] = NULL;
	c->wait_ready = wait_ready;
	c->backoff_ms = BACKOFF_MIN_MS;
	s->n++;
	return CR_OK;
}

/* In the child, between fork and exec. The supervisor is single-threaded, so
 * setenv is safe here. */
static void exec_child(child *c, int errfd, pid_t parent)
{
	sigset_t none;

	sigemptyset(&none);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(127);
	if (dup2(errfd, STDERR_FILENO) < 0)
		_exit(127);
	close(errfd);
	setenv("COURANT_INSTANCE", c->name, 1);
	execv(c->argv[0], c->argv);
	(void)!write(STDERR_FILENO, "level=error svc=up msg=exec-failed\n", 35);
	_exit(127);
}

static void start_child(child *c)
{
	int p[2];
	pid_t pid, self = getpid();

	if (pipe2(p, O_CLOEXEC) < 0) {
		cr_error("spawn-failed", "service=%s error=\"%s\"", c->name, strerror(errno));
		c->restart_at = now_ms() + BACKOFF_MAX_MS;
		return;
	}
	pid = fork();
	if (pid == 0)
		exec_child(c, p[1], self);
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		cr_error("spawn-failed", "service=%s error=\"%s\"", c->name, strerror(errno));
		c->restart_at = now_ms() + BACKOFF_MAX_MS;
		return;
	}
	setpgid(pid, pid); /* also from the parent, so kill(-pid) works at once */
	if (c->fd >= 0)
		close(c->fd);
	c->fd = p[0];
	c->linelen = 0;
	c->pid = pid;
	c->ready = 0;
	c->restart_at = 0;
	c->started_ms = now_ms();
	cr_info("started", "service=%s pid=%d", c->name, (int)pid);
}

static void emit_line(child *c)
{
	if (c->linelen == 0)
		return;
	c->line[c->linelen++] = '\n';
	(void)!write(STDERR_FILENO, c->line, c->linelen);
	c->line[c->linelen - 1] = '\0';
	if (!c->ready && strstr(c->line, " msg=ready")) {
		c->ready = 1;
		c->ever_ready = 1;
	}
	c->linelen = 0;
}

/* Read what the child wrote on stderr and forward it line by line, so lines
 * of different services never interleave on our own stderr. Returns the
 * number of bytes read, 0 at end of file (the pipe is then closed), -1 when
 * nothing was available. */
static ssize_t drain_pipe(child *c)
{
	char buf[4096];
	ssize_t r = read(c->fd, buf, sizeof buf);

	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return -1;
	if (r <= 0) {
		emit_line(c);
		close(c->fd);
		c->fd = -1;
		return 0;
	}
	for (ssize_t i = 0; i < r; i++) {
		if (buf[i] == '\n') {
			emit_line(c);
			continue;
		}
		if (c->linelen >= LINE_MAX_ - 2)
			emit_line(c);
		c->line[c->linelen++] = buf[i];
	}
	return r;
}

/* Forward what is buffered in the pipe without blocking (a grandchild could
 * still hold its write end open). */
static void drain_all(child *c)
{
	if (c->fd < 0)
		return;
	fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
	while (c->fd >= 0 && drain_pipe(c) > 0)
		;
	emit_line(c);
}

static void describe(int status, char *out, size_t n)
{
	if (WIFEXITED(status))
		snprintf(out, n, "exit:%d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(out, n, "signal:%d", WTERMSIG(status));
	else
		snprintf(out, n, "unknown:%d", status);
}

static void on_exit_child(sup *s, child *c, int status)
{
	char st[32];
	int64_t t = now_ms(), up = t - c->started_ms;

	describe(status, st, sizeof st);
	drain_all(c);
	cr_info("exited", "service=%s pid=%d status=%s uptime_ms=%lld", c->name, (int)c->pid, st,
		(long long)up);
	c->pid = 0;
	c->ready = 0;
	if (s->stopping)
		return;
	if (up >= STABLE_MS)
		c->backoff_ms = BACKOFF_MIN_MS;
	c->restart_at = t + c->backoff_ms;
	c->restarts++;
	cr_warn("restarting", "service=%s in_ms=%d restarts=%u", c->name, c->backoff_ms, c->restarts);
	c->backoff_ms = c->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : c->backoff_ms * 2;
}

static void reap(sup *s)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (int i = 0; i < s->n; i++)
			if (s->kids[i].pid == pid)
				on_exit_child(s, &s->kids[i], status);
	}
}

static int running(const sup *s)
{
	int n = 0;
	for (int i = 0; i < s->n; i++)
		n += s->kids[i].pid != 0;
	return n;
}

static void begin_stop(sup *s, int sig)
{
	s->stopping = 1;
	s->kill_at = now_ms() + s->grace_ms;
	cr_info("stopping", "signal=%d children=%d grace_ms=%d", sig, running(s), s->grace_ms);
	for (int i = 0; i < s->n; i++)
		if (s->kids[i].pid)
			kill(-s->kids[i].pid, SIGTERM);
}

static void kill_stragglers(sup *s)
{
	for (int i = 0; i < s->n; i++)
		if (s->kids[i].pid) {
			cr_warn("killing", "service=%s pid=%d", s->kids[i].name, (int)s->kids[i].pid);
			kill(-s->kids[i].pid, SIGKILL);
		}
	s->kill_at = INT64_MAX;
}

/* Start services in order; one marked wait_ready holds back the next until it
 * is ready (or exited, or READY_TIMEOUT_MS passed). */
static void launch_next(sup *s, int64_t t)
{
	while (s->launched < s->n) {
		if (s->launched > 0) {
			child *prev = &s->kids[s->launched - 1];
			if (prev->wait_ready && !prev->ready && prev->pid && t < s->launch_wait_until)
				return;
			if (prev->wait_ready && !prev->ready && prev->pid)
				cr_warn("not-ready", "service=%s waited_ms=%d", prev->name, READY_TIMEOUT_MS);
		}
		start_child(&s->kids[s->launched++]);
		s->launch_wait_until = t + READY_TIMEOUT_MS;
	}
}

static void tick(sup *s)
{
	int64_t t = now_ms();

	if (s->stopping) {
		if (t >= s->kill_at)
			kill_stragglers(s);
		return;
	}
	launch_next(s, t);
	for (int i = 0; i < s->launched; i++) {
		child *c = &s->kids[i];
		if (!c->pid && c->restart_at && t >= c->restart_at)
			start_child(c);
	}
	if (!s->all_ready_logged && s->launched == s->n) {
		for (int i = 0; i < s->n; i++)
			if (!s->kids[i].ever_ready)
				return;
		s->all_ready_logged = 1;
		cr_notice("ready", "services=%d", s->n);
	}
}

static int next_timeout(const sup *s)
{
	int64_t t = now_ms(), due = t + 1000;

	if (s->stopping)
		due = s->kill_at < due ? s->kill_at : due;
	else {
		if (s->launched < s->n)
			due = t + 50; /* short: check readiness of the previous service */
		for (int i = 0; i < s->n; i++)
			if (s->kids[i].restart_at && s->kids[i].restart_at < due)
				due = s->kids[i].restart_at;
	}
	return due <= t ? 0 : (int)(due - t);
}

static int handle_signals(sup *s, int sfd)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si) {
		if (si.ssi_signo == SIGCHLD)
			continue;
		if (!s->stopping)
			begin_stop(s, (int)si.ssi_signo);
		else if (si.ssi_signo == SIGINT)
			kill_stragglers(s); /* a second Ctrl-C: do not wait the grace out */
	}
	reap(s);
	return 0;
}

/* Under nohup SIGHUP is ignored and must stay so: a blocked signal would be
 * queued on the signalfd instead of discarded. */
static int hup_ignored(void)
{
	struct sigaction sa;
	return sigaction(SIGHUP, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN;
}

int sup_run(sup *s)
{
	struct pollfd pfd[MAX_CHILDREN + 1];
	int owner[MAX_CHILDREN + 1];
	sigset_t set;
	int sfd;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (!hup_ignored())
		sigaddset(&set, SIGHUP); /* the terminal went away: stop in order too */
	signal(SIGPIPE, SIG_IGN);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0 ||
	    (sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
		cr_error("signalfd", "error=\"%s\"", strerror(errno));
		return 1;
	}
	while (!s->stopping || running(s) > 0) {
		int n = 0, r;
		tick(s);
		pfd[n].fd = sfd;
		pfd[n].events = POLLIN;
		owner[n++] = -1;
		for (int i = 0; i < s->n; i++)
			if (s->kids[i].fd >= 0) {
				pfd[n].fd = s->kids[i].fd;
				pfd[n].events = POLLIN;
				owner[n++] = i;
			}
		r = poll(pfd, (nfds_t)n, next_timeout(s));
		if (r < 0 && errno != EINTR)
			break;
		for (int k = 1; r > 0 && k < n; k++)
			if (pfd[k].revents && s->kids[owner[k]].fd == pfd[k].fd)
				drain_pipe(&s->kids[owner[k]]);
		if (r > 0 && pfd[0].revents)
			handle_signals(s, sfd);
	}
	for (int i = 0; i < s->n; i++) /* forward the last lines */
		drain_all(&s->kids[i]);
	close(sfd);
	cr_info("stopped", "children=%d", s->n);
	return running(s) ? 1 : 0;
}
