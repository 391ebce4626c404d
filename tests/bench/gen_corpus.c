/* Benchmark corpus generator: news-like articles in French and English, as
 * plain text, hard-wrapped text, Markdown, HTML fragments and full HTML pages
 * with navigation, scripts, share buttons and comment forms. Sizes follow a
 * log-normal law (median ~2.5 KB, mean ~3 KB) clamped to 500 B..15 KB.
 * Deterministic for a given seed. Output: JSON lines (id, url, source, title,
 * published, text), the format `courant submit` reads.
 *   gen_corpus [-n COUNT] [-s SEED] [-o FILE] */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

typedef struct country {
	const char *en, *en_dem, *fr, *fr_dem_m, *fr_dem_f, *cap_en, *cap_fr;
} country;

static const country countries[] = {
	{"France", "French", "la France", "français", "française", "Paris", "Paris"},
	{"Morocco", "Moroccan", "le Maroc", "marocain", "marocaine", "Rabat", "Rabat"},
	{"Algeria", "Algerian", "l'Algérie", "algérien", "algérienne", "Algiers", "Alger"},
	{"the United States", "American", "les États-Unis", "américain", "américaine", "Washington", "Washington"},
	{"Senegal", "Senegalese", "le Sénégal", "sénégalais", "sénégalaise", "Dakar", "Dakar"},
	{"Germany", "German", "l'Allemagne", "allemand", "allemande", "Berlin", "Berlin"},
	{"China", "Chinese", "la Chine", "chinois", "chinoise", "Beijing", "Pékin"},
	{"Russia", "Russian", "la Russie", "russe", "russe", "Moscow", "Moscou"},
	{"Ukraine", "Ukrainian", "l'Ukraine", "ukrainien", "ukrainienne", "Kyiv", "Kiev"},
	{"Japan", "Japanese", "le Japon", "japonais", "japonaise", "Tokyo", "Tokyo"},
	{"India", "Indian", "l'Inde", "indien", "indienne", "New Delhi", "New Delhi"},
	{"Brazil", "Brazilian", "le Brésil", "brésilien", "brésilienne", "Brasília", "Brasília"},
	{"Iran", "Iranian", "l'Iran", "iranien", "iranienne", "Tehran", "Téhéran"},
	{"Egypt", "Egyptian", "l'Égypte", "égyptien", "égyptienne", "Cairo", "Le Caire"},
	{"Tunisia", "Tunisian", "la Tunisie", "tunisien", "tunisienne", "Tunis", "Tunis"},
	{"Mali", "Malian", "le Mali", "malien", "malienne", "Bamako", "Bamako"},
	{"Niger", "Nigerien", "le Niger", "nigérien", "nigérienne", "Niamey", "Niamey"},
	{"Turkey", "Turkish", "la Turquie", "turc", "turque", "Ankara", "Ankara"},
	{"Spain", "Spanish", "l'Espagne", "espagnol", "espagnole", "Madrid", "Madrid"},
	{"Italy", "Italian", "l'Italie", "italien", "italienne", "Rome", "Rome"},
	{"the United Kingdom", "British", "le Royaume-Uni", "britannique", "britannique", "London", "Londres"},
	{"Canada", "Canadian", "le Canada", "canadien", "canadienne", "Ottawa", "Ottawa"},
	{"Mexico", "Mexican", "le Mexique", "mexicain", "mexicaine", "Mexico City", "Mexico"},
	{"Saudi Arabia", "Saudi", "l'Arabie saoudite", "saoudien", "saoudienne", "Riyadh", "Riyad"},
	{"Qatar", "Qatari", "le Qatar", "qatari", "qatarie", "Doha", "Doha"},
	{"South Korea", "South Korean", "la Corée du Sud", "sud-coréen", "sud-coréenne", "Seoul", "Séoul"},
	{"Togo", "Togolese", "le Togo", "togolais", "togolaise", "Lomé", "Lomé"},
	{"Nigeria", "Nigerian", "le Nigeria", "nigérian", "nigériane", "Abuja", "Abuja"},
	{"Ethiopia", "Ethiopian", "l'Éthiopie", "éthiopien", "éthiopienne", "Addis Ababa", "Addis-Abeba"},
	{"Kenya", "Kenyan", "le Kenya", "kényan", "kényane", "Nairobi", "Nairobi"},
	{"Poland", "Polish", "la Pologne", "polonais", "polonaise", "Warsaw", "Varsovie"},
	{"Greece", "Greek", "la Grèce", "grec", "grecque", "Athens", "Athènes"},
};

