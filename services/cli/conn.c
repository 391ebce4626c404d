/* --data and endpoint flags for the query-side commands. */
#include "cli/conn.h"

#include <stdio.h>
#include <string.h>

#include "common/endpoints.h"

static cr_endpoints ep;
static int have_ep;
static cr_err ep_err;

int cli_conn_take(const char *cmd, int *argc, char **argv)
{
	const char *data = NULL;
	int i, k;

	for (i = 1; i < *argc; i++)
		if (!strcmp(argv[i], "--data") && i + 1 < *argc)
			data = argv[++i];
		else if (!strncmp(argv[i], "--data=", 7))
			data = argv[i] + 7;
	ep_err = cr_endpoints_init(&ep, cr_datadir(data));
	have_ep = 1;
	for (i = k = 1; i < *argc;) {
		if (!strcmp(argv[i], "--data")) {
			if (i + 1 >= *argc) {
				fprintf(stderr, "courant %s: --data needs a directory\n", cmd);
				return 2;
			}
			i += 2;
		} else if (!strncmp(argv[i], "--data=", 7)) {
			i++;
		} else if (!cr_endpoints_flag(&ep, *argc, argv, &i)) {
			argv[k++] = argv[i++];
		}
	}
	argv[k] = NULL;
	*argc = k;
	return 0;
}

const cr_endpoints *cli_conn_endpoints(const char *cmd)
{
	if (!have_ep)
		ep_err = cr_endpoints_init(&ep, cr_datadir(NULL));
	if (ep_err) {
		fprintf(stderr, "courant %s: bad data directory: %s\n", cmd, cr_strerror(ep_err));
		return NULL;
	}
	return &ep;
}

cc_client *cli_conn_client(cr_err *err)
{
	if (!have_ep)
		ep_err = cr_endpoints_init(&ep, cr_datadir(NULL));
	if (ep_err) {
		*err = ep_err;
		return NULL;
	}
	return cc_client_connect(ep.query, ep.submit, err);
}
