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
	int mmio;	       /* MMIO records in the trace (L2's accesses that L1 never saw) */
};

static const struct nested_case cases[] = {
	{ "svm", "guest_svm_basic", 0,
	  { "reason=0x72 name=CPUID", "reason=0x78 name=HLT", "reason=0x7b name=IOIO",
	    "reason=0x7c name=MSR", "reason=0x81 name=VMMCALL", "reason=0x400 name=NPF",
	    "reason=0x46 name=EXCP6", NULL }, 0 },
	{ "svm", "guest_svm_invalid", 0, { "reason=0xffffffffffffffff name=INVALID", NULL }, 0 },
	{ "svm", "guest_svm_dirty", 0, { NULL }, 0 },
	{ "svm", "guest_svm_intr", 0,
	  { "reason=0x60 name=INTR", "reason=0x81 name=VMMCALL", "reason=0x81 name=VMMCALL",
	    "reason=0x81 name=VMMCALL", NULL },
	  0 },
	{ "svm", "guest_svm_paging", 0,
	  { "reason=0x400 name=NPF", "reason=0x4e name=EXCP14", "reason=0x81 name=VMMCALL",
	    "reason=0x4e name=EXCP14", "reason=0x81 name=VMMCALL", NULL },
	  4 },
	{ "svm", "guest_svm_except", 0,
	  { "reason=0x46 name=EXCP6", "reason=0x4e name=EXCP14", "reason=0x4e name=EXCP14",
	    "reason=0x81 name=VMMCALL", "reason=0x81 name=VMMCALL", NULL },
	  0 },
	/* Not nested: the start modes kvm_pvm refuses, run by the QEMU boot's KVM. */
	{ "svm", "guest_mode_paging32", 0, { NULL }, 0 },
	{ "svm", "guest_mode_pae", 0, { NULL }, 0 },
	{ "svm", "guest_mode_la57", 0, { NULL }, 0 },
	{ "vmx", "guest_vmx_basic", 0,
	  { "reason=0xa name=CPUID", "reason=0xc name=HLT", "reason=0x1e name=IO_INSTRUCTION",
	    "reason=0x12 name=VMCALL", "reason=0x1f name=MSR_READ", "reason=0x1c name=CR_ACCESS",
	    "reason=0x30 name=EPT_VIOLATION", "reason=0x0 name=EXCEPTION_NMI", NULL }, 0 },
	{ "vmx", "guest_vmx_vmread", 0, { "reason=0xa name=CPUID", NULL }, 0 },
	{ "vmx", "guest_vmx_invalid", 0,
	  { "reason=0x80000021 name=INVALID_GUEST_STATE vm_entry_failure=yes", NULL }, 0 },
	{ "vmx", "guest_vmx_dirty", 0, { NULL }, 0 },
	/* Exits 1: run D's interrupt is not delivered to L1 on this stack (docs/nested.md). */
	{ "vmx", "guest_vmx_intr", 1,
	  { "reason=0x1 name=EXTERNAL_INTERRUPT", "reason=0x12 name=VMCALL",
	    "reason=0x12 name=VMCALL", "reason=0x1 name=EXTERNAL_INTERRUPT",
	    "reason=0x12 name=VMCALL", "reason=0x12 name=VMCALL", NULL },
	  0 },
	{ "vmx", "guest_vmx_except", 0,
	  { "reason=0x0 name=EXCEPTION_NMI", "reason=0x0 name=EXCEPTION_NMI",
	    "reason=0x0 name=EXCEPTION_NMI", "reason=0x12 name=VMCALL", "reason=0x12 name=VMCALL",
	    "reason=0x0 name=EXCEPTION_NMI", "reason=0x12 name=VMCALL",
	    "reason=0x0 name=EXCEPTION_NMI", "reason=0x12 name=VMCALL", NULL },
	  0 },
	{ "vmx", "guest_vmx_pml", 0,
	  { "reason=0x12 name=VMCALL", "reason=0x3e name=PML_FULL", "reason=0x12 name=VMCALL",
	    NULL },
	  0 },
	{ "vmx", "guest_vmx_ptwrite", 0, { "reason=0x12 name=VMCALL", NULL }, 0 },
	{ "vmx", "guest_vmx_paging", 0,
	  { "reason=0x30 name=EPT_VIOLATION", "reason=0x0 name=EXCEPTION_NMI",
	    "reason=0x12 name=VMCALL", "reason=0x0 name=EXCEPTION_NMI", "reason=0x12 name=VMCALL",
	    NULL },
	  4 },
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
	assert_int_equal(count_lines(a, " vcpu0 MMIO ", NULL), c->mmio);
	/* The first boot runs with --nested-state: L0's view of L1 at the end. */
	if (strstr(c->payload, "_svm_") || strstr(c->payload, "_vmx_")) {
		char end[48];

		snprintf(end, sizeof(end), " at=end format=%s ", c->isa);
		assert_int_equal(count_lines(a, " nested_state ", end), 1);
	}
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

/* A copy of t from the first place that holds from up to the first place
 * after it that holds to (NULL: the end); either missing fails the test. */
static char *cut(const char *t, const char *from, const char *to)
{
	const char *start = strstr(t, from), *end = NULL;
	char *part;

	if (!start)
		fail_msg("no '%s' in the trace", from);
	if (to && !(end = strstr(start, to)))
		fail_msg("no '%s' after '%s' in the trace", to, from);
	part = strndup(start, end ? (size_t)(end - start) : strlen(start));
	assert_non_null(part);
	return part;
}

/* The lines of t holding a (and b, unless NULL) between from and to, as cut() cuts them. */
static int lines_between(const char *t, const char *from, const char *to, const char *a,
			 const char *b)
{
	char *part = cut(t, from, to);
	int n = count_lines(part, a, b);

	free(part);
	return n;
}

/* The sum of the count=N of t's lines holding a and b. */
static long sum_counts(const char *t, const char *a, const char *b)
{
	long n = 0;

	for (const char *l = t; *l;) {
		const char *eol = strchr(l, '\n'), *c;
		size_t len = eol ? (size_t)(eol - l) : strlen(l);
		char *line = strndup(l, len);

		assert_non_null(line);
		if (strstr(line, a) && strstr(line, b) && (c = strstr(line, " count=")))
			n += strtol(c + 7, NULL, 10);
		free(line);
		l += len + (eol != NULL);
	}
	return n;
}

/* The hits of func between from and to, as cut() cuts them: its kfunc
 * records, or the counts of its kcount records (--kprobe-count). */
static long hits_between(const char *t, const char *from, const char *to, const char *func)
{
	char *part = cut(t, from, to);
	char needle[96];
	long n;

	snprintf(needle, sizeof(needle), "func=%s ", func);
	n = count_lines(part, " kfunc ", needle) + sum_counts(part, " kcount ", needle);
	free(part);
	return n;
}

/* Whether the boot in dir had the module parameter line param ("kvm/parameters/tdp_mmu:Y"). */
static int boot_param(const char *dir, const char *param)
{
	char path[512], line[160];
	size_t len;
	char *d;
	int yes;

	snprintf(path, sizeof(path), "%s/dmesg.txt", dir);
	d = slurp(path, &len);
	if (!d)
		fail_msg("no %s", path);
	snprintf(line, sizeof(line), "/sys/module/%s\n", param);
	yes = strstr(d, line) != NULL;
	free(d);
	return yes;
}

/*
 * --kprobe on a real L0 kernel (the SVM stack's kprobe boot, whose
 * arguments are NESTED_SVM_RUN_ARGS in the Makefile, in MVM_NESTED_SVM_KPROBE):
 * L0 runs nested_svm_vmrun once per VMRUN of L1, so its count equals the
 * l2_exit records L1 made, in both runs. The boot has --kprobe-count: no
 * kfunc record at all, and each function's kcount records add up to its
 * ksummary count.
 */
static const char *const svm_kcounted[] = { "nested_svm_vmrun", "npf_interception",
					     "x86_emulate_instruction", NULL };

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
		assert_int_equal(hits_between(t, "trace version=", NULL, "nested_svm_vmrun"), exits);
		assert_int_equal(ksummary(t, "nested_svm_vmrun"), exits);
		assert_int_equal(count_lines(t, " kfunc ", NULL), 0);
		for (const char *const *f = svm_kcounted; *f; f++) {
			char needle[96];

			snprintf(needle, sizeof(needle), "func=%s ", *f);
			assert_int_equal(sum_counts(t, " kcount ", needle), ksummary(t, *f));
		}
		free(t);
	}
}

