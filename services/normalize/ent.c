/* HTML character references: numeric ones, and the named ones that news
 * pages actually use (a sorted table searched by bisection). HTML5 rules
 * for numbers: C1 code points are read as Windows-1252, invalid ones
 * become U+FFFD. */
#include <string.h>

#include "normalize/ent.h"
#include "normalize/enc.h"

static const struct ent {
	const char *name;
	uint32_t cp;
} ents[] = {
	{"AElig", 0x00C6}, {"Aacute", 0x00C1}, {"Acirc", 0x00C2}, {"Agrave", 0x00C0},
	{"Alpha", 0x0391}, {"Aring", 0x00C5}, {"Atilde", 0x00C3}, {"Auml", 0x00C4}, {"Beta", 0x0392},
	{"Ccedil", 0x00C7}, {"Dagger", 0x2021}, {"Delta", 0x0394}, {"ETH", 0x00D0},
	{"Eacute", 0x00C9}, {"Ecirc", 0x00CA}, {"Egrave", 0x00C8}, {"Euml", 0x00CB},
	{"Gamma", 0x0393}, {"Iacute", 0x00CD}, {"Icirc", 0x00CE}, {"Igrave", 0x00CC},
	{"Iuml", 0x00CF}, {"NewLine", 0x000A}, {"Ntilde", 0x00D1}, {"OElig", 0x0152},
	{"Oacute", 0x00D3}, {"Ocirc", 0x00D4}, {"Ograve", 0x00D2}, {"Omega", 0x03A9},
	{"Oslash", 0x00D8}, {"Otilde", 0x00D5}, {"Ouml", 0x00D6}, {"Prime", 0x2033},
	{"Scaron", 0x0160}, {"THORN", 0x00DE}, {"Tab", 0x0009}, {"Uacute", 0x00DA}, {"Ucirc", 0x00DB},
	{"Ugrave", 0x00D9}, {"Uuml", 0x00DC}, {"Yacute", 0x00DD}, {"Yuml", 0x0178},
	{"aacute", 0x00E1}, {"acirc", 0x00E2}, {"acute", 0x00B4}, {"aelig", 0x00E6},
	{"agrave", 0x00E0}, {"alpha", 0x03B1}, {"amp", 0x0026}, {"apos", 0x0027}, {"aring", 0x00E5},
	{"ast", 0x002A}, {"atilde", 0x00E3}, {"auml", 0x00E4}, {"bdquo", 0x201E}, {"beta", 0x03B2},
	{"brvbar", 0x00A6}, {"bsol", 0x005C}, {"bull", 0x2022}, {"bullet", 0x2022},
	{"ccedil", 0x00E7}, {"cedil", 0x00B8}, {"cent", 0x00A2}, {"circ", 0x02C6}, {"colon", 0x003A},
	{"comma", 0x002C}, {"commat", 0x0040}, {"copy", 0x00A9}, {"curren", 0x00A4},
	{"dagger", 0x2020}, {"dash", 0x2010}, {"deg", 0x00B0}, {"delta", 0x03B4}, {"divide", 0x00F7},
	{"dollar", 0x0024}, {"eacute", 0x00E9}, {"ecirc", 0x00EA}, {"egrave", 0x00E8},
	{"emsp", 0x2003}, {"ensp", 0x2002}, {"equals", 0x003D}, {"eth", 0x00F0}, {"euml", 0x00EB},
	{"euro", 0x20AC}, {"excl", 0x0021}, {"fnof", 0x0192}, {"frac12", 0x00BD}, {"frac14", 0x00BC},
	{"frac34", 0x00BE}, {"frasl", 0x2044}, {"gamma", 0x03B3}, {"gt", 0x003E}, {"half", 0x00BD},
	{"hellip", 0x2026}, {"horbar", 0x2015}, {"hyphen", 0x2010}, {"iacute", 0x00ED},
	{"icirc", 0x00EE}, {"iexcl", 0x00A1}, {"igrave", 0x00EC}, {"iquest", 0x00BF},
	{"iuml", 0x00EF}, {"laquo", 0x00AB}, {"larr", 0x2190}, {"lcub", 0x007B}, {"ldquo", 0x201C},
	{"lowbar", 0x005F}, {"lpar", 0x0028}, {"lrm", 0x200E}, {"lsaquo", 0x2039}, {"lsqb", 0x005B},
	{"lsquo", 0x2018}, {"lt", 0x003C}, {"macr", 0x00AF}, {"mdash", 0x2014}, {"micro", 0x00B5},
	{"middot", 0x00B7}, {"minus", 0x2212}, {"mu", 0x03BC}, {"nbhy", 0x2011}, {"nbsp", 0x00A0},
	{"ndash", 0x2013}, {"not", 0x00AC}, {"ntilde", 0x00F1}, {"num", 0x0023}, {"oacute", 0x00F3},
	{"ocirc", 0x00F4}, {"oelig", 0x0153}, {"ograve", 0x00F2}, {"oline", 0x203E},
	{"omega", 0x03C9}, {"ordf", 0x00AA}, {"ordm", 0x00BA}, {"oslash", 0x00F8}, {"otilde", 0x00F5},
	{"ouml", 0x00F6}, {"para", 0x00B6}, {"percnt", 0x0025}, {"period", 0x002E},
	{"permil", 0x2030}, {"pi", 0x03C0}, {"plus", 0x002B}, {"plusmn", 0x00B1}, {"pound", 0x00A3},
	{"prime", 0x2032}, {"quest", 0x003F}, {"quot", 0x0022}, {"raquo", 0x00BB}, {"rarr", 0x2192},
	{"rcub", 0x007D}, {"rdquo", 0x201D}, {"reg", 0x00AE}, {"rlm", 0x200F}, {"rpar", 0x0029},
	{"rsaquo", 0x203A}, {"rsqb", 0x005D}, {"rsquo", 0x2019}, {"sbquo", 0x201A},
	{"scaron", 0x0161}, {"sect", 0x00A7}, {"semi", 0x003B}, {"shy", 0x00AD}, {"sigma", 0x03C3},
	{"sol", 0x002F}, {"sup1", 0x00B9}, {"sup2", 0x00B2}, {"sup3", 0x00B3}, {"szlig", 0x00DF},
	{"thinsp", 0x2009}, {"thorn", 0x00FE}, {"tilde", 0x02DC}, {"times", 0x00D7},
	{"trade", 0x2122}, {"uacute", 0x00FA}, {"ucirc", 0x00FB}, {"ugrave", 0x00F9}, {"uml", 0x00A8},
	{"uuml", 0x00FC}, {"verbar", 0x007C}, {"yacute", 0x00FD}, {"yen", 0x00A5}, {"yuml", 0x00FF},
	{"zwj", 0x200D}, {"zwnj", 0x200C},
};

