/* Unit tests for cli/input: JSON lines, pretty-printed objects and arrays,
 * news-please and trafilatura fields, plain files, directories, bad records. */
#include "t.h"
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli/input.h"

static char dir[64];

static void put(const char *name, const char *content)
{
	char p[256];
	FILE *f;
	snprintf(p, sizeof p, "%s/%s", dir, name);
	f = fopen(p, "w");
	if (!f)
		return;
	fputs(content, f);
	fclose(f);
}

/* Read every record of `path`; ids (or "!" for a bad record) joined by ','. */
static void read_ids(const char *path, char *out, size_t n)
{
	ci_reader *r;
	ci_article a;
	char why[256];
	cr_err e;
	out[0] = '\0';
	if (ci_open(path, &r) != CR_OK) {
		snprintf(out, n, "open failed");
		return;
	}
	while ((e = ci_next(r, &a, why, sizeof why)) != CR_ENOTFOUND) {
		size_t l = strlen(out);
		snprintf(out + l, n - l, "%s%s", l ? "," : "", e == CR_OK ? (a.id ? a.id : "-") : "!");
		ci_article_fini(&a);
	}
	ci_close(&r);
}

static void test_json_lines(void)
{
	char p[128], ids[256];
	put("a.jsonl", "{\"id\":\"a1\",\"text\":\"x\"}\n\n{\"id\":\"a2\",\"text\":\"y\",\"title\":null}\n{bad\n"
		       "{\"id\":\"a4\"}\n{\"id\":\"a5\",\"text\":\"z\"}\n");
	snprintf(p, sizeof p, "%s/a.jsonl", dir);
	read_ids(p, ids, sizeof ids);
	T_EQ_STR(ids, "a1,a2,!,!,a5");
}

static void test_pretty_object_and_array(void)
{
	char p[128], ids[256];
	put("b.json", "{\n  \"title\": \"T\",\n  \"maintext\": \"Le texte.\",\n  \"date_publish\": \"2022-06-07 10:00:00\",\n"
		      "  \"url\": \"http://ex.fr/1\", \"source_domain\": \"ex.fr\", \"language\": \"fr\"\n}\n");
	snprintf(p, sizeof p, "%s/b.json", dir);
	{
		ci_reader *r;
		ci_article a;
		char why[128];
		T_EQ_INT(ci_open(p, &r), CR_OK);
		T_EQ_INT(ci_next(r, &a, why, sizeof why), CR_OK);
		T_EQ_STR(a.text, "Le texte.");
		T_EQ_STR(a.published, "2022-06-07 10:00:00");
		T_EQ_STR(a.source, "ex.fr");
		T_EQ_STR(a.lang, "fr");
		T_OK(a.id == NULL);
		ci_article_fini(&a);
		T_EQ_INT(ci_next(r, &a, why, sizeof why), CR_ENOTFOUND);
		ci_close(&r);
	}
	put("c.json", "[\n {\"id\":\"c1\",\"text\":\"t\",\"hostname\":\"h\",\"date\":\"2020-01-01\"},\n 3,\n {\"id\":\"c3\",\"raw_text\":\"r\"}\n]\n");
	snprintf(p, sizeof p, "%s/c.json", dir);
	read_ids(p, ids, sizeof ids);
	T_EQ_STR(ids, "c1,!,c3");
}

static void test_plain_and_directory(void)
{
	char p[128], ids[256];
	ci_reader *r;
	ci_article a;
	char why[128];
	snprintf(p, sizeof p, "%s/sub", dir);
	mkdir(p, 0755);
	put("sub/z9.html", "<p>hello</p>");
	put("sub/m.md", "# Title\n\nBody");
	put("sub/.hidden.txt", "no");
	put("sub/skip.bin", "no");
	read_ids(dir, ids, sizeof ids);
	T_EQ_STR(ids, "a1,a2,!,!,a5,-,c1,!,c3,m,z9");
	snprintf(p, sizeof p, "%s/sub/z9.html", dir);
	T_EQ_INT(ci_open(p, &r), CR_OK);
	T_EQ_INT(ci_next(r, &a, why, sizeof why), CR_OK);
	T_EQ_STR(a.content_type, "text/html");
	T_EQ_INT(a.text_len, 12);
	ci_article_fini(&a);
	ci_close(&r);
	T_OK(ci_open("/nonexistent/x.json", &r) != CR_OK);
}

int main(void)
{
	char cmd[128];
	int rc;
	snprintf(dir, sizeof dir, "/tmp/test_cli_input.%d", (int)getpid());
	mkdir(dir, 0755);
	T_RUN(test_json_lines);
	T_RUN(test_pretty_object_and_array);
	T_RUN(test_plain_and_directory);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	rc = system(cmd);
	(void)rc;
	return t_done();
}