/*
 * L0's gfn write tracking in a paging payload's kprobe trace: only while
 * L2 runs under L1's NPT or EPT does L0 shadow L1's table, write-protecting
 * its pages (kvm_slot_page_track_add_page); a write of L1 that L0 traps is
 * emulated (kvm_page_track_write -> kvm_mmu_pte_write, one each). Before
 * run 1 nothing is shadowed yet, and in run 2 (no nested paging, tdp_mmu)
 * nothing is. Returns the trapped writes of run 1.
 */
static long check_write_tracking(const char *dir, const char *t, const char *run1,
				 const char *run2)
{
	long writes = hits_between(t, run1, run2, "kvm_mmu_pte_write");

	assert_int_equal(hits_between(t, "trace version=", run1, "kvm_slot_page_track_add_page"),
			 0);
	assert_true(hits_between(t, run1, run2, "kvm_slot_page_track_add_page") > 0);
	assert_int_equal(hits_between(t, run1, run2, "kvm_page_track_write"), writes);
	if (boot_param(dir, "kvm/parameters/tdp_mmu:Y")) {
		assert_int_equal(hits_between(t, run2, NULL, "kvm_slot_page_track_add_page"), 0);
		assert_int_equal(hits_between(t, run2, NULL, "kvm_mmu_pte_write"), 0);
	}
	return writes;
}

