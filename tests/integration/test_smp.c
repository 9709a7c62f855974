/* SPDX-License-Identifier: MIT */
/* test_smp.c - several vCPUs and interrupts: endings, invariants, repeated payload runs. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

#define OUT_DIR "build/tests/out/smp"

/* Runs minivmm run PAYLOAD ARGS --trace TRACE --quiet; returns its status. */
static int run_payload(const char *payload, const char *const *args, const char *trace,
		       pid_t *pid, int wait_for_it)
{
	char bin[256], out[300], err[300];
	char *argv[24];
	int n = 0;

	snprintf(bin, sizeof(bin), "tests/%s.bin", payload);
	snprintf(out, sizeof(out), "%s.stdout", trace);
	snprintf(err, sizeof(err), "%s.stderr", trace);
	argv[n++] = (char *)minivmm();
	argv[n++] = "run";
	argv[n++] = bin;
	for (int i = 0; args && args[i] && n < 20; i++)
		argv[n++] = (char *)args[i];
	argv[n++] = "--trace";
	argv[n++] = (char *)trace;
	argv[n++] = "--quiet";
	argv[n] = NULL;
	return run_argv(argv, out, err, pid, wait_for_it);
}

/* Every vCPU of a run that was stopped from outside has its last state. */
static void expect_state_of_each(const char *t, int nvcpus, const char *trace)
{
	for (int i = 0; i < nvcpus; i++) {
		char regs[32], mp[32];

		snprintf(regs, sizeof(regs), " vcpu%d regs ", i);
		snprintf(mp, sizeof(mp), " vcpu%d mp_state ", i);
		if (count_lines(t, regs, NULL) != 1 || count_lines(t, mp, NULL) != 1)
			fail_msg("%s: vCPU %d has %d regs and %d mp_state records, wanted 1 each",
				 trace, i, count_lines(t, regs, NULL), count_lines(t, mp, NULL));
	}
}

/* --vcpus 4 and SIGINT mid-run: 130, the trace complete, each vCPU's state. */
static void test_vcpus_sigint(void **state)
{
	static const char *const args[] = { "--vcpus", "4", "--irqchip", "kernel", NULL };
	const char *trace = OUT_DIR "/sigint4.trace";
	struct timespec delay = { 0, 300 * 1000 * 1000 };
	pid_t pid;
	char *t;
	int st;

	(void)state;
	if (!kvm_usable())
		skip();
	run_payload("guest_loop", args, trace, &pid, 0);
	nanosleep(&delay, NULL);
	assert_int_equal(kill(pid, SIGINT), 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 130);
	t = must_slurp(trace);
	check_complete(t, 0);
	assert_non_null(strstr(t, "end reason=signal verdict=interrupted status=130"));
	expect_state_of_each(t, 4, trace);
	free(t);
}

/*
 * The BSP's exit call ends a 4-vCPU run: the APs, never started, are
 * kicked out of KVM_RUN waiting for SIPI, and vCPU 0's records are exactly
 * those of the one-vCPU golden trace (a vCPU's records stay deterministic).
 */
