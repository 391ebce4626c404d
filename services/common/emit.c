/* Schema-specific packers (see emit.h). Each message has a size function and
 * a write function that visit the fields in the same order with the same
 * presence tests; a nested message's size is computed again when it is
 * written (cheap here: no descriptor walk), as protobuf-c does. */
#include "common/emit.h"

#include <stdlib.h>
#include <string.h>

#include "courant.pb-c.h"

enum { WT_VARINT = 0, WT_LEN = 2, WT_FIXED32 = 5 };

static size_t vlen(uint64_t v)
{
	size_t n = 1;
	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

static uint8_t *put_v(uint8_t *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8_t)v;
	return p;
}

static uint8_t *put_tag(uint8_t *p, unsigned f, unsigned wt)
{
	return put_v(p, (uint64_t)f << 3 | wt);
}

/* ---- field sizes: tag + value ---------------------------------------------- */

static size_t z_tag(unsigned f)
{
	return f < 16 ? 1 : vlen((uint64_t)f << 3);
}

/* A string as protobuf-c writes it: up to its NUL, NULL as "". */
static size_t z_str(unsigned f, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	return z_tag(f) + vlen(n) + n;
}

static size_t z_opt_str(unsigned f, const char *s)
{
	return s ? z_str(f, s) : 0;
}

static size_t z_strs(unsigned f, char *const *v, size_t n)
{
	size_t t = 0;
	for (size_t i = 0; i < n; i++)
		t += z_str(f, v[i]);
	return t;
}

static size_t z_u(unsigned f, uint64_t v)
{
	return z_tag(f) + vlen(v);
}

static size_t z_msg(unsigned f, const ProtobufCMessage *m)
{
	size_t n = m ? cr_emit_size(m) : 0;
	return z_tag(f) + vlen(n) + n;
}

/* ---- field writers --------------------------------------------------------- */

static uint8_t *w_str(uint8_t *p, unsigned f, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	p = put_v(put_tag(p, f, WT_LEN), n);
	if (n)
		memcpy(p, s, n);
	return p + n;
}

static uint8_t *w_opt_str(uint8_t *p, unsigned f, const char *s)
{
	return s ? w_str(p, f, s) : p;
}

static uint8_t *w_strs(uint8_t *p, unsigned f, char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p = w_str(p, f, v[i]);
	return p;
}

static uint8_t *w_u(uint8_t *p, unsigned f, uint64_t v)
{
	return put_v(put_tag(p, f, WT_VARINT), v);
}

/* float as its IEEE bits, little-endian (fixed32) */
static uint8_t *w_float(uint8_t *p, unsigned f, float x)
{
	uint32_t b;
	memcpy(&b, &x, sizeof b);
	p = put_tag(p, f, WT_FIXED32);
	p[0] = (uint8_t)b;
	p[1] = (uint8_t)(b >> 8);
	p[2] = (uint8_t)(b >> 16);
	p[3] = (uint8_t)(b >> 24);
	return p + 4;
}

static uint8_t *w_msg(uint8_t *p, unsigned f, const ProtobufCMessage *m)
{
	p = put_v(put_tag(p, f, WT_LEN), m ? cr_emit_size(m) : 0);
	return m ? p + cr_emit_pack(m, p) : p;
}

static uint8_t *w_bytes(uint8_t *p, unsigned f, const ProtobufCBinaryData *b)
{
	p = put_v(put_tag(p, f, WT_LEN), b->len);
	if (b->len)
		memcpy(p, b->data, b->len);
	return p + b->len;
}

/* An enum is an int32: a negative one takes ten bytes, sign-extended. */
static uint64_t enum_wire(int v)
{
	return (uint64_t)(int64_t)v;
}

/* ---- messages -------------------------------------------------------------- */

static size_t size_sentence(const Courant__Sentence *s)
{
	return z_u(1, s->start) + z_u(2, s->end) + (s->has_raw_start ? z_u(3, s->raw_start) : 0) +
	       (s->has_raw_end ? z_u(4, s->raw_end) : 0);
}

static uint8_t *pack_sentence(const Courant__Sentence *s, uint8_t *p)
{
	p = w_u(w_u(p, 1, s->start), 2, s->end);
	if (s->has_raw_start)
		p = w_u(p, 3, s->raw_start);
	return s->has_raw_end ? w_u(p, 4, s->raw_end) : p;
}

