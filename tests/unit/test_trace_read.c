/* SPDX-License-Identifier: MIT */
/* test_trace_read.c - the JSON Lines reader, and text rendering of what it read back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "record.h"
#include "trace_args.h"
#include "trace_read.h"
#include "trace_text.h"

static void parse_ok(const char *line, struct trace_rec *r)
{
	struct errbuf err = { "" };

	if (!trace_parse_line(line, strlen(line), 7, r, &err))
		fail_msg("wanted a record from %s, got error: %s", line, err.msg);
}

static void numbered_exit_record(void **state)
{
	struct trace_rec r;
	const struct trace_field *f;

	(void)state;
	parse_ok("{\"seq\":24,\"vcpu\":1,\"type\":\"exit\",\"exit\":\"IO\",\"rip\":\"0x10064d\","
		 "\"size\":4,\"delta\":-42}",
		 &r);
	assert_int_equal(r.seq, 24);
	assert_int_equal(r.vcpu, 1);
	assert_string_equal(r.kind, "exit");
	assert_string_equal(r.exit_name, "IO");
	assert_int_equal(r.line, 7);
	assert_int_equal(r.n, 3);
	assert_true(trace_field_is(trace_field(&r, "rip"), "0x10064d"));
	f = trace_field(&r, "size");
	assert_non_null(f);
	assert_int_equal(f->type, TV_NUM);
	assert_int_equal(f->u, 4);
	f = trace_field(&r, "delta");
	assert_int_equal(f->type, TV_INT);
	assert_int_equal((int64_t)f->u, -42);
	trace_rec_free(&r);
}

/* vcpu_summary has a vcpu and an exit field, but is not numbered: only the
 * leading seq and vcpu number a record, only an exit record has a name. */
static void fields_named_like_the_frame(void **state)
{
	struct trace_rec r;

	(void)state;
	parse_ok("{\"type\":\"vcpu_summary\",\"vcpu\":1,\"exit\":\"IO\",\"count\":3}", &r);
	assert_int_equal(r.vcpu, REC_NO_VCPU);
	assert_null(r.exit_name);
	assert_string_equal(r.kind, "vcpu_summary");
	assert_int_equal(r.n, 3);
	assert_string_equal(r.f[0].key, "vcpu");
	trace_rec_free(&r);
}

static void escapes_give_the_guest_bytes(void **state)
{
	struct trace_rec r;
	const struct trace_field *f;

	(void)state;
	parse_ok("{\"seq\":9,\"vcpu\":0,\"type\":\"console\",\"text\":"
		 "\"a\\\"\\\\\\t\\u001b\\u00e9\\rz\"}",
		 &r);
	f = trace_field(&r, "text");
	assert_non_null(f);
	assert_int_equal(f->len, 8);
	assert_memory_equal(f->s, "a\"\\\t\x1b\xe9\rz", 8);
	trace_rec_free(&r);
}

static void page_runs_and_literals(void **state)
{
	struct trace_rec r;
	const struct trace_field *f;

	(void)state;
	parse_ok("{\"type\":\"x\",\"pages\":[[\"0xe0000000\",1],[\"0xe0020000\",8]],\"none\":[],"
		 "\"future\":true,\"ratio\":0.5}",
		 &r);
	f = trace_field(&r, "pages");
	assert_int_equal(f->type, TV_RUNS);
	assert_int_equal(f->len, 2);
	assert_int_equal(f->runs[1].first, 0xe0020);
	assert_int_equal(f->runs[1].count, 8);
	assert_int_equal(trace_field(&r, "none")->len, 0);
	f = trace_field(&r, "future");
	assert_int_equal(f->type, TV_LIT);
	assert_int_equal(f->len, 4);
	f = trace_field(&r, "ratio");
	assert_int_equal(f->type, TV_LIT);
	assert_memory_equal(f->s, "0.5", 3);
	trace_rec_free(&r);
}

