/* SPDX-License-Identifier: MIT */
/* test_explain_cmd.c - ./minivmm explain as a student runs it: the entries' key lines, a refusal. */
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

#define OUT_DIR "build/tests/out-explain"

/* ./minivmm explain w1 [w2]: its status, stdout and stderr. */
static int explain(char **out, char **err, const char *w1, const char *w2)
{
	char *argv[] = { (char *)minivmm(), "explain", (char *)w1, (char *)w2, NULL };
	size_t len;
	int s;

	mkdir("build/tests", 0755);
	mkdir(OUT_DIR, 0755);
	s = run_argv(argv, OUT_DIR "/out", OUT_DIR "/err", NULL, 1);
	*out = slurp(OUT_DIR "/out", &len);
	*err = slurp(OUT_DIR "/err", &len);
	assert_non_null(*out);
	assert_non_null(*err);
	return s;
}

/* Status 0, nothing on stderr, and each of the lines in want (NULL-ended) in out. */
static void expect_entry(const char *w1, const char *w2, const char *const *want)
{
	char *out, *err;
	int s = explain(&out, &err, w1, w2);

	if (s != 0 || err[0])
		fail_msg("explain %s %s: wanted status 0 and no stderr, got %d: %s", w1, w2, s,
			 err);
	for (; *want; want++)
		if (!find_line(out, *want))
			fail_msg("explain %s %s: wanted a line starting '%s', got:\n%s", w1, w2,
				 *want, out);
	free(out), free(err);
}

static void vmx_48(void **state)
{
	static const char *const want[] = {
		"VMX basic exit reason 48 (0x30): EPT_VIOLATION",
		"Cause:",
		"Fields (exit qualification, VMCS):",
		"  - bit 0 a data read, bit 1 a data write, bit 2 an instruction fetch",
		"KVM handler:",
		"  handle_ept_violation (arch/x86/kvm/vmx/vmx.c)",
		"Shown by:",
		"  ./minivmm run tests/guest_vmx_paging.bin",
		NULL,
	};

	(void)state;
	expect_entry("vmx", "48", want);
	expect_entry("ept-violation", NULL, want);
}

static void svm_0x7b(void **state)
{
	static const char *const want[] = {
		"SVM exit code 0x7b: IOIO",
		"Fields (EXITINFO1, EXITINFO2):",
		"  - bits 31:16 the port",
		"  io_interception (arch/x86/kvm/svm/svm.c)",
		"  ./minivmm run tests/guest_svm_basic.bin",
		NULL,
	};

	(void)state;
	expect_entry("svm", "0x7b", want);
	expect_entry("svm", "ioio", want);
}

static void kvm_mmio(void **state)
{
	static const char *const want[] = {
		"KVM exit reason 6 (KVM_EXIT_MMIO): MMIO",
		"Fields (kvm_run):",
		"  kvm_run.mmio: phys_addr, data[8], len (1 to 8), is_write.",
		"Handler (minivmm):",
		"  exit_mmio (vmm/exit_mmio.c)",
		"  ./minivmm run tests/guest_mmio.bin",
		NULL,
	};

	(void)state;
	expect_entry("kvm", "MMIO", want);
	expect_entry("kvm", "6", want);
}

/* The payload an entry names runs the exit it explains (where this host can). */
static void mmio_payload_shows_mmio(void **state)
{
	char *argv[] = { (char *)minivmm(),	"run", "tests/guest_mmio.bin", "--quiet", "--trace",
			 OUT_DIR "/mmio.trace", NULL };
	char *trace;
	size_t len;
	int s;

	(void)state;
	if (!kvm_usable())
		skip();
	s = run_argv(argv, OUT_DIR "/run.out", OUT_DIR "/run.err", NULL, 1);
	assert_int_equal(s, 0);
	trace = slurp(OUT_DIR "/mmio.trace", &len);
	assert_non_null(trace);
	assert_non_null(strstr(trace, " vcpu0 MMIO "));
	free(trace);
}

