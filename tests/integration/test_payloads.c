/* SPDX-License-Identifier: MIT */
/* test_payloads.c - runs every payload through ./minivmm: status, determinism, golden traces. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
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

#define OUT_DIR	 "build/tests/out"
#define MAX_ARGS 24

/* One row per run: the payload (a name under tests/, or a path to a file
 * such as a Multiboot kernel), extra arguments, the status it must give
 * (77 allowed where a host may lack the start mode), and the golden file. */
struct payload_case {
	const char *payload;
	const char *args[10];
	int status;
	int may_skip;
	const char *golden;
};

static const struct payload_case cases[] = {
	{ "guest_hlt", { NULL }, 0, 0, "guest_hlt.trace" },
	/* 64 steps: a whole-run --singlestep of guest_hlt never ends on a
	 * kvm_pvm host, whose HLT under single-step exits DEBUG, not HLT. */
	{ "guest_hlt", { "--singlestep=64", NULL }, 0, 0, "guest_hlt-singlestep.trace" },
	{ "guest_pio", { NULL }, 0, 0, "guest_pio.trace" },
	{ "guest_mmio", { NULL }, 0, 0, "guest_mmio.trace" },
	{ "guest_mmio", { "--format", "jsonl", NULL }, 0, 0, "guest_mmio.jsonl" },
	{ "guest_mode_real", { NULL }, 0, 0, "guest_mode_real.trace" },
	{ "guest_mode_prot32", { NULL }, 0, 0, "guest_mode_prot32.trace" },
	{ "guest_mode_paging32", { NULL }, 0, 1, "guest_mode_paging32.trace" },
	{ "guest_mode_pae", { NULL }, 0, 1, "guest_mode_pae.trace" },
	{ "guest_mode_long", { NULL }, 0, 0, "guest_mode_long.trace" },
	{ "guest_mode_la57", { NULL }, 0, 1, "guest_mode_la57.trace" },
	{ "guest_exception", { NULL }, 0, 0, "guest_exception.trace" },
	{ "guest_triplefault", { NULL }, 1, 0, "guest_triplefault.trace" },
	{ "guest_loop", { "--timeout", "1", NULL }, 1, 0, "guest_loop.trace" },
	{ "guest_dirty", { NULL }, 0, 0, "guest_dirty.trace" },
	{ "guest_dirty", { "--dirty", "clear", NULL }, 0, 0, "guest_dirty-clear.trace" },
	{ "guest_dirty", { "--dirty", "ring", NULL }, 0, 0, "guest_dirty-ring.trace" },
	{ "guest_dirty", { "--dirty", "ring", "--dirty-ring-size", "16K" }, 0, 0,
	  "guest_dirty-ring16k.trace" },
	{ "guest_dirty", { "--mem", "64G", NULL }, 0, 0, "guest_dirty-64g.trace" },
	/* 2048 entries in a 4096-entry ring: no full exit, whatever the host. */
	{ "guest_dirty_burst", { "--dirty", "ring", NULL }, 0, 0, "guest_dirty_burst-ring.trace" },
	{ "guest_ept", { NULL }, 0, 0, "guest_ept.trace" },
	{ "guest_ept", { "--backing", "thp", NULL }, 0, 0, "guest_ept-thp.trace" },
	{ "guest_ptwrite", { NULL }, 0, 0, "guest_ptwrite.trace" },
	/* One-vCPU interrupt payloads are deterministic too (test_smp.c runs
	 * them 20 times each, and guest_ipi, by their invariants). */
	{ "guest_tpr", { NULL }, 0, 0, "guest_tpr.trace" },
	{ "guest_timer", { NULL }, 0, 0, "guest_timer.trace" },
	{ "guest_extint", { NULL }, 0, 0, "guest_extint.trace" },
	{ "guest_extint", { "--irqchip", "split", NULL }, 0, 0, "guest_extint-split.trace" },
	{ "guest_emulate", { NULL }, 0, 0, "guest_emulate.trace" },
	{ "guest_emulate_fail", { NULL }, 1, 0, "guest_emulate_fail.trace" },
	/* 77 where kvm.force_emulation_prefix is off: the guest sees the #UD. */
	{ "guest_emulate_fep", { NULL }, 0, 1, "guest_emulate_fep.trace" },
	{ "guest_emulate_mode_real", { NULL }, 0, 0, "guest_emulate_mode_real.trace" },
	{ "guest_emulate_mode_prot32", { NULL }, 0, 0, "guest_emulate_mode_prot32.trace" },
	{ "guest_emulate_mode_long", { NULL }, 0, 0, "guest_emulate_mode_long.trace" },
	/* A Multiboot kernel: mem= in --append tells it what --mem is. */
	{ "tests/kernel_mb_info.elf",
	  { "--mem", "64M", "--append", "mem=64 hello multiboot", "--initrd",
	    "tests/kernels/mb_module.txt", "--symbols", "tests/kernel_mb_info.sym", NULL },
	  0,
	  0,
	  "kernel_mb_info.trace" },
	/* The PICs as a BIOS leaves them: IRQ 11 at vector 0x73, IRQ 3 at 0x0b. */
	{ "tests/kernel_pic.elf", { "--symbols", "tests/kernel_pic.sym", NULL }, 0, 0,
	  "kernel_pic.trace" },
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* Builds "minivmm run tests/<payload>.bin <args> --trace <trace> --quiet"
 * (a payload with a slash is a path, used as it is). */
static int run_case(const struct payload_case *c, const char *trace)
{
	char bin[256], out[300], err[300];
	char *argv[MAX_ARGS];
	int n = 0;

	snprintf(bin, sizeof(bin), strchr(c->payload, '/') ? "%s" : "tests/%s.bin", c->payload);
	snprintf(out, sizeof(out), "%s.stdout", trace);
	snprintf(err, sizeof(err), "%s.stderr", trace);
	argv[n++] = (char *)minivmm();
	argv[n++] = "run";
	argv[n++] = bin;
	for (int i = 0; c->args[i]; i++)
		argv[n++] = (char *)c->args[i];
	argv[n++] = "--trace";
	argv[n++] = (char *)trace;
	argv[n++] = "--quiet";
	argv[n] = NULL;
	return run_argv(argv, out, err, NULL, 1);
}

/*
 * How many times a case runs, each trace compared to the first: 20, or
 * MVM_PAYLOAD_RUNS; runs that wait for --timeout take 2 (their trace ends
 * where the timer stops them, which the test checks once more).
 */
static int repeats(const struct payload_case *c)
{
	const char *env = getenv("MVM_PAYLOAD_RUNS");
	int n = env ? atoi(env) : 20;

	for (int i = 0; c->args[i]; i++)
		if (strcmp(c->args[i], "--timeout") == 0)
			return 2;
	return n < 2 ? 2 : n;
}

/*
 * A vCPU that passed its ring's soft limit leaves with DIRTY_RING_FULL on its
 * next way into the guest. On VMX/SVM hardware every first write is a fault
 * exit that goes that way at once; kvm_pvm fixes the fault in a loop that
 * only sometimes passes there, so the full exit lands either at the write
 * or after the next OUT (guest_dirty has one right after the page that
 * crosses the limit). The trace is compared with the full exits' lines out
 * and every sequence number blanked; the number of full exits, their page
 * sets and everything else still have to match. In place; returns the length.
 */
static size_t full_exits_float(char *t)
{
	char *out = t;

	for (char *p = t; *p;) {
		char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);
		size_t sp = strspn(p, " "), dig = strspn(p + sp, "0123456789");

		if (dig && !strncmp(p + sp + dig, " vcpu", 5)) {
			bool full;

			if (nl)
				*nl = 0;
			full = strstr(p, " DIRTY_RING_FULL rip=") != NULL;
			if (nl)
				*nl = '\n';
			if (full) {
				p += len;
				continue;
			}
			memset(p + sp, '#', dig);
		}
		memmove(out, p, len);
		out += len;
		p += len;
	}
	*out = 0;
	return (size_t)(out - t);
}

