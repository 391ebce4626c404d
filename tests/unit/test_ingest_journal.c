/* ingest journal: deferred done marks (ij_done_later). They are committed
 * with the next accepted batch, by ij_tick after a second, or by ij_close;
 * a crash before that leaves the article pending, to be re-sent. A crash is
 * a child process that exits without closing the journal.
 * Fresh dedup keys (journal.c): kept in fkeys and in memory until merged
 * into ids/urls/hashes; duplicates are found across crashes, merges and
 * reopenings, a journal of the layout before fkeys opens as it was, and a
 * refused batch leaves no key behind. */
#include <lmdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "t.h"
#include "common/codec.h"
#include "ingest/canon.h"
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

/* ---- fresh keys ---------------------------------------------------------- */

static void sub3(Courant__Submit *s, const char *id, const char *url, const char *text)
{
	sub(s, text);
	s->id = (char *)id;
	s->url = (char *)url;
}

/* Submit one article; its status, with its id (or duplicate_of) in idout. */
static int submit1(ij_journal *j, const char *id, const char *url, const char *text, char *idout, uint64_t *seq)
{
	Courant__Submit s;
	ij_sub in;
	sub3(&s, id, url, text);
	memset(&in, 0, sizeof in);
	in.in = &s;
	ij_accept(j, &in, 1, 1);
	if (idout)
		snprintf(idout, 256, "%s", in.id);
	if (seq)
		*seq = in.seq;
	return in.status;
}

/* Entries of database `name` of the journal at dir, read with LMDB itself
 * (the journal must be closed in this process); -1 if it cannot be read,
 * -2 if the database does not exist. */
static long raw_entries(const char *name)
{
	MDB_env *e;
	MDB_txn *t;
	MDB_dbi d;
	MDB_stat st;
	long n = -1;
	if (mdb_env_create(&e) != 0)
		return -1;
	mdb_env_set_maxdbs(e, 8);
	if (mdb_env_open(e, dir, MDB_RDONLY, 0644) == 0 && mdb_txn_begin(e, NULL, MDB_RDONLY, &t) == 0) {
		int rc = mdb_dbi_open(t, name, 0, &d);
		if (rc == MDB_NOTFOUND)
			n = -2;
		else if (rc == 0 && mdb_stat(t, d, &st) == 0)
			n = (long)st.ms_entries;
		mdb_txn_abort(t);
	}
	mdb_env_close(e);
	return n;
}

static void rm_dir(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	T_EQ_INT(system(cmd), 0);
}

/* In a child: accept A, B, C, dead-letter C, crash (no close). */
static void child_fresh(void)
{
	ij_journal *j = NULL;
	uint64_t seq = 0;
	int dead = 1;
	if (ij_open(dir, 8, 8, &j) != CR_OK)
		_exit(2);
	if (submit1(j, "a1", "http://ex.org/a", "text of a", NULL, NULL) != COURANT__SUBMIT_STATUS__ACCEPTED ||
	    submit1(j, "b1", "http://ex.org/b", "text of b", NULL, NULL) != COURANT__SUBMIT_STATUS__ACCEPTED ||
	    submit1(j, "c1", "http://ex.org/c", "text of c", NULL, &seq) != COURANT__SUBMIT_STATUS__ACCEPTED)
		_exit(3);
	if (ij_done(j, &seq, &dead, 1) != CR_OK)
		_exit(4);
	_exit(0);
}

/* Duplicates of A and B, C free again, id a1 taken: from fkeys after a
 * crash, then from the trees after a merge, and after a clean close. */
static void check_abc(ij_journal *j, int round)
{
	char id[256], a_url[64], c_url[64], a_text[64], c_text[64];
	snprintf(a_url, sizeof a_url, "http://ex.org/a-%d", round);
	snprintf(a_text, sizeof a_text, "a text of round %d", round);
	snprintf(c_url, sizeof c_url, "http://ex.org/c-%d", round);
	snprintf(c_text, sizeof c_text, "a text of c, round %d", round);
	T_EQ_INT(submit1(j, NULL, "http://EX.org/a#x", "other text 1", id, NULL), COURANT__SUBMIT_STATUS__DUPLICATE);
	T_EQ_STR(id, "a1");
	T_EQ_INT(submit1(j, NULL, NULL, "  text   of b ", id, NULL), COURANT__SUBMIT_STATUS__DUPLICATE);
	T_EQ_STR(id, "b1");
	T_EQ_INT(submit1(j, "a1", a_url, a_text, id, NULL), COURANT__SUBMIT_STATUS__ACCEPTED);
	T_OK(strncmp(id, "a1~", 3) == 0);
	T_EQ_INT(submit1(j, round ? NULL : "c1", c_url, c_text, id, NULL), COURANT__SUBMIT_STATUS__ACCEPTED);
	if (!round)
		T_EQ_STR(id, "c1"); /* dead-lettered: its id is free again */
}

