/* courant stats: ask ingest (submit endpoint) and the store (query
 * endpoint, which also holds the latest heartbeat of every worker) for
 * their counters, and print them as one JSON object, a table, or the
 * Prometheus text format. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/conn.h"
#include "common/buf.h"
#include "common/codec.h"
#include "common/endpoints.h"
#include "common/jw.h"
#include "common/zio.h"

enum { OUT_TABLE, OUT_JSON, OUT_PROM };

static void usage(FILE *f)
{
	fprintf(f, "usage: courant stats [--json|--prometheus] [--data DIR] [--timeout S] [endpoint flags]\n"
		   "Counters of every service: ingest (asked directly), the store and the workers\n"
		   "(their latest heartbeat, kept by the store).\n%s",
		cr_endpoints_help());
}

/* One Query{STATS} round trip; NULL when no answer within timeout_ms. */
static Courant__QueryReply *ask_stats(const char *endpoint, long timeout_ms, int delim)
{
	Courant__Query q = COURANT__QUERY__INIT;
	Courant__QueryReply *r = NULL;
	zmq_pollitem_t it;
	cr_err e;
	void *s = cr_zsocket(ZMQ_DEALER, endpoint, 0, 4, 0, &e);
	cr_zmsg m;
	if (!s)
		return NULL;
	q.version = CR_SCHEMA_VERSION;
	q.kind = COURANT__QUERY_KIND__STATS;
	q.client_ref = "stats";
	if ((delim && cr_zsend(s, "", 0, ZMQ_SNDMORE | ZMQ_DONTWAIT)) || cr_zsend_pb(s, &q.base, ZMQ_DONTWAIT))
		goto out;
	it = (zmq_pollitem_t){s, 0, ZMQ_POLLIN, 0};
	if (cr_zpoll(&it, 1, timeout_ms) > 0 && cr_zrecv(s, &m, ZMQ_DONTWAIT) == CR_OK) {
		if (cr_decode_query_reply(cr_zmsg_data(&m, m.n - 1), cr_zmsg_size(&m, m.n - 1), &r, NULL, 0) != CR_OK)
			r = NULL;
		cr_zmsg_close(&m);
	}
out:
	cr_zclose(&s);
	return r;
}

static double age_s(const Courant__Stats *s)
{
	unsigned long long now = cr_now_us();
	return s->has_at_us && s->at_us <= now ? (double)(now - s->at_us) / 1e6 : -1;
}

static void stats_obj(cr_jw *w, const Courant__Stats *s, int with_instance)
{
	cr_jw_obj(w);
	if (with_instance) {
		cr_jw_kstr(w, "instance", s->instance);
		cr_jw_key(w, "age_s");
		cr_jw_num(w, age_s(s), 1);
	}
	for (size_t i = 0; i < s->n_counters; i++)
		cr_jw_kuint(w, s->counters[i]->name, s->counters[i]->value);
	cr_jw_end(w);
}

/* Workers of one service: an array, or the freshest alone for the relay. */
static void workers(cr_jw *w, const Courant__QueryReply *st, const char *svc, int single)
{
	const Courant__Stats *best = NULL;
	cr_jw_key(w, svc);
	if (!single)
		cr_jw_arr(w);
	for (size_t i = 0; st && i < st->n_stats; i++) {
		const Courant__Stats *s = st->stats[i];
		if (strcmp(s->service, svc))
			continue;
		if (!single)
			stats_obj(w, s, 1);
		else if (!best || s->at_us > best->at_us)
			best = s;
	}
	if (!single)
		cr_jw_end(w);
	else if (best)
		stats_obj(w, best, 1);
	else
		cr_jw_null(w);
}

