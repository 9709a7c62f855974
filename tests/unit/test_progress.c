/* SPDX-License-Identifier: MIT */
/* test_progress.c - the status line's text: counts, rates, the top reasons, the width. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <linux/kvm.h>

#include "progress.h"

static void line_with_top_three(void **state)
{
	uint64_t counts[MVM_KVM_EXIT_MAX + 1] = { 0 };
	char out[256];
	size_t n;

	(void)state;
	counts[KVM_EXIT_MMIO] = 1234567;
	counts[KVM_EXIT_IO] = 45000;
	counts[KVM_EXIT_HLT] = 3;
	counts[MVM_KVM_EXIT_MAX] = 7; /* unnamed */
	n = progress_line(out, sizeof(out), 12.34, 1279577, 98765.4, counts, 200);
	assert_int_equal(n, strlen(out));
	assert_string_equal(out, "minivmm: 12.3 s, 1.28M exits, 98.8k/s: MMIO 1.23M, IO 45.0k, "
				 "UNNAMED 7");
}

static void nothing_yet(void **state)
{
	uint64_t counts[MVM_KVM_EXIT_MAX + 1] = { 0 };
	char out[256];

	(void)state;
	progress_line(out, sizeof(out), 1.0, 0, 0, counts, 80);
	assert_string_equal(out, "minivmm: 1.0 s, 0 exits, 0/s");
}

/* Never as wide as the terminal: a full line would wrap on some. */
static void cut_to_the_width(void **state)
{
	uint64_t counts[MVM_KVM_EXIT_MAX + 1] = { 0 };
	char out[256];

	(void)state;
	counts[KVM_EXIT_IO] = 5;
	assert_int_equal(progress_line(out, sizeof(out), 1.0, 5, 5, counts, 20), 19);
	assert_int_equal(strlen(out), 19);
	assert_int_equal(progress_line(out, 8, 1.0, 5, 5, counts, 200), 7);
	assert_int_equal(strlen(out), 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(line_with_top_three),
		cmocka_unit_test(nothing_yet),
		cmocka_unit_test(cut_to_the_width),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
