/* SPDX-License-Identifier: MIT */
/*
 * guest_triplefault - ends the run in a triple fault: an IDT with limit 0
 * turns the #UD of UD2 into #GP, then #DF, then shutdown.
 *
 * KVM path: #UD is intercepted (handle_ud / ud_interception) and queued
 * back; its delivery through the empty IDT escalates in hardware to a
 * triple fault: VMX EXIT_REASON_TRIPLE_FAULT (handle_triple_fault) or SVM
 * SVM_EXIT_SHUTDOWN (shutdown_interception) -> KVM_EXIT_SHUTDOWN.
 *
 * Memory map (long mode): payload at MVM_LOAD_GPA (0x100000), stack below
 * MVM_STACK_TOP (0x90000), call port MVM_CALL_PORT (0x500). The IDT base
 * is 0 with limit 0, so no gate is ever read.
 */
#include "mvm_guest.h"

struct idt_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

int main(void)
{
	static const struct idt_ptr empty = { .limit = 0, .base = 0 };

	mvm_print("guest_triplefault: loading an empty IDT, then ud2\n");
	asm volatile("lidt %0\n\tud2" : : "m"(empty) : "memory");
	/* Not reached: a shutdown does not resume. */
	return MVM_FAIL;
}
