/* LMDB environment of the store: open, named databases, map growth. */
#include "store/db.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"

/* LMDB's map size is address space, not disk (the file grows as pages are
 * written): start large so that growth, which stalls the writer and every
 * reader while it remaps, happens rarely or never. */
#define DEFAULT_MAP ((size_t)1 << 30)
#define MAX_MAP ((size_t)1 << 40)

#define SYNC_EVERY_S 5
#define BOOT_MAX 64

struct st_db {
	MDB_env *env[ST_NENV];
	MDB_dbi dbi[ST_NDBI];
	size_t mapsize[ST_NENV];
	char path[ST_NENV][4096]; /* absolute path of each data.mdb, for st_db_trim */
	int index_fresh;
	pthread_rwlock_t remap; /* readers share it; st_db_grow takes it exclusively */
	/* the index env's periodic fsync */
	pthread_t syncer;
	int syncing, stop;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static const struct {
	const char *name;
	enum st_env env;
	unsigned flags;
} layout[ST_NDBI] = {
	[ST_ARTICLES] = {"articles", ST_ENV_MAIN, 0},
	[ST_URLS] = {"urls", ST_ENV_MAIN, 0},
	[ST_EVENTS] = {"events", ST_ENV_MAIN, 0},
	[ST_IX_COUNTRY] = {"ix_country", ST_ENV_INDEX, MDB_DUPSORT | MDB_DUPFIXED},
	[ST_IX_PAIR] = {"ix_pair", ST_ENV_INDEX, MDB_DUPSORT | MDB_DUPFIXED},
	[ST_IX_TYPE] = {"ix_type", ST_ENV_INDEX, MDB_DUPSORT | MDB_DUPFIXED},
	[ST_IX_DATE] = {"ix_date", ST_ENV_INDEX, MDB_DUPSORT | MDB_DUPFIXED},
	[ST_IX_PERSON] = {"ix_person", ST_ENV_INDEX, MDB_DUPSORT | MDB_DUPFIXED},
	[ST_DEAD] = {"dead", ST_ENV_MAIN, 0},
	[ST_DEAD_IDS] = {"dead_ids", ST_ENV_MAIN, 0},
	[ST_META] = {"meta", ST_ENV_MAIN, 0},
	[ST_IX_META] = {"meta", ST_ENV_INDEX, 0},
};

cr_err st_db_err(int rc)
{
	switch (rc) {
	case MDB_SUCCESS: return CR_OK;
	case MDB_NOTFOUND: return CR_ENOTFOUND;
	case MDB_KEYEXIST: return CR_EEXIST;
	case MDB_MAP_FULL: return CR_ENOSPC;
	case MDB_BAD_VALSIZE: return CR_ETOOBIG;
	case ENOMEM: return CR_ENOMEM;
	case ENOSPC: return CR_ENOSPC;
	case EIO: return CR_EIO;
	default: return CR_ESTORE;
	}
}

void st_be64_put(unsigned char out[8], uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		out[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

uint64_t st_be64_get(const void *p)
{
	const unsigned char *b = p;
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | b[i];
	return v;
}

static cr_err meta_put(MDB_txn *txn, MDB_dbi dbi, const char *key, const void *val, size_t len)
{
	MDB_val k = {strlen(key), (void *)key}, v = {len, (void *)val};
	return st_db_err(mdb_put(txn, dbi, &k, &v, 0));
}

/* Open the named databases of one env (creating them); the main env gets
 * its schema version. */
static cr_err open_dbis(st_db *db, enum st_env env)
{
	MDB_txn *txn = NULL;
	int rc = mdb_txn_begin(db->env[env], NULL, 0, &txn);
	cr_err err;
	if (rc)
		return st_db_err(rc);
	for (int i = 0; i < ST_NDBI && !rc; i++)
		if (layout[i].env == env)
			rc = mdb_dbi_open(txn, layout[i].name, layout[i].flags | MDB_CREATE, &db->dbi[i]);
	err = st_db_err(rc);
	if (!err && env == ST_ENV_MAIN) {
		MDB_val k = {6, "schema"}, v;
		uint32_t schema = 1;
		if (mdb_get(txn, db->dbi[ST_META], &k, &v) == MDB_NOTFOUND)
			err = meta_put(txn, db->dbi[ST_META], "schema", &schema, sizeof schema);
	}
	if (err) {
		mdb_txn_abort(txn);
		return err;
	}
	return st_db_err(mdb_txn_commit(txn));
}

/* The map to open with: the requested size, or twice the existing data file
 * (rounded up to 64 MiB) when that is larger, so a reopened store has room. */
static size_t initial_map(const char *dir, size_t want)
{
	char path[4096];
	struct stat st;
	size_t size = want ? want : DEFAULT_MAP;
	if ((size_t)snprintf(path, sizeof path, "%s/data.mdb", dir) < sizeof path && stat(path, &st) == 0 &&
	    st.st_size > 0 && (size_t)st.st_size >= size / 2) {
		size_t twice = (size_t)st.st_size * 2, step = (size_t)64 << 20;
		size = (twice + step - 1) / step * step;
	}
	return size < MAX_MAP ? size : MAX_MAP;
}

static void data_path(const char *dir, char out[4096])
{
	char real[PATH_MAX];
	out[0] = '\0';
	if (realpath(dir, real) && strlen(real) + sizeof "/data.mdb" <= 4096)
		snprintf(out, 4096, "%s/data.mdb", real);
}

static cr_err open_env(st_db *db, enum st_env env, const char *dir, size_t mapsize)
{
	/* MDB_NOTLS: read txns are tied to our lock, not to thread-local slots;
	 * MDB_NORDAHEAD: random page reads should not pull neighbours into RSS */
	unsigned flags = MDB_NOTLS | MDB_NORDAHEAD | (env == ST_ENV_INDEX ? MDB_NOSYNC : 0);
	int rc, dead = 0;
	MDB_envinfo info;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return cr_err_from_errno(errno);
	rc = mdb_env_create(&db->env[env]);
	if (!rc)
		rc = mdb_env_set_maxdbs(db->env[env], ST_NDBI + 2);
	if (!rc)
		rc = mdb_env_set_mapsize(db->env[env], initial_map(dir, mapsize));
	if (!rc)
		rc = mdb_env_open(db->env[env], dir, flags, 0644);
	if (rc) {
		cr_error("db_open_failed", "dir=%s lmdb=\"%s\"", dir, mdb_strerror(rc));
		mdb_env_close(db->env[env]);
		db->env[env] = NULL;
		return st_db_err(rc);
	}
	mdb_reader_check(db->env[env], &dead);
	if (dead)
		cr_info("stale_readers_cleared", "dir=%s count=%d", dir, dead);
	mdb_env_info(db->env[env], &info);
	db->mapsize[env] = info.me_mapsize;
	data_path(dir, db->path[env]);
	return open_dbis(db, env);
}

static void boot_id(char out[BOOT_MAX])
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");
	out[0] = '\0';
	if (f) {
		if (!fgets(out, BOOT_MAX, f))
			out[0] = '\0';
		out[strcspn(out, "\n")] = '\0';
		fclose(f);
	}
}

/* May the index env left by the last run be trusted? Not when its writer
 * ran under another boot without closing cleanly: unsynced pages may be
 * lost. Not when it holds events beyond the head of `events` (foreign, or
 * ahead of a restored main env). */
static int index_trusted(st_db *db, const char *boot)
{
	MDB_txn *txn = NULL, *ix = NULL;
	MDB_val k = {10, "index_boot"}, v;
	int ok = 0;

	if (mdb_txn_begin(db->env[ST_ENV_MAIN], NULL, MDB_RDONLY, &txn))
		return 0;
	if (mdb_get(txn, db->dbi[ST_META], &k, &v) == MDB_NOTFOUND)
		ok = 1;
	else
		ok = *boot && v.mv_size == strlen(boot) && !memcmp(v.mv_data, boot, v.mv_size);
	if (ok && !mdb_txn_begin(db->env[ST_ENV_INDEX], NULL, MDB_RDONLY, &ix)) {
		ok = st_db_indexed_seq(db, ix) <= st_db_last_seq(txn, db->dbi[ST_EVENTS]);
		mdb_txn_abort(ix);
	} else {
		ok = 0;
	}
	mdb_txn_abort(txn);
	return ok;
}

static void remove_env_files(const char *dir)
{
	char path[4096];
	const char *files[] = {"data.mdb", "lock.mdb"};
	for (int i = 0; i < 2; i++)
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, files[i]) < sizeof path)
			unlink(path);
}

