/* SPDX-License-Identifier: MIT */
/* encode.h - the digit and byte writers both record encoders share, inline for the exit path. */
#ifndef MVM_ENCODE_H
#define MVM_ENCODE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * They write through a bare pointer and return the end: the caller has
 * bounded the length beforehand. Numbers are written from their last
 * digit backwards, two digits per step from a table of pairs.
 */
extern const char enc_hexdig[16];
extern const char enc_hex2[512]; /* "000102...ff" */
extern const char enc_dec2[200]; /* "000102...99" */
extern const uint64_t enc_pow10[20]; /* 1, 10, ... 10^19 */

/* A quoted string: '"' and '\\' escaped, \n \t \r, other bytes outside
 * printable ASCII as \u00XX (json) or \xXX; at most 6 * n + 2 bytes. */
char *enc_escaped(char *p, const unsigned char *s, size_t n, int json);

static inline char *enc_mem(char *p, const void *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

/*
 * A short copy without a call: up to 16 bytes as two overlapping loads and
 * stores of the largest size that fits, never outside [s, s + n). Keys and
 * names are mostly this short.
 */
static inline char *enc_small(char *p, const void *src, size_t n)
{
	const char *s = src;
	uint64_t a8, b8;
	uint32_t a4, b4;

	if (n >= 8 && n <= 16) {
		memcpy(&a8, s, 8);
		memcpy(&b8, s + n - 8, 8);
		memcpy(p, &a8, 8);
		memcpy(p + n - 8, &b8, 8);
	} else if (n >= 4 && n < 8) {
		memcpy(&a4, s, 4);
		memcpy(&b4, s + n - 4, 4);
		memcpy(p, &a4, 4);
		memcpy(p + n - 4, &b4, 4);
	} else if (n < 4) {
		for (size_t i = 0; i < n; i++)
			p[i] = s[i];
	} else {
		memcpy(p, s, n);
	}
	return p + n;
}

/* A string literal: its length is a constant, the copy a store or two. */
#define ENC_LIT(p, lit) enc_mem((p), (lit), sizeof(lit) - 1)

/* Decimal digits of v: log10 from its bit length (1233 / 4096 ~ log10(2)),
 * one comparison to settle it. */
static inline int enc_dec_digits(uint64_t v)
{
	int t = ((64 - __builtin_clzll(v | 1)) * 1233) >> 12;

	return t + (v >= enc_pow10[t]) + (v == 0);
}

/* Decimal, exactly w digits (w from enc_dec_digits). */
static inline char *enc_dec_w(char *p, uint64_t v, int w)
{
	char *e = p + w, *q = e;

	while (v >= 100) {
		q -= 2;
		memcpy(q, &enc_dec2[2 * (v % 100)], 2);
		v /= 100;
	}
	if (v >= 10) {
		q -= 2;
		memcpy(q, &enc_dec2[2 * v], 2);
	} else {
		q[-1] = (char)('0' + v);
	}
	return e;
}

static inline char *enc_dec(char *p, uint64_t v)
{
	if (v < 10) {
		*p = (char)('0' + v);
		return p + 1;
	}
	return enc_dec_w(p, v, enc_dec_digits(v));
}

/* 0x and the hex digits, no leading zeros (0x0 for zero). */
static inline char *enc_hex(char *p, uint64_t v)
{
	int digits = v ? (67 - __builtin_clzll(v)) / 4 : 1;
	char *e, *q;

	p[0] = '0';
	p[1] = 'x';
	e = q = p + 2 + digits;
	while (q - p >= 4) {
		q -= 2;
		memcpy(q, &enc_hex2[2 * (v & 0xff)], 2);
		v >>= 8;
	}
	if (q - p == 3)
		q[-1] = enc_hexdig[v & 15];
	return e;
}

/* The symbol part of a code address: name, or name+0x1f off bytes into it. */
static inline char *enc_sym(char *p, const char *name, size_t len, uint64_t off)
{
	p = enc_small(p, name, len);
	if (off) {
		*p++ = '+';
		p = enc_hex(p, off);
	}
	return p;
}

#endif /* MVM_ENCODE_H */
