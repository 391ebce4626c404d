/* courant retry: placeholder until implemented. */
#include <stdio.h>
#include "cli/cli.h"

int cmd_retry(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "courant %s: not implemented yet\n", argv[0]);
	return 1;
}
