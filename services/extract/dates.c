/* Date expressions in French and English, absolute ("jeudi 25 septembre
 * 2025", "March 3, 2024", "2024-02-08"), ranges ("du 8 au 10 février 2024",
 * "les 30 et 31 mars derniers", "March 8-10") and relative ("mardi dernier",
 * "last week", "earlier this month", "juin prochain"), resolved against the
 * publication date. Precision follows the text: day, month or year. */
#include <stdlib.h>
#include <string.h>

#include "extract/doc.h"

static long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int cx_parse_published(const char *s, int *y, int *m, int *dd)
{
	*y = *m = *dd = 0;
	if (!s || strlen(s) < 10 || s[4] != '-' || s[7] != '-')
		return -1;
	*y = atoi(s);
	*m = atoi(s + 5);
	*dd = atoi(s + 8);
	if (*y < 1900 || *m < 1 || *m > 12 || *dd < 1 || *dd > 31) {
		*y = *m = *dd = 0;
		return -1;
	}
	return 0;
}

static int punct(const cx_doc *d, int i, char c)
{
	return i >= 0 && i < d->ntok && (d->toks[i].flags & TK_PUNCT) && d->toks[i].p == c;
}

static int cal(const cx_doc *d, int i, int kind)
{
	if (i >= d->ntok || (d->toks[i].flags & TK_SKIP))
		return -999;
	const cx_val *v = cx_word(d, i, G_CAL, kind);
	if (!v)
		return -999;
	/* English month names are capitalised ("may", "march" are also verbs) */
	if (kind == C_MONTH && v->lang == 2 && !(d->toks[i].flags & TK_CAP))
		return -999;
	return v->num;
}

static int day_num(const cx_doc *d, int i)
{
	if (!cx_is_word(d, i) || !(d->toks[i].flags & (TK_NUM | TK_ALNUM)))
		return 0;
	const char *f = cx_fold(d, i);
	char *e;
	long v = strtol(f, &e, 10);
	if (e - f > 2 || v < 1 || v > 31)
		return 0;
	if (*e && strcmp(e, "er") && strcmp(e, "re") && strcmp(e, "st") && strcmp(e, "nd") && strcmp(e, "rd") &&
	    strcmp(e, "th") && strcmp(e, "e"))
		return 0;
	return (int)v;
}

static int year_num(const cx_doc *d, int i)
{
	if (!cx_is_word(d, i) || !(d->toks[i].flags & TK_NUM) || d->toks[i].flen != 4)
		return 0;
	int v = atoi(cx_fold(d, i));
	return v >= 1900 && v <= 2100 ? v : 0;
}

/* Year for a month/day without one: the occurrence nearest before the
 * publication date, unless the text says "next" (or it is close ahead). */
static int pick_year(const cx_doc *d, int m, int dd, int rel)
{
	if (!d->py)
		return 0;
	long pub = days_from_civil(d->py, d->pm, d->pd);
	long t = days_from_civil(d->py, m, dd ? dd : 1);
	if (rel < 0 && t > pub)
		return d->py - 1;
	if (rel > 0 && t < pub - (dd ? 0 : 31))
		return d->py + 1;
	if (rel == 0 && t > pub + 92)
		return d->py - 1;
	return d->py;
}

static int rel_at(const cx_doc *d, int i)
{
	int r = cal(d, i, C_REL);
	return r == -999 ? 0 : r;
}

static int push(cx_doc *d, cx_date x)
{
	if (!x.y || cx_grow((void **)&d->dates, &d->capdate, d->ndate + 1, sizeof *d->dates))
		return 0;
	d->dates[d->ndate++] = x;
	return 1;
}

static void shift_days(const cx_doc *d, long delta, cx_date *x)
{
	civil_from_days(days_from_civil(d->py, d->pm, d->pd) + delta, &x->y, &x->m, &x->d);
}

