/* The ingest journal on LMDB (see journal.h). Values read from LMDB are
 * copied before their transaction ends. A commit that fails for lack of
 * space aborts the whole group, so the journal never holds half a batch. */
#include "ingest/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "common/codec.h"
#include "common/log.h"
#include "ingest/canon.h"
#include "ingest/fresh.h"

struct ij_journal {
	MDB_env *env;
	MDB_dbi arts, ids, urls, hashes, meta, fkeys;
	fresh f;
	size_t f_max;          /* merge into the trees at this many fresh entries */
	char dir[512];
	size_t map, max;
	uint64_t next_seq;
	/* acknowledged seqs whose removal waits for the next commit (ij_done_later) */
	uint64_t *dseq;
	int *ddead;
	size_t nd, dcap;
	uint64_t d_since_us;   /* clock of the oldest one (ij_tick's) */
	uint64_t merge_after_us; /* no merge tried before (after one failed) */
	off_t reserved;        /* file bytes whose blocks are reserved (room()) */
	int noreserve;         /* the file system cannot (fallocate unsupported) */
	size_t full_need;      /* room() last refused this much: asked of all until given */
};

/* Fresh keys are merged into the trees past this many articles. */
#ifndef FRESH_MAX
#define FRESH_MAX 32768
#endif

/* Deferred done marks: at most this many, for at most this long. */
#define DEFER_MAX 8192
#define DEFER_US 1000000u

static void be64(uint64_t v, unsigned char k[8])
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		k[i] = (unsigned char)v;
}

static uint64_t from_be64(const unsigned char k[8])
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | k[i];
	return v;
}

static cr_err map_rc(int rc)
{
	switch (rc) {
	case MDB_SUCCESS: return CR_OK;
	case MDB_NOTFOUND: return CR_ENOTFOUND;
	case MDB_MAP_FULL: case ENOSPC: case EDQUOT: return CR_ENOSPC;
	case ENOMEM: return CR_ENOMEM;
	default: return CR_ESTORE;
	}
}

/* ---- fresh keys ----------------------------------------------------------
 * Why (issue 7): ids, urls and hashes are keyed by random bytes, so each
 * accepted article dirtied a leaf page in each of the three trees in its
 * synced commit, and LMDB writes every dirty page (with a pwrite of its own
 * when not next to another): more than half of ingest's CPU per article in
 * tests/bench/bench_ingest.c. An accepted article's keys are now written in
 * `fkeys` under its seq instead, so one commit's entries share a few leaf
 * pages, and kept in memory (read back from fkeys on open) where lookups
 * see them before the trees. Past FRESH_MAX articles, and at a clean close,
 * a merge moves them into the trees in key order (see "merging" below),
 * where each leaf page then takes many keys in one write, and empties
 * their fkeys records. Every one of these commits is synced: a key is
 * always in fkeys or in the trees, whenever a crash comes. A journal
 * written before fkeys existed opens as it was (its keys are all in the
 * trees), and one closed cleanly has an empty fkeys, so older builds read
 * it too. Memory: about 200 bytes per fresh article (7 MB at FRESH_MAX).
 * Pages written per article (bench_ingest, 20,000 articles, the record's
 * own ~1.3 included): 2.7 -> 1.4 on a new journal, 5.1 -> 2.9 on one that
 * holds 500,000 articles' keys. */

/* Read fkeys into memory (at open). A record that does not decode is
 * skipped (its keys no longer dedupe); 0 or an MDB/errno code. */
