/* Internal model of one article while it is being extracted: tokens with
 * folded forms, sentences, mentions found by the gazetteers, dates, persons
 * and the engine's lexicon. Shared by the extract modules modules only. */
#ifndef COURANT_EXTRACT_DOC_H
#define COURANT_EXTRACT_DOC_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "extract/extract.h"

#define CX_MAX_SENT_TOKENS 256  /* longer sentences are cut: rules stay linear */
#define CX_MAX_PERSONS 256
#define CX_MAX_EVENTS 1024

/* token flags */
enum {
	TK_WORD = 1 << 0,   /* letters and/or digits */
	TK_CAP = 1 << 1,    /* starts with an upper-case letter */
	TK_UPPER = 1 << 2,  /* two or more letters, all upper case */
	TK_NUM = 1 << 3,    /* digits only */
	TK_PUNCT = 1 << 4,  /* one punctuation mark, in `p` */
	TK_HYPH = 1 << 5,   /* joined to the previous word by a hyphen */
	TK_APOS = 1 << 6,   /* followed by an apostrophe (l', d', n') */
	TK_NL = 1 << 7,     /* a line break precedes it */
	TK_SKIP = 1 << 8,   /* boilerplate: ignored by every rule */
	TK_ALNUM = 1 << 9,  /* digits followed by letters: 1er, 3rd */
};

typedef struct cx_tok {
	uint32_t b, e;      /* bytes in the text */
	uint32_t f;         /* offset of the NUL-terminated folded form in doc.fold */
	uint16_t flen;
	uint16_t flags;
	int sent;
	/* the word's lexicon entries, looked up once (cx_lexicon_tag): rules ask
	 * about the same token many times */
	int lex;            /* first value of the folded word, -1 */
	int trig;           /* first trigger pattern whose first word may be this one, -1 (and for numbers) */
	uint32_t kinds;     /* cx_kind_bit of its word and calendar values in the document's language */
	uint8_t lexpre;     /* longer lexicon keys start with this word */
	char p;             /* punctuation: ASCII stand-in ('"' for guillemets, '-' for dashes) */
} cx_tok;

typedef struct cx_sent {
	int tb, te;         /* token range, end exclusive */
	int para;           /* paragraph number */
} cx_sent;

/* lexicon value classes */
enum { G_COUNTRY = 1, G_PLACE, G_ORG, G_TITLE, G_WORD, G_CAL };
/* kinds per class */
enum { K_NAME = 1, K_ADJ, K_PREFIX, K_CAPITAL, K_CITY, K_REGION, K_ACRONYM,
       K_HONORIFIC, K_RANK, K_ROLE };
enum { W_NEG = 1, W_HYPO, W_FUT, W_DEMO, W_PRON, W_PAIRNUM, W_PAIRNOUN, W_LOC, W_AGENT,
       W_STOP, W_PART, W_SKIP, W_CLAUSE, W_NONNAME, W_BACKREF, W_LIGHT };
enum { C_MONTH = 1, C_WDAY, C_REL, C_UNIT, C_DAY };
enum { CASE_ANY = 0, CASE_CAP, CASE_EXACT };

typedef struct cx_val {
	uint8_t cls, kind, lang, casing;  /* lang: 0 any, 1 fr, 2 en */
	int16_t num;                      /* calendar value */
	const char *code;                 /* alpha-3, org key, canonical role */
	const char *text;                 /* as written in the data file */
	const char *aux;                  /* org host state */
	int next;                         /* next value with the same key, -1 */
} cx_val;

typedef struct cx_lexicon cx_lexicon;

/* trigger pattern */
typedef struct cx_trig {
	const char *type, *mode;
	unsigned flags;                   /* TF_* */
	uint8_t lang;
	uint8_t ntok;
	uint8_t is_ctx;                   /* a context tag, not an event trigger */
	const char *tok[8];               /* folded; NULL = gap */
	const char *raw0;                 /* first word as written (accents tell "visite" from "visité") */
	uint8_t raw0len;
	uint8_t prefix[8];
	int next;
} cx_trig;
enum { TF_N = 1, TF_V = 2, TF_H = 4, TF_M = 8, TF_A = 16, TF_S = 32, TF_R = 64 };

