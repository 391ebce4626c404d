/* cn_normalize end to end: every input format and encoding, exact clean
 * text, title, byline, language, sentence boundaries and raw offsets; bad
 * input refused with the right error. Fixtures: tests/data/normalize/. */
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "normalize/normalize.h"
#include "normalize/sent.h"
#include "normalize/boiler.h"
#include "normalize/chars.h"
#include "normalize/enc.h"
#include "normalize/lines.h"
#include "normalize/md.h"
#include "normalize/tb.h"

#define DATA "tests/data/normalize/"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0) {
		long n = ftell(f);
		rewind(f);
		p = n >= 0 ? malloc((size_t)n + 1) : NULL;
		if (p && fread(p, 1, (size_t)n, f) == (size_t)n) {
			p[n] = 0;
			*len = (size_t)n;
		} else {
			free(p);
			p = NULL;
		}
	}
	fclose(f);
	return p;
}

static cr_err run(const char *raw, size_t len, const char *ct, const char *title, cn_doc *d)
{
	char why[256];
	cn_input in = {raw, len, ct, title, NULL};
	cr_err e = cn_normalize(&in, d, why, sizeof why);
	if (e)
		printf("  (why: %s)\n", why);
	return e;
}

static cr_err run_file(const char *name, const char *ct, cn_doc *d, char **raw)
{
	char path[256];
	size_t len = 0;
	snprintf(path, sizeof path, DATA "%s", name);
	*raw = slurp(path, &len);
	T_CHECK(*raw != NULL, "cannot read %s", path);
	if (!*raw)
		return CR_EIO;
	return run(*raw, len, ct, NULL, d);
}

/* sentence i as a string (static buffer) */
static const char *sent(const cn_doc *d, size_t i)
{
	static char b[4096];
	if (i >= d->nsents)
		return "(no such sentence)";
	snprintf(b, sizeof b, "%.*s", (int)(d->sents[i].end - d->sents[i].start), d->text + d->sents[i].start);
	return b;
}

static const char *raw_sent(const char *raw, const cn_doc *d, size_t i)
{
	static char b[4096];
	if (i >= d->nsents)
		return "(no such sentence)";
	snprintf(b, sizeof b, "%.*s", (int)(d->sents[i].raw_end - d->sents[i].raw_start), raw + d->sents[i].raw_start);
	return b;
}

static void test_html_page(void)
{
	cn_doc d;
	char *raw;
	T_EQ_INT(run_file("page.html", NULL, &d, &raw), CR_OK);
	T_EQ_STR(d.content_type, "text/html");
	T_EQ_STR(d.encoding, "utf-8");
	T_EQ_STR(d.title, "Le Togo et le Ghana signent un accord");
	T_EQ_STR(d.byline, "Jean Dupont");
	T_EQ_STR(d.lang, "fr");
	T_OK(d.lang_conf > 0.8f);
	T_EQ_STR(d.text,
		 "Lomé, le 3 mars 2024 - Le ministre des Affaires étrangères, M. Robert Dussey, a reçu "
		 "son homologue ghanéen à Lomé. Les deux pays ont signé un accord de coopération.\n\n"
		 "« Nous sommes prêts. Le Ghana est un partenaire essentiel », a déclaré le ministre.\n\n"
		 "L'accord porte sur la sécurité & le commerce.\n\n"
		 "Selon l'ONU, les échanges ont doublé depuis 2020.");
	T_EQ_INT(d.nsents, 5);
	T_EQ_STR(sent(&d, 0), "Lomé, le 3 mars 2024 - Le ministre des Affaires étrangères, M. Robert "
			      "Dussey, a reçu son homologue ghanéen à Lomé.");
	T_EQ_STR(sent(&d, 2), "« Nous sommes prêts. Le Ghana est un partenaire essentiel », a déclaré le ministre.");
	/* raw offsets cover the entities of the source, from the first to the last */
	T_EQ_STR(raw_sent(raw, &d, 1), "Les deux pays ont sign&eacute; un accord de coop&eacute;ration.");
	T_EQ_STR(raw_sent(raw, &d, 4), "Selon l&#8217;ONU, les &eacute;changes ont doubl&eacute; depuis 2020.");
	cn_doc_fini(&d);
	free(raw);
}

static void test_markdown(void)
{
	cn_doc d;
	char *raw;
	T_EQ_INT(run_file("article.md", NULL, &d, &raw), CR_OK);
	T_EQ_STR(d.content_type, "text/markdown");
	T_EQ_STR(d.title, "Diplomatie : le Togo et le Mali au beau fixe");
	T_EQ_STR(d.byline, "Awa Traoré");
	T_EQ_STR(d.lang, "fr");
	T_EQ_STR(d.text, "Le Togo et le Mali entretiennent de bonnes relations d'amitié.\n\n"
			 "Une visite de travail\n\n"
			 "Le ministre a rencontré le Premier ministre.\n\n"
			 "Il a aussi vu le représentant de l'ONU.\n\n"
			 "« Nous travaillons ensemble », a dit le ministre.");
	T_EQ_INT(d.nsents, 5);
	T_EQ_STR(raw_sent(raw, &d, 0), "Le **Togo** et le _Mali_ entretiennent de [bonnes relations]"
				       "(https://example.org/relations) d'amitié.");
	cn_doc_fini(&d);
	free(raw);
}

