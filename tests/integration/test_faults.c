/* SPDX-License-Identifier: MIT */
/* test_faults.c - fails each KVM ioctl of a run in turn: every host failure must end as one. */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

/*
 * For each run below: one run under libfailioctl.so with MVM_FAULT_LOG lists
 * the ioctl calls; then, for every (request, nth) pair of that list, one
 * more run fails that call with EIO. A failing host call is a host error:
 * exit 3 (never 0), exactly one stderr line "minivmm: ...", and a complete
 * trace whose one `end` record says reason=host_error. Every case runs;
 * each one that breaks a rule prints one line, and the run's test fails at
 * the end with their number.
 */

#define OUT_DIR	       "build/tests/out/faults"
#define SHIM_DEFAULT   "build/tests/libfailioctl.so"
#define MAX_ARGS       16
#define MAX_REQUESTS   64
#define RUN_TIMEOUT_MS 5000
#define STATUS_TIMEOUT -1
#define FAULT_ERRNO    "EIO"
#define STATUS_HOST    3
#define REQ_NAME_MAX   48
#define ERR_LINE_MAX   160
#define END_REASON_MAX 48
/*
 * A request issued more often than this (KVM_RUN once per exit) is failed
 * at a bounded, deterministic selection of its calls: the first, the
 * second, the last, and evenly spaced ones between. Every call of it goes
 * through the same code, and the whole program must stay well under 60 s.
 */
#define MAX_PICKS 12

struct fault_run {
	const char *name;
	const char *payload;
	const char *args[4];
	/* Several vCPU threads: calls may differ in number from run to run, so a
	 * fault that found no Nth call is noted, not counted. */
	int calls_vary;
};

static const struct fault_run runs[] = {
	{ "dirty-bitmap", "guest_dirty", { "--dirty", "bitmap", NULL }, 0 },
	{ "dirty-clear", "guest_dirty", { "--dirty", "clear", NULL }, 0 },
	{ "dirty-ring", "guest_dirty", { "--dirty", "ring", NULL }, 0 },
	{ "ept", "guest_ept", { NULL }, 0 },
	/* KVM_SET_GUEST_DEBUG on and off, and each step's KVM_GET_SREGS. */
	{ "singlestep", "guest_hlt", { "--singlestep=8", NULL }, 0 },
	{ "ipi", "guest_ipi", { NULL }, 1 },
};
#define NRUNS (sizeof(runs) / sizeof(runs[0]))

/*
 * Outcomes other than status 3 / host_error allowed for a failed request,
 * with the reason; a row adds an outcome, 3 stays allowed. None so far: the
 * shim fails calls with EIO, never KVM's verdict on what it was asked. Left
 * out after a look:
 * - KVM_CHECK_EXTENSION: minivmm reads a failed check as "absent" (QEMU and
 *   kvmtool do too), so a host failure silently changes the run (no
 *   KVM_SET_TSS_ADDR, the plain dirty ring instead of acq_rel); the KVM
 *   selftests treat it as fatal, and so does this table.
 * - KVM_SET_USER_MEMORY_REGION for a guest's memory call: abi.md records a
 *   refusal (mem result=refused) and runs on, right for KVM's EEXIST or
 *   EINVAL on the guest's request, not for a host that cannot do it.
 * - KVM_SET_SREGS of an la57 start state: a refusal and then a good retry
 *   without CR4.LA57 is a documented skip (77), but no run here is la57.
 */
static const struct {
	const char *request;
	int status;
	const char *reason;
	const char *why;
} allowed[] = {
	{ NULL, 0, NULL, NULL },
};

struct request_calls {
	char name[REQ_NAME_MAX];
	unsigned long calls;
};

/* What one run of minivmm gave. */
struct outcome {
	int status;   /* exit status, 128+signal, or STATUS_TIMEOUT */
	int injected; /* the shim's log shows the failed call */
	int stderr_lines;
	char stderr_first[ERR_LINE_MAX];
	char end_reason[END_REASON_MAX]; /* "none" without an end record */
	int end_complete;
	long end_status;
};

/* LD_PRELOAD wants a path the loader finds from any directory. */
static const char *shim_path(void)
{
	static char path[4096];
	const char *s = getenv("MVM_FAULT_SHIM");

	if (!realpath(s ? s : SHIM_DEFAULT, path))
		return NULL;
	return path;
}