/* Runs argv (NULL-ended) with stdout to out; its status. */
static int run_to(const char *out, ...)
{
	char *argv[16] = { (char *)minivmm() };
	int argc = 1;
	va_list ap;

	va_start(ap, out);
	while (argc < 15 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	return run_argv(argv, out, OUT_DIR "/run.err", NULL, 1);
}

/* run --explain and show --explain of the same run's JSON Lines agree byte for byte,
 * and without the option no record has a note. */
static void run_and_show_agree(void **state)
{
	char *text, *shown, *plain;
	size_t n;

	(void)state;
	if (!kvm_usable())
		skip();
	assert_int_equal(run_to(OUT_DIR "/x.out", "run", "tests/guest_mmio.bin", "--quiet",
				"--explain", "--trace", OUT_DIR "/x.trace", NULL),
			 0);
	assert_int_equal(run_to(OUT_DIR "/x.out", "run", "tests/guest_mmio.bin", "--quiet",
				"--format", "jsonl", "--trace", OUT_DIR "/x.jsonl", NULL),
			 0);
	assert_int_equal(run_to(OUT_DIR "/x.show", "show", "--explain", "--no-decode",
				OUT_DIR "/x.jsonl", NULL),
			 0);
	assert_int_equal(
		run_to(OUT_DIR "/x.plain", "show", "--no-decode", OUT_DIR "/x.jsonl", NULL), 0);
	text = slurp(OUT_DIR "/x.trace", &n);
	shown = slurp(OUT_DIR "/x.show", &n);
	plain = slurp(OUT_DIR "/x.plain", &n);
	assert_non_null(text);
	assert_non_null(shown);
	assert_non_null(plain);
	assert_string_equal(text, shown);
	assert_non_null(strstr(text, " dev=testdev  # A guest access to an address no memory"));
	assert_non_null(strstr(text, " dev=com1  # A port I/O instruction"));
	assert_null(strstr(plain, "  # "));
	assert_int_equal(count_lines(text, " vcpu0 MMIO ", "  # "),
			 count_lines(text, " vcpu0 MMIO ", NULL));
	free(text), free(shown), free(plain);
}

/* An l2_exit record gets its VMX or SVM summary (a hand-made trace: no nested host). */
static void l2_exit_records_get_their_summary(void **state)
{
	static const char trace[] =
		"{\"type\":\"trace\",\"version\":1,\"payload\":\"guest_vmx_paging.bin\","
		"\"mode\":\"long\"}\n"
		"{\"seq\":8,\"vcpu\":0,\"type\":\"l2_exit\",\"level\":2,\"isa\":\"vmx\","
		"\"reason\":\"0x30\",\"name\":\"EPT_VIOLATION\",\"info1\":\"0x181\"}\n"
		"{\"seq\":9,\"vcpu\":0,\"type\":\"l2_exit\",\"level\":2,\"isa\":\"svm\","
		"\"reason\":\"0x400\",\"name\":\"NPF\"}\n"
		"{\"seq\":9,\"vcpu\":0,\"type\":\"report\",\"result\":\"PASS\","
		"\"msg\":\"x\"}\n";
	char *out;

	(void)state;
	mkdir(OUT_DIR, 0755);
	spit(OUT_DIR "/l2.jsonl", trace, sizeof(trace) - 1);
	assert_int_equal(run_to(OUT_DIR "/l2.show", "show", "--explain", OUT_DIR "/l2.jsonl", NULL),
			 0);
	out = must_slurp(OUT_DIR "/l2.show");
	assert_non_null(strstr(out, "name=EPT_VIOLATION info1=0x181  # A guest-physical access"));
	assert_non_null(strstr(out, "name=NPF  # A nested page fault"));
	assert_non_null(strstr(out, "msg=\"x\"\n"));
	free(out);
}

static void bad_input(void **state)
{
	char *out, *err;
	int s;

	(void)state;
	s = explain(&out, &err, "vmx", "EPT_VIOLATON");
	if (s != 2 || out[0] || !strstr(err, "did you mean EPT_VIOLATION?") ||
	    !strstr(err, "vmx|svm|kvm") || strchr(err, '\n') != err + strlen(err) - 1)
		fail_msg("explain vmx EPT_VIOLATON: wanted status 2 and one line with a hint, got "
			 "%d: %s",
			 s, err);
	free(out), free(err);
	s = explain(&out, &err, "frobnicate", NULL);
	if (s != 2 || !strstr(err, "vmx|svm|kvm") || strchr(err, '\n') != err + strlen(err) - 1)
		fail_msg("explain frobnicate: wanted status 2 and one line naming the families, "
			 "got %d: %s",
			 s, err);
	free(out), free(err);
}

static void help_lists_families_and_topics(void **state)
{
	char *out, *err;
	int s;

	(void)state;
	s = explain(&out, &err, NULL, NULL);
	assert_int_equal(s, 0);
	assert_non_null(find_line(out, "Usage: minivmm explain vmx|svm|kvm CODE|NAME"));
	assert_non_null(find_line(out, "  vmx  Intel VMX basic exit reasons"));
	assert_non_null(find_line(out, "  npf                  svm NPF"));
	free(out), free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vmx_48),
		cmocka_unit_test(svm_0x7b),
		cmocka_unit_test(kvm_mmio),
		cmocka_unit_test(mmio_payload_shows_mmio),
		cmocka_unit_test(run_and_show_agree),
		cmocka_unit_test(l2_exit_records_get_their_summary),
		cmocka_unit_test(bad_input),
		cmocka_unit_test(help_lists_families_and_topics),
	};

	return cmocka_run_group_tests_name("test_explain_cmd", tests, NULL, NULL);
}
