/* common/emit against protobuf-c: the same size and the same bytes for
 * Extraction, Article (sentences, two-byte tags), Entity, Event (location)
 * and Work{article} (cr_emit_work_article)
 * messages built with every field present or absent, edge values (negative
 * enum, largest varints, NaN), NULL required strings and messages, unknown
 * fields (handed to protobuf-c), and a few thousand random messages. */
#include "t.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/emit.h"
#include "courant.pb-c.h"

/* protobuf-c's packing and ours must agree. */
static int same(const ProtobufCMessage *m)
{
	size_t n = protobuf_c_message_get_packed_size(m), k1, k2, e = cr_emit_size(m);
	uint8_t *a = malloc(n + 1), *b = malloc(n + 1);
	int ok;
	k1 = protobuf_c_message_pack(m, a);
	k2 = cr_emit_pack(m, b);
	ok = e == n && k1 == n && k2 == n && !memcmp(a, b, n);
	if (!ok)
		printf("  %s: protobuf-c %zu bytes, emit sized %zu, wrote %zu\n", m->descriptor->short_name, n, e, k2);
	free(a);
	free(b);
	return ok;
}

/* cr_emit_work_article against protobuf-c packing Work{version, article}. */
static int same_work(Courant__Article *art, uint32_t version)
{
	Courant__Work w = COURANT__WORK__INIT;
	size_t n, k = 0;
	uint8_t *a, *b;
	int ok;
	w.version = version;
	w.article = art;
	n = protobuf_c_message_get_packed_size(&w.base);
	a = malloc(n + 1);
	protobuf_c_message_pack(&w.base, a);
	b = cr_emit_work_article(art, version, &k);
	ok = b && k == n && !memcmp(a, b, n);
	free(a);
	free(b);
	return ok;
}

static uint64_t rng = 88172645463325252ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A varint-sized value of any length, small ones more often. */
static uint64_t any_u(void)
{
	return next() >> (next() % 64);
}

static char pool[16][300];

/* NULL, "", or one of a few strings (UTF-8, long enough for two-byte lengths). */
static char *any_str(void)
{
	unsigned k = (unsigned)(next() % 18);
	return k == 16 ? NULL : k == 17 ? "" : pool[k];
}

static char *strs[8];

static void fill_strs(size_t n)
{
	for (size_t i = 0; i < n; i++)
		strs[i] = pool[next() % 16];
}

static void random_entity(Courant__Entity *e)
{
	courant__entity__init(e);
	e->type = (Courant__EntityType)(next() % 7) - 1; /* -1 and unknown values too */
	e->name = any_str();
	e->code = any_str();
	e->role = any_str();
	e->country = any_str();
	e->acronym = any_str();
	e->n_aliases = next() % 4;
	e->aliases = strs;
	e->has_mentions = next() & 1;
	e->mentions = (uint32_t)any_u();
}

static void random_event(Courant__Event *e, Courant__Location *l)
{
	courant__event__init(e);
	courant__location__init(l);
	e->type = next() % 5 ? any_str() : NULL; /* required: NULL packs as "" */
	e->mode = any_str();
	e->n_actor = next() % 3;
	e->actor = strs;
	e->n_recipient = next() % 3;
	e->recipient = strs + 1;
	e->n_persons = next() % 2;
	e->persons = strs + 2;
	e->date = any_str();
	e->date_end = any_str();
	l->name = any_str();
	l->country = any_str();
	e->location = next() & 1 ? l : NULL;
	e->n_context = next() % 3;
	e->context = strs + 3;
	e->text = any_str();
	e->has_confidence = next() & 1;
	e->confidence = (float)(next() % 1000) / 999.0f;
	e->has_sentence = next() & 1;
	e->sentence = (uint32_t)any_u();
}

static void random_article(Courant__Article *a, Courant__Sentence *s, Courant__Sentence **ps, size_t max)
{
	courant__article__init(a);
	a->version = (uint32_t)any_u();
	a->id = any_str();
	a->seq = any_u();
	a->has_attempt = next() & 1;
	a->attempt = (uint32_t)any_u();
	a->url = any_str();
	a->source = any_str();
	a->title = any_str();
	a->published = any_str();
	a->content_type = any_str();
	a->has_raw = next() & 1;
	a->raw.data = (uint8_t *)pool[14];
	a->raw.len = next() % 300;
	a->text = any_str();
	a->lang = any_str();
	a->has_lang_confidence = next() & 1;
	a->lang_confidence = (float)(next() % 100) / 99.0f;
	a->n_sentences = next() % (max + 1);
	for (size_t i = 0; i < a->n_sentences; i++) {
		courant__sentence__init(&s[i]);
		s[i].start = (uint32_t)any_u();
		s[i].end = (uint32_t)any_u();
		s[i].has_raw_start = next() & 1;
		s[i].raw_start = (uint32_t)any_u();
		s[i].has_raw_end = next() & 1;
		s[i].raw_end = (uint32_t)any_u();
		ps[i] = &s[i];
	}
	a->sentences = ps;
	a->byline = any_str();
	a->encoding = any_str();
	a->has_repaired = next() & 1;
	a->repaired = (uint32_t)any_u();
	a->has_submitted_us = next() & 1;
	a->submitted_us = any_u();
	a->lang_hint = any_str();
}

