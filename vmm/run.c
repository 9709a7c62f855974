/* SPDX-License-Identifier: MIT */
/* run.c - the one run loop: KVM_RUN, table dispatch on exit_reason, the run's end. */
#include <errno.h>
#include <string.h>

#include "exits.h"
#include "irqchip.h"
#include "minivmm_abi.h"
#include "names.h"
#include "stop.h"

static const exit_fn exit_table[MVM_KVM_EXIT_MAX] = {
	[KVM_EXIT_IO] = exit_io,
	[KVM_EXIT_MMIO] = exit_mmio,
	[KVM_EXIT_HLT] = exit_hlt,
	[KVM_EXIT_SHUTDOWN] = exit_shutdown,
	[KVM_EXIT_FAIL_ENTRY] = exit_fail_entry,
	[KVM_EXIT_INTERNAL_ERROR] = exit_internal_error,
	[KVM_EXIT_SYSTEM_EVENT] = exit_system_event,
	[KVM_EXIT_DIRTY_RING_FULL] = exit_dirty_ring_full,
};

static const char *const end_names[] = {
	[END_NONE] = "none",
	[END_EXIT] = "exit",
	[END_HLT] = "hlt",
	[END_SHUTDOWN] = "shutdown",
	[END_FAIL_ENTRY] = "fail_entry",
	[END_INTERNAL_ERROR] = "internal_error",
	[END_SYSTEM_EVENT] = "system_event",
	[END_TIMEOUT] = "timeout",
	[END_SIGNAL] = "signal",
	[END_MAX_EXITS] = "max_exits",
	[END_HOST_ERROR] = "host_error",
	[END_UNSUPPORTED] = "unsupported",
};

enum run_action exit_hlt(struct vm *vm)
{
	struct record r;

	exit_rec_begin(vm, &r);
	vm_rec_emit(vm, &r);
	return vm_end(vm, END_HLT, MVM_PASS, NULL);
}

enum run_action exit_unhandled(struct vm *vm)
{
	struct record r;

	exit_rec_begin(vm, &r);
	rec_word(&r, "handled", "no");
	vm_rec_emit(vm, &r);
	return RUN_CONTINUE;
}

static void end_on_stop(struct vm *vm)
{
	if (stop_cause() == STOP_TIMEOUT) {
		vm_record_state(vm);
		vm_end(vm, END_TIMEOUT, MVM_FAIL, NULL);
	} else {
		vm_end(vm, END_SIGNAL, MVM_STATUS_INTERRUPT, strsignal(stop_signal()));
	}
}

static void run_loop(struct vm *vm)
{
	struct vcpu *v = &vm->vcpu;

	while (vm->end == END_NONE) {
		uint32_t reason;
		int r;

		if (stop_cause() != STOP_NONE) {
			end_on_stop(vm);
			break;
		}
		r = ioctl_raw(v->fd, KVM_RUN, NULL);
		if (r == -EINTR)
			continue; /* a signal: the loop's top says which */
		if (r < 0) {
			mvm_err("KVM_RUN failed: %s", strerror(-r));
			vm_end(vm, END_HOST_ERROR, MVM_STATUS_HOST, strerror(-r));
			break;
		}
		reason = v->run->exit_reason;
		vm->seq++;
		recorder_count_exit(&vm->rec, reason);
		/* What the kernel did on the way here comes first in the trace. */
		ktrace_drain(vm);
		vm_marker(vm, "minivmm: exit %llu %s\n", (unsigned long long)vm->seq,
			  kvm_exit_name(reason) ? kvm_exit_name(reason) : "UNNAMED");
		(reason < MVM_KVM_EXIT_MAX && exit_table[reason] ? exit_table[reason]
								 : exit_unhandled)(vm);
		if (vm->opt.max_exits && vm->seq >= vm->opt.max_exits)
			vm_end(vm, END_MAX_EXITS, MVM_FAIL, NULL);
	}
}

