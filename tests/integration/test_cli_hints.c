/* SPDX-License-Identifier: MIT */
/*
 * test_cli_hints.c - what a user sees around a run: hints for mistyped
 * commands and options, every command's --help, notes on overridden header
 * fields, the status of a trace that cannot be opened, the progress line on
 * a terminal, and --wait-attach's stop before the first KVM_RUN.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

#define OUT_DIR "build/tests/out-hints"

/* Runs minivmm with args (NULL-terminated, at most 16): its status, stdout and stderr. */
static int mvm(char **out, char **err, ...)
{
	char *argv[20] = { (char *)minivmm() };
	int argc = 1, s;
	size_t len;
	va_list ap;

	va_start(ap, err);
	while (argc < 18 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	s = run_argv(argv, OUT_DIR "/out", OUT_DIR "/err", NULL, 1);
	*out = slurp(OUT_DIR "/out", &len);
	*err = slurp(OUT_DIR "/err", &len);
	assert_non_null(*out);
	assert_non_null(*err);
	return s;
}

/* Status s, and one line on stderr that contains want. */
static void expect_one_line(int s, int want_status, const char *err, const char *want)
{
	const char *nl = strchr(err, '\n');

	if (s != want_status || !strstr(err, want) || !nl || nl[1])
		fail_msg("wanted status %d and one line with '%s', got %d: %s", want_status, want,
			 s, err);
}

static void mistyped_commands(void **state)
{
	char *out, *err;
	int s;

	(void)state;
	s = mvm(&out, &err, "tests/guest_hlt.bin", NULL);
	expect_one_line(s, 2, err,
			"unknown command 'tests/guest_hlt.bin' (did you mean: minivmm run "
			"tests/guest_hlt.bin?)");
	free(out), free(err);
	s = mvm(&out, &err, "rnu", "tests/guest_hlt.bin", NULL);
	expect_one_line(s, 2, err, "unknown command 'rnu' (did you mean run?)");
	free(out), free(err);
	s = mvm(&out, &err, "frobnicate", NULL);
	expect_one_line(s, 2, err, "unknown command 'frobnicate' (try: minivmm --help)");
	free(out), free(err);
	s = mvm(&out, &err, "run", "tests/guest_hlt.bin", "--tiemout", "5", NULL);
	expect_one_line(s, 2, err, "unknown option --tiemout (did you mean --timeout?)");
	free(out), free(err);
}

/* Every command takes --help: usage on stdout, status 0, nothing on stderr. */
static void every_command_has_help(void **state)
{
	static const char *const cmds[] = { "run", "show", "diff", "replay", "caps", "qemu", "explain" };

	(void)state;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		char *out, *err;
		int s = mvm(&out, &err, (char *)cmds[i], "--help", NULL);

		if (s != 0 || (!strstr(out, "usage") && !strstr(out, "Usage")) || err[0])
			fail_msg("%s --help: status %d, stdout %.60s..., stderr %s", cmds[i], s,
				 out, err);
		free(out), free(err);
	}
}

static void override_notes_and_quiet(void **state)
{
	char *out, *err;
	int s;

	(void)state;
	if (!kvm_usable())
		skip();
	s = mvm(&out, &err, "run", "tests/guest_hlt.bin", "--mem", "64M", "--mode", "long",
		"--trace", OUT_DIR "/t.trace", NULL);
	assert_int_equal(s, 0);
	/* --mode long is the header's own: only --mem is noted. */
	assert_int_equal(count_lines(err, "minivmm: note: ", NULL), 1);
	assert_non_null(strstr(err, "minivmm: note: --mem 0x4000000 overrides the payload "
				    "header's mem 0x2000000\n"));
	free(out), free(err);
	s = mvm(&out, &err, "run", "tests/guest_hlt.bin", "--mem", "64M", "--quiet", "--trace",
		OUT_DIR "/t.trace", NULL);
	assert_int_equal(s, 0);
	assert_string_equal(err, "");
	free(out), free(err);
}

/* A trace file that cannot be opened is status 3, as one that cannot be written. */
static void trace_open_failure_is_status_3(void **state)
{
	char *out, *err;
	int s;

	(void)state;
	if (!kvm_usable())
		skip();
	s = mvm(&out, &err, "run", "tests/guest_hlt.bin", "--trace", OUT_DIR "/no/such/dir/t.trace",
		NULL);
	expect_one_line(s, 3, err, "cannot open trace file");
	free(out), free(err);
	s = mvm(&out, &err, "run", "tests/guest_hlt.bin", "--quiet", "--trace", "/dev/full", NULL);
	expect_one_line(s, 3, err, "writing the trace failed");
	free(out), free(err);
}