/* Each malformed line gives one error that names the line and the column. */
static void malformed_lines(void **state)
{
	static const struct {
		const char *line, *needle;
	} bad[] = {
		{ "     1 vcpu0 HLT            rip=0x100061", "line 3, column 6: not a JSON "
							      "object" },
		{ "{\"type\":\"end\"", "line 3, column 14: expected ',' or '}'" },
		{ "{\"type\":\"end\",\"x\":\"abc}", "unterminated string" },
		{ "{\"type\":\"end\",\"x\":\"\\q\"}", "unknown escape" },
		{ "{\"type\":\"end\",\"x\":\"\\u00g1\"}", "four hex digits" },
		{ "{\"seq\":1,\"vcpu\":0,\"exit\":\"IO\"}", "no \"type\"" },
		{ "{\"type\":\"exit\",\"rip\":\"0x1\"}", "without its \"exit\"" },
		{ "{\"type\":\"end\"} x", "text after" },
		{ "{\"type\":\"end\",\"o\":{}}", "nested objects" },
		{ "{\"type\":\"dirty\",\"pages\":[[\"0x1001\",1]]}", "not a page's" },
		{ "", "not a JSON object" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct errbuf err = { "" };
		struct trace_rec r;

		if (trace_parse_line(bad[i].line, strlen(bad[i].line), 3, &r, &err))
			fail_msg("wanted an error for %s", bad[i].line);
		if (!strstr(err.msg, bad[i].needle) || strchr(err.msg, '\n'))
			fail_msg("%s: wanted one line with '%s', got '%s'", bad[i].line,
				 bad[i].needle, err.msg);
	}
}

/* The round trip: a record as JSON Lines, read back and rendered as text,
 * is the line the text encoding gives the same record. */
static void expect_round_trip(const struct record *rec)
{
	char json[2048], text[2048], back[2048];
	size_t nj = rec_encode(rec, REC_JSONL, json, sizeof(json));
	size_t nt = rec_encode(rec, REC_TEXT, text, sizeof(text));
	struct errbuf err = { "" };
	struct text_ctx c;
	struct trace_rec r;
	size_t nb;

	assert_true(nj < sizeof(json) && nt < sizeof(text));
	if (!trace_parse_line(json, nj - 1, 1, &r, &err))
		fail_msg("%.*s: %s", (int)nj, json, err.msg);
	text_ctx_init(&c, NULL);
	nb = trace_text(&c, &r, back, sizeof(back), &err);
	assert_true(nb > 0 && nb < sizeof(back));
	if (nb != nt || memcmp(back, text, nt))
		fail_msg("wanted\n%.*sgot\n%.*s", (int)nt, text, (int)nb, back);
	trace_rec_free(&r);
}

static void text_round_trip(void **state)
{
	static const char odd[] = "a\"b\\c\nd\te\rf\x01g\xffh";
	static const uint8_t insn[] = { 0x48, 0x89, 0x03 };
	static const struct page_run runs[] = { { 0, 1 }, { 0x20, 8 } };
	struct record rec;

	(void)state;
	rec_begin(&rec, 7, 0, "exit");
	rec.exit_name = "INTERNAL_ERROR";
	rec_hex(&rec, "rip", 0xc0000000);
	rec_u64(&rec, "suberror", 1);
	rec_word(&rec, "data", "0x0,0x1000");
	rec_bytes(&rec, "insn", insn, sizeof(insn));
	rec_i64(&rec, "delta", -3);
	expect_round_trip(&rec);
	rec_begin(&rec, 24, 0, "report");
	rec_word(&rec, "result", "PASS");
	rec_str(&rec, "msg", odd, sizeof(odd) - 1);
	expect_round_trip(&rec);
	rec_begin(&rec, 3, 0, "dirty");
	rec_runs(&rec, "pages", 0xe0000000, runs, 2);
	rec_runs(&rec, "empty", 0xe0000000, runs, 0);
	expect_round_trip(&rec);
	rec_begin(&rec, 0, REC_NO_VCPU, "ktrace_event");
	rec_word(&rec, "name", "kvm: kvm_mmio");
	expect_round_trip(&rec);
	rec_begin(&rec, 0, REC_NO_VCPU, "end");
	rec_word(&rec, "reason", "signal");
	rec_cstr(&rec, "detail", "Interrupt");
	expect_round_trip(&rec);
}

/* A field this reader does not know is kept; a sym after rip is shown
 * where symbols go in text. */
static void unknown_fields_tolerated(void **state)
{
	static const char line[] = "{\"seq\":1,\"vcpu\":0,\"type\":\"exit\",\"exit\":\"IO\","
				   "\"rip\":"
				   "\"0x100435\",\"sym\":\"mvm_outb+0x5\",\"new\":\"a b\"}";
	struct errbuf err = { "" };
	struct text_ctx c;
	struct trace_rec r;
	char out[1024];
	size_t n;

	(void)state;
	parse_ok(line, &r);
	text_ctx_init(&c, NULL);
	n = trace_text(&c, &r, out, sizeof(out), &err);
	assert_true(n > 0 && n < sizeof(out));
	out[n] = '\0';
	assert_string_equal(out, "     1 vcpu0 IO             rip=0x100435 <mvm_outb+0x5> new=\"a "
				 "b\"\n");
	trace_rec_free(&r);
}

/* Text writes types, exit names and keys bare and words unquoted: a control
 * byte in a key is refused, one in any string is quoted, never joined to rip. */
static void control_bytes_stay_on_the_line(void **state)
{
	static const char bad_key[] = "{\"type\":\"end\",\"reports_pa\x7fssed\":23}";
	static const char nl_word[] = "{\"seq\":1,\"vcpu\":0,\"type\":\"kevent\","
				      "\"event\":\"a\\nb\",\"rip\":\"0x1\",\"sym\":\"x\\ny\"}";
	struct errbuf err = { "" };
	struct text_ctx c;
	struct trace_rec r;
	char out[1024];
	size_t n;

	(void)state;
	text_ctx_init(&c, NULL);
	parse_ok(bad_key, &r);
	assert_int_equal(trace_text(&c, &r, out, sizeof(out), &err), 0);
	assert_non_null(strstr(err.msg, "a control character in a key"));
	trace_rec_free(&r);
	parse_ok(nl_word, &r);
	n = trace_text(&c, &r, out, sizeof(out), &err);
	assert_true(n > 0 && n < sizeof(out));
	out[n] = '\0';
	assert_non_null(strstr(out, " event=\"a\\nb\""));
	assert_non_null(strstr(out, " sym=\"x\\ny\""));
	assert_ptr_equal(strchr(out, '\n'), out + n - 1);
	trace_rec_free(&r);
}

/* diff and show leave out what the kernel wrote unless --kernel: every kind of it. */
static void kernel_kinds(void **state)
{
	static const char *const kernel[] = { "kevent", "kstat",  "ksummary", "ktrace_event",
					      "kfunc",	"kcount", "khist",    "kstack",
					      "ktrace_lost", "ktrace_full", "nested_state" };
	static const char *const guest[] = { "IO", "MMIO", "l2_exit", "dirty", "report", "end" };

	(void)state;
	for (size_t i = 0; i < sizeof(kernel) / sizeof(kernel[0]); i++)
		if (!trace_is_kernel_kind(kernel[i]))
			fail_msg("%s is not taken for a kernel record", kernel[i]);
	for (size_t i = 0; i < sizeof(guest) / sizeof(guest[0]); i++)
		assert_false(trace_is_kernel_kind(guest[i]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbered_exit_record),
		cmocka_unit_test(fields_named_like_the_frame),
		cmocka_unit_test(escapes_give_the_guest_bytes),
		cmocka_unit_test(page_runs_and_literals),
		cmocka_unit_test(malformed_lines),
		cmocka_unit_test(text_round_trip),
		cmocka_unit_test(unknown_fields_tolerated),
		cmocka_unit_test(control_bytes_stay_on_the_line),
		cmocka_unit_test(kernel_kinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
