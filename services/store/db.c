/* LMDB environment of the store: open, named databases, map growth. */
#include "store/db.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
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
/* Disk blocks reserved ahead of the index env's last page (see index_room) */
#define ROOM_AHEAD ((off_t)32 << 20)
#define ROOM_STEP ((off_t)16 << 20)
#define ROOM_OPEN ((off_t)1 << 20)
#define ROOM_MIN ((off_t)4 << 20)
/* ... and of the synced env's (see main_room), never when the file system
 * would keep less than MAIN_SPARE free */
#define MAIN_AHEAD ((off_t)8 << 20)
#define MAIN_STEP ((off_t)8 << 20)
#define MAIN_SPARE ((unsigned long long)96 << 20)

struct st_db {
	MDB_env *env[ST_NENV];
	MDB_dbi dbi[ST_NDBI];
	size_t mapsize[ST_NENV];
	char path[ST_NENV][4096]; /* absolute path of each data.mdb, for st_db_trim */
	int index_fresh;
	off_t ix_reserved; /* index file bytes whose blocks fallocate reserved */
	int ix_noreserve;  /* the file system cannot: logged once */
	off_t main_reserved; /* the same for the synced env (past its end of file) */
	int main_noreserve;
	int statm; /* /proc/self/statm, read again at each st_db_trim (-1: none) */
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

/* one byte swap instead of a loop: these run for every index entry */
void st_be64_put(unsigned char out[8], uint64_t v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	memcpy(out, &v, 8);
}

uint64_t st_be64_get(const void *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static cr_err meta_put(MDB_txn *txn, MDB_dbi dbi, const char *key, const void *val, size_t len)
{
	MDB_val k = {strlen(key), (void *)key}, v = {len, (void *)val};
	return st_db_err(mdb_put(txn, dbi, &k, &v, 0));
}

static cr_err index_room(st_db *db, off_t ahead, off_t step);

/* Open the named databases of one env (creating them); the main env gets
 * its schema version. A fresh index env writes its first pages here: their
 * blocks are reserved first (index_room), as far as the disk allows (a
 * store opens on a full disk as it did before: an existing env writes
 * nothing here, and a new one could not even write its meta pages). */
static cr_err open_dbis(st_db *db, enum st_env env)
{
	MDB_txn *txn = NULL;
	int rc;
	cr_err err;
	if (env == ST_ENV_INDEX)
		index_room(db, ROOM_OPEN, 0);
	if ((rc = mdb_txn_begin(db->env[env], NULL, 0, &txn)))
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
static size_t map_for(size_t used, size_t want)
{
	size_t size = want ? want : DEFAULT_MAP;
	if (used > 0 && used >= size / 2) {
		size_t twice = used * 2, step = (size_t)64 << 20;
		size = (twice + step - 1) / step * step;
	}
	return size < MAX_MAP ? size : MAX_MAP;
}

static size_t initial_map(const char *dir, size_t want)
{
	char path[4096];
	struct stat st;
	if ((size_t)snprintf(path, sizeof path, "%s/data.mdb", dir) >= sizeof path || stat(path, &st) != 0)
		return map_for(0, want);
	return map_for((size_t)st.st_size, want);
}

/* The index env's file (MDB_WRITEMAP) is sparse, as long as its map, and
 * has blocks reserved ahead (index_room): neither says how much it holds.
 * Its last page does: size its map from that once it is open. */
static int index_map(MDB_env *env, size_t want)
{
	MDB_envinfo info;
	MDB_stat st;
	size_t size;
	if (mdb_env_info(env, &info) || mdb_env_stat(env, &st))
		return 0;
	size = map_for((size_t)(info.me_last_pgno + 1) * st.ms_psize, want);
	return size > info.me_mapsize ? mdb_env_set_mapsize(env, size) : 0;
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
	 * MDB_NORDAHEAD: random page reads should not pull neighbours into RSS.
	 * The index env only, derived and rebuilt whenever it is not trusted:
	 * MDB_NOSYNC, and MDB_WRITEMAP (DESIGN §3 says to avoid it; here it
	 * saves a copy of every dirty page into the page cache at each commit,
	 * ~3 us of the store's CPU per article; docs/storage.md weighs it: the
	 * file becomes sparse and as long as the map, index_room reserves its
	 * blocks ahead, recovery is unchanged). The synced env keeps pwrite. */
	unsigned flags = MDB_NOTLS | MDB_NORDAHEAD | (env == ST_ENV_INDEX ? MDB_NOSYNC | MDB_WRITEMAP : 0);
	int rc, dead = 0;
	MDB_envinfo info;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return cr_err_from_errno(errno);
	rc = mdb_env_create(&db->env[env]);
	if (!rc)
		rc = mdb_env_set_maxdbs(db->env[env], ST_NDBI + 2);
	if (!rc)
		rc = mdb_env_set_mapsize(db->env[env],
					 env == ST_ENV_INDEX ? map_for(0, mapsize) : initial_map(dir, mapsize));
	if (!rc)
		rc = mdb_env_open(db->env[env], dir, flags, 0644);
	if (!rc && env == ST_ENV_INDEX) {
		db->ix_reserved = 0; /* a new file after an untrusted one */
		rc = index_map(db->env[env], mapsize);
	}
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
	/* kept open: st_db_trim reads it after every commit, and opening it
	 * each time was two more syscalls per commit */
	db->statm = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
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
	if (db->statm >= 0)
		close(db->statm);
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

/* With MDB_WRITEMAP, LMDB writes index pages through the map into a sparse
 * file: a page written into a hole on a full disk cannot fail like a write
 * call, the kernel kills the process (SIGBUS). So before each index txn the
 * blocks up to ROOM_AHEAD past the last page are reserved (fallocate, by
 * steps of ROOM_STEP; on a nearly full disk down to ROOM_MIN); when the disk
 * cannot give ROOM_MIN the txn is not begun (CR_EIO, not CR_ENOSPC, which
 * would grow the map): the writer retries later, as after any failed index
 * txn. One txn adds far less than ROOM_AHEAD (a catch-up chunk of 20,000
 * events dirties ~25 MB, a 50 ms batch a few MB). `ahead` past the last
 * page is wanted, `step` more is reserved with it. */
static cr_err index_room(st_db *db, off_t ahead, off_t step)
{
	MDB_env *env = db->env[ST_ENV_INDEX];
	MDB_envinfo info;
	MDB_stat st;
	off_t used, map;
	int fd;
	if (db->ix_noreserve || mdb_env_info(env, &info) || mdb_env_stat(env, &st) || mdb_env_get_fd(env, &fd))
		return CR_OK;
	used = (off_t)(info.me_last_pgno + 1) * (off_t)st.ms_psize;
	map = (off_t)info.me_mapsize;
	/* a nearly full disk: less ahead, down to ROOM_MIN, before giving up */
	for (off_t a = ahead;; a /= 2, step = 0) {
		off_t want = used + a < map ? used + a : map;
		if (want <= db->ix_reserved)
			return CR_OK;
		want = want + step < map ? want + step : map;
		if (fallocate(fd, 0, db->ix_reserved, want - db->ix_reserved) == 0) {
			db->ix_reserved = want;
			return CR_OK;
		}
		if (errno != ENOSPC && errno != EDQUOT) {
			db->ix_noreserve = 1; /* e.g. EOPNOTSUPP: write without the guard */
			cr_warn("index_reserve_unsupported", "err=\"%s\"", strerror(errno));
			return CR_OK;
		}
		if (a <= ROOM_MIN) {
			cr_error("index_no_room", "need=%lld err=\"%s\"", (long long)want, strerror(errno));
			return CR_EIO;
		}
	}
}

/* The synced env writes its pages with pwrite, mostly past the end of its
 * file (new pages): ext4 then reserves a block for each page at the write
 * (delayed allocation) and allocates them at the fdatasync. With blocks
 * reserved ahead past the end of file (fallocate, FALLOC_FL_KEEP_SIZE: the
 * file's size stays what LMDB wrote), the writes find them allocated.
 * Measured: synced commits of 34 store-shaped articles in a bare LMDB loop,
 * 7.3-7.8 instead of 8.0-8.9 us of CPU per article; the store's commit
 * phase (bench_store --inproc) ~1 us less. Only an optimisation: no reserve
 * on a disk that would keep less than MAIN_SPARE free (the index env's
 * reserve and a clean ENOSPC of the commit stay as they were), nor where
 * the file system cannot (tried once). Up to MAIN_AHEAD + MAIN_STEP past
 * the last page. */
static void main_room(st_db *db)
{
	MDB_env *env = db->env[ST_ENV_MAIN];
	MDB_envinfo info;
	MDB_stat st;
	struct statvfs vfs;
	off_t used, want;
	int fd;
	if (db->main_noreserve || mdb_env_info(env, &info) || mdb_env_stat(env, &st) || mdb_env_get_fd(env, &fd))
		return;
	used = (off_t)(info.me_last_pgno + 1) * (off_t)st.ms_psize;
	if (used + MAIN_AHEAD <= db->main_reserved)
		return;
	if (db->main_reserved < used) /* below the last page: written already */
		db->main_reserved = used;
	want = used + MAIN_AHEAD + MAIN_STEP;
	if (fstatvfs(fd, &vfs) ||
	    (unsigned long long)vfs.f_bavail * vfs.f_frsize < (unsigned long long)(want - db->main_reserved) + MAIN_SPARE)
		return;
	if (fallocate(fd, FALLOC_FL_KEEP_SIZE, db->main_reserved, want - db->main_reserved) == 0)
		db->main_reserved = want;
	else if (errno != ENOSPC && errno != EDQUOT)
		db->main_noreserve = 1;
}

cr_err st_db_write_begin(st_db *db, enum st_env env, MDB_txn **txn)
{
	int rc;
	cr_err err = env == ST_ENV_INDEX ? index_room(db, ROOM_AHEAD, ROOM_STEP) : CR_OK;
	if (env == ST_ENV_MAIN)
		main_room(db);
	if (err)
		return err;
	rc = mdb_txn_begin(db->env[env], NULL, 0, txn);
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

/* Shared (file-backed) resident bytes of this process, from statm (read
 * from offset 0 each time: procfs regenerates it); 0 when unreadable. */
static size_t file_resident(int fd)
{
	char buf[256];
	unsigned long size = 0, resident = 0, shared = 0;
	ssize_t n = fd >= 0 ? pread(fd, buf, sizeof buf - 1, 0) : -1;
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if (sscanf(buf, "%lu %lu %lu", &size, &resident, &shared) != 3)
		return 0;
	return (size_t)shared * (size_t)sysconf(_SC_PAGESIZE);
}

/* LMDB does not expose where it mapped a file (mdb_env_info's me_mapaddr is
 * only set with MDB_FIXEDMAP): find the mappings of our data files in
 * /proc/self/maps. */
int st_db_trim(st_db *db, size_t budget)
{
	char line[4096 + 128];
	FILE *f;
	int n = 0;

	if (file_resident(db->statm) <= budget || !(f = fopen("/proc/self/maps", "r")))
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