static void print_json(const Courant__QueryReply *in, const Courant__QueryReply *st)
{
	cr_buf b;
	cr_jw w;
	const Courant__Stats *store = NULL;
	cr_buf_init(&b, 8 << 20);
	cr_jw_init(&w, &b);
	for (size_t i = 0; st && i < st->n_stats; i++)
		if (!strcmp(st->stats[i]->service, "store"))
			store = st->stats[i];
	cr_jw_obj(&w);
	cr_jw_key(&w, "ingest");
	if (in && in->n_stats)
		stats_obj(&w, in->stats[0], 0);
	else
		cr_jw_null(&w);
	cr_jw_key(&w, "store");
	if (store)
		stats_obj(&w, store, 0);
	else
		cr_jw_null(&w);
	workers(&w, st, "normalize", 0);
	workers(&w, st, "relay", 1);
	workers(&w, st, "extract", 0);
	cr_jw_end(&w);
	printf("%s\n", b.data ? b.data : "{}");
	cr_buf_fini(&b);
}

static void prom_name(const char *s, char *out, size_t n)
{
	size_t k = 0;
	for (; *s && k + 1 < n; s++)
		out[k++] = (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ? *s : (*s >= 'A' && *s <= 'Z') ? (char)(*s + 32) : '_';
	out[k] = '\0';
}

static void print_prom_one(const Courant__Stats *s)
{
	char svc[64], name[160], inst[128];
	prom_name(s->service, svc, sizeof svc);
	snprintf(inst, sizeof inst, "%s", s->instance ? s->instance : "");
	for (char *p = inst; *p; p++)
		if (*p == '"' || *p == '\\' || *p == '\n')
			*p = '_';
	for (size_t i = 0; i < s->n_counters; i++) {
		prom_name(s->counters[i]->name, name, sizeof name);
		printf("courant_%s_%s{instance=\"%s\"} %llu\n", svc, name, inst,
		       (unsigned long long)s->counters[i]->value);
	}
}

static void print_table_one(const Courant__Stats *s)
{
	printf("%-10s %-28s", s->service, s->instance ? s->instance : "-");
	if (strcmp(s->service, "ingest") && strcmp(s->service, "store"))
		printf(" (%.0fs ago)", age_s(s));
	printf("\n");
	for (size_t i = 0; i < s->n_counters; i++)
		printf("    %-24s %llu\n", s->counters[i]->name, (unsigned long long)s->counters[i]->value);
}

static void print_each(const Courant__QueryReply *in, const Courant__QueryReply *st, void (*fn)(const Courant__Stats *))
{
	for (size_t i = 0; in && i < in->n_stats; i++)
		fn(in->stats[i]);
	for (size_t i = 0; st && i < st->n_stats; i++)
		fn(st->stats[i]);
}

int cmd_stats(int argc, char **argv)
{
	const cr_endpoints *ep;
	Courant__QueryReply *in, *st;
	int mode = OUT_TABLE, i;
	double timeout = 2;

	if (cli_conn_take("stats", &argc, argv))
		return 2;
	if (!(ep = cli_conn_endpoints("stats")))
		return 1;
	for (i = 1; i < argc;) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return usage(stdout), 0;
		if (!strcmp(a, "--json"))
			mode = OUT_JSON, i++;
		else if (!strcmp(a, "--prometheus"))
			mode = OUT_PROM, i++;
		else if (!strcmp(a, "--timeout") && i + 1 < argc && atof(argv[i + 1]) > 0)
			timeout = atof(argv[i + 1]), i += 2;
		else
			return fprintf(stderr, "courant stats: unexpected argument %s\n", a), usage(stderr), 2;
	}
	in = ask_stats(ep->submit, (long)(timeout * 1000), 0);
	st = ask_stats(ep->query, (long)(timeout * 1000), 1);
	if (!in)
		fprintf(stderr, "courant stats: no answer from ingest at %s\n", ep->submit);
	if (!st)
		fprintf(stderr, "courant stats: no answer from the store at %s\n", ep->query);
	if (mode == OUT_JSON)
		print_json(in, st);
	else
		print_each(in, st, mode == OUT_PROM ? print_prom_one : print_table_one);
	cr_msg_free(in ? &in->base : NULL);
	cr_msg_free(st ? &st->base : NULL);
	cr_zctx_term();
	return in && st ? 0 : 1;
}