/* In the child: the shim's settings, and nothing left over from ours. */
static void child_env(const char *log, const char *request, unsigned long nth)
{
	char n[32];

	unsetenv("MVM_FAULT_IOCTL");
	unsetenv("MVM_FAULT_NTH");
	setenv("LD_PRELOAD", shim_path(), 1);
	setenv("MVM_FAULT_LOG", log, 1);
	setenv("MVM_FAULT_ERRNO", FAULT_ERRNO, 1);
	if (request) {
		snprintf(n, sizeof(n), "%lu", nth);
		setenv("MVM_FAULT_IOCTL", request, 1);
		setenv("MVM_FAULT_NTH", n, 1);
	}
}

/* Waits at most RUN_TIMEOUT_MS: a run a fault leaves hanging is a finding. */
static int wait_bounded(pid_t pid)
{
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	int st;

	if (pfd >= 0) {
		struct pollfd p = { .fd = pfd, .events = POLLIN };
		int ready = poll(&p, 1, RUN_TIMEOUT_MS);

		close(pfd);
		if (ready == 0) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			return STATUS_TIMEOUT;
		}
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Runs argv under the shim, output in base.stdout, base.stderr, base.log. */
static int spawn(char *const argv[], const char *base, const char *request, unsigned long nth)
{
	char out[300], err[300], log[300];
	pid_t pid;

	snprintf(out, sizeof(out), "%s.stdout", base);
	snprintf(err, sizeof(err), "%s.stderr", base);
	snprintf(log, sizeof(log), "%s.log", base);
	unlink(log); /* the shim appends */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(126);
		child_env(log, request, nth);
		execv(argv[0], argv);
		_exit(127);
	}
	return wait_bounded(pid);
}

/* "minivmm run tests/<payload>.bin <args> --trace <base>.trace --quiet". */
static int run_minivmm(const struct fault_run *r, const char *base, const char *request,
		       unsigned long nth)
{
	char bin[256], trace[300];
	char *argv[MAX_ARGS];
	int n = 0;

	snprintf(bin, sizeof(bin), "tests/%s.bin", r->payload);
	snprintf(trace, sizeof(trace), "%s.trace", base);
	unlink(trace);
	argv[n++] = (char *)minivmm();
	argv[n++] = "run";
	argv[n++] = bin;
	for (int i = 0; r->args[i]; i++)
		argv[n++] = (char *)r->args[i];
	argv[n++] = "--trace";
	argv[n++] = trace;
	argv[n++] = "--quiet";
	argv[n] = NULL;
	return spawn(argv, base, request, nth);
}

/* Each request of a call log with its number of calls, in first-call order. */
static size_t read_log(const char *path, struct request_calls *rc, size_t max)
{
	char line[256];
	size_t n = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char name[REQ_NAME_MAX];
		unsigned long nth;
		size_t i;

		if (sscanf(line, "%47s nth=%lu", name, &nth) != 2)
			fail_msg("%s: a line the shim does not write: %s", path, line);
		for (i = 0; i < n && strcmp(rc[i].name, name) != 0; i++)
			;
		if (i == n) {
			assert_true(n < max);
			snprintf(rc[n].name, sizeof(rc[n].name), "%s", name);
			rc[n++].calls = 0;
		}
		if (nth > rc[i].calls)
			rc[i].calls = nth; /* threads may log out of order */
	}
	fclose(f);
	return n;
}

/* Which calls of a request issued `calls` times get failed; see MAX_PICKS. */
static size_t pick_calls(unsigned long calls, unsigned long *pick)
{
	size_t n = 0;

	if (calls <= MAX_PICKS) {
		for (unsigned long i = 1; i <= calls; i++)
			pick[n++] = i;
		return n;
	}
	pick[n++] = 1;
	pick[n++] = 2;
	for (unsigned long k = 1; k <= MAX_PICKS - 3; k++) {
		unsigned long c = 2 + k * (calls - 2) / (MAX_PICKS - 2);

		if (c > pick[n - 1] && c < calls)
			pick[n++] = c;
	}
	pick[n++] = calls;
	return n;
}

static void read_stderr(const char *path, struct outcome *o)
{
	size_t len;
	char *e = slurp(path, &len);

	o->stderr_lines = 0;
	o->stderr_first[0] = '\0';
	if (!e)
		return;
	for (size_t i = 0; i < len; i++)
		o->stderr_lines += e[i] == '\n';
	if (len && e[len - 1] != '\n')
		o->stderr_lines++;
	snprintf(o->stderr_first, sizeof(o->stderr_first), "%.*s", (int)strcspn(e, "\n"), e);
	free(e);
}

