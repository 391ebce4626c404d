/* Scope and lexical rules measured on independent annotated sets, each
 * pinned by sentences of our own (other states, other wording): idioms with
 * a trigger word, negation and cancellation scope, trade halts, readiness,
 * commentators, datelines as meeting places, hits that belong to the one
 * before them, participle agents, scheduled meetings, vows of reprisal,
 * protest content, announced dates of the trigger's own clause, triggers
 * with a modifier, conditional harm as a threat. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t_extract.h"

/* idioms with a trigger word and no event; answers refused, questions asked */
static void test_idioms_without_event(void)
{
	cx_result *r = run("fr", "Les travaux du port de Cotonou accusent un retard de six mois, selon le Bénin.");
	T_OK(!count_type(r, "ACCUSE"));
	cx_result_destroy(&r);
	r = run("fr", "Le ministre béninois s'est refusé à tout commentaire sur la crise avec le Niger.");
	T_OK(!count_type(r, "REJECT"));
	cx_result_destroy(&r);
	r = run("en", "Asked whether Brazil would join the pact, the Chilean minister said no decision had been taken.");
	T_OK(!count_type(r, "REQUEST"));
	cx_result_destroy(&r);
	r = run("en", "Peru's foreign minister declined to comment on the Bolivian proposal.");
	T_OK(!count_type(r, "REJECT"));
	cx_result_destroy(&r);
}

/* "ne ... pas" with words between; the negation covers its clause */
static void test_negation_scope(void)
{
	cx_result *r = run("fr", "Le Sénégal n'a finalement pas annoncé de levée des sanctions contre la Gambie.");
	T_OK(!count_type(r, "RETREAT"));
	cx_result_destroy(&r);
	r = run("en", "Peru's president did not meet his Chilean counterpart at the summit in Quito.");
	T_OK(!count_type(r, "CONSULT"));
	cx_result_destroy(&r);
	r = run("fr", "Le président sénégalais ne s'est pas entretenu avec son homologue gambien lors du sommet d'Abuja.");
	T_OK(!count_type(r, "CONSULT"));
	cx_result_destroy(&r);
	r = run("en", "The talks between Ethiopia and Egypt were postponed.");
	T_OK(!count_type(r, "CONSULT"));
	cx_result_destroy(&r);
	r = run("fr", "La rencontre entre le Niger et le Bénin a été reportée.");
	T_OK(!count_type(r, "CONSULT"));
	cx_result_destroy(&r);
	r = run("en", "Serbia froze talks with Kosovo on Monday.");
	T_OK(!count_type(r, "CONSULT"));
	cx_result_destroy(&r);
}

/* stopping trade is a sanction; readiness of forces is a mobilisation */
static void test_trade_halt_and_readiness(void)
{
	cx_result *r = run("en", "Kazakhstan halted grain exports to Kyrgyzstan on Monday.");
	T_OK(find(r, "SANCTION", "KAZ", "KGZ") != NULL);
	T_OK(!count_type(r, "COOPERATE"));
	cx_result_destroy(&r);
	r = run("en", "Armenia placed its border units on heightened readiness after the incident.");
	T_OK(find(r, "MOBILIZE", "ARM", NULL) != NULL);
	T_OK(!count_type(r, "AGREE"));
	cx_result_destroy(&r);
	r = run("en", "Egyptian and Saudi warships conducted joint naval drills in the Red Sea.");
	T_OK(find(r, "COOPERATE", "EGY", "SAU") != NULL);
	T_OK(!count_type(r, "MOBILIZE"));
	cx_result_destroy(&r);
}

/* what analysts say is an opinion, not an act */
static void test_commentator_subject(void)
{
	cx_result *r = run("en", "Analysts in Bogota warned that Colombia and Venezuela were heading for a new crisis.");
	T_OK(!count_type(r, "THREATEN"));
	cx_result_destroy(&r);
	r = run("fr", "Des analystes à Dakar ont dénoncé la lenteur des négociations entre le Sénégal et la Mauritanie.");
	T_OK(!count_type(r, "ACCUSE"));
	cx_result_destroy(&r);
}

