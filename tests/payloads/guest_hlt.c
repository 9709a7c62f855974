/* SPDX-License-Identifier: MIT */
/*
 * guest_hlt - the smallest run: one print, then HLT with no exit call.
 *
 * KVM path: the print is a userspace PIO exit (kvm_fast_pio ->
 * complete_fast_pio_out, KVM_EXIT_IO); HLT with interrupts off is
 * kvm_emulate_halt -> __kvm_emulate_halt, KVM_EXIT_HLT because the VMM
 * has no in-kernel LAPIC.
 *
 * Memory map (long mode): payload at MVM_LOAD_GPA (0x100000), stack below
 * MVM_STACK_TOP (0x90000), call port MVM_CALL_PORT (0x500).
 */
#include "mvm_guest.h"

int main(void)
{
	mvm_print("guest_hlt: halting\n");
	/* The run must end on this HLT, so never fall back into mvm_start's exit call. */
	for (;;)
		hlt();
}
