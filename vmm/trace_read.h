/* SPDX-License-Identifier: MIT */
/* trace_read.h - reads JSON Lines traces back into records: the one reader of show and diff. */
#ifndef MVM_TRACE_READ_H
#define MVM_TRACE_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pageset.h"
#include "util.h"

/*
 * A value as JSON gave it: which of the text types (hex, bytes, word,
 * string) a JSON string was written from is the renderer's question, not
 * the reader's (trace_text.c answers it).
 */
enum tv_type {
	TV_NUM,	 /* non-negative integer */
	TV_INT,	 /* negative integer, two's complement in u */
	TV_STR,	 /* string, decoded: \u00HH is the byte HH */
	TV_RUNS, /* [["0x1000",3],...]: page runs, first is the page number */
	TV_LIT,	 /* true, false, null, or a number with a fraction: kept as written */
};

struct trace_field {
	const char *key;
	enum tv_type type;
	uint64_t u;	       /* TV_NUM, TV_INT */
	const char *s;	       /* TV_STR, TV_LIT: not NUL-terminated */
	size_t len;	       /* bytes of s, or runs */
	struct page_run *runs; /* TV_RUNS */
};

/*
 * One line of a trace. seq and vcpu are those of a numbered record (vcpu
 * is REC_NO_VCPU otherwise); exit_name is set on exit records only. The
 * strings point into storage the record owns until trace_rec_free().
 */
struct trace_rec {
	unsigned long line;
	uint64_t seq;
	int vcpu;
	const char *kind;
	const char *exit_name;
	int n;
	struct trace_field *f;
	char *buf;
	int cap;
};

/*
 * Parses one line (without its '\n') of a --format jsonl trace into r,
 * which must be zeroed or freed before. False with a one-line error in err
 * that names lineno and the column on malformed input.
 */
bool trace_parse_line(const char *line, size_t len, unsigned long lineno, struct trace_rec *r,
		      struct errbuf *err);
void trace_rec_free(struct trace_rec *r);

/* The first field named key, or NULL. */
const struct trace_field *trace_field(const struct trace_rec *r, const char *key);
/* Whether f is a string equal to s. */
bool trace_field_is(const struct trace_field *f, const char *s);

/* Reads a trace file line by line; errors name the file and the line. */
struct trace_reader {
	FILE *f;
	const char *path;
	unsigned long line;
	char *buf;
	size_t cap;
};

bool trace_open(struct trace_reader *rd, const char *path, struct errbuf *err);
/* 1 with the next record in r (freed first), 0 at the end, -1 on error. */
int trace_next(struct trace_reader *rd, struct trace_rec *r, struct errbuf *err);
void trace_close(struct trace_reader *rd);

#endif /* MVM_TRACE_READ_H */