static int fk_load(ij_journal *j, MDB_txn *t)
{
	MDB_cursor *c;
	MDB_val k, v;
	int rc, bad = 0;
	fk_clear(&j->f);
	if ((rc = mdb_cursor_open(t, j->fkeys, &c)) != 0)
		return rc;
	while ((rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) == 0) {
		const unsigned char *p = v.mv_data;
		size_t idlen, ulen;
		if (k.mv_size != 8 || v.mv_size < 1 + 2 + 16 || (idlen = p[0]) + 1 + 2 + 16 > v.mv_size ||
		    (ulen = ((size_t)p[1 + idlen] << 8) | p[2 + idlen]) + idlen + 1 + 2 + 16 != v.mv_size ||
		    ulen > URL_KEY_MAX) {
			bad++;
			continue;
		}
		if ((rc = fk_add(&j->f, from_be64(k.mv_data), (const char *)p + 1, idlen, p + 3 + idlen, ulen,
				 p + 3 + idlen + ulen)) != 0)
			break;
	}
	mdb_cursor_close(c);
	if (bad)
		cr_warn("journal_fkeys_damaged", "records=%d", bad);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

static int env_open(ij_journal *j)
{
	MDB_txn *t = NULL;
	int rc, dead = 0;
	if ((rc = mdb_env_create(&j->env)) != 0)
		return rc;
	mdb_env_set_maxdbs(j->env, 8);
	mdb_env_set_mapsize(j->env, j->map);
	if ((rc = mdb_env_open(j->env, j->dir, 0, 0644)) != 0)
		goto fail;
	mdb_reader_check(j->env, &dead);
	if ((rc = mdb_txn_begin(j->env, NULL, 0, &t)) != 0)
		goto fail;
	if ((rc = mdb_dbi_open(t, "arts", MDB_CREATE, &j->arts)) || (rc = mdb_dbi_open(t, "ids", MDB_CREATE, &j->ids)) ||
	    (rc = mdb_dbi_open(t, "urls", MDB_CREATE, &j->urls)) ||
	    (rc = mdb_dbi_open(t, "hashes", MDB_CREATE, &j->hashes)) ||
	    (rc = mdb_dbi_open(t, "meta", MDB_CREATE, &j->meta)) ||
	    (rc = mdb_dbi_open(t, "fkeys", MDB_CREATE, &j->fkeys)) || (rc = fk_load(j, t))) {
		mdb_txn_abort(t);
		goto fail;
	}
	{
		MDB_val k = {8, "next_seq"}, v;
		j->next_seq = 1;
		if (mdb_get(t, j->meta, &k, &v) == 0 && v.mv_size == 8)
			j->next_seq = from_be64(v.mv_data);
	}
	if ((rc = mdb_txn_commit(t)) != 0)
		goto fail;
	return 0;
fail:
	mdb_env_close(j->env);
	j->env = NULL;
	return rc;
}

cr_err ij_open(const char *dir, size_t map_mb, size_t max_mb, ij_journal **out)
{
	ij_journal *j;
	int rc;
	*out = NULL;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return cr_err_from_errno(errno);
	if (!(j = calloc(1, sizeof *j)))
		return CR_ENOMEM;
	snprintf(j->dir, sizeof j->dir, "%s", dir);
	j->map = map_mb << 20;
	j->max = (max_mb < map_mb ? map_mb : max_mb) << 20;
	j->f_max = FRESH_MAX;
	if ((rc = env_open(j)) != 0) {
		cr_error("journal_open", "dir=%s err=\"%s\"", dir, mdb_strerror(rc));
		fk_free(&j->f);
		free(j);
		return map_rc(rc);
	}
	*out = j;
	return CR_OK;
}

void ij_close(ij_journal **pj)
{
	ij_journal *j = pj ? *pj : NULL;
	if (!j)
		return;
	ij_flush(j); /* a clean stop leaves no article to re-send */
	ij_merge(j); /* and an empty fkeys (older builds read the journal) */
	fk_free(&j->f);
	free(j->dseq);
	free(j->ddead);
	if (j->env)
		mdb_env_close(j->env);
	free(j);
	*pj = NULL;
}

/* After MDB_PANIC (a failed meta write) the environment must be reopened. */
static void recover(ij_journal *j, int rc)
{
	if (rc != MDB_PANIC && j->env)
		return;
	if (j->env)
		mdb_env_close(j->env);
	j->env = NULL;
	rc = env_open(j);
	cr_warn("journal_reopen", "ok=%d err=\"%s\"", rc == 0, rc ? mdb_strerror(rc) : "");
}

static int grow(ij_journal *j)
{
	if (j->map >= j->max)
		return 0;
	j->map = j->map * 2 > j->max ? j->max : j->map * 2;
	if (mdb_env_set_mapsize(j->env, j->map) != 0)
		return 0;
	cr_info("journal_grow", "map_mb=%zu", j->map >> 20);
	return 1;
}

/* Disk space for a transaction that adds up to `need` bytes to the file.
 * LMDB writes a run of new pages with one write call, and takes a short
 * write on a full disk for an I/O error (EIO): the batch would be refused
 * as "journal error" and the next, smaller one might fit. So the blocks up
 * to `need` past the last page are reserved first (fallocate, with
 * ROOM_STEP more when the disk has it), and a disk that cannot give them
 * refuses the batch as full (ENOSPC) before anything is written. Pages
 * reused from the free list are inside the file already. Once full, the
 * journal stays full for every batch until the space refused is there (a
 * small article does not slip in between a large one's refusals; sticky:
 * an accept's need). 0 or ENOSPC. */
#define ROOM_STEP ((off_t)8 << 20)

static int room(ij_journal *j, size_t need, int sticky)
{
	MDB_envinfo info;
	MDB_stat st;
	off_t want, map = (off_t)j->map;
	int fd;
	if (j->noreserve || mdb_env_info(j->env, &info) || mdb_env_stat(j->env, &st) || mdb_env_get_fd(j->env, &fd))
		return 0;
	if (need < j->full_need)
		need = j->full_need;
	want = (off_t)(info.me_last_pgno + 1) * (off_t)st.ms_psize + (off_t)need;
	if (want > map)
		want = map; /* past it: MDB_MAP_FULL, the map grows, room() again */
	if (want <= j->reserved) {
		j->full_need = 0;
		return 0;
	}
	for (off_t to = want + ROOM_STEP < map ? want + ROOM_STEP : map;; to = want) {
		if (fallocate(fd, 0, j->reserved, to - j->reserved) == 0) {
			j->reserved = to;
			j->full_need = 0;
			return 0;
		}
		if (errno != ENOSPC && errno != EDQUOT) {
			j->noreserve = 1; /* e.g. EOPNOTSUPP: write without the guard */
			cr_warn("journal_reserve_unsupported", "err=\"%s\"", strerror(errno));
			return 0;
		}
		if (to == want) {
			if (sticky)
				j->full_need = need;
			return ENOSPC;
		}
	}
}

static void url_key(const char *url, char *key, size_t *klen)
{
	char canon[4096];
	uint8_t h[16];
	*klen = 0;
	if (!url || !*url || ic_canon_url(url, canon, sizeof canon) != CR_OK)
		return;
	if (strlen(canon) <= URL_KEY_MAX) {
		*klen = strlen(canon);
		memcpy(key, canon, *klen);
		return;
	}
	ic_hash128(canon, strlen(canon), h);
	memcpy(key, "#h:", 3);
	memcpy(key + 3, h, 16);
	*klen = 19;
}

static int id_taken(MDB_txn *t, ij_journal *j, const char *id)
{
	MDB_val k = {strlen(id), (void *)id}, v;
	return fk_find(&j->f, K_ID, id, k.mv_size) || mdb_get(t, j->ids, &k, &v) == 0;
}

static void choose_id(MDB_txn *t, ij_journal *j, ij_sub *s)
{
	const char *want = s->in->id;
	if (want && *want && !id_taken(t, j, want)) {
		snprintf(s->id, sizeof s->id, "%s", want);
		return;
	}
	for (int k = 0;; k++) {
		if (want && *want)
			snprintf(s->id, sizeof s->id, "%.180s~%llu%s", want, (unsigned long long)s->seq, k ? "x" : "");
		else
			snprintf(s->id, sizeof s->id, "a%08llu%.*s", (unsigned long long)s->seq, k, "xxxxxxxx");
		if (!id_taken(t, j, s->id) || k >= 8)
			return;
	}
}

static int put_article(MDB_txn *t, ij_journal *j, ij_sub *s, uint64_t now_us)
{
	const Courant__Submit *in = s->in;
	Courant__Article a = COURANT__ARTICLE__INIT;
	unsigned char kb[8];
	MDB_val k = {8, kb}, v;
	int rc;
	a.version = CR_SCHEMA_VERSION;
	a.id = s->id;
	a.seq = s->seq;
	a.url = in->url;
	a.source = in->source;
	a.title = in->title;
	a.published = in->published;
	a.content_type = in->content_type;
	a.lang_hint = in->lang_hint;
	a.has_raw = 1;
	a.raw = in->text;
	a.has_submitted_us = 1;
	a.submitted_us = now_us;
	v.mv_size = protobuf_c_message_get_packed_size(&a.base);
	be64(s->seq, kb);
	if ((rc = mdb_put(t, j->arts, &k, &v, MDB_RESERVE)) != 0)
		return rc;
	protobuf_c_message_pack(&a.base, v.mv_data);
	return 0;
}

/* One submission inside the group transaction; MDB error code or 0. */
static int accept_one(MDB_txn *t, ij_journal *j, ij_sub *s, uint64_t now_us)
{
	char ukey[URL_KEY_MAX + 1];
	uint8_t h[16];
	unsigned char sb[8], rec[FK_REC_MAX];
	size_t ulen, idlen;
	MDB_val uk, hk = {16, h}, v, sk = {8, sb}, rv;
	const fkey *e = NULL;
	int rc;

	url_key(s->in->url, ukey, &ulen);
	uk.mv_size = ulen;
	uk.mv_data = ukey;
	ic_text_hash(s->in->text.data, s->in->text.len, h);
	/* the fresh keys, then the trees; the URL first */
	if ((ulen && ((e = fk_find(&j->f, K_URL, ukey, ulen)) || mdb_get(t, j->urls, &uk, &v) == 0)) ||
	    (e = fk_find(&j->f, K_HASH, h, 16)) || mdb_get(t, j->hashes, &hk, &v) == 0) {
		if (e) {
			v.mv_size = e->idlen;
			v.mv_data = j->f.text + e->off;
		}
		s->status = COURANT__SUBMIT_STATUS__DUPLICATE;
		snprintf(s->id, sizeof s->id, "%.*s", (int)v.mv_size, (const char *)v.mv_data);
		s->seq = 0;
		return 0;
	}
	s->seq = j->next_seq++;
	choose_id(t, j, s);
	s->status = COURANT__SUBMIT_STATUS__ACCEPTED;
	be64(s->seq, sb);
	idlen = strlen(s->id);
	rv.mv_size = fk_encode(rec, s->id, idlen, ukey, ulen, h);
	rv.mv_data = rec;
	if ((rc = mdb_put(t, j->fkeys, &sk, &rv, 0)) != 0 ||
	    (rc = fk_add(&j->f, s->seq, s->id, idlen, ukey, ulen, h)) != 0)
		return rc;
	return put_article(t, j, s, now_us);
}

static int done_in(MDB_txn *t, ij_journal *j, const uint64_t *seqs, const int *dead, size_t n);

/* One synced transaction: the deferred done marks (with_done), then the
 * batch. Riding along costs the marks no sync of their own. */
static int accept_txn(ij_journal *j, ij_sub *subs, size_t n, uint64_t now_us, int with_done)
{
	MDB_txn *t;
	unsigned char sb[8];
	MDB_val k = {8, "next_seq"}, v = {8, sb};
	uint64_t seq0 = j->next_seq;
	size_t fn0 = j->f.n, ft0 = j->f.tlen, need = 256 << 10;
	int rc;
	for (size_t i = 0; i < n; i++) /* the record, twice over for the trees' share */
		if (!subs[i].decided)
			need += 2 * (subs[i].in->text.len + 2048);
	if ((rc = room(j, need, 1)) != 0 || (rc = mdb_txn_begin(j->env, NULL, 0, &t)) != 0)
		return rc;
	j->f.nkilled = 0;
	if (with_done)
		rc = done_in(t, j, j->dseq, j->ddead, j->nd);
	for (size_t i = 0; i < n && rc == 0; i++)
		if (!subs[i].decided)
			rc = accept_one(t, j, &subs[i], now_us);
	if (rc == 0) {
		be64(j->next_seq, sb);
		rc = mdb_put(t, j->meta, &k, &v, 0);
	}
	if (rc == 0)
		rc = mdb_txn_commit(t);
	else
		mdb_txn_abort(t);
	if (rc != 0) {
		j->next_seq = seq0;
		fk_rollback(&j->f, fn0, ft0);
	} else {
		j->f.nkilled = 0;
		if (with_done)
			j->nd = 0;
	}
	return rc;
}

cr_err ij_accept(ij_journal *j, ij_sub *subs, size_t n, uint64_t now_us)
{
	int rc = j->env ? 0 : MDB_PANIC;
	if (!j->env)
		recover(j, rc);
	if (j->env) {
		rc = accept_txn(j, subs, n, now_us, 1);
		while (rc == MDB_MAP_FULL && grow(j))
			rc = accept_txn(j, subs, n, now_us, 1);
		/* a full disk: the marks alone free space, as when they were
		 * committed first; then the batch gets its one more try */
		if (rc != 0 && j->nd && ij_flush(j) == CR_OK)
			rc = accept_txn(j, subs, n, now_us, 0);
	}
	if (rc != 0) {
		cr_err e = map_rc(rc);
		recover(j, rc);
		cr_warn("journal_refuse", "n=%zu err=\"%s\"", n, j->env ? mdb_strerror(rc) : "closed");
		for (size_t i = 0; i < n; i++) {
			if (subs[i].decided)
				continue;
			subs[i].status = COURANT__SUBMIT_STATUS__REFUSED;
			subs[i].id[0] = '\0';
			subs[i].seq = 0;
			snprintf(subs[i].reason, sizeof subs[i].reason, "%s",
				 e == CR_ENOSPC ? "journal full: no space left" : "journal error: try again later");
			subs[i].decided = 1;
		}
		return e == CR_ENOSPC ? CR_ENOSPC : CR_ESTORE;
	}
	for (size_t i = 0; i < n; i++)
		subs[i].decided = 1;
	return CR_OK;
}

cr_err ij_fetch(ij_journal *j, uint64_t seq, cr_buf *out)
{
	MDB_txn *t;
	unsigned char kb[8];
	MDB_val k = {8, kb}, v;
	cr_err e;
	int rc;
	if (!j->env)
		return CR_ESTORE;
	be64(seq, kb);
	if ((rc = mdb_txn_begin(j->env, NULL, MDB_RDONLY, &t)) != 0)
		return map_rc(rc);
	rc = mdb_get(t, j->arts, &k, &v);
	cr_buf_reset(out);
	e = rc ? map_rc(rc) : cr_buf_append(out, v.mv_data, v.mv_size);
	mdb_txn_abort(t);
	return e;
}

/* Remove a dead article's dedup keys, when they still point to it. */
static void forget_keys(MDB_txn *t, ij_journal *j, const MDB_val *art)
{
	Courant__Article *a = courant__article__unpack(NULL, art->mv_size, art->mv_data);
	char ukey[URL_KEY_MAX + 1];
	uint8_t h[16];
	size_t ulen;
	MDB_val uk, hk = {16, h}, ik, v;
	if (!a)
		return;
	url_key(a->url, ukey, &ulen);
	uk.mv_size = ulen;
	uk.mv_data = ukey;
	ic_text_hash(a->raw.data, a->raw.len, h);
	ik.mv_size = strlen(a->id);
	ik.mv_data = a->id;
	if (ulen && mdb_get(t, j->urls, &uk, &v) == 0 && v.mv_size == ik.mv_size && !memcmp(v.mv_data, a->id, v.mv_size))
		mdb_del(t, j->urls, &uk, NULL);
	if (mdb_get(t, j->hashes, &hk, &v) == 0 && v.mv_size == ik.mv_size && !memcmp(v.mv_data, a->id, v.mv_size))
		mdb_del(t, j->hashes, &hk, NULL);
	mdb_del(t, j->ids, &ik, NULL);
	courant__article__free_unpacked(a, NULL);
}

/* Remove acknowledged articles in transaction t (absent seqs are skipped). */
static int done_in(MDB_txn *t, ij_journal *j, const uint64_t *seqs, const int *dead, size_t n)
{
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		unsigned char kb[8];
		MDB_val k = {8, kb}, v;
		be64(seqs[i], kb);
		/* only a dead one's record is read (for its keys); a stored one
		 * is deleted in one descent */
		if (dead[i] && mdb_get(t, j->arts, &k, &v) != 0)
			continue;
		if (dead[i]) {
			/* its keys are fresh (in fkeys and in memory) or in the trees */
			fkey *e = fk_by_seq(&j->f, seqs[i]);
			/* (or both, while a merge moves them: then from both) */
			if (!e || (size_t)(e - j->f.e) < j->f.mg_n)
				forget_keys(t, j, &v);
			if (e && !e->dead &&
			    ((rc = fk_kill(&j->f, e)) != 0 ||
			     ((rc = mdb_del(t, j->fkeys, &k, NULL)) != 0 && rc != MDB_NOTFOUND)))
				break;
			rc = 0;
		}
		if ((rc = mdb_del(t, j->arts, &k, NULL)) == MDB_NOTFOUND)
			rc = 0;
	}
	return rc;
}

