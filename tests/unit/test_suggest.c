/* SPDX-License-Identifier: MIT */
/* test_suggest.c - edit distances, and which known word a mistyped one is taken for. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "suggest.h"

static void distances(void **state)
{
	(void)state;
	assert_int_equal(suggest_distance("timeout", "timeout", 3), 0);
	assert_int_equal(suggest_distance("tiemout", "timeout", 3), 1); /* a swap */
	assert_int_equal(suggest_distance("timout", "timeout", 3), 1);
	assert_int_equal(suggest_distance("timeoutt", "timeout", 3), 1);
	assert_int_equal(suggest_distance("tymeout", "timeout", 3), 1);
	assert_int_equal(suggest_distance("", "abc", 3), 3);
	assert_int_equal(suggest_distance("kitten", "sitting", 3), 3);
	/* Past the limit: limit + 1, whatever the true distance. */
	assert_int_equal(suggest_distance("kitten", "sitting", 2), 3);
	assert_int_equal(suggest_distance("a", "abcdefgh", 2), 3);
}

static const char *const options[] = { "--timeout", "--trace",	   "--format", "--mode",
				       "--mem",	    "--max-exits", "--ktrace", "--quiet" };
static const char *const commands[] = { "run", "show", "diff", "replay", "caps", "qemu" };

#define NEAREST(w, c) suggest_nearest((w), (c), sizeof(c) / sizeof((c)[0]))

static void nearest(void **state)
{
	(void)state;
	assert_string_equal(NEAREST("--tiemout", options), "--timeout");
	assert_string_equal(NEAREST("--trcae", options), "--trace");
	assert_string_equal(NEAREST("--fromat", options), "--format");
	assert_string_equal(NEAREST("--max-exit", options), "--max-exits");
	assert_string_equal(NEAREST("--qiuet", options), "--quiet");
	assert_string_equal(NEAREST("rnu", commands), "run");
	assert_string_equal(NEAREST("shwo", commands), "show");
	assert_string_equal(NEAREST("replya", commands), "replay");
	assert_string_equal(NEAREST("rep", commands), "replay"); /* a prefix */
	/* Nothing near: no guess. */
	assert_null(NEAREST("--verbose", options));
	assert_null(NEAREST("tests/guest_hlt.bin", commands));
	assert_null(NEAREST("x", commands));
	/* A prefix and a one-letter typo of the same word agree. */
	assert_string_equal(NEAREST("--me", options), "--mem");
	assert_string_equal(NEAREST("--mo", options), "--mode");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(distances),
		cmocka_unit_test(nearest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
