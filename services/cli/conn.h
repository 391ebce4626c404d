/* Connection options shared by the query-side commands (events, article,
 * tail, dead-letters, retry): --data DIR and every --<name>-endpoint flag of
 * common/endpoints.h, taken out of argv before a command parses its own. */
#ifndef COURANT_CLI_CONN_H
#define COURANT_CLI_CONN_H

#include "client/courant_client.h"
#include "common/endpoints.h"

/* Remove --data and endpoint flags from argv (in place, *argc updated) and
 * remember them. Returns 0, or 2 (usage error) after printing why. */
int cli_conn_take(const char *cmd, int *argc, char **argv);

/* The endpoints cli_conn_take resolved, or NULL (reason on stderr) when the
 * data directory could not be prepared. */
const cr_endpoints *cli_conn_endpoints(const char *cmd);

/* Connect with what cli_conn_take saw (defaults: $COURANT_DATA, env). */
cc_client *cli_conn_client(cr_err *err);

#endif
