/* Index-driven event filter (see plan.h). */
#include "store/plan.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/index.h"

#define MAX_LEAVES 1024    /* index keys over all clauses */
#define MAX_CLAUSES 40
#define MAX_DATE_KEYS 512  /* wider date ranges are checked per candidate */
#define MAX_VALUES 64      /* types / countries per query */

struct leaf {
	enum st_dbi which; /* its cursor is cur[which] (dbi handles of the two envs may be equal) */
	char key[ST_KEY_MAX];
	uint64_t cur; /* smallest value >= the last seek, ST_SEQ_END when done */
	int fresh;    /* cur not computed yet */
};

struct clause {
	int first, n; /* leaves[first .. first+n) */
};

struct st_plan {
	MDB_txn *txn;  /* of the index env */
	MDB_txn *main; /* of the main env: events */
	MDB_dbi events;
	MDB_cursor *cur[ST_NDBI];
	st_db *db;
	struct leaf *leaves;
	int nleaves;
	struct clause clauses[MAX_CLAUSES];
	int nclauses;
	int date_check;
	char from[ST_KEY_MAX], to[ST_KEY_MAX];
};

int st_date_overlaps(const char *key, const char *from, const char *to)
{
	size_t kl = strlen(key);
	if (!kl)
		return 0;
	if (from && *from) {
		size_t m = kl < strlen(from) ? kl : strlen(from);
		if (memcmp(key, from, m) < 0)
			return 0;
	}
	if (to && *to) {
		size_t m = kl < strlen(to) ? kl : strlen(to);
		if (memcmp(key, to, m) > 0)
			return 0;
	}
	return 1;
}

static int add_leaf(st_plan *p, enum st_dbi which, const char *key)
{
	struct leaf *l;
	if (p->nleaves >= MAX_LEAVES || !*key)
		return -1;
	l = &p->leaves[p->nleaves++];
	l->which = which;
	snprintf(l->key, sizeof l->key, "%s", key);
	l->fresh = 1;
	l->cur = 0;
	if (!p->cur[which] && mdb_cursor_open(p->txn, st_db_dbi(p->db, which), &p->cur[which]))
		return -1;
	return 0;
}

static struct clause *open_clause(st_plan *p)
{
	struct clause *c;
	if (p->nclauses >= MAX_CLAUSES)
		return NULL;
	c = &p->clauses[p->nclauses++];
	c->first = p->nleaves;
	c->n = 0;
	return c;
}

static void upcase(const char *in, char out[ST_KEY_MAX])
{
	size_t i = 0;
	for (; in[i] && i < ST_KEY_MAX - 1; i++)
		out[i] = (char)toupper((unsigned char)in[i]);
	out[i] = '\0';
}

static cr_err add_values(st_plan *p, enum st_dbi which, char **v, size_t n, const char *what,
			 char *why, size_t whylen)
{
	struct clause *c;
	char key[ST_KEY_MAX];
	if (!n)
		return CR_OK;
	if (n > MAX_VALUES || !(c = open_clause(p)))
		goto bad;
	for (size_t i = 0; i < n; i++) {
		if (!st_index_code_ok(v[i]))
			goto bad;
		upcase(v[i], key);
		if (add_leaf(p, which, key))
			goto bad;
		c->n++;
	}
	return CR_OK;
bad:
	snprintf(why, whylen, "bad or too many %s", what);
	return CR_EINVAL;
}

/* The ix_date keys overlapping the range become one OR clause, unless there
 * are too many: then each candidate's date is checked instead. */
static cr_err add_dates(st_plan *p, const char *from, const char *to)
{
	MDB_dbi dbi = st_db_dbi(p->db, ST_IX_DATE);
	MDB_cursor *c = NULL;
	MDB_val k = {0, NULL}, v;
	char key[ST_KEY_MAX], start[5] = "";
	struct clause *cl;
	int rc, n = 0, op = MDB_FIRST;

	snprintf(p->from, sizeof p->from, "%s", from ? from : "");
	snprintf(p->to, sizeof p->to, "%s", to ? to : "");
	if (!*p->from && !*p->to)
		return CR_OK;
	if (mdb_cursor_open(p->txn, dbi, &c))
		return CR_ESTORE;
	if (strlen(p->from) >= 4) {
		memcpy(start, p->from, 4);
		start[4] = '\0';
		k.mv_size = 4;
		k.mv_data = start;
		op = MDB_SET_RANGE;
	}
	cl = open_clause(p);
	for (rc = mdb_cursor_get(c, &k, &v, op); !rc && cl; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_NODUP)) {
		if (k.mv_size >= ST_KEY_MAX)
			continue;
		memcpy(key, k.mv_data, k.mv_size);
		key[k.mv_size] = '\0';
		if (*p->to && strncmp(key, p->to, 4) > 0)
			break;
		if (!st_date_overlaps(key, p->from, p->to))
			continue;
		if (++n > MAX_DATE_KEYS || add_leaf(p, ST_IX_DATE, key)) {
			/* too wide: drop the clause, check dates per candidate */
			p->nleaves = cl->first;
			p->nclauses--;
			p->date_check = 1;
			cl = NULL;
			break;
		}
		cl->n++;
	}
	mdb_cursor_close(c);
	return CR_OK; /* a clause left empty matches nothing */
}

