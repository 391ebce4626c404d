/* PUB fan-out with type and country topics (see publish.h). */
#include "store/publish.h"

#include <string.h>
#include <zmq.h>

#include "store/index.h"

/* Append at most `max` bytes of s at out[pos], '.' sent as '_', then '.'. */
static size_t put_part(char *out, size_t pos, const char *s, size_t max)
{
	for (size_t i = 0; i < max && s[i]; i++)
		out[pos++] = s[i] == '.' ? '_' : s[i];
	out[pos++] = '.';
	out[pos] = '\0';
	return pos;
}

size_t st_topic_type(char out[ST_TOPIC_MAX], const char *type)
{
	memcpy(out, "t.", 2);
	return put_part(out, 2, type ? type : "-", 40);
}

size_t st_topic_country(char out[ST_TOPIC_MAX], const char *code, const char *type)
{
	size_t n;
	memcpy(out, "c.", 2);
	n = put_part(out, 2, code, 32);
	return put_part(out, n, type ? type : "-", 40);
}

/* Could a subscription to prefix s (n bytes) match topics starting with
 * `cls` ("t." or "c.")? Either s is a prefix of cls or cls of s. */
static int matches_class(const unsigned char *s, size_t n, const char *cls)
{
	return memcmp(s, cls, n < 2 ? n : 2) == 0;
}

void st_subs_update(void *xpub, st_subs *subs)
{
	unsigned char m[256];
	int n;
	/* XPUB reports each distinct prefix's first subscription (1) and its
	 * last unsubscription (0), including those of departing peers */
	while ((n = zmq_recv(xpub, m, sizeof m, ZMQ_DONTWAIT)) >= 1) {
		size_t len = (size_t)n - 1 < sizeof m - 1 ? (size_t)n - 1 : sizeof m - 1;
		long d = m[0] == 1 ? 1 : m[0] == 0 ? -1 : 0;
		if (matches_class(m + 1, len, "t."))
			subs->type += d;
		if (matches_class(m + 1, len, "c."))
			subs->country += d;
	}
}

static void send_copy(void *pub, const char *topic, size_t tl, const st_pub *p, st_counters *c)
{
	if (zmq_send(pub, topic, tl, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0)
		return;
	if (zmq_send(pub, p->body, p->len, ZMQ_DONTWAIT) >= 0)
		atomic_fetch_add_explicit(&c->published, 1, memory_order_relaxed);
}

void st_publish(void *pub, st_subs *subs, const st_result *res, st_counters *c)
{
	char topic[ST_TOPIC_MAX];
	char codes[ST_CODES_MAX][ST_KEY_MAX];
	int types = 1, countries = 1;

	if (!pub)
		return;
	if (subs) {
		st_subs_update(pub, subs);
		types = subs->type > 0;
		countries = subs->country > 0;
	}
	for (size_t i = 0; i < res->npubs; i++) {
		const st_pub *p = &res->pubs[i];
		int n = countries ? st_index_codes(p->ev, codes) : 0;
		if (types)
			send_copy(pub, topic, st_topic_type(topic, p->ev->type), p, c);
		for (int k = 0; k < n; k++)
			send_copy(pub, topic, st_topic_country(topic, codes[k], p->ev->type), p, c);
	}
}
