/* SPDX-License-Identifier: MIT */
/*
 * guest_ptwrite - the guest rewrites its own page tables while it runs:
 * remaps a 4 KiB page, unmaps it (a #PF it catches), remaps a 2 MiB page,
 * and puts everything back, with INVLPG after each change.
 *
 * KVM path: with EPT/NPT the tables are ordinary guest memory and the
 * writes never leave the guest; only INVLPG may exit. With the shadow MMU
 * (no TDP, or a paravirtual KVM) the pages holding guest page tables are
 * write-tracked (kvm_slot_page_track_add_page / kvm_mmu_gfn_disallow_lpage),
 * so each PTE write faults and is emulated: kvm_mmu_page_fault ->
 * x86_emulate_instruction -> kvm_page_track_write -> kvm_mmu_pte_write,
 * which zaps or updates the shadow entry; INVLPG is kvm_mmu_invlpg.
 *
 * Memory map (long mode): payload at MVM_LOAD_GPA (0x100000), stack below
 * MVM_STACK_TOP (0x90000); the VMM's page tables at MVM_PT_GPA (found
 * through CR3); VA 0x1ff000 (last 4 KiB page of the first 2 MiB) and VA
 * 0x200000 (the first 2 MiB page) are the ones remapped, to pages of the
 * test slot at MVM_TEST_SLOT_GPA (0xe0000000).
 */
#include "mvm_guest.h"

#define PAGE	     4096UL
#define LEAF	     (PTE_P | PTE_RW | PTE_A | PTE_D)
#define VA_4K	     0x1ff000UL
#define VA_2M	     0x200000UL
#define X86_VEC_PF   14
#define TEST_PAGE(n) (MVM_TEST_SLOT_GPA + (n)*PAGE)

/* The tables are identity mapped, so a table's address is a pointer. */
static volatile uint64_t *table(uint64_t entry)
{
	return (volatile uint64_t *)(uintptr_t)(entry & PTE_ADDR_MASK);
}

static volatile uint64_t *pd0(void)
{
	volatile uint64_t *pml4 = table(read_cr3());

	return table(table(pml4[0])[0]);
}

static uint64_t read_va(uintptr_t va)
{
	return *(volatile uint64_t *)va;
}

static void remap_4k(volatile uint64_t *pte)
{
	uint64_t saved = *pte;

	*pte = TEST_PAGE(0) | LEAF;
	invlpg(VA_4K);
	report(read_va(VA_4K) == 0xaaaa, "4K: VA 0x1ff000 -> test page 0 reads 0xaaaa");
	*pte = TEST_PAGE(1) | LEAF;
	invlpg(VA_4K);
	report(read_va(VA_4K) == 0xbbbb, "4K: VA 0x1ff000 -> test page 1 reads 0xbbbb");
	*(volatile uint64_t *)VA_4K = 0xcccc;
	report(*(volatile uint64_t *)(uintptr_t)TEST_PAGE(1) == 0xcccc,
	       "4K: a write through the new mapping lands in test page 1");
	*pte = saved;
	invlpg(VA_4K);
	report(read_va(VA_4K) == 0x1ff1ff, "4K: the identity mapping is back");
}

static void unmap_4k(volatile uint64_t *pte)
{
	uint64_t saved = *pte, v = 0;
	struct mvm_fault f;

	*pte = 0;
	invlpg(VA_4K);
	mvm_fault_expect(&f);
	asm volatile(MVM_TRY_BEGIN "movq (%1), %0\n\t" MVM_TRY_END : "+r"(v) : "r"(VA_4K) : "memory");
	mvm_fault_end(&f);
	report(f.taken && f.vector == X86_VEC_PF && f.cr2 == VA_4K && !(f.error_code & X86_PF_P),
	       "4K: the cleared PTE gives #PF, CR2 0x%llx, error code 0x%llx",
	       (unsigned long long)f.cr2, (unsigned long long)f.error_code);
	*pte = saved;
	invlpg(VA_4K);
	report(read_va(VA_4K) == 0x1ff1ff, "4K: present again after the #PF");
}

static void remap_2m(volatile uint64_t *pde)
{
	uint64_t saved = *pde;

	*pde = MVM_TEST_SLOT_GPA | LEAF | PTE_PS;
	invlpg(VA_2M);
	report(read_va(VA_2M) == 0xaaaa && read_va(VA_2M + PAGE) == 0xcccc,
	       "2M: VA 0x200000 -> the test slot's first 2 MiB");
	*pde = saved;
	invlpg(VA_2M);
	report(read_va(VA_2M) == 0x200200, "2M: the identity mapping is back");
}

int main(void)
{
	volatile uint64_t *pd = pd0();

	*(volatile uint64_t *)(uintptr_t)TEST_PAGE(0) = 0xaaaa;
	*(volatile uint64_t *)(uintptr_t)TEST_PAGE(1) = 0xbbbb;
	*(volatile uint64_t *)VA_4K = 0x1ff1ff;
	*(volatile uint64_t *)VA_2M = 0x200200;
	report(!(pd[0] & PTE_PS) && (pd[1] & PTE_PS), "tables: PD[0] is a table, PD[1] a 2M page");
	mvm_checkpoint(1, "tables found");
	remap_4k(&table(pd[0])[VA_4K / PAGE % 512]);
	mvm_checkpoint(2, "4K remapped and back");
	unmap_4k(&table(pd[0])[VA_4K / PAGE % 512]);
	mvm_checkpoint(3, "4K unmapped and back");
	remap_2m(&pd[1]);
	mvm_checkpoint(4, "2M remapped and back");
	return MVM_PASS;
}
