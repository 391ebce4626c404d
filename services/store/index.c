/* Index key grammar and index writes (see index.h). */
#include "store/index.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define TOKENS_MAX 32

/* U+00C0..U+00FF folded to an ASCII letter ('_' = separator). */
static const char latin1_fold[64] = "aaaaaaaceeeeiiiidnooooo_ouuuuyts"
				    "aaaaaaaceeeeiiiidnooooo_ouuuuyty";

int st_index_code_ok(const char *code)
{
	size_t n;
	if (!code)
		return 0;
	n = strlen(code);
	if (n == 0 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (code[i] <= ' ' || code[i] == '|' || code[i] == 0x7f)
			return 0;
	return 1;
}

static int add_code(char codes[][ST_KEY_MAX], int n, const char *c)
{
	if (n >= ST_CODES_MAX || !st_index_code_ok(c))
		return n;
	for (int i = 0; i < n; i++)
		if (!strcmp(codes[i], c))
			return n;
	snprintf(codes[n], ST_KEY_MAX, "%s", c);
	return n + 1;
}

int st_index_codes(const Courant__Event *ev, char codes[][ST_KEY_MAX])
{
	int n = 0;
	for (size_t i = 0; i < ev->n_actor; i++)
		n = add_code(codes, n, ev->actor[i]);
	for (size_t i = 0; i < ev->n_recipient; i++)
		n = add_code(codes, n, ev->recipient[i]);
	return n;
}

int st_index_pair_key(const char *a, const char *b, char out[ST_KEY_MAX])
{
	if (!st_index_code_ok(a) || !st_index_code_ok(b))
		return -1;
	if (strcmp(a, b) > 0) {
		const char *t = a;
		a = b;
		b = t;
	}
	snprintf(out, ST_KEY_MAX, "%s|%s", a, b);
	return 0;
}

static int date_ok(const char *d)
{
	if (!d)
		return 0;
	for (int i = 0; i < 4; i++)
		if (!isdigit((unsigned char)d[i]))
			return 0;
	return 1;
}

void st_index_date_key(const Courant__Event *ev, const char *published, char out[ST_KEY_MAX])
{
	const char *d = date_ok(ev->date) ? ev->date : date_ok(published) ? published : NULL;
	size_t n = 0;
	out[0] = '\0';
	if (!d)
		return;
	/* keep digits and dashes only: "2021-03-30T10:00" -> "2021-03-30" */
	while (n < 10 && (isdigit((unsigned char)d[n]) || d[n] == '-'))
		n++;
	memcpy(out, d, n);
	out[n] = '\0';
}

int st_index_person_tokens(const char *name, char out[][ST_KEY_MAX], int max)
{
	const unsigned char *p = (const unsigned char *)(name ? name : "");
	char tok[ST_KEY_MAX];
	size_t tl = 0;
	int n = 0;

	for (;; p++) {
		int c = *p, sep = 0;
		if (c == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF) {
			c = latin1_fold[p[1] - 0x80];
			p++;
			sep = c == '_';
		} else if (c < 0x80) {
			sep = !isalnum(c);
			c = tolower(c);
		}
		if (sep || c == 0) {
			if (tl >= 2 && n < max) {
				tok[tl] = '\0';
				int dup = 0;
				for (int i = 0; i < n; i++)
					dup |= !strcmp(out[i], tok);
				if (!dup)
					memcpy(out[n++], tok, tl + 1);
			}
			tl = 0;
			if (*p == 0)
				break;
			continue;
		}
		if (tl < ST_KEY_MAX - 1)
			tok[tl++] = (char)c;
	}
	return n;
}

static cr_err put_seq(MDB_txn *txn, MDB_dbi dbi, const char *key, const unsigned char be[8])
{
	MDB_val k = {strlen(key), (void *)key}, v = {8, (void *)be};
	int rc;
	if (k.mv_size == 0)
		return CR_OK;
	rc = mdb_put(txn, dbi, &k, &v, MDB_NODUPDATA);
	return rc == MDB_KEYEXIST ? CR_OK : st_db_err(rc);
}

cr_err st_index_put(st_db *db, MDB_txn *txn, const Courant__Event *ev, const char *published,
		    uint64_t seq)
{
	char codes[ST_CODES_MAX][ST_KEY_MAX], key[ST_KEY_MAX];
	char toks[TOKENS_MAX][ST_KEY_MAX];
	unsigned char be[8];
	int n, nt = 0;
	cr_err err = CR_OK;

	st_be64_put(be, seq);
	n = st_index_codes(ev, codes);
	for (int i = 0; i < n && !err; i++)
		err = put_seq(txn, st_db_dbi(db, ST_IX_COUNTRY), codes[i], be);
	for (int i = 0; i < n && !err; i++)
		for (int j = i + 1; j < n && !err; j++)
			if (!st_index_pair_key(codes[i], codes[j], key))
				err = put_seq(txn, st_db_dbi(db, ST_IX_PAIR), key, be);
	if (!err && st_index_code_ok(ev->type))
		err = put_seq(txn, st_db_dbi(db, ST_IX_TYPE), ev->type, be);
	st_index_date_key(ev, published, key);
	if (!err)
		err = put_seq(txn, st_db_dbi(db, ST_IX_DATE), key, be);
	for (size_t i = 0; i < ev->n_persons && nt < TOKENS_MAX; i++) {
		char t[TOKENS_MAX][ST_KEY_MAX];
		int m = st_index_person_tokens(ev->persons[i], t, TOKENS_MAX - nt);
		for (int j = 0; j < m; j++) {
			int dup = 0;
			for (int k = 0; k < nt; k++)
				dup |= !strcmp(toks[k], t[j]);
			if (!dup)
				memcpy(toks[nt++], t[j], ST_KEY_MAX);
		}
	}
	for (int i = 0; i < nt && !err; i++)
		err = put_seq(txn, st_db_dbi(db, ST_IX_PERSON), toks[i], be);
	return err;
}