/* day-first forms: "25 septembre 2025", "les 30 et 31 mars derniers", "du 8 au 10 février" */
static int day_first(cx_doc *d, int j, cx_date *x)
{
	int d1 = day_num(d, j), d2 = 0, k = j + 1;
	if (!d1)
		return -1;
	if ((cx_is(d, k, "et") || cx_is(d, k, "and") || cx_is(d, k, "au") || cx_is(d, k, "to") || punct(d, k, '-')) &&
	    day_num(d, k + 1)) {
		d2 = day_num(d, k + 1);
		k += 2;
	} else if (cx_is_word(d, k) && (d->toks[k].flags & TK_HYPH) && day_num(d, k)) {
		d2 = day_num(d, k);
		k++;
	}
	if (cx_is(d, k, "of"))
		k++;
	int m = cal(d, k, C_MONTH);
	if (m < 1)
		return -1;
	k++;
	/* "30 juin au 2 juillet 2024" */
	int m2 = m;
	if (!d2 && (cx_is(d, k, "au") || cx_is(d, k, "to") || punct(d, k, '-')) && day_num(d, k + 1) &&
	    cal(d, k + 2, C_MONTH) > 0) {
		d2 = day_num(d, k + 1);
		m2 = cal(d, k + 2, C_MONTH);
		k += 3;
	}
	if (punct(d, k, ',') && year_num(d, k + 1))
		k++;
	int y = year_num(d, k);
	if (y)
		k++;
	int rel = rel_at(d, k);
	if (rel)
		k++;
	if (!y)
		y = pick_year(d, m, d1, rel);
	*x = (cx_date){.y = y, .m = m, .d = d1};
	if (d2 && (m2 != m || d2 > d1))
		x->y2 = y + (m2 < m), x->m2 = m2, x->d2 = d2;
	return k;
}

/* month-first forms: "March 3, 2024", "March 8-10", "novembre 2023", "juin prochain" */
static int month_first(cx_doc *d, int j, cx_date *x)
{
	int m = cal(d, j, C_MONTH), k = j + 1;
	if (m < 1)
		return -1;
	int dd = day_num(d, k), d2 = 0;
	if (dd && !year_num(d, k)) {
		k++;
		if ((punct(d, k, '-') || cx_is(d, k, "to")) && day_num(d, k + 1))
			d2 = day_num(d, k + 1), k += 2;
		else if (cx_is_word(d, k) && (d->toks[k].flags & TK_HYPH) && day_num(d, k))
			d2 = day_num(d, k), k++;
		if (punct(d, k, ',') && year_num(d, k + 1))
			k++;
	} else {
		dd = 0;
	}
	int y = year_num(d, k);
	if (y)
		k++;
	int rel = rel_at(d, k);
	if (rel)
		k++;
	if (!y && !dd && !rel) {
		/* a bare month needs a preposition before it: "en mars", "in March", "mois de mars" */
		static const char *const before[] = {"en", "in", "de", "d", "since", "depuis", "early", "late",
		                                     "mid", "debut", "fin", NULL};
		if (!cx_is_any(d, j - 1, before))
			return -1;
	}
	if (!y)
		y = pick_year(d, m, dd, rel);
	*x = (cx_date){.y = y, .m = m, .d = dd};
	if (d2 > dd)
		x->y2 = y, x->m2 = m, x->d2 = d2;
	return k;
}

static void weekday_date(const cx_doc *d, int wd, int rel, cx_date *x)
{
	long pub = days_from_civil(d->py, d->pm, d->pd);
	int pwd = (int)(((pub % 7) + 7 + 3) % 7) + 1; /* 1970-01-01 was a Thursday (4) */
	long delta;
	if (rel > 0) {
		delta = (wd - pwd + 7) % 7;
		if (!delta)
			delta = 7;
	} else {
		delta = -((pwd - wd + 7) % 7);
		if (rel < 0 && !delta)
			delta = -7;
	}
	shift_days(d, delta, x);
}

/* "last week", "le mois dernier", "cette année", "earlier this month", "l'an dernier" */
static int relative(cx_doc *d, int j, cx_date *x)
{
	if (!d->py)
		return -1;
	int rel = -999, unit = 0, k = j, wd = -999;
	int r0 = cal(d, k, C_REL);
	if (r0 != -999) {
		int u = cal(d, k + 1, C_UNIT), w = cal(d, k + 1, C_WDAY), m = cal(d, k + 1, C_MONTH);
		if (u != -999)
			rel = r0, unit = u, k += 2;
		else if (w > 0)
			rel = r0, wd = w, k += 2;
		else if (m > 0 && r0) {
			*x = (cx_date){.y = r0 < 0 ? d->py - 1 + (m < d->pm) : d->py + (m <= d->pm), .m = m};
			return k + 2;
		}
	} else {
		int u = cal(d, k, C_UNIT), w = cal(d, k, C_WDAY);
		int r1 = cal(d, k + 1, C_REL);
		if (u != -999 && r1 != -999 && r1 != 0)
			rel = r1, unit = u, k += 2;
		else if (w > 0) {
			wd = w;
			rel = r1 != -999 ? r1 : 0;
			k += r1 != -999 ? 2 : 1;
		}
	}
	if (wd > 0) {
		weekday_date(d, wd, rel, x);
		return k;
	}
	if (rel == -999)
		return -1;
	x->y = d->py, x->m = 0, x->d = 0;
	if (unit == 'y') {
		x->y = d->py + rel;
	} else if (unit == 'm') {
		int mm = d->pm + rel, yy = d->py;
		if (mm < 1)
			mm += 12, yy--;
		if (mm > 12)
			mm -= 12, yy++;
		x->y = yy, x->m = mm;
	} else if (unit == 'w') {
		shift_days(d, 7L * rel, x);
		if (rel)
			x->d = 0; /* "last week": the month is as precise as we can be honestly */
	} else {
		return -1;
	}
	return k;
}

