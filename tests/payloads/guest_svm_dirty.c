/* SPDX-License-Identifier: MIT */
/*
 * guest_svm_dirty - dirty logging of pages that an L2 guest writes. The
 * payload is an L1 hypervisor: it asks the host to log the test slot, then
 * runs an L2 whose NPT maps the slot 1:1, and L2 writes known pages of it
 * in phases, each ended by a VMMCALL (RAX = the phase's number). At each
 * VMMCALL exit L1 takes a checkpoint, where the host reads the slot's
 * dirty log. The log is kept in L1's guest-physical addresses, which the
 * identity NPT makes equal to L2's.
 *
 * KVM path: L2 runs on L0's shadow of L1's NPT (nested_svm_init_mmu_context,
 * the shadow MMU with a guest NPT as the guest table). With
 * KVM_MEM_LOG_DIRTY_PAGES on the slot the shadow entries that reach it are
 * 4 KiB and write-protected, though L1's NPT maps 2 MiB pages; L2's first
 * write to a page is an NPF in L0 (npf_interception -> kvm_mmu_page_fault
 * -> the shadow walk of L1's NPT, FNAME(page_fault) for the nested MMU ->
 * mark_page_dirty_in_slot for L1's GFN), fixed without an exit to L1. L1's
 * own write is the ordinary write fault of a logged slot in L1's TDP MMU
 * (fast_page_fault / kvm_tdp_page_fault). The exits L1 does see (VMMCALL)
 * go through nested_svm_exit_handled and nested_svm_vmexit.
 *
 * Memory map (long mode): payload at MVM_LOAD_GPA (0x100000) with the VMCB,
 * host save area, IOPM, MSRPM, nested page tables and L2's 4 KiB stack in
 * its .bss; L1's stack below MVM_STACK_TOP (0x90000); L1's page tables at
 * MVM_PT_GPA (0x10000), shared by L2; the test slot MVM_SLOT_TEST at
 * MVM_TEST_SLOT_GPA (0xe0000000, 16 MiB), identity mapped in both the page
 * tables and the NPT. Only the test slot is logged, so L1's and L2's stacks,
 * the VMCB and the NPT (whose A/D bits are preset) never show up.
 *
 * Expected dirty pages of the test slot, as page numbers from 0xe0000000:
 *   checkpoint 1: none            (logging on, L2 not started)
 *   checkpoint 2: 0, 5            (L2: single pages)
 *   checkpoint 3: 16, 18, 20, 22, 32-39  (L2: a stride of 2, then a run of 8)
 *   checkpoint 4: 49              (L2: 48 only read, 49 written twice)
 *   checkpoint 5: 60, 61          (L1 wrote 60 before VMRUN, L2 wrote 61)
 *   checkpoint 6: 1024-1535       (L2: 512 pages in one go)
 *   checkpoint 7: 100             (L2)
 *   log_stop:     none            (nothing pending)
 *   checkpoint 8: no dirty record (L2 wrote 101 with logging off)
 */
#include "svm.h"

#define PAGE	 4096UL
#define RUN_FROM 1024
#define RUN_LEN	 512

static struct svm svm;
static uint8_t l2_stack[4096] __attribute__((aligned(16)));

static volatile uint64_t *page(unsigned long n)
{
	return (volatile uint64_t *)(uintptr_t)(MVM_TEST_SLOT_GPA + n * PAGE);
}

static void l2_done(uint64_t phase)
{
	asm volatile("vmmcall" : : "a"(phase) : "memory");
}

/* L2: plain C on its own stack; it calls nothing of L1's, whose host calls are port I/O. */
static void __attribute__((noreturn)) l2_main(void)
{
	uint64_t sum = 0;

	*page(0) = 0x1111;
	*page(5) = 0x5555;
	l2_done(2);
	for (unsigned long n = 16; n <= 22; n += 2)
		*page(n) = n;
	for (unsigned long n = 32; n < 40; n++)
		*page(n) = n;
	l2_done(3);
	sum += *page(48);
	*page(49) = 1;
	*page(49) = 2 + sum;
	l2_done(4);
	*page(61) = 61;
	l2_done(5);
	for (unsigned long n = RUN_FROM; n < RUN_FROM + RUN_LEN; n++)
		*page(n) = n;
	l2_done(6);
	*page(100) = 100;
	l2_done(7);
	*page(101) = 101;
	for (;;)
		l2_done(8);
}

/* Runs L2 to the end of a phase, which must be a VMMCALL with RAX = phase. */
static void l2_phase(struct svm *s, uint64_t phase, const char *label)
{
	uint64_t code = svm_run(s)->reason;

	report(code == SVM_EXIT_VMMCALL && s->vmcb.save.rax == phase,
	       "phase %llu: wanted VMMCALL (0x81) with RAX %llu, got 0x%llx with RAX %llu",
	       (unsigned long long)phase, (unsigned long long)phase, (unsigned long long)code,
	       (unsigned long long)s->vmcb.save.rax);
	if (code != SVM_EXIT_VMMCALL)
		mvm_exit(MVM_FAIL, "L2 went off its script");
	svm_skip(s);
	mvm_checkpoint(phase, label);
}

int main(void)
{
	int run_ok = 1;

	mvm_mem(MVM_MEM_LOG_START, MVM_SLOT_TEST, 0);
	mvm_checkpoint(1, "logging on");

	/* -8: L2 enters l2_main as if called, with a return address pushed. */
	svm_setup(&svm, l2_main, l2_stack + sizeof(l2_stack) - 8);
	svm_npt_init(&svm);
	svm.vmcb.control.intercept4 |= SVM_INTERCEPT4_VMMCALL;

	l2_phase(&svm, 2, "L2: pages 0 and 5");
	l2_phase(&svm, 3, "L2: stride 2 from 16, run 32-39");
	l2_phase(&svm, 4, "L2: 48 read, 49 written twice");
	*page(60) = 60;
	l2_phase(&svm, 5, "L1: page 60, L2: page 61");
	l2_phase(&svm, 6, "L2: run of 512 pages from 1024");
	l2_phase(&svm, 7, "L2: page 100");
	mvm_mem(MVM_MEM_LOG_STOP, MVM_SLOT_TEST, 0);
	l2_phase(&svm, 8, "L2: page 101 with logging off");

	for (unsigned long n = RUN_FROM; n < RUN_FROM + RUN_LEN; n++)
		run_ok &= *page(n) == n;
	report(*page(0) == 0x1111 && *page(5) == 0x5555 && *page(49) == 2 && *page(61) == 61 &&
		       *page(100) == 100 && *page(101) == 101,
	       "L1 reads back what L2 wrote");
	report(run_ok, "L1 reads back L2's run of %d pages", RUN_LEN);
	return MVM_PASS;
}
