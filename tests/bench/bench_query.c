/* Store query latency: sequential Query round trips on the store's ROUTER
 * (one outstanding at a time, as an interactive user or a dashboard does),
 * over a mix of kinds and filters, on whatever the store holds (the bench
 * fills it with the corpus first; it reports how many events it holds).
 *   bench_query --query EP [--per-kind N] [--limit L]
 * Prints one JSON object on stdout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "corpus.h"
#include "courant.pb-c.h"

static const char *countries[] = {"FRA", "MAR", "DZA", "USA", "SEN", "DEU", "CHN", "RUS", "UKR", "JPN", "IND",
	"BRA", "IRN", "EGY", "TUN", "MLI", "NER", "TUR", "ESP", "ITA", "GBR", "CAN"};
static const char *types[] = {"CONSULT", "SUPPORT", "AGREE", "ACCUSE", "SANCTION", "AID", "ASSAULT", "THREATEN",
	"PROTEST", "REJECT", "COOPERATE"};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

enum { K_LATEST, K_SCAN, K_COUNTRY, K_PAIR, K_TYPE, K_DATE, K_ARTICLE, K_STATS, K_N };
static const char *kind_names[K_N] = {"events_latest", "events_from_seq", "events_country", "events_pair",
	"events_type", "events_date", "article", "stats"};

static uint64_t rng = 0x1234567;
static unsigned rnd(unsigned n)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)((rng >> 33) % n);
}

/* One round trip; returns the reply (caller frees) or NULL. */
static Courant__QueryReply *ask(void *s, const Courant__Query *q, size_t *reply_bytes)
{
	uint8_t buf[1024];
	size_t n = courant__query__get_packed_size(q);
	if (n > sizeof buf)
		return NULL;
	courant__query__pack(q, buf);
	if (zmq_send(s, "", 0, ZMQ_SNDMORE) < 0 || zmq_send(s, buf, n, 0) < 0)
		return NULL;
	zmq_msg_t m;
	zmq_msg_init(&m);
	do {
		zmq_msg_close(&m);
		zmq_msg_init(&m);
		if (zmq_msg_recv(&m, s, 0) < 0)
			return NULL;
	} while (zmq_msg_more(&m));
	*reply_bytes = zmq_msg_size(&m);
	Courant__QueryReply *r = courant__query_reply__unpack(NULL, zmq_msg_size(&m), zmq_msg_data(&m));
	zmq_msg_close(&m);
	return r;
}

/* What the store holds, from its STATS counters; -1 without a reply. */
static int store_size(void *s, uint64_t *head, uint64_t *nevents, uint64_t *narticles)
{
	Courant__Query q = COURANT__QUERY__INIT;
	size_t rb;
	q.version = 1;
	q.kind = COURANT__QUERY_KIND__STATS;
	Courant__QueryReply *r = ask(s, &q, &rb);
	if (!r)
		return -1;
	*head = r->has_head_seq ? r->head_seq : 0;
	for (size_t i = 0; i < r->n_stats; i++)
		if (r->stats[i]->service && !strcmp(r->stats[i]->service, "store"))
			for (size_t k = 0; k < r->stats[i]->n_counters; k++) {
				if (!strcmp(r->stats[i]->counters[k]->name, "events"))
					*nevents = r->stats[i]->counters[k]->value;
				if (!strcmp(r->stats[i]->counters[k]->name, "articles"))
					*narticles = r->stats[i]->counters[k]->value;
			}
	courant__query_reply__free_unpacked(r, NULL);
	if (!*head)
		*head = *nevents;
	return 0;
}

/* Storage for the strings a query points to. */
typedef struct qbuf {
	char *pair[2], id[32], from[16], to[16];
} qbuf;

static void build(Courant__Query *x, int k, qbuf *b, unsigned limit, uint64_t head, uint64_t narticles)
{
	x->version = 1;
	x->kind = COURANT__QUERY_KIND__EVENTS;
	x->has_limit = 1;
	x->limit = limit;
	switch (k) {
	case K_LATEST: x->has_after_seq = 1; x->after_seq = head > limit ? head - limit : 0; break;
	case K_SCAN: x->has_after_seq = 1; x->after_seq = head ? rnd((unsigned)head) : 0; break;
	case K_COUNTRY: x->n_countries = 1; x->countries = (char **)&countries[rnd(NELEM(countries))]; break;
	case K_PAIR:
		b->pair[0] = (char *)countries[rnd(NELEM(countries))];
		b->pair[1] = (char *)countries[rnd(NELEM(countries))];
		x->n_pair = 2;
		x->pair = b->pair;
		break;
	case K_TYPE: x->n_types = 1; x->types = (char **)&types[rnd(NELEM(types))]; break;
	case K_DATE: {
		unsigned y = 2023 + rnd(3), m = 1 + rnd(12);
		snprintf(b->from, sizeof b->from, "%u-%02u-01", y, m);
		snprintf(b->to, sizeof b->to, "%u-%02u-10", y, m);
		x->date_from = b->from;
		x->date_to = b->to;
		break;
	}
	case K_ARTICLE:
		x->kind = COURANT__QUERY_KIND__ARTICLE;
		snprintf(b->id, sizeof b->id, "bench-%07u", narticles ? rnd((unsigned)narticles) : 0);
		x->id = b->id;
		break;
	case K_STATS: x->kind = COURANT__QUERY_KIND__STATS; break;
	}
}

