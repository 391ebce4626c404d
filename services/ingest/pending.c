/* Pending table: a seq-sorted array (seqs arrive in order), compacted when
 * half of it is done, plus a ring of recent latencies for the p99. */
#include "ingest/pending.h"

#include <stdlib.h>
#include <string.h>

#define LAT_RING 256
#define MAX_TIMEOUT_US (120ull * 1000000ull)

struct ip_table {
	ip_entry *v;
	size_t n, cap, done, inflight, queued;
	size_t first_queued;   /* no queued entry below this index */
	size_t window;
	uint32_t max_attempts, redeliver_ms;
	uint32_t lat_ms[LAT_RING];
	size_t nlat, lat_pos;
	uint32_t p99_ms;
};

ip_table *ip_new(size_t window, uint32_t max_attempts, uint32_t redeliver_ms)
{
	ip_table *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->window = window ? window : 1;
	p->max_attempts = max_attempts ? max_attempts : 1;
	p->redeliver_ms = redeliver_ms ? redeliver_ms : 1;
	return p;
}

void ip_destroy(ip_table **pp)
{
	if (!pp || !*pp)
		return;
	for (size_t i = 0; i < (*pp)->n; i++)
		free((*pp)->v[i].id);
	free((*pp)->v);
	free(*pp);
	*pp = NULL;
}

static void compact(ip_table *p)
{
	size_t w = 0;
	for (size_t r = 0; r < p->n; r++)
		if (p->v[r].state != IP_DONE)
			p->v[w++] = p->v[r];
		else
			free(p->v[r].id);
	p->n = w;
	p->done = 0;
	p->first_queued = 0;
}

cr_err ip_add(ip_table *p, uint64_t seq, const char *id)
{
	char *copy;
	if (p->n && p->v[p->n - 1].seq >= seq)
		return CR_EINVAL;
	if (p->done > 64 && p->done * 2 > p->n)
		compact(p);
	if (p->n == p->cap) {
		size_t nc = p->cap ? p->cap * 2 : 256;
		ip_entry *nv = realloc(p->v, nc * sizeof *nv);
		if (!nv)
			return CR_ENOMEM;
		p->v = nv;
		p->cap = nc;
	}
	if (!(copy = strdup(id ? id : "")))
		return CR_ENOMEM;
	memset(&p->v[p->n], 0, sizeof p->v[p->n]);
	p->v[p->n].id = copy;
	p->v[p->n].seq = seq;
	p->v[p->n].state = IP_QUEUED;
	p->n++;
	p->queued++;
	return CR_OK;
}

ip_entry *ip_next(ip_table *p)
{
	if (p->inflight >= p->window || !p->queued)
		return NULL;
	for (size_t i = p->first_queued; i < p->n; i++)
		if (p->v[i].state == IP_QUEUED) {
			p->first_queued = i;
			return &p->v[i];
		}
	return NULL;
}

uint32_t ip_base_ms(const ip_table *p)
{
	uint32_t adaptive = p->p99_ms * 4;
	return adaptive > p->redeliver_ms ? adaptive : p->redeliver_ms;
}

uint32_t ip_p99_ms(const ip_table *p)
{
	return p->p99_ms;
}

void ip_sent(ip_table *p, ip_entry *e, uint64_t now)
{
	uint64_t t = (uint64_t)ip_base_ms(p) * 1000u;
	uint32_t shift = e->attempt < 6 ? e->attempt : 6;
	t <<= shift;
	if (t > MAX_TIMEOUT_US)
		t = MAX_TIMEOUT_US;
	if (e->state == IP_QUEUED) {
		p->queued--;
		p->inflight++;
	}
	e->state = IP_INFLIGHT;
	e->attempt++;
	e->sent_us = now;
	e->due_us = now + t;
}

static ip_entry *find(ip_table *p, uint64_t seq)
{
	size_t lo = 0, hi = p->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->v[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->n && p->v[lo].seq == seq ? &p->v[lo] : NULL;
}

/* The k-th smallest of v[0..n) (v is reordered): Hoare's selection, O(n)
 * on average, where a full sort every 16 acks cost ingest ~6 % of its CPU. */
static uint32_t select_kth(uint32_t *v, size_t n, size_t k)
{
	long lo = 0, hi = (long)n - 1, want = (long)k;
	while (lo < hi) {
		uint32_t pivot = v[lo + (hi - lo) / 2], t;
		long i = lo, j = hi;
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				t = v[i], v[i] = v[j], v[j] = t;
				i++, j--;
			}
		}
		if (want <= j)
			hi = j;
		else if (want >= i)
			lo = i;
		else
			break; /* v[j+1..i-1] all equal the pivot */
	}
	return v[want];
}

static void record_latency(ip_table *p, uint64_t us)
{
	uint32_t tmp[LAT_RING];
	p->lat_ms[p->lat_pos] = (uint32_t)(us / 1000u);
	p->lat_pos = (p->lat_pos + 1) % LAT_RING;
	if (p->nlat < LAT_RING)
		p->nlat++;
	if (p->nlat < 16 || p->lat_pos % 16)
		return;
	memcpy(tmp, p->lat_ms, p->nlat * sizeof tmp[0]);
	p->p99_ms = select_kth(tmp, p->nlat, (p->nlat * 99) / 100 < p->nlat ? (p->nlat * 99) / 100 : p->nlat - 1);
}

int ip_ack(ip_table *p, uint64_t seq, const char *id, uint64_t now)
{
	ip_entry *e = find(p, seq);
	if (!e || e->state == IP_DONE || (id && strcmp(id, e->id) != 0))
		return 0;
	if (e->state == IP_INFLIGHT) {
		p->inflight--;
		if (!e->give_up && e->attempt == 1)
			record_latency(p, now - e->sent_us);
	} else {
		p->queued--;
	}
	e->state = IP_DONE;
	p->done++;
	return 1;
}

size_t ip_expire(ip_table *p, uint64_t now, size_t *gave_up)
{
	size_t k = 0;
	*gave_up = 0;
	if (!p->inflight)
		return 0;
	for (size_t i = 0; i < p->n; i++) {
		ip_entry *e = &p->v[i];
		if (e->state != IP_INFLIGHT || e->due_us > now)
			continue;
		e->state = IP_QUEUED;
		p->inflight--;
		p->queued++;
		if (i < p->first_queued)
			p->first_queued = i;
		if (!e->give_up && e->attempt >= p->max_attempts) {
			e->give_up = 1;
			(*gave_up)++;
		}
		k++;
	}
	return k;
}

uint64_t ip_next_due(const ip_table *p, uint64_t now, uint64_t cap)
{
	uint64_t best = cap;
	if (!p->inflight)
		return cap;
	for (size_t i = 0; i < p->n; i++) {
		const ip_entry *e = &p->v[i];
		if (e->state != IP_INFLIGHT)
			continue;
		if (e->due_us <= now)
			return 0;
		if (e->due_us - now < best)
			best = e->due_us - now;
	}
	return best;
}

size_t ip_inflight(const ip_table *p)
{
	return p->inflight;
}

size_t ip_queued(const ip_table *p)
{
	return p->queued;
}
