/* SPDX-License-Identifier: MIT */
/* test_symbols.c - symbol files as nm writes them, and addresses named with them. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "symbols.h"
#include "testutil.h"

/* Shaped like tests/guest_hlt.sym: absolute symbols, data, labels without a size. */
static const char nm_text[] = "0000000000000000 A HEADER_FLAGS\n"
			      "0000000000100000 A LOAD_ADDR\n"
			      "0000000000100000 R mvm_header\n"
			      "0000000000100030 T _start\n"
			      "0000000000100050 0000000000000013 T main\n"
			      "0000000000100070 0000000000000017 T mvm_msg_len\n"
			      "0000000000100090 000000000000002f t fmt_num\n"
			      "0000000000100090 0000000000000004 T fmt_alias\n"
			      "0000000000100df3 t mvm_isr_0\n"
			      "0000000000100dfc t isr_common\n"
			      "0000000000100f00 0000000000000010 W weak_fn\n"
			      "0000000000101148 R mvm_isr_stubs\n"
			      "0000000000101260 0000000000000004 b report_failures\n"
			      "0000000000101300 t last_label\n";

/* The name lookup gives addr, as symbol_format writes it ("" for none). */
static void expect_name(const struct symtab *t, uint64_t addr, const char *want)
{
	char buf[64];
	size_t n = symbol_format(symtab_lookup(t, addr, NULL), addr, buf, sizeof(buf));

	buf[n] = '\0';
	if (strcmp(buf, want) != 0)
		fail_msg("0x%llx: wanted '%s', got '%s'", (unsigned long long)addr, want, buf);
}

static void parse_ok(struct symtab *t, const char *text)
{
	struct errbuf err = { "" };

	if (!symtab_parse(t, text, strlen(text), &err))
		fail_msg("parse failed: %s", err.msg);
}

static void names_and_offsets(void **state)
{
	struct symtab t;

	(void)state;
	parse_ok(&t, nm_text);
	expect_name(&t, 0x100050, "main");
	expect_name(&t, 0x100055, "main+0x5");
	expect_name(&t, 0x100062, "main+0x12");
	expect_name(&t, 0x100086, "mvm_msg_len+0x16");
	expect_name(&t, 0x100f0f, "weak_fn+0xf");
	symtab_free(&t);
}

static void outside_every_symbol(void **state)
{
	struct symtab t;

	(void)state;
	parse_ok(&t, nm_text);
	expect_name(&t, 0x0, "");
	expect_name(&t, 0xfff0, "");
	expect_name(&t, 0x100000, ""); /* data: R */
	expect_name(&t, 0x100063, ""); /* past main's 0x13 bytes, before the next */
	expect_name(&t, 0x100f10, ""); /* past weak_fn */
	expect_name(&t, 0x101260, ""); /* bss */
	expect_name(&t, 0x101300, ""); /* a last label has no end */
	expect_name(&t, UINT64_MAX, "");
	symtab_free(&t);
}

/* Labels run to the next symbol that is not absolute, data included. */
static void labels_end_at_next_symbol(void **state)
{
	struct symtab t;

	(void)state;
	parse_ok(&t, nm_text);
	expect_name(&t, 0x100030, "_start");
	expect_name(&t, 0x10004f, "_start+0x1f");
	expect_name(&t, 0x100dfb, "mvm_isr_0+0x8");
	expect_name(&t, 0x100dfc, "isr_common");
	expect_name(&t, 0x100eff, "isr_common+0x103");
	symtab_free(&t);
}

/* Two code symbols at one address: the first line's name, its size. */
static void first_of_a_tie(void **state)
{
	struct symtab t;

	(void)state;
	parse_ok(&t, nm_text);
	expect_name(&t, 0x100090, "fmt_num");
	expect_name(&t, 0x1000b0, "fmt_num+0x20");
	symtab_free(&t);
}

/* nm -n sorts, but a file in any order reads the same. */
static void any_order(void **state)
{
	struct symtab t;

	(void)state;
	parse_ok(&t, "0000000000100070 0000000000000017 T b\n"
		     "0000000000100050 0000000000000013 T a\n"
		     "0000000000100030 T start\n"
		     "\n");
	assert_int_equal(t.n, 3);
	expect_name(&t, 0x100035, "start+0x5");
	expect_name(&t, 0x100051, "a+0x1");
	expect_name(&t, 0x100071, "b+0x1");
	symtab_free(&t);
}

