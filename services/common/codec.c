/* Safe decoders for every wire message (see codec.h for the contract).
 * Each decoded message lives in its own capped arena; a 16-byte tag just
 * before the message points back to the arena so cr_msg_free() needs only
 * the message. */
#include "common/codec.h"
#include "common/utf8.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/emit.h"
#include "common/wire.h"

#define TAG_MAGIC 0x43524d53u /* "CRMS" */
#define MAX_SHORT 4096u       /* names, urls, titles, reasons */
#define MAX_REF 256u          /* client_ref */
#define ARENA_SLACK (1u << 20) /* arena cap: 8 x the frame + this (common/worker.c too) */

typedef struct tag {
	uint32_t magic;
	cr_arena *arena;
} tag;

typedef struct vctx {
	char *why;
	size_t whylen;
} vctx;

static int fail(vctx *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(vctx *v, const char *fmt, ...)
{
	if (v->why && v->whylen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(v->why, v->whylen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Optional string: NULL is fine; else bounded valid UTF-8. */
static int str_ok(vctx *v, const char *field, const char *s, size_t max)
{
	size_t n;
	if (!s)
		return 0;
	n = strnlen(s, max + 1);
	if (n > max)
		return fail(v, "%s longer than %zu bytes", field, max);
	if (!cr_utf8_valid(s, n))
		return fail(v, "%s is not valid UTF-8", field);
	return 0;
}

/* Article ids: non-empty, <= CR_MAX_ID, UTF-8, no control characters. */
static int id_ok(vctx *v, const char *field, const char *s, int required)
{
	if (!s || !*s)
		return required ? fail(v, "%s missing or empty", field) : 0;
	if (str_ok(v, field, s, CR_MAX_ID))
		return -1;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return fail(v, "%s has a control character", field);
	return 0;
}

static int version_ok(vctx *v, const char *what, uint32_t version)
{
	if (version != CR_SCHEMA_VERSION)
		return fail(v, "%s: unknown schema version %u", what, version);
	return 0;
}

static int check_submit(vctx *v, const Courant__Submit *m)
{
	if (m->n_batch) /* batch frames are opened by common/batch.h, never decoded whole */
		return fail(v, "a batch frame where one Submit was expected");
	if (str_ok(v, "client_ref", m->client_ref, MAX_REF) || id_ok(v, "id", m->id, 0) ||
	    str_ok(v, "url", m->url, MAX_SHORT) || str_ok(v, "source", m->source, MAX_SHORT) ||
	    str_ok(v, "title", m->title, MAX_SHORT) || str_ok(v, "published", m->published, 64) ||
	    str_ok(v, "content_type", m->content_type, 128) || str_ok(v, "lang_hint", m->lang_hint, 32))
		return -1;
	if (m->has_text && m->text.len > CR_MAX_ARTICLE)
		return fail(v, "text over %u bytes", CR_MAX_ARTICLE);
	return 0;
}

static int check_submit_reply(vctx *v, const Courant__SubmitReply *m)
{
	if (m->status != COURANT__SUBMIT_STATUS__ACCEPTED && m->status != COURANT__SUBMIT_STATUS__DUPLICATE &&
	    m->status != COURANT__SUBMIT_STATUS__REFUSED)
		return fail(v, "unknown submit status %d", (int)m->status);
	return str_ok(v, "client_ref", m->client_ref, MAX_REF) || id_ok(v, "id", m->id, 0) ||
			       str_ok(v, "reason", m->reason, MAX_SHORT)
		       ? -1
		       : 0;
}

static int check_article(vctx *v, const Courant__Article *a)
{
	if (version_ok(v, "article", a->version) || id_ok(v, "article.id", a->id, 1) ||
	    str_ok(v, "url", a->url, MAX_SHORT) || str_ok(v, "source", a->source, MAX_SHORT) ||
	    str_ok(v, "title", a->title, MAX_SHORT) || str_ok(v, "published", a->published, 64) ||
	    str_ok(v, "content_type", a->content_type, 128) || str_ok(v, "lang", a->lang, 32) ||
	    str_ok(v, "byline", a->byline, MAX_SHORT) || str_ok(v, "encoding", a->encoding, 64) ||
	    str_ok(v, "lang_hint", a->lang_hint, 32) || str_ok(v, "text", a->text, CR_MAX_FRAME))
		return -1;
	if (a->has_raw && a->raw.len > CR_MAX_ARTICLE)
		return fail(v, "raw over %u bytes", CR_MAX_ARTICLE);
	if (a->n_sentences) {
		size_t tl = a->text ? strlen(a->text) : 0;
		for (size_t i = 0; i < a->n_sentences; i++) {
			const Courant__Sentence *s = a->sentences[i];
			if (s->start > s->end || s->end > tl)
				return fail(v, "sentence %zu out of the text", i);
		}
	}
	return 0;
}

static int check_entity(vctx *v, const Courant__Entity *e)
{
	if (str_ok(v, "entity.name", e->name, MAX_SHORT) || str_ok(v, "entity.code", e->code, 64) ||
	    str_ok(v, "entity.role", e->role, MAX_SHORT) || str_ok(v, "entity.country", e->country, 64) ||
	    str_ok(v, "entity.acronym", e->acronym, 256))
		return -1;
	for (size_t i = 0; i < e->n_aliases; i++)
		if (str_ok(v, "entity.alias", e->aliases[i], MAX_SHORT))
			return -1;
	return 0;
}

static int strs_ok(vctx *v, const char *field, char **s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!s[i] || str_ok(v, field, s[i], MAX_SHORT))
			return s[i] ? -1 : fail(v, "%s has a null entry", field);
	return 0;
}

static int check_event(vctx *v, const Courant__Event *e)
{
	if (!e->type || !*e->type || str_ok(v, "event.type", e->type, 64))
		return e->type && *e->type ? -1 : fail(v, "event without a type");
	if (str_ok(v, "event.mode", e->mode, 64) || str_ok(v, "event.date", e->date, 64) ||
	    str_ok(v, "event.date_end", e->date_end, 64) || str_ok(v, "event.text", e->text, 65536) ||
	    strs_ok(v, "event.actor", e->actor, e->n_actor) ||
	    strs_ok(v, "event.recipient", e->recipient, e->n_recipient) ||
	    strs_ok(v, "event.persons", e->persons, e->n_persons) ||
	    strs_ok(v, "event.context", e->context, e->n_context))
		return -1;
	if (e->location && (str_ok(v, "location.name", e->location->name, MAX_SHORT) ||
			    str_ok(v, "location.country", e->location->country, 64)))
		return -1;
	return 0;
}

static int check_extraction(vctx *v, const Courant__Extraction *x)
{
	if (version_ok(v, "extraction", x->version) || !x->article)
		return x->article ? -1 : fail(v, "extraction without article");
	if (check_article(v, x->article))
		return -1;
	for (size_t i = 0; i < x->n_entities; i++)
		if (check_entity(v, x->entities[i]))
			return -1;
	for (size_t i = 0; i < x->n_events; i++)
		if (check_event(v, x->events[i]))
			return -1;
	return 0;
}

static int check_rejection(vctx *v, const Courant__Rejection *r)
{
	if (version_ok(v, "rejection", r->version) || id_ok(v, "rejection.id", r->id, 0))
		return -1;
	if (!r->stage || !*r->stage || str_ok(v, "stage", r->stage, 64))
		return r->stage && *r->stage ? -1 : fail(v, "rejection without stage");
	if (!r->reason || str_ok(v, "reason", r->reason, MAX_SHORT))
		return r->reason ? -1 : fail(v, "rejection without reason");
	if (r->has_payload && r->payload.len > CR_MAX_FRAME)
		return fail(v, "rejection payload too big");
	return 0;
}

static int check_stats(vctx *v, const Courant__Stats *s)
{
	if (version_ok(v, "stats", s->version) || str_ok(v, "instance", s->instance, 256))
		return -1;
	if (!s->service || !*s->service || str_ok(v, "service", s->service, 64))
		return s->service && *s->service ? -1 : fail(v, "stats without service");
	if (s->n_counters > 1024)
		return fail(v, "too many counters");
	for (size_t i = 0; i < s->n_counters; i++)
		if (!s->counters[i]->name || str_ok(v, "counter", s->counters[i]->name, 128))
			return s->counters[i]->name ? -1 : fail(v, "counter without name");
	return 0;
}

static int check_work(vctx *v, const Courant__Work *w)
{
	int n = !!w->article + !!w->extraction + !!w->rejection + !!w->stats;
	if (w->n_batch) /* batch frames are opened by common/batch.h, never decoded whole */
		return fail(v, "a batch frame where one Work frame was expected");
	if (n != 1)
		return fail(v, "work carries %d payloads, expected exactly one", n);
	if (w->article)
		return check_article(v, w->article);
	if (w->extraction)
		return check_extraction(v, w->extraction);
	if (w->rejection)
		return check_rejection(v, w->rejection);
	return check_stats(v, w->stats);
}

static int check_ack(vctx *v, const Courant__Ack *a)
{
	for (size_t i = 0; i < a->n_items; i++) {
		const Courant__AckItem *it = a->items[i];
		if (id_ok(v, "ack.id", it->id, 1))
			return -1;
		if ((unsigned)it->status > COURANT__ACK_STATUS__DUPLICATE_STORED)
			return fail(v, "unknown ack status %d", (int)it->status);
	}
	return 0;
}

static int check_query(vctx *v, const Courant__Query *q)
{
	if ((unsigned)q->kind > COURANT__QUERY_KIND__DEAD_LETTER)
		return fail(v, "unknown query kind %d", (int)q->kind);
	if (id_ok(v, "id", q->id, 0) || str_ok(v, "client_ref", q->client_ref, MAX_REF) ||
	    str_ok(v, "date_from", q->date_from, 64) || str_ok(v, "date_to", q->date_to, 64) ||
	    str_ok(v, "person", q->person, MAX_SHORT) || strs_ok(v, "types", q->types, q->n_types) ||
	    strs_ok(v, "countries", q->countries, q->n_countries) || strs_ok(v, "pair", q->pair, q->n_pair))
		return -1;
	if (q->n_types > 64 || q->n_countries > 256 || q->n_pair > 2)
		return fail(v, "too many filters");
	return 0;
}

static int check_event_record(vctx *v, const Courant__EventRecord *r)
{
	if (id_ok(v, "article_id", r->article_id, 1) || !r->event)
		return r->event ? -1 : fail(v, "event record without event");
	return check_event(v, r->event) || str_ok(v, "published", r->published, 64) ||
			       str_ok(v, "url", r->url, MAX_SHORT) || str_ok(v, "lang", r->lang, 32)
		       ? -1
		       : 0;
}

static int check_query_reply(vctx *v, const Courant__QueryReply *r)
{
	if (str_ok(v, "client_ref", r->client_ref, MAX_REF) || str_ok(v, "error", r->error, MAX_SHORT))
		return -1;
	for (size_t i = 0; i < r->n_events; i++)
		if (version_ok(v, "event", r->events[i]->version) || check_event_record(v, r->events[i]))
			return -1;
	if (r->article && check_extraction(v, r->article))
		return -1;
	for (size_t i = 0; i < r->n_stats; i++)
		if (check_stats(v, r->stats[i]))
			return -1;
	for (size_t i = 0; i < r->n_dead; i++)
		if (check_rejection(v, r->dead[i]->rejection))
			return -1;
	return 0;
}

/* libprotobuf-c 1.4.1 takes a field number 0 written as a non-minimal tag
 * (e.g. 81 00) as an unknown field, then packs it as the tag 01, which it
 * refuses to unpack: such a message would pass here and fail at the next
 * stage that re-packs it. Refuse it at any depth. The schema has no
 * recursive message, so the recursion depth is bounded by the schema. */
static int no_field0(vctx *v, const ProtobufCMessage *m)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	const char *base = (const char *)m;
	for (unsigned i = 0; i < m->n_unknown_fields; i++)
		if (m->unknown_fields[i].tag == 0)
			return fail(v, "%s carries a field number 0", d->short_name);
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		if (f->type != PROTOBUF_C_TYPE_MESSAGE)
			continue;
		if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
		    *(const uint32_t *)(const void *)(base + f->quantifier_offset) != f->id)
			continue; /* another member of the oneof is set */
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = *(const size_t *)(const void *)(base + f->quantifier_offset);
			ProtobufCMessage *const *sub = *(ProtobufCMessage *const *const *)(const void *)(base + f->offset);
			for (size_t k = 0; k < n; k++)
				if (sub[k] && no_field0(v, sub[k]))
					return -1;
		} else {
			const ProtobufCMessage *sub = *(ProtobufCMessage *const *)(const void *)(base + f->offset);
			if (sub && no_field0(v, sub))
				return -1;
		}
	}
	return 0;
}