static void test_markdown_details(void)
{
	/* setext title, escapes, reference links, inline code, intraword '_',
	 * ordered lists, a table, a code fence, a quote, a reference definition */
	cn_doc d;
	char *raw;
	T_EQ_INT(run_file("details.md", NULL, &d, &raw), CR_OK);
	T_EQ_STR(d.content_type, "text/markdown");
	T_EQ_STR(d.title, "Sommet de l'Union africaine");
	T_EQ_STR(d.text, "Les dirigeants se sont réunis à Addis-Abeba* pour un sommet extraordinaire consacré "
			 "au snake_case et à la_paix.\n\nPremier point : la sécurité au Sahel.\n\n"
			 "Deuxième point : le commerce.\n\nPays Voix\n\nTogo 12\n\n"
			 "code ignoré ? non, gardé\n\nCitation du président.");
	T_EQ_INT(d.nsents, 7);
	T_EQ_STR(raw_sent(raw, &d, 2), "Deuxième point : le commerce.");
	cn_doc_fini(&d);
	free(raw);
}

static void test_seed_markdown(void)
{
	/* the corpus seed: "Lire aussi" inside bold, a page break mid-sentence */
	cn_doc d;
	char *raw;
	const char *shared = getenv("SHARED") ? getenv("SHARED") : "../shared";
	char path[512];
	size_t len;
	snprintf(path, sizeof path, "%s/corpus/seeds/seed-004.txt", shared);
	if (!(raw = slurp(path, &len))) {
		printf("SKIP %s: no corpus\n", path);
		return;
	}
	T_EQ_INT(run(raw, len, NULL, NULL, &d), CR_OK);
	T_EQ_STR(d.title, "Diplomatie : L'axe Lomé-Bamako au beau fixe !");
	T_OK(strstr(d.text, "Lire aussi") == NULL);
	T_OK(strstr(d.text, "Yawa") == NULL);
	T_OK(strstr(d.text, "qui pourront permettre de résoudre la crise") != NULL);
	T_OK(strncmp(d.text, "Le Togo et le Mali entretiennent", 32) == 0);
	T_EQ_STR(d.byline, "La Rédaction"); /* the closing signature is metadata */
	T_OK(strstr(d.text, "Rédaction") == NULL);
	cn_doc_fini(&d);
	free(raw);
}

static void test_plain_english(void)
{
	cn_doc d;
	char *raw;
	T_EQ_INT(run_file("en.txt", "text/plain", &d, &raw), CR_OK);
	T_EQ_STR(d.byline, "John Smith");
	T_EQ_STR(d.lang, "en");
	T_EQ_STR(d.text,
		 "Mr. Smith met Dr. Jones and Mrs. Brown at the U.N. headquarters on Monday. The U.S. envoy, "
		 "J. R. Miller, said growth reached 3.5 percent in 2023. \"We are ready. We will act,\" he said. "
		 "Talks will continue, e.g. on trade, etc. The next round is due in May...\n\n"
		 "Officials from the E.U. were also present.");
	T_EQ_INT(d.nsents, 6);
	T_EQ_STR(sent(&d, 0), "Mr. Smith met Dr. Jones and Mrs. Brown at the U.N. headquarters on Monday.");
	T_EQ_STR(sent(&d, 1), "The U.S. envoy, J. R. Miller, said growth reached 3.5 percent in 2023.");
	T_EQ_STR(sent(&d, 2), "\"We are ready. We will act,\" he said.");
	T_EQ_STR(sent(&d, 3), "Talks will continue, e.g. on trade, etc.");
	T_EQ_STR(sent(&d, 4), "The next round is due in May...");
	T_EQ_STR(sent(&d, 5), "Officials from the E.U. were also present.");
	T_EQ_STR(raw_sent(raw, &d, 5), "Officials from the E.U. were also present.");
	cn_doc_fini(&d);
	free(raw);
}

static void test_hard_wrap(void)
{
	cn_doc d;
	char *raw;
	T_EQ_INT(run_file("wrapped.txt", NULL, &d, &raw), CR_OK);
	T_EQ_STR(d.content_type, "text/plain");
	T_EQ_STR(d.text,
		 "Le président de la Commission de l'Union africaine, Moussa Faki Mahamat, a annoncé mardi "
		 "l'envoi d'une mission d'observation électorale au Sénégal. Cette décision intervient après "
		 "plusieurs semaines de tensions politiques dans le pays. Selon le porte-parole de la "
		 "Commission, la mission sera conduite par l'ancien président du Botswana, et comprendra une "
		 "quarantaine d'observateurs venus de tout le continent.\n\n"
		 "Le gouvernement sénégalais a salué cette initiative. Le Premier ministre a rappelé que le "
		 "scrutin se tiendrait « dans la transparence et la sérénité ». Les relations entre Dakar et "
		 "Addis-Abeba restent au beau fixe, a-t-il ajouté, en marge d'une rencontre avec des "
		 "diplomates ouest-africains.");
	T_EQ_INT(d.nsents, 6);
	/* a sentence split across lines maps back to the whole wrapped stretch */
	T_EQ_STR(raw_sent(raw, &d, 1), "Cette décision intervient après plusieurs semaines de ten-\n"
				       "sions politiques dans le pays.");
	cn_doc_fini(&d);
	free(raw);
}

static void test_wrap_compounds(void)
{
	/* real hyphens at a line end stay: clitics, capitals, known prefixes,
	 * and a compound written whole elsewhere in the text */
	const char *in = "Le ministre des Affaires étrangères du Togo a-t-il rencontré son homologue\n"
			 "ghanéen ? Les ministres ont discuté de la coopération sud-\n"
			 "africaine, de la route Lomé-\n"
			 "Cotonou et du conflit franco-\n"
			 "ivoirien, ainsi que des relations avec l'ex-\n"
			 "président du Mali et de la situation socio-économique de la sous-\n"
			 "région, puis de la situation socio-\n"
			 "économique du Sahel pendant une longue réunion.\n";
	cn_doc d;
	T_EQ_INT(run(in, strlen(in), NULL, NULL, &d), CR_OK);
	T_EQ_STR(d.text, "Le ministre des Affaires étrangères du Togo a-t-il rencontré son homologue ghanéen ? "
			 "Les ministres ont discuté de la coopération sud-africaine, de la route Lomé-Cotonou "
			 "et du conflit franco-ivoirien, ainsi que des relations avec l'ex-président du Mali et "
			 "de la situation socio-économique de la sous-région, puis de la situation "
			 "socio-économique du Sahel pendant une longue réunion.");
	cn_doc_fini(&d);
}