cr_err ij_done(ij_journal *j, const uint64_t *seqs, const int *dead, size_t n)
{
	MDB_txn *t;
	size_t fn0, ft0;
	int rc;
	if (!j->env)
		return CR_ESTORE;
	fn0 = j->f.n;
	ft0 = j->f.tlen;
	/* tried even without room: removing is what frees space */
	room(j, (256 << 10) + 2048 * n, 0);
	if ((rc = mdb_txn_begin(j->env, NULL, 0, &t)) != 0)
		return map_rc(rc);
	j->f.nkilled = 0;
	if ((rc = done_in(t, j, seqs, dead, n)) == 0)
		rc = mdb_txn_commit(t);
	else
		mdb_txn_abort(t);
	if (rc)
		fk_rollback(&j->f, fn0, ft0);
	j->f.nkilled = 0;
	if (rc == MDB_MAP_FULL)
		grow(j);
	recover(j, rc);
	return map_rc(rc);
}

/* Why a done mark may wait (issue 7: one synced commit per group instead of
 * two). Losing one costs nothing but a re-send: after a crash (of the
 * process, or of the OS before the next sync) the article is still pending
 * in the journal, ingest re-sends it on start, the store, idempotent by id,
 * answers DUPLICATE_STORED (or dead-letters it again: re-sends after a lost
 * ack already do the same) and this mark is made again. That is exactly
 * the state of an ingest killed between the store's ack and ij_done, which
 * the fault tests cover. The marks are not written with MDB_NOSYNC: in
 * LMDB 0.9 a NOSYNC commit writes its meta page unsynced, and an OS crash
 * that persists that meta page before the pages it points to corrupts the
 * environment, accepted articles included. Riding in the next (synced)
 * accept transaction saves the same syncs with no such window. */
