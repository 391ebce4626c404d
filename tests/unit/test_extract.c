/* cx_extract black-box tests on sentences and short articles written for
 * these tests (French and English): each gazetteer class, each date form,
 * each of the sixteen PLOVER types, and the negated, hypothetical and
 * future forms that must not yield the plain event. Table-driven: a case is
 * a row. */
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "extract/extract.h"

static cx_engine *eng;

static cx_result *run(const char *lang, const char *pub, const char *text)
{
	cx_input in = {.id = "t", .published = pub, .lang = lang, .text = text, .len = strlen(text)};
	cx_result *r = NULL;
	cr_err e = cx_extract(eng, &in, &r);
	T_EQ_INT(e, CR_OK);
	return r;
}

/* "AAA BBB": the event's states (actor and recipient), sorted, space-separated */
static void key_of(const Courant__Event *ev, char *out, size_t n)
{
	const char *c[32];
	int k = 0;
	for (size_t i = 0; i < ev->n_actor && k < 32; i++)
		if (strlen(ev->actor[i]) == 3)
			c[k++] = ev->actor[i];
	for (size_t i = 0; i < ev->n_recipient && k < 32; i++)
		if (strlen(ev->recipient[i]) == 3)
			c[k++] = ev->recipient[i];
	for (int i = 0; i < k; i++)
		for (int j = i + 1; j < k; j++)
			if (strcmp(c[j], c[i]) < 0) {
				const char *t = c[i];
				c[i] = c[j];
				c[j] = t;
			}
	out[0] = 0;
	for (int i = 0; i < k; i++)
		if (!i || strcmp(c[i], c[i - 1]))
			snprintf(out + strlen(out), n - strlen(out), "%s%s", *out ? " " : "", c[i]);
}

static const Courant__Event *find_event(const cx_result *r, const char *type, const char *key)
{
	char k[128];
	for (size_t i = 0; i < r->n_events; i++) {
		key_of(r->events[i], k, sizeof k);
		if (!strcmp(r->events[i]->type, type) && (!key || !strcmp(k, key)))
			return r->events[i];
	}
	return NULL;
}

static int has_country(const cx_result *r, const char *code)
{
	for (size_t i = 0; i < r->n_entities; i++)
		if (r->entities[i]->type == COURANT__ENTITY_TYPE__COUNTRY && !strcmp(r->entities[i]->code, code))
			return 1;
	return 0;
}

static size_t count_type(const cx_result *r, Courant__EntityType t)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n_entities; i++)
		n += r->entities[i]->type == t;
	return n;
}

static const Courant__Entity *person(const cx_result *r, const char *name)
{
	for (size_t i = 0; i < r->n_entities; i++)
		if (r->entities[i]->type == COURANT__ENTITY_TYPE__PERSON && !strcmp(r->entities[i]->name, name))
			return r->entities[i];
	return NULL;
}

/* ---- gazetteers ------------------------------------------------------------ */

static const struct {
	const char *lang, *text, *want, *not;
} gaz_cases[] = {
	{"fr", "Le Ghana et la Côte d'Ivoire ont des relations anciennes.", "GHA CIV", "TGO"},
	{"fr", "Une délégation béninoise et des experts nigériennes sont arrivés.", "BEN NER", "NGA"},
	{"fr", "Les Burkinabè ont accueilli la nouvelle avec joie.", "BFA", NULL},
	{"fr", "La coopération franco-allemande et le partenariat sino-africain progressent.", "FRA DEU CHN", NULL},
	{"fr", "Le forum économique ghanéo-ivoirien s'ouvre demain.", "GHA CIV", NULL},
	{"fr", "La RDC et le Royaume du Maroc ont signé un accord.", "COD MAR", NULL},
	{"fr", "Les États-Unis et la République centrafricaine ont échangé.", "USA CAF", NULL},
	{"en", "The Nigerien junta and Nigerian officials met Ivorian diplomats.", "NER NGA CIV", NULL},
	{"en", "The United States and the Ivory Coast agreed on a visa waiver.", "USA CIV", NULL},
	{"en", "Kazakh and Uzbek delegations traveled to Senegal.", "KAZ UZB SEN", NULL},
	/* capitals are places, not state mentions */
	{"fr", "Le sommet s'est tenu à Accra puis à Lomé.", "", "GHA TGO"},
	{"en", "Talks were held in Nairobi and Addis Ababa.", "", "KEN ETH"},
	/* common words that are also names */
	{"fr", "La réunion ministérielle a eu lieu hier.", "", "REU"},
	{"en", "The turkey was served with chad sauce.", "", "TUR TCD"},
	/* folding: capitals and accents outside ASCII, a ligature, words mixing both */
	{"fr", "L'ÉGYPTE ET LE SÉNÉGAL ONT SIGNÉ UN ACCORD AVEC L'ÉTHIOPIE.", "EGY SEN ETH", NULL},
	{"fr", "Le Bénin et le Nigéria ont signé un accord sur les œuvres d'art.", "BEN NGA", NULL},
};

