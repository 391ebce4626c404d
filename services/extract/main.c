/* courant-extract: parse options, run one extract worker (service.h). */
#include "common/arena.h"
#include "common/log.h"
#include "common/worker.h"
#include "common/zio.h"
#include "extract/service.h"

static const char about[] = "Extract worker: pulls normalized articles from relay-out, finds entities and\n"
				   "PLOVER events, and pushes the extraction to the store (store-in).";

int main(int argc, char **argv)
{
	cr_endpoints ep;
	int hwm = 0, rc;

	cr_log_init("extract");
	cr_malloc_tune();
	rc = cr_worker_options("courant-extract", about, argc, argv, &ep, &hwm);
	if (rc >= 0)
		return rc;
	cr_zsignals();
	return extract_service_run(&ep, hwm) == CR_OK ? 0 : 1;
}
