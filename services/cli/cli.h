/* The `courant` command-line tool: one function per subcommand, each in its
 * own cmd_<name>.c. argv[0] is the subcommand name. Returns the exit status:
 * 0 success, 1 the operation failed, 2 usage error. Machine output is JSON
 * lines on stdout; diagnostics go to stderr. */
#ifndef COURANT_CLI_H
#define COURANT_CLI_H

int cmd_up(int argc, char **argv);
int cmd_submit(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_article(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_tail(int argc, char **argv);
int cmd_dead_letters(int argc, char **argv);
int cmd_retry(int argc, char **argv);

#endif
