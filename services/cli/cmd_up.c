/* courant up: every service as its own process on one data directory, in the
 * foreground, under the supervisor of supervise.h. A lock on <data>/run/up.pid
 * makes a second `up` on the same directory fail instead of fighting over the
 * sockets and the LMDB environments. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/supervise.h"
#include "common/endpoints.h"
#include "common/log.h"

#define MAX_WORKERS 64
#define MAX_PASS 40

typedef struct up_opts {
	const char *data;
	const char *bin;
	int normalize, extract;
	int grace_s;
	char *pass[MAX_PASS + 1]; /* endpoint flags, passed through to every service */
	int npass;
} up_opts;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: courant up [--data DIR] [--workers N] [--normalize N] [--extract N]\n"
		"                  [--bin DIR] [--grace SECONDS] [endpoint flags]\n\n"
		"Starts store, ingest, relay, then N normalize and N extract workers, each as its\n"
		"own process, and stays in the foreground. A service that dies is restarted\n"
		"(backoff 100 ms doubling to 5 s, reset once it stayed up 10 s). SIGINT or SIGTERM\n"
		"stops every service: SIGTERM, then SIGKILL after the grace period.\n\n"
		"  --data DIR       data directory (default $COURANT_DATA or ./courant-data);\n"
		"                   writes DIR/run/up.pid and refuses a second `up` on DIR\n"
		"  --workers N      normalize and extract workers each (default 2)\n"
		"  --normalize N    normalize workers (overrides --workers)\n"
		"  --extract N      extract workers (overrides --workers)\n"
		"  --bin DIR        where courant-<service> programs are (default: next to courant)\n"
		"  --grace SECONDS  time allowed for a clean stop (default 10)\n"
		"%s"
		"Logs: key=value lines on stderr (msg=started|exited|restarting|ready|stopped),\n"
		"followed by every service's own log lines.\n",
		cr_endpoints_help());
}

static int parse_count(const char *v, int *out)
{
	char *end;
	long n = strtol(v ? v : "", &end, 10);
	if (!v || *end || n < 1 || n > MAX_WORKERS)
		return -1;
	*out = (int)n;
	return 0;
}

/* Returns 0, or 2 on a usage error (message printed). */
static int parse(int argc, char **argv, up_opts *o)
{
	cr_endpoints scratch;
	int workers = 2, nn = 0, ne = 0;

	for (int i = 1; i < argc;) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int start = i;
		if (cr_endpoints_flag(&scratch, argc, argv, &i)) {
			for (int k = start; k < i; k++)
				if (o->npass < MAX_PASS)
					o->pass[o->npass++] = argv[k];
			continue;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			exit(0);
		}
		if (!strcmp(a, "--data") && v)
			o->data = v;
		else if (!strcmp(a, "--bin") && v)
			o->bin = v;
		else if (!strcmp(a, "--workers") && parse_count(v, &workers) == 0)
			;
		else if (!strcmp(a, "--normalize") && parse_count(v, &nn) == 0)
			;
		else if (!strcmp(a, "--extract") && parse_count(v, &ne) == 0)
			;
		else if (!strcmp(a, "--grace") && v && atoi(v) > 0)
			o->grace_s = atoi(v);
		else {
			fprintf(stderr, "courant up: bad argument '%s'%s\n", a,
				v ? "" : " (missing value?)");
			usage(stderr);
			return 2;
		}
		i += 2;
	}
	o->normalize = nn ? nn : workers;
	o->extract = ne ? ne : workers;
	return 0;
}