/* Record (synced) that the index env may now hold unsynced pages written
 * under this boot; `boot` NULL clears it after a final sync. */
static cr_err mark_boot(st_db *db, const char *boot)
{
	MDB_txn *txn = NULL;
	MDB_val k = {10, "index_boot"};
	cr_err err = st_db_write_begin(db, ST_ENV_MAIN, &txn);
	if (err)
		return err;
	if (boot)
		err = meta_put(txn, db->dbi[ST_META], "index_boot", boot, strlen(boot));
	else if (mdb_del(txn, db->dbi[ST_META], &k, NULL) == MDB_NOTFOUND)
		err = CR_OK;
	if (err) {
		mdb_txn_abort(txn);
		return err;
	}
	return st_db_commit(txn);
}

static cr_err open_index(st_db *db, const char *dir, size_t mapsize)
{
	char ixdir[4096], boot[BOOT_MAX];
	cr_err err;

	if ((size_t)snprintf(ixdir, sizeof ixdir, "%s/index", dir) >= sizeof ixdir)
		return CR_EINVAL;
	boot_id(boot);
	err = open_env(db, ST_ENV_INDEX, ixdir, mapsize);
	if (err || !index_trusted(db, boot)) {
		cr_warn("index_rebuild", "dir=%s why=%s", ixdir, err ? "open failed" : "untrusted");
		if (db->env[ST_ENV_INDEX])
			mdb_env_close(db->env[ST_ENV_INDEX]);
		db->env[ST_ENV_INDEX] = NULL;
		remove_env_files(ixdir);
		db->index_fresh = 1;
		err = open_env(db, ST_ENV_INDEX, ixdir, mapsize);
	}
	if (!err)
		err = mark_boot(db, boot);
	return err;
}