/* A ring small enough to fill: its full exits float (full_exits_float). */
static bool small_ring(const struct payload_case *c)
{
	for (int i = 0; c->args[i]; i++)
		if (!strcmp(c->args[i], "--dirty-ring-size"))
			return true;
	return false;
}

static void test_payload_case(void **state)
{
	const struct payload_case *c = *state;
	char t1[256], t2[256], golden[256], norm[300];
	size_t l1, l2, lg, ln, lng;
	char *a, *b, *g, *n, *ng;
	int s1, s2;

	if (!kvm_usable())
		skip();
	snprintf(t1, sizeof(t1), OUT_DIR "/%s.1", c->golden);
	snprintf(t2, sizeof(t2), OUT_DIR "/%s.2", c->golden);
	snprintf(golden, sizeof(golden), "tests/golden/%s", c->golden);
	s1 = run_case(c, t1);
	if (s1 == 77 && c->may_skip) {
		a = slurp(t1, &l1);
		print_message("%s: skipped by minivmm: %s", c->payload,
			      a && find_line(a, "end ") ? find_line(a, "end ") : "no trace\n");
		free(a);
		skip();
	}
	assert_int_equal(s1, c->status);
	a = slurp(t1, &l1);
	assert_non_null(a);
	check_complete(a, strstr(c->golden, ".jsonl") != NULL);
	/* Deterministic: every further run is byte-identical to the first. */
	for (int run = 2; run <= repeats(c); run++) {
		s2 = run_case(c, t2);
		if (s2 != c->status)
			fail_msg("%s run %d: status %d, wanted %d", c->golden, run, s2, c->status);
		b = slurp(t2, &l2);
		assert_non_null(b);
		if (small_ring(c)) {
			char *a2 = strdup(a);

			assert_non_null(a2);
			l1 = full_exits_float(a2);
			l2 = full_exits_float(b);
			if (l1 != l2 || memcmp(a2, b, l1))
				fail_msg("%s run %d: trace %s differs from run 1's %s (full exits "
					 "aside)",
					 c->golden, run, t2, t1);
			free(a2);
			l1 = strlen(a);
		} else if (l1 != l2 || memcmp(a, b, l1))
			fail_msg("%s run %d: trace %s differs from run 1's %s", c->golden, run, t2,
				 t1);
		free(b);
	}
	b = NULL;
	/* The golden holds the trace with its payload-layout addresses normalized. */
	n = golden_normalize(a, &ln);
	snprintf(norm, sizeof(norm), "%s.golden", t1);
	spit(norm, n, ln);
	if (getenv("MVM_GOLDEN_UPDATE"))
		spit(golden, n, ln);
	g = slurp(golden, &lg);
	if (!g)
		fail_msg("%s: no golden file %s (make golden writes it)", c->payload, golden);
	ng = golden_normalize(g, &lng);
	if (small_ring(c)) {
		ln = full_exits_float(n);
		lng = full_exits_float(ng);
	}
	if (lng != ln || memcmp(n, ng, ln) != 0)
		fail_msg("%s: trace %s differs from %s (diff them; make golden if intended)",
			 c->payload, norm, golden);
	free(a);
	free(b);
	free(g);
	free(n);
	free(ng);
}

/* ---- guest_dirty: the page sets its doc comment promises, in every mode ---- */

#define DIRTY_PREFIX "dirty          at="
#define TEST_SLOT    " slot=2 name=test gpa=0xe0000000 "

static const char *const dirty_expected[] = {
	"checkpoint id=1" TEST_SLOT "count=0 pages=none",
	"checkpoint id=2" TEST_SLOT "count=2 pages=0xe0000000,0xe0005000",
	"checkpoint id=3" TEST_SLOT "count=12 pages=0xe0010000,0xe0012000,0xe0014000,0xe0016000,"
	"0xe0020000+8",
	"checkpoint id=4" TEST_SLOT "count=1 pages=0xe0031000",
	"checkpoint id=5" TEST_SLOT "count=2 pages=0xe003f000+2",
	"checkpoint id=6" TEST_SLOT "count=2048 pages=0xe0400000+2048",
	"checkpoint id=7" TEST_SLOT "count=1 pages=0xe0064000",
	"mem_op" TEST_SLOT "count=0 pages=none",
};

