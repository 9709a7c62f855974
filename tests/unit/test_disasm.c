/* SPDX-License-Identifier: MIT */
/* test_disasm.c - instruction decoding: objdump's output parsed, the cache, the hex fallback. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "disasm.h"
#include "trace_text.h"

/* What objdump -D -b binary -m i386:x86-64 prints for 8b0510000000. */
static const char objdump_out[] = "\n/tmp/minivmm-insn-abc:     file format binary\n\n\n"
				  "Disassembly of section .data:\n\n"
				  "0000000000000000 <.data>:\n"
				  "   0:\t8b 05 10 00 00 00    \t"
				  "mov    0x10(%rip),%eax        # 0x16\n";

static void parses_objdump_output(void **state)
{
	char out[DISASM_TEXT];

	(void)state;
	assert_true(disasm_parse_objdump(objdump_out, out, sizeof(out)));
	assert_string_equal(out, "mov 0x10(%rip),%eax");
	assert_false(disasm_parse_objdump("   0:\t0f                   \t.byte 0xf\n", out,
					  sizeof(out)));
	assert_false(disasm_parse_objdump("   0:\tff ff\t(bad)  \n", out, sizeof(out)));
	assert_false(disasm_parse_objdump("objdump: can't disassemble\n", out, sizeof(out)));
}

static void modes_to_architectures(void **state)
{
	(void)state;
	assert_int_equal(disasm_arch_of_mode("real", 4), DISASM_I8086);
	assert_int_equal(disasm_arch_of_mode("prot16", 6), DISASM_I8086);
	assert_int_equal(disasm_arch_of_mode("prot32", 6), DISASM_I386);
	assert_int_equal(disasm_arch_of_mode("pae", 3), DISASM_I386);
	assert_int_equal(disasm_arch_of_mode("prot64", 6), DISASM_X86_64);
	assert_int_equal(disasm_arch_of_mode("la57", 4), DISASM_X86_64);
	assert_int_equal(disasm_arch_of_mode("prot", 4), -1);
}

static int have_objdump(void)
{
	return system("objdump --version >/dev/null 2>&1") == 0;
}

/* The same bytes in the same mode fork objdump once. */
static void decodes_and_caches(void **state)
{
	static const uint8_t mov[] = { 0x48, 0x89, 0x03 };
	struct disasm *d = calloc(1, sizeof(*d));
	const char *text;

	(void)state;
	assert_non_null(d);
	if (!have_objdump()) {
		free(d);
		skip();
	}
	unsetenv("MVM_OBJDUMP");
	assert_true(disasm_insn(d, DISASM_X86_64, mov, sizeof(mov), &text));
	assert_string_equal(text, "mov %rax,(%rbx)");
	assert_true(disasm_insn(d, DISASM_X86_64, mov, sizeof(mov), &text));
	assert_int_equal(d->forks, 1);
	/* 16-bit: the same bytes are another instruction. */
	assert_true(disasm_insn(d, DISASM_I8086, mov, 2, &text));
	assert_string_equal(text, "dec %ax");
	assert_int_equal(d->forks, 2);
	free(d);
}

/* Without objdump: no decoding, the hex stays, and objdump is tried once. */
static void no_objdump_keeps_hex(void **state)
{
	static const char line[] = "{\"seq\":1,\"vcpu\":0,\"type\":\"exit\",\"exit\":\"INTERNAL_"
				   "ERROR\","
				   "\"rip\":\"0x1000\",\"insn\":\"488903\"}";
	struct disasm *d = calloc(1, sizeof(*d));
	struct errbuf err = { "" };
	struct text_ctx c;
	struct trace_rec r;
	char out[1024];
	size_t n;

	(void)state;
	assert_non_null(d);
	setenv("MVM_OBJDUMP", "/nonexistent/objdump", 1);
	assert_true(trace_parse_line(line, strlen(line), 1, &r, &err));
	text_ctx_init(&c, d);
	c.header_arch = DISASM_X86_64;
	n = trace_text(&c, &r, out, sizeof(out) - 1, &err);
	assert_true(n > 0 && n < sizeof(out));
	out[n] = '\0';
	assert_non_null(strstr(out, " insn=488903\n"));
	assert_true(d->no_objdump);
	n = trace_text(&c, &r, out, sizeof(out) - 1, &err);
	assert_int_equal(d->forks, 1);
	unsetenv("MVM_OBJDUMP");
	trace_rec_free(&r);
	free(d);
}

/* kvm_emulate_insn names its mode; the INTERNAL_ERROR after it uses that
 * mode; a relative branch's target is from the record's rip. */
static void decoded_in_the_records_mode(void **state)
{
	static const char *const lines[] = {
		"{\"type\":\"trace\",\"version\":1,\"mode\":\"long\"}",
		"{\"seq\":1,\"vcpu\":0,\"type\":\"kevent\",\"event\":\"kvm_emulate_insn\",\"insn\":"
		"\"89d8\",\"mode\":\"prot32\"}",
		"{\"seq\":1,\"vcpu\":0,\"type\":\"exit\",\"exit\":\"INTERNAL_ERROR\",\"insn\":"
		"\"89d8\"}",
	};
	static const char *const want[] = {
		NULL,
		"insn=89d8 (mov %ebx,%eax) mode=prot32\n",
		"insn=89d8 (mov %ebx,%eax)\n",
		"insn=75c3 (jne 0x101070) mode=prot64\n",
	};
	struct disasm *d = calloc(1, sizeof(*d));
	struct text_ctx c;

	(void)state;
	assert_non_null(d);
	if (!have_objdump()) {
		free(d);
		skip();
	}
	text_ctx_init(&c, d);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct errbuf err = { "" };
		struct trace_rec r;
		char out[1024];
		size_t n;

		assert_true(trace_parse_line(lines[i], strlen(lines[i]), i + 1, &r, &err));
		n = trace_text(&c, &r, out, sizeof(out) - 1, &err);
		assert_true(n > 0 && n < sizeof(out));
		out[n] = '\0';
		if (want[i] && !strstr(out, want[i]))
			fail_msg("line %zu: wanted '%s' in '%s'", i + 1, want[i], out);
		trace_rec_free(&r);
	}
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_objdump_output),
		cmocka_unit_test(modes_to_architectures),
		cmocka_unit_test(decodes_and_caches),
		cmocka_unit_test(no_objdump_keeps_hex),
		cmocka_unit_test(decoded_in_the_records_mode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
