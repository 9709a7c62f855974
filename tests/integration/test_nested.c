/* SPDX-License-Identifier: MIT */
/* test_nested.c - judges nested payload runs made on an emulated stack (make check-nested). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

/*
 * tests/nested/run.sh boots QEMU (SVM) or Bochs (VMX), runs each payload
 * twice inside with a static minivmm, and leaves <dir>/<name>.1.trace,
 * <name>.2.trace and <name>.status ("<status1> <status2>"). This program
 * holds them to the same rules as the host suite: the status its row
 * names, two byte-identical traces, equality with tests/golden/nested/
 * once both are normalized (golden_normalize() in testutil.h),
 * and the L2 exits each payload exists to show.
 */
struct nested_case {
	const char *isa; /* "svm" or "vmx": which run made it */
	const char *payload;
	int status;
	const char *exits[10]; /* l2_exit records that must appear, in order */
};

static const struct nested_case cases[] = {
	{ "svm", "guest_svm_basic", 0,
	  { "reason=0x72 name=CPUID", "reason=0x78 name=HLT", "reason=0x7b name=IOIO",
	    "reason=0x7c name=MSR", "reason=0x81 name=VMMCALL", "reason=0x400 name=NPF",
	    "reason=0x46 name=EXCP6", NULL } },
	{ "svm", "guest_svm_invalid", 0, { "reason=0xffffffffffffffff name=INVALID", NULL } },
	{ "svm", "guest_svm_dirty", 0, { NULL } },
	/* Not nested: the start modes kvm_pvm refuses, run by the QEMU boot's KVM. */
	{ "svm", "guest_mode_paging32", 0, { NULL } },
	{ "svm", "guest_mode_pae", 0, { NULL } },
	{ "svm", "guest_mode_la57", 0, { NULL } },
	{ "vmx", "guest_vmx_basic", 0,
	  { "reason=0xa name=CPUID", "reason=0xc name=HLT", "reason=0x1e name=IO_INSTRUCTION",
	    "reason=0x12 name=VMCALL", "reason=0x1f name=MSR_READ", "reason=0x1c name=CR_ACCESS",
	    "reason=0x30 name=EPT_VIOLATION", "reason=0x0 name=EXCEPTION_NMI", NULL } },
	{ "vmx", "guest_vmx_vmread", 0, { "reason=0xa name=CPUID", NULL } },
	{ "vmx", "guest_vmx_invalid", 0,
	  { "reason=0x80000021 name=INVALID_GUEST_STATE vm_entry_failure=yes", NULL } },
	{ "vmx", "guest_vmx_dirty", 0, { NULL } },
};

static const char *dir_for(const char *isa)
{
	return getenv(strcmp(isa, "svm") == 0 ? "MVM_NESTED_SVM" : "MVM_NESTED_VMX");
}

static void check_exits(const struct nested_case *c, const char *trace)
{
	const char *p = trace;

	for (int i = 0; c->exits[i]; i++) {
		const char *hit = NULL;

		/* Each wanted exit after the previous one, on an l2_exit line. */
		for (const char *q = strstr(p, c->exits[i]); q; q = strstr(q + 1, c->exits[i])) {
			const char *bol = q;

			while (bol > trace && bol[-1] != '\n')
				bol--;
			if (strstr(bol, "l2_exit") && strstr(bol, "l2_exit") < q) {
				hit = q;
				break;
			}
		}
		if (!hit)
			fail_msg("%s: no l2_exit with '%s' after the previous one", c->payload,
				 c->exits[i]);
		p = hit;
	}
}

static void test_nested_case(void **state)
{
	const struct nested_case *c = *state;
	const char *dir = dir_for(c->isa);
	char path[512], golden[256];
	size_t l1, l2, lg, ls, ln, lng;
	char *a, *b, *g, *st, *n, *ng;
	int s1 = -1, s2 = -1;

	if (!dir)
		skip();
	snprintf(path, sizeof(path), "%s/%s.status", dir, c->payload);
	st = slurp(path, &ls);
	if (!st)
		fail_msg("%s: no %s (did the %s boot run it?)", c->payload, path, c->isa);
	if (sscanf(st, "%d %d", &s1, &s2) != 2 || s1 != c->status || s2 != c->status)
		fail_msg("%s: wanted status %d twice, got '%.40s'", c->payload, c->status, st);
	snprintf(path, sizeof(path), "%s/%s.1.trace", dir, c->payload);
	a = slurp(path, &l1);
	snprintf(path, sizeof(path), "%s/%s.2.trace", dir, c->payload);
	b = slurp(path, &l2);
	assert_non_null(a);
	assert_non_null(b);
	if (l1 != l2 || memcmp(a, b, l1) != 0)
		fail_msg("%s: the two runs' traces differ (%s/%s.[12].trace)", c->payload, dir,
			 c->payload);
	check_exits(c, a);
	/* Compared normalized, as test_payloads compares (testutil.h). */
	snprintf(golden, sizeof(golden), "tests/golden/nested/%s.trace", c->payload);
	n = golden_normalize(a, &ln);
	snprintf(path, sizeof(path), "%s/%s.1.trace.golden", dir, c->payload);
	spit(path, n, ln);
	if (getenv("MVM_GOLDEN_UPDATE"))
		spit(golden, n, ln);
	g = slurp(golden, &lg);
	if (!g)
		fail_msg("%s: no golden file %s", c->payload, golden);
	ng = golden_normalize(g, &lng);
	if (lng != ln || memcmp(n, ng, ln) != 0)
		fail_msg("%s: trace differs from %s (diff %s/%s.1.trace.golden against it)",
			 c->payload, golden, dir, c->payload);
	free(a);
	free(b);
	free(g);
	free(st);
	free(n);
	free(ng);
}

