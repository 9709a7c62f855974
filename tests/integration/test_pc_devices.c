/* SPDX-License-Identifier: MIT */
/* test_pc_devices.c - --machine pc: guest_pc's checks, debug-exit's status mapping, and nothing without it. */
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

#define OUT_DIR "build/tests/out/pc"
#define RUNS	20

/* Runs minivmm run BIN [ARG] --trace TRACE --quiet; returns its status. */
static int run(const char *bin, const char *arg1, const char *arg2, const char *trace)
{
	char out[300], err[300];
	char *argv[10];
	int n = 0;

	snprintf(out, sizeof(out), "%s.stdout", trace);
	snprintf(err, sizeof(err), "%s.stderr", trace);
	argv[n++] = (char *)minivmm();
	argv[n++] = "run";
	argv[n++] = (char *)bin;
	if (arg1)
		argv[n++] = (char *)arg1;
	if (arg2)
		argv[n++] = (char *)arg2;
	argv[n++] = "--trace";
	argv[n++] = (char *)trace;
	argv[n++] = "--quiet";
	argv[n] = NULL;
	return run_argv(argv, out, err, NULL, 1);
}

static void expect_count(const char *t, const char *trace, const char *a, const char *b, int want)
{
	int got = count_lines(t, a, b);

	if (want >= 0 ? got != want : got < -want)
		fail_msg("%s: wanted %s%d lines with '%s'%s%s, got %d", trace,
			 want < 0 ? "at least " : "", want < 0 ? -want : want, a, b ? " and " : "",
			 b ? b : "", got);
}

/*
 * guest_pc, RUNS times: its reports all pass and it ends by debug-exit
 * with code 0. Its PM timer reads differ from run to run, so instead of a
 * golden trace the records it must hold are counted.
 */
static void test_guest_pc(void **state)
{
	const char *trace = OUT_DIR "/guest_pc.trace";

	(void)state;
	if (!kvm_usable())
		skip();
	for (int i = 0; i < RUNS; i++) {
		char *t;
		int s = run("tests/guest_pc.bin", "--machine", "pc", trace);

		if (s != 0)
			fail_msg("run %d: status %d, wanted 0 (see %s)", i, s, trace);
		t = must_slurp(trace);
		check_complete(t, 0);
		expect_count(t, trace, "trace version=1 ", " irqchip=kernel machine=pc", 1);
		expect_count(t, trace, "end reason=debug_exit verdict=pass status=0 ",
			     " reports_failed=0 guest_errors=0 unexpected_exceptions=0", 1);
		expect_count(t, trace, " vcpu0 debug_exit     code=0", NULL, 1);
		expect_count(t, trace, " port=0xf4 size=4 count=1 data=0x0 dev=debug_exit", NULL,
			     1);
		expect_count(t, trace, " fw_cfg         key=", NULL, 6);
		expect_count(t, trace, " fw_cfg         key=0x5 name=nb_cpus", NULL, 1);
		expect_count(t, trace, " fw_cfg         key=0x1234 name=unknown", NULL, 1);
		expect_count(t, trace, " flush_page     addr=0x", " flushed=yes", 1);
		expect_count(t, trace, " irq_line       gsi=10 level=", NULL, 2);
		expect_count(t, trace, " dev=pm_timer", NULL, -2);
		expect_count(t, trace, " dev=pci", NULL, -8);
		expect_count(t, trace, " MMIO ", " dev=pc_testdev", 5);
		expect_count(t, trace, "dev=none", NULL, 0);
		expect_count(t, trace, "result=FAIL", NULL, 0);
		free(t);
	}
}

