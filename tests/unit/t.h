/* Minimal unit-test harness. Each tests/unit/test_*.c is one program:
 *
 *   static void test_escape(void) { T_EQ_STR(out, "\"a\\n\""); }
 *   int main(void) { T_RUN(test_escape); return t_done(); }
 *
 * A test passes when none of its checks failed. Each test prints
 * "PASS <file>:<name>" or "FAIL <file>:<name>: <why>" on stdout;
 * tests/run counts those lines. */
#ifndef COURANT_T_H
#define COURANT_T_H

#include <stdio.h>
#include <string.h>

static int t_failed_checks, t_passed, t_failed;

#define T_CHECK(cond, ...)                                                    \
	do {                                                                  \
		if (!(cond)) {                                                \
			t_failed_checks++;                                    \
			printf("  check failed at %s:%d: ", __FILE__, __LINE__); \
			printf(__VA_ARGS__);                                  \
			printf("\n");                                         \
		}                                                             \
	} while (0)

#define T_OK(cond) T_CHECK(cond, "%s", #cond)
#define T_EQ_INT(a, b)                                                        \
	do {                                                                  \
		long long t_a_ = (long long)(a), t_b_ = (long long)(b);       \
		T_CHECK(t_a_ == t_b_, "%s == %s: %lld != %lld", #a, #b, t_a_, t_b_); \
	} while (0)
#define T_EQ_STR(a, b)                                                        \
	do {                                                                  \
		const char *t_a_ = (a), *t_b_ = (b);                          \
		T_CHECK(t_a_ && t_b_ && strcmp(t_a_, t_b_) == 0,              \
			"%s == %s:\n    got      [%s]\n    expected [%s]", #a, #b, \
			t_a_ ? t_a_ : "(null)", t_b_ ? t_b_ : "(null)");      \
	} while (0)

#define T_RUN(fn)                                                             \
	do {                                                                  \
		int t_before_ = t_failed_checks;                              \
		fn();                                                         \
		if (t_failed_checks == t_before_) {                           \
			t_passed++;                                           \
			printf("PASS %s:%s\n", __FILE__, #fn);                \
		} else {                                                      \
			t_failed++;                                           \
			printf("FAIL %s:%s\n", __FILE__, #fn);                \
		}                                                             \
		fflush(stdout);                                               \
	} while (0)

static inline int t_done(void)
{
	return t_failed ? 1 : 0;
}

#endif