static void test_windows_1252(void)
{
	cn_doc d;
	char *raw;
	T_EQ_INT(run_file("cp1252.txt", NULL, &d, &raw), CR_OK);
	T_EQ_STR(d.encoding, "windows-1252");
	T_EQ_INT(d.repaired, 0);
	T_EQ_STR(d.text, "Le ministre a reçu l'ambassadeur de France à Lomé.\n\n"
			 "Il a déclaré : « Nous œuvrons ensemble ».\n\n"
			 "Le budget atteint 3 millions d€.");
	T_EQ_INT(d.nsents, 3);
	T_EQ_INT(d.sents[1].raw_start, 52);
	T_EQ_INT(d.sents[1].raw_end, 93);
	T_EQ_STR(raw_sent(raw, &d, 2), "Le budget atteint 3 millions d\x80.");
	cn_doc_fini(&d);
	free(raw);
}

static void test_latin9_vs_1252(void)
{
	cn_doc d;
	char *raw;
	T_EQ_INT(run_file("latin9.txt", NULL, &d, &raw), CR_OK);
	T_EQ_STR(d.encoding, "iso-8859-15");
	T_EQ_STR(d.text, "Le projet coûte 5 millions d€ et concerne le cœur de la ville de Lomé.");
	cn_doc_fini(&d);
	free(raw);
	/* no 0x80-0x9F, no ¤/œ evidence: Latin-1 */
	const char *l1 = "Le d\xe9put\xe9 a vot\xe9 contre la r\xe9\x66orme du code \xe9lectoral.";
	T_EQ_INT(run(l1, strlen(l1), NULL, NULL, &d), CR_OK);
	T_EQ_STR(d.encoding, "iso-8859-1");
	T_EQ_STR(d.text, "Le député a voté contre la réforme du code électoral.");
	cn_doc_fini(&d);
	/* a declared charset is honoured for bytes that are not UTF-8 */
	T_EQ_INT(run(l1, strlen(l1), "text/plain; charset=ISO-8859-15", NULL, &d), CR_OK);
	T_EQ_STR(d.encoding, "iso-8859-15");
	cn_doc_fini(&d);
}

static void test_spaces_quotes_nfc_crlf(void)
{
	cn_doc d;
	char *raw;
	T_EQ_INT(run_file("spaces.txt", NULL, &d, &raw), CR_OK);
	/* NBSP, narrow NBSP, curly quotes, zero-width space, em dash, ellipsis,
	 * CRLF, and "e" + combining acute composed to "é" */
	T_EQ_STR(d.text, "Le ministre a déclaré : \"Nous sommes prêts\". Il est arrivé - enfin...\n\n"
			 "Café et thé.");
	T_EQ_INT(d.nsents, 3);
	T_EQ_STR(sent(&d, 2), "Café et thé.");
	T_EQ_STR(raw_sent(raw, &d, 2), "Cafe\xcc\x81 et th\xc3\xa9.");
	cn_doc_fini(&d);
	free(raw);
}

static void test_french_sentences(void)
{
	const char *in = "M. Dupont et Mme Martin ont reçu S.E.M. Robert Dussey. Le Col. Diallo et le "
			 "Dr Traoré étaient là, avec Prof. Mensah et MM. Koffi et Yao. Le texte n° 12 fixe le "
			 "taux à 3,5 % depuis le 1er janvier. « Nous avons signé. Nous appliquerons l'accord », "
			 "a dit le ministre. Il a ajouté : « C'est historique. » Puis il est parti... Sans un mot. "
			 "L'ONU (Organisation des Nations unies) a salué l'accord ! Et après ? Rien.";
	cn_doc d;
	T_EQ_INT(run(in, strlen(in), NULL, NULL, &d), CR_OK);
	T_EQ_STR(d.lang, "fr");
	T_EQ_INT(d.nsents, 10);
	T_EQ_STR(sent(&d, 0), "M. Dupont et Mme Martin ont reçu S.E.M. Robert Dussey.");
	T_EQ_STR(sent(&d, 1), "Le Col. Diallo et le Dr Traoré étaient là, avec Prof. Mensah et MM. Koffi et Yao.");
	T_EQ_STR(sent(&d, 2), "Le texte n° 12 fixe le taux à 3,5 % depuis le 1er janvier.");
	T_EQ_STR(sent(&d, 3), "« Nous avons signé. Nous appliquerons l'accord », a dit le ministre.");
	T_EQ_STR(sent(&d, 4), "Il a ajouté : « C'est historique. »");
	T_EQ_STR(sent(&d, 5), "Puis il est parti...");
	T_EQ_STR(sent(&d, 6), "Sans un mot.");
	T_EQ_STR(sent(&d, 7), "L'ONU (Organisation des Nations unies) a salué l'accord !");
	T_EQ_STR(sent(&d, 8), "Et après ?");
	T_EQ_STR(sent(&d, 9), "Rien.");
	cn_doc_fini(&d);
}

