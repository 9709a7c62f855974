/* SPDX-License-Identifier: MIT */
/* test_ktrace_render.c - kevent records rendered in place give rec_encode()'s bytes, or none. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ktrace.h"
#include "ktrace_fields.h"
#include "ktrace_render.h"
#include "machine.h"
#include "names.h"
#include "record.h"
#include "symbols.h"
#include "tracefs.h"
#include "tp_formats.h"
#include "util.h"
#include "vcpu.h"

/* clang-format off */
static const char kvm_exit_fields[] = TP_KVM_EXIT_FIELDS;

/* A kprobe event's: its own address, then fetch arguments. */
static const char kprobe_fields[] =
	"\tfield:unsigned long __probe_ip;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:u32 type;\toffset:16;\tsize:4;\tsigned:0;\n"
	"\tfield:s16 delta;\toffset:20;\tsize:2;\tsigned:1;\n";
/* clang-format on */

static const char nm_text[] = "0000000000100030 T _start\n"
			      "0000000000100050 0000000000000013 T main\n"
			      "0000000000100070 0000000000000010 T "
			      "a_function_whose_name_is_far_longer_than_anything_a_trace_should_"
			      "carry_in_one_record_because_a_bound_must_hold_for_every_symbol_"
			      "a_payload_may_have_and_this_one_runs_past_two_hundred_bytes_"
			      "of_name_which_is_enough\n";

static struct symtab syms;

static int setup(void **state)
{
	struct errbuf err = { "" };

	(void)state;
	if (!symtab_parse(&syms, nm_text, strlen(nm_text), &err))
		fail_msg("symbols: %s", err.msg);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	symtab_free(&syms);
	return 0;
}

static struct ktrace_event *resolved(struct ktrace_event *e, const char *name, const char *fields,
				     const char *kfunc)
{
	char text[4096];
	struct errbuf err = { "" };

	memset(e, 0, sizeof(*e));
	snprintf(text, sizeof(text), "name: %s\nID: 42\n%s%s\nprint fmt: \"x\"\n", name,
		 common_fields, fields);
	if (!tp_format_parse(text, &e->fmt, &err))
		fail_msg("format of %s: %s", name, err.msg);
	e->kfunc = kfunc;
	ktrace_resolve_fields(e);
	return e;
}

/* The generic record of a sample, encoded; its length. */
static size_t generic(const struct ktrace_event *e, enum rec_format fmt, uint64_t seq,
		      int64_t ktime, const uint8_t *raw, size_t len, char *out, size_t cap)
{
	static struct machine m;
	struct vcpu v = { .id = 3, .seq = seq, .m = &m };
	struct record r;

	m.syms = &syms;
	ktrace_add_sample(&r, &v, e, ktime, raw, len);
	return rec_encode(&r, fmt, out, cap);
}

/* Renders a sample in place: its length, 0 for the generic path. */
static size_t rendered(struct ktrace_event *e, enum rec_format fmt, uint64_t seq, int64_t ktime,
		       const uint8_t *raw, size_t len, char *out)
{
	char head[KTRACE_HEAD_MAX];
	size_t hint = 0, hn;

	ktrace_render_prepare(e, fmt);
	hn = ktrace_render_head(head, fmt, seq, 3);
	assert_true(hn <= sizeof(head));
	return ktrace_render(e, fmt, head, hn, ktime, raw, len, &syms, &hint, out);
}

/* Both ways, both formats: the same bytes. */
static void expect_same(struct ktrace_event *e, uint64_t seq, int64_t ktime, const uint8_t *raw,
			size_t len)
{
	static char a[KTRACE_RENDER_MAX + 1], b[KTRACE_RENDER_MAX + 1];

	for (int fmt = REC_TEXT; fmt <= REC_JSONL; fmt++) {
		size_t na = generic(e, fmt, seq, ktime, raw, len, a, sizeof(a) - 1);
		size_t nb = rendered(e, fmt, seq, ktime, raw, len, b);

		assert_true(na > 0 && na < sizeof(a));
		if (nb == 0)
			fail_msg("%s: not rendered (%d)", e->fmt.name, fmt);
		a[na] = b[nb] = '\0';
		if (na != nb || memcmp(a, b, na))
			fail_msg("%s seq %llu:\ngeneric  %srendered %s", e->fmt.name,
				 (unsigned long long)seq, a, b);
	}
}

