/* Language identification on the hand-written set tests/data/lang/<iso>/:
 * every article-*.txt (600+ characters) must be identified; short-*.txt
 * (one sentence) accuracy is reported on INFO lines, not asserted. */
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
		closedir(dir);
	}
	closedir(top);
	T_CHECK(langs >= 12, "only %d languages", langs);
	printf("INFO lang articles: %d/%d identified, %d languages\n", articles_ok, articles, langs);
	printf("INFO lang short texts: %d/%d identified (%.0f%%), %d und\n", shorts_ok, shorts,
	       shorts ? 100.0 * shorts_ok / shorts : 0.0, shorts_und);
}

int main(void)
{
	T_RUN(test_lang_set);
	return t_done();
}