struct cx_engine {
	cx_lexicon *lex;
};

/* a gazetteer hit in the text */
typedef struct cx_ment {
	uint8_t cls, kind;
	uint8_t loc;          /* preceded by a locative preposition */
	int tb, te;           /* tokens, end exclusive */
	int sent;
	const cx_val *v;      /* the value that matched */
	const char *code;     /* country code (COUNTRY), state of a place or org host */
	int person;           /* PERSON index, or -1 */
} cx_ment;

typedef struct cx_date {
	int tb, te, sent;
	int y, m, d;          /* m, d zero when unknown */
	int y2, m2, d2;       /* range end, y2 zero when none */
	int dateline;         /* "Dakar, 14 mars 2025 (APS) -": when the dispatch was filed, not an event date */
} cx_date;

#define CX_MAX_ALIASES 8
typedef struct cx_person {
	char name[96];
	char role[96];
	char country[4];
	char sur[64], first[64]; /* folded last and first tokens */
	char aliases[CX_MAX_ALIASES][96];
	int naliases;
	int mentions;
	int first_tok;
} cx_person;

#define CX_MAX_PARTY 8
typedef struct cx_ev {
	const char *type, *mode;
	char actor[CX_MAX_PARTY][24], recip[CX_MAX_PARTY][24];
	int nactor, nrecip;
	int sent;
	int date;             /* index in dates, -1 */
	int date_near;        /* the date is in the event's sentence */
	int loc;              /* mention index of the location, -1 */
	const char *ctx[6];
	int nctx;
	float conf;
	char key[160];        /* type + sorted countries, for merging */
} cx_ev;

typedef struct cx_doc {
	const cx_engine *eng;
	const char *text;
	size_t len;
	int lang;             /* 1 fr, 2 en, 0 other */
	int py, pm, pd;       /* published date, py 0 when unknown */
	char *fold;
	size_t foldlen, foldcap;
	cx_tok *toks;
	int ntok, captok;
	cx_sent *sents;
	int nsent;
	cx_ment *ments;
	int nment, capment;
	int *tok_ment;        /* per token: mention index covering it, or -1 */
	cx_date *dates;
	int ndate, capdate;
	cx_person *persons;
	int nperson, capperson;
	int *tok_person;      /* per token: person index, or -1 */
	/* per token: cx_clause_start memoized, -1 until asked; valid because
	 * what it reads (mentions, persons) is final when the event rules, its
	 * only callers, run */
	int *clause_at;
	cx_ev *evs;
	int nev, capev;
	const char *top[2];   /* the two most mentioned states */
	int top_n[2];         /* their mention counts */
	int last_ev, last_ev_sent; /* the event most recently emitted or merged */
	/* context tags of sentence ctx_sent (-1: none yet): the same for every
	 * event of the sentence */
	int ctx_sent, nctx_tags;
	const char *ctx_tags[6];
	const uint32_t *sb;   /* the caller's sentence bounds (cx_input), for Event.sentence */
	size_t nsb;
} cx_doc;

static inline const char *cx_fold(const cx_doc *d, int i)
{
	return d->fold + d->toks[i].f;
}

/* lexicon.c */
cr_err cx_lexicon_new(cx_lexicon **out);
void cx_lexicon_destroy(cx_lexicon **l);
/* First value for the folded key (tokens joined by one space), -1 if none;
 * *is_prefix tells whether longer keys start with it. */
int cx_lexicon_find(const cx_lexicon *l, const char *key, size_t n, int *is_prefix);
const cx_val *cx_lexicon_val(const cx_lexicon *l, int i);
/* Display name of a state in the language (1 fr, 2 en, 0 any), or the code itself. */
const char *cx_state_name(const cx_lexicon *l, const char *code, int lang);
/* Longest gazetteer match starting at token i accepted by `want(v)`; returns
 * the value index and sets *end, or -1. */