/*
 * guest_svm_paging in the SVM kprobe boot: who handled each of L2's
 * accesses. L0 gives L1 exactly the NPFs L1 sees (nested_svm_inject_npf_exit
 * per NPF record), never runs its own #PF handler for the #PFs L1
 * intercepts, traps L1's VMSAVE and VMLOAD unless it virtualizes them (vls),
 * and builds a shadow NPT (kvm_init_shadow_npt_mmu, shadow pages) for the
 * L2 run under L1's NPT but none for the run without it, where L2 shares
 * L1's TDP MMU (tdp_mmu=Y; the legacy MMU makes shadow pages for both).
 */
static void test_kprobe_svm_paging(void **state)
{
	const char *dir = getenv("MVM_NESTED_SVM_KPROBE");
	const char *run1 = "text=\"L2 run 1:", *run2 = "text=\"L2 run 2:";

	(void)state;
	if (!dir)
		skip();
	for (int run = 1; run <= 2; run++) {
		char *t = boot_trace(dir, "guest_svm_paging", run, "SVM kprobe");

		assert_int_equal(ksummary(t, "nested_svm_vmrun"), count_lines(t, " l2_exit ", NULL));
		assert_int_equal(ksummary(t, "nested_svm_inject_npf_exit"),
				 count_lines(t, " l2_exit ", " name=NPF "));
		assert_int_equal(count_lines(t, " l2_exit ", " name=EXCP14 "), 2);
		assert_int_equal(ksummary(t, "pf_interception"), 0);
		if (boot_param(dir, "kvm_amd/parameters/vls:1")) {
			print_message("vls=1: L0 may run L1's VMSAVE/VMLOAD without an exit\n");
		} else {
			assert_int_equal(ksummary(t, "vmsave_interception"), 2);
			assert_int_equal(ksummary(t, "vmload_interception"), 1);
		}
		assert_true(hits_between(t, run1, run2, "kvm_init_shadow_npt_mmu") > 0);
		assert_true(hits_between(t, run1, run2, "__kvm_mmu_get_shadow_page") > 0);
		assert_int_equal(hits_between(t, run2, NULL, "kvm_init_shadow_npt_mmu"), 0);
		if (boot_param(dir, "kvm/parameters/tdp_mmu:Y"))
			assert_int_equal(hits_between(t, run2, NULL, "__kvm_mmu_get_shadow_page"), 0);
		/* L1 maps the hole by writing its NPT, a page L0 write-protected. */
		assert_true(check_write_tracking(dir, t, run1, run2) > 0);
		free(t);
	}
}

/* The first injections of VEC (0x40) in kvm_inj_virq records; reinjections say reinjected=0x1. */
#define FIRST_INJECTION "vector=0x40 soft=0x0 reinjected=0x0"