static void *sync_loop(void *arg)
{
	st_db *db = arg;
	pthread_mutex_lock(&db->mu);
	while (!db->stop) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += SYNC_EVERY_S;
		pthread_cond_timedwait(&db->cv, &db->mu, &ts);
		if (db->stop)
			break;
		pthread_mutex_unlock(&db->mu);
		/* bounds the dirty pages of the NOSYNC env; thread-safe in LMDB
		 * (an fdatasync of its file, no shared state) */
		mdb_env_sync(db->env[ST_ENV_INDEX], 1);
		pthread_mutex_lock(&db->mu);
	}
	pthread_mutex_unlock(&db->mu);
	return NULL;
}

cr_err st_db_open(st_db **out, const char *dir, size_t mapsize)
{
	st_db *db = calloc(1, sizeof *db);
	cr_err err;

	*out = NULL;
	if (!db)
		return CR_ENOMEM;
	pthread_rwlock_init(&db->remap, NULL);
	pthread_mutex_init(&db->mu, NULL);
	pthread_cond_init(&db->cv, NULL);
	err = open_env(db, ST_ENV_MAIN, dir, mapsize);
	if (!err)
		err = open_index(db, dir, mapsize);
	if (!err) {
		db->syncing = !pthread_create(&db->syncer, NULL, sync_loop, db);
		if (!db->syncing)
			err = CR_ENOMEM;
	}
	if (err)
		st_db_close(&db);
	*out = db;
	return err;
}

void st_db_close(st_db **pdb)
{
	st_db *db = *pdb;
	if (!db)
		return;
	if (db->syncing) {
		pthread_mutex_lock(&db->mu);
		db->stop = 1;
		pthread_cond_signal(&db->cv);
		pthread_mutex_unlock(&db->mu);
		pthread_join(db->syncer, NULL);
	}
	/* a clean close leaves a complete index env on disk: no rebuild needed
	 * whatever the next boot */
	if (db->env[ST_ENV_INDEX] && db->env[ST_ENV_MAIN] && !mdb_env_sync(db->env[ST_ENV_INDEX], 1))
		mark_boot(db, NULL);
	for (int e = ST_NENV - 1; e >= 0; e--)
		if (db->env[e])
			mdb_env_close(db->env[e]);
	pthread_cond_destroy(&db->cv);
	pthread_mutex_destroy(&db->mu);
	pthread_rwlock_destroy(&db->remap);
	free(db);
	*pdb = NULL;
}

MDB_env *st_db_env(st_db *db, enum st_env env)
{
	return db->env[env];
}

MDB_dbi st_db_dbi(st_db *db, enum st_dbi which)
{
	return db->dbi[which];
}

int st_db_index_fresh(st_db *db)
{
	return db->index_fresh;
}

size_t st_db_mapsize(st_db *db, enum st_env env)
{
	return db->mapsize[env];
}

cr_err st_db_write_begin(st_db *db, enum st_env env, MDB_txn **txn)
{
	int rc = mdb_txn_begin(db->env[env], NULL, 0, txn);
	if (rc == MDB_MAP_RESIZED) {
		pthread_rwlock_wrlock(&db->remap);
		mdb_env_set_mapsize(db->env[env], 0);
		pthread_rwlock_unlock(&db->remap);
		rc = mdb_txn_begin(db->env[env], NULL, 0, txn);
	}
	return st_db_err(rc);
}

