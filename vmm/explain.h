/* SPDX-License-Identifier: MIT */
/* explain.h - minivmm explain: what an exit means, from the tables of exit_info.h. */
#ifndef MVM_EXPLAIN_H
#define MVM_EXPLAIN_H

#include <stdio.h>

#include "exit_info.h"
#include "util.h"

#define EXPLAIN_WIDTH 80

/* What the words after "explain" ask for. */
struct explain_req {
	enum { EXPLAIN_HELP, EXPLAIN_LIST, EXPLAIN_ENTRY } what;
	enum exit_family family; /* EXPLAIN_LIST, EXPLAIN_ENTRY */
	uint64_t code;		 /* EXPLAIN_ENTRY */
};

/* Parses argv of "explain ..." (argv[0] is "explain"); false with a
 * one-line err (a did-you-mean when a word is near a known one). Pure. */
bool explain_parse(int argc, char **argv, struct explain_req *req, struct errbuf *err);

/* text at indent, words wrapped at width; '\n' starts a line, and a line
 * that starts with "- " continues two columns further in. */
void explain_wrap(FILE *f, const char *text, int indent, int width);

void explain_usage(FILE *f);
void explain_list(FILE *f, enum exit_family fam);
void explain_entry(FILE *f, const struct exit_info *e);

/* The command; returns minivmm's exit status (2 for a usage error). */
int cmd_explain(int argc, char **argv);

#endif /* MVM_EXPLAIN_H */