/* Unpack into a fresh arena tagged so that cr_msg_free() can find it.
 * `version` is read from the first field of every top-level message. */
static cr_err decode(const ProtobufCMessageDescriptor *d, const void *buf, size_t len, size_t cap,
		     ProtobufCMessage **out, vctx *v)
{
	ProtobufCAllocator al;
	cr_arena *a = NULL;
	tag *t;
	ProtobufCMessage *m;
	cr_err err = CR_OK;

	*out = NULL;
	if (len > cap) {
		fail(v, "frame of %zu bytes over the %zu byte limit", len, cap);
		return CR_ETOOBIG;
	}
	if (!buf && len) {
		fail(v, "null buffer");
		return CR_EINVAL;
	}
	a = cr_arena_new(len * 8 + ARENA_SLACK);
	if (!a || !(t = cr_arena_alloc(a, sizeof *t))) {
		fail(v, "out of memory");
		err = CR_ENOMEM;
		goto out;
	}
	t->magic = TAG_MAGIC;
	t->arena = a;
	cr_arena_pb_allocator(a, &al);
	m = protobuf_c_message_unpack(d, &al, len, buf ? buf : (const void *)"");
	if (!m) {
		fail(v, "not a valid %s protobuf", d->short_name);
		err = CR_EPROTO;
		goto out;
	}
	if ((char *)m != (char *)t + 16) {
		/* protobuf-c always allocates the message first; if that ever
		 * changes we cannot free it from the message pointer. */
		fail(v, "internal: unexpected unpack layout");
		err = CR_EPROTO;
		goto out;
	}
	*out = m;
	a = NULL;
out:
	cr_arena_destroy(&a);
	return err;
}

