/* Input readers for `courant submit` (see input.h). A reader walks a list
 * of files (one for a file or stdin, the sorted tree for a directory); a
 * file is either plain text, JSON lines, or one JSON document. */
#include "cli/input.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/json.h"

typedef enum kind { K_JSON, K_TEXT, K_HTML, K_MARKDOWN } kind;

struct ci_reader {
	char **files;
	size_t nfiles, nf_cap, next_file;
	FILE *f;                 /* current file in JSON-lines mode */
	const char *cur;         /* its path */
	size_t line;
	cr_json_doc *doc;        /* current whole-file document */
	const cr_json *item;     /* next element when it is an array */
	int doc_is_array;
	char *pending_line;      /* first line, read while sniffing the format */
	size_t pending_len;
};

static const struct {
	const char *ext;
	kind k;
} exts[] = {
	{".json", K_JSON}, {".jsonl", K_JSON}, {".ndjson", K_JSON}, {".txt", K_TEXT}, {".text", K_TEXT},
	{".md", K_MARKDOWN}, {".markdown", K_MARKDOWN}, {".html", K_HTML}, {".htm", K_HTML},
};

static int kind_of(const char *path, kind *k)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	*k = K_JSON;
	if (!dot || (slash && dot < slash))
		return 0;
	for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
		if (!strcasecmp(dot, exts[i].ext))
			return *k = exts[i].k, 1;
	return 0;
}

static cr_err add_file(ci_reader *r, const char *path)
{
	if (r->nfiles == r->nf_cap) {
		size_t nc = r->nf_cap ? r->nf_cap * 2 : 16;
		char **nv = realloc(r->files, nc * sizeof *nv);
		if (!nv)
			return CR_ENOMEM;
		r->files = nv;
		r->nf_cap = nc;
	}
	if (!(r->files[r->nfiles] = strdup(path)))
		return CR_ENOMEM;
	r->nfiles++;
	return CR_OK;
}

/* Recursive sorted walk; hidden entries and unknown extensions skipped. */
static cr_err walk(ci_reader *r, const char *dir, int depth)
{
	struct dirent **ents = NULL;
	int n = scandir(dir, &ents, NULL, alphasort);
	cr_err e = CR_OK;
	if (n < 0)
		return cr_err_from_errno(errno);
	size_t dl = strlen(dir);
	const char *sep = dl && dir[dl - 1] == '/' ? "" : "/";
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;
		kind k;
		if (e == CR_OK && ents[i]->d_name[0] != '.' &&
		    snprintf(path, sizeof path, "%s%s%s", dir, sep, ents[i]->d_name) < (int)sizeof path &&
		    stat(path, &st) == 0) {
			if (S_ISDIR(st.st_mode) && depth < 32)
				e = walk(r, path, depth + 1);
			else if (S_ISREG(st.st_mode) && kind_of(path, &k))
				e = add_file(r, path);
		}
		free(ents[i]);
	}
	free(ents);
	return e;
}

cr_err ci_open(const char *path, ci_reader **out)
{
	ci_reader *r = calloc(1, sizeof *r);
	struct stat st;
	cr_err e;
	*out = NULL;
	if (!r)
		return CR_ENOMEM;
	if (strcmp(path, "-") && stat(path, &st) != 0)
		e = cr_err_from_errno(errno);
	else if (strcmp(path, "-") && S_ISDIR(st.st_mode))
		e = walk(r, path, 0);
	else
		e = add_file(r, path);
	if (e != CR_OK) {
		ci_close(&r);
		return e;
	}
	*out = r;
	return CR_OK;
}

static void close_current(ci_reader *r)
{
	if (r->f && r->f != stdin)
		fclose(r->f);
	r->f = NULL;
	cr_json_free(&r->doc);
	r->item = NULL;
	free(r->pending_line);
	r->pending_line = NULL;
}

void ci_close(ci_reader **pr)
{
	ci_reader *r = pr ? *pr : NULL;
	if (!r)
		return;
	close_current(r);
	for (size_t i = 0; i < r->nfiles; i++)
		free(r->files[i]);
	free(r->files);
	free(r);
	*pr = NULL;
}

void ci_article_fini(ci_article *a)
{
	free(a->id);
	free(a->url);
	free(a->source);
	free(a->title);
	free(a->published);
	free(a->content_type);
	free(a->lang);
	free(a->text);
	memset(a, 0, sizeof *a);
}

static char *dup_str(const cr_json *o, const char *const *keys)
{
	for (; *keys; keys++) {
		const char *s = cr_json_get_str(o, *keys);
		if (s && *s)
			return strndup(s, 4096);
	}
	return NULL;
}

