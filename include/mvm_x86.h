/* SPDX-License-Identifier: MIT */
/*
 * mvm_x86.h - x86 architectural constants for the VMM and the guest SDK alike:
 * the kernel's uapi headers, and, in this one place, what they lack.
 *
 * The uapi headers are plain macros and need nothing but <linux/const.h>, so
 * they compile freestanding in 16-, 32- and 64-bit code (guest.mk adds the
 * directory gcc -m32 does not search). A fallback below is guarded: a newer
 * header that defines the name wins, with the same value.
 */
#ifndef MVM_X86_H
#define MVM_X86_H

#include <asm/processor-flags.h> /* X86_CR0_*, X86_CR4_*, X86_EFLAGS_* */
#include <asm/svm.h>		 /* SVM_EXIT_* */
#include <asm/vmx.h>		 /* EXIT_REASON_*, VMX_EXIT_REASONS_FAILED_VMENTRY */

/*
 * EFER and page-table entry bits: the kernel keeps them out of uapi
 * (msr-index.h, pgtable_types.h), so they are written here once, EFER
 * under the kernel's names.
 */
#define MSR_EFER  0xc0000080U
#define EFER_LME  (1ULL << 8)
#define EFER_LMA  (1ULL << 10)
#define EFER_SVME (1ULL << 12)

#define PTE_P	      (1ULL << 0)
#define PTE_RW	      (1ULL << 1)
#define PTE_A	      (1ULL << 5)
#define PTE_D	      (1ULL << 6)
#define PTE_PS	      (1ULL << 7)
#define PTE_ADDR_MASK 0x000ffffffffff000ULL /* bits 51:12 of a 64-bit entry or CR3 */

/*
 * VMX basic exit reasons (Intel SDM vol. 3, appendix C) that linux-libc-dev
 * 6.1 does not name. Later kernels add SEAMCALL, TDCALL and (2025) the
 * immediate forms of RDMSR and WRMSRNS, MSR_READ_IMM and MSR_WRITE_IMM;
 * the rest no uapi header names, and take the SDM's names.
 */
#ifndef EXIT_REASON_IO_SMI
#define EXIT_REASON_IO_SMI 5
#endif
#ifndef EXIT_REASON_OTHER_SMI
#define EXIT_REASON_OTHER_SMI 6
#endif
#ifndef EXIT_REASON_GETSEC
#define EXIT_REASON_GETSEC 11
#endif
#ifndef EXIT_REASON_RSM
#define EXIT_REASON_RSM 17
#endif
#ifndef EXIT_REASON_PCONFIG
#define EXIT_REASON_PCONFIG 65
#endif
#ifndef EXIT_REASON_SPP
#define EXIT_REASON_SPP 66
#endif
#ifndef EXIT_REASON_LOADIWKEY
#define EXIT_REASON_LOADIWKEY 69
#endif
#ifndef EXIT_REASON_ENCLV
#define EXIT_REASON_ENCLV 70
#endif
#ifndef EXIT_REASON_ENQCMD_PASID
#define EXIT_REASON_ENQCMD_PASID 72
#endif
#ifndef EXIT_REASON_ENQCMDS_PASID
#define EXIT_REASON_ENQCMDS_PASID 73
#endif
#ifndef EXIT_REASON_SEAMCALL
#define EXIT_REASON_SEAMCALL 76
#endif
#ifndef EXIT_REASON_TDCALL
#define EXIT_REASON_TDCALL 77
#endif
#ifndef EXIT_REASON_RDMSRLIST
#define EXIT_REASON_RDMSRLIST 78
#endif
#ifndef EXIT_REASON_WRMSRLIST
#define EXIT_REASON_WRMSRLIST 79
#endif
#ifndef EXIT_REASON_URDMSR
#define EXIT_REASON_URDMSR 80
#endif
#ifndef EXIT_REASON_UWRMSR
#define EXIT_REASON_UWRMSR 81
#endif
#ifndef EXIT_REASON_MSR_READ_IMM
#define EXIT_REASON_MSR_READ_IMM 84
#endif
#ifndef EXIT_REASON_MSR_WRITE_IMM
#define EXIT_REASON_MSR_WRITE_IMM 85
#endif

/*
 * SVM exit codes (AMD APM vol. 2, appendix C) that linux-libc-dev 6.1 does
 * not name. Later kernels add BUS_LOCK and IDLE_HLT; the rest take the
 * APM's names. SVM_EXIT_BUSY is -2 as SVM_EXIT_ERR is -1.
 */
#ifndef SVM_EXIT_INVLPGB
#define SVM_EXIT_INVLPGB 0x0a0
#endif
#ifndef SVM_EXIT_INVLPGB_ILLEGAL
#define SVM_EXIT_INVLPGB_ILLEGAL 0x0a1
#endif
#ifndef SVM_EXIT_MCOMMIT
#define SVM_EXIT_MCOMMIT 0x0a3
#endif
#ifndef SVM_EXIT_TLBSYNC
#define SVM_EXIT_TLBSYNC 0x0a4
#endif
#ifndef SVM_EXIT_BUS_LOCK
#define SVM_EXIT_BUS_LOCK 0x0a5
#endif
#ifndef SVM_EXIT_IDLE_HLT
#define SVM_EXIT_IDLE_HLT 0x0a6
#endif
#ifndef SVM_EXIT_BUSY
#define SVM_EXIT_BUSY -2
#endif

#endif /* MVM_X86_H */
