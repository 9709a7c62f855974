/* SPDX-License-Identifier: MIT */
/* exit_info.h - what each VMX, SVM and KVM exit means: explain's text, beside names.c's names. */
#ifndef MVM_EXIT_INFO_H
#define MVM_EXIT_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The three numberings an exit has: the processor's (VMX, SVM) and KVM's. */
enum exit_family { EXIT_VMX, EXIT_SVM, EXIT_KVM, EXIT_FAMILIES };

/*
 * The text of one exit. Lines are separated by '\n'; a line that starts
 * with "- " is an item of a list. The name is not here: it is names.c's,
 * the one traces print, so the two cannot disagree.
 */
struct exit_text {
	const char *summary; /* one line of at most EXIT_SUMMARY_MAX bytes */
	const char *cause;   /* what makes the processor or KVM exit */
	const char *fields;  /* the qualification, EXITINFO1/2 or kvm_run member */
	const char *handler; /* the kernel function it reaches (KVM: minivmm's too) */
	const char *payload; /* "guest_x.bin [OPTIONS]" in tests/, or NULL */
};

#define EXIT_SUMMARY_MAX 96

struct exit_info {
	enum exit_family family;
	uint64_t code;
	const char *name;     /* names.c's; NULL for a reserved VMX number */
	uint64_t first, last; /* the codes that share this text (first == last for most) */
	bool reserved;	      /* a VMX number the SDM assigns to no exit */
	const struct exit_text *text;
};

/* "vmx", "svm", "kvm"; and back, in any case (false for another word). */
const char *exit_family_name(enum exit_family f);
bool exit_family_from_name(const char *s, enum exit_family *f);

/* The name traces print for code, or NULL (names.c's lookups). */
const char *exit_code_name(enum exit_family f, uint64_t code);

/* The entry for code: false when f has none (a number past its table, an
 * SVM code the APM does not define). A reserved VMX number has one. */
bool exit_info_get(enum exit_family f, uint64_t code, struct exit_info *out);

/* The code whose name is s, in any case, with or without the family's
 * prefix (EXIT_REASON_, SVM_EXIT_ or VMEXIT_, KVM_EXIT_). */
bool exit_code_from_name(enum exit_family f, const char *s, uint64_t *code);

/* The codes with an entry, in order, into codes (at most cap); returns how
 * many there are. */
size_t exit_codes(enum exit_family f, uint64_t *codes, size_t cap);

/* The one-line summary of code, or NULL: what --explain appends. */
const char *exit_summary(enum exit_family f, uint64_t code);
/* The same for a KVM exit by the name its record carries. */
const char *exit_summary_kvm_name(const char *name);

/*
 * What --explain adds to a record of kind: an exit record's summary (by its
 * exit name), an l2_exit record's (by isa, "vmx" or "svm", and reason; a
 * VMX reason by its bits 15:0); NULL for any other record.
 */
const char *exit_record_note(const char *kind, const char *exit_name, const char *isa,
			     uint64_t reason);

#endif /* MVM_EXIT_INFO_H */
