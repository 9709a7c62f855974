/* SPDX-License-Identifier: MIT */
/* test_show.c - minivmm show, diff and replay on golden and fresh JSONL traces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "testutil.h"

#define OUT_DIR	     "build/tests/out"
#define GOLDEN_JSONL "tests/golden/guest_mmio.jsonl"
#define GOLDEN_TEXT  "tests/golden/guest_mmio.trace"

/* minivmm with the NULL-terminated args; stdout and stderr slurped into *out, *err. */
static int mvm(char **out, char **err, const char *const *args)
{
	char *argv[24] = { (char *)minivmm() };
	size_t len, n = 1;
	int s;

	while (*args && n < 23)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	s = run_argv(argv, OUT_DIR "/show.out", OUT_DIR "/show.err", NULL, 1);
	*out = slurp(OUT_DIR "/show.out", &len);
	*err = slurp(OUT_DIR "/show.err", &len);
	assert_non_null(*out);
	assert_non_null(*err);
	return s;
}

#define MVM(out, err, ...) mvm(out, err, (const char *const[]){ __VA_ARGS__, NULL })

/* minivmm with args gives exit 2 and a one-line error with needle in it. */
static void expect_refusal(const char *needle, const char *const *args)
{
	char *out, *err;
	int s = mvm(&out, &err, args);

	if (s != 2 || !strstr(err, needle) || strchr(err, '\n') != err + strlen(err) - 1)
		fail_msg("wanted exit 2 and one line with '%s', got %d: %s", needle, s, err);
	free(out);
	free(err);
}

#define REFUSED(needle, ...) expect_refusal(needle, (const char *const[]){ __VA_ARGS__, NULL })

/* The JSONL golden trace, shown, is the text golden trace of the same run. */
/* The goldens are normalized (testutil.h): so is what show makes of them. */
static char *show_normalized(const char *opt, char **err)
{
	char *out, *n;
	size_t len;

	if (opt)
		assert_int_equal(MVM(&out, err, "show", opt, GOLDEN_JSONL), 0);
	else
		assert_int_equal(MVM(&out, err, "show", GOLDEN_JSONL), 0);
	n = golden_normalize(out, &len);
	free(out);
	return n;
}

static void test_show_is_the_text_trace(void **state)
{
	size_t len;
	char *out, *err, *raw = slurp(GOLDEN_TEXT, &len), *want;

	(void)state;
	assert_non_null(raw);
	want = golden_normalize(raw, &len);
	free(raw);
	out = show_normalized(NULL, &err);
	if (strcmp(out, want))
		fail_msg("minivmm show %s differs from %s (see %s)", GOLDEN_JSONL, GOLDEN_TEXT,
			 OUT_DIR "/show.out");
	assert_string_equal(err, "");
	free(out);
	free(err);
	out = show_normalized("--no-decode", &err);
	assert_string_equal(out, want);
	free(out);
	free(err);
	free(want);
}

static void test_show_filters(void **state)
{
	char *out, *err;

	(void)state;
	assert_int_equal(MVM(&out, &err, "show", GOLDEN_JSONL, "--kind", "MMIO"), 0);
	assert_int_equal(count_lines(out, "", NULL), 43);
	assert_int_equal(count_lines(out, " vcpu0 MMIO ", NULL), 43);
	free(out);
	free(err);
	assert_int_equal(MVM(&out, &err, "show", GOLDEN_JSONL, "--kind", "report,guest_exit"), 0);
	assert_int_equal(count_lines(out, "", NULL), 24);
	free(out);
	free(err);
	/* seq 24 is an IO exit and its report; the frame stays around them. */
	assert_int_equal(MVM(&out, &err, "show", GOLDEN_JSONL, "--vcpu", "0", "--from", "24",
			     "--to", "24"),
			 0);
	assert_int_equal(count_lines(out, "    24 vcpu0 ", NULL), 2);
	assert_int_equal(count_lines(out, " vcpu0 ", NULL), 2);
	assert_non_null(find_line(out, "trace version=1 "));
	assert_non_null(find_line(out, "end reason=exit "));
	free(out);
	free(err);
	assert_int_equal(MVM(&out, &err, "show", GOLDEN_JSONL, "--vcpu", "1"), 0);
	assert_int_equal(count_lines(out, " vcpu0 ", NULL), 0);
	free(out);
	free(err);
}

