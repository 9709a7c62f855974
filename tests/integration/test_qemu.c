/* SPDX-License-Identifier: MIT */
/*
 * test_qemu.c - minivmm-qemu as kvm-unit-tests' runner drives it: the
 * probes it makes, QEMU's exit statuses, the in-tree kernels booted through
 * it, --cpu qemu64 as the guest reads it, and a trace per run on request.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

#define OUT_DIR "build/tests/out/qemu"

/* The link `make` builds beside minivmm: $MVM_QEMU_BIN, else ./minivmm-qemu. */
static const char *qemu_bin(void)
{
	const char *b = getenv("MVM_QEMU_BIN");

	return b && *b ? b : "./minivmm-qemu";
}

/* Runs minivmm-qemu with args (NULL-terminated) into OUT_DIR/name.{stdout,stderr}. */
static int run_qemu(const char *name, const char *const *args, char **out, char **err)
{
	char o[256], e[256];
	char *argv[40];
	int n = 0, status;

	argv[n++] = (char *)qemu_bin();
	while (*args && n < 39)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	snprintf(o, sizeof(o), OUT_DIR "/%s.stdout", name);
	snprintf(e, sizeof(e), OUT_DIR "/%s.stderr", name);
	status = run_argv(argv, o, e, NULL, 1);
	*out = must_slurp(o);
	*err = must_slurp(e);
	return status;
}

/* Leaf 1's ECX as the kernel printed it. */
static unsigned long leaf1_ecx(const char *out)
{
	const char *l = strstr(out, "cpuid 00000001.0:");
	const char *ecx = l ? strstr(l, "ecx=") : NULL;

	assert_non_null(ecx);
	return strtoul(ecx + 4, NULL, 16);
}

/* run_tests.sh boots _NO_FILE_4Uhere_ first and reads "could not load kernel". */
static void test_probes(void **state)
{
	static const char *const missing[] = { "-device", "pc-testdev", "-kernel",
					       "_NO_FILE_4Uhere_", NULL };
	static const char *const help[] = { "--help", NULL };
	static const char *const devices[] = { "-device", "?", NULL };
	static const char *const bad[] = { "-kernel", "x", "-device", "pc-testdev", "-hda", "d",
					   NULL };
	char *out, *err;

	(void)state;
	assert_int_equal(run_qemu("missing", missing, &out, &err), 1);
	assert_non_null(strstr(err, "could not load kernel '_NO_FILE_4Uhere_'"));
	assert_int_equal(count_lines(err, "", NULL), 1);
	free(out);
	free(err);
	assert_int_equal(run_qemu("help", help, &out, &err), 0);
	assert_non_null(strstr(out, "QEMU"));
	free(out);
	free(err);
	assert_int_equal(run_qemu("devices", devices, &out, &err), 0);
	assert_non_null(strstr(out, "\"pc-testdev\""));
	assert_non_null(strstr(out, "\"isa-debug-exit\""));
	assert_null(strstr(out, "pci-testdev")); /* not emulated: KUT must not ask for it */
	free(out);
	free(err);
	assert_int_equal(run_qemu("bad", bad, &out, &err), 1);
	assert_string_equal(err, "minivmm: qemu: unknown or unsupported QEMU option '-hda'\n");
	free(out);
	free(err);
}

/*
 * kernel_cpuid under the default model: QEMU's qemu64 leaves, stdout only
 * (KUT takes any stderr line as a VMM failure), debug-exit code 0 read as
 * QEMU's status 1, and with MINIVMM_TRACE_DIR a complete trace.
 */
