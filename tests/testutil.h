/* SPDX-License-Identifier: MIT */
/* testutil.h - helpers the test programs share (they link testutil.o). */
#ifndef MVM_TESTUTIL_H
#define MVM_TESTUTIL_H

#include <stddef.h>
#include <sys/types.h>

/* The whole file, NUL-terminated, its length in *len; NULL if it cannot be opened. */
char *slurp(const char *path, size_t *len);
/* The whole file, failing the current test when it cannot be read. */
char *must_slurp(const char *path);
/* Writes len bytes to path, failing the current test on any error. */
void spit(const char *path, const void *data, size_t len);
/* The minivmm to test: $MVM_BIN, else ./minivmm. */
const char *minivmm(void);
/* Whether /dev/kvm opens (integration tests skip when not). */
int kvm_usable(void);
/* Runs argv with stdout/stderr to files; returns the exit status, or
 * 128+signal; with wait_for_it 0, stores the pid in *child and returns -1. */
int run_argv(char *const argv[], const char *out, const char *err, pid_t *child, int wait_for_it);
/* The last line of a trace that starts with prefix, or NULL. */
const char *find_line(const char *text, const char *prefix);
/* A trace ends with an end record, summaries and a newline. */
void check_complete(const char *trace, int jsonl);
/*
 * A trace as tests/golden/ holds it: every guest address a symbol names
 * loses its hex (rip=0x100435 <mvm_outb+0x5> reads rip=<mvm_outb+0x5>, JSON
 * "rip":"<sym>","sym":"mvm_outb+0x5"), and the data of every call-port OUT,
 * the stack address of its argument block, reads data=<args>. Then moving
 * an SDK function or changing a frame's size leaves the goldens alone.
 * minivmm show of a normalized JSON trace (rip=<sym> <f>) reads as the
 * normalized text (rip=<f>). Idempotent; malloc'ed, NUL-terminated, its
 * length in *len.
 */
char *golden_normalize(const char *t, size_t *len);
/* How many lines of t contain a (and b, unless NULL). */
int count_lines(const char *t, const char *a, const char *b);

#endif /* MVM_TESTUTIL_H */
