/* SPDX-License-Identifier: MIT */
/*
 * kprobe_args.h - the fetch arguments of a --kprobe item ("FUNC NAME=FETCH:TYPE
 * ..."), and the flag words of the kernel functions minivmm can decode by name.
 */
#ifndef MVM_KPROBE_ARGS_H
#define MVM_KPROBE_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include "tracefs.h"

#define KPROBE_ARGS_MAX 8

/* One bit of a flag word: its mask and name. A word is an array of them,
 * in bit order, ending with a { 0, NULL } entry. */
struct flag_name {
	uint64_t mask;
	const char *name;
};

struct kprobe_arg {
	char name[TP_NAME_MAX]; /* the field the kprobe event gives it */
	int argno;		/* 1-6: the C argument its fetch reads; 0: another fetch */
};

/* The C argument (1-6, x86-64 calling convention) a fetch reads: %di, %rdi,
 * %edi, $arg1 ... %r9; 0 for anything else (memory, other registers, @sym). */
int kprobe_fetch_argno(const char *fetch, size_t len);

/* The named fetch arguments of one item (text after the function name);
 * unnamed ones get the names the kernel gives them, arg1, arg2, ... in
 * order. Returns how many (at most max). */
int kprobe_parse_args(const char *item, size_t len, struct kprobe_arg *out, int max);

/* The flag word argument argno of func is, or NULL when minivmm has none:
 * x86_emulate_instruction's emulation_type (EMULTYPE_*), kvm_mmu_page_fault's
 * error_code (PFERR_*). */
const struct flag_name *kprobe_arg_flags(const char *func, int argno);

/* v as "NAME|NAME", with bits no name covers as one hex term, "0" for 0;
 * truncated to cap. Returns buf. */
char *flags_format(char *buf, size_t cap, const struct flag_name *word, uint64_t v);

#endif /* MVM_KPROBE_ARGS_H */