static void test_cpuid_kernel(void **state)
{
	static const char *const args[] = { "--no-reboot", "-nodefaults", "-device", "pc-testdev",
					    "-device", "isa-debug-exit,iobase=0xf4,iosize=0x4",
					    "-display", "none", "-serial", "stdio", "-machine",
					    "accel=kvm", "-kernel", "tests/kernel_cpuid.elf",
					    "-smp", "2", NULL };
	static const char *const no_x2apic[] = { "-device", "pc-testdev", "-kernel",
						 "tests/kernel_cpuid.elf", "-cpu",
						 "qemu64,-x2apic", NULL };
	char *out, *err, *trace;

	(void)state;
	if (!kvm_usable())
		skip();
	setenv("MINIVMM_TRACE_DIR", OUT_DIR, 1);
	setenv("TESTNAME", "cpuid", 1);
	unlink(OUT_DIR "/cpuid.jsonl");
	assert_int_equal(run_qemu("cpuid", args, &out, &err), 1);
	unsetenv("MINIVMM_TRACE_DIR");
	unsetenv("TESTNAME");
	assert_string_equal(err, "");
	assert_non_null(strstr(out, "cpuid 00000000.0: eax=0000000d ebx=68747541"));
	assert_non_null(strstr(out, "cpuid 80000000.0: eax=8000000a"));
	assert_non_null(strstr(out, "cpuid 80000002.0: eax=554d4551 ebx=72695620"));
	assert_true(leaf1_ecx(out) & (1UL << 21)); /* x2apic: on in qemu64 under KVM */
	trace = must_slurp(OUT_DIR "/cpuid.jsonl");
	check_complete(trace, 1);
	assert_non_null(strstr(trace, "\"cpu\":\"qemu64\""));
	assert_non_null(strstr(find_line(trace, "{\"type\":\"end\""), "\"reason\":\"debug_exit\""));
	free(out);
	free(err);
	free(trace);

	assert_int_equal(run_qemu("cpuid-no-x2apic", no_x2apic, &out, &err), 1);
	assert_false(leaf1_ecx(out) & (1UL << 21));
	free(out);
	free(err);
}

/* kernel_mb_info's checks through QEMU's options: -append, -initrd, -m. */
static void test_mb_info_kernel(void **state)
{
	static const char *const args[] = { "-device", "pc-testdev", "-kernel",
					    "tests/kernel_mb_info.elf", "-m", "64", "-append",
					    "mem=64 hello multiboot", "-initrd",
					    "tests/kernels/mb_module.txt", NULL };
	static const char *const wrong_mem[] = { "-device", "pc-testdev", "-kernel",
						 "tests/kernel_mb_info.elf", "-m", "96", "-append",
						 "mem=64 hello multiboot", "-initrd",
						 "tests/kernels/mb_module.txt", NULL };
	char *out, *err;

	(void)state;
	if (!kvm_usable())
		skip();
	assert_int_equal(run_qemu("mb_info", args, &out, &err), 1);
	assert_string_equal(err, "");
	free(out);
	free(err);
	/* The kernel was told 64 MiB and got 96: its reports fail, QEMU's 3. */
	assert_int_equal(run_qemu("mb_info-wrong", wrong_mem, &out, &err), 3);
	free(out);
	free(err);
}

/*
 * Ends that are not the guest's verdict: one stderr line, so that KUT's
 * runner, which reads status 1 without stderr as a pass, reports a failure.
 */
static void test_other_ends(void **state)
{
	static const char *const emul[] = { "-device", "pc-testdev", "-kernel",
					    "tests/guest_emulate_fail.bin", NULL };
	static const char *const triple[] = { "-device", "pc-testdev", "-kernel",
					      "tests/guest_triplefault.bin", NULL };
	static const char *const exits[] = { "-device", "pc-testdev", "-kernel",
					     "tests/guest_mmio.bin", NULL };
	char *out, *err;

	(void)state;
	if (!kvm_usable())
		skip();
	assert_int_equal(run_qemu("emulate_fail", emul, &out, &err), 1);
	assert_string_equal(err, "minivmm: qemu: the guest stopped: internal_error (EMULATION)\n");
	free(out);
	free(err);
	/* -no-reboot: QEMU exits 0 on a triple fault, which KUT counts as failed. */
	assert_int_equal(run_qemu("triplefault", triple, &out, &err), 0);
	assert_string_equal(err, "minivmm: qemu: the guest stopped: shutdown\n");
	free(out);
	free(err);
	/* A minivmm payload's exit call: its verdict in KUT's codes, pass = 1. */
	assert_int_equal(run_qemu("mmio", exits, &out, &err), 1);
	assert_string_equal(err, "");
	free(out);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probes),
		cmocka_unit_test(test_cpuid_kernel),
		cmocka_unit_test(test_mb_info_kernel),
		cmocka_unit_test(test_other_ends),
	};

	mkdir("build/tests/out", 0755);
	mkdir(OUT_DIR, 0755);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