static void test_exit_call_stops_aps(void **state)
{
	static const char *const args[] = { "--vcpus", "4", "--irqchip", "kernel", NULL };
	const char *trace = OUT_DIR "/mmio4.trace";
	size_t glen, tlen;
	char *t, *g, *a, *b, *pa, *pb, *ng, *nt;
	size_t na = 0, nb = 0;

	(void)state;
	if (!kvm_usable())
		skip();
	assert_int_equal(run_payload("guest_mmio", args, trace, NULL, 1), 0);
	t = must_slurp(trace);
	check_complete(t, 0);
	assert_non_null(strstr(t, " vcpus=4 irqchip=kernel"));
	for (int i = 1; i < 4; i++) {
		char want[64];

		snprintf(want, sizeof(want), "     0 vcpu%d mp_state       state=1 name=uninitialized",
			 i);
		if (!strstr(t, want))
			fail_msg("%s: no '%s'", trace, want);
	}
	/* Compared as the golden is: normalized (testutil.h). */
	g = slurp("tests/golden/guest_mmio.trace", &glen);
	assert_non_null(g);
	ng = golden_normalize(g, &glen);
	free(g);
	g = ng;
	nt = golden_normalize(t, &tlen);
	free(t);
	t = nt;
	a = calloc(1, strlen(t) + 1);
	b = calloc(1, glen + 1);
	assert_non_null(a);
	assert_non_null(b);
	/* Keep only vCPU 0's lines of both. */
	for (pa = t; *pa; pa = strchr(pa, '\n') + 1) {
		size_t l = strcspn(pa, "\n") + 1;

		if (strstr(pa, " vcpu0 ") && strstr(pa, " vcpu0 ") < pa + l)
			memcpy(a + na, pa, l), na += l;
	}
	for (pb = g; *pb; pb = strchr(pb, '\n') + 1) {
		size_t l = strcspn(pb, "\n") + 1;

		if (strstr(pb, " vcpu0 ") && strstr(pb, " vcpu0 ") < pb + l)
			memcpy(b + nb, pb, l), nb += l;
	}
	assert_true(na > 0);
	if (na != nb || memcmp(a, b, na))
		fail_msg("%s: vCPU 0's records differ from tests/golden/guest_mmio.trace", trace);
	free(a);
	free(b);
	free(g);
	free(t);
}

/* Without an irqchip, several vCPUs are a usage error (one line, exit 2). */
static void test_vcpus_need_irqchip(void **state)
{
	static const char *const args[] = { "--vcpus", "2", NULL };
	const char *trace = OUT_DIR "/noirq.trace";
	char err[300];
	size_t len;
	char *e;

	(void)state;
	assert_int_equal(run_payload("guest_hlt", args, trace, NULL, 1), 2);
	snprintf(err, sizeof(err), "%s.stderr", trace);
	e = slurp(err, &len);
	assert_non_null(e);
	assert_non_null(strstr(e, "need an interrupt controller"));
	assert_int_equal(count_lines(e, "minivmm: ", NULL), 1);
	free(e);
}

/* --max-exits counts the exits of all vCPUs together. */
static void test_max_exits_total(void **state)
{
	static const char *const args[] = { "--vcpus", "2", "--irqchip", "kernel",
					    "--max-exits", "7", NULL };
	const char *trace = OUT_DIR "/max2.trace";
	char *t;

	(void)state;
	if (!kvm_usable())
		skip();
	assert_int_equal(run_payload("guest_pio", args, trace, NULL, 1), 1);
	t = must_slurp(trace);
	assert_non_null(strstr(t, "end reason=max_exits verdict=fail status=1 exits=7 "));
	free(t);
}

/* ---- guest_bench_exits: every class measured, its exits where they belong ---- */

static const char *const bench_classes[] = {
	"nop",	    "cpuid",	  "pio_kernel",	   "pio_user",	   "mmio_user",
	"ipi_self", "ipi_remote", "hlt_wake_20us", "hlt_wake_2ms",
};
#define NBENCH_CLASSES (sizeof(bench_classes) / sizeof(bench_classes[0]))

/* The round trips class ran (n times batches), after checking its report and its numbers. */
static unsigned bench_class_ok(const char *t, const char *trace, const char *class)
{
	char want[128];
	const char *p;
	unsigned n, batches;
	unsigned long long min, median;

	snprintf(want, sizeof(want), "report         result=PASS msg=\"%s: ", class);
	if (count_lines(t, want, NULL) != 1)
		fail_msg("%s: not exactly one '%s'", trace, want);
	snprintf(want, sizeof(want), "print          text=\"bench_exits class=%s ", class);
	p = strstr(t, want);
	if (!p || count_lines(t, want, NULL) != 1 ||
	    sscanf(p + strlen(want), "n=%u batches=%u min=%llu median=%llu", &n, &batches, &min,
		   &median) != 4)
		fail_msg("%s: not exactly one '%s' with n, batches, min and median", trace, want);
	if (!n || !batches || !min || median < min)
		fail_msg("%s: %s: n=%u batches=%u min=%llu median=%llu", trace, class, n, batches,
			 min, median);
	return n * batches;
}

