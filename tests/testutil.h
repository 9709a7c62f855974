/* SPDX-License-Identifier: MIT */
/* testutil.h - file helpers the test programs share (they link testutil.o). */
#ifndef MVM_TESTUTIL_H
#define MVM_TESTUTIL_H

#include <stddef.h>

/* The whole file, NUL-terminated, its length in *len; NULL if it cannot be opened. */
char *slurp(const char *path, size_t *len);
/* Writes len bytes to path, failing the current test on any error. */
void spit(const char *path, const void *data, size_t len);

#endif /* MVM_TESTUTIL_H */
