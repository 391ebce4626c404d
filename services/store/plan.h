/* Event filters answered from the indexes, never by scanning every event.
 * A plan is an AND of clauses, each clause an OR of index postings (a key of
 * one DUPSORT index, whose values are event sequences in ascending order):
 *   types      OR of ix_type keys          countries  OR of ix_country keys
 *   pair       one ix_pair key             person     one clause per name token
 *   date range OR of the ix_date keys overlapping [from, to]
 * st_plan_next() leapfrogs the clauses with MDB_GET_BOTH_RANGE seeks, so the
 * cost follows the size of the smallest clause, not of the event log. With no
 * clause the plan walks the events database itself from the cursor. */
#ifndef COURANT_STORE_PLAN_H
#define COURANT_STORE_PLAN_H

#include <stdint.h>
#include <lmdb.h>

#include "courant.pb-c.h"
#include "store/db.h"

#define ST_SEQ_END UINT64_MAX

typedef struct st_plan st_plan;

/* Build the plan of `q` inside the read txns `r` (indexes from r->index,
 * events from r->main). CR_EINVAL for a bad filter (e.g. pair without exactly
 * two codes); `why` then says which. The caller ignores sequences above the
 * events head of r->main: the index txn may be newer. */
cr_err st_plan_new(st_plan **out, st_db *db, const st_rtxn *r, const Courant__Query *q, char *why,
		   size_t whylen);
void st_plan_destroy(st_plan **p);

/* The smallest matching event sequence >= from, or ST_SEQ_END. */
uint64_t st_plan_next(st_plan *p, uint64_t from);

/* 1 when the event's date passes the plan's date filter (used only when the
 * date range spans too many keys to be an index clause). */
int st_plan_date_ok(const st_plan *p, const Courant__Event *ev, const char *published);
/* 1 when st_plan_date_ok must be applied to each candidate. */
int st_plan_needs_date_check(const st_plan *p);

/* 1 when `key` (a date of any precision) overlaps [from, to] ("" = open). */
int st_date_overlaps(const char *key, const char *from, const char *to);

#endif