static const char *first_names[] = {
	"Nasser", "Robert", "Amina", "Jean-Yves", "Catherine", "Olaf", "Wang", "Sergueï", "Dmytro",
	"Yoko", "Subrahmanyam", "Mauro", "Hossein", "Sameh", "Nabil", "Abdoulaye", "Hassoumi",
	"Mevlüt", "José Manuel", "Antonio", "James", "Mélanie", "Marcelo", "Fayçal", "Mohammed",
	"Park", "Aïssata", "Geoffrey", "Demeke", "Raychelle", "Radosław", "Nikos",
};
static const char *surnames[] = {
	"Bourita", "Dussey", "Diallo", "Le Drian", "Colonna", "Scholz", "Yi", "Lavrov", "Kuleba",
	"Kamikawa", "Jaishankar", "Vieira", "Amir-Abdollahian", "Choukri", "Ammar", "Diop",
	"Massaoudou", "Çavuşoğlu", "Albares", "Tajani", "Cleverly", "Joly", "Ebrard", "Ben Farhane",
	"Al-Thani", "Jin", "Tall", "Onyeama", "Mekonnen", "Tuya", "Sikorski", "Dendias",
};

typedef struct role {
	const char *en;
	const char *fr;  /* %s: demonym */
	int fr_fem;      /* demonym agrees with a feminine noun */
} role;

static const role roles[] = {
	{"President", "président %s", 0},
	{"Prime Minister", "Premier ministre %s", 0},
	{"Foreign Minister", "chef de la diplomatie %s", 1},
	{"Defence Minister", "ministre %s de la Défense", 0},
	{"Interior Minister", "ministre %s de l'Intérieur", 0},
	{"ambassador", "ambassadeur %s", 0},
};

static const char *months_en[] = {"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"};
static const char *months_fr[] = {"janvier", "février", "mars", "avril", "mai", "juin", "juillet",
	"août", "septembre", "octobre", "novembre", "décembre"};