static void test_show_refuses(void **state)
{
	size_t len;
	char *g = slurp(GOLDEN_JSONL, &len), *p = g;

	(void)state;
	assert_non_null(g);
	REFUSED("--format jsonl", "show", GOLDEN_TEXT);
	REFUSED("No such file", "show", OUT_DIR "/no-such.jsonl");
	REFUSED("a trace file is missing", "show");
	REFUSED("unknown option --kernel", "show", GOLDEN_JSONL, "--kernel");
	/* Line 5 cut in the middle of a string. */
	for (int i = 0; i < 4; i++)
		p = strchr(p, '\n') + 1;
	p[40] = '\n';
	spit(OUT_DIR "/cut.jsonl", g, (size_t)(p - g) + 41);
	REFUSED(OUT_DIR "/cut.jsonl: line 5, column ", "show", OUT_DIR "/cut.jsonl");
	free(g);
}

/* A copy of src (guest_mmio's trace) with line 63's data changed. */
static void edited_copy(const char *src, const char *path)
{
	size_t len;
	char *g = slurp(src, &len), *p;

	assert_non_null(g);
	p = strstr(g, "\"data\":\"0x31564544\"");
	assert_non_null(p);
	p[17] = '5';
	spit(path, g, len);
	free(g);
}

static void test_diff_names_the_record(void **state)
{
	char *out, *err;

	(void)state;
	assert_int_equal(MVM(&out, &err, "diff", GOLDEN_JSONL, GOLDEN_JSONL), 0);
	assert_non_null(strstr(out, "same: 119 records"));
	free(out);
	free(err);
	edited_copy(GOLDEN_JSONL, OUT_DIR "/edited.jsonl");
	assert_int_equal(MVM(&out, &err, "diff", GOLDEN_JSONL, OUT_DIR "/edited.jsonl"), 1);
	if (!strstr(out, "first difference at record 63 (seq 48 vcpu0 MMIO; " GOLDEN_JSONL
			 " line 63, " OUT_DIR "/edited.jsonl line 63): data 0x31564544 vs "
			 "0x31564545\n"))
		fail_msg("no summary naming record 63 in:\n%s", out);
	assert_int_equal(count_lines(out, "-     48 vcpu0 MMIO ", "data=0x31564544 "), 1);
	assert_int_equal(count_lines(out, "+     48 vcpu0 MMIO ", "data=0x31564545 "), 1);
	assert_int_equal(count_lines(out, "      47 vcpu0 report ", NULL), 1);
	free(out);
	free(err);
	/* A trace cut short: the first record it lacks. */
	{
		size_t len;
		char *g = slurp(GOLDEN_JSONL, &len), *p = g;

		assert_non_null(g);
		for (int i = 0; i < 50; i++)
			p = strchr(p, '\n') + 1;
		spit(OUT_DIR "/short.jsonl", g, (size_t)(p - g));
		free(g);
	}
	assert_int_equal(MVM(&out, &err, "diff", OUT_DIR "/short.jsonl", GOLDEN_JSONL), 1);
	if (!strstr(out, "first difference at record 51 (seq 40 vcpu0 MMIO; " OUT_DIR
			 "/short.jsonl ends after 50 records, " GOLDEN_JSONL
			 " line 51): " GOLDEN_JSONL " has 69 more records\n"))
		fail_msg("no summary naming record 51 in:\n%s", out);
	free(out);
	free(err);
	/* The other way round, and with the changed field ignored. */
	assert_int_equal(MVM(&out, &err, "diff", OUT_DIR "/edited.jsonl", GOLDEN_JSONL), 1);
	free(out);
	free(err);
	assert_int_equal(MVM(&out, &err, "diff", "--ignore", "data", OUT_DIR "/edited.jsonl",
			     GOLDEN_JSONL),
			 0);
	free(out);
	free(err);
}

static void test_diff_refuses(void **state)
{
	(void)state;
	REFUSED("a trace file is missing", "diff", GOLDEN_JSONL);
	REFUSED(GOLDEN_TEXT ": line 1, column 1: not a JSON object", "diff", GOLDEN_JSONL,
		GOLDEN_TEXT);
	REFUSED("unknown option --kind", "diff", GOLDEN_JSONL, GOLDEN_JSONL, "--kind", "IO");
}

