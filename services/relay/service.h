/* The relay: the rendezvous between the normalize and extract pools. Binds
 * relay-in (PULL) and relay-out (PUSH) so both pools only connect. Forwards
 * every frame that is a well-formed Work (common/peek.h) unchanged; counts
 * and drops the rest (junk here carries no trustworthy article id, so nothing to
 * dead-letter; ingest's redelivery covers a lost article). */
#ifndef COURANT_RELAY_SERVICE_H
#define COURANT_RELAY_SERVICE_H

#include "common/endpoints.h"
#include "common/err.h"

cr_err relay_run(const cr_endpoints *ep, int hwm);

#endif
