/* SPDX-License-Identifier: MIT */
/*
 * guest_bench_dirty - dirties the same k pages spread over the first GiB
 * of high RAM, then asks for a checkpoint, many times over: the work
 * `make bench` times at the VMM's side of each checkpoint, for high slots
 * of any size from 1 GiB up (the VMM's scan of the log grows with it).
 *
 * KVM path: write faults on write-protected pages of a logged slot
 * (mark_page_dirty_in_slot), then at each checkpoint KVM_GET_DIRTY_LOG
 * (kvm_get_dirty_log_protect) or the dirty ring and KVM_RESET_DIRTY_RINGS.
 *
 * Memory map (long mode, run with --mem 4G or more): payload at
 * MVM_LOAD_GPA, stack below MVM_STACK_TOP; the high slot from
 * MVM_HIGH_RAM_GPA (4 GiB). The VMM maps only the first 4 GiB, so this
 * payload maps 4-20 GiB itself with 2 MiB pages: 16 page directories of
 * its own, hung from the VMM's PDPT entries 4-19. Only 4-5 GiB is written.
 */
#include "mvm_guest.h"

#define GIB	    (1ULL << 30)
#define MAPPED_GIB  16
#define PAGES	    64 /* k: pages dirtied per checkpoint, 16 MiB apart */
#define ROUNDS	    400
#define TABLE_FLAGS (PTE_P | PTE_RW | PTE_A)
#define LEAF_FLAGS  (PTE_P | PTE_RW | PTE_A | PTE_D | PTE_PS)

static uint64_t pd[MAPPED_GIB][512] __attribute__((aligned(4096)));

static void map_high(void)
{
	volatile uint64_t *pml4 = (volatile uint64_t *)(uintptr_t)(read_cr3() & PTE_ADDR_MASK);
	volatile uint64_t *pdpt = (volatile uint64_t *)(uintptr_t)(pml4[0] & PTE_ADDR_MASK);

	for (int g = 0; g < MAPPED_GIB; g++) {
		for (uint64_t j = 0; j < 512; j++)
			pd[g][j] = (MVM_HIGH_RAM_GPA + g * GIB + j * (2ULL << 20)) | LEAF_FLAGS;
		pdpt[MVM_HIGH_RAM_GPA / GIB + g] = (uint64_t)(uintptr_t)pd[g] | TABLE_FLAGS;
	}
	write_cr3(read_cr3()); /* flush: the PDPT entries were not present before */
}

int main(void)
{
	const uint64_t stride = GIB / PAGES; /* the smallest high slot benched is 1 GiB */

	map_high();
	mvm_mem(MVM_MEM_LOG_START, MVM_SLOT_HIGH, 0);
	for (uint64_t round = 1; round <= ROUNDS; round++) {
		for (uint64_t i = 0; i < PAGES; i++)
			*(volatile uint64_t *)(uintptr_t)(MVM_HIGH_RAM_GPA + i * stride) = round;
		mvm_checkpoint(round, NULL);
	}
	return MVM_PASS;
}
