/* SPDX-License-Identifier: MIT */
/* test_cli.c - `minivmm run` option parsing, and parse_size/parse_u64 at their edges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"
#include "minivmm_abi.h"

/* Parses { "run", args..., NULL }; the array is writable as getopt may permute it. */
#define PARSE(c, err, ...) parse((char *[]){ "run", __VA_ARGS__, NULL }, (c), (err))
#define PARSE0(c, err)	   parse((char *[]){ "run", NULL }, (c), (err))

static bool parse(char **argv, struct cli_run *c, struct errbuf *err)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	err->msg[0] = '\0';
	return cli_parse_run(argc, argv, c, err);
}

static void expect_ok(bool ok, const struct errbuf *err)
{
	if (!ok)
		fail_msg("wanted success, got '%s'", err->msg);
}

static void expect_error(bool ok, const struct errbuf *err, const char *want)
{
	if (ok)
		fail_msg("wanted an error containing '%s', got success", want);
	if (!strstr(err->msg, want))
		fail_msg("wanted an error containing '%s', got '%s'", want, err->msg);
}

static void payload_only_defaults(void **state)
{
	struct cli_run c;
	struct errbuf err;

	expect_ok(PARSE(&c, &err, "guest.bin"), &err);
	assert_string_equal(c.payload, "guest.bin");
	assert_int_equal(c.ov.mode, -1);
	assert_false(c.ov.has_load);
	assert_false(c.ov.has_entry);
	assert_false(c.ov.has_mem);
	assert_null(c.opt.trace_path);
	assert_int_equal(c.opt.format, REC_TEXT);
	assert_false(c.opt.timing);
	assert_false(c.opt.quiet);
	assert_false(c.opt.no_exit_records);
	assert_true(c.opt.timeout == 0);
	assert_int_equal(c.opt.max_exits, 0);
	assert_int_equal(c.help, 0);
	assert_null(c.opt.symbols);
	(void)state;
}

static void every_option(void **state)
{
	struct cli_run c;
	struct errbuf err;

	expect_ok(PARSE(&c, &err, "--mode", "pae", "--load", "0x200000", "--entry", "2097216",
			"--mem", "64M", "--trace", "/tmp/t.trace", "--format", "jsonl", "--timing",
			"--timeout", "2.5", "--max-exits", "1000", "--quiet", "--no-exit-records",
			"guest.bin"),
		  &err);
	assert_string_equal(c.payload, "guest.bin");
	assert_int_equal(c.ov.mode, MVM_MODE_PAE);
	assert_true(c.ov.has_load);
	assert_int_equal(c.ov.load, 0x200000);
	assert_true(c.ov.has_entry);
	assert_int_equal(c.ov.entry, 2097216);
	assert_true(c.ov.has_mem);
	assert_int_equal(c.ov.mem, 64ULL << 20);
	assert_string_equal(c.opt.trace_path, "/tmp/t.trace");
	assert_int_equal(c.opt.format, REC_JSONL);
	assert_true(c.opt.timing);
	assert_true(c.opt.timeout == 2.5);
	assert_int_equal(c.opt.max_exits, 1000);
	assert_true(c.opt.quiet);
	assert_true(c.opt.no_exit_records);
	(void)state;
}

static void options_after_payload(void **state)
{
	struct cli_run c;
	struct errbuf err;

	expect_ok(PARSE(&c, &err, "guest.bin", "--mode=long", "--mem", "512K", "--quiet"), &err);
	assert_string_equal(c.payload, "guest.bin");
	assert_int_equal(c.ov.mode, MVM_MODE_LONG);
	assert_int_equal(c.ov.mem, 512ULL << 10);
	assert_true(c.opt.quiet);
	expect_ok(PARSE(&c, &err, "--timing", "guest.bin", "--format", "text"), &err);
	assert_string_equal(c.payload, "guest.bin");
	assert_int_equal(c.opt.format, REC_TEXT);
	assert_true(c.opt.timing);
	(void)state;
}