/*
 * guest_svm_intr in the SVM kprobe boot (also --ktrace with the nested and
 * injection tracepoints): L0 accepts each of L2's three IPIs on the vCPU's
 * LAPIC, makes one INTR exit for L1 (kvm_nested_intr_vmexit, then
 * kvm_nested_vmexit_inject with INTR) in run A and none in B and C, and
 * injects the interrupt into L2 before L2's exit only in run B, where L1
 * does not intercept INTR: in A and C the one injection comes after the
 * exit, into L1.
 */
static void test_kprobe_svm_intr(void **state)
{
	const char *dir = getenv("MVM_NESTED_SVM_KPROBE");
	static const char *const runs[] = { "text=\"A:", "text=\"B:", "text=\"C:" };

	(void)state;
	if (!dir)
		skip();
	for (int run = 1; run <= 2; run++) {
		char *t = boot_trace(dir, "guest_svm_intr", run, "SVM kprobe");
		int exits = count_lines(t, " l2_exit ", NULL);

		assert_int_equal(exits, 4);
		assert_int_equal(ksummary(t, "nested_svm_vmexit"), exits);
		assert_int_equal(ksummary(t, "kvm_nested_intr_vmexit"), 1);
		assert_int_equal(count_lines(t, "event=kvm_nested_vmexit_inject ", "reason_name=INTR"),
				 1);
		assert_int_equal(ksummary(t, "__apic_accept_irq"), 3);
		assert_int_equal(count_lines(t, " kevent ", FIRST_INJECTION), 3);
		for (int r = 0; r < 3; r++)
			assert_int_equal(lines_between(t, runs[r], " l2_exit ", " kevent ",
						       FIRST_INJECTION),
					 r == 1);
		free(t);
	}
}

/* A first injection of #UD into L2 (kvm_inj_exception); a retry of it says reinjected=0x1. */
#define UD_INJECTION "exception=0x6 has_error=0x0 error_code=0x0 reinjected=0x0"

/*
 * guest_svm_except in the SVM kprobe boot: L0 runs its own #UD handler
 * (ud_interception -> handle_ud) once in each run, whether L1 intercepts
 * #UD or not, because L0 intercepts #UD for itself and SVM's nested exit
 * path gives such exceptions to L0 first; the #UD then reaches L1 as an
 * EXCP6 exit in run A and L2's IDT as an injection in run B. No #PF of L2
 * ever reaches L0's #PF handler, and none is injected.
 */
static void test_kprobe_svm_except(void **state)
{
	const char *dir = getenv("MVM_NESTED_SVM_KPROBE");
	const char *a = "text=\"A:", *b = "text=\"B:";

	(void)state;
	if (!dir)
		skip();
	for (int run = 1; run <= 2; run++) {
		char *t = boot_trace(dir, "guest_svm_except", run, "SVM kprobe");
		int exits = count_lines(t, " l2_exit ", NULL);

		assert_int_equal(exits, 5);
		assert_int_equal(ksummary(t, "nested_svm_vmexit"), exits);
		assert_int_equal(hits_between(t, a, b, "ud_interception"), 1);
		assert_int_equal(hits_between(t, a, b, "handle_ud"), 1);
		assert_int_equal(hits_between(t, b, NULL, "ud_interception"), 1);
		assert_int_equal(hits_between(t, b, NULL, "handle_ud"), 1);
		/* Both handle_ud calls emulate with EMULTYPE_TRAP_UD, and nothing else does. */
		assert_int_equal(sum_counts(t, "khist func=x86_emulate_instruction arg=type ",
					    "flags=\"TRAP_UD\""),
				 2);
		assert_int_equal(lines_between(t, a, b, " kevent ", "event=kvm_inj_exception "), 0);
		assert_int_equal(count_lines(t, "event=kvm_nested_vmexit_inject ", "reason_name=EXCP6"),
				 1);
		assert_int_equal(lines_between(t, b, NULL, " kevent ", UD_INJECTION), 1);
		assert_int_equal(count_lines(t, "event=kvm_inj_exception ", " exception=0xe "), 0);
		assert_int_equal(ksummary(t, "pf_interception"), 0);
		free(t);
	}
}

