/* SPDX-License-Identifier: MIT */
/* kprobe_args.c - owns reading --kprobe fetch arguments and naming the flag words they carry. */
#include "kprobe_args.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

/* The x86-64 argument registers, in order, by the names kprobe_events takes. */
static const char *const arg_regs[6][3] = {
	{ "di", "rdi", "edi" }, { "si", "rsi", "esi" }, { "dx", "rdx", "edx" },
	{ "cx", "rcx", "ecx" }, { "r8", "r8d", NULL },	{ "r9", "r9d", NULL },
};

int kprobe_fetch_argno(const char *fetch, size_t len)
{
	size_t n = strcspn(fetch, ":");

	if (n > len)
		n = len;
	if (n == 5 && strncmp(fetch, "$arg", 4) == 0 && fetch[4] >= '1' && fetch[4] <= '6')
		return fetch[4] - '0';
	if (n < 2 || fetch[0] != '%')
		return 0;
	for (int a = 0; a < 6; a++)
		for (int k = 0; k < 3 && arg_regs[a][k]; k++)
			if (strlen(arg_regs[a][k]) == n - 1 &&
			    strncmp(fetch + 1, arg_regs[a][k], n - 1) == 0)
				return a + 1;
	return 0;
}

int kprobe_parse_args(const char *item, size_t len, struct kprobe_arg *out, int max)
{
	size_t i = 0;
	int n = 0, pos = 0;

	while (i < len && item[i] != ' ' && item[i] != '\t') /* the function */
		i++;
	while (i < len && n < max) {
		size_t start, eq, end;

		while (i < len && (item[i] == ' ' || item[i] == '\t'))
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && item[i] != ' ' && item[i] != '\t')
			i++;
		end = i;
		pos++;
		for (eq = start; eq < end && item[eq] != '='; eq++)
			;
		if (eq < end && eq - start < TP_NAME_MAX && eq > start) {
			memcpy(out[n].name, item + start, eq - start);
			out[n].name[eq - start] = '\0';
			out[n].argno = kprobe_fetch_argno(item + eq + 1, end - eq - 1);
		} else if (eq == end) {
			snprintf(out[n].name, sizeof(out[n].name), "arg%d", pos);
			out[n].argno = kprobe_fetch_argno(item + start, end - start);
		} else {
			continue; /* a name tracefs would refuse: the kernel says so */
		}
		n++;
	}
	return n;
}

/* arch/x86/include/asm/kvm_host.h, as of Linux 6.1 (bit 9 from 6.13). */
static const struct flag_name emultype_bits[] = {
	{ 1u << 0, "NO_DECODE" },
	{ 1u << 1, "TRAP_UD" },
	{ 1u << 2, "SKIP" },
	{ 1u << 3, "ALLOW_RETRY_PF" },
	{ 1u << 4, "TRAP_UD_FORCED" },
	{ 1u << 5, "VMWARE_GP" },
	{ 1u << 6, "PF" },
	{ 1u << 7, "COMPLETE_USER_EXIT" },
	{ 1u << 8, "WRITE_PF_TO_SP" },
	{ 1u << 9, "SKIP_SOFT_INT" },
	{ 0, NULL },
};

/* The page-fault error code: the architectural bits, then KVM's own. */
static const struct flag_name pferr_bits[] = {
	{ 1ull << 0, "PRESENT" },
	{ 1ull << 1, "WRITE" },
	{ 1ull << 2, "USER" },
	{ 1ull << 3, "RSVD" },
	{ 1ull << 4, "FETCH" },
	{ 1ull << 5, "PK" },
	{ 1ull << 15, "SGX" },
	{ 1ull << 32, "GUEST_FINAL" },
	{ 1ull << 33, "GUEST_PAGE" },
	{ 1ull << 48, "IMPLICIT_ACCESS" },
	{ 0, NULL },
};

static const struct {
	const char *func;
	int argno;
	const struct flag_name *word;
} known_args[] = {
	/* int x86_emulate_instruction(vcpu, cr2_or_gpa, emulation_type, insn, insn_len) */
	{ "x86_emulate_instruction", 3, emultype_bits },
	/* int kvm_emulate_instruction(vcpu, emulation_type) */
	{ "kvm_emulate_instruction", 2, emultype_bits },
	/* int kvm_mmu_page_fault(vcpu, cr2_or_gpa, error_code, insn, insn_len) */
	{ "kvm_mmu_page_fault", 3, pferr_bits },
	/* int kvm_handle_page_fault(vcpu, error_code, fault_address, insn, insn_len) */
	{ "kvm_handle_page_fault", 2, pferr_bits },
};

const struct flag_name *kprobe_arg_flags(const char *func, int argno)
{
	for (size_t i = 0; i < ARRAY_SIZE(known_args); i++)
		if (known_args[i].argno == argno && strcmp(known_args[i].func, func) == 0)
			return known_args[i].word;
	return NULL;
}

/* Appends s to buf (cap > 0), keeping it terminated when it does not fit. */
static void append(char *buf, size_t cap, size_t *len, const char *s)
{
	int n = snprintf(buf + *len, cap - *len, "%s", s);

	if (n > 0)
		*len = *len + (size_t)n < cap ? *len + (size_t)n : cap - 1;
}

char *flags_format(char *buf, size_t cap, const struct flag_name *word, uint64_t v)
{
	uint64_t rest = v;
	size_t len = 0;
	char hex[24];

	if (cap == 0)
		return buf;
	buf[0] = '\0';
	if (v == 0) {
		append(buf, cap, &len, "0");
		return buf;
	}
	for (const struct flag_name *b = word; b->name; b++) {
		if (!(v & b->mask))
			continue;
		rest &= ~b->mask;
		if (len)
			append(buf, cap, &len, "|");
		append(buf, cap, &len, b->name);
	}
	if (rest) {
		snprintf(hex, sizeof(hex), "%s%#llx", len ? "|" : "", (unsigned long long)rest);
		append(buf, cap, &len, hex);
	}
	return buf;
}