/* Runs guest_mmio into trace, with opt unless NULL; 3 (no perf, no stats) skips. */
static void run_mmio(const char *trace, const char *opt)
{
	char *out, *err;
	int s = MVM(&out, &err, "run", "tests/guest_mmio.bin", "--format", "jsonl", "--quiet",
		    "--trace", trace, opt);

	if (s == 3) {
		print_message("%s unavailable here: %s", opt, err);
		free(out);
		free(err);
		skip();
	}
	if (s != 0)
		fail_msg("minivmm run tests/guest_mmio.bin %s: exit %d: %s", opt ? opt : "", s,
			 err);
	free(out);
	free(err);
}

/* Two runs, one timed and one with the kernel's statistics: the same
 * records but for what diff leaves out by default. */
static void test_diff_two_runs(void **state)
{
	char *out, *err;

	(void)state;
	if (!kvm_usable())
		skip();
	run_mmio(OUT_DIR "/run-a.jsonl", "--timing");
	run_mmio(OUT_DIR "/run-b.jsonl", NULL);
	assert_int_equal(MVM(&out, &err, "diff", OUT_DIR "/run-a.jsonl", OUT_DIR "/run-b.jsonl"),
			 0);
	free(out);
	free(err);
	run_mmio(OUT_DIR "/run-c.jsonl", "--stats");
	assert_int_equal(MVM(&out, &err, "diff", OUT_DIR "/run-a.jsonl", OUT_DIR "/run-c.jsonl"),
			 0);
	free(out);
	free(err);
	assert_int_equal(MVM(&out, &err, "diff", "--kernel", OUT_DIR "/run-a.jsonl",
			     OUT_DIR "/run-c.jsonl"),
			 1);
	assert_non_null(strstr(out, "kstat"));
	free(out);
	free(err);
}

/* With --ktrace, the emulated MMIO instructions of guest_mmio show decoded. */
static void test_show_decodes_emulation(void **state)
{
	char *out, *err;

	(void)state;
	if (!kvm_usable())
		skip();
	if (system("objdump --version >/dev/null 2>&1") != 0)
		skip();
	run_mmio(OUT_DIR "/emulate.jsonl", "--ktrace=kvm_emulate_insn");
	assert_int_equal(MVM(&out, &err, "show", OUT_DIR "/emulate.jsonl", "--kind", "kevent"), 0);
	/* guest_mmio's scratch accesses are movs to the test device, emulated. */
	if (count_lines(out, "event=kvm_emulate_insn ", " (mov ") == 0)
		fail_msg("no decoded mov among the kvm_emulate_insn records");
	assert_int_equal(count_lines(out, "event=kvm_emulate_insn ", NULL),
			 count_lines(out, "event=kvm_emulate_insn ", ") flags="));
	free(out);
	free(err);
}

/* ---- replay ---- */

/* Every deterministic payload of test_payloads, recorded and replayed. */
static void test_replay_matches(void **state)
{
	static const char *const payloads[] = {
		"guest_hlt",	     "guest_pio",	"guest_mmio",	   "guest_mode_real",
		"guest_mode_prot32", "guest_mode_long", "guest_exception", "guest_triplefault",
		"guest_dirty",	     "guest_ept",	"guest_ptwrite",
	};
	char *out, *err;

	(void)state;
	if (!kvm_usable())
		skip();
	for (size_t i = 0; i < sizeof(payloads) / sizeof(payloads[0]); i++) {
		char bin[128], trace[128];
		int s;

		snprintf(bin, sizeof(bin), "tests/%s.bin", payloads[i]);
		snprintf(trace, sizeof(trace), OUT_DIR "/replay-%s.jsonl", payloads[i]);
		s = MVM(&out, &err, "run", bin, "--format", "jsonl", "--quiet", "--trace", trace);
		free(out);
		free(err);
		assert_true(s == 0 || s == 1);
		s = MVM(&out, &err, "replay", trace, "--payload", bin);
		if (s != 0 || !strstr(out, "same: "))
			fail_msg("replay %s: wanted exit 0 and 'same', got %d:\n%s%s", trace, s,
				 out, err);
		free(out);
		free(err);
	}
}

/* The guest gets the recorded data, not the device's: an MMIO read edited
 * in the trace turns guest_mmio's report after it into a failure. */
