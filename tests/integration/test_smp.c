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

static char *must_slurp(const char *path)
{
	size_t len;
	char *t = slurp(path, &len);

	if (!t)
		fail_msg("no trace %s", path);
	return t;
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vcpus_sigint),
		cmocka_unit_test(test_exit_call_stops_aps),
		cmocka_unit_test(test_vcpus_need_irqchip),
		cmocka_unit_test(test_max_exits_total),
	};

	mkdir("build", 0755);
	mkdir("build/tests", 0755);
	mkdir("build/tests/out", 0755);
	mkdir(OUT_DIR, 0755);
	if (cmocka_run_group_tests(tests, NULL, NULL))
		return 1;
	return kvm_usable() ? 0 : 77;
}