static void test_english_quotes(void)
{
	const char *in = "\xe2\x80\x9cWe will not back down. Never,\xe2\x80\x9d Gen. Smith told reporters. "
			 "Lt. Col. Jones of the U.N. mission agreed. He cited St. Louis and Sgt. Brown.";
	cn_doc d;
	T_EQ_INT(run(in, strlen(in), NULL, NULL, &d), CR_OK);
	T_EQ_INT(d.nsents, 3);
	T_EQ_STR(sent(&d, 0), "\"We will not back down. Never,\" Gen. Smith told reporters.");
	T_EQ_STR(sent(&d, 1), "Lt. Col. Jones of the U.N. mission agreed.");
	T_EQ_STR(sent(&d, 2), "He cited St. Louis and Sgt. Brown.");
	T_EQ_INT(d.sents[0].raw_start, 0);
	T_EQ_INT(d.sents[0].raw_end, 62); /* the curly quotes are 3 bytes each in the raw text */
	cn_doc_fini(&d);
}

static void test_unbalanced_quote(void)
{
	/* a quote mark that never closes does not swallow the paragraph */
	const char *in = "Il a dit « non. Le reste du texte suit. Une autre phrase arrive.";
	cn_doc d;
	T_EQ_INT(run(in, strlen(in), NULL, NULL, &d), CR_OK);
	T_EQ_INT(d.nsents, 3);
	cn_doc_fini(&d);
}

static void test_boilerplate_lines(void)
{
	const char *in = "Accueil\n"
			 "Par Marie-Claire Dubois le 4 mars 2024\n"
			 "Photo : AFP\n"
			 "Le Premier ministre a présenté sa démission au chef de l'État lundi soir, après une "
			 "semaine de crise politique au sein de la majorité présidentielle.\n"
			 "À lire aussi : La crise politique expliquée en cinq points\n"
			 "Partager sur Facebook\n"
			 "Publicité\n"
			 "Par ailleurs, le président doit nommer un successeur dans les prochains jours.\n"
			 "Partager les responsabilités reste la priorité du futur gouvernement, selon son entourage.\n"
			 "Ce site utilise des cookies pour améliorer votre expérience de navigation.\n"
			 "Abonnez-vous à notre newsletter\n"
			 "LAISSER UN COMMENTAIRE\n"
			 "Votre adresse e-mail ne sera pas publiée.\n"
			 "Jean : bravo pour cet article très complet.\n";
	cn_doc d;
	T_EQ_INT(run(in, strlen(in), NULL, NULL, &d), CR_OK);
	T_EQ_STR(d.byline, "Marie-Claire Dubois; Photo : AFP");
	T_EQ_STR(d.text, "Le Premier ministre a présenté sa démission au chef de l'État lundi soir, après une "
			 "semaine de crise politique au sein de la majorité présidentielle.\n\n"
			 "Par ailleurs, le président doit nommer un successeur dans les prochains jours.\n\n"
			 "Partager les responsabilités reste la priorité du futur gouvernement, selon son entourage.");
	cn_doc_fini(&d);
}

static void test_english_boilerplate(void)
{
	const char *in = "<p>By John Smith</p><p>The president will travel to Nairobi next week for talks on "
			 "the regional trade agreement, officials said on Tuesday.</p>"
			 "<p>Share on Twitter</p><p>Read more: Kenya and Uganda sign deal</p>"
			 "<p>Advertisement</p><p>Shares of the state airline rose after the announcement.</p>"
			 "<div class=\"newsletter-box\"><p>Get our daily briefing</p></div>"
			 "<nav><script>document.write('<nav>');</script><a>Home</a></nav>"
			 "<div class=\"post-author\"><a href=\"/a/jd\">Jane Doe</a></div>"
			 "<p>The minister is expected to meet his counterpart in Nairobi.</p>"
			 "<h3>Leave a Reply</h3><p>Great article!</p>";
	cn_doc d;
	T_EQ_INT(run(in, strlen(in), NULL, NULL, &d), CR_OK);
	T_EQ_STR(d.content_type, "text/html");
	T_EQ_STR(d.byline, "Jane Doe; John Smith"); /* the marked-up author first */
	T_EQ_STR(d.lang, "en");
	T_EQ_STR(d.text, "The president will travel to Nairobi next week for talks on the regional trade "
			 "agreement, officials said on Tuesday.\n\n"
			 "Shares of the state airline rose after the announcement.\n\n"
			 "The minister is expected to meet his counterpart in Nairobi.");
	cn_doc_fini(&d);
}

static void test_html_details(void)
{
	/* <title> with site suffix, numeric and C1 references, <pre>, tables,
	 * comments, attributes with '>' inside quotes, an unclosed tag at the end */
	const char *in = "<html><head><title>Sommet de l&#39;UA &#x2013; Addis-Abeba | Le Quotidien</title></head>"
			 "<body><!-- <p>hidden</p> --><p data-x=\"a > b\">Les chefs d&#146;&Eacute;tat "
			 "se r&eacute;unissent &agrave; Addis-Abeba.</p>"
			 "<table><tr><td>Pays</td><td>Voix</td></tr><tr><td>Togo</td><td>12</td></tr></table>"
			 "<p class=share-links>Partager<p>Fin du sommet &amp c&eacute;r&eacute;monie</p><p>Texte <b";
	cn_doc d;
	T_EQ_INT(run(in, strlen(in), NULL, NULL, &d), CR_OK);
	T_EQ_STR(d.title, "Sommet de l'UA - Addis-Abeba");
	T_EQ_STR(d.text, "Les chefs d'État se réunissent à Addis-Abeba.\n\n"
			 "Pays Voix\n\nTogo 12\n\nFin du sommet & cérémonie\n\nTexte");
	cn_doc_fini(&d);
}