int cx_lexicon_match(const cx_lexicon *l, const cx_doc *d, int i, int lim,
                     int (*want)(const cx_val *v, const cx_doc *d, int i), int *end);
/* Fill lex, lexpre, trig and kinds of every word token of d (d->lang set). */
void cx_lexicon_tag(const cx_lexicon *l, cx_doc *d);
/* First value of class cls and kind in the chain from value v, in language
 * lang (0: any), or NULL. */
const cx_val *cx_lexicon_pick(const cx_lexicon *l, int v, int cls, int kind, int lang);
const cx_trig *cx_trig_get(const cx_lexicon *l, int i);

/* lex.c */
cr_err cx_tokenize(cx_doc *d);
/* Fold a UTF-8 string the way tokens are folded, words joined by one space. */
size_t cx_fold_phrase(const char *s, char *out, size_t cap);
static inline int cx_is_word(const cx_doc *d, int i)
{
	return (unsigned)i < (unsigned)d->ntok && (d->toks[i].flags & TK_WORD); /* 0 <= i < ntok */
}

/* A (class, kind) of the function-word and calendar tables as one bit of
 * cx_tok.kinds; every bit for other classes (no quick answer for them). */
static inline uint32_t cx_kind_bit(int cls, int kind)
{
	if (cls == G_WORD && kind >= 1 && kind <= 16)
		return 1u << (kind - 1);
	if (cls == G_CAL && kind >= 1 && kind <= 8)
		return 1u << (16 + kind - 1);
	return ~0u;
}

#define CX_CAL_KINDS 0xff0000u  /* the cx_kind_bit of every G_CAL kind */

/* Is the single token i a word of class (G_WORD or G_CAL) and kind? Returns the value or NULL. */
static inline const cx_val *cx_word(const cx_doc *d, int i, int cls, int kind)
{
	if (!cx_is_word(d, i) || !(d->toks[i].kinds & cx_kind_bit(cls, kind)))
		return NULL;
	return cx_lexicon_pick(d->eng->lex, d->toks[i].lex, cls, kind, d->lang);
}

/* dates.c */
cr_err cx_find_dates(cx_doc *d);
int cx_parse_published(const char *s, int *y, int *m, int *dd);

/* entities.c */
cr_err cx_find_gazetteer(cx_doc *d);
cr_err cx_find_persons(cx_doc *d);
/* Mention covering token i of class cls, or NULL. */
const cx_ment *cx_ment_at(const cx_doc *d, int i, int cls);
/* Person acting for a state: fills unknown countries from co-mentions. */
void cx_infer_person_countries(cx_doc *d, const char *top1, const char *top2);

/* events.c */
cr_err cx_find_events(cx_doc *d);

/* triggers.c */
typedef struct cx_hit {
	const cx_trig *t;
	int k, e;             /* tokens of the match */
	const char *type;     /* may become AGREE or THREATEN */
	int object;           /* governed by an earlier trigger of its clause ("condamné l'attaque") */
} cx_hit;
/* Longest trigger (or context tag when ctx) starting at token i: its end, or -1. */
int cx_trigger_at(const cx_doc *d, int i, int lim, int ctx, const cx_trig **t);
/* Triggers of sentence s, left to right, at most max. */
int cx_find_triggers(const cx_doc *d, int s, cx_hit *out, int max);
/* Clause limits around token k: start (commas that continue a list of
 * parties do not end it), end to the right (not past lim), and the span
 * between conjunction words. */
int cx_clause_start(const cx_doc *d, int k);
int cx_right_end(const cx_doc *d, int s, int e, int lim);
void cx_clause_span(const cx_doc *d, int s, int k, int *a, int *b);
/* Polarity of the trigger at [k, e): negated, conditional, future or intended,
 * a back-reference; a word of `kind` right after a noun trigger. */
int cx_negated(const cx_doc *d, int k);
int cx_hypothetical(const cx_doc *d, int k);
int cx_future(const cx_doc *d, int k, int e, const cx_trig *t);
int cx_referential(const cx_doc *d, int k, const cx_trig *t);
int cx_after_noun(const cx_doc *d, int e, int kind);

