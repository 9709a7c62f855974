/* SPDX-License-Identifier: MIT */
/*
 * nested.h - what the SVM and VMX L1 libraries share: L2's exit as both
 * return it, guest-physical addresses, GDT descriptors decoded, and the
 * identity map of 4 GiB that both give L2 (NPT or EPT).
 */
#ifndef MVM_NESTED_H
#define MVM_NESTED_H

#include "mvm_guest.h"

#if MVM_BITS != 64
#error "the L1 libraries are for 64-bit payloads only"
#endif

/*
 * An L2 exit, as svm_run() and vmx_run() return it, is the record they
 * report to the host: struct mvm_call_l2_exit (minivmm_abi.h). reason is
 * SVM's EXITCODE or VMX's 32-bit exit reason, info1 EXITINFO1 or the exit
 * qualification, info2 EXITINFO2 or the guest-physical address (VMX: EPT
 * exits only, else 0), intr_info EXITINTINFO or the VM-exit interruption
 * information, insn_len the instruction length where the CPU gives it.
 */

/* guest.ld: the end of the payload, .bss included. */
extern char __image_end[];

/* The payload runs identity mapped: its addresses are guest-physical. */
static inline uint64_t pa(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* What SGDT and SIDT store. */
struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static inline struct desc_ptr read_gdtr(void)
{
	struct desc_ptr d;

	asm volatile("sgdt %0" : "=m"(d));
	return d;
}

static inline struct desc_ptr read_idtr(void)
{
	struct desc_ptr d;

	asm volatile("sidt %0" : "=m"(d));
	return d;
}

static inline uint16_t read_tr(void)
{
	uint16_t s;

	asm volatile("str %0" : "=r"(s));
	return s;
}

/*
 * A segment as its GDT descriptor describes it: the base (a system
 * descriptor's 16 bytes in long mode), the limit in bytes (G applied), and
 * the attributes, descriptor bits 47:40 in 7:0 and bits 55:52 in 15:12 (the
 * VMCS's access-rights layout; a VMCB packs the same bits into 11:0).
 * system: S is clear (TSS, LDT). A null selector decodes to all zero.
 */
struct nested_seg {
	uint16_t sel;
	uint16_t attr;
	uint32_t limit;
	uint64_t base;
	int system;
};

struct nested_seg nested_gdt_seg(const struct desc_ptr *gdt, uint16_t sel);

/*
 * The identity map of the first NESTED_MAP_GIB GiB in 2 MiB pages, in the
 * x86 four-level layout NPT and EPT share: pml4[0] -> pdpt[0..3] ->
 * pd[0..3][512]. Table entries get table_bits, 2 MiB leaves leaf_bits (NPT:
 * page-table bits with PS; EPT: RWX, the memory type and bit 7).
 */
#define NESTED_MAP_GIB 4
void nested_identity_map(uint64_t *pml4, uint64_t *pdpt, uint64_t (*pd)[512], uint64_t table_bits,
			 uint64_t leaf_bits);

#endif /* MVM_NESTED_H */
