/* SPDX-License-Identifier: MIT */
/* util.c - error messages and number parsing for the command line. */
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void mvm_err(const char *fmt, ...)
{
	va_list ap;

	fputs("minivmm: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void errbuf_set(struct errbuf *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

bool parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return errno == 0 && *end == '\0';
}

bool parse_size(const char *s, uint64_t *out)
{
	static const char suffixes[] = "KMGT";
	char *end;
	uint64_t v;

	if (!s || !*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
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