/*
 * Each class reported and timed, the TSC rate printed; the userspace
 * classes' round trips are exit records (and one more, the read-back), the
 * in-kernel ones none (no IO at the ELCR, none on vCPU 1); with
 * --no-exit-records the same, less the exit records: the same end and
 * summaries. Timings are not compared.
 */
static void test_bench_exits(void **state)
{
	static const char *const off_args[] = { "--no-exit-records", NULL };
	const char *on = OUT_DIR "/bench_exits.trace", *off = OUT_DIR "/bench_exits-off.trace";
	unsigned pio = 0, mmio = 0, khz = 0;
	const char *p;
	char *t, *u;

	(void)state;
	if (!kvm_usable())
		skip();
	assert_int_equal(run_payload("guest_bench_exits", NULL, on, NULL, 1), 0);
	assert_int_equal(run_payload("guest_bench_exits", off_args, off, NULL, 1), 0);
	t = must_slurp(on);
	u = must_slurp(off);
	check_complete(t, 0);
	check_complete(u, 0);
	assert_non_null(strstr(t, "end reason=exit verdict=pass status=0 "));
	assert_non_null(strstr(t, " vcpus=2 irqchip=kernel"));
	for (size_t i = 0; i < NBENCH_CLASSES; i++) {
		unsigned trips = bench_class_ok(t, on, bench_classes[i]);

		bench_class_ok(u, off, bench_classes[i]);
		pio = strcmp(bench_classes[i], "pio_user") ? pio : trips;
		mmio = strcmp(bench_classes[i], "mmio_user") ? mmio : trips;
	}
	p = strstr(t, "text=\"bench_exits tsc_khz=");
	assert_non_null(p);
	assert_int_equal(sscanf(p, "text=\"bench_exits tsc_khz=%u source=pit", &khz), 1);
	assert_true(khz > 0);
	assert_int_equal(count_lines(t, " vcpu0 IO ", " port=0xe08 "), pio + 1);
	assert_int_equal(count_lines(t, " vcpu0 MMIO ", " gpa=0xd0000008 "), mmio + 1);
	assert_int_equal(count_lines(t, " port=0x4d0 ", NULL), 0);
	/* vCPU 1 never left KVM_RUN for minivmm: its records are its end state, at seq 0. */
	assert_int_equal(count_lines(t, " vcpu1 ", NULL), count_lines(t, "     0 vcpu1 ", NULL));
	assert_int_equal(count_lines(u, " vcpu0 IO ", NULL) + count_lines(u, " vcpu0 MMIO ", NULL),
			 0);
	assert_string_equal(find_line(t, "end "), find_line(u, "end "));
	free(t);
	free(u);
}

/* ---- the interrupt payloads, run RUNS times each: invariants every time ---- */

#define RUNS	 20
#define MAX_WANT 8

/* A line fragment the trace must hold exactly count times (-1: at least once). */
struct want {
	const char *text;
	int count;
};

struct irq_case {
	const char *name;
	const char *payload;
	const char *args[6];
	struct want want[MAX_WANT];
};

