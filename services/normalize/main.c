/* courant-normalize: parse options, run one normalize worker (service.h). */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/endpoints.h"
#include "common/log.h"
#include "common/zio.h"
#include "normalize/service.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: courant-normalize [--data DIR] [--hwm N] [endpoint flags]\n"
		   "Normalize worker: pulls articles from the work endpoint (ingest), cleans\n"
		   "them (markup, encoding, language, sentences) and pushes them to relay-in.\n"
		   "  --hwm N   high-water mark of both sockets (default 64)\n%s",
		cr_endpoints_help());
}

int main(int argc, char **argv)
{
	cr_endpoints ep;
	const char *data = NULL;
	int hwm = 0, i;

	cr_log_init("normalize");
	/* CLD2 allocates and frees large scratch tables on every call; without a
	 * high trim threshold glibc returns them to the kernel each time, which
	 * nearly halves throughput on news-sized documents (measured). */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--data") && i + 1 < argc)
			data = argv[++i];
	if (cr_endpoints_init(&ep, cr_datadir(data)) != CR_OK) {
		fprintf(stderr, "courant-normalize: cannot prepare the data directory\n");
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
		fprintf(stderr, "courant-normalize: unknown option %s\n", argv[i]);
		usage(stderr);
		return 2;
	}
	cr_zsignals();
	return normalize_service_run(&ep, hwm) == CR_OK ? 0 : 1;
}