static void check_dirty_sets(const char *golden)
{
	char path[256];
	const char *p;
	size_t len, n = 0;
	char *t;

	snprintf(path, sizeof(path), OUT_DIR "/%s.1", golden);
	t = slurp(path, &len);
	if (!t)
		fail_msg("%s: no trace (did its case run?)", path);
	for (p = strstr(t, DIRTY_PREFIX); p; p = strstr(p + 1, DIRTY_PREFIX)) {
		const char *rec = p + strlen(DIRTY_PREFIX);
		size_t l = strcspn(rec, "\n");

		if (n >= sizeof(dirty_expected) / sizeof(dirty_expected[0]))
			fail_msg("%s: unexpected dirty record: %.*s", golden, (int)l, rec);
		if (l != strlen(dirty_expected[n]) || strncmp(rec, dirty_expected[n], l) != 0)
			fail_msg("%s: dirty record %zu:\n  wanted %s\n  got    %.*s", golden, n + 1,
				 dirty_expected[n], (int)l, rec);
		n++;
	}
	assert_int_equal(n, sizeof(dirty_expected) / sizeof(dirty_expected[0]));
	free(t);
}

static void test_dirty_sets_all_modes(void **state)
{
	(void)state;
	if (!kvm_usable())
		skip();
	check_dirty_sets("guest_dirty.trace");
	check_dirty_sets("guest_dirty-clear.trace");
	check_dirty_sets("guest_dirty-ring.trace");
	check_dirty_sets("guest_dirty-ring16k.trace");
	check_dirty_sets("guest_dirty-64g.trace");
}

/* The small ring must really have filled, or the 16K case proves nothing. */
static void test_dirty_ring_full_seen(void **state)
{
	size_t len;
	char *t;

	(void)state;
	if (!kvm_usable())
		skip();
	t = slurp(OUT_DIR "/guest_dirty-ring16k.trace.1", &len);
	assert_non_null(t);
	assert_non_null(strstr(t, "summary exit=DIRTY_RING_FULL count="));
	free(t);
}

/*
 * guest_dirty_burst in a 1024-entry ring: a KVM that stops the vCPU at the
 * soft limit gives every page (after DIRTY_RING_FULL exits); one that overruns
 * the ring (kvm_pvm) ends the run with status 3 at the overrun, and no page
 * set follows it. Nothing else, whichever way the timing goes.
 */
static void test_dirty_ring_overrun(void **state)
{
	static const struct payload_case c = {
		"guest_dirty_burst", { "--dirty", "ring", "--dirty-ring-size", "16K", NULL }, 0, 0,
		NULL
	};
	const char *trace = OUT_DIR "/guest_dirty_burst-ring16k.trace";
	const char *over;
	size_t len;
	char *t;
	int st;

	(void)state;
	if (!kvm_usable())
		skip();
	for (int i = 0; i < 3; i++) {
		st = run_case(&c, trace);
		t = slurp(trace, &len);
		assert_non_null(t);
		check_complete(t, 0);
		over = strstr(t, " dirty_ring_overrun ring=0 entries=1024\n");
		if (st == 0) {
			assert_null(over);
			assert_non_null(strstr(t, "summary exit=DIRTY_RING_FULL count="));
			assert_non_null(strstr(t, DIRTY_PREFIX "checkpoint id=2" TEST_SLOT
							   "count=2048 pages=0xe0000000+2048\n"));
		} else {
			assert_int_equal(st, 3);
			assert_non_null(over);
			assert_null(strstr(over, DIRTY_PREFIX));
			assert_non_null(strstr(over, "\nend reason=host_error verdict=error status=3 "));
			assert_non_null(strstr(over, " detail=\"the dirty ring of vCPU 0 was found "
						     "full (1024 entries): "));
		}
		free(t);
	}
}

/* 4 KiB and 2 MiB host pages: the same trace but for the header's backing=. */
static void test_backing_same_trace(void **state)
{
	size_t la, lb;
	char *a, *b, *ra, *rb;

	(void)state;
	if (!kvm_usable())
		skip();
	a = slurp(OUT_DIR "/guest_ept.trace.1", &la);
	b = slurp(OUT_DIR "/guest_ept-thp.trace.1", &lb);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(strstr(a, " backing=anon "));
	assert_non_null(strstr(b, " backing=thp "));
	ra = strchr(a, '\n');
	rb = strchr(b, '\n');
	assert_non_null(ra);
	assert_non_null(rb);
	assert_string_equal(ra, rb);
	free(a);
	free(b);
}

/* ---- the kernel's view: stats and tracepoints agree with the exits ---- */

/* Runs a payload with --stats --ktrace; 3 (no tracefs or perf) is a skip. */
static char *run_ktrace(const char *payload, const char *trace, pid_t *pid, int wait_for_it)
{
	char bin[128], out[300], err[300];
	char *argv[] = { (char *)minivmm(), "run", bin, "--stats", "--ktrace", "--trace",
			 (char *)trace, "--quiet", NULL };
	size_t len;
	int s;

	snprintf(bin, sizeof(bin), "tests/%s.bin", payload);
	snprintf(out, sizeof(out), "%s.stdout", trace);
	snprintf(err, sizeof(err), "%s.stderr", trace);
	s = run_argv(argv, out, err, pid, wait_for_it);
	if (!wait_for_it)
		return NULL;
	if (s == 3) {
		char *e = slurp(err, &len);

		print_message("--ktrace unavailable here: %s", e ? e : "?\n");
		free(e);
		skip();
	}
	assert_int_equal(s, 0);
	return slurp(trace, &len);
}

/*
 * guest_mmio: the vCPU's mmio_exits stat, the kvm_mmio events that left
 * for userspace (every type but "read", the completion of an unsatisfied
 * read) and the MMIO exit records are one and the same count.
 */
