/* SPDX-License-Identifier: MIT */
/*
 * guest_vmx_ptwrite - L2 writes its own page table: who sees the write?
 * The payload is an L1 hypervisor that runs L2 without EPT, so L2's
 * guest-physical addresses are L1's and L2 uses L1's page tables (CR3 =
 * MVM_PT_GPA). L2 links a page-directory-pointer table L1 prepared into
 * PML4 entry 1 (one 8-byte write to its own PML4), reads the 2 MiB page it
 * maps at 512 GiB, takes the entry out again (a second write) and flushes
 * it with INVLPG, then VMCALLs. L1 checks what L2 read; L1 itself sees
 * only the VMCALL (it does not exit on INVLPG or CR3).
 *
 * KVM path (L0): with EPT in L0 (kvm_intel ept=1), L2 runs on vmcs02 with
 * L0's EPT for L1's memory and walks its page tables in hardware: the
 * writes are plain memory writes, nothing is trapped (no
 * kvm_mmu_pte_write, no write tracking). With ept=0, L0 shadow-pages L1
 * and L2 alike: the PML4 is a shadowed page, write-protected
 * (kvm_slot_page_track_add_page), so each of L2's two writes to it is an
 * L0 page fault, emulated (kvm_mmu_page_fault -> x86_emulate_instruction
 * -> kvm_page_track_write -> kvm_mmu_pte_write), and the INVLPG is L0's
 * (kvm_mmu_invlpg); none of it reaches L1. make check-nested runs it in
 * both boots (the second with ept=0) and compares the counts.
 *
 * Memory map (long mode): payload at MVM_LOAD_GPA (0x100000) with struct
 * vmx, the new PDPT and PD and L2's stack in its .bss; L1's page tables at
 * MVM_PT_GPA (0x10000), shared by L2; TARGET (0x600000) is RAM L1 fills
 * with VALUE before L2 runs.
 */
#include "vmx.h"

#define UNMAPPED 0x8000000000	     /* PML4 entry 1: not present until L2 links it */
#define TARGET	 0x600000	     /* the 2 MiB page L2 maps there */
#define VALUE	 0x50545752495445ULL /* "ETIRWTP" */
#define TABLE	 (PTE_P | PTE_RW)

#define STR(x)	STR_(x)
#define STR_(x) #x

/*
 * L2: RDI holds the address of PML4 entry 1, RSI the entry to put there;
 * RCX gets what L2 read through it.
 */
/* clang-format off */
asm(".pushsection .text\n"
    "l2_main:\n"
    "l2_link:\n"
    "	movq %rsi, (%rdi)\n"
    "	movabsq $" STR(UNMAPPED) ", %rdx\n"
    "	movq (%rdx), %rcx\n"
    "l2_unlink:\n"
    "	movq $0, (%rdi)\n"
    "	invlpg (%rdx)\n"
    "l2_done:\n"
    "	vmcall\n"
    ".popsection");
/* clang-format on */

void l2_main(void);
extern char l2_done[];

static struct vmx vmx;
static uint8_t l2_stack[4096] __attribute__((aligned(16)));
static uint64_t pdpt[512] __attribute__((aligned(4096)));
static uint64_t pd[512] __attribute__((aligned(4096)));

int main(void)
{
	struct vmx_config cfg = { 0 };
	volatile uint64_t *pml4 = (volatile uint64_t *)(uintptr_t)(read_cr3() & PTE_ADDR_MASK);

	if (pml4[1] & PTE_P)
		mvm_exit(MVM_FAIL, "PML4 entry 1 is already present: nothing for L2 to link");
	*(volatile uint64_t *)TARGET = VALUE;
	pd[0] = TARGET | PTE_P | PTE_RW | PTE_PS | PTE_A | PTE_D;
	pdpt[0] = pa(pd) | TABLE;
	vmx_setup(&vmx, l2_main, l2_stack + sizeof(l2_stack), &cfg);
	vmx.l2.rdi = (uintptr_t)&pml4[1];
	vmx.l2.rsi = pa(pdpt) | TABLE;

	mvm_printf("L2 run: links PML4 entry 1, reads 0x%llx, unlinks it",
		   (unsigned long long)UNMAPPED);
	if (!vmx_expect(&vmx, EXIT_REASON_VMCALL, "VMCALL", l2_done))
		return MVM_FAIL;
	report(vmx.l2.rcx == VALUE, "L2 read 0x%llx at 0x%llx through the entry it wrote",
	       (unsigned long long)vmx.l2.rcx, (unsigned long long)UNMAPPED);
	report(pml4[1] == 0, "PML4 entry 1 is empty again (0x%llx)", (unsigned long long)pml4[1]);
	vmx_off(&vmx);
	return MVM_PASS;
}