/* Without --machine pc the PC ports are unclaimed: guest_pc fails its reports. */
static void test_no_pc_devices(void **state)
{
	const char *trace = OUT_DIR "/guest_pc-nopc.trace";
	char *t;

	(void)state;
	if (!kvm_usable())
		skip();
	assert_int_equal(run("tests/guest_pc.bin", NULL, NULL, trace), 1);
	t = must_slurp(trace);
	check_complete(t, 0);
	expect_count(t, trace, "machine=pc", NULL, 0);
	expect_count(t, trace, "dev=debug_exit", NULL, 0);
	expect_count(t, trace, "end reason=exit verdict=fail status=1 ", NULL, 1);
	free(t);
}

/* Raw real-mode images that write a code to port 0xf4, then HLT. */
struct exit_case {
	const char *name;
	uint8_t code[12];
	size_t len;
	int code_written, status;
	const char *verdict;
};

static const struct exit_case exit_cases[] = {
	/* mov al, 0; out 0xf4, al; hlt */
	{ "outb0", { 0xb0, 0x00, 0xe6, 0xf4, 0xf4 }, 5, 0, 0, "pass" },
	/* mov ax, 38; out 0xf4, ax; hlt: KUT's all-skipped */
	{ "outw38", { 0xb8, 0x26, 0x00, 0xe7, 0xf4, 0xf4 }, 6, 38, 77, "skip" },
	/* mov eax, 5; out 0xf4, eax; hlt */
	{ "outl5", { 0x66, 0xb8, 0x05, 0x00, 0x00, 0x00, 0x66, 0xe7, 0xf4, 0xf4 }, 10, 5, 1, "fail" },
	/* mov al, 1; out 0xf4, al; hlt: KUT's failed */
	{ "outb1", { 0xb0, 0x01, 0xe6, 0xf4, 0xf4 }, 5, 1, 1, "fail" },
};

static void test_debug_exit_status(void **state)
{
	(void)state;
	if (!kvm_usable())
		skip();
	for (size_t i = 0; i < sizeof(exit_cases) / sizeof(exit_cases[0]); i++) {
		const struct exit_case *c = &exit_cases[i];
		char bin[256], trace[256], want[128];
		char *t;
		int s;

		snprintf(bin, sizeof(bin), OUT_DIR "/%s.img", c->name);
		snprintf(trace, sizeof(trace), OUT_DIR "/%s.trace", c->name);
		spit(bin, c->code, c->len);
		s = run(bin, "--machine", "pc", trace);
		if (s != c->status)
			fail_msg("%s: status %d, wanted %d", c->name, s, c->status);
		t = must_slurp(trace);
		check_complete(t, 0);
		snprintf(want, sizeof(want), " vcpu0 debug_exit     code=%d", c->code_written);
		expect_count(t, trace, want, NULL, 1);
		snprintf(want, sizeof(want), "end reason=debug_exit verdict=%s status=%d ",
			 c->verdict, c->status);
		expect_count(t, trace, want, NULL, 1);
		expect_count(t, trace, " HLT ", NULL, 0);
		free(t);
	}
}

/* The same image without --machine pc: the OUT is unclaimed, HLT ends the run. */
static void test_debug_exit_needs_pc(void **state)
{
	const char *bin = OUT_DIR "/outw38-nopc.img", *trace = OUT_DIR "/outw38-nopc.trace";
	char *t;

	(void)state;
	if (!kvm_usable())
		skip();
	spit(bin, exit_cases[1].code, exit_cases[1].len);
	assert_int_equal(run(bin, NULL, NULL, trace), 0);
	t = must_slurp(trace);
	expect_count(t, trace, " port=0xf4 ", " dev=none", 1);
	expect_count(t, trace, "end reason=hlt verdict=pass status=0 ", NULL, 1);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guest_pc),
		cmocka_unit_test(test_no_pc_devices),
		cmocka_unit_test(test_debug_exit_status),
		cmocka_unit_test(test_debug_exit_needs_pc),
	};

	mkdir("build/tests/out", 0755);
	mkdir(OUT_DIR, 0755);
	return cmocka_run_group_tests_name("test_pc_devices", tests, NULL, NULL);
}