/* Shared tail of every decoder: version check then field validation. */
#define DECODER(fn, Type, desc, cap, checker)                                                      \
	cr_err fn(const void *buf, size_t len, Type **out, char *why, size_t whylen)                \
	{                                                                                          \
		vctx v = {why, whylen};                                                            \
		ProtobufCMessage *m;                                                               \
		cr_err e;                                                                          \
		if (why && whylen)                                                                 \
			why[0] = '\0';                                                             \
		*out = NULL;                                                                       \
		e = decode(&desc, buf, len, cap, &m, &v);                                          \
		if (e)                                                                             \
			return e;                                                                  \
		if (version_ok(&v, desc.short_name, ((Type *)m)->version)) {                       \
			cr_msg_free(m);                                                            \
			return CR_EVERSION;                                                        \
		}                                                                                  \
		if (no_field0(&v, m) || checker(&v, (Type *)m)) {                                  \
			cr_msg_free(m);                                                            \
			return CR_EPROTO;                                                          \
		}                                                                                  \
		*out = (Type *)m;                                                                  \
		return CR_OK;                                                                      \
	}

DECODER(cr_decode_submit, Courant__Submit, courant__submit__descriptor, CR_MAX_ARTICLE + 65536u, check_submit)
DECODER(cr_decode_submit_reply, Courant__SubmitReply, courant__submit_reply__descriptor, 65536u, check_submit_reply)
DECODER(cr_decode_work, Courant__Work, courant__work__descriptor, CR_MAX_FRAME, check_work)
DECODER(cr_decode_ack, Courant__Ack, courant__ack__descriptor, CR_MAX_FRAME, check_ack)
DECODER(cr_decode_query, Courant__Query, courant__query__descriptor, 1u << 20, check_query)
DECODER(cr_decode_query_reply, Courant__QueryReply, courant__query_reply__descriptor, CR_MAX_FRAME, check_query_reply)
DECODER(cr_decode_event_record, Courant__EventRecord, courant__event_record__descriptor, 1u << 20, check_event_record)

