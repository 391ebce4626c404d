/* cx_extract throughput on one core: generated political news articles
 * (French and English paragraphs of our own: visits, meetings, accords,
 * condemnations, dates, titles, names) or plain-text files given on the
 * command line. Extraction only (the text is already normalized).
 *   bench_extract [--seconds S] [FILE...]
 * Prints one JSON object:
 *   {"extract":{"docs":N,"mb":X,"cpu_seconds":T,"mb_per_s":R,"articles_per_s":A,...}} */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "extract/extract.h"

#define NDOCS 64

static const char *const paras[] = {
	"Le ministre ghanéen des Affaires étrangères, Samuel Okudzeto Ablakwa, a reçu mardi 14 mai 2024 à "
	"Accra son homologue burkinabè, Karamoko Jean-Marie Traoré. Les deux ministres ont évoqué la "
	"sécurité dans le Sahel et le commerce transfrontalier.",
	"« Nous sommes déterminés à renforcer notre coopération », a déclaré M. Ablakwa à l'issue de "
	"l'entretien. Les deux parties ont convenu de tenir la prochaine commission mixte à Ouagadougou.",
	"The foreign minister met his Ghanaian counterpart on Tuesday in Accra. Both sides said trade had "
	"doubled since 2020 and agreed to open a joint border post next month, according to the United Nations.",
	"Selon l'ONU, plus de 2,5 millions de personnes ont été déplacées par le conflit. Le Niger a "
	"condamné les attaques terroristes survenues la semaine dernière près de Tillabéri.",
	"Officials from the African Union, the European Union and ECOWAS attended the summit in Addis Ababa, "
	"where Mr. Faki called for a ceasefire in Sudan. Kenya did not sign the declaration.",
	"Du 3 au 5 juin 2024, une délégation sénégalaise a séjourné en Mauritanie. Le président mauritanien "
	"Mohamed Ould Ghazouani pourrait se rendre à Dakar en juillet prochain.",
};

static char *gen(unsigned seed, size_t *len)
{
	size_t cap = 1 << 14, n = 0;
	char *p = malloc(cap);
	if (!p)
		return NULL;
	for (int k = 0; k < 12 && n + 1024 < cap; k++) {
		seed = seed * 1103515245u + 12345u;
		n += (size_t)snprintf(p + n, cap - n, "%s\n\n", paras[(seed >> 16) % 6]);
	}
	*len = n;
	return p;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *p = malloc(8u << 20);
	*len = p ? fread(p, 1, (8u << 20) - 1, f) : 0;
	if (p)
		p[*len] = 0;
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
	double l0 = cpu_now();
	cx_engine *eng = NULL;
	if (cx_engine_new(&eng) != CR_OK) {
		fprintf(stderr, "bench_extract: engine failed\n");
		return 1;
	}
	double load = cpu_now() - l0;
	size_t bytes = 0, runs = 0, failed = 0, events = 0;
	double t0 = cpu_now(), t = t0;
	while (t - t0 < seconds) {
		for (size_t i = 0; i < ndocs; i++) {
			cx_input in = {.id = "b", .published = "2024-06-10", .lang = i % 3 == 2 ? "en" : "fr",
			               .text = docs[i], .len = lens[i]};
			cx_result *r = NULL;
			if (cx_extract(eng, &in, &r) == CR_OK) {
				events += r->n_events;
				cx_result_destroy(&r);
			} else {
				failed++;
			}
			bytes += lens[i];
			runs++;
		}
		t = cpu_now();
	}
	double mb = (double)bytes / 1e6, cpu = t - t0;
	printf("{\"extract\":{\"docs\":%zu,\"failed\":%zu,\"mb\":%.1f,\"cpu_seconds\":%.3f,\"mb_per_s\":%.2f,"
	       "\"articles_per_s\":%.0f,\"avg_doc_bytes\":%zu,\"events_per_doc\":%.2f,\"engine_load_s\":%.3f}}\n",
	       runs, failed, mb, cpu, mb / cpu, (double)runs / cpu, bytes / (runs ? runs : 1),
	       (double)events / (double)(runs ? runs : 1), load);
	cx_engine_destroy(&eng);
	for (size_t i = 0; i < ndocs; i++)
		free(docs[i]);
	return failed ? 1 : 0;
}
