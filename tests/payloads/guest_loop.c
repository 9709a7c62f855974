/* SPDX-License-Identifier: MIT */
/*
 * guest_loop - prints a line, then spins forever without any exit, for the
 * VMM's --timeout: only the host can end this run.
 *
 * KVM path: one KVM_EXIT_IO for the print, then the vCPU stays in guest
 * mode until the VMM kicks it (a signal makes KVM_RUN return -EINTR /
 * KVM_EXIT_INTR, or immediate_exit is set).
 *
 * Memory map (long mode): payload at MVM_LOAD_GPA (0x100000), stack below
 * MVM_STACK_TOP (0x90000), call port MVM_CALL_PORT (0x500).
 */
#include "mvm_guest.h"

int main(void)
{
	mvm_print("guest_loop: spinning until the host stops the run\n");
	for (;;)
		asm volatile("" : : : "memory");
}
