/* PUB fan-out with type and country topics (see publish.h). */
#include "store/publish.h"

#include <stdio.h>
#include <zmq.h>

#include "store/index.h"

static size_t clean(char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '.')
			s[i] = '_';
	return n;
}

size_t st_topic_type(char out[ST_TOPIC_MAX], const char *type)
{
	int n = snprintf(out, ST_TOPIC_MAX, "t.%.40s", type ? type : "-");
	clean(out + 2, (size_t)n - 2);
	out[n] = '.';
	out[n + 1] = '\0';
	return (size_t)n + 1;
}

size_t st_topic_country(char out[ST_TOPIC_MAX], const char *code, const char *type)
{
	int a = snprintf(out, ST_TOPIC_MAX, "c.%.32s", code);
	int b;
	clean(out + 2, (size_t)a - 2);
	b = snprintf(out + a, ST_TOPIC_MAX - (size_t)a, ".%.40s", type ? type : "-");
	clean(out + a + 1, (size_t)b - 1);
	out[a + b] = '.';
	out[a + b + 1] = '\0';
	return (size_t)(a + b + 1);
}

static void send_copy(void *pub, const char *topic, size_t tl, const st_pub *p, st_counters *c)
{
	if (zmq_send(pub, topic, tl, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0)
		return;
	if (zmq_send(pub, p->body, p->len, ZMQ_DONTWAIT) >= 0)
		atomic_fetch_add_explicit(&c->published, 1, memory_order_relaxed);
}

void st_publish(void *pub, const st_result *res, st_counters *c)
{
	char topic[ST_TOPIC_MAX];
	char codes[ST_CODES_MAX][ST_KEY_MAX];

	if (!pub)
		return;
	for (size_t i = 0; i < res->npubs; i++) {
		const st_pub *p = &res->pubs[i];
		int n = st_index_codes(p->ev, codes);
		send_copy(pub, topic, st_topic_type(topic, p->ev->type), p, c);
		for (int k = 0; k < n; k++)
			send_copy(pub, topic, st_topic_country(topic, codes[k], p->ev->type), p, c);
	}
}
