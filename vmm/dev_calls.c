/* SPDX-License-Identifier: MIT */
/* dev_calls.c - the ABI port: the guest's calls, dispatched by number through one table. */
#include <string.h>

#include "minivmm_abi.h"
#include "names.h"
#include "vm.h"

/* Copies a call's argument block out of guest memory; false after a guest error. */
static bool call_args(struct vm *vm, const char *call, uint32_t gpa, void *dst, size_t size)
{
	const void *p = GMEM_PTR(&vm->gmem, gpa, size);

	if (!p) {
		vm_guest_error(vm, "%s: argument block: %s", call, vm->gmem.last_error);
		return false;
	}
	memcpy(dst, p, size);
	return true;
}

/* A guest string, checked; *ok false after recording a guest error. */
static const char *call_string(struct vm *vm, const char *call, uint64_t gpa, uint64_t len,
			       bool *ok)
{
	const char *s;

	*ok = true;
	if (len == 0)
		return "";
	if (len > MVM_MSG_MAX) {
		vm_guest_error(vm, "%s: string length %llu exceeds MVM_MSG_MAX (%d)", call,
			       (unsigned long long)len, MVM_MSG_MAX);
		*ok = false;
		return NULL;
	}
	s = GMEM_PTR(&vm->gmem, gpa, len);
	if (!s) {
		vm_guest_error(vm, "%s: string: %s", call, vm->gmem.last_error);
		*ok = false;
	}
	return s;
}

static enum run_action call_print(struct vm *vm, uint32_t gpa)
{
	struct mvm_call_print args, *a = &args;
	struct record r;
	const char *s;
	bool ok;

	if (!call_args(vm, "print", gpa, a, sizeof(*a)) ||
	    !(s = call_string(vm, "print", a->gpa, a->len, &ok), ok))
		return RUN_CONTINUE;
	vm_rec_begin(vm, &r, "print");
	rec_str(&r, "text", s, a->len);
	vm_rec_emit(vm, &r);
	vm_echo(vm, "%.*s", (int)a->len, s);
	return RUN_CONTINUE;
}

static enum run_action call_report(struct vm *vm, uint32_t gpa)
{
	struct mvm_call_report args, *a = &args;
	struct record r;
	const char *s;
	bool ok;

	if (!call_args(vm, "report", gpa, a, sizeof(*a)) ||
	    !(s = call_string(vm, "report", a->msg_gpa, a->msg_len, &ok), ok))
		return RUN_CONTINUE;
	if (a->pass > 1) {
		vm_guest_error(vm, "report: pass is %u, must be 0 or 1", a->pass);
		return RUN_CONTINUE;
	}
	if (a->pass)
		vm->reports_passed++;
	else
		vm->reports_failed++;
	vm_rec_begin(vm, &r, "report");
	rec_word(&r, "result", a->pass ? "PASS" : "FAIL");
	rec_str(&r, "msg", s, a->msg_len);
	vm_rec_emit(vm, &r);
	vm_echo(vm, "%s: %.*s\n", a->pass ? "PASS" : "FAIL", (int)a->msg_len, s);
	return RUN_CONTINUE;
}

static enum run_action call_checkpoint(struct vm *vm, uint32_t gpa)
{
	struct mvm_call_checkpoint args, *a = &args;
	const char *s = NULL;
	bool ok = true;

	if (!call_args(vm, "checkpoint", gpa, a, sizeof(*a)))
		return RUN_CONTINUE;
	if (a->label_gpa)
		s = call_string(vm, "checkpoint", a->label_gpa, a->label_len, &ok);
	if (ok)
		vm_checkpoint(vm, a->id, s, s ? a->label_len : 0);
	return RUN_CONTINUE;
}

static const char *verdict_name(uint32_t v)
{
	return v == MVM_PASS ? "pass" : v == MVM_FAIL ? "fail" : v == MVM_SKIP ? "skip" : NULL;
}

static enum run_action call_exit(struct vm *vm, uint32_t gpa)
{
	struct mvm_call_exit args, *a = &args;
	const char *s = NULL;
	struct record r;
	bool ok = true;

	if (!call_args(vm, "exit", gpa, a, sizeof(*a)))
		return vm_end(vm, END_EXIT, MVM_FAIL, "bad exit call");
	if (a->msg_gpa)
		s = call_string(vm, "exit", a->msg_gpa, a->msg_len, &ok);
	if (!verdict_name(a->verdict)) {
		vm_guest_error(vm, "exit: verdict %u is not 0, 1 or 77", a->verdict);
		return vm_end(vm, END_EXIT, MVM_FAIL, "bad verdict");
	}
	vm_rec_begin(vm, &r, "guest_exit");
	rec_word(&r, "verdict", verdict_name(a->verdict));
	if (s && ok)
		rec_str(&r, "msg", s, a->msg_len);
	vm_rec_emit(vm, &r);
	if (s && ok)
		vm_echo(vm, "%s: %.*s\n", a->verdict == MVM_SKIP ? "SKIP" : "EXIT", (int)a->msg_len,
			s);
	return vm_end(vm, END_EXIT, a->verdict, NULL);
}

