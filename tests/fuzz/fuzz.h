/* SPDX-License-Identifier: MIT */
/* fuzz.h - what the libFuzzer harnesses share: the check that aborts, a cursor over the input. */
#ifndef MVM_FUZZ_H
#define MVM_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken promise: name it and abort, which libFuzzer reports as a crash. */
#define FUZZ_CHECK(cond, ...)                                                                    \
	do {                                                                                     \
		if (!(cond)) {                                                                   \
			fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                                            \
			fputc('\n', stderr);                                                     \
			abort();                                                                 \
		}                                                                                \
	} while (0)

/* The input, consumed from the front; past its end every read gives zeros. */
struct fuzz_in {
	const uint8_t *p;
	size_t left;
};

static inline uint64_t fuzz_uint(struct fuzz_in *in, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < bytes && in->left; i++, in->p++, in->left--)
		v |= (uint64_t)*in->p << (8 * i);
	return v;
}

static inline uint8_t fuzz_u8(struct fuzz_in *in)
{
	return (uint8_t)fuzz_uint(in, 1);
}

/* The next n bytes (fewer at the end): *got of them, pointing into the input. */
static inline const uint8_t *fuzz_bytes(struct fuzz_in *in, size_t n, size_t *got)
{
	const uint8_t *p = in->p;

	*got = n < in->left ? n : in->left;
	in->p += *got;
	in->left -= *got;
	return p;
}

/* A copy of n bytes in a buffer of exactly n bytes (n + 1 with nul), so
 * that ASan sees a read past them; never NULL (aborts on no memory). */
static inline void *fuzz_dup(const void *p, size_t n, bool nul)
{
	size_t len = n + nul;
	char *d = malloc(len ? len : 1);

	if (!d)
		abort();
	if (n)
		memcpy(d, p, n);
	if (nul)
		d[n] = '\0';
	return d;
}

/* Whether the n bytes at s hold a control character (C0 or DEL). */
static inline bool fuzz_has_control(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return true;
	return false;
}

/*
 * A refusal's message (an errbuf's msg, cap bytes): there is one, and
 * each control character in it is one of the input's, which mvm_err()
 * prints escaped; the parser itself made none.
 */
void fuzz_check_message(const char *msg, size_t cap, const uint8_t *data, size_t size);
/* n bytes of output are one line: a '\n' at the end, no control character before it. */
void fuzz_check_line(const char *s, size_t n, const char *what);
/* NULL if the n bytes at s are one JSON object (RFC 8259, UTF-8), else what is wrong. */
const char *fuzz_json_object_error(const char *s, size_t n);

/*
 * Splits data on NUL bytes into at most max NUL-terminated words, each
 * in its own exact-size allocation; returns how many. The last word
 * need not end with a NUL. fuzz_free_words frees them.
 */
int fuzz_split_words(const uint8_t *data, size_t size, char **words, int max);
void fuzz_free_words(char **words, int n);

#endif /* MVM_FUZZ_H */