cr_err st_db_commit(MDB_txn *txn)
{
	return st_db_err(mdb_txn_commit(txn));
}

cr_err st_db_grow(st_db *db, enum st_env env)
{
	size_t next = db->mapsize[env] * 2;
	int rc;
	MDB_envinfo info;

	if (next > MAX_MAP)
		return CR_ENOSPC;
	pthread_rwlock_wrlock(&db->remap);
	rc = mdb_env_set_mapsize(db->env[env], next);
	if (!rc) {
		mdb_env_info(db->env[env], &info);
		db->mapsize[env] = info.me_mapsize;
	}
	pthread_rwlock_unlock(&db->remap);
	if (rc) {
		cr_error("map_grow_failed", "env=%d size=%zu lmdb=\"%s\"", env, next, mdb_strerror(rc));
		return st_db_err(rc);
	}
	cr_info("map_grown", "env=%d size=%zu", env, db->mapsize[env]);
	return CR_OK;
}

cr_err st_db_read_begin(st_db *db, st_rtxn *r)
{
	int rc;
	r->main = r->index = NULL;
	pthread_rwlock_rdlock(&db->remap);
	rc = mdb_txn_begin(db->env[ST_ENV_MAIN], NULL, MDB_RDONLY, &r->main);
	if (!rc)
		rc = mdb_txn_begin(db->env[ST_ENV_INDEX], NULL, MDB_RDONLY, &r->index);
	if (rc) {
		if (r->main)
			mdb_txn_abort(r->main);
		r->main = r->index = NULL;
		pthread_rwlock_unlock(&db->remap);
	}
	return st_db_err(rc);
}

void st_db_read_end(st_db *db, st_rtxn *r)
{
	if (!r->main)
		return;
	mdb_txn_abort(r->index);
	mdb_txn_abort(r->main);
	r->main = r->index = NULL;
	pthread_rwlock_unlock(&db->remap);
}

uint64_t st_db_indexed_seq(st_db *db, MDB_txn *ixtxn)
{
	MDB_val k = {11, "indexed_seq"}, v;
	if (mdb_get(ixtxn, db->dbi[ST_IX_META], &k, &v) || v.mv_size != 8)
		return 0;
	return st_be64_get(v.mv_data);
}

cr_err st_db_set_indexed_seq(st_db *db, MDB_txn *ixtxn, uint64_t seq)
{
	unsigned char be[8];
	st_be64_put(be, seq);
	return meta_put(ixtxn, db->dbi[ST_IX_META], "indexed_seq", be, 8);
}

static size_t file_resident(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long size = 0, resident = 0, shared = 0;
	int n = f ? fscanf(f, "%lu %lu %lu", &size, &resident, &shared) : 0;
	if (f)
		fclose(f);
	return n == 3 ? (size_t)shared * (size_t)sysconf(_SC_PAGESIZE) : 0;
}

/* LMDB does not expose where it mapped a file (mdb_env_info's me_mapaddr is
 * only set with MDB_FIXEDMAP): find the mappings of our data files in
 * /proc/self/maps. */
int st_db_trim(st_db *db, size_t budget)
{
	char line[4096 + 128];
	FILE *f;
	int n = 0;

	if (file_resident() <= budget || !(f = fopen("/proc/self/maps", "r")))
		return 0;
	while (fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		size_t len = strcspn(line, "\n");
		line[len] = '\0';
		for (int e = 0; e < ST_NENV; e++) {
			size_t pl = strlen(db->path[e]);
			if (pl && len > pl && !strcmp(line + len - pl, db->path[e]) && line[len - pl - 1] == ' ' &&
			    sscanf(line, "%lx-%lx", &lo, &hi) == 2 && hi > lo)
				n += !madvise((void *)lo, hi - lo, MADV_DONTNEED);
		}
	}
	fclose(f);
	return n > 0;
}

uint64_t st_db_last_seq(MDB_txn *txn, MDB_dbi dbi)
{
	MDB_cursor *c;
	MDB_val k, v;
	uint64_t seq = 0;
	if (mdb_cursor_open(txn, dbi, &c))
		return 0;
	if (!mdb_cursor_get(c, &k, &v, MDB_LAST) && k.mv_size == 8)
		seq = st_be64_get(k.mv_data);
	mdb_cursor_close(c);
	return seq;
}

uint64_t st_db_count(MDB_txn *txn, MDB_dbi dbi)
{
	MDB_stat st;
	if (mdb_stat(txn, dbi, &st))
		return 0;
	return st.ms_entries;
}