int vm_run(struct vm *vm)
{
	struct errbuf err;

	if (!stop_arm(vm->vcpu.run, vm->opt.timeout, &err)) {
		mvm_err("%s", err.msg);
		vm_end(vm, END_HOST_ERROR, MVM_STATUS_HOST, err.msg);
	} else {
		run_loop(vm);
	}
	stop_disarm();
	return vm_finish(vm);
}

void vm_record_header(struct vm *vm, const struct payload *p)
{
	const char *base = strrchr(p->name, '/');
	struct record r;

	rec_begin(&r, 0, 0, "trace");
	rec_u64(&r, "version", 1);
	rec_cstr(&r, "payload", base ? base + 1 : p->name);
	rec_word(&r, "mode", mvm_mode_name(p->mode));
	rec_hex(&r, "load", p->load);
	rec_hex(&r, "entry", p->entry);
	rec_hex(&r, "mem", p->mem_size);
	rec_word(&r, "backing", mem_backing_name(vm->opt.backing));
	rec_word(&r, "dirty", dirty_mode_name(vm->opt.dirty));
	/* Only when not the default, so older traces read the same. */
	if (p->irqchip != MVM_IRQCHIP_NONE)
		rec_word(&r, "irqchip", irqchip_name(p->irqchip));
	recorder_emit(&vm->rec, &r);
}

/* The exit status: the guest's verdict, unless the run says otherwise. */
static int run_status(struct vm *vm)
{
	bool failed = vm->reports_failed || vm->guest_errors || vm->unexpected_exceptions;

	switch (vm->end) {
	case END_EXIT:
	case END_HLT:
		return failed && vm->verdict != MVM_FAIL ? MVM_FAIL : vm->verdict;
	case END_SIGNAL:
		return MVM_STATUS_INTERRUPT;
	case END_HOST_ERROR:
		return MVM_STATUS_HOST;
	case END_UNSUPPORTED:
		return MVM_SKIP;
	default:
		return MVM_FAIL;
	}
}

static const char *status_word(int status)
{
	switch (status) {
	case MVM_PASS:
		return "pass";
	case MVM_FAIL:
		return "fail";
	case MVM_SKIP:
		return "skip";
	case MVM_STATUS_INTERRUPT:
		return "interrupted";
	default:
		return "error";
	}
}

static void echo_summary(struct vm *vm, int status)
{
	const char *sep = "";

	vm_echo(vm, "minivmm: %s, %s (exit %d); %llu exits:", end_names[vm->end],
		status_word(status), status, (unsigned long long)vm->seq);
	for (uint32_t i = 0; i <= MVM_KVM_EXIT_MAX; i++) {
		if (!vm->rec.exit_count[i])
			continue;
		vm_echo(vm, "%s %s %llu", sep, i < MVM_KVM_EXIT_MAX ? kvm_exit_name(i) : "UNNAMED",
			(unsigned long long)vm->rec.exit_count[i]);
		sep = ",";
	}
	vm_echo(vm, "\n");
}

int vm_finish(struct vm *vm)
{
	int status = run_status(vm);
	struct record r;

	console_flush(vm);
	dirty_record_all(vm, "end", 0);
	stats_record(vm, "end", 0);
	nested_state_record(vm, "end", 0);
	ktrace_drain(vm);
	rec_begin(&r, 0, 0, "end");
	rec_word(&r, "reason", end_names[vm->end]);
	rec_word(&r, "verdict", status_word(status));
	rec_u64(&r, "status", status);
	rec_u64(&r, "exits", vm->seq);
	rec_u64(&r, "reports_passed", vm->reports_passed);
	rec_u64(&r, "reports_failed", vm->reports_failed);
	rec_u64(&r, "guest_errors", vm->guest_errors);
	rec_u64(&r, "unexpected_exceptions", vm->unexpected_exceptions);
	if (vm->end_detail)
		rec_cstr(&r, "detail", vm->end_detail);
	recorder_emit(&vm->rec, &r);
	recorder_summary(&vm->rec);
	ktrace_summary(vm);
	echo_summary(vm, status);
	if (vm->echo)
		fflush(vm->echo);
	if (!recorder_flush(&vm->rec) && status != MVM_STATUS_INTERRUPT)
		status = MVM_STATUS_HOST;
	return status;
}
