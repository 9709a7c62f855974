/* SPDX-License-Identifier: MIT */
/* record.h - one trace record as a list of typed fields, and its two encodings. */
#ifndef MVM_RECORD_H
#define MVM_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "pageset.h"
#include "symbols.h"

enum rec_type {
	RF_HEX,	  /* text 0x1f, JSON "0x1f" (64-bit safe) */
	RF_U64,	  /* decimal number */
	RF_I64,	  /* signed decimal number */
	RF_STR,	  /* quoted, escaped byte string */
	RF_BYTES, /* hex digits, two per byte, in memory order */
	RF_WORD,  /* bare word in text, string in JSON */
	RF_RUNS,  /* page runs: text 0x1000+3,0x9000; JSON [["0x1000",3],["0x9000",1]] */
	RF_CODE,  /* a guest code address, hex, and its symbol if any: text
		   * 0x100435 <mvm_outb+0x5>; JSON "0x100435" and a field after it,
		   * "sym" for the key rip, else KEY_sym: "mvm_outb+0x5" */
};

struct rec_field {
	const char *key;
	uint8_t klen;
	uint8_t type;  /* enum rec_type */
	uint64_t u;    /* RF_HEX, RF_U64, RF_I64 (as two's complement) */
	const void *p; /* RF_STR, RF_BYTES, RF_WORD; RF_CODE: its struct symbol or NULL */
	size_t len;
};

#define REC_MAX_FIELDS 28
/* Text: a vCPU record's kind (or exit name) is padded to this many columns. */
#define REC_KIND_WIDTH 14

/* The vcpu of a record that belongs to none (header, end, summaries). */
#define REC_NO_VCPU (-1)

/*
 * A record: "seq" numbers a vCPU's KVM_RUN exits from 1; records derived
 * from an exit (a report, a console line) carry that exit's number, and
 * a vCPU's records before its first exit (an AP's state when it never
 * ran) carry 0. vcpu is REC_NO_VCPU for records of the whole run (header,
 * end, summary), which have neither column. exit_name is set on exit
 * records only.
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

/*
 * Builders are inline so that the key's length, a string literal, is
 * known at compile time: they run for every field of every exit. A record
 * never needs more than REC_MAX_FIELDS; past that the last field is reused.
 */
static inline struct rec_field *rec_add(struct record *r, const char *key, enum rec_type t)
{
	struct rec_field *f = &r->f[r->n < REC_MAX_FIELDS ? r->n++ : REC_MAX_FIELDS - 1];

	f->key = key;
	f->klen = (uint8_t)__builtin_strlen(key);
	f->type = t;
	return f;
}

static inline void rec_begin(struct record *r, uint64_t seq, int vcpu, const char *kind)
{
	r->seq = seq;
	r->vcpu = vcpu;
	r->kind = kind;
	r->exit_name = NULL;
	r->n = 0;
}

static inline void rec_hex(struct record *r, const char *key, uint64_t v)
{
	rec_add(r, key, RF_HEX)->u = v;
}

static inline void rec_u64(struct record *r, const char *key, uint64_t v)
{
	rec_add(r, key, RF_U64)->u = v;
}

static inline void rec_i64(struct record *r, const char *key, int64_t v)
{
	rec_add(r, key, RF_I64)->u = (uint64_t)v;
}

static inline void rec_span(struct record *r, const char *key, enum rec_type t, const void *p,
			    size_t len)
{
	struct rec_field *f = rec_add(r, key, t);

	f->p = p;
	f->len = len;
}

static inline void rec_str(struct record *r, const char *key, const void *s, size_t len)
{
	rec_span(r, key, RF_STR, s, len);
}

static inline void rec_cstr(struct record *r, const char *key, const char *s)
{
	rec_span(r, key, RF_STR, s, __builtin_strlen(s));
}

static inline void rec_bytes(struct record *r, const char *key, const void *p, size_t len)
{
	rec_span(r, key, RF_BYTES, p, len);
}

/* Page runs (page indices from base_gpa) as guest-physical page addresses. */
static inline void rec_runs(struct record *r, const char *key, uint64_t base_gpa,
			    const struct page_run *runs, size_t n)
{
	struct rec_field *f = rec_add(r, key, RF_RUNS);

	f->u = base_gpa;
	f->p = runs;
	f->len = n;
}

/* A guest code address (a RIP) and the symbol that covers it, NULL for none. */
static inline void rec_code(struct record *r, const char *key, uint64_t addr,
			    const struct symbol *s)
{
	struct rec_field *f = rec_add(r, key, RF_CODE);

	f->u = addr;
	f->p = s;
}

static inline void rec_word(struct record *r, const char *key, const char *w)
{
	rec_span(r, key, RF_WORD, w, __builtin_strlen(w));
}

/*
 * Encodes r as one line (with '\n') into out, which has room for cap
 * bytes, and returns its length. When cap is less than a bound computed
 * from the fields, nothing is written and the bound is returned: a buffer
 * of that many bytes always suffices.
 */
size_t rec_encode(const struct record *r, enum rec_format fmt, char *out, size_t cap);

/*
 * The same with a note: text ends the line with "  # " and note (--explain's
 * summary of an exit), JSON Lines leaves it out. note NULL is rec_encode().
 * note is printable ASCII (the summaries of exit_info.h are).
 */
size_t rec_encode_noted(const struct record *r, enum rec_format fmt, const char *note, char *out,
			size_t cap);

#endif /* MVM_RECORD_H */