/* Directory of the running executable, from /proc/self/exe. */
static int self_dir(char *out, size_t n)
{
	ssize_t r = readlink("/proc/self/exe", out, n - 1);
	char *slash;
	if (r <= 0)
		return -1;
	out[r] = '\0';
	slash = strrchr(out, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	return 0;
}

/* Take the lock on <data>/run/up.pid and write our pid into it. The fd stays
 * open (and locked) for the life of the process; CLOEXEC keeps it out of the
 * children. Returns the fd, or -1 with a message printed. */
static int lock_pidfile(const char *data)
{
	char path[PATH_MAX], old[32] = "";
	int fd;

	if (snprintf(path, sizeof path, "%s/run/up.pid", data) >= (int)sizeof path) {
		fprintf(stderr, "courant up: data path too long\n");
		return -1;
	}
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "courant up: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		ssize_t r = pread(fd, old, sizeof old - 1, 0);
		old[r > 0 ? r : 0] = '\0';
		old[strcspn(old, "\n")] = '\0';
		fprintf(stderr, "courant up: another `courant up` (pid %s) is running on %s\n",
			*old ? old : "?", data);
		close(fd);
		return -1;
	}
	dprintf(fd, "%d\n", (int)getpid());
	if (ftruncate(fd, lseek(fd, 0, SEEK_CUR)) < 0)
		cr_warn("pidfile", "error=\"%s\"", strerror(errno));
	return fd;
}

static cr_err add_service(sup *s, const up_opts *o, const char *bindir, const char *svc,
			  int instance, int wait_ready)
{
	char prog[PATH_MAX], name[48];
	char *argv[MAX_PASS + 8];
	int k = 0;

	if (snprintf(prog, sizeof prog, "%s/courant-%s", bindir, svc) >= (int)sizeof prog)
		return CR_ETOOBIG;
	if (access(prog, X_OK) != 0) {
		fprintf(stderr, "courant up: %s: %s (use --bin DIR)\n", prog, strerror(errno));
		return CR_ENOTFOUND;
	}
	if (instance > 0)
		snprintf(name, sizeof name, "%s-%d", svc, instance);
	else
		snprintf(name, sizeof name, "%s", svc);
	argv[k++] = prog;
	argv[k++] = "--data";
	argv[k++] = (char *)o->data;
	for (int i = 0; i < o->npass; i++)
		argv[k++] = o->pass[i];
	argv[k] = NULL;
	return sup_add(s, name, argv, wait_ready);
}

static cr_err add_all(sup *s, const up_opts *o, const char *bindir)
{
	cr_err e = CR_OK;
	if (!e) e = add_service(s, o, bindir, "store", 0, 1);
	if (!e) e = add_service(s, o, bindir, "ingest", 0, 1);
	if (!e) e = add_service(s, o, bindir, "relay", 0, 1);
	for (int i = 1; !e && i <= o->normalize; i++)
		e = add_service(s, o, bindir, "normalize", i, 0);
	for (int i = 1; !e && i <= o->extract; i++)
		e = add_service(s, o, bindir, "extract", i, 0);
	return e;
}

int cmd_up(int argc, char **argv)
{
	up_opts o = {.grace_s = 10};
	cr_endpoints ep;
	char data[PATH_MAX], bindir[PATH_MAX];
	sup *s = NULL;
	int rc = 1, lockfd = -1;
	cr_err e;

	cr_log_init("up");
	if ((rc = parse(argc, argv, &o)) != 0)
		return rc;
	rc = 1;
	o.data = cr_datadir(o.data);
	if ((e = cr_endpoints_init(&ep, o.data)) != CR_OK) { /* creates DIR and DIR/run */
		fprintf(stderr, "courant up: %s: %s\n", o.data, cr_strerror(e));
		return 1;
	}
	if (!realpath(o.data, data)) {
		fprintf(stderr, "courant up: %s: %s\n", o.data, strerror(errno));
		return 1;
	}
	o.data = data;
	if (o.bin) {
		if (snprintf(bindir, sizeof bindir, "%s", o.bin) >= (int)sizeof bindir)
			return 2;
	} else if (self_dir(bindir, sizeof bindir) != 0) {
		fprintf(stderr, "courant up: cannot find my own directory; use --bin DIR\n");
		return 1;
	}
	if ((lockfd = lock_pidfile(data)) < 0)
		return 1;
	if (!(s = sup_new(o.grace_s * 1000)) || add_all(s, &o, bindir) != CR_OK)
		goto out;
	cr_info("up", "data=%s bin=%s normalize=%d extract=%d pid=%d", data, bindir, o.normalize,
		o.extract, (int)getpid());
	rc = sup_run(s);
out:
	sup_destroy(&s);
	if (lockfd >= 0) {
		if (ftruncate(lockfd, 0) < 0)
			cr_warn("pidfile", "error=\"%s\"", strerror(errno));
		close(lockfd);
	}
	return rc;
}
