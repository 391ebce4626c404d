/* Boilerplate table. Lines are compared after folding (lower case, accents
 * removed, leading bullets and arrows skipped), so one row covers "À lire
 * aussi", "A LIRE AUSSI" and "» À lire aussi :". A row applies only to
 * lines up to its length, so "Partager les responsabilités..." as a real
 * sentence is kept while "Partager sur Facebook" is not. */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "normalize/boiler.h"
#include "normalize/tb.h"

enum how { PREFIX, EXACT, CONTAINS };

#define LONGEST_ROW 400 /* no row applies to longer lines */

static const struct row {
	const char *pat; /* folded form */
	enum how how;
	unsigned short maxlen; /* in bytes of the original line */
	cn_bp kind;
} rows[] = {
	{"lire aussi", PREFIX, 300, CN_BP_DROP},
	{"a lire aussi", PREFIX, 300, CN_BP_DROP},
	{"a lire egalement", PREFIX, 300, CN_BP_DROP},
	{"lire egalement", PREFIX, 300, CN_BP_DROP},
	{"lire la suite", PREFIX, 200, CN_BP_DROP},
	{"voir aussi", PREFIX, 300, CN_BP_DROP},
	{"a voir aussi", PREFIX, 300, CN_BP_DROP},
	{"a voir egalement", PREFIX, 300, CN_BP_DROP},
	{"read also", PREFIX, 300, CN_BP_DROP},
	{"read more", PREFIX, 300, CN_BP_DROP},
	{"see also", PREFIX, 300, CN_BP_DROP},
	{"also read", PREFIX, 300, CN_BP_DROP},
	{"related", PREFIX, 120, CN_BP_DROP},
	{"partager", EXACT, 0, CN_BP_DROP},
	{"partager sur", PREFIX, 80, CN_BP_DROP},
	{"partager cet article", PREFIX, 80, CN_BP_DROP},
	{"partager l'article", PREFIX, 80, CN_BP_DROP},
	{"partager :", PREFIX, 80, CN_BP_DROP},
	{"partagez", PREFIX, 80, CN_BP_DROP},
	{"share", EXACT, 0, CN_BP_DROP},
	{"share on", PREFIX, 80, CN_BP_DROP},
	{"share this", PREFIX, 80, CN_BP_DROP},
	{"share via", PREFIX, 80, CN_BP_DROP},
	{"share article", PREFIX, 80, CN_BP_DROP},
	{"share :", PREFIX, 80, CN_BP_DROP},
	{"share:", PREFIX, 80, CN_BP_DROP},
	{"tweet", EXACT, 0, CN_BP_DROP},
	{"facebook", EXACT, 0, CN_BP_DROP},
	{"twitter", EXACT, 0, CN_BP_DROP},
	{"whatsapp", EXACT, 0, CN_BP_DROP},
	{"linkedin", EXACT, 0, CN_BP_DROP},
	{"telegram", EXACT, 0, CN_BP_DROP},
	{"pinterest", EXACT, 0, CN_BP_DROP},
	{"email", EXACT, 0, CN_BP_DROP},
	{"e-mail", EXACT, 0, CN_BP_DROP},
	{"imprimer", EXACT, 0, CN_BP_DROP},
	{"print", EXACT, 0, CN_BP_DROP},
	{"commentaires", EXACT, 0, CN_BP_DROP},
	{"comments", EXACT, 0, CN_BP_DROP},
	{"menu", EXACT, 0, CN_BP_DROP},
	{"accueil", EXACT, 0, CN_BP_DROP},
	{"home", EXACT, 0, CN_BP_DROP},
	{"rechercher", EXACT, 0, CN_BP_DROP},
	{"search", EXACT, 0, CN_BP_DROP},
	{"suivez-nous", PREFIX, 120, CN_BP_DROP},
	{"suivez nous", PREFIX, 120, CN_BP_DROP},
	{"follow us", PREFIX, 120, CN_BP_DROP},
	{"abonnez-vous", PREFIX, 200, CN_BP_DROP},
	{"inscrivez-vous", PREFIX, 200, CN_BP_DROP},
	{"subscribe", PREFIX, 200, CN_BP_DROP},
	{"sign up", PREFIX, 200, CN_BP_DROP},
	{"newsletter", PREFIX, 200, CN_BP_DROP},
	{"recevez notre newsletter", CONTAINS, 200, CN_BP_DROP},
	{"publicite", PREFIX, 40, CN_BP_DROP},
	{"advertisement", PREFIX, 40, CN_BP_DROP},
	{"sponsored", PREFIX, 60, CN_BP_DROP},
	{"contenu sponsorise", PREFIX, 60, CN_BP_DROP},
	{"ne sera pas publiee", CONTAINS, 300, CN_BP_DROP},
	{"will not be published", CONTAINS, 300, CN_BP_DROP},
	{"champs obligatoires", CONTAINS, 200, CN_BP_DROP},
	{"required fields are marked", CONTAINS, 200, CN_BP_DROP},
	{"cookies", CONTAINS, 400, CN_BP_DROP},
	{"captcha", CONTAINS, 300, CN_BP_DROP},
	{"je ne suis pas un robot", CONTAINS, 100, CN_BP_DROP},
	{"i'm not a robot", CONTAINS, 100, CN_BP_DROP},
	{"i am not a robot", CONTAINS, 100, CN_BP_DROP},
	{"tous droits reserves", CONTAINS, 200, CN_BP_DROP},
	{"all rights reserved", CONTAINS, 200, CN_BP_DROP},
	{"(c)", PREFIX, 120, CN_BP_DROP},
	{"copyright", PREFIX, 200, CN_BP_DROP},
	{"mots-cles", PREFIX, 300, CN_BP_DROP},
	{"mots cles", PREFIX, 300, CN_BP_DROP},
	{"tags", PREFIX, 300, CN_BP_DROP},
	{"cliquez ici", PREFIX, 150, CN_BP_DROP},
	{"click here", PREFIX, 150, CN_BP_DROP},
	{"retour en haut", PREFIX, 40, CN_BP_DROP},
	{"back to top", PREFIX, 40, CN_BP_DROP},
	{"publie le", PREFIX, 120, CN_BP_DROP},
	{"mis a jour le", PREFIX, 120, CN_BP_DROP},
	{"modifie le", PREFIX, 120, CN_BP_DROP},
	{"published on", PREFIX, 120, CN_BP_DROP},
	{"updated on", PREFIX, 120, CN_BP_DROP},
	{"last updated", PREFIX, 120, CN_BP_DROP},
	{"a lire", EXACT, 0, CN_BP_DROP},
	{"a lire :", PREFIX, 300, CN_BP_DROP},
	{"source :", PREFIX, 80, CN_BP_CREDIT},
	{"source:", PREFIX, 80, CN_BP_CREDIT},
	{"http://", PREFIX, 200, CN_BP_DROP},
	{"https://", PREFIX, 200, CN_BP_DROP},
	{"www.", PREFIX, 120, CN_BP_DROP},
	{"pic.twitter.com", PREFIX, 120, CN_BP_DROP},
	{"laisser un commentaire", PREFIX, 80, CN_BP_CUT},
	{"laissez un commentaire", PREFIX, 80, CN_BP_CUT},
	{"laisser une reponse", PREFIX, 80, CN_BP_CUT},
	{"ajouter un commentaire", PREFIX, 80, CN_BP_CUT},
	{"reagir a cet article", PREFIX, 80, CN_BP_CUT},
	{"leave a comment", PREFIX, 80, CN_BP_CUT},
	{"leave a reply", PREFIX, 80, CN_BP_CUT},
	{"add a comment", PREFIX, 80, CN_BP_CUT},
	{"articles similaires", PREFIX, 80, CN_BP_CUT},
	{"sur le meme sujet", PREFIX, 80, CN_BP_CUT},
	{"dans la meme rubrique", PREFIX, 80, CN_BP_CUT},
	{"vous aimerez aussi", PREFIX, 80, CN_BP_CUT},
	{"you may also like", PREFIX, 80, CN_BP_CUT},
	{"par ", PREFIX, 120, CN_BP_BYLINE},
	{"by ", PREFIX, 120, CN_BP_BYLINE},
	{"auteur", PREFIX, 120, CN_BP_BYLINE},
	{"author", PREFIX, 120, CN_BP_BYLINE},
	{"redige par", PREFIX, 120, CN_BP_BYLINE},
	{"ecrit par", PREFIX, 120, CN_BP_BYLINE},
	{"publie par", PREFIX, 120, CN_BP_BYLINE},
	{"written by", PREFIX, 120, CN_BP_BYLINE},
	{"posted by", PREFIX, 120, CN_BP_BYLINE},
	{"la redaction", EXACT, 0, CN_BP_CREDIT},
	{"avec afp", EXACT, 0, CN_BP_CREDIT},
	{"avec agences", EXACT, 0, CN_BP_CREDIT},
	{"(avec afp)", EXACT, 0, CN_BP_CREDIT},
	{"photo", PREFIX, 200, CN_BP_CREDIT},
	{"credit photo", PREFIX, 200, CN_BP_CREDIT},
	{"credits photo", PREFIX, 200, CN_BP_CREDIT},
	{"illustration :", PREFIX, 200, CN_BP_CREDIT},
	{"image :", PREFIX, 200, CN_BP_CREDIT},
};

