/* SPDX-License-Identifier: MIT */
/*
 * guest_bench_pio - a fixed number of one-byte OUTs to the test device's
 * scratch port, as fast as the guest can issue them: measures the cost of
 * one userspace PIO exit round trip for `make bench`.
 *
 * KVM path: handle_io / io_interception -> kvm_fast_pio ->
 * complete_fast_pio_out, KVM_EXIT_IO, BENCH_OUTS times, then the exit call.
 *
 * Memory map (long mode): payload at MVM_LOAD_GPA (0x100000), stack below
 * MVM_STACK_TOP (0x90000). Ports: test device scratch MVM_TESTDEV_PORT +
 * MVM_TESTDEV_REG_SCRATCH (0xe08), calls at MVM_CALL_PORT (0x500).
 */
#include "mvm_guest.h"

#define BENCH_OUTS 1000000U

int main(void)
{
	uint32_t i;

	for (i = 0; i < BENCH_OUTS; i++)
		outb(MVM_TESTDEV_PORT + MVM_TESTDEV_REG_SCRATCH, (uint8_t)i);
	mvm_exit(MVM_PASS, NULL);
}