/* The count in a "ksummary event=FUNC count=N" line of t; -1 if none. */
static long ksummary(const char *t, const char *func)
{
	char prefix[96];
	const char *l;

	snprintf(prefix, sizeof(prefix), "ksummary event=%s count=", func);
	l = find_line(t, prefix);
	return l ? strtol(l + strlen(prefix), NULL, 10) : -1;
}

/* Run run (1 or 2) of payload in a boot's directory dir, or the test fails. */
static char *boot_trace(const char *dir, const char *payload, int run, const char *boot)
{
	char path[512];
	size_t len;
	char *t;

	snprintf(path, sizeof(path), "%s/%s.%d.trace", dir, payload, run);
	t = slurp(path, &len);
	if (!t)
		fail_msg("no %s (did the %s boot run?)", path, boot);
	return t;
}

/*
 * --kprobe on a real L0 kernel (the SVM stack's boot with
 * MVM_NESTED_RUN_ARGS="--kprobe nested_svm_vmrun", in MVM_NESTED_SVM_KPROBE):
 * L0 runs nested_svm_vmrun once per VMRUN of L1, so its count equals the
 * l2_exit records L1 made, in both runs.
 */
static void test_kprobe_vmrun(void **state)
{
	const char *dir = getenv("MVM_NESTED_SVM_KPROBE");

	(void)state;
	if (!dir)
		skip();
	for (int run = 1; run <= 2; run++) {
		char *t = boot_trace(dir, "guest_svm_basic", run, "SVM kprobe");
		int exits = count_lines(t, " l2_exit ", NULL);

		assert_true(exits > 0);
		assert_non_null(strstr(t, "ktrace_event name=kprobe:nested_svm_vmrun status=on"));
		assert_int_equal(count_lines(t, " kfunc ", "func=nested_svm_vmrun "), exits);
		assert_int_equal(ksummary(t, "nested_svm_vmrun"), exits);
		free(t);
	}
}

/*
 * With shadow VMCS off (MVM_NESTED_VMX_NOSHADOW: the VMX stack booted with
 * kvm_intel enable_shadow_vmcs=0 and --kprobe handle_vmread,handle_vmwrite
 * --kstack), every VMREAD and VMWRITE of L1 exits to L0: the kprobe counts
 * equal what the SDK counted in L1, and the one chain is
 * handle_vmread <- vmx_handle_exit <- ... <- kvm_vcpu_ioctl.
 */
static void test_kprobe_vmread_noshadow(void **state)
{
	const char *dir = getenv("MVM_NESTED_VMX_NOSHADOW");

	(void)state;
	if (!dir)
		skip();
	for (int run = 1; run <= 2; run++) {
		char *t = boot_trace(dir, "guest_vmx_vmread", run, "VMX no-shadow");
		unsigned long long reads = 0, writes = 0;
		const char *l = strstr(t, "L1 executed "), *chain;

		if (!l || sscanf(l, "L1 executed %llu VMREADs and %llu VMWRITEs", &reads, &writes) != 2)
			fail_msg("run %d: no 'L1 executed N VMREADs and M VMWRITEs' print", run);
		assert_true(reads > 0 && writes > 0);
		assert_int_equal(ksummary(t, "handle_vmread"), (long)reads);
		assert_int_equal(ksummary(t, "handle_vmwrite"), (long)writes);
		chain = find_line(t, "kstack func=handle_vmread ");
		assert_non_null(chain);
		if (!strstr(chain, "stack=\"handle_vmread+") || !strstr(chain, " <- vmx_handle_exit+") ||
		    !strstr(chain, " <- kvm_vcpu_ioctl+"))
			fail_msg("run %d: unexpected chain: %.300s", run, chain);
		free(t);
	}
}

int main(void)
{
	struct CMUnitTest tests[sizeof(cases) / sizeof(cases[0]) + 2];
	size_t n = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct CMUnitTest t = { cases[i].payload, test_nested_case, NULL, NULL,
					(void *)&cases[i] };

		tests[n++] = t;
	}
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_kprobe_vmrun);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_kprobe_vmread_noshadow);
	if (!getenv("MVM_NESTED_SVM") && !getenv("MVM_NESTED_VMX"))
		print_message("MVM_NESTED_SVM / MVM_NESTED_VMX unset: run make check-nested\n");
	return _cmocka_run_group_tests("nested", tests, n, NULL, NULL) ? 1 : 0;
}