static void symbols_option_and_default(void **state)
{
	struct cli_run c;
	struct errbuf err;
	char buf[32];

	expect_ok(PARSE(&c, &err, "guest.bin", "--symbols", "g.sym"), &err);
	assert_string_equal(c.opt.symbols, "g.sym");
	expect_error(PARSE(&c, &err, "guest.bin", "--symbols"), &err, "--symbols needs a value");
	assert_true(cli_symbols_beside("tests/guest_hlt.bin", buf, sizeof(buf)));
	assert_string_equal(buf, "tests/guest_hlt.sym");
	assert_true(cli_symbols_beside(".bin", buf, sizeof(buf)));
	assert_string_equal(buf, ".sym");
	assert_false(cli_symbols_beside("guest.img", buf, sizeof(buf)));
	assert_false(cli_symbols_beside("bin", buf, sizeof(buf)));
	assert_false(cli_symbols_beside("a/path/past/the/buffer/guest.bin", buf, sizeof(buf)));
	(void)state;
}

static void every_mode_name(void **state)
{
	static const char *const names[] = { "real", "prot32", "paging32", "pae", "long", "la57" };
	struct cli_run c;
	struct errbuf err;

	for (int mode = 0; mode < MVM_MODE_COUNT; mode++) {
		expect_ok(PARSE(&c, &err, "--mode", (char *)names[mode], "g.bin"), &err);
		assert_int_equal(c.ov.mode, mode);
	}
	(void)state;
}

static void mem_suffixes(void **state)
{
	struct cli_run c;
	struct errbuf err;

	expect_ok(PARSE(&c, &err, "--mem", "4096K", "g.bin"), &err);
	assert_int_equal(c.ov.mem, 4ULL << 20);
	expect_ok(PARSE(&c, &err, "--mem", "1G", "g.bin"), &err);
	assert_int_equal(c.ov.mem, 1ULL << 30);
	expect_ok(PARSE(&c, &err, "--mem", "2m", "g.bin"), &err);
	assert_int_equal(c.ov.mem, 2ULL << 20);
	expect_ok(PARSE(&c, &err, "--mem", "0x100000", "g.bin"), &err);
	assert_int_equal(c.ov.mem, 0x100000);
	(void)state;
}

static void help_needs_no_payload(void **state)
{
	struct cli_run c;
	struct errbuf err;

	expect_ok(PARSE(&c, &err, "--help"), &err);
	assert_int_equal(c.help, 1);
	expect_ok(PARSE(&c, &err, "-h"), &err);
	assert_int_equal(c.help, 1);
	(void)state;
}

static void payload_errors(void **state)
{
	struct cli_run c;
	struct errbuf err;

	expect_error(PARSE0(&c, &err), &err, "no payload");
	expect_error(PARSE(&c, &err, "--quiet"), &err, "no payload");
	expect_error(PARSE(&c, &err, "a.bin", "b.bin"), &err, "'b.bin'");
	expect_error(PARSE(&c, &err, "a.bin", "--quiet", "b.bin"), &err, "unexpected");
	(void)state;
}

static void option_errors(void **state)
{
	struct cli_run c;
	struct errbuf err;

	expect_error(PARSE(&c, &err, "--bogus", "g.bin"), &err, "unknown option --bogus");
	expect_error(PARSE(&c, &err, "-x", "g.bin"), &err, "unknown option -x");
	expect_error(PARSE(&c, &err, "-xy", "g.bin"), &err, "unknown option -x");
	/* The nearest option is suggested, with or without a value attached. */
	expect_error(PARSE(&c, &err, "--tiemout", "5", "g.bin"), &err,
		     "unknown option --tiemout (did you mean --timeout?)");
	expect_error(PARSE(&c, &err, "--fromat=jsonl", "g.bin"), &err,
		     "unknown option --fromat (did you mean --format?)");
	expect_error(PARSE(&c, &err, "--bogus", "g.bin"), &err, "(see minivmm run --help)");
	expect_error(PARSE(&c, &err, "--timeout", "1e-10", "g.bin"), &err, "below 1 microsecond");
	expect_error(PARSE(&c, &err, "--timeout", " 1", "g.bin"), &err, "is not a positive number");
	expect_error(PARSE(&c, &err, "g.bin", "--mode"), &err, "--mode needs a value");
	expect_error(PARSE(&c, &err, "g.bin", "--trace"), &err, "--trace needs a value");
	expect_error(PARSE(&c, &err, "--quiet=1", "g.bin"), &err, "--quiet");
	expect_error(PARSE(&c, &err, "--kstack", "g.bin"), &err, "--kstack needs --kprobe");
	/* A power of two out of range is said to be out of range, not "not a power". */
	expect_error(PARSE(&c, &err, "--dirty", "ring", "--dirty-ring-size", "8K", "g.bin"), &err,
		     "'8K' is outside 16K to 1G");
	expect_error(PARSE(&c, &err, "--dirty", "ring", "--dirty-ring-size", "24K", "g.bin"), &err,
		     "'24K' is not a power of two");
	expect_error(PARSE(&c, &err, "--kprobe-count", "g.bin"), &err,
		     "--kprobe-count needs --kprobe");
	assert_true(PARSE(&c, &err, "--kprobe-count", "--kprobe", "f x=%di", "g.bin"));
	assert_true(c.opt.kprobe_count);
	(void)state;
}

