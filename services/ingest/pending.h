/* In-memory view of the journal's pending articles and their delivery
 * state: queued (to send), in flight (sent, waiting for the store's ack) or
 * done. Bounds the number in flight (the window) and decides redelivery:
 * the deadline of attempt k is base * 2^(k-1) (capped), where base adapts
 * to the measured pipeline latency: max(redeliver_ms, 4 x p99). After
 * max_attempts the entry is marked give_up: the next send is a Rejection,
 * and it stays pending until that is acknowledged. */
#ifndef COURANT_INGEST_PENDING_H
#define COURANT_INGEST_PENDING_H

#include <stddef.h>
#include <stdint.h>
#include "common/err.h"

typedef enum ip_state { IP_QUEUED, IP_INFLIGHT, IP_DONE } ip_state;

typedef struct ip_entry {
	uint64_t seq;
	uint64_t sent_us, due_us;
	uint32_t attempt;   /* sends so far */
	ip_state state;
	int give_up;        /* next send is the ingest Rejection */
	char *id;           /* owned; acks must name the same id */
} ip_entry;

typedef struct ip_table ip_table;

ip_table *ip_new(size_t window, uint32_t max_attempts, uint32_t redeliver_ms);
void ip_destroy(ip_table **p);

/* Add a pending seq (strictly increasing) with its article id. */
cr_err ip_add(ip_table *p, uint64_t seq, const char *id);

/* Lowest queued entry if the window has room, else NULL. The pointer is
 * valid until the next ip_add/ip_ack. */
ip_entry *ip_next(ip_table *p);

/* Record a send of e at now (monotonic microseconds). */
void ip_sent(ip_table *p, ip_entry *e, uint64_t now);

/* The store acknowledged (seq, id): returns 1 when it was pending. A NULL
 * id skips the id check; a mismatching id (a junk frame's) is ignored. */
int ip_ack(ip_table *p, uint64_t seq, const char *id, uint64_t now);

/* Move in-flight entries past their deadline back to the queue; returns
 * how many. *gave_up counts those that reached max_attempts now. */
size_t ip_expire(ip_table *p, uint64_t now, size_t *gave_up);

/* Microseconds until the next deadline (or `cap`). */
uint64_t ip_next_due(const ip_table *p, uint64_t now, uint64_t cap);

size_t ip_inflight(const ip_table *p);
size_t ip_queued(const ip_table *p);
/* Current base deadline and latency p99, in ms. */
uint32_t ip_base_ms(const ip_table *p);
uint32_t ip_p99_ms(const ip_table *p);

#endif
