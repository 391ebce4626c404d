/* ingest's journal: its own LMDB environment under <data>/ingest/. An
 * accepted article is durable here before its submitter hears "accepted",
 * and stays until the store acknowledges it (stored or dead-lettered).
 * Databases: arts (seq -> packed Article, i.e. the pending set), ids
 * (id -> seq), urls (canonical URL -> id), hashes (text hash -> id), meta,
 * and fkeys (seq -> the id, URL key and text hash of an article accepted
 * since the last merge into ids/urls/hashes: see journal.c, fresh keys).
 * Single-threaded: only the ingest loop touches it. */
#ifndef COURANT_INGEST_JOURNAL_H
#define COURANT_INGEST_JOURNAL_H

#include <stddef.h>
#include <stdint.h>
#include "courant.pb-c.h"
#include "common/buf.h"
#include "common/err.h"

typedef struct ij_journal ij_journal;

/* One submission in a group commit. ij_accept() fills status/id/seq/reason. */
typedef struct ij_sub {
	const Courant__Submit *in;
	Courant__SubmitStatus status;
	int decided;                /* set: status is final, skip this one */
	char id[256];
	uint64_t seq;
	char reason[160];
} ij_sub;

/* Open (creating) the journal in `dir`; the map starts at map_mb and grows
 * on MDB_MAP_FULL up to max_mb. */
cr_err ij_open(const char *dir, size_t map_mb, size_t max_mb, ij_journal **out);
void ij_close(ij_journal **j);

/* Dedupe, assign ids and sequence numbers and journal every undecided
 * submission in one transaction. On a full disk or map every undecided one
 * is REFUSED with reason "journal full: no space left"; nothing is
 * half-written. Returns CR_ENOSPC in that case, CR_OK otherwise. */
cr_err ij_accept(ij_journal *j, ij_sub *subs, size_t n, uint64_t now_us);

/* Packed Article of a pending seq, copied into out. CR_ENOTFOUND if done. */
cr_err ij_fetch(ij_journal *j, uint64_t seq, cr_buf *out);

/* Forget acknowledged articles. dead[i] != 0 also frees their dedup keys,
 * so that a dead-lettered article can be submitted again. */
cr_err ij_done(ij_journal *j, const uint64_t *seqs, const int *dead, size_t n);

/* The same, deferred: the marks are committed with the next ij_accept
 * transaction, or by ij_flush / ij_tick / ij_close, or at once past 8192 of
 * them (see journal.c for why losing them in a crash is harmless). The
 * caller forgets the articles at once; after a crash they are pending again
 * and re-sent. now_us: the clock ij_tick is given. CR_OK once the marks
 * are kept (or, short of memory, committed at once). */
cr_err ij_done_later(ij_journal *j, const uint64_t *seqs, const int *dead, size_t n, uint64_t now_us);
/* Commit the deferred marks now (synced). */
cr_err ij_flush(ij_journal *j);
/* Commit them if the oldest has waited a second or more. */
void ij_tick(ij_journal *j, uint64_t now_us);

/* Move every fresh dedup key into ids/urls/hashes now (synced commits of
 * up to 2048 keys). ij_tick starts a merge past 32768 fresh articles and
 * does one step of it per call; ij_close finishes it. */
cr_err ij_merge(ij_journal *j);

/* ij_tick starts a merge at this many fresh articles (32768; for tests). */
void ij_set_merge_at(ij_journal *j, size_t n);

/* Call fn for every pending article in seq order (resume after restart). */
cr_err ij_each_pending(ij_journal *j, void (*fn)(void *ctx, uint64_t seq, const char *id), void *ctx);

/* Number of pending articles. */
size_t ij_pending_count(ij_journal *j);

#endif
