/* SPDX-License-Identifier: MIT */
/* test_endings.c - a run's end from outside: signals in every phase, write failures. */
#include <errno.h>
#include <fcntl.h>
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

#define OUT_DIR "build/tests/out/endings"

/* Races: this many runs, each signalled after a random delay. */
#define RACE_RUNS 40
/* A 256 GiB guest takes ~0.1 s to set up and as long to tear down here, and
 * the run itself times out at 0.2 s: delays up to 0.45 s hit all three. */
#define RACE_MEM      "256G"
#define RACE_TIMEOUT  "0.2"
#define RACE_DELAY_MS 450

static void sleep_ms(long ms)
{
	struct timespec d = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&d, &d) < 0 && errno == EINTR)
		;
}

/* waitpid with a bound: a run that does not end 20 s after its signal hangs. */
static int wait_bounded(pid_t pid)
{
	int st;

	for (int i = 0; i < 2000; i++) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			return st;
		assert_int_equal(r, 0);
		sleep_ms(10);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	fail_msg("minivmm did not end within 20 s of its signal");
	return -1;
}

/* The value of "key=" in the end record of a text trace (copied into buf). */
static const char *end_field(const char *trace, const char *key, char *buf, size_t size)
{
	const char *end = find_line(trace, "end reason="), *p;
	char pat[64];
	size_t n;

	assert_non_null(end);
	snprintf(pat, sizeof(pat), " %s=", key);
	if (!strncmp(end, pat + 1, strlen(pat + 1)))
		p = end + strlen(pat + 1);
	else if ((p = strstr(end, pat)) && p < strchr(end, '\n'))
		p += strlen(pat);
	else
		return NULL;
	n = strcspn(p, " \n");
	snprintf(buf, size, "%.*s", (int)n, p);
	return buf;
}

/* The end record, then nothing but summaries (none when no exit happened). */
static void check_ends(const char *t)
{
	const char *p = find_line(t, "end reason=");

	assert_non_null(p);
	assert_true(t[strlen(t) - 1] == '\n');
	for (p = strchr(p, '\n') + 1; *p; p = strchr(p, '\n') + 1)
		assert_true(!strncmp(p, "summary ", 8) || !strncmp(p, "vcpu_summary ", 13));
}

static int lines(const char *t)
{
	int n = 0;

	for (; *t; t++)
		n += *t == '\n';
	return n;
}

/*
 * SIGINT, SIGTERM, SIGHUP or SIGQUIT at a random moment of a run's setup,
 * run or teardown, in half the runs followed by a second one (the same or
 * another). Whatever the timing, either minivmm died before it opened the
 * trace (no file), or it exited with the status its complete trace's end
 * record gives: 130 for the signal, or 1 when --timeout came first; stderr
 * is empty. The seed is printed, so a failure can be rerun (MVM_RACE_SEED).
 */
static void test_signal_race(void **state)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	const char *env = getenv("MVM_RACE_SEED");
	unsigned int seed = env ? (unsigned int)strtoul(env, NULL, 0) : (unsigned int)time(NULL);
	int phases[3] = { 0 }; /* no trace, 130, 1 */

	(void)state;
	if (!kvm_usable())
		skip();
	printf("signal race: seed %u (MVM_RACE_SEED reruns it)\n", seed);
	srand(seed);
	for (int i = 0; i < RACE_RUNS; i++) {
		char *argv[] = { (char *)minivmm(),
				 "run",
				 "tests/guest_loop.bin",
				 "--mem",
				 RACE_MEM,
				 "--timeout",
				 RACE_TIMEOUT,
				 "--trace",
				 OUT_DIR "/race.trace",
				 "--quiet",
				 NULL };
		int sig = sigs[rand() % 4], sig2 = rand() % 2 ? sigs[rand() % 4] : 0;
		long delay = rand() % RACE_DELAY_MS, gap = rand() % 20;
		char status[16], reason[32], want[16];
		char *t, *err;
		size_t len;
		pid_t pid;
		int st;

		unlink(OUT_DIR "/race.trace");
		run_argv(argv, OUT_DIR "/race.stdout", OUT_DIR "/race.stderr", &pid, 0);
		sleep_ms(delay);
		kill(pid, sig);
		if (sig2) {
			sleep_ms(gap);
			kill(pid, sig2);
		}
		st = wait_bounded(pid);
		t = slurp(OUT_DIR "/race.trace", &len);
		if (WIFSIGNALED(st)) {
			if (t)
				fail_msg("run %d (%s after %ld ms, then %s): killed by %s with a trace "
					 "open",
					 i, strsignal(sig), delay, sig2 ? strsignal(sig2) : "none",
					 strsignal(WTERMSIG(st)));
			phases[0]++;
			continue;
		}
		assert_true(WIFEXITED(st));
		assert_non_null(t);
		check_ends(t);
		snprintf(want, sizeof(want), "%d", WEXITSTATUS(st));
		assert_non_null(end_field(t, "status", status, sizeof(status)));
		assert_string_equal(status, want);
		assert_non_null(end_field(t, "reason", reason, sizeof(reason)));
		if (WEXITSTATUS(st) == 130) {
			assert_string_equal(reason, "signal");
			phases[1]++;
		} else {
			assert_int_equal(WEXITSTATUS(st), 1);
			assert_string_equal(reason, "timeout");
			phases[2]++;
		}
		err = must_slurp(OUT_DIR "/race.stderr");
		assert_string_equal(err, "");
		free(err);
		free(t);
	}
	printf("signal race: %d runs: %d before the trace, %d interrupted, %d timed out first\n",
	       RACE_RUNS, phases[0], phases[1], phases[2]);
}

