/* SPDX-License-Identifier: MIT */
/* trace_args.h - inside show and diff: their options, the record filter, rendering a record. */
#ifndef MVM_TRACE_ARGS_H
#define MVM_TRACE_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace_read.h"
#include "trace_text.h"
#include "util.h"

#define MAX_IGNORED 16

struct trace_filter {
	int vcpu; /* -1: every vCPU */
	uint64_t from, to;
	const char *kinds; /* comma list of kinds or exit names, or NULL */
	bool kernel;	   /* keep the kernel's records (diff skips them by default) */
};

/* The options of both commands; each refuses the other's. */
struct trace_args {
	struct trace_filter filt;
	bool no_decode, help;
	bool explain; /* show --explain: exit records end with their summary */
	const char *ignored[MAX_IGNORED];
	int nignored;
	uint64_t context;
	const char *path[2];
	const char *label[2]; /* the paths as diff prints them */
	int npaths;
};

/* A growing line buffer for trace_text(). */
struct line_buf {
	char *p;
	size_t cap;
};

/* Parses argv of show or diff; allowed: the options this command takes
 * (a string of OPT_* - 256 + 'a'); npaths trace files follow. */
bool trace_args_parse(int argc, char **argv, const char *allowed, int npaths, struct trace_args *a,
		      struct errbuf *err);
/* The next record the filter keeps (1), the end (0) or an error (-1);
 * the header's version is checked on the way. */
int trace_next_kept(struct trace_reader *rd, const struct trace_filter *f, struct trace_rec *r,
		    struct errbuf *err);
/* r as a text trace line in b; NULL with err on failure. */
const char *trace_render(struct text_ctx *c, struct line_buf *b, const struct trace_rec *r,
			 size_t *len, struct errbuf *err);
/* The kernel's records, which diff leaves out unless --kernel. */
bool trace_is_kernel_kind(const char *kind);

#endif /* MVM_TRACE_ARGS_H */