/* parties.c: the parties of sentence s, left to right, at most CX_MAXP */
#define CX_MAXP 32
typedef struct cx_party {
	const char *code;     /* alpha-3 or IGO:... */
	int tok;
	uint8_t loc, agent, anaphor, place;
} cx_party;
int cx_collect(const cx_doc *d, int s, const char *focal, cx_party *p);
/* events.c helpers shared with parties.c and direction.c */
int cx_is_state(const char *c);
int cx_nstates(const cx_ev *ev);
int cx_cooperative(const char *type);
/* a party list of an event: membership, append (no duplicates, capped) */
int cx_has(char (*list)[24], int n, const char *c);
void cx_put(char (*list)[24], int *n, const char *c);
/* date, location, context and confidence of ev read from sentence s around token k */
void cx_finish(cx_doc *d, int s, int k, cx_ev *ev, const char *host);
/* add ev, or merge it into the event with the same (type, states) key */
cr_err cx_emit(cx_doc *d, cx_ev *ev);

/* direction.c: one trigger hit into events, its parties split by side of
 * the trigger; next is the next hit's token, next_verb whether it wraps */
cr_err cx_assign(cx_doc *d, int s, const cx_hit *h, cx_party *p, int np, const char *focal, int next,
                 int next_verb);

/* scope.c: filters and retypings of a trigger hit (see the file header) */
int cx_participle(const cx_doc *d, const cx_hit *h);
int cx_apposition(const cx_doc *d, const cx_hit *h);
int cx_taken_up(const cx_doc *d, int s, const cx_hit *h);
int cx_clause_word_between(const cx_doc *d, int a, int b);
int cx_hostile(const char *type);
/* hit i, a promise: becomes CONCEDE, or is dropped (1) and its act turned into THREATEN */
int cx_promise_kind(const cx_doc *d, cx_hit *hits, int nh, int i, int wrap_end);
int cx_later_date(const cx_doc *d, int s, const cx_hit *h);
int cx_subhead(const cx_doc *d, int s);
int cx_commentator(const cx_doc *d, const cx_hit *h);
int cx_attributive(const cx_doc *d, const cx_hit *h);
int cx_part_of_previous(const cx_doc *d, const cx_hit *hits, int i);
int cx_joint(const cx_doc *d, const cx_hit *h);
int cx_unless(const cx_doc *d, int s);

/* render.c: entities and events of the document as protobuf messages in r */
cr_err cx_render(const cx_doc *d, cx_result *r);

/* First mention / date of sentence s (index; nment / ndate when none). */
int cx_first_ment(const cx_doc *d, int s);
int cx_first_date(const cx_doc *d, int s);

/* helpers shared by modules */
cr_err cx_grow(void **p, int *cap, int need, size_t elem);

/* snprintf(dst, cap, "%s", src) without the formatting machinery (hot in
 * party lists and event keys): copies what fits, always terminates
 * (cap > 0), returns strlen(src). */
static inline size_t cx_strlcpy(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src), k = n < cap ? n : cap - 1;
	memmove(dst, src, k);
	dst[k] = 0;
	return n;
}

/* strcmp(a, b) == 0; most words the rules test differ in the first byte,
 * and the rules test many: no call for those. */
static inline int cx_streq(const char *a, const char *b)
{
	return a[0] == b[0] && !strcmp(a, b);
}

/* token i is the folded word w / one of the list / a function word of that kind */
static inline int cx_is(const cx_doc *d, int i, const char *w)
{
	return cx_is_word(d, i) && cx_streq(cx_fold(d, i), w);
}

static inline int cx_is_any(const cx_doc *d, int i, const char *const *list)
{
	if (!cx_is_word(d, i))
		return 0;
	for (const char *f = cx_fold(d, i); *list; list++)
		if (cx_streq(f, *list))
			return 1;
	return 0;
}

static inline int cx_wordk(const cx_doc *d, int i, int kind)
{
	return i >= 0 && i < d->ntok && cx_word(d, i, G_WORD, kind) != NULL;
}

#endif