static enum run_action call_exception(struct vm *vm, uint32_t gpa)
{
	struct mvm_call_exception args, *a = &args;
	const char *name;
	struct record r;

	if (!call_args(vm, "exception", gpa, a, sizeof(*a)))
		return RUN_CONTINUE;
	name = x86_vector_name(a->vector);
	vm_rec_begin(vm, &r, "exception");
	rec_u64(&r, "vector", a->vector);
	rec_word(&r, "name", name ? name : "reserved");
	rec_hex(&r, "error_code", a->error_code);
	rec_hex(&r, "rip", a->rip);
	rec_hex(&r, "cr2", a->cr2);
	rec_word(&r, "expected", a->expected ? "yes" : "no");
	vm_rec_emit(vm, &r);
	if (!a->expected) {
		vm->unexpected_exceptions++;
		vm_echo(vm,
			"unexpected exception %s (vector %llu) error_code=0x%llx rip=0x%llx "
			"cr2=0x%llx\n",
			name ? name : "reserved", (unsigned long long)a->vector,
			(unsigned long long)a->error_code, (unsigned long long)a->rip,
			(unsigned long long)a->cr2);
	}
	return RUN_CONTINUE;
}

static enum run_action call_mem(struct vm *vm, uint32_t gpa)
{
	struct mvm_call_mem args;

	if (call_args(vm, "mem", gpa, &args, sizeof(args)))
		mem_guest_op(vm, &args);
	return RUN_CONTINUE;
}

static enum run_action call_l2_exit(struct vm *vm, uint32_t gpa)
{
	struct mvm_call_l2_exit args, *a = &args;
	const char *name = NULL;
	struct record r;

	if (!call_args(vm, "l2_exit", gpa, a, sizeof(*a)))
		return RUN_CONTINUE;
	if (a->isa != MVM_ISA_VMX && a->isa != MVM_ISA_SVM) {
		vm_guest_error(vm, "l2_exit: isa %u is neither VMX (1) nor SVM (2)", a->isa);
		return RUN_CONTINUE;
	}
	name = a->isa == MVM_ISA_VMX ? vmx_exit_name(a->reason & 0xffff) : svm_exit_name(a->reason);
	vm_rec_begin(vm, &r, "l2_exit");
	rec_u64(&r, "level", a->level);
	rec_word(&r, "isa", a->isa == MVM_ISA_VMX ? "vmx" : "svm");
	rec_hex(&r, "reason", a->reason);
	rec_word(&r, "name", name ? name : "unknown");
	if (a->isa == MVM_ISA_VMX && (a->reason & (1ULL << 31)))
		rec_word(&r, "vm_entry_failure", "yes");
	rec_hex(&r, "info1", a->info1);
	rec_hex(&r, "info2", a->info2);
	rec_hex(&r, "rip", a->guest_rip);
	rec_u64(&r, "insn_len", a->insn_len);
	rec_hex(&r, "intr_info", a->intr_info);
	vm_rec_emit(vm, &r);
	return RUN_CONTINUE;
}

typedef enum run_action (*call_fn)(struct vm *vm, uint32_t gpa);

static const call_fn calls[MVM_CALL_COUNT] = {
	[MVM_CALL_PRINT] = call_print,		 [MVM_CALL_REPORT] = call_report,
	[MVM_CALL_CHECKPOINT] = call_checkpoint, [MVM_CALL_EXIT] = call_exit,
	[MVM_CALL_EXCEPTION] = call_exception,
	[MVM_CALL_MEM] = call_mem,
	[MVM_CALL_L2_EXIT] = call_l2_exit,
};

static enum run_action calls_io(struct vm *vm, void *dev, struct io_access *a)
{
	uint32_t gpa;

	(void)dev;
	if (!a->is_write) {
		memset(a->data, 0xff, a->len);
		vm_guest_error(vm, "IN from call port 0x%llx: calls are 32-bit OUTs",
			       (unsigned long long)(MVM_CALL_PORT + a->offset));
		return RUN_CONTINUE;
	}
	if (a->len != 4) {
		vm_guest_error(vm, "call %llu: %u-byte OUT, calls are 32-bit OUTs",
			       (unsigned long long)a->offset, a->len);
		return RUN_CONTINUE;
	}
	if (a->offset >= MVM_CALL_COUNT) {
		vm_guest_error(vm, "call %llu: no such call", (unsigned long long)a->offset);
		return RUN_CONTINUE;
	}
	memcpy(&gpa, a->data, 4);
	return calls[a->offset](vm, gpa);
}

bool calls_register(struct vm *vm, struct errbuf *err)
{
	struct io_range r = { IO_PIO, MVM_CALL_PORT, MVM_CALL_PORTS, "calls", calls_io, NULL };

	return iorange_add(&vm->io, &r, err);
}