/* Row numbers by the first character of their pattern, in table order
 * (by_first[first[c] .. first[c + 1]) for character c), and the CONTAINS
 * rows apart; built once. */
#define NROWS (sizeof rows / sizeof rows[0])
_Static_assert(NROWS < 256, "row numbers are kept in bytes");
static unsigned char by_first[NROWS], contains[NROWS], n_contains, row_len[NROWS];
static unsigned short first[257];
static pthread_once_t index_once = PTHREAD_ONCE_INIT;

static void build_index(void)
{
	unsigned short fill[256] = {0};
	for (size_t i = 0; i < NROWS; i++)
		if (rows[i].how != CONTAINS)
			first[(unsigned char)rows[i].pat[0] + 1]++;
	for (size_t c = 0; c < 256; c++) {
		first[c + 1] += first[c];
		fill[c] = first[c];
	}
	for (size_t i = 0; i < NROWS; i++) {
		row_len[i] = (unsigned char)strlen(rows[i].pat);
		if (rows[i].how == CONTAINS)
			contains[n_contains++] = (unsigned char)i;
		else
			by_first[fill[(unsigned char)rows[i].pat[0]]++] = (unsigned char)i;
	}
}

#define FOLD_MAX 160

/* Bytes to skip at the start of a line: bullets, arrows, quotes, markup
 * leftovers. */
