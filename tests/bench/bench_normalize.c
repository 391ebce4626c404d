/* cn_normalize throughput on mixed HTML, one core: generated pages (head,
 * scripts, styles, navigation, share buttons, comment form, entities,
 * French and English paragraphs) or files given on the command line.
 *   bench_normalize [--seconds S] [FILE...]
 * Prints one JSON object: {"normalize_html":{"docs":N,"mb":X,"cpu_seconds":T,"mb_per_s":R}} */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "normalize/normalize.h"

#define NDOCS 64

static const char *const paras[] = {
	"Le ministre des Affaires &eacute;trang&egrave;res, M. Robert Dussey, a re&ccedil;u mardi "
	"&agrave; Lom&eacute; son homologue ghan&eacute;en. Les deux hommes ont &eacute;voqu&eacute; "
	"la s&eacute;curit&eacute; dans le Sahel et le commerce transfrontalier.",
	"&laquo;&nbsp;Nous sommes d&eacute;termin&eacute;s &agrave; renforcer notre coop&eacute;ration"
	"&nbsp;&raquo;, a d&eacute;clar&eacute; le ministre &agrave; l&#8217;issue de l&#8217;entretien.",
	"The foreign minister met his <a href=\"/gh\">Ghanaian counterpart</a> on Tuesday. "
	"Both sides said trade had doubled since 2020, according to the U.N. agency.",
	"Selon l'ONU, plus de <strong>2,5 millions</strong> de personnes ont &eacute;t&eacute; "
	"d&eacute;plac&eacute;es par le conflit. Le Dr Traor&eacute; a appel&eacute; &agrave; "
	"l'aide humanitaire.",
	"<em>Officials</em> from the African Union, the E.U. and ECOWAS attended the summit in "
	"Addis Ababa, where Mr. Faki called for a ceasefire &mdash; the third this year.",
};

static const char *const head =
	"<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Le Togo et le Ghana "
	"renforcent leur coop&eacute;ration | Le Journal</title><style>body{margin:0} .nav a{color:#333}"
	" p>a{text-decoration:none}</style><script>window.dataLayer=[];function t(a,b){return a<b&&b>a;}"
	"</script></head><body><header><div class=\"logo\">Le Journal</div><nav><ul><li><a href=\"/\">"
	"Accueil</a></li><li><a href=\"/monde\">Monde</a></li><li><a href=\"/afrique\">Afrique</a></li>"
	"</ul></nav></header><main><article><h1>Le Togo et le Ghana renforcent leur coop&eacute;ration"
	"</h1><p class=\"byline\">Par Jean Dupont</p>\n";
static const char *const tail =
	"<div class=\"share-buttons\"><a href=\"#\">Facebook</a><a href=\"#\">Twitter</a></div>"
	"<p>Lire aussi : <a href=\"/x\">Le B&eacute;nin et le Nig&eacute;ria</a></p></article>"
	"<section id=\"comments\"><h3>LAISSER UN COMMENTAIRE</h3><form><textarea></textarea>"
	"<p>Votre adresse e-mail ne sera pas publi&eacute;e.</p></form></section></main>"
	"<footer><p>&copy; 2024 Le Journal</p></footer><script>track('x');</script></body></html>\n";

static char *gen(unsigned seed, size_t *len)
{
	size_t cap = 1 << 17, n = 0;
	char *p = malloc(cap);
	if (!p)
		return NULL;
	n += (size_t)snprintf(p, cap, "%s", head);
	for (int k = 0; k < 150 && n + 1024 < cap - 2048; k++) {
		seed = seed * 1103515245u + 12345u;
		n += (size_t)snprintf(p + n, cap - n, "<p>%s</p>\n", paras[(seed >> 16) % 5]);
		if (k % 12 == 11)
			n += (size_t)snprintf(p + n, cap - n, "<div class=\"ad\"><script>ad(%d)</script></div>"
							      "<h2>Intertitre num&eacute;ro %d</h2>\n", k, k);
	}
	n += (size_t)snprintf(p + n, cap - n, "%s", tail);
	*len = n;
	return p;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *p = malloc(CN_MAX_INPUT);
	*len = p ? fread(p, 1, CN_MAX_INPUT, f) : 0;
	fclose(f);
	return p;
}

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double seconds = 3;
	char *docs[NDOCS];
	size_t lens[NDOCS], ndocs = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
			seconds = atof(argv[++i]);
		else if (ndocs < NDOCS && (docs[ndocs] = slurp(argv[i], &lens[ndocs])) != NULL)
			ndocs++;
	}
	if (!ndocs)
		for (; ndocs < NDOCS; ndocs++)
			if (!(docs[ndocs] = gen((unsigned)ndocs * 7919u + 1u, &lens[ndocs])))
				return 1;
	size_t bytes = 0, runs = 0, failed = 0;
	double t0 = cpu_now(), t = t0;
	while (t - t0 < seconds) {
		for (size_t i = 0; i < ndocs; i++) {
			cn_input in = {docs[i], lens[i], NULL, NULL, NULL};
			cn_doc d;
			char why[128];
			if (cn_normalize(&in, &d, why, sizeof why) == CR_OK)
				cn_doc_fini(&d);
			else
				failed++;
			bytes += lens[i];
			runs++;
		}
		t = cpu_now();
	}
	double mb = (double)bytes / 1e6, cpu = t - t0;
	printf("{\"normalize_html\":{\"docs\":%zu,\"failed\":%zu,\"mb\":%.1f,\"cpu_seconds\":%.3f,"
	       "\"mb_per_s\":%.1f,\"avg_doc_bytes\":%zu}}\n",
	       runs, failed, mb, cpu, mb / cpu, bytes / (runs ? runs : 1));
	for (size_t i = 0; i < ndocs; i++)
		free(docs[i]);
	return failed ? 1 : 0;
}
