/* courant: the command-line front door. Dispatches to cmd_<name>(). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "common/log.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *summary;
} commands[] = {
	{"up", cmd_up, "start every service in the foreground, restarting any that dies"},
	{"submit", cmd_submit, "send articles to ingest and print each answer"},
	{"events", cmd_events, "query stored events"},
	{"article", cmd_article, "show one stored article with its extraction"},
	{"tail", cmd_tail, "follow events durably from a sequence number"},
	{"stats", cmd_stats, "per-service counters"},
	{"dead-letters", cmd_dead_letters, "list dead letters with their reason"},
	{"retry", cmd_retry, "re-submit one dead letter"},
	{"extract", cmd_extract, "normalize and extract articles offline, one record per line"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: courant COMMAND [options]   (courant COMMAND --help for details)\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-13s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nenvironment: COURANT_DATA (data directory, default ./courant-data), COURANT_LOG=debug|info|warn|error\n");
}

int main(int argc, char **argv)
{
	cr_log_init("cli");
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "courant: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