cr_err ci_from_json(const cr_json *o, ci_article *a, char *why, size_t whylen)
{
	static const char *const k_id[] = {"id", NULL}, *const k_url[] = {"url", "source_url", NULL},
				 *const k_src[] = {"source", "source_domain", "hostname", "sitename", NULL},
				 *const k_title[] = {"title", NULL},
				 *const k_pub[] = {"published", "date_publish", "date", NULL},
				 *const k_ct[] = {"content_type", NULL}, *const k_lang[] = {"lang", "language", NULL};
	static const char *const k_text[] = {"text", "maintext", "raw_text", "content", NULL};
	const cr_json *t = NULL;
	if (!o || o->type != CR_JSON_OBJECT)
		return snprintf(why, whylen, "not a JSON object"), CR_EINVAL;
	for (const char *const *k = k_text; *k && !t; k++) {
		t = cr_json_get(o, *k);
		if (t && (t->type != CR_JSON_STRING || !t->len))
			t = NULL;
	}
	if (!t)
		return snprintf(why, whylen, "no text (expected text, maintext or raw_text)"), CR_EINVAL;
	a->text = malloc(t->len + 1);
	if (!a->text)
		return CR_ENOMEM;
	memcpy(a->text, t->str, t->len + 1);
	a->text_len = t->len;
	a->id = dup_str(o, k_id);
	a->url = dup_str(o, k_url);
	a->source = dup_str(o, k_src);
	a->title = dup_str(o, k_title);
	a->published = dup_str(o, k_pub);
	a->content_type = dup_str(o, k_ct);
	a->lang = dup_str(o, k_lang);
	return CR_OK;
}