static void test_kernel_view_agrees(void **state)
{
	char *t, want[64];
	int exits, events;

	(void)state;
	if (!kvm_usable())
		skip();
	t = run_ktrace("guest_mmio", OUT_DIR "/ktrace.trace", NULL, 1);
	assert_non_null(t);
	exits = count_lines(t, "vcpu0 MMIO ", NULL);
	events = count_lines(t, "kevent         event=kvm_mmio ", NULL) -
		 count_lines(t, "kevent         event=kvm_mmio ", "mmio_type=read");
	assert_int_equal(exits, 43);
	if (events != exits)
		fail_msg("kvm_mmio events that exited: %d, MMIO exits: %d", events, exits);
	snprintf(want, sizeof(want), "name=mmio_exits stat_type=cumulative unit=none delta=%d", exits);
	if (!strstr(t, want))
		fail_msg("no kstat record '%s' in %s", want, OUT_DIR "/ktrace.trace");
	assert_int_equal(count_lines(t, "kevent         event=kvm_userspace_exit ", NULL),
			 count_lines(t, " vcpu0 IO ", NULL) + exits);
	free(t);
}

/* Two runs at once: each sees only its own vCPU thread's events. */
/* A --ktrace=LIST name this kernel lacks is a usage error: 2, one line, a complete trace. */
static void test_ktrace_unknown_event(void **state)
{
	char *argv[] = { (char *)minivmm(), "run", "tests/guest_hlt.bin", "--ktrace=kvm_exit,kvm_nosuch",
			 "--trace", OUT_DIR "/ktrace-nosuch.trace", NULL };
	char *err, *t;
	int st;

	(void)state;
	if (!kvm_usable())
		skip();
	st = run_argv(argv, OUT_DIR "/ktrace-nosuch.out", OUT_DIR "/ktrace-nosuch.err", NULL, 1);
	err = must_slurp(OUT_DIR "/ktrace-nosuch.err");
	if (st == 3 && (strstr(err, "tracefs") || strstr(err, "perf"))) {
		free(err);
		skip(); /* no tracepoints here at all */
	}
	assert_int_equal(st, 2);
	assert_int_equal(count_lines(err, "", NULL), 1);
	assert_non_null(strstr(err, "--ktrace: this kernel has no tracepoint kvm:kvm_nosuch"));
	t = must_slurp(OUT_DIR "/ktrace-nosuch.trace");
	assert_true(t[0] && t[strlen(t) - 1] == '\n');
	assert_non_null(strstr(find_line(t, "end "), "reason=usage_error verdict=error status=2"));
	free(err);
	free(t);
}

/* --kprobe where the kernel has no kprobe events: 3 and one line; else a kfunc per hit. */
static void test_kprobe(void **state)
{
	char *argv[] = { (char *)minivmm(), "run", "tests/guest_mmio.bin", "--kprobe",
			 "handle_ept_violation,kvm_mmu_page_fault,x86_emulate_instruction", "--trace",
			 OUT_DIR "/kprobe.trace", NULL };
	char *err, *t;
	int st;

	(void)state;
	if (!kvm_usable())
		skip();
	st = run_argv(argv, OUT_DIR "/kprobe.out", OUT_DIR "/kprobe.err", NULL, 1);
	err = must_slurp(OUT_DIR "/kprobe.err");
	t = must_slurp(OUT_DIR "/kprobe.trace");
	if (strstr(err, "has no kprobe events")) {
		assert_int_equal(st, 3);
		assert_int_equal(count_lines(err, "", NULL), 1);
		assert_non_null(strstr(find_line(t, "end "), "reason=host_error"));
	} else if (st != 3) {
		/* Some of the three run on any KVM for guest_mmio's MMIO exits. */
		assert_int_equal(st, 0);
		assert_non_null(strstr(t, "ktrace_event name=kprobe:kvm_mmu_page_fault status=on"));
		assert_true(count_lines(t, " kfunc ", NULL) > 0);
		assert_true(count_lines(t, "ksummary event=x86_emulate_instruction count=", NULL) == 1);
	} else {
		print_message("--kprobe unavailable here: %s", err);
	}
	free(err);
	free(t);
}

static void test_ktrace_runs_apart(void **state)
{
	size_t len;
	pid_t pid;
	char *a, *b;
	int st;

	(void)state;
	if (!kvm_usable())
		skip();
	run_ktrace("guest_pio", OUT_DIR "/ktrace-pio.trace", &pid, 0);
	a = run_ktrace("guest_mmio", OUT_DIR "/ktrace-mmio.trace", NULL, 1);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	b = slurp(OUT_DIR "/ktrace-pio.trace", &len);
	assert_non_null(a);
	assert_non_null(b);
	/* guest_pio's test-device ports never show up in guest_mmio's trace, and
	 * guest_mmio's MMIO never in guest_pio's. */
	assert_int_equal(count_lines(a, "kevent         event=kvm_pio ", "port=0xe0"), 0);
	assert_int_equal(count_lines(b, "kevent         event=kvm_mmio ", NULL), 0);
	assert_int_equal(count_lines(a, "kevent         event=kvm_userspace_exit ", NULL), 87);
	assert_int_equal(count_lines(b, "kevent         event=kvm_userspace_exit ", NULL),
			 count_lines(b, " vcpu0 IO ", NULL));
	free(a);
	free(b);
}

/* ---- nested payloads on a host that does not offer VMX/SVM: a clear skip ---- */

static const char *const nested_payloads[] = {
	"guest_svm_basic",  "guest_svm_invalid", "guest_svm_dirty", "guest_svm_paging",
	"guest_svm_intr",   "guest_vmx_basic",	 "guest_vmx_vmread", "guest_vmx_invalid",
	"guest_vmx_dirty",  "guest_vmx_paging",	 "guest_vmx_intr",   "guest_svm_except",
	"guest_vmx_except", "guest_vmx_pml",	 "guest_vmx_ptwrite",
};

