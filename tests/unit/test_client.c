/* client library tests against a scripted fake store (a ROUTER on inproc in a
 * thread): follow cursor, stale replies ignored, no duplicates, filters sent,
 * refusals surfaced, timeouts when no store answers. */
#include <pthread.h>
#include <stdlib.h>
#include <zmq.h>

#include "t.h"
#include "client/courant_client.h"
#include "common/codec.h"
#include "common/zio.h"

#define EP "inproc://fake-store"

static void *router;
static char seen_types[64], seen_countries[64];

static void reply(zmq_msg_t *id, const char *ref, const uint64_t *seqs, int n, const char *error)
{
	Courant__QueryReply r = COURANT__QUERY_REPLY__INIT;
	Courant__EventRecord recs[8], *rp[8];
	Courant__Event ev = COURANT__EVENT__INIT;
	ev.type = "CONSULT";
	r.version = CR_SCHEMA_VERSION;
	r.client_ref = (char *)ref;
	r.error = (char *)error;
	r.has_head_seq = 1;
	r.head_seq = 4;
	for (int i = 0; i < n; i++) {
		courant__event_record__init(&recs[i]);
		recs[i].version = CR_SCHEMA_VERSION;
		recs[i].seq = seqs[i];
		recs[i].article_id = "a";
		recs[i].event = &ev;
		rp[i] = &recs[i];
	}
	r.events = rp;
	r.n_events = (size_t)n;
	zmq_msg_t copy;
	zmq_msg_init(&copy);
	zmq_msg_copy(&copy, id);
	zmq_msg_send(&copy, router, ZMQ_SNDMORE);
	cr_zsend_pb(router, &r.base, 0);
}

/* Serves `n` requests following a small script keyed on after_seq. */
static void *fake_store(void *arg)
{
	int n = *(int *)arg;
	for (int i = 0; i < n; i++) {
		cr_zmsg m;
		Courant__Query *q = NULL;
		if (cr_zrecv(router, &m, 0))
			break;
		cr_decode_query(cr_zmsg_data(&m, m.n - 1), cr_zmsg_size(&m, m.n - 1), &q, NULL, 0);
		if (!q) {
			cr_zmsg_close(&m);
			continue;
		}
		if (q->n_types)
			snprintf(seen_types, sizeof seen_types, "%s", q->types[0]);
		if (q->n_countries)
			snprintf(seen_countries, sizeof seen_countries, "%s", q->countries[q->n_countries - 1]);
		if (q->kind == COURANT__QUERY_KIND__FOLLOW && q->after_seq == 0) {
			uint64_t stale[] = {99}, first[] = {1, 2, 2, 3};
			reply(&m.part[0], "someone-else", stale, 1, NULL);
			reply(&m.part[0], q->client_ref, first, 4, NULL);
		} else if (q->kind == COURANT__QUERY_KIND__FOLLOW && q->after_seq == 3) {
			uint64_t next[] = {2, 4}; /* 2 is behind the cursor: must be skipped */
			reply(&m.part[0], q->client_ref, next, 2, NULL);
		} else if (q->kind == COURANT__QUERY_KIND__EVENTS) {
			reply(&m.part[0], q->client_ref, NULL, 0, "pair needs exactly two valid codes");
		} else {
			reply(&m.part[0], q->client_ref, NULL, 0, NULL);
		}
		cr_msg_free(&q->base);
		cr_zmsg_close(&m);
	}
	return NULL;
}

static void test_follow(void)
{
	pthread_t th;
	int n = 3;
	cr_err err;
	const char *types[] = {"CONSULT"}, *countries[] = {"MLI", "TGO"};
	cc_filter f = {.types = types, .n_types = 1, .countries = countries, .n_countries = 2};
	cc_client *c;
	const Courant__EventRecord *e;
	char got[64] = "";
	Courant__QueryReply *r = NULL;

	pthread_create(&th, NULL, fake_store, &n);
	c = cc_client_connect(EP, NULL, &err);
	T_OK(c != NULL);
	if (!c)
		return;
	T_EQ_INT(cc_set_filter(c, &f), CR_OK);
	T_EQ_INT(cc_follow(c, 0), CR_OK);
	for (int i = 0; i < 4; i++) {
		err = cc_next(c, 2000, &e);
		T_EQ_INT(err, CR_OK);
		if (!err)
			snprintf(got + strlen(got), sizeof got - strlen(got), "%llu,", (unsigned long long)e->seq);
	}
	T_EQ_STR(got, "1,2,3,4,");
	T_EQ_INT(cc_cursor(c), 4);
	T_EQ_INT(cc_head(c), 4);
	T_EQ_STR(seen_types, "CONSULT");
	T_EQ_STR(seen_countries, "TGO");
	T_EQ_INT(cc_events(c, NULL, 0, 10, &r), CR_EINVAL);
	T_OK(r == NULL);
	T_EQ_STR(cc_last_error(c), "pair needs exactly two valid codes");
	pthread_join(th, NULL);
	cc_client_destroy(&c);
	cc_client_destroy(&c); /* safe twice */
}

static void test_timeout(void)
{
	cr_err err;
	cc_client *c = cc_client_connect("ipc:///tmp/courant-test-client-nobody.sock", NULL, &err);
	Courant__QueryReply *r = NULL;
	T_OK(c != NULL);
	if (!c)
		return;
	cc_set_timeout(c, 100);
	T_EQ_INT(cc_stats(c, &r), CR_ETIMEDOUT);
	T_OK(r == NULL);
	cc_client_destroy(&c);
}

int main(void)
{
	cr_err err;
	router = cr_zsocket(ZMQ_ROUTER, EP, 1, 100, 0, &err);
	if (!router) {
		printf("FAIL test_client: cannot bind %s\n", EP);
		return 1;
	}
	T_RUN(test_follow);
	T_RUN(test_timeout);
	cr_zclose(&router);
	cr_zctx_term();
	return t_done();
}