/* Runs argv with stderr on a new terminal (stdout to a file); its status and what the terminal got. */
static int run_on_pty(char *const argv[], char **tty)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY), st = 0, keep;
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap);
	bool done = false;
	pid_t pid;

	assert_true(m >= 0 && buf);
	assert_int_equal(grantpt(m), 0);
	assert_int_equal(unlockpt(m), 0);
	/* The test keeps the terminal open too: what the child wrote last stays
	 * readable after it exits. */
	keep = open(ptsname(m), O_RDWR | O_NOCTTY);
	assert_true(keep >= 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int o = open(OUT_DIR "/pty.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (o < 0 || dup2(o, 1) < 0 || dup2(keep, 2) < 0)
			_exit(126);
		close(m);
		execv(argv[0], argv);
		_exit(127);
	}
	for (;;) {
		struct pollfd p = { .fd = m, .events = POLLIN };

		if (poll(&p, 1, 100) > 0 && (p.revents & POLLIN)) {
			ssize_t n = read(m, buf + len, cap - 1 - len);

			if (n > 0)
				len += (size_t)n;
			if (len < cap - 1)
				continue;
		}
		if (done || len == cap - 1)
			break;
		/* Gone: one more round drains what it wrote last. */
		done = waitpid(pid, &st, WNOHANG) == pid;
	}
	buf[len] = '\0';
	close(m);
	close(keep);
	*tty = buf;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* On a terminal a long run shows the line and erases it; --no-progress and a file do not. */
static void progress_on_a_terminal_only(void **state)
{
	char *argv[] = { (char *)minivmm(),
			 "run",
			 "tests/guest_bench_pio.bin",
			 "--trace",
			 OUT_DIR "/p.trace",
			 "--max-exits",
			 "40000",
			 "--progress",
			 NULL };
	char *tty, *trace, *out, *err;
	size_t len;
	int s;

	(void)state;
	if (!kvm_usable())
		skip();
	s = run_on_pty(argv, &tty);
	assert_int_equal(s, 1); /* --max-exits */
	/* At least one line drawn (a \r, the text, a clear to the line's end) ... */
	if (!strstr(tty, "\rminivmm: ") || !strstr(tty, " exits, ") || !strstr(tty, "\033[K"))
		fail_msg("no progress line on the terminal: %s", tty);
	/* ... and erased at the end: the terminal is left with an empty line
	 * (the summary went to stdout, a file here). */
	len = strlen(tty);
	if (len < 4 || strcmp(tty + len - 4, "\r\033[K"))
		fail_msg("the progress line was not erased at the end: %s", tty);
	trace = slurp(OUT_DIR "/p.trace", &len);
	assert_non_null(trace);
	assert_null(strstr(trace, "exits/s"));
	assert_null(strstr(trace, "\033"));
	free(trace), free(tty);
	argv[7] = "--no-progress";
	s = run_on_pty(argv, &tty);
	assert_int_equal(s, 1);
	assert_null(strstr(tty, "\033[K"));
	free(tty);
	/* stderr a file: never, even when asked for. */
	argv[7] = "--progress";
	assert_int_equal(mvm(&out, &err, "run", "tests/guest_bench_pio.bin", "--trace",
			     OUT_DIR "/p.trace", "--max-exits", "40000", "--progress", NULL),
			 1);
	assert_null(strstr(err, "\033"));
	assert_null(strstr(err, "\r"));
	free(out), free(err);
}

/* --wait-attach: stopped before the first KVM_RUN, with the pid named; goes on after SIGCONT. */
static void wait_attach_stops_until_continued(void **state)
{
	char *argv[] = {
		(char *)minivmm(), "run", "tests/guest_hlt.bin", "--trace", OUT_DIR "/w.trace",
		"--wait-attach",   NULL
	};
	char want[64], *err, *trace;
	size_t len;
	pid_t pid;
	int st;

	(void)state;
	if (!kvm_usable())
		skip();
	run_argv(argv, OUT_DIR "/w.out", OUT_DIR "/w.err", &pid, 0);
	assert_int_equal(waitpid(pid, &st, WUNTRACED), pid);
	assert_true(WIFSTOPPED(st));
	/* Nothing has run: the trace has its header and no exit yet. */
	trace = slurp(OUT_DIR "/w.trace", &len);
	assert_non_null(trace);
	assert_null(strstr(trace, " IO "));
	free(trace);
	err = slurp(OUT_DIR "/w.err", &len);
	snprintf(want, sizeof(want), "waiting for a tracer: pid %d, vCPU threads ", (int)pid);
	if (!strstr(err, want) || !strstr(err, "kill -CONT"))
		fail_msg("wanted '%s' on stderr, got %s", want, err);
	free(err);
	assert_int_equal(kill(pid, SIGCONT), 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	trace = slurp(OUT_DIR "/w.trace", &len);
	check_complete(trace, 0);
	free(trace);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mistyped_commands),
		cmocka_unit_test(every_command_has_help),
		cmocka_unit_test(override_notes_and_quiet),
		cmocka_unit_test(trace_open_failure_is_status_3),
		cmocka_unit_test(progress_on_a_terminal_only),
		cmocka_unit_test(wait_attach_stops_until_continued),
	};

	if (system("mkdir -p " OUT_DIR) != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