static void test_fresh_keys_crash_merge(void)
{
	ij_journal *j = NULL;
	pid_t pid;
	int st = -1;
	snprintf(dir, sizeof dir, "/tmp/test_ingest_fresh.%d", (int)getpid());
	rm_dir();
	if ((pid = fork()) == 0)
		child_fresh();
	waitpid(pid, &st, 0);
	T_OK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* the keys of A and B are fresh: in fkeys, not in the trees */
	T_EQ_INT(raw_entries("fkeys"), 2);
	T_EQ_INT(raw_entries("hashes"), 0);
	T_EQ_INT(raw_entries("ids"), 0);
	T_EQ_INT(ij_open(dir, 8, 8, &j), CR_OK);
	if (!j)
		return;
	check_abc(j, 0); /* accepts 2 more (a1~, c1) */
	/* merged into the trees: still found there */
	T_EQ_INT(ij_merge(j), CR_OK);
	check_abc(j, 1);
	ij_close(&j); /* merges the rest */
	T_EQ_INT(raw_entries("fkeys"), 0);
	T_EQ_INT(raw_entries("ids"), 6);
	T_EQ_INT(raw_entries("hashes"), 6);
	T_EQ_INT(raw_entries("urls"), 6);
	T_EQ_INT(ij_open(dir, 8, 8, &j), CR_OK);
	if (!j)
		return;
	/* a dead article whose keys are fresh frees them at once */
	{
		uint64_t seq = 0;
		int dead = 1;
		T_EQ_INT(submit1(j, "e1", "http://ex.org/e", "text of e", NULL, &seq), COURANT__SUBMIT_STATUS__ACCEPTED);
		T_EQ_INT(ij_done(j, &seq, &dead, 1), CR_OK);
		T_EQ_INT(submit1(j, NULL, "http://ex.org/e", "text of e", NULL, NULL), COURANT__SUBMIT_STATUS__ACCEPTED);
		T_EQ_INT(submit1(j, NULL, NULL, "text of e", NULL, NULL), COURANT__SUBMIT_STATUS__DUPLICATE);
	}
	T_EQ_INT(submit1(j, NULL, "http://ex.org/c-1", "x", NULL, NULL), COURANT__SUBMIT_STATUS__DUPLICATE);
	T_EQ_INT(submit1(j, NULL, NULL, "a text of c, round 0", NULL, NULL), COURANT__SUBMIT_STATUS__DUPLICATE);
	/* a dead article whose keys were merged frees them too */
	{
		uint64_t seq = 0;
		int dead = 1;
		char id[256];
		T_EQ_INT(submit1(j, "d1", "http://ex.org/d", "text of d", NULL, &seq), COURANT__SUBMIT_STATUS__ACCEPTED);
		T_EQ_INT(ij_merge(j), CR_OK);
		T_EQ_INT(submit1(j, NULL, NULL, "text of d", NULL, NULL), COURANT__SUBMIT_STATUS__DUPLICATE);
		T_EQ_INT(ij_done(j, &seq, &dead, 1), CR_OK);
		T_EQ_INT(submit1(j, "d1", "http://ex.org/d", "text of d", id, NULL), COURANT__SUBMIT_STATUS__ACCEPTED);
		T_EQ_STR(id, "d1");
	}
	ij_close(&j);
	rm_dir();
}

/* A journal as written before fkeys existed (ids, urls, hashes, arts,
 * meta; no fkeys database), built with LMDB itself. */
