/* courant-normalize: parse options, run one normalize worker (service.h). */
#include <malloc.h>

#include "common/arena.h"
#include "common/log.h"
#include "common/worker.h"
#include "common/zio.h"
#include "normalize/service.h"

static const char about[] = "Normalize worker: pulls articles from the work endpoint (ingest), cleans\n"
				   "them (markup, encoding, language, sentences) and pushes them to relay-in.";

int main(int argc, char **argv)
{
	cr_endpoints ep;
	int hwm = 0, rc;

	cr_log_init("normalize");
	cr_malloc_tune();
	/* Higher than cr_malloc_tune's: CLD2 allocates and frees large scratch
	 * tables on every call; without a high trim threshold glibc returns
	 * them to the kernel each time, which nearly halves throughput on
	 * news-sized documents (measured). */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	rc = cr_worker_options("courant-normalize", about, argc, argv, &ep, &hwm);
	if (rc >= 0)
		return rc;
	cr_zsignals();
	return normalize_service_run(&ep, hwm) == CR_OK ? 0 : 1;
}
