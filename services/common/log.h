/* Logging: one line per event on stderr,
 *   ts=2026-11-23T04:10:00.123Z level=info svc=store msg=commit articles=12 ms=0.41
 * `msg` is a stable identifier (no spaces); details go in key=value fields,
 * values with spaces are quoted by the caller's format ("reason=\"%s\"" is fine). */
#ifndef COURANT_LOG_H
#define COURANT_LOG_H

typedef enum cr_log_level {
	CR_LOG_DEBUG,
	CR_LOG_INFO,
	CR_LOG_WARN,
	CR_LOG_ERROR,
	CR_LOG_NOTICE  /* lifecycle (ready, stopped): never filtered, supervisors wait on it */
} cr_log_level;

/* Set the service name printed as svc=...; the string must outlive logging. */
void cr_log_init(const char *service);

/* Lines below `min` are dropped. Default INFO; COURANT_LOG=debug|info|warn|error. */
void cr_log_set_level(cr_log_level min);

/* `msgid` is the stable message id; `fmt` (may be NULL) formats key=value fields. */
void cr_log(cr_log_level lvl, const char *msgid, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define cr_debug(id, ...) cr_log(CR_LOG_DEBUG, id, __VA_ARGS__)
#define cr_info(id, ...)  cr_log(CR_LOG_INFO, id, __VA_ARGS__)
#define cr_warn(id, ...)  cr_log(CR_LOG_WARN, id, __VA_ARGS__)
#define cr_error(id, ...) cr_log(CR_LOG_ERROR, id, __VA_ARGS__)
#define cr_notice(id, ...) cr_log(CR_LOG_NOTICE, id, __VA_ARGS__)

#endif
