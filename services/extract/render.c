/* Rendering: the analysed document as Courant__Entity / Courant__Event
 * messages (EVENTS.md §1). Every message, array and string comes from one
 * pool of blocks owned by the cx_result, freed by cx_result_destroy. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "extract/doc.h"

/* ---- result pool: every message and string of a result ------------------- */

typedef struct block {
	struct block *next;
	size_t used, cap;
	_Alignas(16) char data[];
} block;

static void *pool_alloc(cx_result *r, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	block *b = r->priv_;
	if (!b || b->used + n > b->cap) {
		size_t cap = n > 16384 ? n : 16384;
		block *nb = malloc(sizeof *nb + cap);
		if (!nb)
			return NULL;
		nb->next = b;
		nb->used = 0;
		nb->cap = cap;
		r->priv_ = b = nb;
	}
	void *p = b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

static char *pool_strn(cx_result *r, const char *s, size_t n)
{
	char *p = pool_alloc(r, n + 1);
	if (p)
		memcpy(p, s, n);
	return p;
}

static char *pool_str(cx_result *r, const char *s)
{
	return pool_strn(r, s, strlen(s));
}

void cx_result_destroy(cx_result **pr)
{
	if (!pr || !*pr)
		return;
	for (block *b = (*pr)->priv_, *n; b; b = n) {
		n = b->next;
		free(b);
	}
	free(*pr);
	*pr = NULL;
}
static char **str_array(cx_result *r, int n)
{
	return n ? pool_alloc(r, sizeof(char *) * (size_t)n) : NULL;
}

static const char *state_name(const cx_doc *d, const char *code)
{
	return cx_state_name(d->eng->lex, code, d->lang);
}

static Courant__Entity *new_entity(cx_result *r, Courant__EntityType type)
{
	Courant__Entity *en = pool_alloc(r, sizeof *en);
	if (en) {
		courant__entity__init(en);
		en->type = type;
	}
	return en;
}

static int add_entity(cx_result *r, Courant__Entity *en, size_t cap)
{
	if (!en || r->n_entities >= cap)
		return -1;
	r->entities[r->n_entities++] = en;
	return 0;
}

/* The entity already made for this key among entities [from, n), or NULL:
 * linear in the distinct entities, which the gazetteers bound. */
static Courant__Entity *made(cx_result *r, size_t from, const char *key, int by_code)
{
	for (size_t i = from; i < r->n_entities; i++) {
		const char *k = by_code ? r->entities[i]->code : r->entities[i]->name;
		if (k && !strcmp(k, key))
			return r->entities[i];
	}
	return NULL;
}

static int render_countries(const cx_doc *d, cx_result *r, size_t cap)
{
	size_t from = r->n_entities;
	for (int m = 0; m < d->nment; m++) {
		const cx_ment *x = &d->ments[m];
		if (x->cls != G_COUNTRY || !x->code)
			continue;
		Courant__Entity *en = made(r, from, x->code, 1);
		if (en) {
			en->mentions++;
			continue;
		}
		if (!(en = new_entity(r, COURANT__ENTITY_TYPE__COUNTRY)))
			return -1;
		en->code = pool_str(r, x->code);
		en->name = pool_str(r, state_name(d, x->code));
		en->has_mentions = 1;
		en->mentions = 1;
		if (add_entity(r, en, cap))
			return -1;
	}
	return 0;
}

static int render_persons(const cx_doc *d, cx_result *r, size_t cap)
{
	for (int i = 0; i < d->nperson; i++) {
		const cx_person *p = &d->persons[i];
		Courant__Entity *en = new_entity(r, COURANT__ENTITY_TYPE__PERSON);
		if (!en)
			return -1;
		en->name = pool_str(r, p->name);
		if (*p->role)
			en->role = pool_str(r, p->role);
		if (*p->country)
			en->country = pool_str(r, p->country);
		en->aliases = str_array(r, p->naliases);
		for (int a = 0; a < p->naliases; a++)
			en->aliases[en->n_aliases++] = pool_str(r, p->aliases[a]);
		en->has_mentions = 1;
		en->mentions = (uint32_t)p->mentions;
		if (add_entity(r, en, cap))
			return -1;
	}
	return 0;
}

/* organisations and places: one entity per key, first mention wins the name */
static int render_named(const cx_doc *d, cx_result *r, size_t cap, int cls)
{
	size_t from = r->n_entities;
	for (int m = 0; m < d->nment; m++) {
		const cx_ment *x = &d->ments[m];
		if (x->cls != cls || (cls == G_ORG && !x->v->code))
			continue;
		Courant__Entity *en = made(r, from, cls == G_ORG ? x->v->code : x->v->text, cls == G_ORG);
		if (en) {
			en->mentions++;
			continue;
		}
		en = new_entity(r, cls == G_ORG ? COURANT__ENTITY_TYPE__ORG : COURANT__ENTITY_TYPE__PLACE);
		if (!en)
			return -1;
		if (cls == G_ORG) {
			en->code = pool_str(r, x->v->code);
			if (x->kind == K_ACRONYM)
				en->acronym = pool_str(r, x->v->text);
			en->name = pool_str(r, x->v->text);
			if (x->v->aux)
				en->country = pool_str(r, x->v->aux);
		} else {
			en->name = pool_str(r, x->v->text);
			en->country = pool_str(r, x->v->code);
		}
		en->has_mentions = 1;
		en->mentions = 1;
		if (add_entity(r, en, cap))
			return -1;
	}
	return 0;
}

static char *put2(char *p, int v)
{
	*p++ = (char)('0' + v / 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

/* "%04d-%02d-%02d", its month or year prefix when m or dd is 0; by hand
 * for the usual ranges (snprintf cost ~1,500 instructions a date). */
static void fmt_date(char *out, size_t n, int y, int m, int dd)
{
	if (n > 10 && y >= 0 && y <= 9999 && m >= 0 && m <= 99 && dd >= 0 && dd <= 99) {
		char *p = put2(put2(out, y / 100), y % 100);
		if (m) {
			*p++ = '-';
			p = put2(p, m);
		}
		if (m && dd) {
			*p++ = '-';
			p = put2(p, dd);
		}
		*p = 0;
	} else if (m && dd)
		snprintf(out, n, "%04d-%02d-%02d", y, m, dd);
	else if (m)
		snprintf(out, n, "%04d-%02d", y, m);
	else
		snprintf(out, n, "%04d", y);
}

static char **party_list(cx_result *r, const char (*list)[24], int n, size_t *count)
{
	char **a = str_array(r, n);
	*count = 0;
	for (int i = 0; i < n && a; i++)
		if ((a[i] = pool_str(r, list[i])))
			(*count)++;
	return a;
}

static int render_event(const cx_doc *d, cx_result *r, const cx_ev *ev)
{
	Courant__Event *e = pool_alloc(r, sizeof *e);
	if (!e)
		return -1;
	courant__event__init(e);
	e->type = pool_str(r, ev->type);
	if (ev->mode)
		e->mode = pool_str(r, ev->mode);
	e->actor = party_list(r, ev->actor, ev->nactor, &e->n_actor);
	e->recipient = party_list(r, ev->recip, ev->nrecip, &e->n_recipient);
	const cx_sent *s = &d->sents[ev->sent];
	int np = 0;
	for (int k = s->tb; k < s->te; k++)
		np += d->tok_person[k] >= 0 && (k == s->tb || d->tok_person[k - 1] != d->tok_person[k]);
	e->persons = str_array(r, np);
	for (int k = s->tb; k < s->te && e->persons; k++) {
		int pi = d->tok_person[k];
		if (pi < 0 || (k > s->tb && d->tok_person[k - 1] == pi))
			continue;
		int dup = 0;
		for (size_t j = 0; j < e->n_persons; j++)
			dup |= !strcmp(e->persons[j], d->persons[pi].name);
		if (!dup)
			e->persons[e->n_persons++] = pool_str(r, d->persons[pi].name);
	}
	if (ev->date >= 0) {
		const cx_date *dt = &d->dates[ev->date];
		char b[16];
		fmt_date(b, sizeof b, dt->y, dt->m, dt->d);
		e->date = pool_str(r, b);
		if (dt->y2) {
			fmt_date(b, sizeof b, dt->y2, dt->m2, dt->d2);
			e->date_end = pool_str(r, b);
		}
	}
	if (ev->loc >= 0) {
		const cx_ment *x = &d->ments[ev->loc];
		e->location = pool_alloc(r, sizeof *e->location);
		if (!e->location)
			return -1;
		courant__location__init(e->location);
		e->location->name = pool_str(r, x->cls == G_COUNTRY ? state_name(d, x->code) : x->v->text);
		e->location->country = pool_str(r, x->code);
	}
	e->context = str_array(r, ev->nctx);
	for (int i = 0; i < ev->nctx && e->context; i++)
		e->context[e->n_context++] = pool_str(r, ev->ctx[i]);
	size_t tb = d->toks[s->tb].b, te = d->toks[s->te - 1].e;
	e->text = pool_strn(r, d->text + tb, te - tb);
	e->has_confidence = 1;
	e->confidence = ev->conf > 0.95f ? 0.95f : ev->conf;
	/* Event.sentence indexes the caller's sentences (Article.sentences), when given */
	size_t lo = 0, hi = d->nsb;
	while (lo < hi) { /* first caller sentence ending after tb (bounds are in order) */
		size_t mid = lo + (hi - lo) / 2;
		if (d->sb[2 * mid + 1] <= tb)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < d->nsb && d->sb[2 * lo] <= tb) {
		e->has_sentence = 1;
		e->sentence = (uint32_t)lo;
	}
	r->events[r->n_events++] = e;
	return 0;
}

cr_err cx_render(const cx_doc *d, cx_result *r)
{
	size_t cap = (size_t)d->nment + (size_t)d->nperson + 1;
	r->entities = pool_alloc(r, sizeof *r->entities * cap);
	r->events = pool_alloc(r, sizeof *r->events * ((size_t)d->nev + 1));
	if (!r->entities || !r->events)
		return CR_ENOMEM;
	if (render_countries(d, r, cap) || render_persons(d, r, cap) || render_named(d, r, cap, G_ORG) ||
	    render_named(d, r, cap, G_PLACE))
		return CR_ENOMEM;
	for (int i = 0; i < d->nev; i++)
		if (render_event(d, r, &d->evs[i]))
			return CR_ENOMEM;
	return CR_OK;
}