/* Whether minivmm caps says this host offers isa ("svm" or "vmx") to guests. */
static int offered(const char *isa)
{
	char *argv[] = { (char *)minivmm(), "caps", "--json", NULL };
	char key[32];
	size_t len;
	char *out;
	int yes;

	assert_int_equal(run_argv(argv, OUT_DIR "/caps.json", OUT_DIR "/caps.err", NULL, 1), 0);
	out = slurp(OUT_DIR "/caps.json", &len);
	assert_non_null(out);
	snprintf(key, sizeof(key), "\"%s_offered\":true", isa);
	yes = strstr(out, key) != NULL;
	free(out);
	return yes;
}

static void test_nested_skip_here(void **state)
{
	int checked = 0;

	(void)state;
	if (!kvm_usable())
		skip();
	for (size_t i = 0; i < sizeof(nested_payloads) / sizeof(nested_payloads[0]); i++) {
		const char *isa = strstr(nested_payloads[i], "svm") ? "svm" : "vmx";
		char bin[128], want[64];
		char *argv[] = { (char *)minivmm(), "run", bin, "--quiet", "--trace",
				 OUT_DIR "/nested-skip.trace", NULL };
		size_t len;
		char *err;
		int s;

		if (offered(isa))
			continue; /* make check-nested runs them for real */
		snprintf(bin, sizeof(bin), "tests/%s.bin", nested_payloads[i]);
		snprintf(want, sizeof(want), "this host's KVM offers no %s to guests",
			 strcmp(isa, "svm") == 0 ? "SVM" : "VMX");
		s = run_argv(argv, OUT_DIR "/nested-skip.out", OUT_DIR "/nested-skip.err", NULL,
			     1);
		err = slurp(OUT_DIR "/nested-skip.err", &len);
		assert_non_null(err);
		if (s != 77 || !strstr(err, want) || strchr(err, '\n') != err + len - 1)
			fail_msg("%s: wanted exit 77 and one line '%s', got %d: %s",
				 nested_payloads[i], want, s, err);
		free(err);
		checked++;
	}
	if (!checked)
		skip();
}

/* ---- bad inputs: one line on stderr, exit 2, before any VM exists ---- */

static void expect_usage_error(const char *payload, const char *opt, const char *val,
			       const char *needle)
{
	char *argv[] = { (char *)minivmm(), "run", (char *)payload, (char *)opt, (char *)val, NULL };
	size_t len;
	char *err;
	int s;

	if (!opt)
		argv[3] = NULL;
	s = run_argv(argv, OUT_DIR "/bad.stdout", OUT_DIR "/bad.stderr", NULL, 1);
	err = slurp(OUT_DIR "/bad.stderr", &len);
	assert_non_null(err);
	if (s != 2 || !strstr(err, needle) || strchr(err, '\n') != err + len - 1)
		fail_msg("%s %s: wanted exit 2 and one line with '%s', got exit %d: %s", payload,
			 opt ? opt : "", needle, s, err);
	free(err);
}

static void test_bad_inputs(void **state)
{
	static const char truncated[] = { 'M', 'V', 'M', 'P', 1, 0, 4, 40, 0, 0 };
	char *big = calloc(1, 2 << 20);

	(void)state;
	assert_non_null(big);
	spit(OUT_DIR "/truncated.bin", truncated, sizeof(truncated));
	spit(OUT_DIR "/big.bin", big, 2 << 20);
	free(big);
	spit(OUT_DIR "/empty.bin", "", 0);
	expect_usage_error(OUT_DIR "/empty.bin", NULL, NULL, "is empty");
	/* Not regular files: refused by fstat, before a read (a FIFO without a writer
	 * would block the read, /dev/zero would never end it). */
	expect_usage_error("/dev/null", NULL, NULL, "is a character device, not a regular file");
	expect_usage_error("/dev/zero", NULL, NULL, "is a character device, not a regular file");
	expect_usage_error(OUT_DIR, NULL, NULL, "is a directory, not a regular file");
	unlink(OUT_DIR "/fifo.bin");
	assert_int_equal(mkfifo(OUT_DIR "/fifo.bin", 0600), 0);
	expect_usage_error(OUT_DIR "/fifo.bin", NULL, NULL, "is a FIFO, not a regular file");
	unlink(OUT_DIR "/fifo.bin");
	/* A 4 GiB hole: refused by its size, not read whole first. */
	{
		int fd = open(OUT_DIR "/sparse.bin", O_WRONLY | O_CREAT | O_TRUNC, 0600);

		assert_true(fd >= 0);
		assert_int_equal(ftruncate(fd, 4LL << 30), 0);
		close(fd);
	}
	expect_usage_error(OUT_DIR "/sparse.bin", NULL, NULL, "is larger than the largest low RAM");
	unlink(OUT_DIR "/sparse.bin");
	expect_usage_error(OUT_DIR "/truncated.bin", NULL, NULL, "truncated payload header");
	expect_usage_error(OUT_DIR "/big.bin", "--mem", "1M", "does not fit in guest memory");
	expect_usage_error("tests/guest_hlt.bin", "--entry", "0x40000000",
			   "is outside guest memory");
	expect_usage_error("tests/guest_hlt.bin", "--mode", "vm86", "unknown mode");
	expect_usage_error(OUT_DIR "/no-such-file.bin", NULL, NULL, "No such file");
	/* What the user typed is escaped: a newline in it never splits the line. */
	expect_usage_error(OUT_DIR "/no\nsuch.bin", NULL, NULL, "/no\\nsuch.bin: No such file");
	expect_usage_error("tests/guest_hlt.bin", "--mode", "lo\nng\x01",
			   "unknown mode 'lo\\nng\\x01'");
	spit(OUT_DIR "/bad.sym", "0000000000100030 T _start\nnot nm\n", 33);
	expect_usage_error("tests/guest_hlt.bin", "--symbols", OUT_DIR "/no-such.sym",
			   "cannot open symbol file " OUT_DIR "/no-such.sym");
	expect_usage_error("tests/guest_hlt.bin", "--symbols", OUT_DIR "/bad.sym",
			   "bad.sym: line 2 is not a symbol line");
}

