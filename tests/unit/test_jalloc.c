/* test_jalloc.c: page-scoped jansson memory (src/jalloc.c). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "jalloc.h"

/* A page's worth of objects: made, dumped, dropped; more than one chunk. */
static json_t *page(int rows)
{
	json_t *a = json_array();
	for (int i = 0; i < rows; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "title", json_string("Nhiệm vụ số hóa"));
		json_object_set_new(o, "n", json_integer(i));
		json_array_append_new(a, o);
	}
	return a;
}

static int count(const char *buf, size_t n, void *data)
{
	(void)buf;
	*(size_t *)data += n;
	return 0;
}

static void test_scopes(void **state)
{
	(void)state;
	jalloc_init();
	jalloc_init();   /* once is enough; twice is harmless */
	/* made outside any scope: ordinary memory, alive across scopes */
	json_t *kept = json_object();
	json_object_set_new(kept, "site", json_string("Cổng kế hoạch"));
	size_t first = 0;
	for (int round = 0; round < 3; round++) {
		jalloc_begin();
		json_t *p = page(20000);
		/* a long-lived value referenced from the page, and let go */
		json_array_append(p, kept);
		size_t n = 0;
		assert_int_equal(json_dump_callback(p, count, &n, JSON_COMPACT), 0);
		if (!round)
			first = n;
		assert_int_equal(n, first);   /* the chunks are reused, unharmed */
		json_decref(p);
		jalloc_end();
	}
	assert_string_equal(json_string_value(json_object_get(kept, "site")), "Cổng kế hoạch");
	/* nested scopes end with the outermost */
	jalloc_begin();
	jalloc_begin();
	json_t *inner = json_string("trong");
	jalloc_end();
	assert_string_equal(json_string_value(inner), "trong");
	json_decref(inner);
	jalloc_end();
	json_decref(kept);
	jalloc_thread_done();
}

/* One page on a thread of its own, which then ends: where the text of its
 * first value went. */
static const char mark[] = "Kế hoạch số hóa";

static void *one_page(void *arg)
{
	(void)arg;
	jalloc_begin();
	json_t *v = json_string(mark);
	const char *at = json_string_value(v);
	json_t *p = page(100);
	json_decref(p);
	json_decref(v);
	jalloc_end();
	jalloc_thread_done();
	return (void *)at;
}

static const char *page_on_thread(void)
{
	pthread_t t;
	void *at = NULL;
	assert_int_equal(pthread_create(&t, NULL, one_page, NULL), 0);
	assert_int_equal(pthread_join(t, &at), 0);
	return at;
}

/* A thread that ends leaves its chunks to the next one (the render's second
 * batch of pages): they stay mapped as they were (the first thread's text is
 * still there; an unmapped chunk would crash here, a new one read zeros), and
 * the next thread's first value goes where the first thread's went.  After
 * jalloc_release the next thread maps its own; pages come out whole. */
static void test_chunks_handed_on(void **state)
{
	(void)state;
	jalloc_init();
	jalloc_release();
	const char *first = page_on_thread();
	assert_non_null(first);
	assert_memory_equal(first, mark, sizeof mark);
	const char *second = page_on_thread();
	assert_ptr_equal(second, first);
	jalloc_release();
	assert_non_null(page_on_thread());
	jalloc_release();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scopes),
		cmocka_unit_test(test_chunks_handed_on),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
