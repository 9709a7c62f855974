/* SPDX-License-Identifier: MIT */
/*
 * guest_bench_mmio - a fixed number of 32-bit stores to the test device's
 * MMIO scratch register, as fast as the guest can issue them: the MMIO
 * counterpart of guest_bench_pio, for `make bench`'s cost per recorded
 * exit (tests/bench/record_cost.sh).
 *
 * KVM path: the GPA has no memory slot, so each store faults in the MMU
 * (EPT misconfig / NPF) -> kvm_mmu_page_fault -> x86_emulate_instruction ->
 * emulator_write_emulated -> KVM_EXIT_MMIO, BENCH_STORES times, then the
 * exit call.
 *
 * Memory map (long mode): payload at MVM_LOAD_GPA (0x100000), stack below
 * MVM_STACK_TOP (0x90000). Test device scratch at MVM_TESTDEV_MMIO_GPA +
 * MVM_TESTDEV_REG_SCRATCH (0xd0000008), calls at MVM_CALL_PORT (0x500).
 */
#include "mvm_guest.h"

#define BENCH_STORES 1000000U

int main(void)
{
	uint32_t i;

	for (i = 0; i < BENCH_STORES; i++)
		mmio_write32(MVM_TESTDEV_MMIO_GPA + MVM_TESTDEV_REG_SCRATCH, i);
	mvm_exit(MVM_PASS, NULL);
}
