/* SPDX-License-Identifier: MIT */
/* exit_fail.c - exits that end a run abnormally: triple fault, failed entry, internal error. */
#include <stdio.h>
#include <string.h>

#include "exits.h"
#include "minivmm_abi.h"
#include "names.h"

enum run_action exit_shutdown(struct vcpu *v)
{
	struct record r;

	exit_rec_begin(v, &r);
	rec_word(&r, "cause", "triple_fault");
	vcpu_emit(v, &r);
	vcpu_record_state(v);
	return runlog_end(&v->m->log, END_SHUTDOWN, MVM_FAIL, NULL);
}

/* hardware_entry_failure_reason is the VMX exit reason (bit 31: entry
 * failure) on Intel, the VMCB exit code on AMD. */
static void rec_entry_failure(struct vcpu *v, struct record *r, uint64_t hw)
{
	const char *vendor = v->m->kvm.cpu.vendor;
	const char *name;

	if (strcmp(vendor, "GenuineIntel") == 0) {
		name = vmx_exit_name(hw & 0xffff);
		rec_word(r, "vmx_exit", name ? name : "unknown");
		rec_word(r, "vm_entry_failure", hw & (1ULL << 31) ? "yes" : "no");
	} else if (strcmp(vendor, "AuthenticAMD") == 0 || strcmp(vendor, "HygonGenuine") == 0) {
		name = svm_exit_name(hw);
		rec_word(r, "svm_exit", name ? name : "unknown");
	}
}

enum run_action exit_fail_entry(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	uint64_t hw = run->fail_entry.hardware_entry_failure_reason;
	struct record r;

	exit_rec_begin(v, &r);
	rec_hex(&r, "hardware_entry_failure_reason", hw);
	rec_entry_failure(v, &r, hw);
	rec_u64(&r, "cpu", run->fail_entry.cpu);
	vcpu_emit(v, &r);
	vcpu_record_state(v);
	return runlog_end(&v->m->log, END_FAIL_ENTRY, MVM_FAIL, NULL);
}

static void rec_emulation_bytes(struct record *r, const struct kvm_run *run)
{
	/* emulation_failure overlays internal: data[0] is flags, then the
	 * instruction length and up to 15 bytes. */
	if (run->emulation_failure.ndata < 3 ||
	    !(run->emulation_failure.flags & KVM_INTERNAL_ERROR_EMULATION_FLAG_INSTRUCTION_BYTES))
		return;
	rec_bytes(r, "insn", run->emulation_failure.insn_bytes,
		  run->emulation_failure.insn_size <= 15 ? run->emulation_failure.insn_size : 15);
}

enum run_action exit_internal_error(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	const char *name = kvm_internal_error_name(run->internal.suberror);
	uint32_t n = run->internal.ndata < 16 ? run->internal.ndata : 16;
	char words[16 * 19 + 1] = "";
	struct record r;

	for (uint32_t i = 0, off = 0; i < n; i++)
		off += snprintf(words + off, sizeof(words) - off, "%s0x%llx", i ? "," : "",
				(unsigned long long)run->internal.data[i]);
	exit_rec_begin(v, &r);
	rec_u64(&r, "suberror", run->internal.suberror);
	rec_word(&r, "name", name ? name : "unknown");
	rec_u64(&r, "ndata", run->internal.ndata);
	if (n)
		rec_word(&r, "data", words);
	if (run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION)
		rec_emulation_bytes(&r, run);
	vcpu_emit(v, &r);
	vcpu_record_state(v);
	return runlog_end(&v->m->log, END_INTERNAL_ERROR, MVM_FAIL, name);
}

static const char *const system_event_names[] = {
	[KVM_SYSTEM_EVENT_SHUTDOWN] = "shutdown", [KVM_SYSTEM_EVENT_RESET] = "reset",
	[KVM_SYSTEM_EVENT_CRASH] = "crash",	  [KVM_SYSTEM_EVENT_WAKEUP] = "wakeup",
	[KVM_SYSTEM_EVENT_SUSPEND] = "suspend",	  [KVM_SYSTEM_EVENT_SEV_TERM] = "sev_term",
};

enum run_action exit_system_event(struct vcpu *v)
{
	uint32_t type = v->run->system_event.type;
	const char *name = type < ARRAY_SIZE(system_event_names) ? system_event_names[type] : NULL;
	struct record r;

	exit_rec_begin(v, &r);
	rec_u64(&r, "event_type", type);
	rec_word(&r, "event", name ? name : "unknown");
	vcpu_emit(v, &r);
	return runlog_end(&v->m->log, END_SYSTEM_EVENT, MVM_FAIL, name);
}