cr_err ij_done_later(ij_journal *j, const uint64_t *seqs, const int *dead, size_t n, uint64_t now_us)
{
	if (j->nd + n > j->dcap) {
		size_t nc = j->dcap ? j->dcap : 512;
		uint64_t *a;
		int *b;
		while (nc < j->nd + n)
			nc *= 2;
		if (!(a = realloc(j->dseq, nc * sizeof *a)))
			return ij_done(j, seqs, dead, n);
		j->dseq = a;
		if (!(b = realloc(j->ddead, nc * sizeof *b)))
			return ij_done(j, seqs, dead, n);
		j->ddead = b;
		j->dcap = nc;
	}
	if (!j->nd)
		j->d_since_us = now_us;
	memcpy(j->dseq + j->nd, seqs, n * sizeof *seqs);
	memcpy(j->ddead + j->nd, dead, n * sizeof *dead);
	j->nd += n;
	if (j->nd >= DEFER_MAX)
		ij_flush(j); /* kept on failure, tried again later */
	return CR_OK;
}

cr_err ij_flush(ij_journal *j)
{
	cr_err e;
	if (!j->nd)
		return CR_OK;
	if ((e = ij_done(j, j->dseq, j->ddead, j->nd)) == CR_OK)
		j->nd = 0;
	return e;
}