static void test_gazetteer_countries(void)
{
	for (size_t i = 0; i < sizeof gaz_cases / sizeof gaz_cases[0]; i++) {
		cx_result *r = run(gaz_cases[i].lang, "2024-05-10", gaz_cases[i].text);
		char buf[64];
		const char *p = gaz_cases[i].want;
		while (p && *p) {
			size_t n = strcspn(p, " ");
			snprintf(buf, sizeof buf, "%.*s", (int)n, p);
			T_CHECK(has_country(r, buf), "case %zu: %s missing in \"%s\"", i, buf, gaz_cases[i].text);
			p += n + (p[n] == ' ');
		}
		for (p = gaz_cases[i].not; p && *p;) {
			size_t n = strcspn(p, " ");
			snprintf(buf, sizeof buf, "%.*s", (int)n, p);
			T_CHECK(!has_country(r, buf), "case %zu: %s wrongly found in \"%s\"", i, buf, gaz_cases[i].text);
			p += n + (p[n] == ' ');
		}
		cx_result_destroy(&r);
	}
}

static void test_gazetteer_places_orgs(void)
{
	cx_result *r = run("fr", "2024-05-10", "L'ONU et la CEDEAO ont envoyé une mission à Niamey, "
	                                       "puis la Banque africaine de développement (BAD) à Kigali.");
	size_t places = 0, orgs = 0;
	for (size_t i = 0; i < r->n_entities; i++) {
		const Courant__Entity *e = r->entities[i];
		if (e->type == COURANT__ENTITY_TYPE__PLACE) {
			places++;
			T_OK(e->country && (!strcmp(e->country, "NER") || !strcmp(e->country, "RWA")));
		}
		if (e->type == COURANT__ENTITY_TYPE__ORG) {
			orgs++;
			T_OK(e->code && !strncmp(e->code, "IGO:", 4));
		}
	}
	T_EQ_INT(places, 2);
	T_OK(orgs >= 2);
	T_EQ_INT(count_type(r, COURANT__ENTITY_TYPE__COUNTRY), 0);
	cx_result_destroy(&r);
	r = run("en", "2024-05-10", "The UN envoy briefed the African Union in Addis Ababa.");
	T_OK(count_type(r, COURANT__ENTITY_TYPE__ORG) >= 2);
	cx_result_destroy(&r);
}

/* ---- persons ------------------------------------------------------------- */

static void test_persons_titles(void)
{
	cx_result *r = run("fr", "2024-05-10",
	                   "Le ministre ghanéen des Affaires étrangères, Samuel Okudzeto Ablakwa, a reçu M. Jean-Marie "
	                   "TRAORÉ. Le Colonel Abdoulaye Maïga était présent. Ablakwa a salué son hôte, puis ABLAKWA "
	                   "a quitté la salle avec Traore.");
	const Courant__Entity *p = person(r, "Samuel Okudzeto Ablakwa");
	T_OK(p != NULL);
	if (p) {
		T_EQ_STR(p->country, "GHA");
		T_OK(p->role != NULL);
		T_OK(p->mentions >= 3);
	}
	T_OK(person(r, "Jean-Marie Traoré") != NULL);
	T_OK(person(r, "Abdoulaye Maïga") != NULL);
	T_EQ_INT(count_type(r, COURANT__ENTITY_TYPE__PERSON), 3);
	cx_result_destroy(&r);
}

