/* SPDX-License-Identifier: MIT */
/* exit_text.h - inside exit_info.c: the text tables, one file per family. */
#ifndef MVM_EXIT_TEXT_H
#define MVM_EXIT_TEXT_H

#include "compat.h"
#include "exit_info.h"
#include "names.h"

/* A row of text that codes first..last share (SVM's CR, DR and exception ranges). */
struct exit_text_row {
	uint64_t first, last;
	struct exit_text t;
};

/* Indexed by basic exit reason; a reserved number has exit_text_reserved's summary. */
extern const struct exit_text exit_text_vmx[MVM_VMX_EXIT_MAX];
extern const char exit_text_reserved[];
/* Rows of single codes first, then the ranges: the first row that covers a code is its. */
extern const struct exit_text_row exit_text_svm[];
extern const size_t exit_text_svm_rows;
/* Indexed by KVM_EXIT_*. */
extern const struct exit_text exit_text_kvm[MVM_KVM_EXIT_MAX];

/* Shorthand for the tables' rows. */
#define EXIT_TEXT(s, c, f, h, p)                                                            \
	{                                                                                   \
		.summary = (s), .cause = (c), .fields = (f), .handler = (h), .payload = (p) \
	}

#endif /* MVM_EXIT_TEXT_H */