static void test_html_lists_not_rejoined(void)
{
	/* list items and headings are never glued as a page break would be,
	 * while a paragraph cut by an ad block is */
	const char *in = "<p>Les pays suivants ont vot\xc3\xa9 contre la r\xc3\xa9solution</p><ul><li>le Togo</li>"
			 "<li>le B\xc3\xa9nin</li></ul><h2>les suites</h2><p>Le texte sera examin\xc3\xa9 par</p>"
			 "<div class=\"advert\">Pub</div><p>la commission la semaine prochaine.</p>";
	cn_doc d;
	T_EQ_INT(run(in, strlen(in), NULL, NULL, &d), CR_OK);
	T_EQ_STR(d.text, "Les pays suivants ont voté contre la résolution\n\nle Togo\n\nle Bénin\n\n"
			 "les suites\n\nLe texte sera examiné par la commission la semaine prochaine.");
	cn_doc_fini(&d);
}

static void test_given_title_wins(void)
{
	const char *in = "<h1>Titre de la page</h1><p>Le texte de l'article commence ici et continue "
			 "assez longtemps pour que la langue soit claire.</p>";
	cn_doc d;
	T_EQ_INT(run(in, strlen(in), "text/html", "Titre\xc2\xa0" "donn\xc3\xa9  par l&#39;outil", &d), CR_OK);
	T_EQ_STR(d.title, "Titre donné par l'outil");
	/* the <h1> is not the title here, so it stays in the text */
	T_EQ_STR(d.text, "Titre de la page\n\nLe texte de l'article commence ici et continue assez "
			 "longtemps pour que la langue soit claire.");
	cn_doc_fini(&d);
}

static void test_mislabelled_html(void)
{
	/* declared HTML without a single tag: read as plain text, lines kept */
	const char *in = "Premier paragraphe du texte.\nDeuxième paragraphe, tout aussi court.\n";
	cn_doc d;
	T_EQ_INT(run(in, strlen(in), "text/html; charset=utf-8", NULL, &d), CR_OK);
	T_EQ_STR(d.content_type, "text/plain");
	T_EQ_STR(d.text, "Premier paragraphe du texte.\n\nDeuxième paragraphe, tout aussi court.");
	cn_doc_fini(&d);
}

static void test_utf8_repair(void)
{
	/* UTF-8 with a stray Latin-1 byte and a truncated sequence: repaired, counted */
	const char *in = "Le d\xc3\xa9put\xc3\xa9 a vot\xe9 la loi \xe2\x82 hier \xc3\xa0 l'Assembl\xc3\xa9\x65 nationale.";
	cn_doc d;
	T_EQ_INT(run(in, strlen(in), NULL, NULL, &d), CR_OK);
	T_EQ_STR(d.encoding, "utf-8");
	T_EQ_INT(d.repaired, 2);
	T_EQ_STR(d.text, "Le député a vot\xef\xbf\xbd la loi \xef\xbf\xbd hier à l'Assemblée nationale.");
	cn_doc_fini(&d);
}

static void test_c1_mojibake(void)
{
	/* Windows-1252 bytes decoded as Latin-1 then encoded as UTF-8 (U+0092,
	 * U+0080, U+009C): read as the characters they were */
	const char *in = "Le co\xc3\xbbt de l\xc2\x92op\xc3\xa9ration atteint 5 \xc2\x80, \xc2\x9cuvre commune.";
	cn_doc d;
	T_EQ_INT(run(in, strlen(in), NULL, NULL, &d), CR_OK);
	T_EQ_STR(d.text, "Le coût de l'opération atteint 5 €, œuvre commune.");
	cn_doc_fini(&d);
}

static void test_utf16(void)
{
	const char in[] = "\xff\xfeL\0e\0 \0T\0o\0g\0o\0 \0e\0t\0 \0l\0e\0 \0G\0h\0a\0n\0a\0.\0";
	cn_doc d;
	T_EQ_INT(run(in, sizeof in - 1, NULL, NULL, &d), CR_OK);
	T_EQ_STR(d.encoding, "utf-16le");
	T_EQ_STR(d.text, "Le Togo et le Ghana.");
	T_EQ_INT(d.sents[0].raw_start, 2);
	T_EQ_INT(d.sents[0].raw_end, sizeof in - 1);
	cn_doc_fini(&d);
}

static void test_bad_input(void)
{
	cn_doc d;
	char why[256];
	cn_input in = {"", 0, NULL, NULL, NULL};
	T_EQ_INT(cn_normalize(&in, &d, why, sizeof why), CR_EEMPTY);
	T_EQ_STR(why, "empty body");
	in.raw = " \r\n\t \xc2\xa0 \n";
	in.len = strlen(in.raw);
	T_EQ_INT(cn_normalize(&in, &d, why, sizeof why), CR_EEMPTY);
	in.raw = "<html><head><script>x()</script></head><body><nav>Menu</nav><div><img src=a.png></div></body></html>";
	in.len = strlen(in.raw);
	T_EQ_INT(cn_normalize(&in, &d, why, sizeof why), CR_EEMPTY);
	T_EQ_STR(why, "no text left after removing markup");
	in.raw = "Lire aussi : le reste\nPartager sur Facebook\n";
	in.len = strlen(in.raw);
	T_EQ_INT(cn_normalize(&in, &d, why, sizeof why), CR_EEMPTY);
	T_EQ_STR(why, "no text left after removing boilerplate");
	in.raw = "texte\0binaire";
	in.len = 13;
	T_EQ_INT(cn_normalize(&in, &d, why, sizeof why), CR_EENCODING);
	T_EQ_STR(why, "binary input: 1 NUL bytes in 13");
	/* control bytes without NULs (e.g. a compressed body) */
	char junk[600];
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (char)(1 + (i * 37) % 250);
	in.raw = junk;
	in.len = sizeof junk;
	T_EQ_INT(cn_normalize(&in, &d, why, sizeof why), CR_EENCODING);
	T_OK(strncmp(why, "binary input:", 13) == 0);
	/* 50 MB: refused on its size alone, without reading the bytes */
	in.raw = junk;
	in.len = 50u << 20;
	T_EQ_INT(cn_normalize(&in, &d, why, sizeof why), CR_ETOOBIG);
	T_EQ_STR(why, "input of 52428800 bytes is over the 8388608 byte limit");
	T_OK(d.text == NULL && d.sents == NULL);
}