void cr_msg_free(ProtobufCMessage *m)
{
	tag *t;
	cr_arena *a;
	if (!m)
		return;
	t = (tag *)(void *)((char *)m - 16);
	if (t->magic != TAG_MAGIC)
		return; /* not from a decoder here (or freed twice): contract breach, leak it */
	t->magic = 0;
	a = t->arena;
	cr_arena_destroy(&a);
}

void *cr_pack(const ProtobufCMessage *m, size_t *len)
{
	size_t n = protobuf_c_message_get_packed_size(m);
	uint8_t *p = malloc(n ? n : 1);
	if (!p)
		return NULL;
	*len = protobuf_c_message_pack(m, p);
	return p;
}

/* Tag and length of a length-prefixed field (numbers < 16: one-byte tag). */
static uint8_t *put_head(uint8_t *p, unsigned field, size_t n)
{
	*p++ = (uint8_t)(field << 3 | PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED);
	return p + cr_wire_varint(p, n);
}

/* Sum of the packed sizes of the repeated message field's elements with
 * their one-byte tag and length prefix; sizes[i] records each element's.
 * common/emit packs entities and events as protobuf-c would, ~5 times
 * faster. */
static size_t repeated_size(ProtobufCMessage *const *m, size_t n, size_t *sizes)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++) {
		sizes[i] = cr_emit_size(m[i]);
		total += 1 + cr_wire_varint_size(sizes[i]) + sizes[i];
	}
	return total;
}

