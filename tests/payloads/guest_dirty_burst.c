/* SPDX-License-Identifier: MIT */
/*
 * guest_dirty_burst - 2048 pages of the test slot written in one loop, with
 * no exit to userspace in between, then a checkpoint: more than a 16 KiB
 * dirty ring (1024 entries) holds.
 *
 * KVM path: each first write is a write fault fixed in the kernel
 * (kvm_tdp_page_fault / fast_page_fault -> mark_page_dirty_in_slot ->
 * kvm_dirty_ring_push). Past the ring's soft limit KVM raises
 * KVM_REQ_DIRTY_RING_SOFT_FULL, and the vCPU leaves with
 * KVM_EXIT_DIRTY_RING_FULL on its next way into the guest; the VMM harvests
 * and resets, and the loop goes on. A KVM that fixes faults in a loop
 * without passing there (kvm_pvm, which emulates the guest) overruns the
 * ring instead: its kvm_dirty_ring_push tracepoint shows dirty_index more
 * than 1024 past reset_index, and entries are lost.
 *
 * Expected: with the default 64 KiB ring (4096 entries), checkpoint 1 none,
 * checkpoint 2 pages 0-2047 of 0xe0000000, status 0 (the golden trace).
 * With --dirty-ring-size 16K: the same, with DIRTY_RING_FULL exits before
 * the checkpoint; or, where KVM overran the ring, a dirty_ring_overrun
 * record and status 3 (host_error), no dirty set after it
 * (tests/integration/test_payloads.c checks exactly that, either way).
 */
#include "mvm_guest.h"

#define PAGE  4096UL
#define PAGES 2048UL

int main(void)
{
	mvm_mem(MVM_MEM_LOG_START, MVM_SLOT_TEST, 0);
	mvm_checkpoint(1, "logging on");
	for (unsigned long n = 0; n < PAGES; n++)
		*(volatile uint64_t *)(uintptr_t)(MVM_TEST_SLOT_GPA + n * PAGE) = n;
	mvm_checkpoint(2, "2048 pages in one loop");
	return MVM_PASS;
}