/* The value of " key=" in one line of text, as a word, into buf. */
static int field(const char *line, size_t len, const char *key, char *buf, size_t n)
{
	char pat[32];
	const char *p;
	size_t l;

	snprintf(pat, sizeof(pat), " %s=", key);
	p = memmem(line, len, pat, strlen(pat));
	if (!p)
		return 0;
	p += strlen(pat);
	l = strcspn(p, " \n");
	snprintf(buf, n, "%.*s", (int)l, p);
	return 1;
}

/*
 * Complete: the file ends with a newline, it has exactly one `end` record,
 * after it come only summary (and ksummary) records, and the summary counts
 * add up to the end record's exits.
 */
static void read_trace(const char *path, struct outcome *o)
{
	char word[64];
	unsigned long exits = 0, counted = 0, per_vcpu = 0;
	int vcpu_lines = 0;
	const char *end = NULL;
	int ends = 0, only_summaries = 1;
	size_t len;
	char *t = slurp(path, &len);

	snprintf(o->end_reason, sizeof(o->end_reason), "%s", t ? "none" : "no-trace");
	o->end_complete = 0;
	o->end_status = -1;
	if (!t)
		return;
	for (const char *p = t; *p;) {
		size_t l = strcspn(p, "\n");

		if (strncmp(p, "end ", 4) == 0) {
			end = p;
			ends++;
			only_summaries = 1;
			counted = per_vcpu = 0;
			vcpu_lines = 0;
		} else if (end && strncmp(p, "summary ", 8) == 0) {
			if (field(p, l, "count", word, sizeof(word)))
				counted += strtoul(word, NULL, 10);
		} else if (end && strncmp(p, "vcpu_summary ", 13) == 0) {
			/* Several vCPUs: each one's counts, adding up to the same total. */
			vcpu_lines++;
			if (field(p, l, "count", word, sizeof(word)))
				per_vcpu += strtoul(word, NULL, 10);
		} else if (end && strncmp(p, "ksummary ", 9) != 0) {
			only_summaries = 0;
		}
		p += l + (p[l] == '\n');
	}
	if (end) {
		size_t l = strcspn(end, "\n");

		field(end, l, "reason", o->end_reason, sizeof(o->end_reason));
		if (field(end, l, "status", word, sizeof(word)))
			o->end_status = strtol(word, NULL, 10);
		if (field(end, l, "exits", word, sizeof(word)))
			exits = strtoul(word, NULL, 10);
		o->end_complete = ends == 1 && only_summaries && counted == exits &&
				  (!vcpu_lines || per_vcpu == exits) && t[len - 1] == '\n';
	}
	free(t);
}

static void read_injected(const char *path, struct outcome *o)
{
	size_t len;
	char *log = slurp(path, &len);

	o->injected = log && strstr(log, " injected=") != NULL;
	free(log);
}

/* The allowed[] row this outcome matches, or NULL. */
static const char *allowed_other(const char *request, const struct outcome *o)
{
	for (size_t i = 0; allowed[i].request; i++)
		if (strcmp(allowed[i].request, request) == 0 && allowed[i].status == o->status &&
		    strcmp(allowed[i].reason, o->end_reason) == 0)
			return allowed[i].why;
	return NULL;
}

static int outcome_ok(const struct outcome *o, const char *why_other)
{
	int status_ok = (o->status == STATUS_HOST && strcmp(o->end_reason, "host_error") == 0) ||
			why_other;

	return status_ok && o->status != 0 && o->stderr_lines == 1 &&
	       strncmp(o->stderr_first, "minivmm: ", 9) == 0 && o->end_complete &&
	       o->end_status == o->status;
}

static void print_case(const struct fault_run *r, const char *request, unsigned long nth,
		       const struct outcome *o, const char *what)
{
	char status[16];

	if (o->status == STATUS_TIMEOUT)
		snprintf(status, sizeof(status), "timeout");
	else
		snprintf(status, sizeof(status), "%d", o->status);
	print_message("%s: %s %s nth=%lu status=%s stderr_lines=%d end=%s%s end_status=%ld | %s\n",
		      what, r->name, request, nth, status, o->stderr_lines, o->end_reason,
		      o->end_complete ? "" : "(incomplete)", o->end_status, o->stderr_first);
}