/* ---- merging fresh keys into the trees -----------------------------------
 * A merge moves the first mg_n fresh entries (frozen when it starts; newer
 * ones wait for the next merge) into ids, urls and hashes in steps of
 * MERGE_STEP keys, each its own synced transaction: one kind of key at a
 * time, in key order, so that a step's keys share the leaf pages of one
 * key range (one big transaction would write the same pages, but stall
 * ingest for its whole length on a large journal). The last step deletes
 * those entries' fkeys records. Until then they stay fresh too: a key
 * found in both places names the same article; a dead one is removed from
 * both (done_in); a crash leaves them all in fkeys, to be merged again
 * (the puts are idempotent). */
#ifndef MERGE_STEP
#define MERGE_STEP 2048
#endif

/* One step of the merge under way; 0 or an MDB/errno code. */
static int merge_step(ij_journal *j)
{
	fresh *f = &j->f;
	MDB_txn *t;
	int rc, last = f->mg_kind > K_HASH;
	size_t end = f->mg_pos + MERGE_STEP < f->mg_n ? f->mg_pos + MERGE_STEP : f->mg_n;
	if ((rc = room(j, last ? (256 << 10) : (256 << 10) + 3 * 4096 * (end - f->mg_pos), 0)) != 0 ||
	    (rc = mdb_txn_begin(j->env, NULL, 0, &t)) != 0)
		return rc;
	if (last) { /* the frozen entries' fkeys records: the first ones */
		MDB_cursor *c;
		MDB_val k, v;
		uint64_t upto = f->e[f->mg_n - 1].seq;
		if ((rc = mdb_cursor_open(t, j->fkeys, &c)) == 0) {
			while ((rc = mdb_cursor_get(c, &k, &v, MDB_FIRST)) == 0 &&
			       (k.mv_size != 8 || from_be64(k.mv_data) <= upto))
				if ((rc = mdb_cursor_del(c, 0)) != 0)
					break;
			mdb_cursor_close(c);
			if (rc == MDB_NOTFOUND || rc == 0)
				rc = 0;
		}
	}
	if (!last) {
		/* one cursor: a key in the leaf page it stands on (the next in
		 * key order, mostly) is put without a descent from the root */
		MDB_cursor *c;
		MDB_dbi db = f->mg_kind == K_ID ? j->ids : f->mg_kind == K_URL ? j->urls : j->hashes;
		if ((rc = mdb_cursor_open(t, db, &c)) == 0) {
			for (size_t i = f->mg_pos; i < end && rc == 0; i++) {
				const fkey *e = &f->e[f->mg_order[i]];
				unsigned char sb[8];
				MDB_val ik = {e->idlen, f->text + e->off}, sv = {8, sb}, k, *val = &ik;
				if (e->dead || (f->mg_kind == K_URL && !e->ulen))
					continue;
				k.mv_data = (void *)fk_key(f, e, f->mg_kind, &k.mv_size);
				if (f->mg_kind == K_ID) {
					be64(e->seq, sb);
					val = &sv;
				}
				rc = mdb_cursor_put(c, &k, val, 0);
			}
			mdb_cursor_close(c);
		}
	}
	if (rc == 0)
		rc = mdb_txn_commit(t);
	else
		mdb_txn_abort(t);
	if (rc != 0)
		return rc;
	if (last) {
		mg_finish(f);
	} else if ((f->mg_pos = end) == f->mg_n && ++f->mg_kind <= K_HASH) {
		mg_sort(f);
	}
	return 0;
}

