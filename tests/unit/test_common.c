/* Unit tests for services/common: buffer caps, JSON writer escaping and nesting. */
#include "t.h"
#include "common/buf.h"
#include "common/jw.h"
#include "common/err.h"

static void test_buf_cap(void)
{
	cr_buf b;
	cr_buf_init(&b, 8);
	T_EQ_INT(cr_buf_puts(&b, "12345678"), CR_OK);
	T_EQ_INT(cr_buf_putc(&b, '9'), CR_ETOOBIG);
	T_EQ_INT(b.len, 8);
	T_EQ_STR(b.data, "12345678");
	cr_buf_fini(&b);
}

static void test_jw_nesting_and_escapes(void)
{
	cr_buf b;
	cr_jw w;
	cr_buf_init(&b, 0);
	cr_jw_init(&w, &b);
	cr_jw_obj(&w);
	cr_jw_kstr(&w, "id", "a\"b\\c\n");
	cr_jw_key(&w, "list");
	cr_jw_arr(&w);
	cr_jw_int(&w, -3);
	cr_jw_str(&w, "é\x01");
	cr_jw_obj(&w);
	cr_jw_end(&w);
	cr_jw_end(&w);
	cr_jw_kstr(&w, "bad", "x\xff" "y");
	cr_jw_key(&w, "n");
	cr_jw_null(&w);
	cr_jw_end(&w);
	T_EQ_INT(cr_jw_err(&w), CR_OK);
	T_EQ_STR(b.data, "{\"id\":\"a\\\"b\\\\c\\n\",\"list\":[-3,\"é\\u0001\",{}],\"bad\":\"x\xEF\xBF\xBDy\",\"n\":null}");
	cr_buf_fini(&b);
}

static void test_jw_unbalanced_end(void)
{
	cr_buf b;
	cr_jw w;
	cr_buf_init(&b, 0);
	cr_jw_init(&w, &b);
	cr_jw_end(&w);
	T_EQ_INT(cr_jw_err(&w), CR_EINVAL);
	cr_buf_fini(&b);
}

static void test_strerror_total(void)
{
	for (int e = 0; e < CR_ECOUNT_ + 2; e++)
		T_OK(cr_strerror((cr_err)e) != NULL && cr_errname((cr_err)e) != NULL);
}

int main(void)
{
	T_RUN(test_buf_cap);
	T_RUN(test_jw_nesting_and_escapes);
	T_RUN(test_jw_unbalanced_end);
	T_RUN(test_strerror_total);
	return t_done();
}
