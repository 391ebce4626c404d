/* Language identification on the hand-written set tests/data/lang/<iso>/:
 * every article-*.txt (600+ characters) must be identified; short-*.txt
 * (one sentence) accuracy is reported on INFO lines, not asserted. Long
 * texts are identified on a sample: all of a language's files joined must
 * be identified too, and so must every length of a text around the size
 * where sampling starts. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "normalize/normalize.h"

#define LANG_DIR "tests/data/lang"

static int articles, articles_ok, shorts, shorts_ok, shorts_und, langs;

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *p = malloc(1 << 16);
	*len = p ? fread(p, 1, (1 << 16) - 1, f) : 0;
	fclose(f);
	return p;
}

static int joined, joined_ok;

static void add_file(const char *path, char *all, size_t *len, size_t cap)
{
	size_t n;
	char *raw = slurp(path, &n);
	if (raw && *len + n + 2 < cap) {
		memcpy(all + *len, raw, n);
		*len += n;
		memcpy(all + *len, "\n\n", 2);
		*len += 2;
	}
	free(raw);
}

/* The language's files in one text; only texts long enough to be read as
 * a sample (over 1100 bytes) count. */
static void joined_files(const char *iso, DIR *dir)
{
	static char all[1 << 16];
	size_t len = 0;
	struct dirent *f;
	char path[1024];
	while ((f = readdir(dir)) != NULL)
		if (strstr(f->d_name, ".txt")) {
			snprintf(path, sizeof path, LANG_DIR "/%.200s/%.200s", iso, f->d_name);
			add_file(path, all, &len, sizeof all);
		}
	if (len < 1100)
		return;
	cn_input in = {all, len, "text/plain", NULL, NULL};
	cn_doc d;
	char why[128];
	cr_err e = cn_normalize(&in, &d, why, sizeof why);
	joined++;
	joined_ok += !e && strcmp(d.lang, iso) == 0;
	T_CHECK(!e && strcmp(d.lang, iso) == 0, "%s joined (%zu bytes): identified as %s", iso, len,
		e ? "error" : d.lang);
	if (!e)
		cn_doc_fini(&d);
}

static void one_file(const char *iso, const char *name)
{
	char path[1024];
	size_t len;
	snprintf(path, sizeof path, LANG_DIR "/%.200s/%.200s", iso, name);
	char *raw = slurp(path, &len);
	T_CHECK(raw != NULL, "cannot read %s", path);
	if (!raw)
		return;
	cn_input in = {raw, len, "text/plain", NULL, NULL};
	cn_doc d;
	char why[128];
	cr_err e = cn_normalize(&in, &d, why, sizeof why);
	const char *got = e ? "error" : d.lang;
	int ok = strcmp(got, iso) == 0;
	if (strncmp(name, "article", 7) == 0) {
		articles++;
		articles_ok += ok;
		T_CHECK(ok, "%s: identified as %s", path, got);
	} else {
		shorts++;
		shorts_ok += ok;
		shorts_und += strcmp(got, "und") == 0;
		if (!ok)
			printf("INFO lang short miss: %s -> %s\n", path, got);
	}
	if (!e)
		cn_doc_fini(&d);
	free(raw);
}

static void test_lang_set(void)
{
	DIR *top = opendir(LANG_DIR);
	T_CHECK(top != NULL, "no %s", LANG_DIR);
	if (!top)
		return;
	struct dirent *l;
	while ((l = readdir(top)) != NULL) {
		if (l->d_name[0] == '.')
			continue;
		char sub[512];
		snprintf(sub, sizeof sub, LANG_DIR "/%.200s", l->d_name);
		DIR *dir = opendir(sub);
		if (!dir)
			continue;
		langs++;
		struct dirent *f;
		while ((f = readdir(dir)) != NULL)
			if (strstr(f->d_name, ".txt"))
				one_file(l->d_name, f->d_name);
		rewinddir(dir);
		joined_files(l->d_name, dir);
		closedir(dir);
	}
	closedir(top);
	T_CHECK(langs >= 12, "only %d languages", langs);
	printf("INFO lang articles: %d/%d identified, %d languages\n", articles_ok, articles, langs);
	T_CHECK(joined >= 12, "only %d joined texts", joined);
	printf("INFO lang joined texts: %d/%d identified\n", joined_ok, joined);
	printf("INFO lang short texts: %d/%d identified (%.0f%%), %d und\n", shorts_ok, shorts,
	       shorts ? 100.0 * shorts_ok / shorts : 0.0, shorts_und);
}

/* French and English texts of every length from 900 to 1400 bytes: the
 * sample's cuts stay inside the text and keep the language. */
static void test_sample_edges(void)
{
	static const char *const sets[][2] = {{"fr", "article-1.txt"}, {"en", "article-1.txt"}};
	for (size_t k = 0; k < 2; k++) {
		char path[256], *all = calloc(1, 1 << 16);
		size_t len = 0, bad = 0;
		snprintf(path, sizeof path, LANG_DIR "/%s/%s", sets[k][0], sets[k][1]);
		while (all && len < 1400)
			add_file(path, all, &len, 1 << 16);
		for (size_t n = 900; all && n <= 1400; n += 3) {
			cn_input in = {all, n, "text/plain", NULL, NULL};
			cn_doc d;
			char why[128];
			if (cn_normalize(&in, &d, why, sizeof why) != CR_OK) {
				bad++;
				continue;
			}
			bad += strcmp(d.lang, sets[k][0]) != 0;
			cn_doc_fini(&d);
		}
		T_CHECK(all && bad == 0, "%s: %zu lengths misidentified", sets[k][0], bad);
		free(all);
	}
}

int main(void)
{
	T_RUN(test_lang_set);
	T_RUN(test_sample_edges);
	return t_done();
}
