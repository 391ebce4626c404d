/* courant-relay: parse options, run the relay (service.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/endpoints.h"
#include "common/log.h"
#include "common/zio.h"
#include "relay/service.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: courant-relay [--data DIR] [--hwm N] [endpoint flags]\n"
		   "Binds relay-in (from normalize workers) and relay-out (to extract workers)\n"
		   "and forwards valid pipeline frames between them.\n"
		   "  --hwm N   high-water mark of both sockets (default 64)\n%s",
		cr_endpoints_help());
}

int main(int argc, char **argv)
{
	cr_endpoints ep;
	const char *data = NULL;
	int hwm = 0, i;

	cr_log_init("relay");
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--data") && i + 1 < argc)
			data = argv[++i];
	if (cr_endpoints_init(&ep, cr_datadir(data)) != CR_OK) {
		fprintf(stderr, "courant-relay: cannot prepare the data directory\n");
		return 1;
	}
	for (i = 1; i < argc;) {
		if (cr_endpoints_flag(&ep, argc, argv, &i))
			continue;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--data") && i + 1 < argc) {
			i += 2;
			continue;
		}
		if (!strcmp(argv[i], "--hwm") && i + 1 < argc && atoi(argv[i + 1]) > 0) {
			hwm = atoi(argv[i + 1]);
			i += 2;
			continue;
		}
		fprintf(stderr, "courant-relay: unknown option %s\n", argv[i]);
		usage(stderr);
		return 2;
	}
	cr_zsignals();
	return relay_run(&ep, hwm) == CR_OK ? 0 : 1;
}