static void test_persons_english_and_typos(void)
{
	cx_result *r = run("en", "2024-05-10",
	                   "Kenyan President William Ruto met Foreign Minister Musalia Mudavadi. Later, Mudavadi told "
	                   "reporters that Rutto would travel. Mr. Mudavadi, the foreign minister of Kenya, smiled.");
	const Courant__Entity *p = person(r, "William Ruto");
	T_OK(p != NULL);
	if (p) {
		T_EQ_STR(p->country, "KEN");
		T_OK(p->n_aliases >= 1); /* the typo "Rutto" merged */
	}
	T_OK(person(r, "Musalia Mudavadi") != NULL);
	T_EQ_INT(count_type(r, COURANT__ENTITY_TYPE__PERSON), 2);
	cx_result_destroy(&r);
}

static void test_persons_apposition(void)
{
	cx_result *r = run("fr", "2024-05-10",
	                   "Aïssata Tall Sall, ministre sénégalaise de la Justice, et Sidi Ould Tah, président de la "
	                   "BADEA, ont signé le texte.");
	T_OK(person(r, "Aïssata Tall Sall") != NULL);
	T_OK(person(r, "Sidi Ould Tah") != NULL);
	const Courant__Entity *p = person(r, "Aïssata Tall Sall");
	if (p)
		T_EQ_STR(p->country, "SEN");
	cx_result_destroy(&r);
}

/* ---- dates: each form, through an event that carries it ------------------ */

static const struct {
	const char *lang, *pub, *text, *date, *date_end;
} date_cases[] = {
	{"fr", "2024-03-20", "Le Ghana et le Togo ont signé un accord le jeudi 14 mars 2024.", "2024-03-14", NULL},
	{"fr", "2024-03-20", "Le Ghana et le Togo ont signé un accord le 1er mars.", "2024-03-01", NULL},
	{"fr", "2024-03-20", "Le Ghana et le Togo ont signé un accord du 4 au 6 février 2024.", "2024-02-04", "2024-02-06"},
	{"fr", "2024-03-20", "Le Ghana et le Togo ont signé un accord les 11 et 12 mars derniers.", "2024-03-11", "2024-03-12"},
	{"fr", "2024-03-20", "Le Ghana et le Togo ont signé un accord en décembre 2023.", "2023-12", NULL},
	{"fr", "2024-03-20", "Le Ghana et le Togo ont signé un accord en décembre dernier.", "2023-12", NULL},
	{"fr", "2024-03-20", "Le Ghana et le Togo ont signé un accord mardi dernier.", "2024-03-19", NULL},
	{"fr", "2024-03-20", "Le Ghana et le Togo ont signé un accord la semaine dernière.", "2024-03", NULL},
	{"fr", "2024-03-20", "Le Ghana et le Togo ont signé un accord le mois dernier.", "2024-02", NULL},
	{"fr", "2024-03-20", "Le Ghana et le Togo ont signé un accord l'année dernière.", "2023", NULL},
	{"fr", "2024-03-20", "Le Ghana et le Togo ont signé un accord hier.", "2024-03-19", NULL},
	{"fr", "2024-03-20", "Le Ghana et le Togo ont signé un accord en 2022.", "2022", NULL},
	{"fr", "2024-03-20", "Le Ghana et le Togo ont signé un accord le 08/03/2024.", "2024-03-08", NULL},
	{"en", "2024-03-20", "Ghana and Togo signed an agreement on March 3.", "2024-03-03", NULL},
	{"en", "2024-03-20", "Ghana and Togo signed an agreement on March 3, 2023.", "2023-03-03", NULL},
	{"en", "2024-03-20", "Ghana and Togo signed an agreement on 3 March 2024.", "2024-03-03", NULL},
	{"en", "2024-03-20", "Ghana and Togo signed an agreement last Tuesday.", "2024-03-19", NULL},
	{"en", "2024-03-20", "Ghana and Togo signed an agreement on Monday.", "2024-03-18", NULL},
	{"en", "2024-03-20", "Ghana and Togo signed an agreement earlier this month.", "2024-03", NULL},
	{"en", "2024-03-20", "Ghana and Togo signed an agreement last year.", "2023", NULL},
	{"en", "2024-03-20", "Ghana and Togo signed an agreement yesterday.", "2024-03-19", NULL},
	{"en", "2024-03-20", "Ghana and Togo signed an agreement in November 2023.", "2023-11", NULL},
	{"en", "2024-03-20", "Ghana and Togo signed an agreement on 2024-02-29.", "2024-02-29", NULL},
	{"en", "2024-03-20", "Ghana and Togo signed an agreement on March 8-10.", "2024-03-08", "2024-03-10"},
	/* the year of a day without one: the nearest past occurrence */
	{"fr", "2024-01-05", "Le Ghana et le Togo ont signé un accord le 20 décembre.", "2023-12-20", NULL},
};