static cr_err read_all(FILE *f, char **out, size_t *len, const char *prefix, size_t plen)
{
	size_t cap = plen + 65536, n = plen;
	char *b = malloc(cap);
	if (!b)
		return CR_ENOMEM;
	memcpy(b, prefix, plen);
	for (;;) {
		size_t got;
		if (n + 65536 > cap) {
			char *nb;
			if (cap >= CI_MAX_FILE) {
				free(b);
				return CR_ETOOBIG;
			}
			cap *= 2;
			if (!(nb = realloc(b, cap + 1))) {
				free(b);
				return CR_ENOMEM;
			}
			b = nb;
		}
		got = fread(b + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (n > CI_MAX_FILE) {
		free(b);
		return CR_ETOOBIG;
	}
	*out = b;
	*len = n;
	return CR_OK;
}

/* Plain text/markdown/html file: one article, id from the file name. */
static cr_err plain_file(ci_reader *r, kind k, ci_article *a, char *why, size_t wl)
{
	static const char *const types[] = {"", "text/plain", "text/html", "text/markdown"};
	const char *base = strrchr(r->cur, '/');
	FILE *f = fopen(r->cur, "rb");
	cr_err e;
	if (!f)
		return snprintf(why, wl, "%s", strerror(errno)), CR_EIO;
	e = read_all(f, &a->text, &a->text_len, "", 0);
	fclose(f);
	if (e != CR_OK)
		return snprintf(why, wl, "%s", cr_strerror(e)), e;
	base = base ? base + 1 : r->cur;
	a->id = strndup(base, strcspn(base, "."));
	a->content_type = strdup(types[k]);
	return CR_OK;
}

static cr_err from_text(const char *s, size_t n, ci_article *a, char *why, size_t wl, cr_json_doc **keep)
{
	cr_json_doc *d;
	cr_err e = cr_json_parse(s, n, &d, why, wl);
	if (e != CR_OK)
		return e;
	if (keep && cr_json_root(d)->type == CR_JSON_ARRAY) {
		*keep = d;
		return CR_EAGAIN;
	}
	e = ci_from_json(cr_json_root(d), a, why, wl);
	cr_json_free(&d);
	return e;
}

static int blank_line(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/* Start a JSON file: sniff whether its first line is a whole document
 * (JSON lines) or not (one pretty-printed document or array). */
static cr_err start_json(ci_reader *r, ci_article *a, char *why, size_t wl)
{
	char *line = NULL, *all;
	size_t cap = 0, len;
	ssize_t got;
	cr_json_doc *d;
	cr_err e;
	do {
		got = getline(&line, &cap, r->f);
		r->line++;
	} while (got > 0 && blank_line(line, (size_t)got));
	if (got <= 0) {
		free(line);
		return CR_ENOTFOUND;
	}
	if (cr_json_parse(line, (size_t)got, &d, NULL, 0) == CR_OK && cr_json_root(d)->type == CR_JSON_OBJECT) {
		cr_json_free(&d);
		r->pending_line = line;
		r->pending_len = (size_t)got;
		return CR_OK;
	}
	cr_json_free(&d);
	e = read_all(r->f, &all, &len, line, (size_t)got);
	free(line);
	if (e != CR_OK)
		return snprintf(why, wl, "%s", cr_strerror(e)), e;
	e = from_text(all, len, a, why, wl, &r->doc);
	free(all);
	if (e == CR_EAGAIN) {
		r->item = cr_json_root(r->doc)->child;
		r->line = 0;
		return CR_OK;
	}
	if (r->f != stdin)
		fclose(r->f);
	r->f = NULL;
	return e == CR_OK ? CR_EEXIST : e; /* EEXIST: `a` holds the file's only article */
}

/* Next record from the open JSON source. */
static cr_err next_json(ci_reader *r, ci_article *a, char *why, size_t wl)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	cr_err e;
	if (r->doc) {
		const cr_json *it = r->item;
		if (!it)
			return CR_ENOTFOUND;
		r->item = it->next;
		snprintf(a->origin, sizeof a->origin, "%s:[%zu]", r->cur, r->line++);
		return ci_from_json(it, a, why, wl);
	}
	if (r->pending_line) {
		line = r->pending_line;
		got = (ssize_t)r->pending_len;
		r->pending_line = NULL;
	} else {
		do {
			got = getline(&line, &cap, r->f);
			r->line++;
		} while (got > 0 && blank_line(line, (size_t)got));
		if (got <= 0) {
			free(line);
			return CR_ENOTFOUND;
		}
	}
	snprintf(a->origin, sizeof a->origin, "%s:%zu", r->cur, r->line);
	if ((size_t)got > CI_MAX_LINE)
		e = (snprintf(why, wl, "line over %u bytes", CI_MAX_LINE), CR_ETOOBIG);
	else
		e = from_text(line, (size_t)got, a, why, wl, NULL);
	free(line);
	return e;
}

static cr_err open_next_file(ci_reader *r, ci_article *a, char *why, size_t wl)
{
	kind k;
	cr_err e;
	if (r->next_file >= r->nfiles)
		return CR_ENOTFOUND;
	r->cur = r->files[r->next_file++];
	r->line = 0;
	snprintf(a->origin, sizeof a->origin, "%s", r->cur);
	if (strcmp(r->cur, "-") != 0 && kind_of(r->cur, &k) && k != K_JSON) {
		e = plain_file(r, k, a, why, wl);
		return e == CR_OK ? CR_EEXIST : e;
	}
	r->f = strcmp(r->cur, "-") ? fopen(r->cur, "rb") : stdin;
	if (!r->f)
		return snprintf(why, wl, "%s", strerror(errno)), CR_EIO;
	r->line = 0;
	return start_json(r, a, why, wl);
}

cr_err ci_next(ci_reader *r, ci_article *a, char *why, size_t wl)
{
	memset(a, 0, sizeof *a);
	why[0] = '\0';
	for (;;) {
		cr_err e;
		if (r->f || r->doc) {
			e = next_json(r, a, why, wl);
			if (e != CR_ENOTFOUND)
				return e;
			close_current(r);
		}
		e = open_next_file(r, a, why, wl);
		if (e == CR_EEXIST)
			return CR_OK;
		if (e != CR_OK && e != CR_ENOTFOUND)
			return e;
		if (e == CR_ENOTFOUND && r->next_file >= r->nfiles && !r->f && !r->doc)
			return CR_ENOTFOUND;
	}
}

/* stdin in JSON-lines mode may be a pipe fed by a live scraper: reading it
 * must not stall a caller that has other work (answers, re-sends) to do. */
int ci_ready(const ci_reader *r, int *fd)
{
	struct stat st;
	struct pollfd p = {STDIN_FILENO, POLLIN, 0};
	int on_stdin = r->f ? r->f == stdin
			    : r->next_file < r->nfiles && strcmp(r->files[r->next_file], "-") == 0;

	if (!on_stdin || r->doc || r->pending_line)
		return 1;
	if (fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode))
		return 1;
	if (stdin->_IO_read_ptr < stdin->_IO_read_end) /* glibc: bytes already buffered */
		return 1;
	if (poll(&p, 1, 0) > 0)
		return 1; /* data, or end of input (POLLHUP) */
	if (fd)
		*fd = STDIN_FILENO;
	return 0;
}
