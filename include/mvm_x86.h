/* SPDX-License-Identifier: MIT */
/*
 * mvm_x86.h - x86 architectural constants for the VMM and the guest SDK alike:
 * the kernel's uapi headers, and, in this one place, what they lack.
 *
 * The uapi headers are plain macros and need nothing but <linux/const.h>, so
 * they compile freestanding in 16-, 32- and 64-bit code (guest.mk adds the
 * directory gcc -m32 does not search).
 */
#ifndef MVM_X86_H
#define MVM_X86_H

#include <asm/processor-flags.h> /* X86_CR0_*, X86_CR4_*, X86_EFLAGS_* */

/*
 * EFER and page-table entry bits: the kernel keeps them out of uapi
 * (msr-index.h, pgtable_types.h), so they are written here once, EFER
 * under the kernel's names.
 */
#define MSR_EFER  0xc0000080U
#define EFER_LME  (1ULL << 8)
#define EFER_LMA  (1ULL << 10)
#define EFER_SVME (1ULL << 12)

#define PTE_P  (1ULL << 0)
#define PTE_RW (1ULL << 1)
#define PTE_A  (1ULL << 5)
#define PTE_D  (1ULL << 6)
#define PTE_PS (1ULL << 7)

#endif /* MVM_X86_H */
