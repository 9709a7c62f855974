/* SPDX-License-Identifier: MIT */
/* testutil.c - owns what the test programs share: files, running minivmm, reading traces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

void spit(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

const char *minivmm(void)
{
	const char *b = getenv("MVM_BIN");

	return b ? b : "./minivmm";
}

int kvm_usable(void)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/* Runs argv with stdout/stderr to files; returns the exit status, or 128+signal. */
int run_argv(char *const argv[], const char *out, const char *err, pid_t *child, int wait_for_it)
{
	pid_t pid = fork();
	int st;

	assert_true(pid >= 0);
	if (pid == 0) {
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	if (child)
		*child = pid;
	if (!wait_for_it)
		return -1;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The last line of a trace that starts with prefix, or NULL. */
const char *find_line(const char *text, const char *prefix)
{
	const char *found = NULL;

	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			found = p;
	return found;
}

void check_complete(const char *trace, int jsonl)
{
	assert_non_null(find_line(trace, jsonl ? "{\"type\":\"end\"" : "end reason="));
	assert_non_null(find_line(trace, jsonl ? "{\"type\":\"summary\"" : "summary exit="));
	assert_true(trace[strlen(trace) - 1] == '\n');
}

/* How many lines of t contain all of the given words. */
int count_lines(const char *t, const char *a, const char *b)
{
	int n = 0;

	for (const char *p = t; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[1024];

		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		if (strstr(line, a) && (!b || strstr(line, b)))
			n++;
		p += len + (nl != NULL);
	}
	return n;
}
