/* SPDX-License-Identifier: MIT */
/* test_kstack.c - --kstack's chains: perf's context markers, counting, the limit of distinct chains. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <linux/perf_event.h>

#include "kstack.h"

#define K(x) (0xffffffff81000000ULL + (x))

static void counts_chains(void **state)
{
	const uint64_t a[] = { (uint64_t)PERF_CONTEXT_KERNEL, K(0x10), K(0x20), K(0x30) };
	/* The same kernel part, then a user part: not part of the chain. */
	const uint64_t a_user[] = { (uint64_t)PERF_CONTEXT_KERNEL, K(0x10), K(0x20), K(0x30),
				    (uint64_t)PERF_CONTEXT_USER, 0x401000 };
	const uint64_t b[] = { (uint64_t)PERF_CONTEXT_KERNEL, K(0x10), K(0x40) };
	struct kstacks *k = calloc(1, sizeof(*k));

	(void)state;
	kstacks_add(k, a, 4);
	kstacks_add(k, b, 3);
	kstacks_add(k, a_user, 6);
	assert_int_equal(k->n, 2);
	assert_int_equal(k->s[0].count, 2);
	assert_int_equal(k->s[0].depth, 3);
	assert_true(k->s[0].ip[0] == K(0x10) && k->s[0].ip[2] == K(0x30));
	assert_int_equal(k->s[1].count, 1);
	assert_int_equal(k->s[1].depth, 2);
	assert_int_equal(k->other, 0);
	free(k);
}

static void limits(void **state)
{
	struct kstacks *k = calloc(1, sizeof(*k));
	uint64_t deep[KSTACK_DEPTH + 10];

	(void)state;
	for (size_t i = 0; i < sizeof(deep) / sizeof(deep[0]); i++)
		deep[i] = K(i);
	kstacks_add(k, deep, sizeof(deep) / sizeof(deep[0]));
	assert_int_equal(k->s[0].depth, KSTACK_DEPTH); /* cut to the innermost frames */
	for (uint64_t i = 1; i < KSTACK_MAX + 5; i++) {
		uint64_t one = K(0x1000 + i);

		kstacks_add(k, &one, 1);
	}
	assert_int_equal(k->n, KSTACK_MAX);
	assert_int_equal(k->other, 5);
	free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counts_chains),
		cmocka_unit_test(limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
