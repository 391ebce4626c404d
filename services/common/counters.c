/* Counters and the Work{stats} heartbeat. */
#include "common/counters.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/codec.h"
#include "common/zio.h"

void cr_counters_init(cr_counters *c, const char *service, const char *const *names)
{
	char host[64] = "localhost";
	memset(c, 0, sizeof *c);
	c->service = service;
	gethostname(host, sizeof host - 1);
	snprintf(c->instance, sizeof c->instance, "%s:%ld", host, (long)getpid());
	while (names[c->n] && c->n < CR_COUNTERS_MAX) {
		c->names[c->n] = names[c->n];
		c->n++;
	}
}

void cr_counters_stats(cr_counters *c, Courant__Stats *s, Courant__Counter *cs, Courant__Counter **cp)
{
	courant__stats__init(s);
	s->version = CR_SCHEMA_VERSION;
	s->service = (char *)c->service;
	s->instance = c->instance;
	s->has_at_us = 1;
	s->at_us = cr_now_us();
	for (int i = 0; i < c->n; i++) {
		courant__counter__init(&cs[i]);
		cs[i].name = (char *)c->names[i];
		cs[i].value = c->v[i];
		cp[i] = &cs[i];
	}
	s->counters = cp;
	s->n_counters = (size_t)c->n;
}

cr_err cr_counters_beat(cr_counters *c, void *sock, int force)
{
	Courant__Work w = COURANT__WORK__INIT;
	Courant__Stats s;
	Courant__Counter cs[CR_COUNTERS_MAX], *cp[CR_COUNTERS_MAX];
	uint64_t now = cr_mono_us();
	cr_err e;
	if (!force && now - c->last_beat_us < 1000000u)
		return CR_OK;
	cr_counters_stats(c, &s, cs, cp);
	w.version = CR_SCHEMA_VERSION;
	w.stats = &s;
	e = cr_zsend_pb(sock, &w.base, ZMQ_DONTWAIT);
	if (e == CR_OK)
		c->last_beat_us = now;
	return e;
}
