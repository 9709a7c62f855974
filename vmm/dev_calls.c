/* SPDX-License-Identifier: MIT */
/* dev_calls.c - the ABI port: the guest's calls, dispatched by number through one table. */
#include <string.h>

#include "contrib.h"
#include "mem_op.h"
#include "minivmm_abi.h"
#include "names.h"

/* Copies a call's argument block out of guest memory; false after a guest error. */
static bool call_args(struct vcpu *v, const char *call, uint32_t gpa, void *dst, size_t size)
{
	const void *p = GMEM_PTR(&v->m->gmem, gpa, size);

	if (!p) {
		vcpu_guest_error(v, "%s: argument block: %s", call, v->m->gmem.last_error);
		return false;
	}
	memcpy(dst, p, size);
	return true;
}

/* A guest string, checked; *ok false after recording a guest error. */
static const char *call_string(struct vcpu *v, const char *call, uint64_t gpa, uint64_t len,
			       bool *ok)
{
	const char *s;

	*ok = true;
	if (len == 0)
		return "";
	if (len > MVM_MSG_MAX) {
		vcpu_guest_error(v, "%s: string length %llu exceeds MVM_MSG_MAX (%d)", call,
				 (unsigned long long)len, MVM_MSG_MAX);
		*ok = false;
		return NULL;
	}
	s = GMEM_PTR(&v->m->gmem, gpa, len);
	if (!s) {
		vcpu_guest_error(v, "%s: string: %s", call, v->m->gmem.last_error);
		*ok = false;
	}
	return s;
}

static enum run_action call_print(struct vcpu *v, uint32_t gpa)
{
	struct mvm_call_print args, *a = &args;
	struct record r;
	const char *s;
	bool ok;

	if (!call_args(v, "print", gpa, a, sizeof(*a)) ||
	    !(s = call_string(v, "print", a->gpa, a->len, &ok), ok))
		return RUN_CONTINUE;
	vcpu_rec_begin(v, &r, "print");
	rec_str(&r, "text", s, a->len);
	vcpu_emit(v, &r);
	runlog_echo(&v->m->log, "%.*s", (int)a->len, s);
	return RUN_CONTINUE;
}

static enum run_action call_report(struct vcpu *v, uint32_t gpa)
{
	struct mvm_call_report args, *a = &args;
	struct record r;
	const char *s;
	bool ok;

	if (!call_args(v, "report", gpa, a, sizeof(*a)) ||
	    !(s = call_string(v, "report", a->msg_gpa, a->msg_len, &ok), ok))
		return RUN_CONTINUE;
	if (a->pass > 1) {
		vcpu_guest_error(v, "report: pass is %u, must be 0 or 1", a->pass);
		return RUN_CONTINUE;
	}
	if (a->pass)
		v->m->log.reports_passed++;
	else
		v->m->log.reports_failed++;
	vcpu_rec_begin(v, &r, "report");
	rec_word(&r, "result", a->pass ? "PASS" : "FAIL");
	rec_str(&r, "msg", s, a->msg_len);
	vcpu_emit(v, &r);
	runlog_echo(&v->m->log, "%s: %.*s\n", a->pass ? "PASS" : "FAIL", (int)a->msg_len, s);
	return RUN_CONTINUE;
}

/* The checkpoint's record, then what each contributor attaches to it. */
static void checkpoint(struct vcpu *v, uint64_t id, const char *label, size_t label_len)
{
	struct record r;

	vcpu_rec_begin(v, &r, "checkpoint");
	rec_u64(&r, "id", id);
	if (label)
		rec_str(&r, "label", label, label_len);
	vcpu_emit(v, &r);
	contribs_checkpoint(v->m->contribs, v, id);
}

static enum run_action call_checkpoint(struct vcpu *v, uint32_t gpa)
{
	struct mvm_call_checkpoint args, *a = &args;
	const char *s = NULL;
	bool ok = true;

	if (!call_args(v, "checkpoint", gpa, a, sizeof(*a)))
		return RUN_CONTINUE;
	if (a->label_gpa)
		s = call_string(v, "checkpoint", a->label_gpa, a->label_len, &ok);
	if (ok)
		checkpoint(v, a->id, s, s ? a->label_len : 0);
	return RUN_CONTINUE;
}

static const char *verdict_name(uint32_t v)
{
	return v == MVM_PASS ? "pass" : v == MVM_FAIL ? "fail" : v == MVM_SKIP ? "skip" : NULL;
}

static enum run_action call_exit(struct vcpu *v, uint32_t gpa)
{
	struct mvm_call_exit args, *a = &args;
	const char *s = NULL;
	struct record r;
	bool ok = true;

	if (!call_args(v, "exit", gpa, a, sizeof(*a)))
		return runlog_end(&v->m->log, END_EXIT, MVM_FAIL, "bad exit call");
	if (a->msg_gpa)
		s = call_string(v, "exit", a->msg_gpa, a->msg_len, &ok);
	if (!verdict_name(a->verdict)) {
		vcpu_guest_error(v, "exit: verdict %u is not 0, 1 or 77", a->verdict);
		return runlog_end(&v->m->log, END_EXIT, MVM_FAIL, "bad verdict");
	}
	vcpu_rec_begin(v, &r, "guest_exit");
	rec_word(&r, "verdict", verdict_name(a->verdict));
	if (s && ok)
		rec_str(&r, "msg", s, a->msg_len);
	vcpu_emit(v, &r);
	if (s && ok)
		runlog_echo(&v->m->log, "%s: %.*s\n", a->verdict == MVM_SKIP ? "SKIP" : "EXIT",
			    (int)a->msg_len, s);
	return runlog_end(&v->m->log, END_EXIT, a->verdict, NULL);
}

