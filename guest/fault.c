/* SPDX-License-Identifier: MIT */
/* fault.c - what happens when an exception hits: report it, resume an expected one. */
#include "mvm_lib.h"

#define X86_VEC_PF 14

/* Written by MVM_TRY_BEGIN's asm: where an expected exception resumes. */
uintptr_t mvm_fault_resume;

static struct mvm_fault *fault_armed;

void mvm_fault_expect(struct mvm_fault *f)
{
	*f = (struct mvm_fault){ 0 };
	fault_armed = f;
}

int mvm_fault_end(struct mvm_fault *f)
{
	fault_armed = NULL;
	return f->taken;
}

void mvm_isr_dispatch(struct mvm_isr_frame *frame)
{
	struct mvm_fault *f = fault_armed;
	struct mvm_call_exception call = {
		.vector = frame->vector,
		.error_code = frame->error_code,
		.rip = frame->ip,
		.cr2 = frame->vector == X86_VEC_PF ? read_cr2() : 0,
		.expected = f ? 1 : 0,
	};

	mvm_call(MVM_CALL_EXCEPTION, &call);
	if (!f)
		mvm_exit(MVM_FAIL, "unexpected exception");

	/* Disarm first: a second exception before the resume label is unexpected. */
	fault_armed = NULL;
	f->taken = 1;
	f->vector = call.vector;
	f->error_code = call.error_code;
	f->rip = call.rip;
	f->cr2 = call.cr2;
	frame->ip = mvm_fault_resume;
}