static void test_replay_answers_from_the_trace(void **state)
{
	char *out, *err;

	(void)state;
	if (!kvm_usable())
		skip();
	/* A fresh trace: the golden one's hash is of the payload built where it was made. */
	assert_int_equal(MVM(&out, &err, "run", "tests/guest_mmio.bin", "--format", "jsonl",
			     "--quiet", "--trace", OUT_DIR "/replay-fresh.jsonl"),
			 0);
	free(out);
	free(err);
	edited_copy(OUT_DIR "/replay-fresh.jsonl", OUT_DIR "/replay-edited.jsonl");
	assert_int_equal(MVM(&out, &err, "replay", OUT_DIR "/replay-edited.jsonl", "--payload",
			     "tests/guest_mmio.bin"),
			 1);
	if (!strstr(out, "first difference at record 65 (seq 49 vcpu0 report; " OUT_DIR
			 "/replay-edited.jsonl line 65, replay line 65): result PASS vs FAIL\n"))
		fail_msg("no summary naming the failed report in:\n%s", out);
	assert_int_equal(count_lines(out, "      48 vcpu0 MMIO ", "data=0x31564545 "), 1);
	free(out);
	free(err);
}

/* A Multiboot kernel's --append, --initrd and --cpu come back from the header. */
static void test_replay_kernel(void **state)
{
	char *out, *err;

	(void)state;
	if (!kvm_usable())
		skip();
	assert_int_equal(MVM(&out, &err, "run", "tests/kernel_mb_info.elf", "--mem", "64M",
			     "--append", "mem=64 hello multiboot", "--initrd",
			     "tests/kernels/mb_module.txt", "--cpu", "qemu64,-x2apic", "--format",
			     "jsonl", "--quiet", "--trace", OUT_DIR "/replay-kernel.jsonl"),
			 0);
	free(out);
	free(err);
	assert_int_equal(MVM(&out, &err, "replay", OUT_DIR "/replay-kernel.jsonl", "--payload",
			     "tests/kernel_mb_info.elf", "--initrd", "tests/kernels/mb_module.txt"),
			 0);
	assert_non_null(strstr(out, "same: "));
	free(out);
	free(err);
	REFUSED("the trace's --initrd mb_module.txt is not beside", "replay",
		OUT_DIR "/replay-kernel.jsonl", "--payload", "tests/kernel_mb_info.elf");
}

static void test_replay_refuses(void **state)
{
	size_t len;
	char *bin = slurp("tests/guest_mmio.bin", &len);

	(void)state;
	assert_non_null(bin);
	bin[len - 1] ^= 1;
	spit(OUT_DIR "/changed.bin", bin, len);
	free(bin);
	REFUSED("is not the payload the trace was recorded from", "replay", GOLDEN_JSONL,
		"--payload", OUT_DIR "/changed.bin");
	REFUSED("not a JSON object", "replay", GOLDEN_TEXT);
	REFUSED("no trace given", "replay");
	REFUSED("unexpected argument 'x'", "replay", GOLDEN_JSONL, "x");
	/* A trace from before the header had a hash. */
	{
		char *g = slurp(GOLDEN_JSONL, &len), *h = strstr(g, "\"hash\"");

		assert_non_null(h);
		memcpy(h, "\"hush\"", 6);
		spit(OUT_DIR "/nohash.jsonl", g, len);
		free(g);
	}
	REFUSED("the header has no payload hash", "replay", OUT_DIR "/nohash.jsonl", "--payload",
		"tests/guest_mmio.bin");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_show_is_the_text_trace),
		cmocka_unit_test(test_show_filters),
		cmocka_unit_test(test_show_refuses),
		cmocka_unit_test(test_diff_names_the_record),
		cmocka_unit_test(test_diff_refuses),
		cmocka_unit_test(test_diff_two_runs),
		cmocka_unit_test(test_show_decodes_emulation),
		cmocka_unit_test(test_replay_matches),
		cmocka_unit_test(test_replay_answers_from_the_trace),
		cmocka_unit_test(test_replay_kernel),
		cmocka_unit_test(test_replay_refuses),
	};

	mkdir("build", 0755);
	mkdir("build/tests", 0755);
	mkdir(OUT_DIR, 0755);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
