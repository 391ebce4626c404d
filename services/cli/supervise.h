/* Process supervisor behind `courant up`: starts services as child processes
 * in order, forwards their stderr lines, restarts one that dies with
 * exponential backoff, and on SIGINT/SIGTERM stops them all (SIGTERM, grace
 * period, then SIGKILL) so that nothing is left behind. */
#ifndef COURANT_SUPERVISE_H
#define COURANT_SUPERVISE_H

#include "common/err.h"

typedef struct sup sup;

/* `grace_ms`: how long stopping children may take before SIGKILL. */
sup *sup_new(int grace_ms);

/* Stops nothing (sup_run does that); frees memory and sets *s to NULL. */
void sup_destroy(sup **s);

/* Register a service. `argv` (NULL-terminated, argv[0] the program path) and
 * `name` (also exported to the child as COURANT_INSTANCE) are copied. With
 * `wait_ready`, services added later start only once this one logged
 * msg=ready on stderr, exited, or a readiness timeout passed. */
cr_err sup_add(sup *s, const char *name, char *const argv[], int wait_ready);

/* Run in the foreground until SIGINT or SIGTERM, then stop every child.
 * Returns 0 when all children were stopped, 1 on a setup failure. */
int sup_run(sup *s);

#endif