/* the city a dispatch is filed from places a meeting of its state */
static void test_dateline_places_meeting(void)
{
	cx_result *r = run("en", "NAIROBI - Kenyan President Samuel Otieno held talks with Ethiopian Prime Minister "
	                         "Dawit Bekele on Monday.");
	const Courant__Event *e = find(r, "CONSULT", "KEN", "ETH");
	T_OK(e && e->location && !strcmp(e->location->name, "Nairobi"));
	cx_result_destroy(&r);
	r = run("en", "GENEVA - Chile and Peru held talks on Monday on their maritime border.");
	e = find(r, "CONSULT", "CHL", "PER");
	T_OK(e && !e->location);
	cx_result_destroy(&r);
}

/* a hit that belongs to the one before it */
static void test_part_of_previous_act(void)
{
	cx_result *r = run("en", "Ghana announced it would ease the curfew in Bawku from Friday.");
	T_OK(!count_type(r, "THREATEN") && !count_type(r, "COERCE"));
	cx_result_destroy(&r);
	r = run("en", "Russian drone strikes on the port of Izmail in Ukraine killed two people on Sunday.");
	T_EQ_INT(count_type(r, "ASSAULT"), 1);
	cx_result_destroy(&r);
	r = run("en", "Japan granted a $100 million loan to Kenya to support its railway programme.");
	T_OK(find(r, "AID", "JPN", "KEN") != NULL);
	T_OK(!count_type(r, "SUPPORT"));
	cx_result_destroy(&r);
}

/* attributes, documents and what is handed over */
static void test_object_decides_type(void)
{
	cx_result *r = run("en", "Iran freed a detained French tourist on Sunday.");
	T_OK(!count_type(r, "SANCTION"));
	cx_result_destroy(&r);
	r = run("en", "Algeria condemned Mali in a statement released on Sunday.");
	T_OK(!count_type(r, "RETREAT"));
	cx_result_destroy(&r);
	r = run("en", "Nigeria handed over three suspects to Benin under the extradition treaty.");
	T_OK(find(r, "COOPERATE", "NGA", "BEN") != NULL);
	T_OK(!count_type(r, "RETREAT"));
	cx_result_destroy(&r);
	r = run("en", "India handed over two patrol vessels to the Maldives on Tuesday.");
	T_OK(find(r, "AID", "IND", "MDV") != NULL);
	cx_result_destroy(&r);
}

/* after an active verb, "brokered by X" names a third party, not the
 * recipient; "a proposal by X" names the noun's author, who is */
static void test_agent_of_participle_is_third_party(void)
{
	cx_result *r = run("en", "Armenia and Azerbaijan exchanged 30 prisoners on Sunday in a swap brokered by Qatar.");
	T_OK(find(r, "RETREAT", "ARM", "AZE") != NULL);
	T_OK(!find(r, "RETREAT", "ARM", "QAT") && !count_type(r, "SANCTION"));
	cx_result_destroy(&r);
	r = run("en", "Kenya rejected a proposal by Uganda to reopen the border.");
	T_OK(find(r, "REJECT", "KEN", "UGA") != NULL);
	cx_result_destroy(&r);
}

/* "is due in", "doit se rendre": a scheduled meeting is a commitment (AGREE) */
static void test_scheduled_meeting_is_agree(void)
{
	cx_result *r = run("en", "Chile's foreign minister is due in Lima on Monday for talks with Peru's foreign minister.");
	T_OK(find(r, "AGREE", "CHL", "PER") != NULL);
	T_OK(!count_type(r, "CONSULT"));
	cx_result_destroy(&r);
	r = run("fr", "Le ministre béninois doit rencontrer son homologue togolais à Lomé la semaine prochaine.");
	T_OK(find(r, "AGREE", "BEN", "TGO") != NULL);
	cx_result_destroy(&r);
}

