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

static size_t hex_digits(const char *p)
{
	size_t n = 0;

	while ((p[n] >= '0' && p[n] <= '9') || (p[n] >= 'a' && p[n] <= 'f'))
		n++;
	return n;
}

/* At p, a JSON key "sym" or "KEY_sym" followed by its colon. */
static int is_sym_key(const char *p)
{
	const char *end;

	if (*p++ != '"' || !(end = strchr(p, '"')) || end[1] != ':')
		return 0;
	return (end - p == 3 && strncmp(p, "sym", 3) == 0) ||
	       (end - p > 4 && strncmp(end - 4, "_sym", 4) == 0);
}

/* A call-port OUT: its data is the address of the argument block on the stack. */
static int is_call_out(const char *line, size_t len)
{
	char *l = strndup(line, len);
	int yes;

	assert_non_null(l);
	yes = (strstr(l, " dir=out ") && strstr(l, " dev=calls")) ||
	      (strstr(l, "\"dir\":\"out\"") && strstr(l, "\"dev\":\"calls\""));
	free(l);
	return yes;
}

/* How many bytes of the raw trace at p one normalizing rule replaces, writing
 * its replacement to *q; 0 where none applies. */
static size_t normalize_at(const char *p, int call_out, char **q)
{
	size_t h;

	if (p[0] == '=' && p[1] == '0' && p[2] == 'x' && (h = hex_digits(p + 3)) &&
	    p[3 + h] == ' ' && p[4 + h] == '<') {
		*(*q)++ = '=';
		return 4 + h;
	}
	if (p[0] == '"' && p[1] == '0' && p[2] == 'x' && (h = hex_digits(p + 3)) &&
	    p[3 + h] == '"' && p[4 + h] == ',' && is_sym_key(p + 5 + h)) {
		*q = stpcpy(*q, "\"<sym>\"");
		return 4 + h;
	}
	/* minivmm show of a normalized JSON golden: "rip":"<sym>","sym":"f" reads rip=<sym> <f>. */
	if (strncmp(p, "=<sym> <", 8) == 0) {
		*(*q)++ = '=';
		return 7;
	}
	if (call_out && strncmp(p, "data=0x", 7) == 0 && (h = hex_digits(p + 7))) {
		*q = stpcpy(*q, "data=<args>");
		return 7 + h;
	}
	if (call_out && strncmp(p, "\"data\":\"0x", 10) == 0 && (h = hex_digits(p + 10)) &&
	    p[10 + h] == '"') {
		*q = stpcpy(*q, "\"data\":\"<args>\"");
		return 11 + h;
	}
	return 0;
}

char *golden_normalize(const char *t, size_t *len)
{
	char *out = malloc(2 * strlen(t) + 1), *q = out;
	int call_out = 0;

	assert_non_null(out);
	for (const char *p = t; *p;) {
		size_t n;

		if (p == t || p[-1] == '\n')
			call_out = is_call_out(p, strcspn(p, "\n"));
		n = normalize_at(p, call_out, &q);
		if (n)
			p += n;
		else
			*q++ = *p++;
	}
	*q = '\0';
	*len = (size_t)(q - out);
	return out;
}

char *must_slurp(const char *path)
{
	size_t len;
	char *t = slurp(path, &len);

	if (!t)
		fail_msg("no trace %s", path);
	return t;
}
