/* SPDX-License-Identifier: MIT */
/*
 * guest_dirty - known write patterns into the test slot between checkpoints,
 * so that the dirty log each mode reads can be checked page by page.
 *
 * KVM path: turning on KVM_MEM_LOG_DIRTY_PAGES write-protects the slot
 * (kvm_mmu_slot_apply_flags -> kvm_mmu_slot_remove_write_access, or with
 * KVM_DIRTY_LOG_INITIALLY_SET nothing until the VMM's first
 * KVM_CLEAR_DIRTY_LOG). A first write to a protected page is a write fault
 * fixed in the kernel (fast_page_fault / kvm_tdp_page_fault ->
 * mark_page_dirty_in_slot), which sets the page's bit in the slot bitmap or
 * pushes it on the vCPU's dirty ring. At each checkpoint the VMM reads them:
 * KVM_GET_DIRTY_LOG (which re-protects), KVM_GET_DIRTY_LOG +
 * KVM_CLEAR_DIRTY_LOG, or the ring + KVM_RESET_DIRTY_RINGS.
 *
 * Memory map (long mode): payload at MVM_LOAD_GPA (0x100000), stack below
 * MVM_STACK_TOP (0x90000); the test slot MVM_SLOT_TEST at MVM_TEST_SLOT_GPA
 * (0xe0000000, 16 MiB), identity mapped. Only the test slot is logged, so
 * the payload's own stack and data never show up.
 *
 * Expected dirty pages of the test slot, as page numbers from 0xe0000000
 * (tests/integration/test_payloads.c checks these in all three modes):
 *   checkpoint 1: none            (logging on, nothing written yet)
 *   checkpoint 2: 0, 5            (single pages)
 *   checkpoint 3: 16, 18, 20, 22, 32-39  (a stride of 2, then a run of 8)
 *   checkpoint 4: 49              (48 only read; 49 written twice)
 *   checkpoint 5: 63, 64          (one 8-byte write across a page boundary)
 *   checkpoint 6: 1024-3071       (2048 pages in one go: more than a 16 KiB
 *                                 dirty ring holds, so --dirty-ring-size 16K
 *                                 also shows KVM_EXIT_DIRTY_RING_FULL)
 *
 * The 2048-page run does an OUT every 32 pages. KVM stops a vCPU whose ring
 * passed its soft limit on the way into the guest; a host that fixes
 * faults in a loop without passing there (seen with kvm_pvm) could
 * otherwise overrun the ring and lose entries. The OUTs bound that.
 *   checkpoint 7: 100
 *   log_stop:     none            (what is pending is recorded when logging stops)
 *   checkpoint 8 and the end: no dirty record, the slot no longer logs
 *                                 (page 101 is written with logging off)
 */
#include "mvm_guest.h"

#define PAGE 4096UL

static volatile uint64_t *page(unsigned long n)
{
	return (volatile uint64_t *)(uintptr_t)(MVM_TEST_SLOT_GPA + n * PAGE);
}

static void write_page(unsigned long n, uint64_t v)
{
	*page(n) = v;
}

int main(void)
{
	volatile uint64_t *cross;
	uint64_t sum = 0;

	mvm_mem(MVM_MEM_LOG_START, MVM_SLOT_TEST, 0);
	mvm_checkpoint(1, "logging on");

	write_page(0, 0x1111);
	write_page(5, 0x5555);
	mvm_checkpoint(2, "pages 0 and 5");

	for (unsigned long n = 16; n <= 22; n += 2)
		write_page(n, n);
	for (unsigned long n = 32; n < 40; n++)
		write_page(n, n);
	mvm_checkpoint(3, "stride 2 from 16, run 32-39");

	sum += *page(48);
	write_page(49, 1);
	write_page(49, 2);
	mvm_checkpoint(4, "48 read, 49 written twice");

	/* Unaligned on purpose: four bytes land on page 63, four on page 64. */
	cross = (volatile uint64_t *)(uintptr_t)(MVM_TEST_SLOT_GPA + 64 * PAGE - 4);
	*cross = 0x0102030405060708ULL;
	mvm_checkpoint(5, "one write across pages 63 and 64");

	for (unsigned long n = 1024; n < 3072; n++) {
		write_page(n, n);
		if (n % 32 == 31)
			outb(MVM_TESTDEV_PORT + MVM_TESTDEV_REG_SCRATCH, (uint8_t)(n / 32));
	}
	mvm_checkpoint(6, "run of 2048 pages from 1024");

	write_page(100, 100);
	mvm_checkpoint(7, "page 100");
	mvm_mem(MVM_MEM_LOG_STOP, MVM_SLOT_TEST, 0);
	write_page(101, 101);
	mvm_checkpoint(8, "page 101 with logging off");

	report(*page(49) == 2 && *page(100) == 100 && *page(101) == 101 && sum == 0,
	       "written values read back");
	report(*cross == 0x0102030405060708ULL, "the page-crossing write reads back");
	return MVM_PASS;
}