static uint8_t *put_repeated(uint8_t *p, unsigned field, ProtobufCMessage *const *m, size_t n, const size_t *sizes)
{
	for (size_t i = 0; i < n; i++) {
		p = put_head(p, field, sizes[i]);
		p += cr_emit_pack(m[i], p);
	}
	return p;
}

/* Field order and encoding as protobuf-c packs them: fields by number,
 * `version` (field 1, varint CR_SCHEMA_VERSION) first, no unknown fields. */
void *cr_pack_extraction_spliced(const void *article, size_t alen, Courant__Entity *const *ents, size_t nents,
				 Courant__Event *const *evs, size_t nevs, size_t *len)
{
	ProtobufCMessage *const *em = (ProtobufCMessage *const *)ents, *const *vm = (ProtobufCMessage *const *)evs;
	size_t *sizes = malloc((nents + nevs + 1) * sizeof *sizes), body, total;
	uint8_t *buf, *p;
	if (!sizes)
		return NULL;
	body = 1 + cr_wire_varint_size(CR_SCHEMA_VERSION) + 1 + cr_wire_varint_size(alen) + alen;
	body += repeated_size(em, nents, sizes) + repeated_size(vm, nevs, sizes + nents);
	total = 1 + cr_wire_varint_size(CR_SCHEMA_VERSION) + 1 + cr_wire_varint_size(body) + body;
	if (!(p = buf = malloc(total))) {
		free(sizes);
		return NULL;
	}
	*p++ = 1 << 3 | PROTOBUF_C_WIRE_TYPE_VARINT; /* Work.version */
	p += cr_wire_varint(p, CR_SCHEMA_VERSION);
	p = put_head(p, 3, body); /* Work.extraction */
	*p++ = 1 << 3 | PROTOBUF_C_WIRE_TYPE_VARINT; /* Extraction.version */
	p += cr_wire_varint(p, CR_SCHEMA_VERSION);
	p = put_head(p, 2, alen); /* Extraction.article */
	memcpy(p, article, alen);
	p += alen;
	p = put_repeated(p, 3, em, nents, sizes);
	p = put_repeated(p, 4, vm, nevs, sizes + nents);
	free(sizes);
	*len = (size_t)(p - buf);
	return buf;
}

size_t cr_work_article_size(size_t alen, uint32_t attempt)
{
	size_t body = alen + 1 + cr_wire_varint_size(attempt);
	return 1 + cr_wire_varint_size(CR_SCHEMA_VERSION) + 1 + cr_wire_varint_size(body) + body;
}

size_t cr_put_work_article(uint8_t *out, const void *article, size_t alen, uint32_t attempt)
{
	uint8_t *p = out;
	*p++ = 1 << 3 | PROTOBUF_C_WIRE_TYPE_VARINT; /* Work.version */
	p += cr_wire_varint(p, CR_SCHEMA_VERSION);
	p = put_head(p, 2, alen + 1 + cr_wire_varint_size(attempt)); /* Work.article */
	if (alen)
		memcpy(p, article, alen);
	p += alen;
	*p++ = 4 << 3 | PROTOBUF_C_WIRE_TYPE_VARINT; /* Article.attempt */
	p += cr_wire_varint(p, attempt);
	return (size_t)(p - out);
}

void *cr_pack_work_article(const void *article, size_t alen, uint32_t attempt, size_t *len)
{
	uint8_t *buf = malloc(cr_work_article_size(alen, attempt));
	if (!buf)
		return NULL;
	*len = cr_put_work_article(buf, article, alen, attempt);
	return buf;
}