/* The same for a run with more options: args ends with NULL. */
static void expect_usage_error_args(const char *const *args, const char *needle)
{
	char *argv[MAX_ARGS] = { (char *)minivmm(), "run" };
	size_t len, n = 2;
	char *err;
	int s;

	for (; *args && n < MAX_ARGS - 1; args++)
		argv[n++] = (char *)*args;
	argv[n] = NULL;
	s = run_argv(argv, OUT_DIR "/bad.stdout", OUT_DIR "/bad.stderr", NULL, 1);
	err = slurp(OUT_DIR "/bad.stderr", &len);
	assert_non_null(err);
	if (s != 2 || !strstr(err, needle) || strchr(err, '\n') != err + len - 1)
		fail_msg("%s: wanted exit 2 and one line with '%s', got exit %d: %s", argv[2],
			 needle, s, err);
	free(err);
}

/* Issue 10's acceptance 4: each bad kernel is one line and exit 2. */
static void test_bad_kernels(void **state)
{
	static const char *const initrd_too_big[] = {
		"tests/kernel_mb_info.elf", "--mem", "5M", "--initrd", OUT_DIR "/big.bin", NULL
	};
	static const char *const append_to_payload[] = { "tests/guest_hlt.bin", "--append", "x",
							 NULL };
	char *k, *big = calloc(1, 2 << 20);
	size_t len;

	(void)state;
	assert_non_null(big);
	spit(OUT_DIR "/big.bin", big, 2 << 20);
	free(big);
	k = slurp("tests/kernel_mb_info.elf", &len);
	assert_non_null(k);
	assert_true(len > 5000);
	spit(OUT_DIR "/truncated.elf", k, 5000);
	spit(OUT_DIR "/header-only.elf", k, 64);
	free(k);
	/* minivmm itself: an ELF64 with no Multiboot header. */
	expect_usage_error(minivmm(), NULL, NULL,
			   "ELF without a Multiboot header: minivmm boots Multiboot v1 kernels "
			   "or payloads");
	expect_usage_error(OUT_DIR "/truncated.elf", NULL, NULL, "truncated ELF");
	expect_usage_error(OUT_DIR "/header-only.elf", NULL, NULL, "truncated ELF");
	expect_usage_error("tests/kernel_mb_info.elf", "--mem", "4M", "is outside guest memory");
	expect_usage_error("tests/kernel_mb_info.elf", "--mode", "long", "cannot move it");
	expect_usage_error_args(initrd_too_big, "does not fit in guest memory");
	expect_usage_error_args(append_to_payload, "are for Multiboot kernels");
}

/* ---- symbols: found beside the payload, or given; absent, nothing changes ---- */

static char *run_hlt(const char *bin, const char *symbols, const char *trace)
{
	char *argv[] = { (char *)minivmm(), "run", (char *)bin, "--trace", (char *)trace,
			 "--quiet", "--symbols", (char *)symbols, NULL };
	size_t len;

	if (!symbols)
		argv[6] = NULL;
	assert_int_equal(run_argv(argv, OUT_DIR "/sym.out", OUT_DIR "/sym.err", NULL, 1), 0);
	return slurp(trace, &len);
}

static void test_symbols_found_or_given(void **state)
{
	size_t len, lerr;
	char *bin = slurp("tests/guest_hlt.bin", &len), *beside, *bare, *given, *broken, *err;

	(void)state;
	if (!kvm_usable())
		skip();
	assert_non_null(bin);
	spit(OUT_DIR "/nosym.bin", bin, len);
	unlink(OUT_DIR "/nosym.sym");
	spit(OUT_DIR "/brokensym.bin", bin, len);
	spit(OUT_DIR "/brokensym.sym", "garbage\n", 8);
	free(bin);
	beside = run_hlt("tests/guest_hlt.bin", NULL, OUT_DIR "/sym-beside.trace");
	bare = run_hlt(OUT_DIR "/nosym.bin", NULL, OUT_DIR "/sym-none.trace");
	given = run_hlt(OUT_DIR "/nosym.bin", "tests/guest_hlt.sym", OUT_DIR "/sym-given.trace");
	assert_non_null(beside);
	assert_non_null(bare);
	assert_non_null(given);
	if (!strstr(beside, " vcpu0 HLT            rip=0x") || !strstr(beside, " <main+0x"))
		fail_msg("no HLT in main in %s", OUT_DIR "/sym-beside.trace");
	assert_null(strchr(bare, '<'));
	/* A broken twin is warned about, and the run goes on without symbols. */
	broken = run_hlt(OUT_DIR "/brokensym.bin", NULL, OUT_DIR "/sym-broken.trace");
	err = slurp(OUT_DIR "/sym.err", &lerr);
	assert_non_null(broken);
	assert_non_null(err);
	assert_null(strchr(broken, '<'));
	if (!strstr(err, "ignoring symbol file " OUT_DIR "/brokensym.sym: line 1 "))
		fail_msg("broken .sym: no warning, stderr: %s", err);
	free(broken);
	free(err);
	/* The same run but for the header's payload name. */
	assert_string_equal(strchr(beside, '\n'), strchr(given, '\n'));
	free(beside);
	free(bare);
	free(given);
}