static size_t size_article(const Courant__Article *a)
{
	size_t n = z_u(1, a->version) + z_str(2, a->id) + z_u(3, a->seq);
	n += a->has_attempt ? z_u(4, a->attempt) : 0;
	n += z_opt_str(5, a->url) + z_opt_str(6, a->source) + z_opt_str(7, a->title) + z_opt_str(8, a->published) +
	     z_opt_str(9, a->content_type);
	n += a->has_raw ? z_tag(10) + vlen(a->raw.len) + a->raw.len : 0;
	n += z_opt_str(11, a->text) + z_opt_str(12, a->lang) + (a->has_lang_confidence ? z_tag(13) + 4 : 0);
	for (size_t i = 0; i < a->n_sentences; i++)
		n += z_msg(14, (const ProtobufCMessage *)a->sentences[i]);
	n += z_opt_str(15, a->byline) + z_opt_str(16, a->encoding);
	n += (a->has_repaired ? z_u(17, a->repaired) : 0) + (a->has_submitted_us ? z_u(18, a->submitted_us) : 0);
	return n + z_opt_str(19, a->lang_hint);
}

static uint8_t *pack_article(const Courant__Article *a, uint8_t *p)
{
	p = w_u(w_str(w_u(p, 1, a->version), 2, a->id), 3, a->seq);
	if (a->has_attempt)
		p = w_u(p, 4, a->attempt);
	p = w_opt_str(w_opt_str(w_opt_str(p, 5, a->url), 6, a->source), 7, a->title);
	p = w_opt_str(w_opt_str(p, 8, a->published), 9, a->content_type);
	if (a->has_raw)
		p = w_bytes(p, 10, &a->raw);
	p = w_opt_str(w_opt_str(p, 11, a->text), 12, a->lang);
	if (a->has_lang_confidence)
		p = w_float(p, 13, a->lang_confidence);
	for (size_t i = 0; i < a->n_sentences; i++)
		p = w_msg(p, 14, (const ProtobufCMessage *)a->sentences[i]);
	p = w_opt_str(w_opt_str(p, 15, a->byline), 16, a->encoding);
	if (a->has_repaired)
		p = w_u(p, 17, a->repaired);
	if (a->has_submitted_us)
		p = w_u(p, 18, a->submitted_us);
	return w_opt_str(p, 19, a->lang_hint);
}

static size_t size_entity(const Courant__Entity *e)
{
	size_t n = z_u(1, enum_wire(e->type)) + z_opt_str(2, e->name) + z_opt_str(3, e->code) + z_opt_str(4, e->role);
	n += z_opt_str(5, e->country) + z_opt_str(6, e->acronym) + z_strs(7, e->aliases, e->n_aliases);
	return n + (e->has_mentions ? z_u(8, e->mentions) : 0);
}

static uint8_t *pack_entity(const Courant__Entity *e, uint8_t *p)
{
	p = w_opt_str(w_opt_str(w_u(p, 1, enum_wire(e->type)), 2, e->name), 3, e->code);
	p = w_opt_str(w_opt_str(w_opt_str(p, 4, e->role), 5, e->country), 6, e->acronym);
	p = w_strs(p, 7, e->aliases, e->n_aliases);
	return e->has_mentions ? w_u(p, 8, e->mentions) : p;
}

static size_t size_location(const Courant__Location *l)
{
	return z_opt_str(1, l->name) + z_opt_str(2, l->country);
}

static uint8_t *pack_location(const Courant__Location *l, uint8_t *p)
{
	return w_opt_str(w_opt_str(p, 1, l->name), 2, l->country);
}

static size_t size_event(const Courant__Event *e)
{
	size_t n = z_str(1, e->type) + z_opt_str(2, e->mode) + z_strs(3, e->actor, e->n_actor);
	n += z_strs(4, e->recipient, e->n_recipient) + z_strs(5, e->persons, e->n_persons);
	n += z_opt_str(6, e->date) + z_opt_str(7, e->date_end);
	n += e->location ? z_msg(8, &e->location->base) : 0;
	n += z_strs(9, e->context, e->n_context) + z_opt_str(10, e->text);
	return n + (e->has_confidence ? z_tag(11) + 4 : 0) + (e->has_sentence ? z_u(12, e->sentence) : 0);
}