static void test_dates(void)
{
	for (size_t i = 0; i < sizeof date_cases / sizeof date_cases[0]; i++) {
		cx_result *r = run(date_cases[i].lang, date_cases[i].pub, date_cases[i].text);
		const Courant__Event *ev = find_event(r, "SUPPORT", "GHA TGO");
		T_CHECK(ev != NULL, "case %zu: no event in \"%s\"", i, date_cases[i].text);
		if (ev) {
			T_CHECK(ev->date && !strcmp(ev->date, date_cases[i].date), "case %zu: date %s != %s", i,
			        ev->date ? ev->date : "(none)", date_cases[i].date);
			if (date_cases[i].date_end)
				T_CHECK(ev->date_end && !strcmp(ev->date_end, date_cases[i].date_end),
				        "case %zu: date_end %s != %s", i, ev->date_end ? ev->date_end : "(none)",
				        date_cases[i].date_end);
		}
		cx_result_destroy(&r);
	}
	/* no date in the text, none invented */
	cx_result *r = run("en", "2024-03-20", "Ghana and Togo signed an agreement.");
	const Courant__Event *ev = find_event(r, "SUPPORT", "GHA TGO");
	T_OK(ev && !ev->date);
	cx_result_destroy(&r);
}

/* ---- events: the sixteen types, then what must not be an event ---------- */

static const struct {
	const char *lang, *text, *type, *key;
} event_cases[] = {
	{"fr", "Le Sénégal et la Gambie ont convenu de rouvrir leur frontière commune.", "AGREE", "GMB SEN"},
	{"en", "Ghana pledged to support Burkina Faso's bid for the council seat.", "AGREE", "BFA GHA"},
	{"fr", "Le président nigérian s'est entretenu avec son homologue béninois à Abuja.", "CONSULT", "BEN NGA"},
	{"en", "The Chadian foreign minister visited Cameroon on Friday.", "CONSULT", "CMR TCD"},
	{"en", "Ghana hosted a delegation from Liberia.", "CONSULT", "GHA LBR"},
	{"fr", "Le Rwanda a salué la décision de l'Ouganda.", "SUPPORT", "RWA UGA"},
	{"en", "Japan signed a defence pact with Australia.", "SUPPORT", "AUS JPN"},
	{"en", "Armenia apologised to Georgia for the border incident.", "CONCEDE", "ARM GEO"},
	{"fr", "Le Mali et la Guinée ont mené des exercices militaires conjoints.", "COOPERATE", "GIN MLI"},
	{"en", "Norway granted asylum to two Eritrean journalists.", "AID", "ERI NOR"},
	{"fr", "Le Maroc a octroyé une aide humanitaire à la Libye.", "AID", "LBY MAR"},
	{"en", "Azerbaijan released twelve Armenian prisoners.", "RETREAT", "ARM AZE"},
	{"fr", "Le Tchad a demandé à la France de retirer ses soldats.", "REQUEST", "FRA TCD"},
	{"en", "Pakistan accused India of violating the ceasefire.", "ACCUSE", "IND PAK"},
	{"fr", "La Guinée a condamné l'incursion de soldats libériens.", "ACCUSE", "GIN LBR"},
	{"en", "Venezuela rejected Guyana's proposal for arbitration.", "REJECT", "GUY VEN"},
	{"fr", "Le Soudan a menacé l'Éthiopie de représailles.", "THREATEN", "ETH SDN"},
	{"fr", "Des milliers de manifestants ont défilé à Dakar contre la vie chère.", "PROTEST", "SEN"},
	{"en", "Canada imposed sanctions on Iranian officials.", "SANCTION", "CAN IRN"},
	{"fr", "Le Niger a expulsé l'ambassadeur de France.", "SANCTION", "FRA NER"},
	{"en", "Serbia deployed troops along the Kosovo border.", "MOBILIZE", "SRB XKX"},
	{"fr", "L'Iran a mobilisé ses réservistes.", "MOBILIZE", "IRN"},
	{"fr", "La police a dispersé des manifestants à Conakry.", "COERCE", "GIN"},
	{"en", "Gunmen attacked a military post in Mali, killing ten soldiers.", "ASSAULT", "MLI"},
	{"fr", "L'armée burkinabè a bombardé des positions à Djibo.", "ASSAULT", "BFA"},
	/* future cooperation becomes AGREE */
	{"fr", "Le Togo ouvrira une ambassade au Ghana l'an prochain.", "AGREE", "GHA TGO"},
	{"en", "Egypt will host a summit with Sudan next month.", "AGREE", "EGY SDN"},
	/* "the two sides" are the article's parties */
	{"fr", "Le Niger et le Tchad renforcent leurs liens. Les deux parties ont signé un protocole.", "SUPPORT", "NER TCD"},
	{"en", "Peru and Chile held talks. The two sides agreed to extend the fishing accord.", "AGREE", "CHL PER"},
	/* compound actors are one event */
	{"en", "Ghana and Togo condemned the coup in Gabon.", "ACCUSE", "GAB GHA TGO"},
};