static void put(uint8_t *raw, uint32_t off, uint64_t v, size_t size)
{
	memcpy(raw + off, &v, size); /* little-endian, as the kernel writes it */
}

/* Exit names (VMX, SVM, SVM's 32-bit INVALID), RIPs at, in and outside symbols. */
static void kvm_exit_names_and_symbols(void **state)
{
	static struct ktrace_event e;
	const uint64_t rips[] = { 0x100050, 0x100059, 0x100030, 0x200000, 0 };
	const struct {
		uint32_t isa, reason;
	} exits[] = { { 1, 30 },	 { 1, 48 },	    { 1, 0x80000021 },
		      { 1, 0xffff },	 { 2, 0x7b },	    { 2, 0x400 },
		      { 2, 0xffffffff }, { 2, 0xfffffffe }, { 3, 1 } };

	(void)state;
	resolved(&e, "kvm_exit", kvm_exit_fields, NULL);
	for (size_t i = 0; i < ARRAY_SIZE(exits); i++) {
		for (size_t j = 0; j < ARRAY_SIZE(rips); j++) {
			uint8_t raw[60] = { 0 };

			put(raw, 8, exits[i].reason, 4);
			put(raw, 16, rips[j], 8);
			put(raw, 24, exits[i].isa, 4);
			put(raw, 32, 0xfee00300ULL, 8);
			put(raw, 56, 1, 4);
			expect_same(&e, 1 + i * 1000 + j * 99999, 123456789, raw, sizeof(raw));
		}
	}
}

/* Every seq width, both sides of six columns; a ktime before the start. */
static void heads_and_times(void **state)
{
	static struct ktrace_event e;
	const uint64_t seqs[] = { 0, 1, 9, 10, 99999, 100000, 999999, 1000000, UINT64_MAX };
	uint8_t raw[32] = { 0 };

	(void)state;
	resolved(&e, "kvm_mmio", kvm_mmio_fields, NULL);
	put(raw, 8, 1, 4);
	put(raw, 12, 4, 4);
	put(raw, 16, 0xfed00000, 8);
	for (size_t i = 0; i < ARRAY_SIZE(seqs); i++) {
		expect_same(&e, seqs[i], 0, raw, sizeof(raw));
		expect_same(&e, seqs[i], -77, raw, sizeof(raw));
		expect_same(&e, seqs[i], INT64_MAX, raw, sizeof(raw));
	}
}

/* Strings that need escaping, bytes, signed values, modes with and without names. */
static void emulate_strings_and_bytes(void **state)
{
	static struct ktrace_event e;
	uint8_t raw[80] = { 0 };
	const int32_t minus = -2147483647 - 1;

	(void)state;
	resolved(&e, "kvm_emulate_insn", emulate_fields, NULL);
	put(raw, 8, 0x100052, 8);
	raw[20] = 3;
	memcpy(raw + 21, "\x0f\xa2\x90", 3);
	memcpy(raw + 40, &minus, 4);
	put(raw, 44, 12u << 16 | 56, 4);
	memcpy(raw + 56, "a\"b\\c\n\t\x01\x7f\xffz", 12);
	for (uint8_t mode = 0; mode < 12; mode++) {
		raw[36] = mode;
		expect_same(&e, 7, 1, raw, sizeof(raw));
	}
	raw[20] = 15; /* the whole array */
	expect_same(&e, 7, 1, raw, sizeof(raw));
	put(raw, 44, 40u << 16 | 56, 4); /* the string runs past the sample: its number */
	expect_same(&e, 7, 1, raw, sizeof(raw));
	/* Cut short: the fields past its end are left out, both ways. */
	for (size_t len = 0; len <= sizeof(raw); len++)
		expect_same(&e, 7, 1, raw, len);
}

