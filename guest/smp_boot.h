/* SPDX-License-Identifier: MIT */
/* smp_boot.h - the AP boot block that ap_start.S reads and smp.c fills: offsets for both. */
#ifndef SMP_BOOT_H
#define SMP_BOOT_H

#define AP_BOOT_CR0    0x00
#define AP_BOOT_CR3    0x08
#define AP_BOOT_CR4    0x10
#define AP_BOOT_EFER   0x18
#define AP_BOOT_STACKS 0x20 /* lowest byte of the AP stacks */
#define AP_BOOT_TICKET 0x28 /* 32-bit: an AP takes the next with LOCK XADD */
#define AP_BOOT_IDTR   0x2e /* 10 bytes: limit at 0x2e, base at 0x30 (aligned) */
#define AP_BOOT_SIZE   0x38

#define AP_STACK_SIZE 0x2000
#define AP_TICKETS    15 /* stacks: MVM_SMP_MAX_CPUS - 1, checked in smp.c */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct ap_boot {
	uint64_t cr0, cr3, cr4, efer;
	uint64_t stacks;
	uint32_t ticket;
	uint16_t pad;
	uint16_t idt_limit;
	uint64_t idt_base;
};

_Static_assert(__builtin_offsetof(struct ap_boot, cr0) == AP_BOOT_CR0, "AP_BOOT_CR0");
_Static_assert(__builtin_offsetof(struct ap_boot, cr3) == AP_BOOT_CR3, "AP_BOOT_CR3");
_Static_assert(__builtin_offsetof(struct ap_boot, cr4) == AP_BOOT_CR4, "AP_BOOT_CR4");
_Static_assert(__builtin_offsetof(struct ap_boot, efer) == AP_BOOT_EFER, "AP_BOOT_EFER");
_Static_assert(__builtin_offsetof(struct ap_boot, stacks) == AP_BOOT_STACKS, "AP_BOOT_STACKS");
_Static_assert(__builtin_offsetof(struct ap_boot, ticket) == AP_BOOT_TICKET, "AP_BOOT_TICKET");
_Static_assert(__builtin_offsetof(struct ap_boot, idt_limit) == AP_BOOT_IDTR, "AP_BOOT_IDTR");
_Static_assert(sizeof(struct ap_boot) == AP_BOOT_SIZE, "AP_BOOT_SIZE");

extern struct ap_boot mvm_ap_boot; /* smp.c */
/* ap_start.S: the real-mode code to copy, and its GDTR slot; mvm_ap_main is smp.c's. */
extern const char mvm_ap_tramp_start[], mvm_ap_tramp_gdtr[], mvm_ap_tramp_end[];
void mvm_ap_main(void) __attribute__((noreturn));
#endif

#endif /* SMP_BOOT_H */
