/* Baseline: raw LMDB put rate with the store's record sizes and commit
 * batching: one environment, one named database, `batch` puts per write
 * transaction, every commit synced (default flags: no NOSYNC, no WRITEMAP).
 * Record sizes: corpus text size * scale + extra (the stored Article +
 * Extraction carries raw and normalized text plus entities and events).
 *   bench_lmdb CORPUS DIR [-n PUTS] [-b BATCH] [--scale X] [--extra B] [--events E] [--no-index]
 *   bench_lmdb --measure ENVDIR DBNAME     (average value size in a database)
 * --events E adds the store's per-article write pattern in the same txn: E
 * event records (330 B, appended by sequence) and, per event, the index
 * entries the store writes (two countries, one pair, type, date: DUPSORT
 * DUPFIXED, 8-byte sequence values, keys from realistic key spaces). E may
 * be fractional (the corpus mean). --no-index leaves the index entries out. 
 * Prints one JSON object on stdout. */
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "corpus.h"

#define CHECK(x) do { int rc_ = (x); if (rc_) { fprintf(stderr, "%s: %s\n", #x, mdb_strerror(rc_)); return 1; } } while (0)

static int measure(const char *dir, const char *name)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_cursor *cur;
	MDB_val k, v;
	CHECK(mdb_env_create(&env));
	CHECK(mdb_env_set_maxdbs(env, 64));
	CHECK(mdb_env_open(env, dir, MDB_RDONLY, 0664));
	CHECK(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn));
	CHECK(mdb_dbi_open(txn, name, 0, &dbi));
	CHECK(mdb_cursor_open(txn, dbi, &cur));
	size_t n = 0, bytes = 0;
	while (!mdb_cursor_get(cur, &k, &v, n ? MDB_NEXT : MDB_FIRST)) {
		n++;
		bytes += v.mv_size;
	}
	printf("{\"db\":\"%s\",\"records\":%zu,\"avg_value_bytes\":%.0f}\n", name, n, n ? (double)bytes / (double)n : 0.0);
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	mdb_env_close(env);
	return 0;
}

