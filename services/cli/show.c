/* Count options and the human event row of `courant events` and `tail`. */
#include "cli/show.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int cli_parse_count(const char *s, unsigned long long *out)
{
	char *end;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || end == s || *end || *s == '-' ? -1 : 0;
}

void cli_print_event_row(const Courant__EventRecord *r)
{
	const Courant__Event *e = r->event;
	printf("%-7llu %-10s %-9s ", (unsigned long long)r->seq, e->date ? e->date : "-", e->type);
	for (size_t i = 0; i < e->n_actor; i++)
		printf("%s%s", i ? "," : "", e->actor[i]);
	printf(" -> ");
	for (size_t i = 0; i < e->n_recipient; i++)
		printf("%s%s", i ? "," : "", e->recipient[i]);
	printf("  [%s]\n", r->article_id);
}