/* The sum of the counts of func's khist records for arg; each must name its flags. */
static long khist_sum(const char *t, const char *func, const char *arg)
{
	char head[128];
	long n = 0;

	snprintf(head, sizeof(head), "khist func=%s arg=%s value=", func, arg);
	for (const char *l = t; (l = strstr(l, head)); l++) {
		const char *eol = strchr(l, '\n'), *c = strstr(l, " count="),
			   *f = strstr(l, " flags=");

		if (l != t && l[-1] != '\n')
			continue;
		if (!c || (eol && c > eol) || !f || (eol && f > eol))
			fail_msg("khist line without count and flags: %.200s", l);
		n += strtol(c + 7, NULL, 10);
	}
	return n;
}

/*
 * The SVM kprobe boot's fetched arguments (NESTED_SVM_KPROBE_ARGS):
 * x86_emulate_instruction's emulation type and kvm_mmu_page_fault's error
 * code, counted by value at the end (khist records) and named (EMULTYPE_*,
 * PFERR_*). Every hit has its value counted; under NPT, L0's page faults
 * come from NPF exits, whose error code says the fault was on the final
 * guest-physical address (PFERR_GUEST_FINAL) or in a guest page-table walk.
 */
static void test_kprobe_args_svm(void **state)
{
	const char *dir = getenv("MVM_NESTED_SVM_KPROBE");

	(void)state;
	if (!dir)
		skip();
	for (int run = 1; run <= 2; run++) {
		char *t = boot_trace(dir, "guest_svm_paging", run, "SVM kprobe");
		long emul = ksummary(t, "x86_emulate_instruction");
		long pf = ksummary(t, "kvm_mmu_page_fault");

		assert_true(emul > 0);
		assert_int_equal(khist_sum(t, "x86_emulate_instruction", "type"), emul);
		assert_true(pf > 0);
		assert_int_equal(khist_sum(t, "kvm_mmu_page_fault", "error"), pf);
		assert_true(count_lines(t, "khist func=kvm_mmu_page_fault ", "GUEST_FINAL") > 0);
		free(t);
	}
}

/*
 * --kstack at checkpoints (the SVM kprobe boot has it): guest_svm_dirty's
 * checkpoints each print the vCPU's chains so far, numbered like its other
 * records, so a chain's count there never exceeds its count at the end, and
 * it grows from checkpoint to checkpoint: nested_svm_vmrun's is 1 at the
 * first checkpoint after L2 ran and its VMRUN total at the end.
 */
