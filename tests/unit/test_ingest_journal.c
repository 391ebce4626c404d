/* ingest journal: deferred done marks (ij_done_later). They are committed
 * with the next accepted batch, by ij_tick after a second, or by ij_close;
 * a crash before that leaves the article pending, to be re-sent. A crash is
 * a child process that exits without closing the journal. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "t.h"
#include "ingest/journal.h"

static char dir[64];

static void sub(Courant__Submit *s, const char *text)
{
	courant__submit__init(s);
	s->version = 1;
	s->has_text = 1;
	s->text.data = (uint8_t *)text;
	s->text.len = strlen(text);
}

/* Accept one article with this text; its seq (0 if not accepted). */
static uint64_t accept(ij_journal *j, const char *text)
{
	Courant__Submit s;
	ij_sub in;
	sub(&s, text);
	memset(&in, 0, sizeof in);
	in.in = &s;
	if (ij_accept(j, &in, 1, 1) != CR_OK || in.status != COURANT__SUBMIT_STATUS__ACCEPTED)
		return 0;
	return in.seq;
}

static void collect(void *ctx, uint64_t seq, const char *id)
{
	uint64_t *set = ctx;
	(void)id;
	if (seq < 64)
		*set |= 1ull << seq;
}

/* The set of pending seqs (bit per seq) after reopening. */
static uint64_t pending_after_reopen(void)
{
	ij_journal *j = NULL;
	uint64_t set = 0;
	T_EQ_INT(ij_open(dir, 8, 8, &j), CR_OK);
	if (j)
		ij_each_pending(j, collect, &set);
	ij_close(&j);
	return set;
}

/* In a child: accept 1..3; mark 1 and 2 done later; accept 4 (which commits
 * those marks); mark 3 done later and crash. */
static void child_run(void)
{
	ij_journal *j = NULL;
	uint64_t s12[2] = {1, 2}, s3 = 3;
	int dead[2] = {0, 0};
	if (ij_open(dir, 8, 8, &j) != CR_OK)
		_exit(2);
	if (accept(j, "one") != 1 || accept(j, "two") != 2 || accept(j, "three") != 3)
		_exit(3);
	if (ij_done_later(j, s12, dead, 2, 10) != CR_OK || ij_pending_count(j) != 1)
		_exit(4);
	if (accept(j, "four") != 4 || ij_done_later(j, &s3, dead, 1, 20) != CR_OK)
		_exit(5);
	ij_tick(j, 20 + 999999); /* under a second: still waiting */
	_exit(0);                /* crash: the mark of 3 is lost */
}

/* In a child: mark `seq` done later at clock 100, then either tick past a
 * second and crash (close == 0) or close the journal cleanly. */
static void child_mark(uint64_t seq, int close)
{
	ij_journal *j = NULL;
	int dead = 0;
	if (ij_open(dir, 8, 8, &j) != CR_OK || ij_done_later(j, &seq, &dead, 1, 100) != CR_OK)
		_exit(2);
	if (close)
		ij_close(&j);
	else
		ij_tick(j, 100 + 1000000);
	_exit(0);
}

/* Run fn(seq, close) in a child (LMDB environments do not cross fork). */
static void in_child(void (*fn)(uint64_t, int), uint64_t seq, int close)
{
	pid_t pid = fork();
	int st = -1;
	if (pid == 0) {
		if (fn)
			fn(seq, close);
		child_run();
	}
	waitpid(pid, &st, 0);
	T_OK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void test_done_later_crash(void)
{
	snprintf(dir, sizeof dir, "/tmp/test_ingest_journal.%d", (int)getpid());
	in_child(NULL, 0, 0);
	/* 1 and 2 went with the accept of 4; 3 must be re-sent; 4 is pending */
	T_EQ_INT(pending_after_reopen(), (1u << 3) | (1u << 4));
	/* ij_tick past a second commits the marks on its own */
	in_child(child_mark, 3, 0);
	T_EQ_INT(pending_after_reopen(), 1u << 4);
	/* and so does a clean close */
	in_child(child_mark, 4, 1);
	T_EQ_INT(pending_after_reopen(), 0);
}

int main(void)
{
	char cmd[128];
	T_RUN(test_done_later_crash);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return t_done();
}