/* A SIGALRM from outside is a signal like the others, not --timeout. */
static void test_outside_alarm(void **state)
{
	char *argv[] = { (char *)minivmm(),
			 "run",
			 "tests/guest_loop.bin",
			 "--timeout",
			 "60",
			 "--trace",
			 OUT_DIR "/alarm.trace",
			 "--quiet",
			 NULL };
	char reason[32];
	pid_t pid;
	char *t;
	int st;

	(void)state;
	if (!kvm_usable())
		skip();
	run_argv(argv, OUT_DIR "/alarm.stdout", OUT_DIR "/alarm.stderr", &pid, 0);
	sleep_ms(300);
	assert_int_equal(kill(pid, SIGALRM), 0);
	st = wait_bounded(pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 130);
	t = must_slurp(OUT_DIR "/alarm.trace");
	check_complete(t, 0);
	assert_string_equal(end_field(t, "reason", reason, sizeof(reason)), "signal");
	assert_non_null(strstr(find_line(t, "end reason="), " detail=\"Alarm clock\""));
	free(t);
}

/* A trace that cannot be written: exit 3, one line, and the summary says 3. */
static void test_trace_write_fails(void **state)
{
	char *argv[] = { (char *)minivmm(), "run", "tests/guest_mmio.bin", "--trace", "/dev/full",
			 NULL };
	char *out, *err;

	(void)state;
	if (!kvm_usable())
		skip();
	assert_int_equal(run_argv(argv, OUT_DIR "/full.stdout", OUT_DIR "/full.stderr", NULL, 1), 3);
	err = must_slurp(OUT_DIR "/full.stderr");
	assert_string_equal(err, "minivmm: writing the trace failed: No space left on device\n");
	out = must_slurp(OUT_DIR "/full.stdout");
	assert_non_null(strstr(out, "\nminivmm: host_error, error (exit 3); "));
	free(out);
	free(err);
}

/*
 * The console's reader gone (`minivmm run P --trace F | head -1`): SIGPIPE
 * does not kill minivmm; the run ends as a host error with one line, and the
 * trace file is complete and says so.
 */
static void test_console_reader_gone(void **state)
{
	const char *trace = OUT_DIR "/pipe.trace";
	char status[16];
	int fds[2], st, errfd;
	pid_t pid;
	char *t, *err;

	(void)state;
	if (!kvm_usable())
		skip();
	assert_int_equal(pipe(fds), 0);
	close(fds[0]); /* before the run: every console write fails, whatever the timing */
	errfd = open(OUT_DIR "/pipe.stderr", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(errfd >= 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL); /* what a shell gives it */
		dup2(fds[1], 1);
		dup2(errfd, 2);
		execl(minivmm(), minivmm(), "run", "tests/guest_mmio.bin", "--trace", trace,
		      (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	close(errfd);
	st = wait_bounded(pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 3);
	err = must_slurp(OUT_DIR "/pipe.stderr");
	assert_string_equal(err, "minivmm: writing the console to stdout failed: Broken pipe\n");
	assert_int_equal(lines(err), 1);
	t = must_slurp(trace);
	check_complete(t, 0);
	assert_string_equal(end_field(t, "status", status, sizeof(status)), "3");
	assert_non_null(strstr(find_line(t, "end reason="),
			       "detail=\"writing the console to stdout failed: Broken pipe\""));
	free(t);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signal_race),
		cmocka_unit_test(test_outside_alarm),
		cmocka_unit_test(test_trace_write_fails),
		cmocka_unit_test(test_console_reader_gone),
	};

	mkdir("build", 0755);
	mkdir("build/tests", 0755);
	mkdir("build/tests/out", 0755);
	mkdir(OUT_DIR, 0755);
	if (cmocka_run_group_tests_name("endings", tests, NULL, NULL))
		return 1;
	return kvm_usable() ? 0 : 77;
}
