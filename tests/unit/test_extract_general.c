/* Rules written to generalise beyond the development articles, each pinned
 * by sentences of our own (other states, other wording): what a promise
 * governs (CONCEDE, THREATEN), passive participles, appositions, the
 * trigger's own preposition, reported conditionals, dates after the
 * publication, datelines, condemnations answering an attack, mobilisation
 * nouns, and person mentions (hyphenated and compound surnames). */
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "extract/doc.h"

static cx_engine *eng;

static cx_result *run_at(const char *lang, const char *pub, const char *text)
{
	cx_input in = {.id = "g", .published = pub, .lang = lang, .text = text, .len = strlen(text)};
	cx_result *r = NULL;
	T_EQ_INT(cx_extract(eng, &in, &r), CR_OK);
	return r;
}

static cx_result *run(const char *lang, const char *text)
{
	return run_at(lang, "2024-05-10", text);
}

/* an event of this type whose states are exactly a and b (b may be NULL) */
static const Courant__Event *find(const cx_result *r, const char *type, const char *a, const char *b)
{
	for (size_t i = 0; r && i < r->n_events; i++) {
		const Courant__Event *e = r->events[i];
		if (strcmp(e->type, type))
			continue;
		int fa = !a, fb = !b, n = 0;
		for (size_t j = 0; j < e->n_actor + e->n_recipient; j++) {
			const char *c = j < e->n_actor ? e->actor[j] : e->recipient[j - e->n_actor];
			fa |= a && !strcmp(c, a);
			fb |= b && !strcmp(c, b);
			n += strlen(c) == 3;
		}
		if (fa && fb && n == (a != NULL) + (b != NULL))
			return e;
	}
	return NULL;
}

static int count_type(const cx_result *r, const char *type)
{
	int n = 0;
	for (size_t i = 0; i < r->n_events; i++)
		n += !strcmp(r->events[i]->type, type);
	return n;
}

static int persons(const cx_result *r)
{
	int n = 0;
	for (size_t i = 0; i < r->n_entities; i++)
		n += r->entities[i]->type == COURANT__ENTITY_TYPE__PERSON;
	return n;
}

static void test_promised_release_is_concede(void)
{
	cx_result *r = run("fr", "Le gouvernement malien a promis la libération des opposants arrêtés.");
	T_OK(find(r, "CONCEDE", "MLI", NULL) != NULL);
	T_OK(!count_type(r, "AGREE"));
	cx_result_destroy(&r);
	r = run("en", "Kenya pledged to withdraw its troops from Somalia by March.");
	T_OK(find(r, "CONCEDE", "KEN", "SOM") != NULL);
	T_OK(!count_type(r, "AGREE") && !count_type(r, "RETREAT"));
	cx_result_destroy(&r);
}

static void test_vow_to_strike_is_threat(void)
{
	cx_result *r = run("en", "Iran vowed to retaliate against Israel.");
	T_OK(find(r, "THREATEN", "IRN", "ISR") != NULL);
	T_OK(!count_type(r, "AGREE"));
	cx_result_destroy(&r);
}

static void test_passive_participle_accused_of(void)
{
	cx_result *r = run("en", "Twelve companies based in Turkey accused of smuggling fuel to Syria were fined.");
	T_OK(!count_type(r, "ACCUSE"));
	cx_result_destroy(&r);
	r = run("fr", "Deux officiers tchadiens, accusés de trafic d'armes vers le Soudan, ont été jugés.");
	T_OK(!count_type(r, "ACCUSE"));
	cx_result_destroy(&r);
	/* the active verb keeps its object */
	r = run("en", "Ghana accused Togo of harbouring rebels.");
	T_OK(find(r, "ACCUSE", "GHA", "TGO") != NULL);
	cx_result_destroy(&r);
	r = run("fr", "Le Niger, qui l'accuse de soutenir les rebelles, a rappelé son ambassadeur au Bénin.");
	T_OK(count_type(r, "ACCUSE") == 1);
	cx_result_destroy(&r);
}

static void test_apposition_names_the_act_again(void)
{
	cx_result *r = run("en", "Egypt sent troops to Somalia, a deployment Ethiopia sees as hostile.");
	T_OK(find(r, "MOBILIZE", "EGY", "SOM") != NULL);
	T_OK(!find(r, "MOBILIZE", "ETH", NULL));
	cx_result_destroy(&r);
	/* French "a" after a comma is the auxiliary, not an article */
	r = run("fr", "Le ministre ghanéen, a rencontré jeudi à Lomé son homologue togolais.");
	T_OK(count_type(r, "CONSULT") >= 1);
	cx_result_destroy(&r);
}