static size_t lead_skip(const char *s, size_t n)
{
	static const char *const marks[] = {"\xC2\xBB", "\xE2\x80\xA2", "\xE2\x86\x92", "\xE2\x96\xBA",
					    "\xE2\x96\xB6", "\xE2\x96\xA0", "\xE2\x96\xB8", "\xE2\x9E\xA4"};
	size_t i = 0;
	for (;;) {
		if (i >= n)
			return i;
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			if (!c || !strchr(" -*>|[(#+=~_", c))
				return i; /* most lines: a letter */
			i++;
			continue;
		}
		if (c != 0xC2 && c != 0xE2)
			return i;
		size_t k;
		for (k = 0; k < sizeof marks / sizeof marks[0]; k++) {
			size_t ml = c == 0xC2 ? 2 : 3;
			if (n - i >= ml && memcmp(s + i, marks[k], ml) == 0) {
				i += ml;
				break;
			}
		}
		if (k == sizeof marks / sizeof marks[0])
			return i;
	}
}

/* Latin-1 supplement letters U+00C0..U+00FF without their accents. */
static const char latin1_base[64] = "aaaaaaaceeeeiiiidnooooo*ouuuuyts"
				    "aaaaaaaceeeeiiiidnooooo/ouuuuyty";

/* Folded copy of the line start from s[i] (lower case, Latin-1 accents
 * removed, "©" as "(c)"), at most FOLD_MAX - 3 characters (one more step
 * may add three); when `at` is not NULL, at[j] is the offset of f[j] in s.
 * Runs of ASCII are folded 8 bytes at a time. */
static size_t fold(const char *s, size_t n, size_t i, char *f, size_t *at)
{
	size_t j = 0;
	while (i < n && j + 3 < FOLD_MAX) {
		unsigned char c = (unsigned char)s[i];
		if (!at && i + 8 <= n && j + 3 + 8 <= FOLD_MAX) {
			uint64_t w = cn_word(s + i);
			if (!(w & CN_HIGHS)) { /* 8 ASCII bytes: 'A'..'Z' get 0x20 */
				uint64_t up = ((w + (0x80 - 'A') * CN_ONES) ^ (w + (0x7F - 'Z') * CN_ONES)) & CN_HIGHS;
				w |= up >> 2;
				memcpy(f + j, &w, 8);
				j += 8;
				i += 8;
				continue;
			}
		}
		if (at)
			at[j] = i;
		if (c < 0x80) {
			f[j++] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
			i++;
		} else if (c == 0xC3 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
			   (unsigned char)s[i + 1] < 0xC0) {
			f[j++] = latin1_base[(unsigned char)s[i + 1] - 0x80];
			i += 2;
		} else if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA9) {
			memcpy(f + j, "(c)", 3);
			if (at)
				at[j + 1] = at[j + 2] = i;
			j += 3;
			i += 2;
		} else {
			f[j++] = (char)c;
			i++;
		}
	}
	f[j] = 0;
	return j;
}

static int letter(char c)
{
	return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (unsigned char)c >= 0x80;
}

/* A PREFIX or EXACT row against the folded line (fn long; `bare` the same
 * without trailing " :.!"; n the original length). */