/* A kprobe: a kfunc, a taken key, a signed 16-bit argument. */
static void kprobe_kfunc(void **state)
{
	static struct ktrace_event e;
	uint8_t raw[24] = { 0 };

	(void)state;
	resolved(&e, "p_x", kprobe_fields, "x86_emulate_instruction");
	put(raw, 8, 0xffffffff81234567ULL, 8);
	put(raw, 16, 0x20, 4);
	put(raw, 20, 0x8000, 2);
	expect_same(&e, 12, 5, raw, sizeof(raw));
}

/* Random samples of every fixture: whatever the bytes, the same record. */
static void random_samples(void **state)
{
	static struct ktrace_event ev[4];
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	uint8_t raw[80];

	(void)state;
	resolved(&ev[0], "kvm_exit", kvm_exit_fields, NULL);
	resolved(&ev[1], "kvm_emulate_insn", emulate_fields, NULL);
	resolved(&ev[2], "kvm_mmio", kvm_mmio_fields, NULL);
	resolved(&ev[3], "p_y", kprobe_fields, "handle_io");
	for (int round = 0; round < 4000; round++) {
		size_t len;

		for (size_t i = 0; i < sizeof(raw); i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			raw[i] = (uint8_t)(x >> 24);
		}
		/* Small values often: exit reasons, isas, lengths that fit. */
		if (round & 1) {
			raw[24] = raw[24] & 3, raw[25] = raw[26] = raw[27] = 0;
			raw[20] &= 15;
			raw[36] &= 15;
			put(raw, 16, 0x100030 + (x & 0x7f), 8);
		}
		len = round % 5 ? sizeof(raw) : (size_t)(x % sizeof(raw));
		expect_same(&ev[round % 4], x & 0xffffff, (int64_t)(x >> 8), raw, len);
	}
}

/* What must take the generic path: a symbol too long, too many fields, a name. */
static void generic_path_when_needed(void **state)
{
	static struct ktrace_event e;
	char fields[4096], out[KTRACE_RENDER_MAX], *p = fields;
	uint8_t raw[200] = { 0 };

	(void)state;
	resolved(&e, "kvm_exit", kvm_exit_fields, NULL);
	put(raw, 16, 0x100071, 8); /* in the long symbol */
	assert_int_equal(rendered(&e, REC_TEXT, 1, 0, raw, 60, out), 0);
	put(raw, 16, 0x100051, 8);
	assert_true(rendered(&e, REC_TEXT, 1, 0, raw, 60, out) > 0);
	/* 24 fields: with name, ktime_ns and names more than a record holds. */
	for (int i = 0; i < TP_FIELDS_MAX; i++)
		p += sprintf(p, "\tfield:u32 f%d;\toffset:%d;\tsize:4;\tsigned:0;\n", i, 8 + 4 * i);
	resolved(&e, "many", fields, NULL);
	ktrace_render_prepare(&e, REC_TEXT);
	assert_false(e.fast);
	assert_int_equal(rendered(&e, REC_JSONL, 1, 0, raw, sizeof(raw), out), 0);
	/* A name JSON would escape. */
	resolved(&e, "kvm_mmio", kvm_mmio_fields, "we\"ird");
	ktrace_render_prepare(&e, REC_JSONL);
	assert_false(e.fast);
}

/* The names rendered unescaped must be words. */
static void exit_names_are_words(void **state)
{
	(void)state;
	for (uint32_t r = 0; r <= 0xffff; r++) {
		const char *v = vmx_exit_name(r), *s = svm_exit_name(r);

		assert_true(!v || (word_safe(v, strlen(v)) && strlen(v) <= 48));
		assert_true(!s || (word_safe(s, strlen(s)) && strlen(s) <= 48));
	}
	for (uint64_t c = 0xfffffffffffffff0ULL; c != 0; c++) {
		const char *s = svm_exit_name(c);

		assert_true(!s || (word_safe(s, strlen(s)) && strlen(s) <= 48));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kvm_exit_names_and_symbols),
		cmocka_unit_test(heads_and_times),
		cmocka_unit_test(emulate_strings_and_bytes),
		cmocka_unit_test(kprobe_kfunc),
		cmocka_unit_test(random_samples),
		cmocka_unit_test(generic_path_when_needed),
		cmocka_unit_test(exit_names_are_words),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