typedef struct tally {
	double *lat[K_N];
	size_t got[K_N], nres[K_N], bytes[K_N], errors;
} tally;

/* One round trip of kind k; -1 when the store stopped answering. */
static int one(void *s, int k, tally *t, unsigned limit, uint64_t head, uint64_t narticles)
{
	Courant__Query x = COURANT__QUERY__INIT;
	qbuf b;
	size_t rb;
	build(&x, k, &b, limit, head, narticles);
	uint64_t a = bc_mono_us();
	Courant__QueryReply *rep = ask(s, &x, &rb);
	double ms = (double)(bc_mono_us() - a) / 1e3;
	if (!rep || rep->error) {
		if (t->errors++ < 5)
			fprintf(stderr, "bench_query: %s: %s\n", kind_names[k], rep && rep->error ? rep->error : "no reply");
		if (!rep)
			return -1;
		courant__query_reply__free_unpacked(rep, NULL);
		return 0;
	}
	t->lat[k][t->got[k]++] = ms;
	t->nres[k] += rep->n_events + (rep->article ? 1 : 0);
	t->bytes[k] += rb;
	courant__query_reply__free_unpacked(rep, NULL);
	return 0;
}

int main(int argc, char **argv)
{
	const char *ep = NULL;
	unsigned per = 300, limit = 100;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--query") && i + 1 < argc)
			ep = argv[++i];
		else if (!strcmp(argv[i], "--per-kind") && i + 1 < argc)
			per = (unsigned)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--limit") && i + 1 < argc)
			limit = (unsigned)atoi(argv[++i]);
	}
	if (!ep)
		return fprintf(stderr, "usage: bench_query --query EP [--per-kind N] [--limit L]\n"), 2;
	void *ctx = zmq_ctx_new(), *s = zmq_socket(ctx, ZMQ_DEALER);
	int linger = 0, tmo = 10000;
	zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
	zmq_setsockopt(s, ZMQ_RCVTIMEO, &tmo, sizeof tmo);
	if (zmq_connect(s, ep))
		return fprintf(stderr, "connect %s failed\n", ep), 1;
	uint64_t head = 0, nevents = 0, narticles = 0;
	if (store_size(s, &head, &nevents, &narticles))
		return fprintf(stderr, "bench_query: no STATS reply\n"), 1;
	tally t = {0};
	for (int k = 0; k < K_N; k++)
		t.lat[k] = calloc(per, sizeof(double));
	uint64_t t0 = bc_mono_us();
	for (unsigned i = 0; i < per; i++)
		for (int k = 0; k < K_N; k++)
			if (one(s, k, &t, limit, head, narticles))
				goto out;
out:;
	double secs = (double)(bc_mono_us() - t0) / 1e6;
	size_t total = 0;
	printf("{\"events_in_store\":%lu,\"articles_in_store\":%lu,\"limit\":%u,\"errors\":%zu", (unsigned long)nevents,
		(unsigned long)narticles, limit, t.errors);
	for (int k = 0; k < K_N; k++) {
		size_t g = t.got[k];
		total += g;
		printf(",\"%s\":{\"n\":%zu,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"avg_results\":%.1f,\"avg_reply_bytes\":%.0f}",
			kind_names[k], g, bc_percentile(t.lat[k], g, 50), bc_percentile(t.lat[k], g, 99),
			g ? (double)t.nres[k] / (double)g : 0.0, g ? (double)t.bytes[k] / (double)g : 0.0);
		free(t.lat[k]);
	}
	printf(",\"queries\":%zu,\"queries_per_s\":%.0f}\n", total, secs > 0 ? (double)total / secs : 0.0);
	zmq_close(s);
	zmq_ctx_term(ctx);
	return t.errors && !total;
}
