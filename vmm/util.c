/* SPDX-License-Identifier: MIT */
/* util.c - error messages and number parsing for the command line. */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * One line, always: the message is formatted first, and a control
 * character in it (a newline in a path or an option value the user gave)
 * is written escaped, \n, \t, \r or \xNN, never as itself.
 */
/* 1 while a status line (progress.c) is on stderr's terminal: any thread
 * that writes there erases it first. */
static int tty_line;

void mvm_tty_line_draw(const char *s, size_t n)
{
	if (write(STDERR_FILENO, s, n) == (ssize_t)n)
		__atomic_store_n(&tty_line, 1, __ATOMIC_RELAXED);
}

void mvm_tty_line_clear(void)
{
	if (__atomic_exchange_n(&tty_line, 0, __ATOMIC_RELAXED) &&
	    write(STDERR_FILENO, "\r\033[K", 4) < 0)
		return; /* nothing better to do with a terminal that went away */
}

void mvm_err(const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	int n;

	mvm_tty_line_clear();
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fputs("minivmm: ", stderr);
	for (const char *p = msg; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '\n')
			fputs("\\n", stderr);
		else if (c == '\t')
			fputs("\\t", stderr);
		else if (c == '\r')
			fputs("\\r", stderr);
		else if (c < 0x20 || c == 0x7f)
			fprintf(stderr, "\\x%02x", c);
		else
			fputc(c, stderr);
	}
	if (n >= (int)sizeof(msg))
		fputs("...", stderr);
	fputc('\n', stderr);
}

bool word_safe(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~' || s[i] == '"' || s[i] == '\\')
			return false;
	return n > 0;
}

int name_index(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (names[i] && strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

void errbuf_set(struct errbuf *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

/* Decimal, or hex after 0x; no sign, no space, no octal (strtoull allows all three). */
static bool parse_number(const char *s, uint64_t *out, char **end)
{
	int hex = s && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');

	if (!s || !(hex ? isxdigit((unsigned char)s[2]) : isdigit((unsigned char)s[0])))
		return false;
	errno = 0;
	*out = strtoull(s, end, hex ? 16 : 10);
	return errno == 0;
}

bool parse_u64(const char *s, uint64_t *out)
{
	char *end;

	return parse_number(s, out, &end) && *end == '\0';
}

bool parse_size(const char *s, uint64_t *out)
{
	static const char suffixes[] = "KMGT";
	char *end;
	uint64_t v;

	if (!parse_number(s, &v, &end))
		return false;
	if (*end) {
		int shift = 0;

		for (int i = 0; suffixes[i]; i++)
			if (*end == suffixes[i] || *end == suffixes[i] + 32)
				shift = 10 * (i + 1);
		if (!shift || end[1] != '\0')
			return false;
		if (v > (UINT64_MAX >> shift))
			return false;
		v <<= shift;
	}
	*out = v;
	return true;
}

int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
