/* JSON renderings of articles and events. */
#include "common/record.h"

static const char *entity_type_name(Courant__EntityType t)
{
	switch (t) {
	case COURANT__ENTITY_TYPE__COUNTRY: return "COUNTRY";
	case COURANT__ENTITY_TYPE__PERSON: return "PERSON";
	case COURANT__ENTITY_TYPE__ORG: return "ORG";
	case COURANT__ENTITY_TYPE__PLACE: return "PLACE";
	case COURANT__ENTITY_TYPE__DATE: return "DATE";
	default: return "OTHER";
	}
}

static void str_list(cr_jw *w, const char *key, char **v, size_t n)
{
	cr_jw_key(w, key);
	cr_jw_arr(w);
	for (size_t i = 0; i < n; i++)
		cr_jw_str(w, v[i]);
	cr_jw_end(w);
}

static void opt_str(cr_jw *w, const char *key, const char *v)
{
	if (v && *v)
		cr_jw_kstr(w, key, v);
}

void cr_jw_entity(cr_jw *w, const Courant__Entity *en)
{
	cr_jw_obj(w);
	cr_jw_kstr(w, "type", entity_type_name(en->type));
	opt_str(w, "code", en->code);
	opt_str(w, "name", en->name);
	opt_str(w, "role", en->role);
	opt_str(w, "country", en->country);
	opt_str(w, "acronym", en->acronym);
	if (en->n_aliases)
		str_list(w, "aliases", en->aliases, en->n_aliases);
	if (en->has_mentions)
		cr_jw_kuint(w, "mentions", en->mentions);
	cr_jw_end(w);
}

void cr_jw_event_fields(cr_jw *w, const Courant__Event *ev)
{
	cr_jw_kstr(w, "type", ev->type);
	opt_str(w, "mode", ev->mode);
	str_list(w, "actor", ev->actor, ev->n_actor);
	str_list(w, "recipient", ev->recipient, ev->n_recipient);
	if (ev->n_persons)
		str_list(w, "persons", ev->persons, ev->n_persons);
	opt_str(w, "date", ev->date);
	opt_str(w, "date_end", ev->date_end);
	if (ev->location && ((ev->location->name && *ev->location->name) ||
			     (ev->location->country && *ev->location->country))) {
		cr_jw_key(w, "location");
		cr_jw_obj(w);
		opt_str(w, "name", ev->location->name);
		opt_str(w, "country", ev->location->country);
		cr_jw_end(w);
	}
	if (ev->n_context)
		str_list(w, "context", ev->context, ev->n_context);
	opt_str(w, "text", ev->text);
	if (ev->has_confidence) {
		cr_jw_key(w, "confidence");
		cr_jw_num(w, ev->confidence, 2);
	}
}

cr_err cr_record_json(const Courant__Extraction *x, cr_buf *out)
{
	const Courant__Article *a = x->article;
	cr_jw w;

	cr_jw_init(&w, out);
	cr_jw_obj(&w);
	cr_jw_kstr(&w, "id", a ? a->id : NULL);
	if (a) {
		opt_str(&w, "url", a->url);
		opt_str(&w, "source", a->source);
		opt_str(&w, "published", a->published);
		cr_jw_kstr(&w, "lang", a->lang && *a->lang ? a->lang : "und");
		if (a->has_lang_confidence) {
			cr_jw_key(&w, "lang_confidence");
			cr_jw_num(&w, a->lang_confidence, 2);
		}
		cr_jw_kstr(&w, "title", a->title);
	}
	cr_jw_key(&w, "entities");
	cr_jw_arr(&w);
	for (size_t i = 0; i < x->n_entities; i++)
		cr_jw_entity(&w, x->entities[i]);
	cr_jw_end(&w);
	cr_jw_key(&w, "events");
	cr_jw_arr(&w);
	for (size_t i = 0; i < x->n_events; i++) {
		cr_jw_obj(&w);
		cr_jw_event_fields(&w, x->events[i]);
		cr_jw_end(&w);
	}
	cr_jw_end(&w);
	cr_jw_end(&w);
	return cr_jw_err(&w);
}

cr_err cr_event_line_json(const Courant__EventRecord *r, cr_buf *out)
{
	cr_jw w;

	cr_jw_init(&w, out);
	cr_jw_obj(&w);
	cr_jw_kuint(&w, "seq", r->seq);
	cr_jw_kstr(&w, "article_id", r->article_id);
	opt_str(&w, "published", r->published);
	opt_str(&w, "url", r->url);
	opt_str(&w, "lang", r->lang);
	if (r->event)
		cr_jw_event_fields(&w, r->event);
	cr_jw_end(&w);
	return cr_jw_err(&w);
}
