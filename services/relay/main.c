/* courant-relay: parse options, run the relay (service.h). */
#include "common/arena.h"
#include "common/log.h"
#include "common/worker.h"
#include "common/zio.h"
#include "relay/service.h"

static const char about[] = "Binds relay-in (from normalize workers) and relay-out (to extract workers)\n"
				   "and forwards valid pipeline frames between them.";

int main(int argc, char **argv)
{
	cr_endpoints ep;
	int hwm = 0, rc;

	cr_log_init("relay");
	cr_malloc_tune();
	rc = cr_worker_options("courant-relay", about, argc, argv, &ep, &hwm);
	if (rc >= 0)
		return rc;
	cr_zsignals();
	return relay_run(&ep, hwm) == CR_OK ? 0 : 1;
}