/* What golden_normalize keeps and what it drops. */
static void test_golden_normalize(void **state)
{
	static const char raw[] =
		"     1 vcpu0 IO             rip=0x1000bd <mvm_print+0x2d> dir=out port=0x500 "
		"size=4 count=1 data=0x8ffc0 dev=calls\n"
		"     2 vcpu0 IO             rip=0x1000d0 dir=in port=0xe08 size=4 count=1 "
		"data=0xdeadbe11 dev=testdev\n"
		"     3 vcpu0 regs           rip=0xfff0 rflags=0x2\n"
		"     4 vcpu0 HLT            rip=<sym> <main+0x11>\n"
		"{\"seq\":1,\"vcpu\":0,\"type\":\"exit\",\"exit\":\"IO\",\"rip\":\"0x1000bd\","
		"\"sym\":\"mvm_print+0x2d\",\"dir\":\"out\",\"port\":\"0x500\",\"data\":\"0x8ffc0\","
		"\"dev\":\"calls\"}\n"
		"{\"seq\":4,\"vcpu\":0,\"type\":\"kevent\",\"guest_rip\":\"0x100061\","
		"\"guest_rip_sym\":\"main+0x11\",\"info1\":\"0x0\"}\n";
	static const char want[] =
		"     1 vcpu0 IO             rip=<mvm_print+0x2d> dir=out port=0x500 "
		"size=4 count=1 data=<args> dev=calls\n"
		"     2 vcpu0 IO             rip=0x1000d0 dir=in port=0xe08 size=4 count=1 "
		"data=0xdeadbe11 dev=testdev\n"
		"     3 vcpu0 regs           rip=0xfff0 rflags=0x2\n"
		"     4 vcpu0 HLT            rip=<main+0x11>\n"
		"{\"seq\":1,\"vcpu\":0,\"type\":\"exit\",\"exit\":\"IO\",\"rip\":\"<sym>\","
		"\"sym\":\"mvm_print+0x2d\",\"dir\":\"out\",\"port\":\"0x500\",\"data\":\"<args>\","
		"\"dev\":\"calls\"}\n"
		"{\"seq\":4,\"vcpu\":0,\"type\":\"kevent\",\"guest_rip\":\"<sym>\","
		"\"guest_rip_sym\":\"main+0x11\",\"info1\":\"0x0\"}\n";
	size_t len, len2;
	char *n = golden_normalize(raw, &len), *again;

	(void)state;
	assert_string_equal(n, want);
	assert_int_equal(len, strlen(want));
	again = golden_normalize(n, &len2);
	assert_string_equal(again, want);
	free(n);
	free(again);
}

/* ---- endings: a trace is complete after Ctrl-C and --max-exits ---- */

static void test_sigint_keeps_trace(void **state)
{
	char *argv[] = { (char *)minivmm(),
			 "run",
			 "tests/guest_loop.bin",
			 "--trace",
			 OUT_DIR "/sigint.trace",
			 "--quiet",
			 NULL };
	struct timespec delay = { 0, 300 * 1000 * 1000 };
	size_t len;
	pid_t pid;
	char *t;
	int st;

	(void)state;
	if (!kvm_usable())
		skip();
	run_argv(argv, OUT_DIR "/sigint.stdout", OUT_DIR "/sigint.stderr", &pid, 0);
	nanosleep(&delay, NULL);
	assert_int_equal(kill(pid, SIGINT), 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 130);
	t = slurp(OUT_DIR "/sigint.trace", &len);
	assert_non_null(t);
	check_complete(t, 0);
	assert_non_null(strstr(t, "end reason=signal verdict=interrupted status=130"));
	free(t);
}

static void test_max_exits(void **state)
{
	static const struct payload_case c = {
		"guest_pio", { "--max-exits", "5", NULL }, 1, 0, "max-exits"
	};
	size_t len;
	char *t;

	(void)state;
	if (!kvm_usable())
		skip();
	assert_int_equal(run_case(&c, OUT_DIR "/max-exits.trace"), 1);
	t = slurp(OUT_DIR "/max-exits.trace", &len);
	assert_non_null(t);
	check_complete(t, 0);
	assert_non_null(strstr(t, "end reason=max_exits verdict=fail status=1 exits=5 "));
	free(t);
}

/* t without the lines that contain needle (malloc'ed). */
static char *drop_lines(const char *t, const char *needle)
{
	char *out = malloc(strlen(t) + 1), *o = out;

	assert_non_null(out);
	for (const char *p = t; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);
		const char *hit = strstr(p, needle);

		if (!hit || hit >= p + len) {
			memcpy(o, p, len);
			o += len;
		}
		p += len;
	}
	*o = 0;
	return out;
}

/* The end record and the summaries: everything from "end" on. */
static const char *end_and_summaries(const char *t, const char *end_prefix)
{
	const char *e = find_line(t, end_prefix);

	assert_non_null(e);
	return e;
}

/*
 * --no-exit-records drops the exit records and nothing else: guest_mmio's
 * JSONL trace is the one of a run without it minus its "exit" lines, so
 * the end record (exits=87) and the summaries are the same too; in text,
 * guest_pio's trace has no IO line and the same end and summaries.
 */
static void test_no_exit_records(void **state)
{
	static const struct payload_case on = {
		"guest_mmio", { "--format", "jsonl", NULL }, 0, 0, "noexit-on"
	};
	static const struct payload_case off = {
		"guest_mmio", { "--format", "jsonl", "--no-exit-records", NULL }, 0, 0, "noexit-off"
	};
	static const struct payload_case pio_on = { "guest_pio", { NULL }, 0, 0, "noexit-pio-on" };
	static const struct payload_case pio_off = {
		"guest_pio", { "--no-exit-records", NULL }, 0, 0, "noexit-pio-off"
	};
	static const char jexit[] = "\"type\":\"exit\"", jend[] = "{\"type\":\"end\"";
	char *a, *b, *want;

	(void)state;
	if (!kvm_usable())
		skip();
	assert_int_equal(run_case(&on, OUT_DIR "/noexit-on.jsonl"), 0);
	assert_int_equal(run_case(&off, OUT_DIR "/noexit-off.jsonl"), 0);
	a = must_slurp(OUT_DIR "/noexit-on.jsonl");
	b = must_slurp(OUT_DIR "/noexit-off.jsonl");
	check_complete(b, 1);
	assert_true(count_lines(a, jexit, NULL) > 0);
	assert_int_equal(count_lines(b, jexit, NULL), 0);
	assert_non_null(strstr(b, "{\"type\":\"end\",\"reason\":\"exit\",\"verdict\":\"pass\","
				  "\"status\":0,\"exits\":87,"));
	assert_string_equal(end_and_summaries(a, jend), end_and_summaries(b, jend));
	want = drop_lines(a, jexit);
	if (strcmp(want, b) != 0)
		fail_msg("%s is not %s without its exit records", OUT_DIR "/noexit-off.jsonl",
			 OUT_DIR "/noexit-on.jsonl");
	free(want);
	free(a);
	free(b);

	assert_int_equal(run_case(&pio_on, OUT_DIR "/noexit-pio-on.trace"), 0);
	assert_int_equal(run_case(&pio_off, OUT_DIR "/noexit-pio-off.trace"), 0);
	a = must_slurp(OUT_DIR "/noexit-pio-on.trace");
	b = must_slurp(OUT_DIR "/noexit-pio-off.trace");
	check_complete(b, 0);
	assert_true(count_lines(a, " vcpu0 IO ", NULL) > 0);
	assert_int_equal(count_lines(b, " vcpu0 IO ", NULL), 0);
	assert_true(count_lines(b, " vcpu0 report ", NULL) > 0);
	assert_string_equal(end_and_summaries(a, "end "), end_and_summaries(b, "end "));
	free(a);
	free(b);
}