static void test_short_text_language(void)
{
	cn_doc d;
	const char *in = "OK 42";
	T_EQ_INT(run(in, strlen(in), NULL, NULL, &d), CR_OK);
	T_EQ_STR(d.lang, "und");
	cn_doc_fini(&d);
	cn_input hinted = {in, strlen(in), NULL, NULL, "fr"};
	char why[64];
	T_EQ_INT(cn_normalize(&hinted, &d, why, sizeof why), CR_OK);
	T_EQ_STR(d.lang, "fr"); /* undecidable text: the submitter's hint, low confidence */
	T_OK(d.lang_conf < 0.2f);
	cn_doc_fini(&d);
}

static void test_long_sentence_cut(void)
{
	size_t n = 3 * CN_MAX_INPUT / 1000;
	char *in = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		in[i] = i % 6 == 5 ? ' ' : 'a' + (char)(i % 5);
	cn_doc d;
	T_EQ_INT(run(in, n, NULL, NULL, &d), CR_OK);
	T_OK(d.nsents >= 12);
	for (size_t i = 0; i < d.nsents; i++)
		T_OK(d.sents[i].end - d.sents[i].start <= CN_SENT_MAX);
	cn_doc_fini(&d);
	free(in);
}

/* Sniffing looks at every '<' (HTML needs two distinct tags) and at line
 * starts, ']' and '*' (Markdown needs a score of 3), wherever they are. */
static void test_sniffing(void)
{
	char buf[3000];
	cn_doc d;
	size_t n = 0;
	while (n < 1500)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "If a < b and b > c then a < c. ");
	size_t plain_len = n;
	n += (size_t)snprintf(buf + n, sizeof buf - n, "<p>Tail text.</p>");
	T_EQ_INT(run(buf, plain_len, NULL, NULL, &d), CR_OK);
	T_EQ_STR(d.content_type, "text/plain");
	cn_doc_fini(&d);
	T_EQ_INT(run(buf, n, NULL, NULL, &d), CR_OK);
	T_EQ_STR(d.content_type, "text/html");
	cn_doc_fini(&d);
	n = plain_len;
	n += (size_t)snprintf(buf + n, sizeof buf - n, "\n# Heading\n\nSome **bold** words here.");
	T_EQ_INT(run(buf, n, NULL, NULL, &d), CR_OK);
	T_EQ_STR(d.content_type, "text/markdown");
	cn_doc_fini(&d);
}

/* Quotations that close far from any full stop, and stops right after
 * long stretches of plain words. */
static void test_sentences_long_stretches(void)
{
	char buf[2400];
	size_t n = 0;
	n += (size_t)snprintf(buf + n, sizeof buf - n, "He said \"");
	for (int i = 0; i < 40; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "words and more words ");
	n += (size_t)snprintf(buf + n, sizeof buf - n, "end\" and left. Then \u00ab oui. Non \u00bb fin. Last one.");
	cn_doc d;
	T_EQ_INT(run(buf, n, NULL, NULL, &d), CR_OK);
	T_EQ_INT(d.nsents, 3);
	T_OK(strncmp(sent(&d, 0), "He said \"words", 14) == 0);
	T_EQ_STR(sent(&d, 1), "Then \u00ab oui. Non \u00bb fin.");
	T_EQ_STR(sent(&d, 2), "Last one.");
	cn_doc_fini(&d);
}


/* The boilerplate table read through its index (rows by first character,
 * CONTAINS rows apart) and the folding 8 ASCII bytes at a time: the
 * folded line keeps 157 characters, rows are tried in table order, the
 * metadata offsets come from the unfolded line. */