static void write_old_journal(void)
{
	MDB_env *e;
	MDB_txn *t;
	MDB_dbi arts, ids, urls, hashes, meta;
	Courant__Article a = COURANT__ARTICLE__INIT;
	char canon[256];
	uint8_t h[16], rec[256];
	unsigned char one[8] = {0, 0, 0, 0, 0, 0, 0, 1}, two[8] = {0, 0, 0, 0, 0, 0, 0, 2};
	MDB_val k, v;
	T_EQ_INT(mkdir(dir, 0755), 0);
	T_EQ_INT(mdb_env_create(&e), 0);
	mdb_env_set_maxdbs(e, 8);
	T_EQ_INT(mdb_env_open(e, dir, 0, 0644), 0);
	T_EQ_INT(mdb_txn_begin(e, NULL, 0, &t), 0);
	T_EQ_INT(mdb_dbi_open(t, "arts", MDB_CREATE, &arts) | mdb_dbi_open(t, "ids", MDB_CREATE, &ids) |
			 mdb_dbi_open(t, "urls", MDB_CREATE, &urls) | mdb_dbi_open(t, "hashes", MDB_CREATE, &hashes) |
			 mdb_dbi_open(t, "meta", MDB_CREATE, &meta),
		 0);
	a.version = CR_SCHEMA_VERSION;
	a.id = "old1";
	a.seq = 1;
	a.url = "http://old.example/1";
	a.has_raw = 1;
	a.raw.data = (uint8_t *)"old text";
	a.raw.len = 8;
	k = (MDB_val){8, one};
	v = (MDB_val){courant__article__pack(&a, rec), rec};
	T_EQ_INT(mdb_put(t, arts, &k, &v, 0), 0);
	k = (MDB_val){4, "old1"};
	v = (MDB_val){8, one};
	T_EQ_INT(mdb_put(t, ids, &k, &v, 0), 0);
	T_EQ_INT(ic_canon_url("http://old.example/1", canon, sizeof canon), CR_OK);
	k = (MDB_val){strlen(canon), canon};
	v = (MDB_val){4, "old1"};
	T_EQ_INT(mdb_put(t, urls, &k, &v, 0), 0);
	ic_text_hash("old text", 8, h);
	k = (MDB_val){16, h};
	T_EQ_INT(mdb_put(t, hashes, &k, &v, 0), 0);
	k = (MDB_val){8, "next_seq"};
	v = (MDB_val){8, two};
	T_EQ_INT(mdb_put(t, meta, &k, &v, 0), 0);
	T_EQ_INT(mdb_txn_commit(t), 0);
	mdb_env_close(e);
}

static void count_pending(void *ctx, uint64_t seq, const char *id)
{
	if (seq == 1 && !strcmp(id, "old1"))
		++*(int *)ctx;
}

static void test_old_layout_opens(void)
{
	ij_journal *j = NULL;
	char id[256];
	uint64_t seq = 0, one = 1;
	int found = 0, dead = 1;
	snprintf(dir, sizeof dir, "/tmp/test_ingest_old.%d", (int)getpid());
	rm_dir();
	write_old_journal();
	T_EQ_INT(raw_entries("fkeys"), -2);
	T_EQ_INT(ij_open(dir, 8, 8, &j), CR_OK);
	if (!j)
		return;
	T_EQ_INT(ij_pending_count(j), 1);
	ij_each_pending(j, count_pending, &found);
	T_EQ_INT(found, 1);
	T_EQ_INT(submit1(j, NULL, "http://old.example/1#top", "new text", id, NULL), COURANT__SUBMIT_STATUS__DUPLICATE);
	T_EQ_STR(id, "old1");
	T_EQ_INT(submit1(j, NULL, NULL, " old  text", id, NULL), COURANT__SUBMIT_STATUS__DUPLICATE);
	T_EQ_STR(id, "old1");
	T_EQ_INT(submit1(j, "old1", NULL, "another text", id, &seq), COURANT__SUBMIT_STATUS__ACCEPTED);
	T_EQ_STR(id, "old1~2");
	T_EQ_INT(seq, 2);
	/* dead-lettering the old article frees its keys in the trees */
	T_EQ_INT(ij_done(j, &one, &dead, 1), CR_OK);
	T_EQ_INT(submit1(j, NULL, "http://old.example/1", "old text", NULL, &seq), COURANT__SUBMIT_STATUS__ACCEPTED);
	T_EQ_INT(seq, 3);
	ij_close(&j);
	rm_dir();
}

/* A refused batch (journal full) leaves no fresh key behind: the same
 * article is refused again, not called a duplicate of itself; the keys
 * committed before are still found. */
static void test_refused_leaves_no_key(void)
{
	ij_journal *j = NULL;
	char *big = malloc(300000);
	int refused = 0;
	snprintf(dir, sizeof dir, "/tmp/test_ingest_full.%d", (int)getpid());
	rm_dir();
	T_EQ_INT(ij_open(dir, 1, 1, &j), CR_OK);
	if (!j || !big)
		return;
	T_EQ_INT(submit1(j, "small", "http://ex.org/small", "a small one", NULL, NULL), COURANT__SUBMIT_STATUS__ACCEPTED);
	for (int k = 0; k < 12 && !refused; k++) {
		int st;
		memset(big, 'a' + k, 299999);
		big[299999] = '\0';
		st = submit1(j, NULL, NULL, big, NULL, NULL);
		if (st == COURANT__SUBMIT_STATUS__REFUSED) {
			refused = 1;
			T_EQ_INT(submit1(j, NULL, NULL, big, NULL, NULL), COURANT__SUBMIT_STATUS__REFUSED);
		} else
			T_EQ_INT(st, COURANT__SUBMIT_STATUS__ACCEPTED);
	}
	T_OK(refused);
	T_EQ_INT(submit1(j, NULL, NULL, "a small one", NULL, NULL), COURANT__SUBMIT_STATUS__DUPLICATE);
	ij_close(&j);
	free(big);
	rm_dir();
}