static enum run_action call_exception(struct vcpu *v, uint32_t gpa)
{
	struct mvm_call_exception args, *a = &args;
	const char *name;
	struct record r;

	if (!call_args(v, "exception", gpa, a, sizeof(*a)))
		return RUN_CONTINUE;
	name = x86_vector_name(a->vector);
	vcpu_rec_begin(v, &r, "exception");
	rec_u64(&r, "vector", a->vector);
	rec_word(&r, "name", name ? name : "reserved");
	rec_hex(&r, "error_code", a->error_code);
	vcpu_rec_rip(v, &r, "rip", a->rip);
	rec_hex(&r, "cr2", a->cr2);
	rec_word(&r, "expected", a->expected ? "yes" : "no");
	vcpu_emit(v, &r);
	if (!a->expected) {
		v->m->log.unexpected_exceptions++;
		runlog_echo(&v->m->log,
			    "unexpected exception %s (vector %llu) error_code=0x%llx rip=0x%llx "
			    "cr2=0x%llx\n",
			    name ? name : "reserved", (unsigned long long)a->vector,
			    (unsigned long long)a->error_code, (unsigned long long)a->rip,
			    (unsigned long long)a->cr2);
	}
	return RUN_CONTINUE;
}

static enum run_action call_mem(struct vcpu *v, uint32_t gpa)
{
	struct mvm_call_mem args;

	if (call_args(v, "mem", gpa, &args, sizeof(args)))
		mem_op_guest(v, &args);
	return RUN_CONTINUE;
}

static enum run_action call_l2_exit(struct vcpu *v, uint32_t gpa)
{
	struct mvm_call_l2_exit args, *a = &args;
	const char *name = NULL;
	struct record r;

	if (!call_args(v, "l2_exit", gpa, a, sizeof(*a)))
		return RUN_CONTINUE;
	if (a->isa != MVM_ISA_VMX && a->isa != MVM_ISA_SVM) {
		vcpu_guest_error(v, "l2_exit: isa %u is neither VMX (1) nor SVM (2)", a->isa);
		return RUN_CONTINUE;
	}
	name = a->isa == MVM_ISA_VMX ? vmx_exit_name(a->reason & 0xffff) : svm_exit_name(a->reason);
	vcpu_rec_begin(v, &r, "l2_exit");
	rec_u64(&r, "level", a->level);
	rec_word(&r, "isa", a->isa == MVM_ISA_VMX ? "vmx" : "svm");
	rec_hex(&r, "reason", a->reason);
	rec_word(&r, "name", name ? name : "unknown");
	if (a->isa == MVM_ISA_VMX && (a->reason & (1ULL << 31)))
		rec_word(&r, "vm_entry_failure", "yes");
	rec_hex(&r, "info1", a->info1);
	rec_hex(&r, "info2", a->info2);
	vcpu_rec_rip(v, &r, "rip", a->guest_rip);
	rec_u64(&r, "insn_len", a->insn_len);
	rec_hex(&r, "intr_info", a->intr_info);
	vcpu_emit(v, &r);
	return RUN_CONTINUE;
}

typedef enum run_action (*call_fn)(struct vcpu *v, uint32_t gpa);

static const call_fn calls[MVM_CALL_COUNT] = {
	[MVM_CALL_PRINT] = call_print,		 [MVM_CALL_REPORT] = call_report,
	[MVM_CALL_CHECKPOINT] = call_checkpoint, [MVM_CALL_EXIT] = call_exit,
	[MVM_CALL_EXCEPTION] = call_exception,	 [MVM_CALL_MEM] = call_mem,
	[MVM_CALL_L2_EXIT] = call_l2_exit,
};

static enum run_action calls_io(struct vcpu *v, void *dev, struct io_access *a)
{
	uint32_t gpa;

	(void)dev;
	if (!a->is_write) {
		memset(a->data, 0xff, a->len);
		vcpu_guest_error(v, "IN from call port 0x%llx: calls are 32-bit OUTs",
				 (unsigned long long)(MVM_CALL_PORT + a->offset));
		return RUN_CONTINUE;
	}
	if (a->len != 4) {
		vcpu_guest_error(v, "call %llu: %u-byte OUT, calls are 32-bit OUTs",
				 (unsigned long long)a->offset, a->len);
		return RUN_CONTINUE;
	}
	if (a->offset >= MVM_CALL_COUNT) {
		vcpu_guest_error(v, "call %llu: no such call", (unsigned long long)a->offset);
		return RUN_CONTINUE;
	}
	memcpy(&gpa, a->data, 4);
	return calls[a->offset](v, gpa);
}

static int calls_open(struct machine *m, void **state, struct errbuf *err)
{
	struct io_range r = { IO_PIO, MVM_CALL_PORT, MVM_CALL_PORTS, "calls", calls_io, NULL };

	*state = NULL;
	return iorange_add(&m->io, &r, err) ? 0 : MVM_STATUS_HOST;
}

const struct contrib_ops calls_contrib = {
	.name = "calls",
	.open = calls_open,
};
