/* SPDX-License-Identifier: MIT */
/* mvm_lib.h - declarations the SDK's own files share; payloads use mvm_guest.h. */
#ifndef MVM_LIB_H
#define MVM_LIB_H

#include "mvm_guest.h"

/*
 * A host call is one 32-bit OUT of the argument block's address. The block
 * lives at its own address because the payload runs identity mapped below
 * 4 GiB; "memory" makes the compiler store it before the OUT.
 */
static inline void mvm_call(unsigned int nr, const void *arg)
{
	asm volatile("outl %0, %w1"
		     :
		     : "a"((uint32_t)(uintptr_t)arg), "Nd"((uint16_t)(MVM_CALL_PORT + nr))
		     : "memory");
}

/* The GPA of a string for an argument block, and its length capped for the host. */
static inline uint64_t mvm_gpa(const void *p)
{
	return (uint32_t)(uintptr_t)p;
}

uint64_t mvm_msg_len(const char *s);

#if MVM_BITS != 16
#if MVM_BITS == 64
#define MVM_ISR_GPRS 15 /* rax..r15 but rsp, pushed by isr.S */
#else
#define MVM_ISR_GPRS 8 /* pushal */
#endif

/* The stack isr.S builds; the CPU's part is ip, cs, flags (and sp, ss in 64-bit). */
struct mvm_isr_frame {
	unsigned long gpr[MVM_ISR_GPRS];
	unsigned long vector;
	unsigned long error_code;
	unsigned long ip;
	unsigned long cs;
	unsigned long flags;
};

#define MVM_ISR_VECTORS 32

extern const uintptr_t mvm_isr_stubs[MVM_ISR_VECTORS];
extern uintptr_t mvm_fault_resume;

void mvm_idt_init(void);
void mvm_isr_dispatch(struct mvm_isr_frame *frame);
#endif /* MVM_BITS != 16 */

#endif /* MVM_LIB_H */