int main(int argc, char **argv)
{
	const char *path = NULL, *dir = NULL;
	size_t puts = 20000, batch = 64, extra = 400;
	double scale = 2.0, events = 0;
	int with_index = 1;
	if (argc == 4 && !strcmp(argv[1], "--measure"))
		return measure(argv[2], argv[3]);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			puts = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "-b") && i + 1 < argc)
			batch = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--scale") && i + 1 < argc)
			scale = atof(argv[++i]);
		else if (!strcmp(argv[i], "--no-index"))
			with_index = 0;
		else if (!strcmp(argv[i], "--events") && i + 1 < argc)
			events = atof(argv[++i]);
		else if (!strcmp(argv[i], "--extra") && i + 1 < argc)
			extra = strtoul(argv[++i], NULL, 10);
		else if (!path)
			path = argv[i];
		else if (!dir)
			dir = argv[i];
		else
			path = NULL, i = argc;
	}
	if (!path || !dir || !batch)
		return fprintf(stderr, "usage: bench_lmdb CORPUS DIR [-n PUTS] [-b BATCH] [--scale X] [--extra B]\n"), 2;
	bc_corpus c;
	if (bc_load(path, puts < 5000 ? puts : 5000, &c))
		return 1;
	mkdir(dir, 0775);
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi, evdbi, ix[4];
	static const char *ixname[4] = {"ix_country", "ix_pair", "ix_type", "ix_date"};
	CHECK(mdb_env_create(&env));
	CHECK(mdb_env_set_maxdbs(env, 8));
	CHECK(mdb_env_set_mapsize(env, (size_t)8 << 30));
	CHECK(mdb_env_open(env, dir, 0, 0664));
	CHECK(mdb_txn_begin(env, NULL, 0, &txn));
	CHECK(mdb_dbi_open(txn, "articles", MDB_CREATE, &dbi));
	CHECK(mdb_dbi_open(txn, "events", MDB_CREATE, &evdbi));
	for (int k = 0; k < 4; k++)
		CHECK(mdb_dbi_open(txn, ixname[k], MDB_CREATE | MDB_DUPSORT | MDB_DUPFIXED, &ix[k]));
	CHECK(mdb_txn_commit(txn));
	uint64_t seq = 0, rng = 42, evacc = 0, nev = 0;
	char evval[330];
	memset(evval, 'e', sizeof evval);
	size_t maxv = 0;
	for (size_t i = 0; i < c.n; i++) {
		size_t s = (size_t)((double)c.a[i].text_len * scale) + extra;
		maxv = s > maxv ? s : maxv;
	}
	char *val = malloc(maxv);
	for (size_t i = 0; i < maxv; i++)
		val[i] = c.a[i % c.n].text[i % c.a[i % c.n].text_len];
	uint64_t t0 = bc_mono_us(), bytes = 0, commits = 0;
	for (size_t i = 0; i < puts;) {
		CHECK(mdb_txn_begin(env, NULL, 0, &txn));
		for (size_t j = 0; j < batch && i < puts; j++, i++) {
			char key[32];
			MDB_val k = {(size_t)snprintf(key, sizeof key, "bench-%07zu", i), key};
			MDB_val v = {(size_t)((double)c.a[i % c.n].text_len * scale) + extra, val};
			bytes += v.mv_size;
			CHECK(mdb_put(txn, dbi, &k, &v, 0));
			/* E events per article on average, carried as a fraction */
			evacc += (uint64_t)(events * 1000);
			for (; evacc >= 1000; evacc -= 1000) {
				unsigned char be[8];
				seq++;
				nev++;
				for (int b = 0; b < 8; b++)
					be[b] = (unsigned char)(seq >> (56 - 8 * b));
				MDB_val ek = {8, be}, ev = {sizeof evval, evval};
				CHECK(mdb_put(txn, evdbi, &ek, &ev, MDB_APPEND));
				char ik[5][24];
				unsigned c1, c2;
				rng = rng * 6364136223846793005ull + 1442695040888963407ull;
				c1 = (unsigned)(rng >> 33) % 40;
				c2 = (unsigned)(rng >> 45) % 40;
				snprintf(ik[0], sizeof ik[0], "C%02u", c1);
				snprintf(ik[1], sizeof ik[1], "C%02u", c2);
				snprintf(ik[2], sizeof ik[2], "C%02u|C%02u", c1 < c2 ? c1 : c2, c1 < c2 ? c2 : c1);
				snprintf(ik[3], sizeof ik[3], "T%02u", (unsigned)(rng >> 20) % 16);
				snprintf(ik[4], sizeof ik[4], "2024-%02u-%02u", 1 + (unsigned)(rng >> 8) % 12, 1 + (unsigned)(rng >> 14) % 28);
				static const int which[5] = {0, 0, 1, 2, 3};
				for (int x = 0; x < 5 * with_index; x++) {
					MDB_val xk = {strlen(ik[x]), ik[x]}, xv = {8, be};
					int rc = mdb_put(txn, ix[which[x]], &xk, &xv, MDB_NODUPDATA);
					if (rc && rc != MDB_KEYEXIST)
						CHECK(rc);
				}
			}
		}
		CHECK(mdb_txn_commit(txn));
		commits++;
	}
	double secs = (double)(bc_mono_us() - t0) / 1e6;
	printf("{\"puts\":%zu,\"events\":%lu,\"batch\":%zu,\"avg_value_bytes\":%.0f,\"commits\":%lu,\"seconds\":%.3f,\"puts_per_s\":%.0f,"
		"\"ms_per_commit\":%.3f,\"mb_per_s\":%.1f}\n", puts, (unsigned long)nev, batch, (double)bytes / (double)puts,
		(unsigned long)commits, secs, (double)puts / secs, secs * 1e3 / (double)commits, (double)bytes / secs / 1e6);
	mdb_env_close(env);
	free(val);
	bc_free(&c);
	return 0;
}
