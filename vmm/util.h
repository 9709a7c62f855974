/* SPDX-License-Identifier: MIT */
/* util.h - error messages and small parsing helpers shared by the VMM. */
#ifndef MVM_UTIL_H
#define MVM_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Exit statuses of the minivmm command (the guest's verdict otherwise). */
#define MVM_STATUS_USAGE     2	 /* bad command line or payload file */
#define MVM_STATUS_HOST	     3	 /* this host cannot run it */
#define MVM_STATUS_INTERRUPT 130 /* SIGINT/SIGTERM ended the run */

/* One-line error "minivmm: ..." on stderr. */
void mvm_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A status line of n bytes (with its \r and clearing) written to stderr. */
void mvm_tty_line_draw(const char *s, size_t n);
/* Erases the status line if one is shown: before anything else reaches the terminal. */
void mvm_tty_line_clear(void);

/* Size with optional K/M/G/T suffix (powers of two). */
bool parse_size(const char *s, uint64_t *out);
/* Unsigned number, decimal or 0x-hex, the whole string. */
bool parse_u64(const char *s, uint64_t *out);

/* The value of one hex digit (either case), or -1. */
int hex_digit(char c);

/* Whether s[0..n) can be written bare in a trace (a word, a JSON key):
 * not empty, no blank, control character, quote, backslash or byte outside ASCII. */
bool word_safe(const char *s, size_t n);

/* The index of s in names[0..n), or -1: the --backing/--dirty style lookups. */
int name_index(const char *const *names, size_t n, const char *s);

/* Error text buffer threaded through pure functions. */
struct errbuf {
	char msg[256];
};
void errbuf_set(struct errbuf *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif /* MVM_UTIL_H */