static void test_boiler_classify_paths(void)
{
	const char *m;
	size_t ml;
	char line[512];
	/* "cookies" ending exactly at folded character 157 is seen; one
	 * character later it is cut off (for ASCII and accented prefixes) */
	for (int accented = 0; accented < 2; accented++)
		for (int shift = 0; shift < 2; shift++) {
			size_t n = 0, chars = 150 + (size_t)shift;
			for (size_t k = 0; k + 1 < chars; k++) {
				if (accented && k % 3 == 0) {
					memcpy(line + n, "\xC3\xA9", 2); /* é: 2 bytes, 1 folded character */
					n += 2;
				} else {
					line[n++] = (char)('a' + k % 26);
				}
			}
			line[n++] = ' ';
			n += (size_t)snprintf(line + n, sizeof line - n, "COOKIES and more");
			cn_bp want = shift ? CN_BP_TEXT : CN_BP_DROP;
			T_CHECK(cn_boiler_classify(line, n, &m, &ml) == want, "cookies at %zu (accented %d)", chars,
				accented);
		}
	/* case folding at the edges of 'A'..'Z' */
	T_EQ_INT(cn_boiler_classify("HOME", 4, &m, &ml), CN_BP_DROP);
	T_EQ_INT(cn_boiler_classify("Partager SUR Facebook", 21, &m, &ml), CN_BP_DROP);
	T_EQ_INT(cn_boiler_classify("@home", 5, &m, &ml), CN_BP_TEXT);
	T_EQ_INT(cn_boiler_classify("[Home]", 6, &m, &ml), CN_BP_TEXT);
	T_EQ_INT(cn_boiler_classify("Hom[", 4, &m, &ml), CN_BP_TEXT);
	T_EQ_INT(cn_boiler_classify("RECEVEZ NOTRE NEWSLETTER", 24, &m, &ml), CN_BP_DROP);
	T_EQ_INT(cn_boiler_classify("Ici, RECEVEZ NOTRE NEWSLETTER", 29, &m, &ml), CN_BP_DROP);
	/* bylines: the name found after the pattern, accents and bullets before */
	const char *b1 = "\xC2\xBB R\xC3\xA9" "dig\xC3\xA9 par Jean Dupont";
	T_EQ_INT(cn_boiler_classify(b1, strlen(b1), &m, &ml), CN_BP_BYLINE);
	T_CHECK(ml == 11 && memcmp(m, "Jean Dupont", 11) == 0, "byline [%.*s]", (int)ml, m);
	const char *b2 = "\xE2\x80\xA2 PAR  Marie Diallo, publi\xC3\xA9 le 3 mars";
	T_EQ_INT(cn_boiler_classify(b2, strlen(b2), &m, &ml), CN_BP_BYLINE);
	T_CHECK(ml == 12 && memcmp(m, "Marie Diallo", 12) == 0, "byline [%.*s]", (int)ml, m);
	/* a row earlier in the table wins over a later one: the CONTAINS row
	 * "tous droits reserves" comes before the byline row "par " */
	const char *b3 = "Par Jean Dupont | Tous droits r\xC3\xA9serv\xC3\xA9s";
	T_EQ_INT(cn_boiler_classify(b3, strlen(b3), &m, &ml), CN_BP_DROP);
	/* ... and "partager" (EXACT) before "partager :" (PREFIX): both drop */
	T_EQ_INT(cn_boiler_classify("Partager :", 10, &m, &ml), CN_BP_DROP);
	/* a byline row that finds no name lets later rows decide */
	T_EQ_INT(cn_boiler_classify("Par ici la sortie", 17, &m, &ml), CN_BP_TEXT);
	/* credits keep the line from its first folded character */
	const char *c1 = "\xC2\xBB Photo : AFP";
	T_EQ_INT(cn_boiler_classify(c1, strlen(c1), &m, &ml), CN_BP_CREDIT);
	T_CHECK(m == c1 + 3 && ml == strlen(c1) - 3, "credit [%.*s]", (int)ml, m);
	T_EQ_INT(cn_boiler_classify("\xC2\xA9 2024 Le Journal", 18, &m, &ml), CN_BP_DROP);
}

/* Sentence ends and quotation marks found 8 bytes at a time, at every
 * alignment: ". ! ?", '"', "«" (lead byte C2) and the stops of other
 * scripts (lead bytes from D8), after accented letters (C3) that need no
 * look. */
static void test_sentence_scan_alignment(void)
{
	char text[256];
	for (size_t k = 0; k < 17; k++) {
		size_t n = 0;
		for (size_t i = 0; i < k; i++)
			text[n++] = i % 2 ? 'a' : 'B';
		const char *rest = " \xC3\xA9t\xC3\xA9 fini. Il a dit \xC2\xAB oui. \xC2\xBB Vraiment! "
				   "\xD9\x87\xD9\x84 \xD9\x87\xD8\xB0\xD8\xA7\xD8\x9F \xD9\x86\xD8\xB9\xD9\x85. Et \"fin\"?";
		memcpy(text + n, rest, strlen(rest));
		n += strlen(rest);
		cn_sentence *v;
		size_t ns;
		T_EQ_INT(cn_sent_split(text, n, &v, &ns), CR_OK);
		T_CHECK(ns == 6, "prefix %zu: %zu sentences", k, ns);
		if (ns == 6) {
			T_CHECK(memcmp(text + v[1].start, "Il a dit", 8) == 0, "prefix %zu: second sentence", k);
			T_CHECK(memcmp(text + v[3].start, "\xD9\x87\xD9\x84", 4) == 0, "prefix %zu: Arabic", k);
			T_CHECK(v[3].end - v[3].start == 13, "prefix %zu: Arabic question of %u bytes", k,
				v[3].end - v[3].start);
		}
		free(v);
	}
}

static void tb_from(cn_tb *t, const char *s, size_t n)
{
	cn_tb_init(t, 0);
	for (size_t i = 0; i < n; i++)
		cn_tb_putc(t, s[i], (uint32_t)(100 + i));
}

/* Runs of spaces inside a line become one, wherever they fall. */
static void test_line_spaces(void)
{
	for (size_t k = 1; k < 20; k++) {
		char in[64], want[64];
		size_t n = 0;
		for (size_t i = 0; i < k; i++)
			in[n++] = 'x';
		memcpy(in + n, "  y   z w  ", 11);
		n += 11;
		memcpy(want, in, k);
		memcpy(want + k, " y z w", 7);
		cn_tb t, o;
		char *byline = NULL;
		tb_from(&t, in, n);
		cn_tb_init(&o, 0);
		T_EQ_INT(cn_lines_build(&t, &o, &byline), CR_OK);
		T_CHECK(o.len == k + 6 && strcmp(o.s, want) == 0, "%zu: [%s]", k, o.s);
		T_CHECK(o.len > k + 2 && o.map[k + 1] == 100 + k + 2, "%zu: y maps to %u", k, o.map[k + 1]);
		free(byline);
		cn_tb_fini(&t);
		cn_tb_fini(&o);
	}
}

/* Two-byte characters U+00C0..U+02FF are copied with the ASCII around
 * them, and stay starters: a combining mark after one composes with it. */
