/* Extraction rules beyond single triggers, on sentences written for these
 * tests: lists of parties, capitals standing for their state, names without
 * titles, perpetrators named by an adjective, the two sides of an article,
 * discourse and sentence boundaries; and the integrity of the compiled-in
 * trigger table (every type is a PLOVER type). */
#include <stdlib.h>
#include <string.h>

#include "t_extract.h"

static int has_person(const cx_result *r, const char *name)
{
	for (size_t i = 0; i < r->n_entities; i++)
		if (r->entities[i]->type == COURANT__ENTITY_TYPE__PERSON && !strcmp(r->entities[i]->name, name))
			return 1;
	return 0;
}

static void test_visit_list_is_several_visits(void)
{
	cx_result *r = run("fr", "La ministre sénégalaise a évoqué ses visites dans plusieurs pays, dont le Ghana, "
	                         "le Bénin et le Nigeria.");
	T_OK(!!find(r, "CONSULT", "SEN", "GHA"));
	T_OK(!!find(r, "CONSULT", "SEN", "BEN"));
	T_OK(!!find(r, "CONSULT", "SEN", "NGA"));
	cx_result_destroy(&r);
}

static void test_capital_as_metonym(void)
{
	cx_result *r = run("fr", "Alger a menacé de suspendre ses livraisons de gaz à l'Espagne.");
	T_OK(!!find(r, "THREATEN", "DZA", "ESP"));
	cx_result_destroy(&r);
	r = run("en", "Washington and Beijing agreed to resume military talks.");
	T_OK(!!find(r, "AGREE", "USA", "CHN"));
	cx_result_destroy(&r);
}

static void test_adjective_perpetrator(void)
{
	cx_result *r = run("en", "Turkish drone strikes hit several villages in northern Iraq.");
	T_OK(!!find(r, "ASSAULT", "TUR", "IRQ"));
	cx_result_destroy(&r);
}

static void test_bare_names(void)
{
	cx_result *r = run("en", "The court summoned Maria Santos after she criticised the ruling.");
	T_OK(has_person(r, "Maria Santos"));
	cx_result_destroy(&r);
	/* organisations and places are not persons */
	r = run("en", "Ships gathered near Second Thomas Shoal while officials visited Port Moresby University.");
	T_EQ_INT(r->n_entities == 0 || !has_person(r, "Second Thomas Shoal"), 1);
	for (size_t i = 0; i < r->n_entities; i++)
		T_OK(r->entities[i]->type != COURANT__ENTITY_TYPE__PERSON);
	cx_result_destroy(&r);
}

static void test_coordinated_ministers(void)
{
	cx_result *r = run("fr", "Les ministres de la Défense nigérien et tchadien, Salifou Mody et Issakha Malloua "
	                         "Djamous, se sont réunis à Niamey.");
	T_OK(has_person(r, "Salifou Mody"));
	T_OK(has_person(r, "Issakha Malloua Djamous"));
	T_OK(!!find(r, "CONSULT", "NER", "TCD"));
	cx_result_destroy(&r);
}

static void test_implicit_counterpart(void)
{
	/* "China rejected the accusations": the accuser of the previous sentence */
	cx_result *r = run("en", "Vietnam accused China of ramming a fishing boat. China rejected the accusations.");
	T_OK(!!find(r, "ACCUSE", "VNM", "CHN"));
	T_OK(!!find(r, "REJECT", "CHN", "VNM"));
	cx_result_destroy(&r);
}

static void test_pledged_deployment(void)
{
	cx_result *r = run("en", "Rwanda will deploy soldiers in Mozambique next month.");
	T_OK(!!find(r, "AGREE", "RWA", "MOZ"));
	T_OK(!!!find(r, "MOBILIZE", "RWA", "MOZ"));
	cx_result_destroy(&r);
	r = run("en", "Russia deployed troops near the Finnish border.");
	T_OK(!!find(r, "MOBILIZE", "RUS", "FIN"));
	cx_result_destroy(&r);
}

static void test_decimal_is_not_a_sentence_end(void)
{
	cx_result *r = run("en", "Canada will give Jamaica $2.5 million in aid.");
	T_OK(!!find(r, "AGREE", "CAN", "JAM"));
	cx_result_destroy(&r);
}

static void test_boilerplate_lines_skipped(void)
{
	cx_result *r = run("fr", "Le Togo et le Ghana ont signé un accord.\nLire aussi : Le Mali condamne le Niger\n");
	T_OK(!!find(r, "SUPPORT", "GHA", "TGO"));
	T_OK(!!!find(r, "ACCUSE", "MLI", "NER"));
	for (size_t i = 0; i < r->n_entities; i++)
		T_OK(!r->entities[i]->code || strcmp(r->entities[i]->code, "MLI"));
	cx_result_destroy(&r);
}

static void test_trigger_table(void)
{
	static const char *const types[] = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
	                                    "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION",
	                                    "MOBILIZE", "COERCE", "ASSAULT", "NONE", NULL};
	int seen[17] = {0}, n = 0;
	for (int i = 0; cx_trig_get(eng->lex, i); i++) {
		const cx_trig *t = cx_trig_get(eng->lex, i);
		if (t->is_ctx)
			continue;
		int ok = 0;
		for (int k = 0; types[k]; k++)
			if (!strcmp(t->type, types[k]))
				ok = 1, seen[k] = 1;
		T_CHECK(ok, "trigger %d has type %s", i, t->type);
		T_OK(t->ntok > 0 && t->tok[0]);
		n++;
	}
	for (int k = 0; k < 16; k++)
		T_CHECK(seen[k], "no trigger for %s", types[k]);
	T_OK(n > 300);
}

int main(void)
{
	if (cx_engine_new(&eng) != CR_OK) {
		printf("FAIL test_extract_rules.c:engine\n");
		return 1;
	}
	T_RUN(test_visit_list_is_several_visits);
	T_RUN(test_capital_as_metonym);
	T_RUN(test_adjective_perpetrator);
	T_RUN(test_bare_names);
	T_RUN(test_coordinated_ministers);
	T_RUN(test_implicit_counterpart);
	T_RUN(test_pledged_deployment);
	T_RUN(test_decimal_is_not_a_sentence_end);
	T_RUN(test_boilerplate_lines_skipped);
	T_RUN(test_trigger_table);
	cx_engine_destroy(&eng);
	return t_done();
}
