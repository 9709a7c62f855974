/* SPDX-License-Identifier: MIT */
/* vmx_lib.h - what the VMX library's own files share (payloads use vmx.h). */
#ifndef MVM_VMX_LIB_H
#define MVM_VMX_LIB_H

#include "vmx.h"

#define EPT_RWX	      0x7ULL
#define EPT_LEAF_2M   (1ULL << 7)
#define EPT_MT_SHIFT  3 /* leaf memory type, bits 5:3 */
#define EPT_MT_UC     0ULL
#define EPT_MT_WB     6ULL
#define EPTP_WALK_4   (3ULL << 3) /* page-walk length minus one, bits 5:3 */
#define INVEPT_SINGLE 1ULL
#define INVEPT_ALL    2ULL

#define AR_UNUSABLE (1U << 16)
#define AR_ACCESSED 0x1U

static inline void write_cr0(unsigned long v)
{
	asm volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline void write_cr4(unsigned long v)
{
	asm volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

/* VMXON, VMCLEAR and VMPTRLD take the physical address in memory. */
#define VMX_OP_PA(insn, addr)                                         \
	({                                                            \
		uint64_t pa_ = (addr);                                \
		uint8_t cf_, zf_;                                     \
		asm volatile(insn " %[p]\n\tsetc %[cf]\n\tsetz %[zf]" \
			     : [cf] "=qm"(cf_), [zf] "=qm"(zf_)       \
			     : [p] "m"(pa_)                           \
			     : "cc", "memory");                       \
		vmx_status_of(cf_, zf_);                              \
	})

/* Reports one VMX instruction's outcome as a check; a failure ends the run. */
void vmx_check(enum vmx_status st, const char *what);
/* VMCLEAR, VMPTRLD and every VMCS field for L2 at rip with rsp (vmx_vmcs.c). */
void vmx_vmcs_init(struct vmx *v, void (*rip)(void), void *rsp, const struct vmx_config *cfg);

#endif /* MVM_VMX_LIB_H */