static size_t numeric(const char *p, size_t n, uint32_t *cp)
{
	size_t i = 2;
	int hex = 0;
	uint32_t v = 0;
	if (i < n && (p[i] == 'x' || p[i] == 'X')) {
		hex = 1;
		i++;
	}
	size_t digits = 0;
	for (; i < n && digits < 8; i++, digits++) {
		char c = p[i];
		int d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			break;
		v = v * (hex ? 16 : 10) + (uint32_t)d;
	}
	if (!digits)
		return 0;
	if (i < n && p[i] == ';')
		i++;
	if (v >= 0x80 && v <= 0x9F)
		v = cn_enc_cp1252(v) ? cn_enc_cp1252(v) : 0xFFFD;
	else if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v < 0xE000))
		v = 0xFFFD;
	*cp = v;
	return i;
}

static int cmp(const char *a, size_t an, const char *b)
{
	int r = strncmp(a, b, an);
	if (r)
		return r;
	return b[an] ? -1 : 0;
}

static int alnum(char c)
{
	return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9');
}

/* Without ';' only the few names that old pages leave bare count. */
static int bare_ok(const char *name)
{
	static const char *const bare[] = {"amp", "lt", "gt", "quot", "nbsp", "copy", "reg"};
	for (size_t i = 0; i < sizeof bare / sizeof bare[0]; i++)
		if (strcmp(bare[i], name) == 0)
			return 1;
	return 0;
}

size_t cn_ent_decode(const char *p, size_t n, uint32_t *cp)
{
	if (n < 3 || p[0] != '&')
		return 0;
	if (p[1] == '#')
		return numeric(p, n, cp);
	size_t k = 1;
	while (k < n && k < 12 && alnum(p[k]))
		k++;
	size_t name_len = k - 1;
	int semi = k < n && p[k] == ';';
	if (!name_len)
		return 0;
	size_t lo = 0, hi = sizeof ents / sizeof ents[0];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int r = cmp(p + 1, name_len, ents[mid].name);
		if (r == 0) {
			if (!semi && !bare_ok(ents[mid].name))
				return 0;
			*cp = ents[mid].cp;
			return k + (size_t)semi;
		}
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}
