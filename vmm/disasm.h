/* SPDX-License-Identifier: MIT */
/* disasm.h - instruction bytes to mnemonic and operands, by objdump, cached. */
#ifndef MVM_DISASM_H
#define MVM_DISASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DISASM_MAX_BYTES 15
#define DISASM_TEXT	 96
#define DISASM_SLOTS	 1024

struct disasm_entry {
	uint8_t arch; /* enum disasm_arch + 1; 0 is an empty slot */
	uint8_t n;
	uint8_t bytes[DISASM_MAX_BYTES];
	bool ok;
	char text[DISASM_TEXT];
};

enum disasm_arch { DISASM_I8086, DISASM_I386, DISASM_X86_64 };

/*
 * A direct-mapped cache in front of objdump: a trace repeats its few
 * emulated instructions thousands of times, and each miss is a fork.
 * objdump is $MVM_OBJDUMP, else "objdump" from PATH; when it cannot be
 * run once, it is not tried again.
 */
struct disasm {
	bool no_objdump;
	unsigned forks;
	struct disasm_entry slot[DISASM_SLOTS];
};

/* The objdump -m architecture of a mode name of a trace: a kvm_emulate_insn
 * mode (real, vm16, prot16, prot32, prot64) or a start mode (real, prot32,
 * paging32, pae, long, la57); -1 for anything else. */
int disasm_arch_of_mode(const char *mode, size_t len);

/* The first instruction of b[0..n) as "mnemonic operands" in out, or false
 * (no objdump, or it cannot decode them). */
bool disasm_insn(struct disasm *d, enum disasm_arch arch, const uint8_t *b, size_t n,
		 const char **out);

/* Parses objdump -D output: the text of the instruction at offset 0 into
 * out (cap bytes), spaces collapsed and the "# address" comment dropped. */
bool disasm_parse_objdump(const char *text, char *out, size_t cap);

#endif /* MVM_DISASM_H */