static double mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* One step (or, with all, every step) of a merge; MDB/errno code or 0. */
static int merge_run(ij_journal *j, int all)
{
	int rc = 0;
	do {
		double t0 = mono_ms();
		unsigned kind = j->f.mg_kind;
		size_t pos = j->f.mg_pos;
		rc = merge_step(j);
		while (rc == MDB_MAP_FULL && grow(j))
			rc = merge_step(j);
		if (rc == 0)
			cr_debug("journal_merge_step", "kind=%u from=%zu ms=%.1f", kind, pos, mono_ms() - t0);
	} while (rc == 0 && all && j->f.mg_n);
	if (rc != 0) {
		cr_warn("journal_merge", "n=%zu err=\"%s\"", j->f.mg_n, mdb_strerror(rc));
		recover(j, rc);
	}
	return rc;
}

void ij_tick(ij_journal *j, uint64_t now_us)
{
	if (j->nd && now_us - j->d_since_us >= DEFER_US)
		ij_flush(j);
	if (!j->env || now_us < j->merge_after_us)
		return;
	if (j->f.n >= j->f_max && merge_start(&j->f) != 0)
		j->merge_after_us = now_us + DEFER_US;
	else if (j->f.mg_n && merge_run(j, 0) != 0)
		j->merge_after_us = now_us + DEFER_US; /* a full disk: not on every loop */
}