/* a vow of reprisal is a threat, not a promise to cooperate */
static void test_vow_of_reprisal_is_threat(void)
{
	cx_result *r = run("en", "Sudanese jets bombed a market in South Sudan on Monday. South Sudan vowed that "
	                         "\"this crime will not go unpunished\".");
	T_OK(!count_type(r, "AGREE"));
	T_OK(count_type(r, "THREATEN") == 1);
	cx_result_destroy(&r);
	r = run("fr", "Le Niger a averti que cette provocation du Bénin ne restera pas impunie.");
	T_OK(!count_type(r, "AGREE") && !count_type(r, "CONCEDE"));
	cx_result_destroy(&r);
}

/* what protesters demand or denounce is their protest, not a state's act */
static void test_protest_content(void)
{
	cx_result *r = run("en", "Police in Lusaka dispersed Zambian protesters demanding the resignation of the minister.");
	T_OK(!count_type(r, "REQUEST"));
	cx_result_destroy(&r);
	r = run("fr", "Des milliers de Sénégalais ont manifesté à Dakar pour dénoncer la hausse des prix.");
	T_OK(find(r, "PROTEST", "SEN", NULL) != NULL);
	T_OK(!count_type(r, "ACCUSE"));
	cx_result_destroy(&r);
}

/* a later date announces only the act of its own clause; a meeting noun in
 * a time adjunct ("after a phone call with") had the main subject in it */
static void test_later_date_of_own_clause(void)
{
	cx_result *r = run("en", "Brazil agreed on Thursday to delay the levy that was due to start on June 1, after a "
	                         "phone call with Argentina's president.");
	T_OK(find(r, "CONSULT", "BRA", "ARG") != NULL);
	cx_result_destroy(&r);
	r = run("fr", "Une réunion des pays du Sahel, présidée par le Niger et le Tchad, doit se tenir à N'Djamena "
	              "le mois prochain.");
	T_OK(!count_type(r, "CONSULT"));
	cx_result_destroy(&r);
}

/* triggers with a modifier: strikes named by their weapon, joint patrols,
 * upgraded relations, deposits; harm made conditional is a threat */
static void test_modified_triggers_and_conditional_threat(void)
{
	cx_result *r = run("en", "Israeli forces launched a rocket strike on the Syrian town of Quneitra overnight.");
	T_OK(find(r, "ASSAULT", "ISR", "SYR") != NULL);
	cx_result_destroy(&r);
	r = run("en", "India and Bangladesh conducted joint coastal patrols in the Bay of Bengal.");
	T_OK(find(r, "COOPERATE", "IND", "BGD") != NULL);
	cx_result_destroy(&r);
	r = run("en", "Vietnam and Indonesia upgraded their relations to a comprehensive strategic partnership.");
	T_OK(find(r, "SUPPORT", "VNM", "IDN") != NULL);
	cx_result_destroy(&r);
	r = run("en", "Qatar deposited $1 billion in Pakistan's central bank.");
	T_OK(find(r, "AID", "QAT", "PAK") != NULL);
	cx_result_destroy(&r);
	r = run("en", "Algeria said it would cut gas supplies to Spain unless Madrid changed its position.");
	T_OK(find(r, "THREATEN", "DZA", "ESP") != NULL);
	T_OK(!count_type(r, "SANCTION"));
	cx_result_destroy(&r);
	r = run("en", "Algeria would cut gas supplies to Spain if prices fell, analysts estimated.");
	T_OK(!count_type(r, "THREATEN") && !count_type(r, "SANCTION"));
	cx_result_destroy(&r);
}

int main(void)
{
	if (cx_engine_new(&eng))
		return 1;
	T_RUN(test_idioms_without_event);
	T_RUN(test_negation_scope);
	T_RUN(test_trade_halt_and_readiness);
	T_RUN(test_commentator_subject);
	T_RUN(test_dateline_places_meeting);
	T_RUN(test_part_of_previous_act);
	T_RUN(test_object_decides_type);
	T_RUN(test_agent_of_participle_is_third_party);
	T_RUN(test_scheduled_meeting_is_agree);
	T_RUN(test_vow_of_reprisal_is_threat);
	T_RUN(test_protest_content);
	T_RUN(test_later_date_of_own_clause);
	T_RUN(test_modified_triggers_and_conditional_threat);
	cx_engine_destroy(&eng);
	return t_done();
}
