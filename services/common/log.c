/* stderr logger in key=value form; one write(2) per line so that lines of
 * concurrent processes sharing a terminal do not interleave. */
#include "common/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static const char *svc = "courant";
static cr_log_level minlvl = CR_LOG_INFO;
static int env_read;

static const char *names[] = {"debug", "info", "warn", "error", "notice"};

void cr_log_init(const char *service)
{
	svc = service;
}

void cr_log_set_level(cr_log_level min)
{
	minlvl = min;
	env_read = 1;
}

static void read_env(void)
{
	const char *e = getenv("COURANT_LOG");
	env_read = 1;
	if (!e)
		return;
	for (int i = 0; i < 4; i++)
		if (strcasecmp(e, names[i]) == 0)
			minlvl = (cr_log_level)i;
}

void cr_log(cr_log_level lvl, const char *msgid, const char *fmt, ...)
{
	char line[2048];
	struct timeval tv;
	struct tm tm;
	size_t n;
	int k;

	if (!env_read)
		read_env();
	if (lvl < minlvl)
		return;
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	k = snprintf(line, sizeof line,
		     "ts=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ level=%s svc=%s msg=%s",
		     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		     tm.tm_min, tm.tm_sec, (long)(tv.tv_usec / 1000), names[lvl],
		     svc, msgid);
	n = k < 0 ? 0 : (size_t)k;
	if (fmt && n < sizeof line - 2) {
		va_list ap;
		line[n++] = ' ';
		va_start(ap, fmt);
		k = vsnprintf(line + n, sizeof line - n, fmt, ap);
		va_end(ap);
		if (k > 0)
			n += (size_t)k;
	}
	if (n > sizeof line - 2)
		n = sizeof line - 2;
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, n) < 0) {
		/* nowhere left to report it */
	}
}