static void test_chars_plain_runs(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"\xC3\xA2\xCC\x81", "\xE1\xBA\xA5"},                     /* â + acute = ấ */
		{"x\xC3\xA9t\xC3\xA2\xCC\x81s", "x\xC3\xA9t\xE1\xBA\xA5s"}, /* after a run */
		{"\xC3\xA9\xC3\xA2\xCC\x81\xC3\xA9", "\xC3\xA9\xE1\xBA\xA5\xC3\xA9"},
		{"e\xCC\x81t\xC3\xA9", "\xC3\xA9t\xC3\xA9"},
		{"\xCA\xBC\xC5\x93\xC8\x99\xCB\xBF", "\xCA\xBC\xC5\x93\xC8\x99\xCB\xBF"}, /* kept as they are */
		{"a\xC2\xA0" "b\xC2\xAD" "c", "a bc"},                      /* C2: still unified */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cn_tb t, o;
		tb_from(&t, cases[i].in, strlen(cases[i].in));
		cn_tb_init(&o, 0);
		T_EQ_INT(cn_chars_clean(&t, &o), CR_OK);
		T_CHECK(o.s && strcmp(o.s, cases[i].out) == 0, "case %zu: [%s]", i, o.s ? o.s : "");
		cn_tb_fini(&t);
		cn_tb_fini(&o);
	}
	/* byte map of a plain run: one entry per byte, in order */
	const char *in = "a\xC3\xA9\xC4\x81z";
	cn_tb t, o;
	tb_from(&t, in, strlen(in));
	cn_tb_init(&o, 0);
	T_EQ_INT(cn_chars_clean(&t, &o), CR_OK);
	T_EQ_INT(o.len, 6);
	for (size_t i = 0; i < o.len; i++)
		T_EQ_INT(o.map[i], 100 + i);
	cn_tb_fini(&t);
	cn_tb_fini(&o);
}

/* UTF-8 decoding: ASCII runs of every length map byte i to raw offset i;
 * a multi-byte character maps all its bytes to its first. */
static void test_decode_map(void)
{
	for (size_t k = 0; k < 40; k++) {
		char raw[64];
		memset(raw, 'q', k);
		memcpy(raw + k, "\xC3\xA9" "ab", 4);
		cn_tb out;
		cn_enc_result r;
		char why[64];
		cn_tb_init(&out, 0);
		T_EQ_INT(cn_enc_decode(raw, k + 4, NULL, &out, &r, why, sizeof why), CR_OK);
		T_EQ_INT(out.len, k + 4);
		int ok = out.len == k + 4;
		for (size_t i = 0; ok && i < k; i++)
			ok = out.map[i] == i;
		ok = ok && out.map[k] == k && out.map[k + 1] == k && out.map[k + 2] == k + 2 && out.map[k + 3] == k + 3;
		T_CHECK(ok, "%zu: map wrong", k);
		cn_tb_fini(&out);
	}
}

/* Markdown evidence at line starts, and plain text without any. */
static void test_md_sniff_marks(void)
{
	const char *md1 = "Intro\n1. un\n| -- | -- |\n[ref]: http://x\n";
	const char *md2 = "# Titre\n\nTexte\n> cit\xC3\xA9\n";
	const char *md3 = "Intro\n[a]: http://x\n[b]: http://y\n";
	const char *plain = "Le texte commence.\nIl continue ici.\n* seul\n2. deux\n#pas un titre\n";
	T_OK(cn_md_sniff(md1, strlen(md1)));
	T_OK(cn_md_sniff(md3, strlen(md3)));
	T_OK(cn_md_sniff(md2, strlen(md2)));
	T_OK(!cn_md_sniff(plain, strlen(plain)));
}

/* HTML text runs copied 8 bytes at a time: what stops a run (markup,
 * references, runs of white space, white space before a tag) is seen at
 * every alignment. */
static void test_html_text_runs(void)
{
	for (size_t k = 0; k < 18; k++) {
		char in[256], want[256];
		char pre[32];
		memset(pre, 'a', k);
		pre[k] = 0;
		snprintf(in, sizeof in, "<p>Z%s word  two\tthree\nFour five six seven <b>eight</b> &amp; "
			 "&eacute;t&eacute; huit.</p>", pre);
		snprintf(want, sizeof want, "Z%s word two three Four five six seven eight & \xC3\xA9t\xC3\xA9 huit.", pre);
		cn_doc d;
		T_EQ_INT(run(in, strlen(in), "text/html", NULL, &d), CR_OK);
		T_CHECK(d.text && strcmp(d.text, want) == 0, "%zu: [%s]", k, d.text ? d.text : "");
		cn_doc_fini(&d);
	}
}

int main(void)
{
	T_RUN(test_html_page);
	T_RUN(test_markdown);
	T_RUN(test_markdown_details);
	T_RUN(test_seed_markdown);
	T_RUN(test_plain_english);
	T_RUN(test_hard_wrap);
	T_RUN(test_wrap_compounds);
	T_RUN(test_windows_1252);
	T_RUN(test_latin9_vs_1252);
	T_RUN(test_spaces_quotes_nfc_crlf);
	T_RUN(test_french_sentences);
	T_RUN(test_english_quotes);
	T_RUN(test_unbalanced_quote);
	T_RUN(test_boilerplate_lines);
	T_RUN(test_english_boilerplate);
	T_RUN(test_html_details);
	T_RUN(test_html_lists_not_rejoined);
	T_RUN(test_given_title_wins);
	T_RUN(test_mislabelled_html);
	T_RUN(test_utf8_repair);
	T_RUN(test_c1_mojibake);
	T_RUN(test_utf16);
	T_RUN(test_bad_input);
	T_RUN(test_short_text_language);
	T_RUN(test_long_sentence_cut);
	T_RUN(test_sniffing);
	T_RUN(test_sentences_long_stretches);
	T_RUN(test_boiler_classify_paths);
	T_RUN(test_sentence_scan_alignment);
	T_RUN(test_line_spaces);
	T_RUN(test_chars_plain_runs);
	T_RUN(test_decode_map);
	T_RUN(test_md_sniff_marks);
	T_RUN(test_html_text_runs);
	return t_done();
}