static const struct {
	const char *lang, *text, *type;
} non_event_cases[] = {
	{"fr", "Le Niger n'a pas condamné le Bénin.", "ACCUSE"},
	{"fr", "Le Ghana ne soutient pas la position du Togo.", "SUPPORT"},
	{"en", "Kenya did not meet Uganda's envoy.", "CONSULT"},
	{"en", "Brazil never accused Argentina of dumping.", "ACCUSE"},
	{"fr", "Si le Mali attaquait le Niger, la région s'embraserait.", "ASSAULT"},
	{"fr", "Le Burkina Faso pourrait expulser des diplomates français.", "SANCTION"},
	{"en", "Russia could impose sanctions on Moldova.", "SANCTION"},
	{"en", "If Serbia recognised Kosovo, talks would resume.", "SUPPORT"},
	{"fr", "Une visite du président ivoirien au Ghana pourrait avoir lieu.", "CONSULT"},
	/* a future visit is an agreement, not a visit */
	{"en", "The Ghanaian president will visit Togo next week.", "CONSULT"},
	{"fr", "Le ministre togolais se rendra au Bénin en juin prochain.", "CONSULT"},
	/* refusal is REJECT, not the refused act */
	{"en", "Mali refused to meet the Ivorian delegation.", "CONSULT"},
	/* a capital is not a party of its own */
	{"fr", "La réunion des ministres s'est tenue hier.", "CONSULT"},
};

static void test_event_types(void)
{
	for (size_t i = 0; i < sizeof event_cases / sizeof event_cases[0]; i++) {
		cx_result *r = run(event_cases[i].lang, "2024-05-10", event_cases[i].text);
		const Courant__Event *ev = find_event(r, event_cases[i].type, event_cases[i].key);
		T_CHECK(ev != NULL, "case %zu: no %s [%s] in \"%s\"", i, event_cases[i].type, event_cases[i].key,
		        event_cases[i].text);
		if (ev) {
			T_OK(ev->text && *ev->text);
			T_OK(ev->has_confidence && ev->confidence > 0 && ev->confidence <= 1);
		}
		cx_result_destroy(&r);
	}
}