static void test_random(void)
{
	Courant__Entity ents[3], *pe[3];
	Courant__Event evs[3], *pv[3];
	Courant__Location locs[3];
	Courant__Article a;
	Courant__Sentence s[5], *ps[5];
	Courant__Extraction x;
	int bad = 0;
	for (int i = 0; i < 3000 && bad < 5; i++) {
		fill_strs(8);
		random_article(&a, s, ps, 5);
		for (int k = 0; k < 3; k++) {
			random_entity(&ents[k]);
			random_event(&evs[k], &locs[k]);
			pe[k] = &ents[k];
			pv[k] = &evs[k];
		}
		courant__extraction__init(&x);
		x.version = (uint32_t)any_u();
		x.article = next() % 8 ? &a : NULL; /* required: NULL packs as empty */
		x.n_entities = next() % 4;
		x.entities = pe;
		x.n_events = next() % 4;
		x.events = pv;
		bad += !same(&ents[0].base) + !same(&evs[0].base) + !same(&a.base) + !same(&x.base);
		bad += !same_work(&a, (uint32_t)any_u());
	}
	T_EQ_INT(bad, 0);
}

/* Edge values protobuf-c writes in their own way. */
static void test_edges(void)
{
	Courant__Entity e = COURANT__ENTITY__INIT;
	Courant__Event v = COURANT__EVENT__INIT;
	Courant__Article a = COURANT__ARTICLE__INIT;
	Courant__Rejection r = COURANT__REJECTION__INIT;
	e.type = (Courant__EntityType)-5; /* ten bytes */
	e.has_mentions = 1;
	e.mentions = UINT32_MAX;
	T_OK(same(&e.base));
	v.has_confidence = 1;
	v.confidence = NAN;
	T_OK(same(&v.base));
	v.confidence = -0.0f;
	T_OK(same(&v.base));
	a.seq = UINT64_MAX;
	a.has_raw = 1; /* present and empty */
	a.has_submitted_us = 1;
	a.submitted_us = UINT64_MAX;
	a.lang_hint = "fr"; /* field 19: a two-byte tag */
	T_OK(same(&a.base));
	T_OK(same_work(&a, 1));
	/* a message emit does not write itself goes to protobuf-c */
	r.version = 1;
	r.stage = "extract";
	r.reason = "why";
	T_OK(same(&r.base));
}

/* Unknown fields are kept by unpack and packed last: protobuf-c's job. */
static void test_unknown(void)
{
	/* Event{type "X", field 99 varint 7}, Article{version 1, id "a", seq 1, field 40 "zz"} */
	static const uint8_t ev[] = {0x0a, 0x01, 'X', 0x98, 0x06, 0x07};
	static const uint8_t ar[] = {0x08, 0x01, 0x12, 0x01, 'a', 0x18, 0x01, 0xc2, 0x02, 0x02, 'z', 'z'};
	Courant__Event *v = courant__event__unpack(NULL, sizeof ev, ev);
	Courant__Article *a = courant__article__unpack(NULL, sizeof ar, ar);
	T_OK(v && v->base.n_unknown_fields == 1 && same(&v->base));
	T_OK(a && a->base.n_unknown_fields == 1 && same(&a->base));
	T_OK(a && same_work(a, 1));
	courant__event__free_unpacked(v, NULL);
	courant__article__free_unpacked(a, NULL);
}

int main(void)
{
	for (int i = 0; i < 16; i++) {
		int len = i < 4 ? i : i == 14 ? 200 : 5 + i * 2; /* one over 127: a two-byte length */
		for (int k = 0; k < len; k++)
			pool[i][k] = (char)(k % 5 == 4 ? ' ' : 'a' + (i + k) % 26);
		pool[i][len] = '\0';
	}
	memcpy(pool[15], "\xc3\xa9t\xc3\xa9", 6); /* "été" */
	T_RUN(test_random);
	T_RUN(test_edges);
	T_RUN(test_unknown);
	return t_done();
}