static const struct irq_case irq_cases[] = {
	/* Every AP woken, every IPI acknowledged once: the payload checks each
	 * receiver's count against the one wanted and reports it. */
	{ "ipi", "guest_ipi", { NULL },
	  { { "msg=\"INIT/SIPI: 4 of 4 vCPUs online\"", 1 },
	    { "per-vCPU counts", 12 },
	    { "msg=\"xapic: ", -1 },
	    { "msg=\"x2apic: ", -1 },
	    { " mp_state       state=3 name=halted", 3 },
	    { " vcpus=4 irqchip=kernel", 1 } } },
	{ "ipi-2", "guest_ipi", { "--vcpus", "2", NULL },
	  { { "msg=\"INIT/SIPI: 2 of 2 vCPUs online\"", 1 }, { " vcpus=2 ", 1 } } },
	/* Timer interrupts counted within bounds by the payload. */
	{ "timer", "guest_timer", { NULL },
	  { { "msg=\"one-shot: exactly one interrupt (got 1)\"", 1 },
	    { "msg=\"periodic: 10 interrupts\"", 1 } } },
	/* Each edge of the line and each MSI delivered exactly once. */
	{ "extint", "guest_extint", { NULL },
	  { { "irq_line       gsi=10 level=1", 4 },
	    { "irq_line       gsi=10 level=0", 4 },
	    { "msi            addr=0xfee00000 data=0x42 delivered=yes", 2 },
	    { "msg=\"line: first edge delivered once (got 1)\"", 1 } } },
	{ "extint-split", "guest_extint", { "--irqchip", "split", NULL },
	  { { "ioapic_irq     pin=10 why=line vector=", -1 },
	    { "msi            addr=0xfee00000 data=0x42 delivered=yes", 2 } } },
	/* Below TPR stays pending; two pending come highest first. */
	{ "tpr", "guest_tpr", { NULL },
	  { { "msg=\"xapic: two pending, highest first: order wanted 71,51, got 71,51\"", 1 },
	    { "msg=\"x2apic: two pending, highest first: order wanted 71,51, got 71,51\"", 1 } } },
};

static void check_irq_run(const struct irq_case *c, const char *trace, int run)
{
	char *t = must_slurp(trace);

	check_complete(t, 0);
	if (!strstr(t, "end reason=exit verdict=pass status=0 ") ||
	    !strstr(t, " reports_failed=0 guest_errors=0 unexpected_exceptions=0"))
		fail_msg("%s run %d: did not pass cleanly: %s", c->name, run,
			 find_line(t, "end ") ? find_line(t, "end ") : "no end");
	for (int i = 0; i < MAX_WANT && c->want[i].text; i++) {
		int n = count_lines(t, c->want[i].text, NULL);

		if (c->want[i].count < 0 ? n < 1 : n != c->want[i].count)
			fail_msg("%s run %d (%s): '%s' on %d lines, wanted %d", c->name, run, trace,
				 c->want[i].text, n, c->want[i].count);
	}
	free(t);
}

static void test_irq_case(void **state)
{
	const struct irq_case *c = *state;
	char trace[256];

	if (!kvm_usable())
		skip();
	for (int run = 1; run <= RUNS; run++) {
		int st;

		snprintf(trace, sizeof(trace), OUT_DIR "/%s.%d.trace", c->name, run);
		st = run_payload(c->payload, c->args, trace, NULL, 1);
		if (st != 0)
			fail_msg("%s run %d: status %d, wanted 0 (%s)", c->name, run, st, trace);
		check_irq_run(c, trace, run);
	}
}

#define NIRQ (sizeof(irq_cases) / sizeof(irq_cases[0]))

int main(void)
{
	struct CMUnitTest tests[5 + NIRQ] = {
		cmocka_unit_test(test_vcpus_sigint),
		cmocka_unit_test(test_exit_call_stops_aps),
		cmocka_unit_test(test_vcpus_need_irqchip),
		cmocka_unit_test(test_max_exits_total),
		cmocka_unit_test(test_bench_exits),
	};

	for (size_t i = 0; i < NIRQ; i++)
		tests[5 + i] = (struct CMUnitTest){ irq_cases[i].name, test_irq_case, NULL, NULL,
						    (void *)&irq_cases[i] };

	mkdir("build", 0755);
	mkdir("build/tests", 0755);
	mkdir("build/tests/out", 0755);
	mkdir(OUT_DIR, 0755);
	if (_cmocka_run_group_tests("smp", tests, 5 + NIRQ, NULL, NULL))
		return 1;
	return kvm_usable() ? 0 : 77;
}