static void test_kstack_checkpoints(void **state)
{
	const char *dir = getenv("MVM_NESTED_SVM_KPROBE");
	const char *chain = "kstack         func=nested_svm_vmrun count=";

	(void)state;
	if (!dir)
		skip();
	for (int run = 1; run <= 2; run++) {
		char *t = boot_trace(dir, "guest_svm_dirty", run, "SVM kprobe");
		long total = ksummary(t, "nested_svm_vmrun"), last = 0;
		int seen = 0;

		assert_true(total > 0);
		assert_int_equal(sum_counts(t, "kstack func=nested_svm_vmrun ", "stack="), total);
		for (const char *l = t; (l = strstr(l, chain)); l++) {
			long n = strtol(l + strlen(chain), NULL, 10);

			assert_true(n >= last && n <= total);
			last = n;
			seen++;
		}
		assert_true(seen > 0);
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

/* The hits of func whose kstack chain passes through caller, summed over its kstack lines. */
static long kstack_via(const char *t, const char *func, const char *caller)
{
	char head[96], via[96];
	long n = 0;

	snprintf(head, sizeof(head), "kstack func=%s count=", func);
	snprintf(via, sizeof(via), " <- %s+", caller);
	for (const char *l = t; (l = strstr(l, head)); l++) {
		const char *eol = strchr(l, '\n'), *v = strstr(l, via);

		if ((l == t || l[-1] == '\n') && v && (!eol || v < eol))
			n += strtol(l + strlen(head), NULL, 10);
	}
	return n;
}

/*
 * guest_vmx_paging in the VMX no-shadow boot (--kprobe with the list in
 * the Makefile, --kstack): nested_vmx_vmexit once per exit L1 sees, reached
 * through nested_ept_inject_page_fault for the EPT violation L0 reflects and
 * through nested_vmx_reflect_vmexit for the others; L0's own exception
 * handler never runs for the #PFs L1 intercepts; the shadow EPT
 * (kvm_init_shadow_ept_mmu, shadow pages) exists for the L2 run under L1's
 * EPT only (tdp_mmu=Y: without EPT, L2 shares L1's TDP MMU).
 */
static void test_kprobe_vmx_paging(void **state)
{
	const char *dir = getenv("MVM_NESTED_VMX_NOSHADOW");
	const char *run1 = "text=\"L2 run 1:", *run2 = "text=\"L2 run 2:";

	(void)state;
	if (!dir)
		skip();
	for (int run = 1; run <= 2; run++) {
		char *t = boot_trace(dir, "guest_vmx_paging", run, "VMX no-shadow");
		int exits = count_lines(t, " l2_exit ", NULL);
		int ept = count_lines(t, " l2_exit ", " name=EPT_VIOLATION ");

		assert_int_equal(exits, 5);
		assert_int_equal(ept, 1);
		assert_int_equal(ksummary(t, "nested_vmx_vmexit"), exits);
		assert_int_equal(ksummary(t, "nested_ept_inject_page_fault"), ept);
		assert_int_equal(kstack_via(t, "nested_vmx_vmexit", "nested_ept_inject_page_fault"),
				 ept);
		assert_int_equal(kstack_via(t, "nested_vmx_vmexit", "nested_vmx_reflect_vmexit"),
				 exits - ept);
		assert_int_equal(count_lines(t, " l2_exit ", " name=EXCEPTION_NMI "), 2);
		assert_int_equal(ksummary(t, "handle_exception_nmi"), 0);
		assert_true(hits_between(t, run1, run2, "kvm_init_shadow_ept_mmu") > 0);
		assert_true(hits_between(t, run1, run2, "__kvm_mmu_get_shadow_page") > 0);
		assert_int_equal(hits_between(t, run2, NULL, "kvm_init_shadow_ept_mmu"), 0);
		if (boot_param(dir, "kvm/parameters/tdp_mmu:Y"))
			assert_int_equal(hits_between(t, run2, NULL, "__kvm_mmu_get_shadow_page"), 0);
		/* L1's EPT write for the hole is not trapped on this stack (docs/nested.md). */
		check_write_tracking(dir, t, run1, run2);
		free(t);
	}
}

/*
 * guest_vmx_intr in the VMX no-shadow boot: L0 accepts L2's four IPIs and
 * L1's one (run D's 0x41) on the vCPU's LAPIC; the two EXTERNAL_INTERRUPT
 * exits L1 sees (runs A and C) are L0's own nested_vmx_vmexit, made from
 * its event check (vmx_check_nested_events; the VMCALLs come through
 * nested_vmx_reflect_vmexit; KVM 6.1's VMX path has no kvm_nested_intr_vmexit
 * tracepoint, SVM's has); the interrupt is injected into L2 before L2's
 * exit only in run B, where L1 does not exit on interrupts.
 */
static void test_kprobe_vmx_intr(void **state)
{
	const char *dir = getenv("MVM_NESTED_VMX_NOSHADOW");
	static const char *const runs[] = { "text=\"A:", "text=\"B:", "text=\"C:", "text=\"D:" };

	(void)state;
	if (!dir)
		skip();
	for (int run = 1; run <= 2; run++) {
		char *t = boot_trace(dir, "guest_vmx_intr", run, "VMX no-shadow");
		int exits = count_lines(t, " l2_exit ", NULL);
		int intr = count_lines(t, " l2_exit ", " name=EXTERNAL_INTERRUPT ");

		assert_int_equal(exits, 6);
		assert_int_equal(intr, 2);
		assert_int_equal(ksummary(t, "nested_vmx_vmexit"), exits);
		assert_int_equal(count_lines(t, "event=kvm_nested_vmexit_inject ",
					     "reason_name=EXTERNAL_INTERRUPT"),
				 intr);
		assert_int_equal(kstack_via(t, "nested_vmx_vmexit", "vmx_check_nested_events"), intr);
		assert_int_equal(kstack_via(t, "nested_vmx_vmexit", "nested_vmx_reflect_vmexit"),
				 exits - intr);
		assert_int_equal(ksummary(t, "__apic_accept_irq"), 5);
		/* Run D: L0 opens an interrupt window while L2 runs with IF clear,
		 * then, after the VMCALL exit to L1, does not look at events again
		 * until L1's second IPI (docs/nested.md, "Run D on VMX"). */
		assert_true(hits_between(t, "text=\"D:", " l2_exit ", "vmx_enable_irq_window") > 0);
		assert_int_equal(hits_between(t, "not in service", "sending 0x41",
					      "kvm_check_and_inject_events"),
				 0);
		for (int r = 0; r < 4; r++)
			assert_int_equal(lines_between(t, runs[r], " l2_exit ", " kevent ",
						       FIRST_INJECTION),
					 r == 1);
		free(t);
	}
}

/*
 * guest_vmx_except in the VMX no-shadow boot: every exception L1 wants
 * goes straight back to it (nested_vmx_reflect_vmexit, also for the #UD,
 * unlike SVM); L0's own #UD handler (handle_exception_nmi -> handle_ud)
 * runs once in each run where L1 does not intercept #UD (B, C, D) and then
 * injects the #UD into L2; L0 never sees an L2 #PF it would handle or
 * inject. vmx_update_exception_bitmap merges L1's bitmap into vmcs02's at
 * every nested VM entry, changed or not.
 */
static void test_kprobe_vmx_except(void **state)
{
	const char *dir = getenv("MVM_NESTED_VMX_NOSHADOW");
	static const char *const runs[] = { "text=\"A:", "text=\"B:", "text=\"C:", "text=\"D:",
					     NULL };

	(void)state;
	if (!dir)
		skip();
	for (int run = 1; run <= 2; run++) {
		char *t = boot_trace(dir, "guest_vmx_except", run, "VMX no-shadow");
		int exits = count_lines(t, " l2_exit ", NULL);

		assert_int_equal(exits, 9);
		assert_int_equal(ksummary(t, "nested_vmx_vmexit"), exits);
		assert_int_equal(kstack_via(t, "nested_vmx_vmexit", "nested_vmx_reflect_vmexit"),
				 exits);
		assert_int_equal(ksummary(t, "vmx_update_exception_bitmap"), exits);
		assert_int_equal(kstack_via(t, "vmx_update_exception_bitmap",
					    "nested_vmx_enter_non_root_mode"),
				 exits);
		for (int r = 0; r < 4; r++) {
			assert_int_equal(hits_between(t, runs[r], runs[r + 1], "handle_exception_nmi"),
					 r > 0);
			assert_int_equal(hits_between(t, runs[r], runs[r + 1], "handle_ud"), r > 0);
			assert_int_equal(lines_between(t, runs[r], runs[r + 1], " kevent ",
						       UD_INJECTION),
					 r > 0);
		}
		assert_int_equal(kstack_via(t, "handle_ud", "vmx_handle_exit"), 3);
		assert_int_equal(count_lines(t, "event=kvm_inj_exception ", " exception=0xe "), 0);
		free(t);
	}
}

/*
 * guest_vmx_pml in the VMX no-shadow boot: L0 emulates L1's PML. Every
 * entry L1 finds in its log was written by nested_vmx_write_pml_buffer,
 * called from L0's walker of L1's EPT (ept_walk_addr_generic) as it sets
 * a dirty flag on L2's first write to a 2 MiB page; in run B the call for
 * the third page finds the log full, and that walk becomes the PML-full
 * exit (one nested_ept_inject_page_fault, before the exit), after which
 * the retried write is logged by one more call.
 */
static void test_kprobe_vmx_pml(void **state)
{
	const char *dir = getenv("MVM_NESTED_VMX_NOSHADOW");
	const char *a = "text=\"A: PML index 511", *b = "text=\"B: PML index 1,";
	const char *full = "name=PML_FULL";

	(void)state;
	if (!dir)
		skip();
	for (int run = 1; run <= 2; run++) {
		char *t = boot_trace(dir, "guest_vmx_pml", run, "VMX no-shadow");
		int exits = count_lines(t, " l2_exit ", NULL);
		int logged_a = count_lines(t, "text=\"A: pml[", NULL);

		assert_int_equal(exits, 3);
		assert_int_equal(ksummary(t, "nested_vmx_vmexit"), exits);
		assert_true(logged_a >= 3);
		assert_int_equal(hits_between(t, a, b, "nested_vmx_write_pml_buffer"), logged_a);
		assert_int_equal(hits_between(t, b, full, "nested_vmx_write_pml_buffer"), 3);
		assert_int_equal(hits_between(t, full, NULL, "nested_vmx_write_pml_buffer"), 1);
		assert_int_equal(kstack_via(t, "nested_vmx_write_pml_buffer", "ept_walk_addr_generic"),
				 logged_a + 4);
		assert_int_equal(ksummary(t, "nested_ept_inject_page_fault"), 1);
		assert_int_equal(hits_between(t, b, full, "nested_ept_inject_page_fault"), 1);
		assert_int_equal(count_lines(t, "event=kvm_nested_vmexit_inject ",
					     "reason_name=PML_FULL"),
				 1);
		free(t);
	}
}

/*
 * guest_vmx_ptwrite, L2 writing its own PML4 (L1 without EPT), in two L0
 * setups. With EPT in L0 (the no-shadow boot) the writes are plain memory
 * writes: during the L2 run, no write tracking, no emulation, no L0
 * exception handler. With ept=0 (MVM_NESTED_VMX_NOEPT) L0 shadow-pages L2:
 * it write-protects the pages it shadows, traps both of L2's writes to the
 * PML4 and emulates them (kvm_page_track_write -> kvm_mmu_pte_write, two
 * each, from x86_emulate_instruction), and none of it reaches L1.
 */
static const char *const ptwrite_funcs[] = { "kvm_mmu_pte_write", "kvm_page_track_write",
					      "kvm_slot_page_track_add_page", "handle_exception_nmi",
					      NULL };

static void test_kprobe_vmx_ptwrite(void **state)
{
	const char *with_ept = getenv("MVM_NESTED_VMX_NOSHADOW");
	const char *no_ept = getenv("MVM_NESTED_VMX_NOEPT");
	const char *l2 = "text=\"L2 run:";

	(void)state;
	if (!with_ept || !no_ept)
		skip();
	if (!boot_param(no_ept, "kvm_intel/parameters/ept:N"))
		fail_msg("%s: not a boot with kvm_intel ept=0", no_ept);
	for (int run = 1; run <= 2; run++) {
		char *t = boot_trace(with_ept, "guest_vmx_ptwrite", run, "VMX no-shadow");

		assert_int_equal(count_lines(t, " l2_exit ", NULL), 1);
		for (const char *const *f = ptwrite_funcs; *f; f++)
			assert_int_equal(hits_between(t, l2, " l2_exit ", *f), 0);
		free(t);
		t = boot_trace(no_ept, "guest_vmx_ptwrite", run, "VMX ept=0");
		assert_int_equal(count_lines(t, " l2_exit ", NULL), 1);
		assert_int_equal(hits_between(t, l2, " l2_exit ", "kvm_mmu_pte_write"), 2);
		assert_int_equal(hits_between(t, l2, " l2_exit ", "kvm_page_track_write"), 2);
		assert_int_equal(kstack_via(t, "kvm_mmu_pte_write", "x86_emulate_instruction"),
				 ksummary(t, "kvm_mmu_pte_write"));
		assert_true(hits_between(t, l2, " l2_exit ", "kvm_slot_page_track_add_page") > 0);
		assert_true(hits_between(t, l2, " l2_exit ", "handle_exception_nmi") > 0);
		free(t);
	}
}

int main(void)
{
	struct CMUnitTest tests[sizeof(cases) / sizeof(cases[0]) + 12];
	size_t n = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct CMUnitTest t = { cases[i].payload, test_nested_case, NULL, NULL,
					(void *)&cases[i] };

		tests[n++] = t;
	}
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_kprobe_vmrun);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_kprobe_svm_paging);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_kprobe_svm_intr);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_kprobe_svm_except);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_kprobe_args_svm);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_kstack_checkpoints);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_kprobe_vmread_noshadow);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_kprobe_vmx_paging);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_kprobe_vmx_intr);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_kprobe_vmx_except);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_kprobe_vmx_pml);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_kprobe_vmx_ptwrite);
	if (!getenv("MVM_NESTED_SVM") && !getenv("MVM_NESTED_VMX"))
		print_message("MVM_NESTED_SVM / MVM_NESTED_VMX unset: run make check-nested\n");
	return _cmocka_run_group_tests("nested", tests, n, NULL, NULL) ? 1 : 0;
}
