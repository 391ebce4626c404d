/* LMDB environment of the store: open, named databases, map growth. */
#include "store/db.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/log.h"

/* LMDB's map size is address space, not disk (the file grows as pages are
 * written): start large so that growth, which stalls the writer and every
 * reader while it remaps, happens rarely or never. */
#define DEFAULT_MAP ((size_t)1 << 30)
#define MAX_MAP ((size_t)1 << 40)

struct st_db {
	MDB_env *env;
	MDB_dbi dbi[ST_NDBI];
	size_t mapsize;
	pthread_rwlock_t remap; /* readers share it; st_db_grow takes it exclusively */
};

static const struct {
	const char *name;
	unsigned flags;
} layout[ST_NDBI] = {
	[ST_ARTICLES] = {"articles", 0},
	[ST_URLS] = {"urls", 0},
	[ST_EVENTS] = {"events", 0},
	[ST_IX_COUNTRY] = {"ix_country", MDB_DUPSORT | MDB_DUPFIXED},
	[ST_IX_PAIR] = {"ix_pair", MDB_DUPSORT | MDB_DUPFIXED},
	[ST_IX_TYPE] = {"ix_type", MDB_DUPSORT | MDB_DUPFIXED},
	[ST_IX_DATE] = {"ix_date", MDB_DUPSORT | MDB_DUPFIXED},
	[ST_IX_PERSON] = {"ix_person", MDB_DUPSORT | MDB_DUPFIXED},
	[ST_DEAD] = {"dead", 0},
	[ST_DEAD_IDS] = {"dead_ids", 0},
	[ST_META] = {"meta", 0},
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

static cr_err open_dbis(st_db *db)
{
	MDB_txn *txn = NULL;
	int rc = mdb_txn_begin(db->env, NULL, 0, &txn);
	if (rc)
		return st_db_err(rc);
	for (int i = 0; i < ST_NDBI && !rc; i++)
		rc = mdb_dbi_open(txn, layout[i].name, layout[i].flags | MDB_CREATE, &db->dbi[i]);
	if (!rc) {
		MDB_val k = {6, "schema"}, v;
		uint32_t schema = 1;
		if (mdb_get(txn, db->dbi[ST_META], &k, &v) == MDB_NOTFOUND) {
			v.mv_size = sizeof schema;
			v.mv_data = &schema;
			rc = mdb_put(txn, db->dbi[ST_META], &k, &v, 0);
		}
	}
	if (rc) {
		mdb_txn_abort(txn);
		return st_db_err(rc);
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

cr_err st_db_open(st_db **out, const char *dir, size_t mapsize)
{
	st_db *db = calloc(1, sizeof *db);
	cr_err err = CR_ENOMEM;
	int rc, dead = 0;
	MDB_envinfo info;

	*out = NULL;
	if (!db)
		return CR_ENOMEM;
	pthread_rwlock_init(&db->remap, NULL);
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		err = cr_err_from_errno(errno);
		goto out;
	}
	rc = mdb_env_create(&db->env);
	if (!rc)
		rc = mdb_env_set_maxdbs(db->env, ST_NDBI + 2);
	if (!rc)
		rc = mdb_env_set_mapsize(db->env, initial_map(dir, mapsize));
	/* MDB_NOTLS: read txns are tied to our lock, not to thread-local slots */
	if (!rc)
		rc = mdb_env_open(db->env, dir, MDB_NOTLS, 0644);
	if (rc) {
		cr_error("db_open_failed", "dir=%s lmdb=\"%s\"", dir, mdb_strerror(rc));
		err = st_db_err(rc);
		goto out;
	}
	mdb_reader_check(db->env, &dead);
	if (dead)
		cr_info("stale_readers_cleared", "count=%d", dead);
	mdb_env_info(db->env, &info);
	db->mapsize = info.me_mapsize;
	err = open_dbis(db);
out:
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
	if (db->env)
		mdb_env_close(db->env);
	pthread_rwlock_destroy(&db->remap);
	free(db);
	*pdb = NULL;
}

MDB_env *st_db_env(st_db *db)
{
	return db->env;
}

MDB_dbi st_db_dbi(st_db *db, enum st_dbi which)
{
	return db->dbi[which];
}

size_t st_db_mapsize(st_db *db)
{
	return db->mapsize;
}

cr_err st_db_write_begin(st_db *db, MDB_txn **txn)
{
	int rc = mdb_txn_begin(db->env, NULL, 0, txn);
	if (rc == MDB_MAP_RESIZED) {
		pthread_rwlock_wrlock(&db->remap);
		mdb_env_set_mapsize(db->env, 0);
		pthread_rwlock_unlock(&db->remap);
		rc = mdb_txn_begin(db->env, NULL, 0, txn);
	}
	return st_db_err(rc);
}

cr_err st_db_commit(MDB_txn *txn)
{
	return st_db_err(mdb_txn_commit(txn));
}

cr_err st_db_grow(st_db *db)
{
	size_t next = db->mapsize * 2;
	int rc;
	MDB_envinfo info;

	if (next > MAX_MAP)
		return CR_ENOSPC;
	pthread_rwlock_wrlock(&db->remap);
	rc = mdb_env_set_mapsize(db->env, next);
	if (!rc) {
		mdb_env_info(db->env, &info);
		db->mapsize = info.me_mapsize;
	}
	pthread_rwlock_unlock(&db->remap);
	if (rc) {
		cr_error("map_grow_failed", "size=%zu lmdb=\"%s\"", next, mdb_strerror(rc));
		return st_db_err(rc);
	}
	cr_info("map_grown", "size=%zu", db->mapsize);
	return CR_OK;
}

cr_err st_db_read_begin(st_db *db, MDB_txn **txn)
{
	int rc;
	pthread_rwlock_rdlock(&db->remap);
	rc = mdb_txn_begin(db->env, NULL, MDB_RDONLY, txn);
	if (rc) {
		pthread_rwlock_unlock(&db->remap);
		*txn = NULL;
	}
	return st_db_err(rc);
}

void st_db_read_end(st_db *db, MDB_txn **txn)
{
	if (!*txn)
		return;
	mdb_txn_abort(*txn);
	*txn = NULL;
	pthread_rwlock_unlock(&db->remap);
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