/* --singlestep without N steps the whole run: one step per DEBUG exit, all
 * in the payload's mode, none the last, the same trace twice, and the run
 * ends as it does without stepping. (guest_hlt would never end here: on
 * kvm_pvm its HLT under single-step exits DEBUG.) */
static void test_singlestep_whole_run(void **state)
{
	static const struct payload_case c = {
		"guest_emulate_mode_real", { "--singlestep", NULL }, 0, 0, "singlestep"
	};
	char want[64];
	size_t l1, l2;
	char *a, *b;
	int steps;

	(void)state;
	if (!kvm_usable())
		skip();
	assert_int_equal(run_case(&c, OUT_DIR "/singlestep.1"), 0);
	assert_int_equal(run_case(&c, OUT_DIR "/singlestep.2"), 0);
	a = slurp(OUT_DIR "/singlestep.1", &l1);
	b = slurp(OUT_DIR "/singlestep.2", &l2);
	assert_non_null(a);
	assert_non_null(b);
	check_complete(a, 0);
	assert_int_equal(l1, l2);
	assert_memory_equal(a, b, l1);
	steps = count_lines(a, " vcpu0 step ", NULL);
	assert_true(steps > 100);
	assert_int_equal(count_lines(a, " vcpu0 step ", " mode=real "), steps);
	assert_int_equal(count_lines(a, " vcpu0 DEBUG ", " exception=1 "), steps);
	assert_int_equal(count_lines(a, " vcpu0 step ", "last=yes"), 0);
	snprintf(want, sizeof(want), "summary exit=DEBUG count=%d\n", steps);
	assert_non_null(strstr(a, want));
	assert_non_null(strstr(a, "end reason=exit verdict=pass status=0 "));
	free(a);
	free(b);
}

/* ---- without /dev/kvm: minivmm says so (exit 3) and this suite skips ---- */

static int hidden_kvm_works(void)
{
	return system("unshare -m sh -c 'mount -t tmpfs none /dev' >/dev/null 2>&1") == 0;
}

static void test_without_kvm(void **state)
{
	char cmd[512], *self;
	size_t len;
	char *out;
	int s;

	(void)state;
	if (getenv("MVM_INSIDE_NO_KVM") || !hidden_kvm_works())
		skip();
	snprintf(cmd, sizeof(cmd),
		 "unshare -m sh -c 'mount -t tmpfs none /dev && exec %s run tests/guest_hlt.bin' "
		 ">%s/nokvm.out 2>&1",
		 minivmm(), OUT_DIR);
	s = system(cmd);
	out = slurp(OUT_DIR "/nokvm.out", &len);
	assert_non_null(out);
	assert_true(WIFEXITED(s));
	if (WEXITSTATUS(s) != 3 || !strstr(out, "minivmm: cannot open /dev/kvm"))
		fail_msg("without /dev/kvm: wanted exit 3 and a reason, got %d: %s", WEXITSTATUS(s),
			 out);
	free(out);
	/* The payload cases of this very suite must skip, not pass. */
	self = realpath("/proc/self/exe", NULL); /* this suite, wherever it was built */
	assert_non_null(self);
	snprintf(cmd, sizeof(cmd),
		 "unshare -m sh -c 'mount -t tmpfs none /dev && MVM_INSIDE_NO_KVM=1 exec "
		 "%s' >%s/nokvm-suite.out 2>&1",
		 self, OUT_DIR);
	free(self);
	s = system(cmd);
	out = slurp(OUT_DIR "/nokvm-suite.out", &len);
	assert_non_null(out);
	if (!WIFEXITED(s) || WEXITSTATUS(s) != 77 || strstr(out, "[  PASSED  ] 0 test") == NULL)
		fail_msg("suite without /dev/kvm: wanted exit 77 with no case passed, got %d:\n%s",
			 WEXITSTATUS(s), out);
	free(out);
}

int main(void)
{
	struct CMUnitTest tests[NCASES + 24];
	size_t n = 0;
	int failed;

	mkdir("build", 0755);
	mkdir("build/tests", 0755);
	mkdir(OUT_DIR, 0755);
	for (size_t i = 0; i < NCASES; i++) {
		struct CMUnitTest t = { cases[i].golden, test_payload_case, NULL, NULL,
					(void *)&cases[i] };

		tests[n++] = t;
	}
	if (!getenv("MVM_INSIDE_NO_KVM")) {
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_dirty_sets_all_modes);
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_dirty_ring_full_seen);
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_dirty_ring_overrun);
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_backing_same_trace);
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_kernel_view_agrees);
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_ktrace_runs_apart);
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_ktrace_unknown_event);
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_kprobe);
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_nested_skip_here);
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_bad_inputs);
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_bad_kernels);
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_symbols_found_or_given);
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_golden_normalize);
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_sigint_keeps_trace);
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_max_exits);
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_no_exit_records);
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_singlestep_whole_run);
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_without_kvm);
	}
	failed = _cmocka_run_group_tests("payloads", tests, n, NULL, NULL);
	/* All skipped is not a pass: say so with the automake skip status. */
	return failed ? 1 : kvm_usable() ? 0 : 77;
}