static void test_trigger_preposition_is_not_locative(void)
{
	cx_result *r = run("en", "Brazil called on Chile and Peru to reopen talks.");
	const Courant__Event *e = find(r, "REQUEST", "BRA", "CHL");
	T_OK(!e);
	T_OK(r->n_events >= 1 && !strcmp(r->events[0]->type, "REQUEST") && r->events[0]->n_recipient == 2);
	cx_result_destroy(&r);
}

static void test_reported_conditional_is_future(void)
{
	cx_result *r = run("en", "The minister said that Japan would send a delegation to Vietnam in June.");
	T_OK(find(r, "AGREE", "JPN", "VNM") != NULL);
	cx_result_destroy(&r);
	r = run("en", "Japan would send a delegation to Vietnam if the talks succeed.");
	T_EQ_INT((int)r->n_events, 0);
	cx_result_destroy(&r);
}

static void test_date_after_publication_is_announced(void)
{
	cx_result *r = run("en", "The meeting between Senegal and Gambia is set for June 20.");
	T_OK(find(r, "AGREE", "GMB", "SEN") != NULL);
	T_OK(!count_type(r, "CONSULT"));
	cx_result_destroy(&r);
}

static void test_dateline_is_not_event_date(void)
{
	cx_result *r = run_at("fr", "2024-05-03",
	                      "Nairobi, 3 mai 2024 (AFP) – Le Kenya et l'Ouganda ont signé mardi un accord sur le rail.\n"
	                      "Les deux pays ont salué un projet historique.");
	const Courant__Event *e = find(r, "SUPPORT", "KEN", "UGA");
	T_OK(e && e->date && !strcmp(e->date, "2024-04-30"));
	cx_result_destroy(&r);
	r = run_at("en", "2024-07-12", "ACCRA, July 12 (Reuters) - Ghana and Nigeria signed a gas deal.");
	e = find(r, "SUPPORT", "GHA", "NGA");
	T_OK(e && (!e->date || strcmp(e->date, "2024-07-12")));
	cx_result_destroy(&r);
}

static void test_condemnation_answers_the_attack(void)
{
	cx_result *r = run("en", "Armenian artillery shelled villages in Azerbaijan on Monday. "
	                         "The Azerbaijani foreign ministry condemned the shelling as a war crime.");
	T_OK(find(r, "ACCUSE", "ARM", "AZE") != NULL);
	cx_result_destroy(&r);
}

static void test_mobilisation_noun_has_its_subject(void)
{
	cx_result *r = run("fr", "Le gouvernement nigérien a décrété la mobilisation générale.");
	T_OK(find(r, "MOBILIZE", "NER", NULL) != NULL);
	cx_result_destroy(&r);
}

static void test_surname_forms_merge(void)
{
	cx_result *r = run("fr", "Le président Kwame OSEI-BONSU a reçu le ministre togolais. M. Osei-Bonsu a salué la coopération.");
	T_EQ_INT(persons(r), 1);
	cx_result_destroy(&r);
	r = run("fr", "Le ministre Abdoulaye DIALLO KANE a rencontré son homologue. Le ministre Diallo Kane a salué la coopération.");
	T_EQ_INT(persons(r), 1);
	cx_result_destroy(&r);
	r = run("en", "Residents of Bida-Lapai said gunmen attacked the village.");
	T_EQ_INT(persons(r), 0);
	cx_result_destroy(&r);
}

int main(void)
{
	if (cx_engine_new(&eng))
		return 1;
	T_RUN(test_promised_release_is_concede);
	T_RUN(test_vow_to_strike_is_threat);
	T_RUN(test_passive_participle_accused_of);
	T_RUN(test_apposition_names_the_act_again);
	T_RUN(test_trigger_preposition_is_not_locative);
	T_RUN(test_reported_conditional_is_future);
	T_RUN(test_date_after_publication_is_announced);
	T_RUN(test_dateline_is_not_event_date);
	T_RUN(test_condemnation_answers_the_attack);
	T_RUN(test_mobilisation_noun_has_its_subject);
	T_RUN(test_surname_forms_merge);
	cx_engine_destroy(&eng);
	return t_done();
}