static void hint_is_tried_first_and_kept(void **state)
{
	struct symtab t;
	const struct symbol *s;
	size_t hint = 12345;

	(void)state;
	parse_ok(&t, nm_text);
	s = symtab_lookup(&t, 0x100055, &hint);
	assert_non_null(s);
	assert_string_equal(s->name, "main");
	assert_ptr_equal(&t.sym[hint], s);
	/* A stale hint is only a guess: a lookup elsewhere still finds its own. */
	s = symtab_lookup(&t, 0x100071, &hint);
	assert_non_null(s);
	assert_string_equal(s->name, "mvm_msg_len");
	assert_ptr_equal(&t.sym[hint], s);
	assert_null(symtab_lookup(&t, 0x100063, &hint));
	assert_ptr_equal(&t.sym[hint], s);
	assert_null(symtab_lookup(NULL, 0x100055, &hint));
	symtab_free(&t);
}

/* A function and a label inside it (guest_exception's main and mvm_catch_17):
 * an address past the label is the label's, whatever the hint says. */
static void overlap_does_not_depend_on_the_hint(void **state)
{
	struct symtab t;
	const struct symbol *s;
	size_t hint;

	(void)state;
	parse_ok(&t, "0000000000100050 00000000000001ac T main\n"
		     "000000000010007a t mvm_catch_17\n"
		     "0000000000100200 0000000000000010 T after\n");
	s = symtab_lookup(&t, 0x100060, &hint);
	assert_string_equal(s->name, "main");
	s = symtab_lookup(&t, 0x1000f1, &hint);
	assert_string_equal(s->name, "mvm_catch_17");
	assert_string_equal(symtab_lookup(&t, 0x1001fc, NULL)->name, "mvm_catch_17");
	hint = 0; /* main, which covers 0x1000f1 too */
	s = symtab_lookup(&t, 0x1000f1, &hint);
	assert_string_equal(s->name, "mvm_catch_17");
	symtab_free(&t);
}

static void expect_bad(const char *text, const char *needle)
{
	struct errbuf err = { "" };
	struct symtab t;

	if (symtab_parse(&t, text, strlen(text), &err))
		fail_msg("'%s' parsed", text);
	if (!strstr(err.msg, needle))
		fail_msg("'%s': wanted '%s' in the error, got '%s'", text, needle, err.msg);
	assert_null(t.sym);
}

static void bad_lines_name_their_number(void **state)
{
	(void)state;
	expect_bad("0000000000100030 T _start\nnot a symbol\n", "line 2 ");
	expect_bad("zz T name\n", "line 1 ");
	expect_bad("0000000000100030 0000000000000004 TT name\n", "line 1 ");
	expect_bad("00000000001000300 T too_long\n", "line 1 ");
	expect_bad("0000000000100030 T\n", "line 1 ");
	expect_bad("1 2 T a b\n", "line 1 ");
	expect_bad("0000000000100030 T quo\"te\n", "line 1 ");
	expect_bad("0000000000100030 T \xe9t\xe9\n", "line 1 ");
}

static void empty_file_has_no_symbols(void **state)
{
	struct symtab t;

	(void)state;
	parse_ok(&t, "");
	assert_int_equal(t.n, 0);
	expect_name(&t, 0x100000, "");
	symtab_free(&t);
}

static void format_truncates_and_terminates(void **state)
{
	struct symbol s = { 0x1000, 0x100, "a_long_name", 11 };
	char buf[8];

	(void)state;
	assert_int_equal(symbol_format(&s, 0x1010, buf, sizeof(buf)), 7);
	assert_string_equal(buf, "a_long_");
	assert_int_equal(symbol_format(NULL, 0x1010, buf, sizeof(buf)), 0);
}

static void load_missing_and_real_file(void **state)
{
	struct errbuf err = { "" };
	struct symtab t;

	(void)state;
	assert_int_equal(symtab_load(&t, "build/tests/no-such.sym", &err), -ENOENT);
	assert_non_null(strstr(err.msg, "build/tests/no-such.sym"));
	spit("build/tests/bad.sym", "garbage\n", 8);
	assert_int_equal(symtab_load(&t, "build/tests/bad.sym", &err), -EINVAL);
	assert_non_null(strstr(err.msg, "symbol file build/tests/bad.sym: line 1 "));
	spit("build/tests/good.sym", nm_text, sizeof(nm_text) - 1);
	assert_int_equal(symtab_load(&t, "build/tests/good.sym", &err), 0);
	expect_name(&t, 0x100052, "main+0x2");
	symtab_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_and_offsets),
		cmocka_unit_test(overlap_does_not_depend_on_the_hint),
		cmocka_unit_test(outside_every_symbol),
		cmocka_unit_test(labels_end_at_next_symbol),
		cmocka_unit_test(first_of_a_tie),
		cmocka_unit_test(any_order),
		cmocka_unit_test(hint_is_tried_first_and_kept),
		cmocka_unit_test(bad_lines_name_their_number),
		cmocka_unit_test(empty_file_has_no_symbols),
		cmocka_unit_test(format_truncates_and_terminates),
		cmocka_unit_test(load_missing_and_real_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
