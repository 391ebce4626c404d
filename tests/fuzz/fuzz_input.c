/* libFuzzer target for the `courant submit` input reader (cli/input.h). The
 * first byte picks the file name (and so the format: JSON lines or document,
 * plain text, HTML, Markdown); the rest is the file's content, written to a
 * scratch file because the reader works on paths. Checks: every article
 * read has terminated strings and a consistent text length, every error a
 * terminated reason, and reading ends (no endless loop on any input). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/input.h"

#define MAX_RECORDS 200000

static char dir[64];

static const char *const names[] = {"in.jsonl", "in.json", "in.txt", "in.html", "in.md", "in.ndjson"};

static void remove_dir(void)
{
	rmdir(dir);
}

static void check_str(const char *s)
{
	if (s && strlen(s) > CI_MAX_FILE)
		abort();
}

static void read_all(const char *path)
{
	ci_reader *r = NULL;
	char why[256];
	long n = 0;

	if (ci_open(path, &r) != CR_OK)
		return;
	for (;;) {
		ci_article a;
		cr_err e;
		memset(&a, 0, sizeof a);
		memset(why, 'x', sizeof why);
		why[sizeof why - 1] = 'x';
		e = ci_next(r, &a, why, sizeof why);
		if (e == CR_ENOTFOUND)
			break;
		if (++n > MAX_RECORDS)
			abort(); /* no input holds that many records: a loop */
		if (!memchr(a.origin, '\0', sizeof a.origin))
			abort();
		if (e != CR_OK) {
			if (!memchr(why, '\0', sizeof why))
				abort();
			continue;
		}
		check_str(a.id);
		check_str(a.url);
		check_str(a.source);
		check_str(a.title);
		check_str(a.published);
		check_str(a.content_type);
		check_str(a.lang);
		if ((a.text_len && !a.text) || a.text_len > CI_MAX_FILE)
			abort();
		ci_article_fini(&a);
	}
	ci_close(&r);
	if (r)
		abort(); /* close must clear the pointer */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[128];
	FILE *f;

	if (size < 1)
		return 0;
	if (!dir[0]) {
		snprintf(dir, sizeof dir, "/tmp/fuzz-input-XXXXXX");
		if (!mkdtemp(dir))
			abort();
		atexit(remove_dir);
	}
	snprintf(path, sizeof path, "%s/%s", dir, names[data[0] % (sizeof names / sizeof names[0])]);
	f = fopen(path, "wb");
	if (!f)
		abort();
	if (size > 1 && fwrite(data + 1, 1, size - 1, f) != size - 1)
		abort();
	fclose(f);
	read_all(path);
	unlink(path);
	return 0;
}