/* One faulted run; returns 1 if it broke a rule (and says how). */
static int fault_case(const struct fault_run *r, const char *request, unsigned long nth)
{
	char base[256], path[300];
	const char *why;
	struct outcome o;

	snprintf(base, sizeof(base), OUT_DIR "/%s", r->name);
	o.status = run_minivmm(r, base, request, nth);
	snprintf(path, sizeof(path), "%s.log", base);
	read_injected(path, &o);
	snprintf(path, sizeof(path), "%s.stderr", base);
	read_stderr(path, &o);
	snprintf(path, sizeof(path), "%s.trace", base);
	read_trace(path, &o);
	if (o.status == 125)
		fail_msg("%s %s nth=%lu: the shim refused its settings: %s", r->name, request, nth,
			 o.stderr_first);
	if (!o.injected && r->calls_vary) {
		print_case(r, request, nth, &o, "NOTE no such call this time");
		return 0;
	}
	if (!o.injected) {
		print_case(r, request, nth, &o, "FAIL not injected (fewer calls than logged)");
		return 1;
	}
	why = allowed_other(request, &o);
	if (outcome_ok(&o, why)) {
		if (why)
			print_case(r, request, nth, &o, why);
		return 0;
	}
	print_case(r, request, nth, &o, "FAIL");
	return 1;
}

/* The run's options after the payload, as typed, for the rerun hint. */
static const char *args_text(const struct fault_run *r)
{
	static char buf[128];
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; r->args[i] && n < sizeof(buf); i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, " %s", r->args[i]);
	return buf;
}

/* The unfaulted run: it must pass, or the faults would prove nothing. */
static size_t list_calls(const struct fault_run *r, struct request_calls *rc)
{
	char base[256], log[300];
	int s;

	snprintf(base, sizeof(base), OUT_DIR "/%s", r->name);
	snprintf(log, sizeof(log), "%s.log", base);
	s = run_minivmm(r, base, NULL, 0);
	if (s != 0)
		fail_msg("%s: the run without a fault exited %d, wanted 0 (see %s.stderr)", r->name,
			 s, base);
	return read_log(log, rc, MAX_REQUESTS);
}

static void test_fault_run(void **state)
{
	const struct fault_run *r = *state;
	struct request_calls rc[MAX_REQUESTS];
	unsigned long pick[MAX_PICKS];
	char bin[256];
	size_t nreq;
	int cases = 0, failed = 0;

	if (!kvm_usable())
		skip();
	snprintf(bin, sizeof(bin), "tests/%s.bin", r->payload);
	if (access(bin, R_OK) != 0) {
		print_message("%s: %s does not exist yet: skipped\n", r->name, bin);
		skip();
	}
	if (!shim_path())
		fail_msg("no ioctl shim at %s (make builds it)", SHIM_DEFAULT);
	nreq = list_calls(r, rc);
	if (nreq == 0) {
		print_message("%s: the shim saw no ioctl (a static minivmm?): skipped\n", r->name);
		skip();
	}
	for (size_t i = 0; i < nreq; i++) {
		size_t np = pick_calls(rc[i].calls, pick);

		for (size_t j = 0; j < np; j++, cases++)
			failed += fault_case(r, rc[i].name, pick[j]);
	}
	if (failed)
		fail_msg("%s: %d of %d faulted calls did not end as a host error, one line each "
			 "above; to rerun one: MVM_FAULT_IOCTL=NAME MVM_FAULT_NTH=N LD_PRELOAD=%s "
			 "%s run tests/%s.bin%s",
			 r->name, failed, cases, shim_path(), minivmm(), r->payload, args_text(r));
	print_message("%s: %d faulted calls, all host errors\n", r->name, cases);
}

/* ---- the shim itself: one count across threads, one fault, no bad settings ---- */

#define SELFTEST_ENV	 "MVM_FAULTS_SELFTEST"
#define SELFTEST_THREADS 4
#define SELFTEST_CALLS	 500
#define SELFTEST_TOTAL	 (SELFTEST_THREADS * SELFTEST_CALLS)
#define SELFTEST_NTH	 777

struct selftest_thread {
	pthread_t t;
	int fd;
	int eio, enotty, other;
};

/* A pipe answers a KVM ioctl with ENOTTY; only the shim gives EIO. */
static void *selftest_calls(void *arg)
{
	struct selftest_thread *st = arg;

	for (int i = 0; i < SELFTEST_CALLS; i++) {
		int r = ioctl(st->fd, KVM_GET_API_VERSION, 0);

		if (r < 0 && errno == EIO)
			st->eio++;
		else if (r < 0 && errno == ENOTTY)
			st->enotty++;
		else
			st->other++;
	}
	return NULL;
}