static int row_match(const struct row *r, const char *f, size_t fn, size_t bare, size_t n)
{
	size_t pl = row_len[r - rows];
	if (r->how == EXACT)
		return bare == pl && memcmp(f, r->pat, pl) == 0;
	return n <= r->maxlen && fn >= pl && memcmp(f, r->pat, pl) == 0 &&
	       (fn == pl || !letter(r->pat[pl - 1]) || !letter(f[pl]));
}

/* Words of a name: capitalised, a few particles allowed, 1 to 6 words. */
static int name_like(const char *s, size_t n)
{
	static const char *const particles[] = {"de", "du", "des", "d'", "la", "le", "van", "von", "der", "al", "el", "ben", "bin", "et", "and"};
	int words = 0;
	for (size_t i = 0; i < n;) {
		while (i < n && s[i] == ' ')
			i++;
		size_t w = i;
		while (i < n && s[i] != ' ')
			i++;
		if (i == w)
			break;
		words++;
		unsigned char c = (unsigned char)s[w];
		if ((c >= 'A' && c <= 'Z') || c == 0xC3 || c == 0xC5)
			continue;
		size_t k;
		for (k = 0; k < sizeof particles / sizeof particles[0]; k++)
			if (strlen(particles[k]) == i - w && memcmp(particles[k], s + w, i - w) == 0)
				break;
		if (k == sizeof particles / sizeof particles[0])
			return 0;
	}
	return words >= 1 && words <= 6;
}

/* The author part of "Par Jean Dupont, publié le 3 mars | Le Site". */
static int byline_name(const char *s, size_t n, size_t from, const char **meta, size_t *len)
{
	while (from < n && (s[from] == ' ' || s[from] == ':'))
		from++;
	static const char *const stops[] = {" - ", " le ", " on ", " publi", " Publi", " mis ", " updated",
					    " Updated", " \xC3\xA0 ", " at ", ",", "|", "("};
	size_t e = n;
	for (size_t k = 0; k < sizeof stops / sizeof stops[0]; k++) {
		const char *p = memmem(s + from, n - from, stops[k], strlen(stops[k]));
		if (p && (size_t)(p - s) < e)
			e = (size_t)(p - s);
	}
	while (e > from && (s[e - 1] == ' ' || s[e - 1] == '.'))
		e--;
	if (e == from || !name_like(s + from, e - from))
		return 0;
	*meta = s + from;
	*len = e - from;
	return 1;
}

/* A row that matched: does it decide? A byline row only with a name
 * after its pattern; byline and credit rows give the metadata. */
static int decides(const struct row *r, const char *line, size_t n, size_t lead, size_t fn, const char **meta,
		   size_t *meta_len)
{
	if (r->kind == CN_BP_BYLINE) {
		size_t pl = row_len[r - rows], from = n;
		if (pl < fn) { /* where the folded pattern ends in the line */
			char g[FOLD_MAX];
			size_t at[FOLD_MAX];
			fold(line, n, lead, g, at);
			from = at[pl];
		}
		return byline_name(line, n, from, meta, meta_len);
	}
	if (r->kind == CN_BP_CREDIT) {
		*meta = line + lead;
		*meta_len = n - lead;
	}
	return 1;
}

/* The table is read in order and the first row that matches (and
 * decides) wins. Two rows can both match a line only when one is a
 * CONTAINS row or when their patterns start with the same character, so
 * only the CONTAINS rows and the rows that start with the line's first
 * folded character are tried, in table order (a CONTAINS row always
 * decides: none is a byline row). */
cn_bp cn_boiler_classify(const char *line, size_t n, const char **meta, size_t *meta_len)
{
	char f[FOLD_MAX];
	*meta = NULL;
	*meta_len = 0;
	if (n > LONGEST_ROW)
		return CN_BP_TEXT;
	pthread_once(&index_once, build_index);
	size_t lead = lead_skip(line, n), fn = fold(line, n, lead, f, NULL), bare = fn;
	if (!fn)
		return CN_BP_TEXT;
	while (bare && strchr(" :.!", f[bare - 1]))
		bare--;
	const struct row *c = NULL; /* the first CONTAINS row that matches */
	for (size_t k = 0; k < n_contains && !c; k++) {
		const struct row *r = &rows[contains[k]];
		if (n <= r->maxlen && fn >= row_len[contains[k]] && strstr(f, r->pat))
			c = r;
	}
	unsigned char c0 = (unsigned char)f[0];
	for (size_t k = first[c0]; k < first[c0 + 1]; k++) {
		const struct row *r = &rows[by_first[k]];
		if (c && c < r)
			break; /* the CONTAINS row comes first */
		if (row_match(r, f, fn, bare, n) && decides(r, line, n, lead, fn, meta, meta_len))
			return r->kind;
	}
	if (c && decides(c, line, n, lead, fn, meta, meta_len))
		return c->kind;
	return CN_BP_TEXT;
}
