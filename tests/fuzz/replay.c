/* Replays fuzz inputs without libFuzzer, so that `make test` (and
 * `make test-sanitize`) run every seed and every past crash through the same
 * LLVMFuzzerTestOneInput as `make fuzz`. Linked once per target as
 * build/tests/test_fuzz_<name>; FUZZ_NAME is set by tests/module.mk.
 *   test_fuzz_<name> [DIR|FILE...]   default: tests/fuzz/corpus/<name> and
 *                                    tests/fuzz/regress/<name> (from the tree root)
 * Prints "PASS fuzz_<name>:<dir> (N inputs)"; a crashing input is named on
 * stderr before the process dies, and the runner counts the exit as a failure. */
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef FUZZ_NAME
#error "FUZZ_NAME must be defined"
#endif

#define REPLAY_MAX (32u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));

static char current[4096];

static void say_current(void)
{
	static const char pre[] = "replay: crashing input: ";
	ssize_t r = write(2, pre, sizeof pre - 1);
	r = write(2, current, strlen(current));
	r = write(2, "\n", 1);
	(void)r;
}

static void on_fatal(int sig)
{
	say_current();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	size_t n;

	if (!f)
		return -1;
	buf = malloc(REPLAY_MAX);
	if (!buf) {
		fclose(f);
		return -1;
	}
	n = fread(buf, 1, REPLAY_MAX, f);
	fclose(f);
	snprintf(current, sizeof current, "%s", path);
	/* Exact-size copy so that an over-read is caught by ASan. */
	unsigned char *exact = malloc(n ? n : 1);
	if (exact) {
		memcpy(exact, buf, n);
		LLVMFuzzerTestOneInput(exact, n);
	}
	free(exact);
	free(buf);
	return exact ? 0 : -1;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every regular file of `dir` in name order; returns the count or -1. */
static long run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	long done = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **nn = realloc(names, cap * sizeof *names);
			if (!nn)
				break;
			names = nn;
		}
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp);
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		struct stat st;
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if (names[i] && stat(path, &st) == 0 && S_ISREG(st.st_mode) && run_file(path) == 0)
			done++;
		free(names[i]);
	}
	free(names);
	return done;
}

static int replay(const char *what, int required)
{
	struct stat st;
	long n;

	if (stat(what, &st) != 0) {
		if (!required)
			return 0;
		printf("FAIL fuzz_%s:%s: missing\n", FUZZ_NAME, what);
		return 1;
	}
	n = S_ISDIR(st.st_mode) ? run_dir(what) : (run_file(what) == 0 ? 1 : -1);
	if (n < 0 || (required && n == 0)) {
		printf("FAIL fuzz_%s:%s: no input could be read\n", FUZZ_NAME, what);
		return 1;
	}
	printf("PASS fuzz_%s:%s (%ld inputs)\n", FUZZ_NAME, what, n);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	int failed = 0;

	/* Under a sanitizer its own handlers report the fault; only add a name. */
	if (__sanitizer_set_death_callback) {
		__sanitizer_set_death_callback(say_current);
	} else {
		signal(SIGSEGV, on_fatal);
		signal(SIGBUS, on_fatal);
		signal(SIGFPE, on_fatal);
	}
	signal(SIGABRT, on_fatal); /* the targets' own contract checks abort() */
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			failed |= replay(argv[i], 1);
	} else {
		failed |= replay("tests/fuzz/corpus/" FUZZ_NAME, 1);
		failed |= replay("tests/fuzz/regress/" FUZZ_NAME, 0);
	}
	return failed;
}
