/* Endpoint defaults and overrides. */
#include "common/endpoints.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const struct {
	const char *name;
	size_t off;
} fields[] = {
	{"submit", offsetof(cr_endpoints, submit)},
	{"work", offsetof(cr_endpoints, work)},
	{"ack", offsetof(cr_endpoints, ack)},
	{"relay-in", offsetof(cr_endpoints, relay_in)},
	{"relay-out", offsetof(cr_endpoints, relay_out)},
	{"store-in", offsetof(cr_endpoints, store_in)},
	{"query", offsetof(cr_endpoints, query)},
	{"events", offsetof(cr_endpoints, events)},
};
#define NFIELDS (sizeof fields / sizeof fields[0])

const char *cr_datadir(const char *flag)
{
	const char *e;
	if (flag && *flag)
		return flag;
	e = getenv("COURANT_DATA");
	if (e && *e)
		return e;
	return "./courant-data";
}

static char *field(cr_endpoints *e, size_t k)
{
	return (char *)e + fields[k].off;
}

cr_err cr_endpoints_init(cr_endpoints *e, const char *datadir)
{
	char run[CR_EP_MAX];
	int n;

	n = snprintf(run, sizeof run, "%s/run", datadir);
	if (n < 0 || (size_t)n >= sizeof run)
		return CR_ETOOBIG;
	if (mkdir(datadir, 0755) < 0 && errno != EEXIST)
		return cr_err_from_errno(errno);
	if (mkdir(run, 0755) < 0 && errno != EEXIST)
		return cr_err_from_errno(errno);
	for (size_t k = 0; k < NFIELDS; k++) {
		char env[64], *p;
		const char *v;
		/* ipc paths are limited to about 107 bytes by sockaddr_un */
		n = snprintf(field(e, k), CR_EP_MAX, "ipc://%s/%s.sock", run, fields[k].name);
		if (n < 0 || n >= CR_EP_MAX || n - 6 > 107)
			return CR_ETOOBIG;
		snprintf(env, sizeof env, "COURANT_%s_ENDPOINT", fields[k].name);
		for (p = env; *p; p++)
			*p = *p == '-' ? '_' : (char)toupper((unsigned char)*p);
		v = getenv(env);
		if (v && *v)
			snprintf(field(e, k), CR_EP_MAX, "%s", v);
	}
	return CR_OK;
}

int cr_endpoints_flag(cr_endpoints *e, int argc, char **argv, int *i)
{
	const char *a = argv[*i];
	if (strncmp(a, "--", 2) != 0)
		return 0;
	for (size_t k = 0; k < NFIELDS; k++) {
		size_t nl = strlen(fields[k].name);
		if (strncmp(a + 2, fields[k].name, nl) != 0 || strncmp(a + 2 + nl, "-endpoint", 9) != 0)
			continue;
		const char *rest = a + 2 + nl + 9;
		if (*rest == '=') {
			snprintf(field(e, k), CR_EP_MAX, "%s", rest + 1);
			(*i)++;
			return 1;
		}
		if (*rest == '\0' && *i + 1 < argc) {
			snprintf(field(e, k), CR_EP_MAX, "%s", argv[*i + 1]);
			*i += 2;
			return 1;
		}
	}
	return 0;
}

const char *cr_endpoints_help(void)
{
	return "  --submit-endpoint, --work-endpoint, --ack-endpoint, --relay-in-endpoint,\n"
	       "  --relay-out-endpoint, --store-in-endpoint, --query-endpoint, --events-endpoint E\n"
	       "        override one socket address (also COURANT_<NAME>_ENDPOINT);\n"
	       "        default ipc://<data>/run/<name>.sock\n";
}