/* ij_tick merges past 8192 fresh articles (as set), a step per call: a child
 * accepts 8200, ticks until the merge is done and crashes; the keys are
 * all in the trees and still dedupe. */
static long raw_fkeys_in_child(ij_journal *j)
{
	(void)j; /* the journal stays open: counted by a grandchild */
	pid_t pid = fork();
	int st = -1;
	if (pid == 0)
		_exit(raw_entries("fkeys") == 8200 ? 0 : 1);
	waitpid(pid, &st, 0);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 8200 : -1;
}

static void test_tick_merges(void)
{
	ij_journal *j = NULL;
	pid_t pid;
	int st = -1;
	char id[256];
	snprintf(dir, sizeof dir, "/tmp/test_ingest_tick.%d", (int)getpid());
	rm_dir();
	if ((pid = fork()) == 0) {
		static char text[8200][16];
		static Courant__Submit s[100];
		ij_sub in[100];
		if (ij_open(dir, 16, 16, &j) != CR_OK)
			_exit(2);
		ij_set_merge_at(j, 8192);
		for (int b = 0; b < 82; b++) {
			memset(in, 0, sizeof in);
			for (int i = 0; i < 100; i++) {
				snprintf(text[b * 100 + i], 16, "t%d", b * 100 + i);
				sub(&s[i], text[b * 100 + i]);
				in[i].in = &s[i];
			}
			if (ij_accept(j, in, 100, 1) != CR_OK || in[99].status != COURANT__SUBMIT_STATUS__ACCEPTED)
				_exit(3);
			ij_tick(j, 2); /* starts a merge once 8192 are fresh: after the 82nd batch */
		}
		for (int k = 0; k < 14; k++) /* a step per tick, 3 x 5 of up to 2048 keys */
			ij_tick(j, 3);
		if (raw_fkeys_in_child(j) != 8200)
			_exit(5);
		ij_tick(j, 4); /* the last step empties fkeys */
		for (int i = 0; i < 8; i++) /* and these stay fresh */
			if (submit1(j, NULL, NULL, (char[][8]){"u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7"}[i], NULL,
				    NULL) != COURANT__SUBMIT_STATUS__ACCEPTED)
				_exit(4);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	T_OK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	T_EQ_INT(raw_entries("fkeys"), 8);
	T_EQ_INT(raw_entries("hashes"), 8200);
	T_EQ_INT(ij_open(dir, 16, 16, &j), CR_OK);
	if (!j)
		return;
	T_EQ_INT(submit1(j, NULL, NULL, "t17", id, NULL), COURANT__SUBMIT_STATUS__DUPLICATE);
	T_EQ_STR(id, "a00000018");
	T_EQ_INT(submit1(j, NULL, NULL, "t8199", NULL, NULL), COURANT__SUBMIT_STATUS__DUPLICATE);
	T_EQ_INT(submit1(j, NULL, NULL, "u5", NULL, NULL), COURANT__SUBMIT_STATUS__DUPLICATE);
	T_EQ_INT(submit1(j, NULL, NULL, "t8200", NULL, NULL), COURANT__SUBMIT_STATUS__ACCEPTED);
	ij_close(&j);
	rm_dir();
}

/* An article dead-lettered while a merge is moving its keys (its id is in
 * the trees already, its URL and hash not yet) is removed from both: it can
 * come back under its own id. */
static void test_dead_during_merge(void)
{
	ij_journal *j = NULL;
	uint64_t seq = 0;
	int dead = 1;
	char id[256];
	snprintf(dir, sizeof dir, "/tmp/test_ingest_mdead.%d", (int)getpid());
	rm_dir();
	T_EQ_INT(ij_open(dir, 8, 8, &j), CR_OK);
	if (!j)
		return;
	ij_set_merge_at(j, 2);
	T_EQ_INT(submit1(j, "a", "http://ex.org/a", "text of a", NULL, &seq), COURANT__SUBMIT_STATUS__ACCEPTED);
	T_EQ_INT(submit1(j, "b", "http://ex.org/b", "text of b", NULL, NULL), COURANT__SUBMIT_STATUS__ACCEPTED);
	ij_tick(j, 1); /* starts the merge and moves the ids */
	T_EQ_INT(ij_done(j, &seq, &dead, 1), CR_OK);
	/* one accepted while the merge goes on waits for the next one */
	T_EQ_INT(submit1(j, "c", "http://ex.org/c", "text of c", NULL, NULL), COURANT__SUBMIT_STATUS__ACCEPTED);
	ij_set_merge_at(j, 100);
	for (int k = 0; k < 3; k++) /* urls, hashes, then fkeys emptied */
		ij_tick(j, 1);
	T_EQ_INT(submit1(j, "d-with-a-longer-id", "http://ex.org/d/with/a/longer/path", "text of d", NULL, NULL),
		 COURANT__SUBMIT_STATUS__ACCEPTED);
	T_EQ_INT(submit1(j, NULL, "http://ex.org/c", "x", id, NULL), COURANT__SUBMIT_STATUS__DUPLICATE);
	T_EQ_STR(id, "c");
	T_EQ_INT(submit1(j, "a", "http://ex.org/a", "text of a", id, NULL), COURANT__SUBMIT_STATUS__ACCEPTED);
	T_EQ_STR(id, "a");
	T_EQ_INT(submit1(j, "b", NULL, "text of b", id, NULL), COURANT__SUBMIT_STATUS__DUPLICATE);
	T_EQ_STR(id, "b");
	ij_close(&j);
	T_EQ_INT(raw_entries("fkeys"), 0);
	T_EQ_INT(raw_entries("ids"), 4); /* b, c, d, and a again */
	T_EQ_INT(raw_entries("hashes"), 4);
	rm_dir();
}

/* A crash in the middle of a merge: the keys already put in the trees are
 * also still in fkeys; after reopening every one dedupes and the merge is
 * done again (by ij_close here). */
static void test_crash_during_merge(void)
{
	ij_journal *j = NULL;
	pid_t pid;
	int st = -1;
	char id[256];
	snprintf(dir, sizeof dir, "/tmp/test_ingest_mcrash.%d", (int)getpid());
	rm_dir();
	if ((pid = fork()) == 0) {
		if (ij_open(dir, 8, 8, &j) != CR_OK)
			_exit(2);
		ij_set_merge_at(j, 3);
		if (submit1(j, "a", "http://ex.org/a", "text of a", NULL, NULL) != COURANT__SUBMIT_STATUS__ACCEPTED ||
		    submit1(j, "b", "http://ex.org/b", "text of b", NULL, NULL) != COURANT__SUBMIT_STATUS__ACCEPTED ||
		    submit1(j, "c", NULL, "text of c", NULL, NULL) != COURANT__SUBMIT_STATUS__ACCEPTED)
			_exit(3);
		ij_tick(j, 1); /* ids */
		ij_tick(j, 1); /* urls */
		_exit(0);      /* crash before the hashes */
	}
	waitpid(pid, &st, 0);
	T_OK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	T_EQ_INT(raw_entries("fkeys"), 3);
	T_EQ_INT(raw_entries("ids"), 3);
	T_EQ_INT(raw_entries("urls"), 2);
	T_EQ_INT(raw_entries("hashes"), 0);
	T_EQ_INT(ij_open(dir, 8, 8, &j), CR_OK);
	if (!j)
		return;
	T_EQ_INT(submit1(j, NULL, "http://ex.org/b", "x", id, NULL), COURANT__SUBMIT_STATUS__DUPLICATE);
	T_EQ_STR(id, "b");
	T_EQ_INT(submit1(j, NULL, NULL, "text of c", id, NULL), COURANT__SUBMIT_STATUS__DUPLICATE);
	T_EQ_STR(id, "c");
	T_EQ_INT(submit1(j, "a", NULL, "text of a2", id, NULL), COURANT__SUBMIT_STATUS__ACCEPTED);
	T_EQ_STR(id, "a~4");
	ij_close(&j);
	T_EQ_INT(raw_entries("fkeys"), 0);
	T_EQ_INT(raw_entries("ids"), 4);
	T_EQ_INT(raw_entries("hashes"), 4);
	rm_dir();
}

int main(void)
{
	char cmd[128];
	T_RUN(test_done_later_crash);
	T_RUN(test_fresh_keys_crash_merge);
	T_RUN(test_old_layout_opens);
	T_RUN(test_refused_leaves_no_key);
	T_RUN(test_tick_merges);
	T_RUN(test_dead_during_merge);
	T_RUN(test_crash_during_merge);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return t_done();
}
