/* SPDX-License-Identifier: MIT */
/* test_gmem.c - the checked guest-memory accessor and region table at their edges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gmem.h"

#define RSIZE 0x10000ULL

static uint8_t ram_a[RSIZE], ram_b[RSIZE], ram_top[0x1000];

/* Two adjacent regions with separate host buffers: [0, 64K) and [64K, 128K). */
static struct gmem two_regions(void)
{
	struct gmem gm;

	memset(&gm, 0, sizeof(gm));
	assert_true(gmem_add(&gm, 0, RSIZE, ram_a));
	assert_true(gmem_add(&gm, RSIZE, RSIZE, ram_b));
	return gm;
}

static void first_and_last_byte(void **state)
{
	struct gmem gm = two_regions();

	assert_ptr_equal(GMEM_PTR(&gm, 0, 1), ram_a);
	assert_ptr_equal(GMEM_PTR(&gm, RSIZE - 1, 1), ram_a + RSIZE - 1);
	assert_ptr_equal(GMEM_PTR(&gm, RSIZE, 1), ram_b);
	assert_ptr_equal(GMEM_PTR(&gm, 2 * RSIZE - 1, 1), ram_b + RSIZE - 1);
	assert_ptr_equal(GMEM_PTR(&gm, 0, RSIZE), ram_a); /* the whole region */
	(void)state;
}

static void range_ending_at_end(void **state)
{
	struct gmem gm = two_regions();

	assert_ptr_equal(GMEM_PTR(&gm, RSIZE - 8, 8), ram_a + RSIZE - 8);
	assert_ptr_equal(GMEM_PTR(&gm, 2 * RSIZE - 8, 8), ram_b + RSIZE - 8);
	assert_null(GMEM_PTR(&gm, 2 * RSIZE - 8, 9)); /* one byte past */
	assert_null(GMEM_PTR(&gm, 2 * RSIZE, 1));
	assert_null(GMEM_PTR(&gm, 0, RSIZE + 1));
	(void)state;
}

static void spanning_two_regions_refused(void **state)
{
	struct gmem gm = two_regions();

	/* Contiguous in guest-physical space, not in host memory. */
	assert_null(GMEM_PTR(&gm, RSIZE - 4, 8));
	assert_null(GMEM_PTR(&gm, RSIZE - 1, 2));
	assert_false(gmem_is_ram(&gm, RSIZE - 1, 2));
	assert_true(gmem_is_ram(&gm, RSIZE - 1, 1));
	(void)state;
}

static void zero_length_refused(void **state)
{
	struct gmem gm = two_regions();

	assert_null(GMEM_PTR(&gm, 0, 0));
	assert_null(GMEM_PTR(&gm, 0x100, 0));
	assert_false(gmem_is_ram(&gm, 0x100, 0));
	(void)state;
}

static void wrapping_refused(void **state)
{
	struct gmem gm = two_regions();

	assert_true(gmem_add(&gm, UINT64_MAX - 0xfff, sizeof(ram_top), ram_top));
	assert_null(GMEM_PTR(&gm, UINT64_MAX - 1, 4));
	assert_null(GMEM_PTR(&gm, UINT64_MAX, 2));
	assert_null(GMEM_PTR(&gm, 0x10, UINT64_MAX));
	assert_null(GMEM_PTR(&gm, 1, UINT64_MAX));
	assert_ptr_equal(GMEM_PTR(&gm, UINT64_MAX, 1), ram_top + 0xfff);
	assert_ptr_equal(GMEM_PTR(&gm, UINT64_MAX - 1, 2), ram_top + 0xffe);
	assert_ptr_equal(GMEM_PTR(&gm, UINT64_MAX - 0xfff, 0x1000), ram_top);
	(void)state;
}

static void last_error_names_range_and_caller(void **state)
{
	struct gmem gm = two_regions();
	char want[80];
	int line = __LINE__ + 1;
	void *p = GMEM_PTR(&gm, 0x20000, 0x10);

	assert_null(p);
	if (!strstr(gm.last_error, "gpa=0x20000") || !strstr(gm.last_error, "len=0x10"))
		fail_msg("wanted gpa=0x20000 len=0x10 in last_error, got '%s'", gm.last_error);
	snprintf(want, sizeof(want), "test_gmem.c:%d", line);
	if (strcmp(gm.last_where, want) != 0)
		fail_msg("wanted '%s' in last_where, got '%s'", want, gm.last_where);
	/* The message itself names no source line: traces quote it. */
	assert_null(strstr(gm.last_error, ".c:"));
	(void)state;
}

static void add_rejects_overlap(void **state)
{
	struct gmem gm = two_regions();
	uint8_t other[16];

	assert_false(gmem_add(&gm, 0, RSIZE, other));	       /* same */
	assert_false(gmem_add(&gm, RSIZE - 1, 2, other));      /* straddles the boundary */
	assert_false(gmem_add(&gm, 2 * RSIZE - 1, 16, other)); /* last byte */
	assert_false(gmem_add(&gm, 0x100, 16, other));	       /* inside */
	assert_false(gmem_add(&gm, 0, 4 * RSIZE, other));      /* contains both */
	assert_int_equal(gm.nregions, 2);
	assert_true(gmem_add(&gm, 2 * RSIZE, 16, other)); /* adjacent */
	assert_int_equal(gm.nregions, 3);
	(void)state;
}

static void add_rejects_zero_and_wrap(void **state)
{
	struct gmem gm;
	uint8_t other[16];

	memset(&gm, 0, sizeof(gm));
	assert_false(gmem_add(&gm, 0x1000, 0, other));
	assert_false(gmem_add(&gm, UINT64_MAX, 2, other));
	assert_false(gmem_add(&gm, 2, UINT64_MAX, other));
	assert_int_equal(gm.nregions, 0);
	assert_true(gmem_add(&gm, 0, UINT64_MAX, other)); /* all but the last byte */
	assert_true(gmem_add(&gm, UINT64_MAX, 1, other));
	assert_false(gmem_add(&gm, UINT64_MAX, 1, other));
	(void)state;
}

static void add_rejects_full_table(void **state)
{
	struct gmem gm;
	uint8_t other[16];

	memset(&gm, 0, sizeof(gm));
	for (int i = 0; i < GMEM_MAX_REGIONS; i++)
		assert_true(gmem_add(&gm, (uint64_t)i * 0x1000, 0x1000, other));
	assert_false(gmem_add(&gm, 0x100000, 0x1000, other));
	assert_int_equal(gm.nregions, GMEM_MAX_REGIONS);
	assert_ptr_equal(GMEM_PTR(&gm, (GMEM_MAX_REGIONS - 1) * 0x1000ULL, 1), other);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(first_and_last_byte),
		cmocka_unit_test(range_ending_at_end),
		cmocka_unit_test(spanning_two_regions_refused),
		cmocka_unit_test(zero_length_refused),
		cmocka_unit_test(wrapping_refused),
		cmocka_unit_test(last_error_names_range_and_caller),
		cmocka_unit_test(add_rejects_overlap),
		cmocka_unit_test(add_rejects_zero_and_wrap),
		cmocka_unit_test(add_rejects_full_table),
	};

	return cmocka_run_group_tests_name("test_gmem", tests, NULL, NULL);
}
