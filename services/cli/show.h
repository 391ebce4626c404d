/* What the event commands (events, tail) share: reading a count option and
 * the one-line human rendering of an event (JSON lines use common/record.h). */
#ifndef COURANT_CLI_SHOW_H
#define COURANT_CLI_SHOW_H

#include "courant.pb-c.h"

/* Parse a decimal count; 0 on success, -1 when `s` is not one. */
int cli_parse_count(const char *s, unsigned long long *out);

/* "seq date TYPE actors -> recipients  [article]" on stdout. */
void cli_print_event_row(const Courant__EventRecord *r);

#endif