static uint8_t *pack_event(const Courant__Event *e, uint8_t *p)
{
	p = w_strs(w_opt_str(w_str(p, 1, e->type), 2, e->mode), 3, e->actor, e->n_actor);
	p = w_strs(w_strs(p, 4, e->recipient, e->n_recipient), 5, e->persons, e->n_persons);
	p = w_opt_str(w_opt_str(p, 6, e->date), 7, e->date_end);
	if (e->location)
		p = w_msg(p, 8, &e->location->base);
	p = w_opt_str(w_strs(p, 9, e->context, e->n_context), 10, e->text);
	if (e->has_confidence)
		p = w_float(p, 11, e->confidence);
	return e->has_sentence ? w_u(p, 12, e->sentence) : p;
}

static size_t size_extraction(const Courant__Extraction *x)
{
	size_t n = z_u(1, x->version) + z_msg(2, (const ProtobufCMessage *)x->article);
	for (size_t i = 0; i < x->n_entities; i++)
		n += z_msg(3, (const ProtobufCMessage *)x->entities[i]);
	for (size_t i = 0; i < x->n_events; i++)
		n += z_msg(4, (const ProtobufCMessage *)x->events[i]);
	return n;
}

static uint8_t *pack_extraction(const Courant__Extraction *x, uint8_t *p)
{
	p = w_msg(w_u(p, 1, x->version), 2, (const ProtobufCMessage *)x->article);
	for (size_t i = 0; i < x->n_entities; i++)
		p = w_msg(p, 3, (const ProtobufCMessage *)x->entities[i]);
	for (size_t i = 0; i < x->n_events; i++)
		p = w_msg(p, 4, (const ProtobufCMessage *)x->events[i]);
	return p;
}

/* ---- dispatch -------------------------------------------------------------- */

/* The messages written here, with the number of fields they had when this
 * was written: a message whose schema has grown since (an additive change)
 * goes to protobuf-c until it is taught the new fields here. */
static int known(const ProtobufCMessage *m)
{
	static const struct {
		const ProtobufCMessageDescriptor *d;
		unsigned n_fields;
	} kinds[] = {
		{&courant__sentence__descriptor, 4}, {&courant__entity__descriptor, 8},
		{&courant__event__descriptor, 12},   {&courant__location__descriptor, 2},
		{&courant__article__descriptor, 19}, {&courant__extraction__descriptor, 4},
	};
	if (m->n_unknown_fields)
		return 0;
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (m->descriptor == kinds[i].d)
			return m->descriptor->n_fields == kinds[i].n_fields;
	return 0;
}

size_t cr_emit_size(const ProtobufCMessage *m)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	if (!known(m))
		return protobuf_c_message_get_packed_size(m);
	if (d == &courant__sentence__descriptor)
		return size_sentence((const Courant__Sentence *)m);
	if (d == &courant__entity__descriptor)
		return size_entity((const Courant__Entity *)m);
	if (d == &courant__event__descriptor)
		return size_event((const Courant__Event *)m);
	if (d == &courant__location__descriptor)
		return size_location((const Courant__Location *)m);
	if (d == &courant__article__descriptor)
		return size_article((const Courant__Article *)m);
	return size_extraction((const Courant__Extraction *)m);
}

size_t cr_emit_pack(const ProtobufCMessage *m, uint8_t *out)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	uint8_t *p;
	if (!known(m))
		return protobuf_c_message_pack(m, out);
	if (d == &courant__sentence__descriptor)
		p = pack_sentence((const Courant__Sentence *)m, out);
	else if (d == &courant__entity__descriptor)
		p = pack_entity((const Courant__Entity *)m, out);
	else if (d == &courant__event__descriptor)
		p = pack_event((const Courant__Event *)m, out);
	else if (d == &courant__location__descriptor)
		p = pack_location((const Courant__Location *)m, out);
	else if (d == &courant__article__descriptor)
		p = pack_article((const Courant__Article *)m, out);
	else
		p = pack_extraction((const Courant__Extraction *)m, out);
	return (size_t)(p - out);
}

void *cr_emit_work_article(const Courant__Article *a, uint32_t version, size_t *len)
{
	size_t n = cr_emit_size(&a->base), total = z_u(1, version) + z_tag(2) + vlen(n) + n;
	uint8_t *buf = malloc(total), *p;
	if (!buf)
		return NULL;
	p = put_v(put_tag(w_u(buf, 1, version), 2, WT_LEN), n);
	p += cr_emit_pack(&a->base, p);
	*len = (size_t)(p - buf);
	return buf;
}