static int numeric(cx_doc *d, int j, cx_date *x)
{
	int y = year_num(d, j);
	if (y && cx_is_word(d, j + 2) && (d->toks[j + 1].flags & TK_HYPH) && (d->toks[j + 2].flags & TK_HYPH)) {
		int m = atoi(cx_fold(d, j + 1)), dd = day_num(d, j + 2);
		if (m >= 1 && m <= 12 && dd) {
			*x = (cx_date){.y = y, .m = m, .d = dd};
			return j + 3;
		}
	}
	if (day_num(d, j) && punct(d, j + 1, '/') && cx_is_word(d, j + 2) && punct(d, j + 3, '/') && year_num(d, j + 4)) {
		int a = day_num(d, j), b = atoi(cx_fold(d, j + 2));
		int m = d->lang == 2 && a <= 12 ? a : b, dd = d->lang == 2 && a <= 12 ? b : a;
		if (m >= 1 && m <= 12 && dd >= 1 && dd <= 31) {
			*x = (cx_date){.y = year_num(d, j + 4), .m = m, .d = dd};
			return j + 5;
		}
	}
	return -1;
}

static int parse_at(cx_doc *d, int i, cx_date *x)
{
	int k;
	if ((k = numeric(d, i, x)) > 0)
		return k;
	int j = i;
	if (cal(d, j, C_WDAY) > 0) {
		j++;
		if (punct(d, j, ','))
			j++;
		if (cx_is(d, j, "the") || cx_is(d, j, "le"))
			j++;
	}
	if ((k = day_first(d, j, x)) > 0 || (k = month_first(d, j, x)) > 0)
		return k;
	if ((k = relative(d, i, x)) > 0)
		return k;
	int dv = cal(d, i, C_DAY);
	if (dv != -999 && d->py) {
		shift_days(d, dv, x);
		return i + 1;
	}
	int y = year_num(d, i);
	static const char *const before[] = {"en", "in", "depuis", "since", "annee", "year", "of", "de", "an", NULL};
	if (y && (cx_is_any(d, i - 1, before) || punct(d, i - 1, ','))) {
		*x = (cx_date){.y = y};
		return i + 1;
	}
	return -1;
}

/* A date in the first line of the text that a dash or an agency name in
 * parentheses closes ("Dakar, 14 mars 2025 (APS) -", "DOHA, June 20 -") */
static int dateline(const cx_doc *d, int b, int e)
{
	int words = 0;
	for (int k = 0; k < b && words <= 8; k++)
		words += cx_is_word(d, k);
	if (words > 8 || d->toks[b].sent > 1)
		return 0;
	for (int k = e; k < d->ntok && k < e + 8; k++) {
		if (punct(d, k, '-') || punct(d, k, '('))
			return 1;
		if (cx_is_word(d, k) && !(d->toks[k].flags & (TK_CAP | TK_UPPER)))
			return 0;
	}
	return 0;
}

cr_err cx_find_dates(cx_doc *d)
{
	for (int i = 0; i < d->ntok; i++) {
		if (!(d->toks[i].flags & TK_WORD) || (d->toks[i].flags & TK_SKIP))
			continue;
		/* every form starts with a number or a calendar word */
		if (!(d->toks[i].flags & (TK_NUM | TK_ALNUM)) && !(d->toks[i].kinds & CX_CAL_KINDS))
			continue;
		cx_date x = {0};
		int k = parse_at(d, i, &x);
		if (k <= i)
			continue;
		x.tb = i;
		x.te = k;
		x.sent = d->toks[i].sent;
		x.dateline = dateline(d, i, k);
		push(d, x);
		i = k - 1;
	}
	return CR_OK;
}
