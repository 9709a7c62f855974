/* SPDX-License-Identifier: MIT */
/* vm_records.c - owns a trace's frame: the header and slot records, the end record and summaries. */
#include <string.h>

#include "dirty.h"
#include "irqchip.h"
#include "minivmm_abi.h"
#include "names.h"
#include "vm.h"

void vm_record_header(struct vm *vm, const struct payload *p)
{
	const char *base = strrchr(p->name, '/');
	struct record r;

	rec_begin(&r, 0, REC_NO_VCPU, "trace");
	rec_u64(&r, "version", 1);
	rec_cstr(&r, "payload", base ? base + 1 : p->name);
	rec_hex(&r, "hash", payload_hash(p));
	rec_word(&r, "mode", mvm_mode_name(p->mode));
	rec_hex(&r, "load", p->load);
	rec_hex(&r, "entry", p->entry);
	rec_hex(&r, "mem", p->mem_size);
	rec_word(&r, "backing", mem_backing_name(vm->m.opt.backing));
	rec_word(&r, "dirty", dirty_mode_name(vm->m.opt.dirty));
	/* Only when not the default, so older traces read the same. */
	if (p->vcpus > 1)
		rec_u64(&r, "vcpus", p->vcpus);
	if (p->irqchip != MVM_IRQCHIP_NONE)
		rec_word(&r, "irqchip", irqchip_name(p->irqchip));
	if (vm->m.pc || p->multiboot) /* a Multiboot kernel gets the PC devices */
		rec_word(&r, "machine", "pc");
	if (p->multiboot)
		rec_word(&r, "boot", "multiboot");
	if (vm->m.opt.cpu.spec[0] && strcmp(vm->m.opt.cpu.spec, "host"))
		rec_cstr(&r, "cpu", vm->m.opt.cpu.spec);
	if (p->boot.append)
		rec_cstr(&r, "append", p->boot.append);
	if (p->boot.initrd_name) {
		base = strrchr(p->boot.initrd_name, '/');
		rec_cstr(&r, "initrd", base ? base + 1 : p->boot.initrd_name);
	}
	runlog_emit(&vm->m.log, &r);
}

void vm_record_layout(struct vm *vm)
{
	for (int i = 0; i < MVM_SLOT_COUNT; i++) {
		const struct mem_slot *s = &vm->m.mem.slot[i];
		struct record r;

		if (!s->exists)
			continue;
		mem_slot_record(s, &r);
		runlog_emit(&vm->m.log, &r);
	}
}

/* The exit status: the guest's verdict, unless the run says otherwise. */
static int run_status(const struct runlog *log)
{
	bool failed = log->reports_failed || log->guest_errors || log->unexpected_exceptions;

	switch (log->end) {
	case END_EXIT:
	case END_HLT:
	case END_DEBUG_EXIT:
		return failed && log->verdict != MVM_FAIL ? MVM_FAIL : log->verdict;
	case END_SIGNAL:
		return MVM_STATUS_INTERRUPT;
	case END_HOST_ERROR:
		return MVM_STATUS_HOST;
	case END_UNSUPPORTED:
		return MVM_SKIP;
	case END_USAGE_ERROR:
		return MVM_STATUS_USAGE;
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

static const char *exit_slot_name(uint32_t i)
{
	return i < MVM_KVM_EXIT_MAX ? kvm_exit_name(i) : "UNNAMED";
}

static void echo_summary(struct vm *vm, int status)
{
	struct runlog *log = &vm->m.log;
	const char *sep = "";

	if (vm->m.opt.no_summary)
		return;
	runlog_echo(log, "minivmm: %s, %s (exit %d); %llu exits:", end_reason_name(log->end),
		    status_word(status), status, (unsigned long long)log->exits);
	for (uint32_t i = 0; i <= MVM_KVM_EXIT_MAX; i++) {
		if (!log->rec.exit_count[i])
			continue;
		runlog_echo(log, "%s %s %llu", sep, exit_slot_name(i),
			    (unsigned long long)log->rec.exit_count[i]);
		sep = ",";
	}
	runlog_echo(log, "\n");
}

/* With several vCPUs, each one's exits per reason after the totals. */
static void vcpu_summaries(struct vm *vm)
{
	if (vm->m.nvcpus < 2)
		return;
	for (int v = 0; v < vm->nvcpus_made; v++) {
		for (uint32_t i = 0; i <= MVM_KVM_EXIT_MAX; i++) {
			struct record r;

			if (!vm->vcpu[v].exit_count[i])
				continue;
			rec_begin(&r, 0, REC_NO_VCPU, "vcpu_summary");
			rec_u64(&r, "vcpu", (uint64_t)v);
			rec_word(&r, "exit", exit_slot_name(i));
			rec_u64(&r, "count", vm->vcpu[v].exit_count[i]);
			runlog_emit(&vm->m.log, &r);
		}
	}
}

static void end_record(struct runlog *log, int status)
{
	struct record r;

	rec_begin(&r, 0, REC_NO_VCPU, "end");
	rec_word(&r, "reason", end_reason_name(log->end));
	rec_word(&r, "verdict", status_word(status));
	rec_u64(&r, "status", status);
	rec_u64(&r, "exits", log->exits);
	rec_u64(&r, "reports_passed", log->reports_passed);
	rec_u64(&r, "reports_failed", log->reports_failed);
	rec_u64(&r, "guest_errors", log->guest_errors);
	rec_u64(&r, "unexpected_exceptions", log->unexpected_exceptions);
	if (log->end_detail)
		rec_cstr(&r, "detail", log->end_detail);
	runlog_emit(log, &r);
}

int vm_finish(struct vm *vm)
{
	struct runlog *log = &vm->m.log;
	int status;

	/* vCPUs stopped from outside (a timeout, a signal, another vCPU's end):
	 * where each was, in vCPU order, now that every thread has stopped. */
	for (int i = 0; i < vm->nvcpus_made && log->end != END_HOST_ERROR; i++)
		if (vm->vcpu[i].ran && !vm->vcpu[i].ended_run)
			vcpu_record_state(&vm->vcpu[i]);
	contribs_at_end(&vm->contribs, &vm->m);
	/* A write failure found now still makes the status, the summary line
	 * and the end record agree; only the last few records can still fail. */
	runlog_flush_output(log);
	echo_summary(vm, run_status(log));
	runlog_flush_output(log);
	status = run_status(log);
	end_record(log, status);
	recorder_summary(&log->rec);
	vcpu_summaries(vm);
	contribs_summary(&vm->contribs, &vm->m);
	if (!recorder_flush(&log->rec) && status != MVM_STATUS_INTERRUPT)
		status = MVM_STATUS_HOST;
	return status;
}