static cr_err add_person(st_plan *p, const char *name)
{
	char toks[8][ST_KEY_MAX];
	int n = st_index_person_tokens(name, toks, 8);
	if (!n) { /* nothing searchable: match nothing */
		return open_clause(p) ? CR_OK : CR_EINVAL;
	}
	for (int i = 0; i < n; i++) {
		struct clause *c = open_clause(p);
		if (!c || add_leaf(p, ST_IX_PERSON, toks[i]))
			return CR_EINVAL;
		c->n = 1;
	}
	return CR_OK;
}

cr_err st_plan_new(st_plan **out, st_db *db, const st_rtxn *r, const Courant__Query *q, char *why,
		   size_t whylen)
{
	st_plan *p = calloc(1, sizeof *p);
	cr_err err = CR_ENOMEM;
	char key[ST_KEY_MAX], a[ST_KEY_MAX], b[ST_KEY_MAX];

	*out = NULL;
	if (!p || !(p->leaves = calloc(MAX_LEAVES, sizeof *p->leaves)))
		goto out;
	p->txn = r->index;
	p->main = r->main;
	p->db = db;
	p->events = st_db_dbi(db, ST_EVENTS);
	err = add_values(p, ST_IX_TYPE, q->types, q->n_types, "types", why, whylen);
	if (!err)
		err = add_values(p, ST_IX_COUNTRY, q->countries, q->n_countries, "countries", why, whylen);
	if (!err && q->n_pair) {
		struct clause *c = open_clause(p);
		err = CR_EINVAL;
		snprintf(why, whylen, "pair needs exactly two valid codes");
		if (c && q->n_pair == 2 && st_index_code_ok(q->pair[0]) && st_index_code_ok(q->pair[1])) {
			upcase(q->pair[0], a);
			upcase(q->pair[1], b);
			if (!st_index_pair_key(a, b, key) && !add_leaf(p, ST_IX_PAIR, key)) {
				c->n = 1;
				err = CR_OK;
			}
		}
	}
	if (!err && q->person && *q->person)
		err = add_person(p, q->person);
	if (!err)
		err = add_dates(p, q->date_from, q->date_to);
out:
	if (err)
		st_plan_destroy(&p);
	*out = p;
	return err;
}

void st_plan_destroy(st_plan **pp)
{
	st_plan *p = *pp;
	if (!p)
		return;
	for (int i = 0; i < ST_NDBI; i++)
		if (p->cur[i])
			mdb_cursor_close(p->cur[i]);
	free(p->leaves);
	free(p);
	*pp = NULL;
}

static uint64_t leaf_seek(st_plan *p, struct leaf *l, uint64_t from)
{
	unsigned char be[8];
	MDB_val k = {strlen(l->key), l->key}, v = {8, be};

	if (!l->fresh && l->cur >= from)
		return l->cur;
	l->fresh = 0;
	st_be64_put(be, from);
	if (mdb_cursor_get(p->cur[l->which], &k, &v, MDB_GET_BOTH_RANGE) || v.mv_size != 8)
		l->cur = ST_SEQ_END;
	else
		l->cur = st_be64_get(v.mv_data);
	return l->cur;
}

static uint64_t clause_seek(st_plan *p, const struct clause *c, uint64_t from)
{
	uint64_t best = ST_SEQ_END;
	for (int i = 0; i < c->n; i++) {
		uint64_t v = leaf_seek(p, &p->leaves[c->first + i], from);
		if (v < best)
			best = v;
	}
	return best;
}

static uint64_t scan_events(st_plan *p, uint64_t from)
{
	unsigned char be[8];
	MDB_val k = {8, be}, v;

	if (!p->cur[ST_EVENTS] && mdb_cursor_open(p->main, p->events, &p->cur[ST_EVENTS]))
		return ST_SEQ_END;
	st_be64_put(be, from);
	if (mdb_cursor_get(p->cur[ST_EVENTS], &k, &v, MDB_SET_RANGE) || k.mv_size != 8)
		return ST_SEQ_END;
	return st_be64_get(k.mv_data);
}

uint64_t st_plan_next(st_plan *p, uint64_t from)
{
	uint64_t cand = from;
	int changed = 1;

	if (!p->nclauses)
		return scan_events(p, from);
	while (changed) {
		changed = 0;
		for (int i = 0; i < p->nclauses; i++) {
			uint64_t v = clause_seek(p, &p->clauses[i], cand);
			if (v == ST_SEQ_END)
				return ST_SEQ_END;
			if (v > cand) {
				cand = v;
				changed = 1;
			}
		}
	}
	return cand;
}

int st_plan_needs_date_check(const st_plan *p)
{
	return p->date_check;
}

int st_plan_date_ok(const st_plan *p, const Courant__Event *ev, const char *published)
{
	char key[ST_KEY_MAX];
	if (!p->date_check)
		return 1;
	st_index_date_key(ev, published, key);
	return st_date_overlaps(key, p->from, p->to);
}
