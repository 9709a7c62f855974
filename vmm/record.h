/* SPDX-License-Identifier: MIT */
/* record.h - one trace record as a list of typed fields, and its two encodings. */
#ifndef MVM_RECORD_H
#define MVM_RECORD_H

#include <stddef.h>
#include <stdint.h>

enum rec_type {
	RF_HEX,	  /* text 0x1f, JSON "0x1f" (64-bit safe) */
	RF_U64,	  /* decimal number */
	RF_I64,	  /* signed decimal number */
	RF_STR,	  /* quoted, escaped byte string */
	RF_BYTES, /* hex digits, two per byte, in memory order */
	RF_WORD,  /* bare word in text, string in JSON */
};

struct rec_field {
	const char *key;
	enum rec_type type;
	uint64_t u;	/* RF_HEX, RF_U64, RF_I64 (as two's complement) */
	const void *p;	/* RF_STR, RF_BYTES, RF_WORD */
	size_t len;
};

#define REC_MAX_FIELDS 28

/*
 * A record: "seq" numbers KVM_RUN exits from 1; records derived from an
 * exit (a report, a console line) carry that exit's number; 0 means none
 * (header, end, summary). exit_name is set on exit records only.
 */
struct record {
	uint64_t seq;
	int vcpu;
	const char *kind;
	const char *exit_name;
	int n;
	struct rec_field f[REC_MAX_FIELDS];
};

enum rec_format { REC_TEXT, REC_JSONL };

void rec_begin(struct record *r, uint64_t seq, int vcpu, const char *kind);
void rec_hex(struct record *r, const char *key, uint64_t v);
void rec_u64(struct record *r, const char *key, uint64_t v);
void rec_i64(struct record *r, const char *key, int64_t v);
void rec_str(struct record *r, const char *key, const void *s, size_t len);
void rec_cstr(struct record *r, const char *key, const char *s);
void rec_bytes(struct record *r, const char *key, const void *p, size_t len);
void rec_word(struct record *r, const char *key, const char *w);

/*
 * Encodes r as one line (with '\n') into out, which has room for cap
 * bytes; returns the length, or the length needed when it is > cap.
 */
size_t rec_encode(const struct record *r, enum rec_format fmt, char *out, size_t cap);

#endif /* MVM_RECORD_H */