void ij_set_merge_at(ij_journal *j, size_t n)
{
	j->f_max = n ? n : 1;
}

cr_err ij_merge(ij_journal *j)
{
	int rc;
	if (!j->env)
		return CR_ESTORE;
	if (j->f.mg_n) /* finish the one under way, then take the rest */
		if ((rc = merge_run(j, 1)) != 0)
			return map_rc(rc);
	if ((rc = merge_start(&j->f)) != 0 || (j->f.mg_n && (rc = merge_run(j, 1)) != 0))
		return map_rc(rc);
	return CR_OK;
}

cr_err ij_each_pending(ij_journal *j, void (*fn)(void *ctx, uint64_t seq, const char *id), void *ctx)
{
	MDB_txn *t;
	MDB_cursor *c;
	MDB_val k, v;
	int rc;
	if (!j->env)
		return CR_ESTORE;
	if ((rc = mdb_txn_begin(j->env, NULL, MDB_RDONLY, &t)) != 0)
		return map_rc(rc);
	if ((rc = mdb_cursor_open(t, j->arts, &c)) != 0) {
		mdb_txn_abort(t);
		return map_rc(rc);
	}
	while (mdb_cursor_get(c, &k, &v, MDB_NEXT) == 0) {
		Courant__Article *a;
		if (k.mv_size != 8)
			continue;
		a = courant__article__unpack(NULL, v.mv_size, v.mv_data);
		fn(ctx, from_be64(k.mv_data), a && a->id ? a->id : "?");
		if (a)
			courant__article__free_unpacked(a, NULL);
	}
	mdb_cursor_close(c);
	mdb_txn_abort(t);
	return CR_OK;
}

size_t ij_pending_count(ij_journal *j)
{
	MDB_txn *t;
	MDB_stat st;
	size_t n = 0;
	if (!j->env || mdb_txn_begin(j->env, NULL, MDB_RDONLY, &t) != 0)
		return 0;
	if (mdb_stat(t, j->arts, &st) == 0)
		n = st.ms_entries;
	mdb_txn_abort(t);
	return n > j->nd ? n - j->nd : 0; /* deferred marks count as done */
}
