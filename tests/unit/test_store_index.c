/* The store's index env as written with MDB_WRITEMAP and MDB_MULTIPLE:
 * reopening does not grow its (sparse) file, its blocks are reserved ahead
 * of its last page, and a key's sequences that are not above its last one
 * (a re-index) still land once each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "t.h"
#include "store/db.h"
#include "store/index.h"

static char dir[256];

/* Index n events of type `type` with the given seqs in one index txn. */
static cr_err index_seqs(st_db *db, const char *type, const uint64_t *seq, int n)
{
	Courant__Event ev = COURANT__EVENT__INIT;
	st_index_batch *b = st_index_batch_new();
	MDB_txn *txn = NULL;
	cr_err err = b ? st_db_write_begin(db, ST_ENV_INDEX, &txn) : CR_ENOMEM;
	ev.type = (char *)type;
	for (int i = 0; i < n && !err; i++)
		err = st_index_batch_add(b, &ev, "2021-04-02", seq[i]);
	if (!err)
		err = st_index_batch_write(b, db, txn);
	if (!err)
		err = st_db_commit(txn);
	else if (txn)
		mdb_txn_abort(txn);
	st_index_batch_destroy(&b);
	return err;
}

/* The seqs under ix_type `type`, comma-separated. */
static const char *type_seqs(st_db *db, const char *type)
{
	static char out[512];
	st_rtxn r;
	MDB_cursor *c = NULL;
	MDB_val k = {strlen(type), (void *)type}, v;
	size_t o = 0;
	out[0] = '\0';
	if (st_db_read_begin(db, &r))
		return "(no txn)";
	if (!mdb_cursor_open(r.index, st_db_dbi(db, ST_IX_TYPE), &c))
		for (int rc = mdb_cursor_get(c, &k, &v, MDB_SET_KEY); !rc && o + 24 < sizeof out;
		     rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_DUP))
			o += (size_t)snprintf(out + o, sizeof out - o, "%s%llu", o ? "," : "",
					      (unsigned long long)st_be64_get(v.mv_data));
	if (c)
		mdb_cursor_close(c);
	st_db_read_end(db, &r);
	return out;
}

static void test_reindex(void)
{
	char path[300];
	st_db *db = NULL;
	static const uint64_t first[] = {5, 6, 7}, again[] = {8, 9, 3, 6, 10}, one[] = {4}, lone[] = {7},
			      below[] = {3, 8};
	snprintf(path, sizeof path, "%s/reindex", dir);
	T_EQ_INT(st_db_open(&db, path, 0), CR_OK);
	if (!db)
		return;
	T_EQ_INT(index_seqs(db, "AID", first, 3), CR_OK);
	T_EQ_STR(type_seqs(db, "AID"), "5,6,7");
	/* 3 is not above 9: the appends stop there and go on one by one (6 is
	 * there already) */
	T_EQ_INT(index_seqs(db, "AID", again, 5), CR_OK);
	T_EQ_STR(type_seqs(db, "AID"), "3,5,6,7,8,9,10");
	T_EQ_INT(index_seqs(db, "AID", one, 1), CR_OK);
	T_EQ_STR(type_seqs(db, "AID"), "3,4,5,6,7,8,9,10");
	/* a key holding a single seq, then seqs below and above it */
	T_EQ_INT(index_seqs(db, "AGREE", lone, 1), CR_OK);
	T_EQ_INT(index_seqs(db, "AGREE", below, 2), CR_OK);
	T_EQ_STR(type_seqs(db, "AGREE"), "3,7,8");
	st_db_close(&db);
}

static void test_reopen(void)
{
	char path[300], file[320];
	st_db *db = NULL;
	size_t map = 0;
	struct stat st;
	static uint64_t seq[2000];
	snprintf(path, sizeof path, "%s/reopen", dir);
	snprintf(file, sizeof file, "%s/index/data.mdb", path);
	for (int i = 0; i < 2000; i++)
		seq[i] = (uint64_t)i + 1;
	for (int round = 0; round < 3; round++) {
		T_EQ_INT(st_db_open(&db, path, (size_t)64 << 20), CR_OK);
		if (!db)
			return;
		if (round == 0) {
			T_EQ_INT(index_seqs(db, "CONSULT", seq, 2000), CR_OK);
			map = st_db_mapsize(db, ST_ENV_INDEX);
		}
		/* the sparse file is as long as the map, which stays as it was */
		T_EQ_INT((long)st_db_mapsize(db, ST_ENV_INDEX), (long)map);
		T_OK(stat(file, &st) == 0 && (size_t)st.st_size == map);
		/* the blocks: the pages written and the reserve ahead, not more */
		T_OK((size_t)st.st_blocks * 512 <= map && (size_t)st.st_blocks * 512 >= ((size_t)32 << 20));
		st_db_close(&db);
	}
}

int main(void)
{
	char cmd[300];
	snprintf(dir, sizeof dir, "/tmp/test_store_index.XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	T_RUN(test_reindex);
	T_RUN(test_reopen);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd))
		return 1;
	return t_done();
}