static void test_non_events(void)
{
	for (size_t i = 0; i < sizeof non_event_cases / sizeof non_event_cases[0]; i++) {
		cx_result *r = run(non_event_cases[i].lang, "2024-05-10", non_event_cases[i].text);
		T_CHECK(!find_event(r, non_event_cases[i].type, NULL), "case %zu: unexpected %s in \"%s\"", i,
		        non_event_cases[i].type, non_event_cases[i].text);
		cx_result_destroy(&r);
	}
	/* ... while the future visit still counts as an agreement, and the refusal as REJECT */
	cx_result *r = run("en", "2024-05-10", "The Ghanaian president will visit Togo next week.");
	T_OK(find_event(r, "AGREE", "GHA TGO") != NULL);
	cx_result_destroy(&r);
	r = run("en", "2024-05-10", "Mali refused to meet the Ivorian delegation.");
	T_OK(find_event(r, "REJECT", "CIV MLI") != NULL);
	cx_result_destroy(&r);
}

static void test_visit_direction_location(void)
{
	cx_result *r = run("fr", "2024-05-10",
	                   "Le ministre béninois des Affaires étrangères a effectué une visite de travail à Abuja "
	                   "le 2 mai 2024.");
	const Courant__Event *ev = find_event(r, "CONSULT", "BEN NGA");
	T_OK(ev != NULL);
	if (ev) {
		T_EQ_STR(ev->mode, "visit");
		T_OK(ev->n_actor == 1 && !strcmp(ev->actor[0], "BEN"));
		T_OK(ev->n_recipient == 1 && !strcmp(ev->recipient[0], "NGA"));
		T_OK(ev->location && ev->location->name && !strcmp(ev->location->name, "Abuja"));
		T_EQ_STR(ev->date, "2024-05-02");
	}
	cx_result_destroy(&r);
	/* the host as subject */
	r = run("en", "2024-05-10", "Botswana's president received the foreign minister of Namibia in Gaborone.");
	ev = find_event(r, "CONSULT", "BWA NAM");
	T_OK(ev && ev->n_actor == 1 && !strcmp(ev->actor[0], "NAM"));
	cx_result_destroy(&r);
}

static void test_one_event_per_key(void)
{
	cx_result *r = run("en", "2024-05-10",
	                   "Ghana and Togo held talks in Accra on May 2. The talks between Ghana and Togo focused on "
	                   "trade. Ghanaian and Togolese officials also met again.");
	int n = 0;
	for (size_t i = 0; i < r->n_events; i++)
		n += !strcmp(r->events[i]->type, "CONSULT");
	T_EQ_INT(n, 1);
	const Courant__Event *ev = find_event(r, "CONSULT", "GHA TGO");
	T_OK(ev && ev->date && !strcmp(ev->date, "2024-05-02"));
	cx_result_destroy(&r);
}

static void test_robustness(void)
{
	const char *odd[] = {"", "...", "\xff\xfe\x00", "À", "M.", "Le 31 février 2024, le 99 mars.",
	                     "((((((((((", "Togo-", "-Togo", "Ghana,,,,Togo", "12345678901234567890 2024-13-45"};
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		cx_input in = {.id = "o", .published = "junk", .lang = NULL, .text = odd[i], .len = strlen(odd[i])};
		cx_result *r = NULL;
		T_EQ_INT(cx_extract(eng, &in, &r), CR_OK);
		cx_result_destroy(&r);
		cx_result_destroy(&r);
	}
	cx_result *r = NULL;
	cx_input bad = {.id = "b", .text = NULL, .len = 5};
	T_EQ_INT(cx_extract(eng, &bad, &r), CR_EINVAL);
	T_OK(r == NULL);
}

int main(void)
{
	if (cx_engine_new(&eng) != CR_OK) {
		printf("FAIL test_extract.c:engine\n");
		return 1;
	}
	T_RUN(test_gazetteer_countries);
	T_RUN(test_gazetteer_places_orgs);
	T_RUN(test_persons_titles);
	T_RUN(test_persons_english_and_typos);
	T_RUN(test_persons_apposition);
	T_RUN(test_dates);
	T_RUN(test_event_types);
	T_RUN(test_non_events);
	T_RUN(test_visit_direction_location);
	T_RUN(test_one_event_per_key);
	T_RUN(test_robustness);
	cx_engine_destroy(&eng);
	cx_engine_destroy(&eng);
	return t_done();
}
