/* Unit tests for common/json: values, escapes, surrogates, caps, errors. */
#include "t.h"
#include <stdlib.h>
#include "common/json.h"
#include "common/utf8.h"

static const cr_json *parse(const char *s, cr_json_doc **d)
{
	char why[128];
	if (cr_json_parse(s, strlen(s), d, why, sizeof why) != CR_OK) {
		printf("  parse error: %s\n", why);
		return NULL;
	}
	return cr_json_root(*d);
}

static void test_object(void)
{
	cr_json_doc *d = NULL;
	const cr_json *r = parse(" {\"id\": \"a\", \"n\": -1.5e2, \"t\": true, \"z\": null, \"l\": [1, {}, []]} ", &d);
	T_OK(r && r->type == CR_JSON_OBJECT && r->len == 5);
	T_EQ_STR(cr_json_get_str(r, "id"), "a");
	T_OK(cr_json_get(r, "n") && cr_json_get(r, "n")->num == -150.0);
	T_OK(cr_json_get(r, "t")->type == CR_JSON_TRUE);
	T_OK(cr_json_get(r, "z")->type == CR_JSON_NULL);
	T_OK(cr_json_get(r, "l")->len == 3);
	T_OK(cr_json_get_str(r, "missing") == NULL);
	T_OK(cr_json_get_str(r, "n") == NULL);
	cr_json_free(&d);
	cr_json_free(&d);
}

static void test_escapes(void)
{
	cr_json_doc *d = NULL;
	const cr_json *r = parse("\"a\\n\\\"\\u00e9\\u20ac\\ud83d\\ude00\\/\"", &d);
	T_OK(r && r->type == CR_JSON_STRING);
	T_EQ_STR(r ? r->str : NULL, "a\n\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80/");
	cr_json_free(&d);
	r = parse("\"nul\\u0000x\"", &d);
	T_OK(r && r->len == 5);
	cr_json_free(&d);
}

static void test_errors(void)
{
	static const char *bad[] = {
		"", "{", "[1,]", "{\"a\" 1}", "\"\\ud83d\"", "\"\\ude00\"", "\"\\ud83d\\u0041\"", "\"\xff\"",
		"\"a\nb\"", "01", "1.", "-", "tru", "{} x", "\"\\x\"", "\"\\u12\"", "[\"a\",", "{\"a\":}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_json_doc *d = NULL;
		char why[128] = "";
		cr_err e = cr_json_parse(bad[i], strlen(bad[i]), &d, why, sizeof why);
		T_CHECK(e != CR_OK && d == NULL && why[0], "accepted bad input #%zu [%s]", i, bad[i]);
		cr_json_free(&d);
	}
}

static void test_depth_cap(void)
{
	char s[400];
	cr_json_doc *d = NULL;
	memset(s, '[', 200);
	memset(s + 200, ']', 200);
	T_EQ_INT(cr_json_parse(s, sizeof s, &d, NULL, 0), CR_ETOOBIG);
	T_OK(d == NULL);
}

static void test_utf8(void)
{
	T_OK(cr_utf8_valid("caf\xc3\xa9", 5));
	T_OK(!cr_utf8_valid("\xc0\xaf", 2));         /* overlong */
	T_OK(!cr_utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
	T_OK(!cr_utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
	T_OK(!cr_utf8_valid("\xe2\x82", 2));         /* truncated */
}

static void test_random_no_crash(void)
{
	unsigned seed = 7;
	char buf[64];
	static const char alphabet[] = "{}[]\",:\\u0123456789abcdefnulltrue -.eE\xc3\xa9";
	for (int r = 0; r < 5000; r++) {
		size_t n = (size_t)(rand_r(&seed) % sizeof buf);
		cr_json_doc *d = NULL;
		for (size_t k = 0; k < n; k++)
			buf[k] = alphabet[rand_r(&seed) % (sizeof alphabet - 1)];
		cr_json_parse(buf, n, &d, NULL, 0);
		cr_json_free(&d);
	}
	T_OK(1);
}

int main(void)
{
	T_RUN(test_object);
	T_RUN(test_escapes);
	T_RUN(test_errors);
	T_RUN(test_depth_cap);
	T_RUN(test_utf8);
	T_RUN(test_random_no_crash);
	return t_done();
}
