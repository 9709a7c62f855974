/* SPDX-License-Identifier: MIT */
/*
 * guest_emulate_fail - an MMIO access by an instruction KVM's emulator has
 * no entry for, which it refuses: the run ends in a named emulation failure.
 *
 * KVM path: the load from the test device faults in the MMU (no slot) ->
 * kvm_mmu_page_fault -> x86_emulate_instruction(EMULTYPE_PF) ->
 * x86_decode_insn fails (POPCNT, f3 0f b8, is not in the emulator's opcode
 * tables) -> handle_emulation_failure -> prepare_emulation_failure_exit:
 * KVM_EXIT_INTERNAL_ERROR, suberror KVM_INTERNAL_ERROR_EMULATION, with the
 * instruction bytes (KVM_INTERNAL_ERROR_EMULATION_FLAG_INSTRUCTION_BYTES).
 * MMIO is what makes KVM emulate the instruction at all on hardware with
 * EPT or NPT; on kvm_pvm everything is emulated, and the same failure comes
 * from the same place. The mov before it checks that MMIO itself works.
 *
 * Memory map (long mode): payload at MVM_LOAD_GPA (0x100000), stack below
 * MVM_STACK_TOP (0x90000), test device scratch at 0xd0000008.
 */
#include "mvm_guest.h"

#define SCRATCH (MVM_TESTDEV_MMIO_GPA + MVM_TESTDEV_REG_SCRATCH)

int main(void)
{
	uint64_t n;

	mmio_write64(SCRATCH, 0xff);
	report(mmio_read64(SCRATCH) == 0xff, "mov: MMIO works before the refused instruction");
	asm volatile("popcntq (%1), %0" : "=r"(n) : "r"(SCRATCH) : "memory", "cc");
	report(0, "popcnt from MMIO was emulated (got %llu): no emulation failure",
	       (unsigned long long)n);
	return report_summary();
}