/* This program re-run under the shim: SELFTEST_THREADS threads calling at once. */
static int selftest_child(void)
{
	struct selftest_thread st[SELFTEST_THREADS];
	int eio = 0, enotty = 0, other = 0;
	int fds[2];

	if (pipe(fds) < 0)
		return 1;
	for (int i = 0; i < SELFTEST_THREADS; i++) {
		st[i] = (struct selftest_thread){ .fd = fds[0] };
		if (pthread_create(&st[i].t, NULL, selftest_calls, &st[i]) != 0)
			return 1;
	}
	for (int i = 0; i < SELFTEST_THREADS; i++) {
		pthread_join(st[i].t, NULL);
		eio += st[i].eio;
		enotty += st[i].enotty;
		other += st[i].other;
	}
	printf("eio=%d enotty=%d other=%d\n", eio, enotty, other);
	return 0;
}

/* Every call logged once with its own number, and exactly the Nth one failed. */
static void check_selftest_log(const char *path)
{
	static unsigned char seen[SELFTEST_TOTAL + 1];
	char line[256];
	int lines = 0, injected = 0;
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	memset(seen, 0, sizeof(seen));
	while (fgets(line, sizeof(line), f)) {
		char name[REQ_NAME_MAX];
		unsigned long nth;

		if (sscanf(line, "%47s nth=%lu", name, &nth) != 2 ||
		    strcmp(name, "KVM_GET_API_VERSION") != 0 || nth < 1 || nth > SELFTEST_TOTAL ||
		    seen[nth]++)
			fail_msg("%s: wanted each of KVM_GET_API_VERSION nth=1..%d once, got: %s",
				 path, SELFTEST_TOTAL, line);
		if (strstr(line, " injected=")) {
			injected++;
			if (nth != SELFTEST_NTH || !strstr(line, " injected=EIO\n"))
				fail_msg("%s: wanted nth=%d injected=EIO, got: %s", path,
					 SELFTEST_NTH, line);
		}
		lines++;
	}
	fclose(f);
	assert_int_equal(lines, SELFTEST_TOTAL);
	assert_int_equal(injected, 1);
}

static void test_shim_itself(void **state)
{
	char want[64];
	char *argv[] = { "/proc/self/exe", NULL };
	size_t len;
	char *out;
	int s;

	(void)state;
	if (!shim_path())
		fail_msg("no ioctl shim at %s (make builds it)", SHIM_DEFAULT);
	setenv(SELFTEST_ENV, "1", 1);
	s = spawn(argv, OUT_DIR "/shim", "KVM_GET_API_VERSION", SELFTEST_NTH);
	unsetenv(SELFTEST_ENV);
	assert_int_equal(s, 0);
	out = slurp(OUT_DIR "/shim.stdout", &len);
	assert_non_null(out);
	snprintf(want, sizeof(want), "eio=1 enotty=%d other=0\n", SELFTEST_TOTAL - 1);
	assert_string_equal(out, want);
	free(out);
	check_selftest_log(OUT_DIR "/shim.log");
	/* A name it does not know fails the run rather than nothing. */
	setenv(SELFTEST_ENV, "1", 1);
	s = spawn(argv, OUT_DIR "/shim-bad", "KVM_NO_SUCH_IOCTL", 1);
	unsetenv(SELFTEST_ENV);
	assert_int_equal(s, 125);
	out = slurp(OUT_DIR "/shim-bad.stderr", &len);
	assert_non_null(out);
	assert_non_null(strstr(out, "failioctl: MVM_FAULT_IOCTL=KVM_NO_SUCH_IOCTL"));
	free(out);
}

int main(void)
{
	struct CMUnitTest tests[NRUNS + 1];
	size_t n = 0;
	int failed;

	if (getenv(SELFTEST_ENV))
		return selftest_child();
	mkdir("build", 0755);
	mkdir("build/tests", 0755);
	mkdir("build/tests/out", 0755);
	mkdir(OUT_DIR, 0755);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_shim_itself);
	for (size_t i = 0; i < NRUNS; i++) {
		struct CMUnitTest t = { runs[i].name, test_fault_run, NULL, NULL,
					(void *)&runs[i] };

		tests[n++] = t;
	}
	failed = _cmocka_run_group_tests("faults", tests, n, NULL, NULL);
	/* All skipped is not a pass: say so with the automake skip status. */
	return failed ? 1 : kvm_usable() ? 0 : 77;
}