static const char *days_en[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
static const char *days_fr[] = {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"};

static const char *sources_fr[] = {"mapexpress.ma", "lemonde-bench.fr", "rfi-bench.fr", "jeuneafrique-bench.com",
	"aps-bench.dz", "lesoleil-bench.sn", "liberation-bench.fr"};
static const char *sources_en[] = {"reuters-bench.com", "apnews-bench.com", "aljazeera-bench.com",
	"theguardian-bench.com", "bbc-bench.co.uk", "dw-bench.com"};

/* Event templates. Placeholders: {A} {B} actor/recipient country (French:
 * with article), {AD} {BD} demonyms (French masculine), {ADF} {BDF} French
 * feminine, {BDFP} French feminine plural, {BDMP} masculine plural, {P}
 * person, {R} role of the actor, {C} capital of the actor, {CB} capital of
 * the recipient, {D} a date, {N} a number, {S} a surname alone. */
static const char *events_en[] = {
	"{AD} {R} {P} met his {BD} counterpart in {C} {D} to discuss border security and trade.",
	"{A} signed a trade agreement with {B} {D}, officials in {C} said.",
	"{A} condemned the missile strike attributed to {B}, calling it a grave violation of international law.",
	"The government of {A} accused {B} of backing armed groups along the border.",
	"{A} announced new sanctions against {B} {D}, targeting banks and energy companies.",
	"{A} expelled {N} {BD} diplomats after the incident, the foreign ministry said in a statement.",
	"Hundreds of protesters gathered outside the {BD} embassy in {C} {D} to denounce the decision.",
	"{A} pledged {N} million dollars in humanitarian aid to {B} after the floods.",
	"{AD} troops clashed with {BD} forces near the border {D}, leaving {N} soldiers dead.",
	"{P}, the {AD} {R}, threatened to cut diplomatic ties with {B} if the attacks continued.",
	"Negotiators from {A} and {B} agreed to resume talks in {C} next week.",
	"{A} recalled its ambassador to {B} for consultations {D}.",
	"{AD} {R} {P} praised the cooperation with {B} during a visit to {CB} {D}.",
	"{A} rejected a request from {B} to extradite a former minister.",
	"Police in {C} arrested {N} {BD} nationals suspected of espionage, the interior ministry said.",
	"{A} and {B} announced a joint military exercise in the region {D}.",
};
static const char *fillers_en[] = {
	"Markets in {C} closed slightly higher on the news.",
	"Analysts say the move reflects growing tensions in the region.",
	"The ministry did not respond to a request for comment.",
	"The statement came after weeks of difficult negotiations behind closed doors.",
	"Officials declined to give further details, citing the sensitivity of the talks.",
	"Inflation reached {N} percent last month, according to the national statistics office.",
	"Mr. {S} told reporters that \"dialogue remains the only way forward\".",
	"The U.N. Secretary-General called on all parties to show restraint.",
	"The announcement was welcomed by business leaders, who had long called for clearer rules.",
	"Dr. {S}, a professor of international relations, said the decision was largely symbolic.",
	"Opposition lawmakers criticised the government for acting without consulting parliament.",
	"The two countries have had a difficult relationship since the end of the colonial period.",
	"Fuel prices have risen sharply since the beginning of the year, weighing on households.",
	"A spokesperson said more details would be released in the coming days.",
};
static const char *events_fr[] = {
	"Le {R} {P} a rencontré son homologue {BD} à {C} {D} pour évoquer la sécurité des frontières.",
	"{A} a signé un accord commercial avec {B} {D}, selon un communiqué publié à {C}.",
	"{A} a condamné {B} après la frappe de missiles, dénonçant « une violation grave du droit international ».",
	"Le gouvernement {AD} accuse {B} de soutenir des groupes armés le long de la frontière.",
	"{A} a annoncé {D} de nouvelles sanctions contre {B}, visant des banques et des entreprises énergétiques.",
	"{A} a expulsé {N} diplomates {BDMP} après l'incident, a indiqué le ministère des Affaires étrangères.",
	"Des centaines de manifestants se sont rassemblés devant l'ambassade {BDF} à {C} {D} pour dénoncer cette décision.",
	"{A} a promis une aide humanitaire de {N} millions de dollars pour {B} après les inondations.",
	"Des soldats {ADMP} ont affronté les forces {BDFP} près de la frontière {D}, faisant {N} morts.",
	"{P}, {R}, a menacé de rompre les relations diplomatiques avec {B} si les attaques se poursuivaient.",
	"Les négociateurs {ADMP} et {BDMP} sont convenus de reprendre les pourparlers à {C} la semaine prochaine.",
	"{A} a rappelé son ambassadeur en poste à {CB} pour consultations {D}.",
	"Le {R} {P} a salué la coopération avec {B} lors d'une visite à {CB} {D}.",
	"{A} a rejeté la demande d'extradition d'un ancien ministre présentée par {B}.",
	"La police a interpellé à {C} {N} ressortissants {BDMP} soupçonnés d'espionnage, selon le ministère de l'Intérieur.",
	"{A} et {B} ont annoncé {D} un exercice militaire conjoint dans la région.",
};
static const char *fillers_fr[] = {
	"Les marchés de {C} ont terminé en légère hausse après l'annonce.",
	"Selon les analystes, cette décision reflète les tensions croissantes dans la région.",
	"Le ministère n'a pas répondu aux sollicitations de la presse.",
	"Cette déclaration intervient après plusieurs semaines de négociations difficiles.",
	"Les responsables se sont refusés à tout commentaire, invoquant la sensibilité des discussions.",
	"L'inflation a atteint {N} % le mois dernier, selon l'institut national de la statistique.",
	"M. {S} a déclaré à la presse que « le dialogue reste la seule voie possible ».",
	"Le secrétaire général de l'ONU a appelé toutes les parties à la retenue.",
	"Mme {S}, professeure de relations internationales, estime que la décision est surtout symbolique.",
	"L'opposition a reproché au gouvernement d'avoir agi sans consulter le Parlement.",
	"Les deux pays entretiennent des relations compliquées depuis la fin de la période coloniale.",
	"Les prix du carburant ont fortement augmenté depuis le début de l'année, pesant sur les ménages.",
	"Un porte-parole a indiqué que des précisions seraient apportées dans les prochains jours.",
	"Le Pr {S}, spécialiste du Sahel, juge la situation « préoccupante ».",
};

/* ---- tiny deterministic PRNG (xorshift64*) ------------------------------ */
static uint64_t rng_state = 88172645463325252ull;
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}
static unsigned pick(size_t n) { return (unsigned)(rnd() % n); }
static double unif(void) { return (double)(rnd() >> 11) / 9007199254740992.0; }
static double gauss(void)
{
	double u = unif() + 1e-12, v = unif();
	return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* ---- growable string ------------------------------------------------------ */
typedef struct sbuf {
	char *p;
	size_t len, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 4096;
		while (nc < b->len + n + 1)
			nc *= 2;
		b->p = realloc(b->p, nc);
		if (!b->p) {
			perror("realloc");
			exit(1);
		}
		b->cap = nc;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}
static void sb_puts(sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }
static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n > 0)
		sb_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* ---- sentences ------------------------------------------------------------ */
typedef struct article_ctx {
	int fr;
	unsigned a, b;       /* main actor/recipient of the article */
	unsigned person;     /* main person */
	unsigned role;
} article_ctx;

static void plural(sbuf *b, const char *dem)
{
	size_t n = strlen(dem);
	sb_puts(b, dem);
	if (n && dem[n - 1] != 's' && dem[n - 1] != 'x')
		sb_puts(b, "s");
}

static void date_phrase(sbuf *b, int fr)
{
	unsigned k = pick(4), d = 1 + pick(28), m = pick(12);
	if (fr) {
		if (k == 0)
			sb_puts(b, days_fr[pick(7)]);
		else if (k == 1)
			sb_printf(b, "le %u %s", d, months_fr[m]);
		else if (k == 2)
			sb_printf(b, "le %u %s %u", d, months_fr[m], 2023 + pick(3));
		else
			sb_puts(b, "ce week-end");
	} else {
		if (k == 0)
			sb_printf(b, "on %s", days_en[pick(7)]);
		else if (k == 1)
			sb_printf(b, "on %s %u", months_en[m], d);
		else if (k == 2)
			sb_printf(b, "on %u %s %u", d, months_en[m], 2023 + pick(3));
		else
			sb_puts(b, "last week");
	}
}

static void role_phrase(sbuf *b, const article_ctx *c, unsigned ci)
{
	const role *r = &roles[c->role];
	if (c->fr)
		sb_printf(b, r->fr, r->fr_fem ? countries[ci].fr_dem_f : countries[ci].fr_dem_m);
	else
		sb_puts(b, r->en);
}

/* Expand one template into `out`, then capitalise its first letter. */
static void expand(sbuf *out, const char *t, const article_ctx *c)
{
	size_t start = out->len;
	unsigned a = c->a, bb = c->b;
	if (pick(3) == 0) { /* secondary pairs keep articles varied */
		a = pick(NELEM(countries));
		bb = (a + 1 + pick(NELEM(countries) - 1)) % NELEM(countries);
	}
	const country *A = &countries[a], *B = &countries[bb];
	while (*t) {
		if (*t != '{') {
			const char *e = strchr(t, '{');
			size_t n = e ? (size_t)(e - t) : strlen(t);
			sb_add(out, t, n);
			t += n;
			continue;
		}
		const char *e = strchr(t, '}');
		size_t n = (size_t)(e - t - 1);
		const char *k = t + 1;
#define IS(s) (n == strlen(s) && !memcmp(k, s, n))
		if (IS("A"))
			sb_puts(out, c->fr ? A->fr : A->en);
		else if (IS("B"))
			sb_puts(out, c->fr ? B->fr : B->en);
		else if (IS("AD"))
			sb_puts(out, c->fr ? A->fr_dem_m : A->en_dem);
		else if (IS("BD"))
			sb_puts(out, c->fr ? B->fr_dem_m : B->en_dem);
		else if (IS("BDF"))
			sb_puts(out, B->fr_dem_f);
		else if (IS("BDFP"))
			plural(out, B->fr_dem_f);
		else if (IS("BDMP"))
			plural(out, B->fr_dem_m);
		else if (IS("ADMP"))
			plural(out, A->fr_dem_m);
		else if (IS("P"))
			sb_printf(out, "%s %s", first_names[c->person % NELEM(first_names)], surnames[c->person % NELEM(surnames)]);
		else if (IS("S"))
			sb_puts(out, surnames[pick(NELEM(surnames))]);
		else if (IS("R"))
			role_phrase(out, c, a);
		else if (IS("C"))
			sb_puts(out, c->fr ? A->cap_fr : A->cap_en);
		else if (IS("CB"))
			sb_puts(out, c->fr ? B->cap_fr : B->cap_en);
		else if (IS("D"))
			date_phrase(out, c->fr);
		else if (IS("N"))
			sb_printf(out, "%u", 2 + pick(98));
#undef IS
		t = e + 1;
	}
	char *s = out->p + start;
	if (*s >= 'a' && *s <= 'z')
		*s = (char)(*s - 'a' + 'A');
}

static void sentence(sbuf *out, const article_ctx *c)
{
	int ev = pick(100) < 55;
	const char *t;
	if (c->fr)
		t = ev ? events_fr[pick(NELEM(events_fr))] : fillers_fr[pick(NELEM(fillers_fr))];
	else
		t = ev ? events_en[pick(NELEM(events_en))] : fillers_en[pick(NELEM(fillers_en))];
	expand(out, t, c);
}

/* Body paragraphs until `target` bytes; `sep` separates paragraphs, `open`
 * and `close` wrap each (HTML <p>). */
static void body(sbuf *out, const article_ctx *c, size_t target, const char *open, const char *close, const char *sep)
{
	size_t start = out->len;
	int first = 1;
	while (out->len - start < target) {
		if (!first)
			sb_puts(out, sep);
		first = 0;
		sb_puts(out, open);
		unsigned ns = 2 + pick(4);
		for (unsigned i = 0; i < ns; i++) {
			if (i)
				sb_puts(out, " ");
			sentence(out, c);
		}
		sb_puts(out, close);
	}
}

static void title(sbuf *out, const article_ctx *c)
{
	const country *A = &countries[c->a], *B = &countries[c->b];
	static const char *en[] = {"%s and %s sign new trade deal", "%s condemns %s over border strike",
		"Tensions rise between %s and %s", "%s announces sanctions against %s"};
	static const char *fr[] = {"%s et %s signent un nouvel accord", "%s condamne %s après une frappe",
		"Regain de tension entre %s et %s", "%s annonce des sanctions contre %s"};
	size_t start = out->len;
	unsigned k = pick(4);
	if (c->fr)
		sb_printf(out, fr[k], A->fr, B->fr);
	else
		sb_printf(out, en[k], A->en, B->en);
	char *s = out->p + start;
	if (*s >= 'a' && *s <= 'z')
		*s = (char)(*s - 'a' + 'A');
}

/* Re-flow plain text at `width` columns, hyphenating some long words. */
static void hard_wrap(sbuf *out, const char *s, unsigned width)
{
	unsigned col = 0;
	while (*s) {
		if (s[0] == '\n' && s[1] == '\n') {
			sb_puts(out, "\n\n");
			col = 0;
			s += 2;
			continue;
		}
		const char *e = s;
		while (*e && *e != ' ' && *e != '\n')
			e++;
		size_t n = (size_t)(e - s);
		if (col && col + 1 + n > width) {
			if (n > 9 && col + 6 < width && pick(3) == 0) { /* split the word with a hyphen */
				size_t cut = 4; /* on a character boundary */
				while (cut < n && ((unsigned char)s[cut] & 0xC0) == 0x80)
					cut++;
				sb_puts(out, " ");
				sb_add(out, s, cut);
				sb_puts(out, "-\n");
				s += cut;
				n -= cut;
				col = 0;
			} else {
				sb_puts(out, "\n");
				col = 0;
			}
		} else if (col) {
			sb_puts(out, " ");
			col++;
		}
		sb_add(out, s, n);
		col += (unsigned)n;
		s += n;
		if (*s == ' ' || (*s == '\n' && s[1] != '\n'))
			s++;
	}
}

static const char *html_head_fmt =
	"<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
	"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>%s | %s</title>\n"
	"<link rel=\"stylesheet\" href=\"/static/css/main.css\">\n"
	"<style>body{font-family:Georgia,serif;margin:0}.share a{margin-right:8px}nav ul{list-style:none}</style>\n"
	"<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}"
	"gtag('js',new Date());gtag('config','UA-000000-1');</script>\n</head>\n<body>\n";

static void html_page(sbuf *out, const article_ctx *c, const char *ttl, const char *src, size_t target)
{
	int fr = c->fr;
	sb_printf(out, html_head_fmt, fr ? "fr" : "en", ttl, src);
	sb_printf(out, "<header><nav><ul><li><a href=\"/\">%s</a></li><li><a href=\"/monde\">%s</a></li>"
		"<li><a href=\"/politique\">%s</a></li><li><a href=\"/economie\">%s</a></li><li><a href=\"/sport\">Sport</a></li>"
		"</ul></nav></header>\n", fr ? "Accueil" : "Home", fr ? "Monde" : "World", fr ? "Politique" : "Politics",
		fr ? "&Eacute;conomie" : "Business");
	if (pick(2))
		sb_printf(out, "<div class=\"cookie\">%s <button>OK</button></div>\n",
			fr ? "Ce site utilise des cookies pour am&eacute;liorer votre exp&eacute;rience."
			   : "This site uses cookies to improve your experience.");
	sb_printf(out, "<main><article>\n<h1>%s</h1>\n<p class=\"byline\">%s %s %s &ndash; %s</p>\n", ttl,
		fr ? "Par" : "By", first_names[pick(NELEM(first_names))], surnames[pick(NELEM(surnames))], src);
	size_t boiler = 1400;
	body(out, c, target > boiler + 300 ? target - boiler : 300, "<p>", "</p>", "\n");
	sb_printf(out, "\n<div class=\"share\"><a href=\"#\">%s Facebook</a><a href=\"#\">%s Twitter</a>"
		"<a href=\"#\">%s</a></div>\n<p class=\"related\"><a href=\"/article/%u\">%s %s</a></p>\n</article></main>\n",
		fr ? "Partager sur" : "Share on", fr ? "Partager sur" : "Share on", fr ? "Envoyer par e-mail" : "Email",
		(unsigned)pick(1000000), fr ? "Lire aussi :" : "Read more:", fr ? "les enjeux du sommet" : "what is at stake");
	sb_printf(out, "<div id=\"comments\"><h3>%s</h3><form method=\"post\"><textarea name=\"c\"></textarea>"
		"<input type=\"text\" name=\"name\" placeholder=\"%s\"><button>%s</button></form></div>\n",
		fr ? "LAISSER UN COMMENTAIRE" : "LEAVE A COMMENT", fr ? "Nom" : "Name", fr ? "Envoyer" : "Post");
	sb_printf(out, "<footer><p>&copy; 2024 %s. %s</p><script src=\"/static/js/app.js\" async></script></footer>\n"
		"</body>\n</html>\n", src, fr ? "Tous droits r&eacute;serv&eacute;s." : "All rights reserved.");
}

static void json_str(FILE *f, const char *s, size_t n)
{
	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", f);
		else if (ch == '\t')
			fputs("\\t", f);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

int main(int argc, char **argv)
{
	unsigned long n = 20000, seed = 1;
	const char *path = "-";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			n = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "-s") && i + 1 < argc)
			seed = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			path = argv[++i];
		else {
			fprintf(stderr, "usage: gen_corpus [-n COUNT] [-s SEED] [-o FILE]\n");
			return 2;
		}
	}
	rng_state ^= seed * 0x9E3779B97F4A7C15ull;
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;
	if (!f) {
		perror(path);
		return 1;
	}
	sbuf text = {0}, tmp = {0}, ttl = {0};
	size_t total = 0, mn = (size_t)-1, mx = 0, nfr = 0, nhtml = 0;
	for (unsigned long i = 0; i < n; i++) {
		article_ctx c = {.fr = pick(2) == 0, .a = pick(NELEM(countries)), .person = pick(1024), .role = pick(NELEM(roles))};
		c.b = (c.a + 1 + pick(NELEM(countries) - 1)) % NELEM(countries);
		double sz = exp(log(2400.0) + 0.6 * gauss());
		size_t target = sz < 500 ? 500 : sz > 14000 ? 14000 : (size_t)sz;
		const char *src = c.fr ? sources_fr[pick(NELEM(sources_fr))] : sources_en[pick(NELEM(sources_en))];
		text.len = tmp.len = ttl.len = 0;
		title(&ttl, &c);
		unsigned kind = pick(100);
		int give_title = 1;
		if (kind < 35) { /* full HTML page */
			html_page(&text, &c, ttl.p, src, target);
			give_title = 0;
			nhtml++;
		} else if (kind < 45) { /* HTML fragment */
			body(&text, &c, target, "<p>", "</p>", "\n");
			nhtml++;
		} else if (kind < 50) { /* Markdown */
			sb_printf(&text, "# %s\n\n", ttl.p);
			body(&text, &c, target, "", "", "\n\n");
			sb_puts(&text, c.fr ? "\n\n**Lire aussi** : [les enjeux du sommet](/article/1)\n" : "\n\n**Read more**: [what is at stake](/article/1)\n");
		} else if (kind < 60) { /* hard-wrapped plain text */
			body(&tmp, &c, target, "", "", "\n\n");
			hard_wrap(&text, tmp.p, 72);
		} else { /* plain text */
			body(&text, &c, target, "", "", "\n\n");
		}
		if (text.len < 500) { /* short bodies still carry some text */
			sb_puts(&text, c.fr ? "\n\n" : "\n\n");
			body(&text, &c, 500 - text.len, "", "", "\n\n");
		}
		unsigned y = 2023 + pick(3), mo = 1 + pick(12), d = 1 + pick(28);
		char id[32], url[256], pub[16];
		snprintf(id, sizeof id, "bench-%07lu", i);
		snprintf(url, sizeof url, "https://www.%s/%s/%u/%02u/%02u/article-%lu-%08x.html", src,
			c.fr ? "international" : "world", y, mo, d, i, (unsigned)rnd());
		snprintf(pub, sizeof pub, "%u-%02u-%02u", y, mo, d);
		fputs("{\"id\":", f);
		json_str(f, id, strlen(id));
		fputs(",\"url\":", f);
		json_str(f, url, strlen(url));
		fputs(",\"source\":", f);
		json_str(f, src, strlen(src));
		fputs(",\"title\":", f);
		if (give_title)
			json_str(f, ttl.p, ttl.len);
		else
			fputs("null", f);
		fputs(",\"published\":", f);
		json_str(f, pub, strlen(pub));
		fputs(",\"text\":", f);
		json_str(f, text.p, text.len);
		fputs("}\n", f);
		total += text.len;
		mn = text.len < mn ? text.len : mn;
		mx = text.len > mx ? text.len : mx;
		nfr += (size_t)c.fr;
	}
	if (f != stdout && fclose(f)) {
		perror(path);
		return 1;
	}
	fprintf(stderr, "{\"articles\":%lu,\"text_bytes\":%zu,\"avg_bytes\":%.0f,\"min_bytes\":%zu,\"max_bytes\":%zu,"
		"\"fr\":%zu,\"en\":%zu,\"html\":%zu}\n", n, total, n ? (double)total / (double)n : 0.0, mn, mx,
		nfr, (size_t)n - nfr, nhtml);
	free(text.p);
	free(tmp.p);
	free(ttl.p);
	return 0;
}