static void value_errors(void **state)
{
	struct cli_run c;
	struct errbuf err;

	expect_error(PARSE(&c, &err, "--mode", "long64", "g.bin"), &err, "--mode");
	expect_error(PARSE(&c, &err, "--mode", "", "g.bin"), &err, "--mode");
	expect_error(PARSE(&c, &err, "--mem", "16Q", "g.bin"), &err, "--mem");
	expect_error(PARSE(&c, &err, "--mem", "M", "g.bin"), &err, "--mem");
	expect_error(PARSE(&c, &err, "--load", "0x", "g.bin"), &err, "--load");
	expect_error(PARSE(&c, &err, "--entry", "-1", "g.bin"), &err, "--entry");
	expect_error(PARSE(&c, &err, "--entry", "12ab", "g.bin"), &err, "--entry");
	expect_error(PARSE(&c, &err, "--format", "json", "g.bin"), &err, "--format");
	expect_error(PARSE(&c, &err, "--format", "", "g.bin"), &err, "--format");
	(void)state;
}

static void timeout_values(void **state)
{
	static const char *const bad[] = { "0",	 "0.0", "-1",  "-0.5", "abc",
					   "1s", "",	"nan", "inf",  "1e10" };
	struct cli_run c;
	struct errbuf err;

	expect_ok(PARSE(&c, &err, "--timeout", "0.25", "g.bin"), &err);
	assert_true(c.opt.timeout == 0.25);
	expect_ok(PARSE(&c, &err, "--timeout", "30", "g.bin"), &err);
	assert_true(c.opt.timeout == 30.0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_error(PARSE(&c, &err, "--timeout", (char *)bad[i], "g.bin"), &err,
			     "--timeout");
	(void)state;
}

static void max_exits_values(void **state)
{
	struct cli_run c;
	struct errbuf err;

	expect_ok(PARSE(&c, &err, "--max-exits", "1", "g.bin"), &err);
	assert_int_equal(c.opt.max_exits, 1);
	expect_ok(PARSE(&c, &err, "--max-exits", "0x10", "g.bin"), &err);
	assert_int_equal(c.opt.max_exits, 16);
	expect_error(PARSE(&c, &err, "--max-exits", "0", "g.bin"), &err, "--max-exits");
	expect_error(PARSE(&c, &err, "--max-exits", "-3", "g.bin"), &err, "--max-exits");
	expect_error(PARSE(&c, &err, "--max-exits", "ten", "g.bin"), &err, "--max-exits");
	(void)state;
}

/* No N steps the whole run; "--singlestep N" is not N: the value is optional. */
static void singlestep_values(void **state)
{
	struct cli_run c;
	struct errbuf err;

	expect_ok(PARSE(&c, &err, "g.bin"), &err);
	assert_false(c.opt.singlestep);
	expect_ok(PARSE(&c, &err, "--singlestep", "g.bin"), &err);
	assert_true(c.opt.singlestep);
	assert_int_equal(c.opt.singlestep_max, 0);
	expect_ok(PARSE(&c, &err, "--singlestep=64", "g.bin"), &err);
	assert_true(c.opt.singlestep);
	assert_int_equal(c.opt.singlestep_max, 64);
	expect_error(PARSE(&c, &err, "--singlestep", "64", "g.bin"), &err, "unexpected argument");
	expect_error(PARSE(&c, &err, "--singlestep=0", "g.bin"), &err, "--singlestep");
	expect_error(PARSE(&c, &err, "--singlestep=", "g.bin"), &err, "--singlestep");
	expect_error(PARSE(&c, &err, "--singlestep=x", "g.bin"), &err, "--singlestep");
	(void)state;
}

static void expect_size(const char *s, bool ok, uint64_t want)
{
	uint64_t got = 0xdeadbeef;
	bool r = parse_size(s, &got);

	if (r != ok)
		fail_msg("parse_size(\"%s\"): wanted %s, got %s (0x%llx)", s,
			 ok ? "success" : "failure", r ? "success" : "failure",
			 (unsigned long long)got);
	if (ok && got != want)
		fail_msg("parse_size(\"%s\"): wanted 0x%llx, got 0x%llx", s,
			 (unsigned long long)want, (unsigned long long)got);
}

static void expect_u64(const char *s, bool ok, uint64_t want)
{
	uint64_t got = 0xdeadbeef;
	bool r = parse_u64(s, &got);

	if (r != ok)
		fail_msg("parse_u64(\"%s\"): wanted %s, got %s (0x%llx)", s,
			 ok ? "success" : "failure", r ? "success" : "failure",
			 (unsigned long long)got);
	if (ok && got != want)
		fail_msg("parse_u64(\"%s\"): wanted 0x%llx, got 0x%llx", s,
			 (unsigned long long)want, (unsigned long long)got);
}

static void parse_size_edges(void **state)
{
	expect_size("0", true, 0);
	expect_size("4096", true, 4096);
	expect_size("1K", true, 1024);
	expect_size("1k", true, 1024);
	expect_size("3G", true, 3ULL << 30);
	expect_size("16T", true, 16ULL << 40);
	expect_size("0x10M", true, 16ULL << 20);
	expect_size("18446744073709551615", true, UINT64_MAX);
	expect_size("18446744073709551616", false, 0);
	expect_size("16777215T", true, 16777215ULL << 40); /* the largest T */
	expect_size("16777216T", false, 0);		   /* 2^64: the shift overflows */
	expect_size("17179869184G", false, 0);
	expect_size("0x3fffffffffffffK", true, 0xfffffffffffffc00ULL);
	expect_size("0x40000000000000K", false, 0);
	expect_size("16Q", false, 0);
	expect_size("16KB", false, 0);
	expect_size("K", false, 0);
	expect_size("", false, 0);
	expect_size("-1", false, 0);
	expect_size("+1", false, 0);
	(void)state;
}

static void parse_u64_edges(void **state)
{
	expect_u64("0", true, 0);
	expect_u64("1048576", true, 1048576);
	expect_u64("0x100000", true, 0x100000);
	expect_u64("0XfFfF", true, 0xffff);
	expect_u64("18446744073709551615", true, UINT64_MAX);
	expect_u64("0xffffffffffffffff", true, UINT64_MAX);
	expect_u64("18446744073709551616", false, 0);
	expect_u64("0x10000000000000000", false, 0);
	expect_u64("", false, 0);
	expect_u64("-1", false, 0);
	expect_u64("+1", false, 0);
	expect_u64("0x", false, 0);
	expect_u64("1M", false, 0);
	expect_u64("12 ", false, 0);
	expect_u64(NULL, false, 0);
	(void)state;
}

/* Leading blanks let strtoull take a sign the explicit '-' check never sees. */
static void parse_numbers_reject_hidden_sign(void **state)
{
	expect_u64(" -1", false, 0);
	expect_u64("\t-5", false, 0);
	expect_u64(" 1", false, 0);
	expect_size(" -1", false, 0);
	expect_size(" 1", false, 0);
	(void)state;
}

/* "decimal or 0x-hex": a leading zero is still decimal, not octal. */
static void parse_u64_leading_zero_is_decimal(void **state)
{
	expect_u64("010", true, 10);
	expect_u64("08", true, 8);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(payload_only_defaults),
		cmocka_unit_test(every_option),
		cmocka_unit_test(options_after_payload),
		cmocka_unit_test(symbols_option_and_default),
		cmocka_unit_test(every_mode_name),
		cmocka_unit_test(mem_suffixes),
		cmocka_unit_test(help_needs_no_payload),
		cmocka_unit_test(payload_errors),
		cmocka_unit_test(option_errors),
		cmocka_unit_test(value_errors),
		cmocka_unit_test(timeout_values),
		cmocka_unit_test(max_exits_values),
		cmocka_unit_test(singlestep_values),
		cmocka_unit_test(parse_size_edges),
		cmocka_unit_test(parse_u64_edges),
		cmocka_unit_test(parse_numbers_reject_hidden_sign),
		cmocka_unit_test(parse_u64_leading_zero_is_decimal),
	};

	return cmocka_run_group_tests_name("test_cli", tests, NULL, NULL);
}
