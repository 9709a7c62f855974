/* SPDX-License-Identifier: MIT */
/* exit_irq.c - the interrupt-window and TPR-access exits: recorded with what KVM reports. */
#include "exits.h"

/* KVM_EXIT_IRQ_WINDOW_OPEN comes only when userspace asks for it
 * (request_interrupt_window), which minivmm does not: should a KVM send
 * one, the trace shows the window's state and the run goes on. */
enum run_action exit_irq_window_open(struct vcpu *v)
{
	struct record r;

	exit_rec_begin(v, &r);
	rec_u64(&r, "ready_for_injection", v->run->ready_for_interrupt_injection);
	rec_u64(&r, "if_flag", v->run->if_flag);
	rec_u64(&r, "cr8", v->run->cr8);
	vcpu_emit(v, &r);
	return RUN_CONTINUE;
}

/* KVM_EXIT_TPR_ACCESS: a TPR access KVM reports (KVM_TPR_ACCESS_REPORTING). */
enum run_action exit_tpr_access(struct vcpu *v)
{
	struct record r;

	exit_rec_begin(v, &r);
	vcpu_rec_rip(v, &r, "access_rip", v->run->tpr_access.rip);
	rec_word(&r, "dir", v->run->tpr_access.is_write ? "write" : "read");
	vcpu_emit(v, &r);
	return RUN_CONTINUE;
}
