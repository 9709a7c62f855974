/* SPDX-License-Identifier: MIT */
/*
 * test_kprobe_args.c - --kprobe's fetch arguments (which C argument each
 * reads), the flag words named in khist records, the per-value counts and
 * the merging of per-vCPU counts (khist, kstacks).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <linux/perf_event.h>

#include "khist.h"
#include "kprobe_args.h"
#include "kstack.h"

static void fetch_argno(void **state)
{
	(void)state;
	assert_int_equal(kprobe_fetch_argno("%di", 3), 1);
	assert_int_equal(kprobe_fetch_argno("%rdi:u64", 8), 1);
	assert_int_equal(kprobe_fetch_argno("%dx:u32", 7), 3);
	assert_int_equal(kprobe_fetch_argno("%edx", 4), 3);
	assert_int_equal(kprobe_fetch_argno("%cx", 3), 4);
	assert_int_equal(kprobe_fetch_argno("%r8", 3), 5);
	assert_int_equal(kprobe_fetch_argno("%r9d:s32", 8), 6);
	assert_int_equal(kprobe_fetch_argno("$arg2", 5), 2);
	assert_int_equal(kprobe_fetch_argno("$arg6:x64", 9), 6);
	/* Not an argument register, or not a register at all. */
	assert_int_equal(kprobe_fetch_argno("%ax", 3), 0);
	assert_int_equal(kprobe_fetch_argno("%r10", 4), 0);
	assert_int_equal(kprobe_fetch_argno("$arg7", 5), 0);
	assert_int_equal(kprobe_fetch_argno("+8(%di):u32", 11), 0);
	assert_int_equal(kprobe_fetch_argno("@jiffies", 8), 0);
	assert_int_equal(kprobe_fetch_argno("$retval", 7), 0);
	/* len bounds the fetch: "%dx" cut to "%d" is no register. */
	assert_int_equal(kprobe_fetch_argno("%dx", 2), 0);
}

static void parse_args(void **state)
{
	const char *item = "x86_emulate_instruction  type=%dx:u32 %si gpa=+0(%di):u64";
	struct kprobe_arg a[KPROBE_ARGS_MAX];
	int n;

	(void)state;
	n = kprobe_parse_args(item, strlen(item), a, KPROBE_ARGS_MAX);
	assert_int_equal(n, 3);
	assert_string_equal(a[0].name, "type");
	assert_int_equal(a[0].argno, 3);
	/* Unnamed: the kernel names it after its position. */
	assert_string_equal(a[1].name, "arg2");
	assert_int_equal(a[1].argno, 2);
	assert_string_equal(a[2].name, "gpa");
	assert_int_equal(a[2].argno, 0);
	/* A function alone has none; len stops at the item's end (a comma list). */
	assert_int_equal(kprobe_parse_args("handle_vmread", 13, a, KPROBE_ARGS_MAX), 0);
	assert_int_equal(kprobe_parse_args("f x=%di,g y=%si", 8, a, KPROBE_ARGS_MAX), 1);
	assert_string_equal(a[0].name, "x");
	/* At most max. */
	assert_int_equal(kprobe_parse_args("f %di %si %dx", 13, a, 2), 2);
}

static void flag_words(void **state)
{
	const struct flag_name *emul = kprobe_arg_flags("x86_emulate_instruction", 3);
	const struct flag_name *pf = kprobe_arg_flags("kvm_mmu_page_fault", 3);
	char buf[128];

	(void)state;
	assert_non_null(emul);
	assert_non_null(pf);
	assert_ptr_equal(kprobe_arg_flags("kvm_emulate_instruction", 2), emul);
	assert_null(kprobe_arg_flags("x86_emulate_instruction", 2));
	assert_null(kprobe_arg_flags("handle_vmread", 1));
	assert_string_equal(flags_format(buf, sizeof(buf), emul, 0), "0");
	assert_string_equal(flags_format(buf, sizeof(buf), emul, 0x48), "ALLOW_RETRY_PF|PF");
	assert_string_equal(flags_format(buf, sizeof(buf), emul, 0x2), "TRAP_UD");
	/* Bits without a name stay, as hex: never dropped, never guessed. */
	assert_string_equal(flags_format(buf, sizeof(buf), emul, 0x30004), "SKIP|0x30000");
	assert_string_equal(flags_format(buf, sizeof(buf), pf, 0x100000002ULL), "WRITE|GUEST_"
										"FINAL");
	assert_string_equal(flags_format(buf, sizeof(buf), pf, 0x200000011ULL), "PRESENT|FETCH|"
										"GUEST_PAGE");
	/* Truncated, still terminated. */
	assert_string_equal(flags_format(buf, 8, emul, 0x48), "ALLOW_R");
	assert_string_equal(flags_format(buf, 1, emul, 0x48), "");
}

static void hist_counts(void **state)
{
	struct khist *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));

	(void)state;
	khist_add(a, 0x40, 1);
	khist_add(a, 0x2, 1);
	khist_add(a, 0x40, 1);
	khist_add(b, 0x40, 5);
	khist_add(b, 0x0, 1);
	khist_merge(a, b);
	khist_sort(a);
	assert_int_equal(a->n, 3);
	assert_true(a->v[0].value == 0x0 && a->v[0].count == 1);
	assert_true(a->v[1].value == 0x2 && a->v[1].count == 1);
	assert_true(a->v[2].value == 0x40 && a->v[2].count == 7);
	assert_int_equal(a->other, 0);
	/* Past KHIST_VALUES distinct values, hits are counted as other. */
	memset(b, 0, sizeof(*b));
	for (uint64_t v = 0; v < KHIST_VALUES + 3; v++)
		khist_add(b, 1000 + v, 2);
	assert_int_equal(b->n, KHIST_VALUES);
	assert_int_equal(b->other, 6);
	khist_merge(a, b);
	assert_int_equal(a->n, KHIST_VALUES);
	/* 3 of a's values plus 29 of b's fit; b's 3 others and 3 more are other. */
	assert_int_equal(a->other, 6 + 2 * (KHIST_VALUES - 29));
	free(a);
	free(b);
}

#define K(x) (0xffffffff81000000ULL + (x))

static void stacks_merge(void **state)
{
	const uint64_t x[] = { (uint64_t)PERF_CONTEXT_KERNEL, K(0x10), K(0x20) };
	const uint64_t y[] = { (uint64_t)PERF_CONTEXT_KERNEL, K(0x10), K(0x30) };
	struct kstacks *run = calloc(1, sizeof(*run)), *v0 = calloc(1, sizeof(*v0)),
		       *v1 = calloc(1, sizeof(*v1));

	(void)state;
	kstacks_add(v0, x, 3);
	kstacks_add(v0, x, 3);
	kstacks_add(v1, y, 3);
	kstacks_add(v1, x, 3);
	kstacks_merge(run, v0);
	kstacks_merge(run, v1);
	assert_int_equal(run->n, 2);
	assert_int_equal(run->s[0].count, 3);
	assert_true(run->s[0].ip[1] == K(0x20));
	assert_int_equal(run->s[1].count, 1);
	assert_true(run->s[1].ip[1] == K(0x30));
	free(run);
	free(v0);
	free(v1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fetch_argno),	cmocka_unit_test(parse_args),
		cmocka_unit_test(flag_words),	cmocka_unit_test(hist_counts),
		cmocka_unit_test(stacks_merge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
