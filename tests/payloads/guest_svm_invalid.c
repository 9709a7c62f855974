/* SPDX-License-Identifier: MIT */
/*
 * guest_svm_invalid - VMRUN of a VMCB whose state is illegal must not enter
 * L2: it ends at once with EXITCODE VMEXIT_INVALID (-1). The payload is an
 * L1 hypervisor that builds one good VMCB, then runs four copies of it with
 * one thing wrong each: the VMRUN intercept cleared, guest ASID 0, EFER.SVME
 * clear in L2's EFER, CR0.NW set without CR0.CD. Each must give
 * VMEXIT_INVALID with L2's RIP unmoved; then the good VMCB must run, to a
 * VMMCALL exit, so that the four failures are the four faults and nothing
 * else.
 *
 * KVM path: L1's VMRUN exits to L0's vmrun_interception -> nested_svm_vmrun,
 * which copies vmcb12 into its caches and checks them
 * (nested_vmcb_check_controls: VMRUN intercept, ASID, NPT, bitmap addresses;
 * nested_vmcb_check_save: EFER.SVME, CR0, CR3, CR4, EFER/CR combinations).
 * A failed check writes SVM_EXIT_ERR into vmcb12 and resumes L1 at the
 * instruction after VMRUN without entering L2; enter_svm_guest_mode never
 * runs. Kernels before the fix of late 2025 wrote only the low 32 bits of
 * EXITCODE (0x00000000ffffffff, not -1): this payload fails there.
 *
 * Memory map (long mode): payload at MVM_LOAD_GPA (0x100000) with the VMCB,
 * its good copy, the host save area, IOPM, MSRPM and L2's 4 KiB stack in
 * its .bss; L1's stack below MVM_STACK_TOP (0x90000); L1's page tables at
 * MVM_PT_GPA (0x10000), shared by L2. No nested paging.
 */
#include "svm.h"

asm(".pushsection .text\n"
    "l2_main:\n"
    "	vmmcall\n"
    "	ud2\n"
    ".popsection");

void l2_main(void);

static struct svm svm;
static struct vmcb good;
static uint8_t l2_stack[4096] __attribute__((aligned(16)));

static void no_vmrun_intercept(struct vmcb *v)
{
	v->control.intercept4 &= ~SVM_INTERCEPT4_VMRUN;
}

static void asid_zero(struct vmcb *v)
{
	v->control.asid = 0;
}

static void no_svme(struct vmcb *v)
{
	v->save.efer &= ~EFER_SVME;
}

static void nw_without_cd(struct vmcb *v)
{
	v->save.cr0 = (v->save.cr0 & ~X86_CR0_CD) | X86_CR0_NW;
}

static const struct {
	const char *what;
	void (*spoil)(struct vmcb *v);
} cases[] = {
	{ "the VMRUN intercept cleared", no_vmrun_intercept },
	{ "guest ASID 0", asid_zero },
	{ "EFER.SVME clear in L2's EFER", no_svme },
	{ "CR0.NW set, CR0.CD clear", nw_without_cd },
};

int main(void)
{
	uint64_t code;

	svm_setup(&svm, l2_main, l2_stack + sizeof(l2_stack));
	svm.vmcb.control.intercept4 |= SVM_INTERCEPT4_VMMCALL;
	good = svm.vmcb;

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		svm.vmcb = good;
		cases[i].spoil(&svm.vmcb);
		code = svm_run(&svm)->reason;
		report(code == (uint64_t)SVM_EXIT_ERR && svm.vmcb.save.rip == (uintptr_t)l2_main,
		       "%s: wanted VMEXIT_INVALID (0x%llx) at 0x%lx, got 0x%llx at 0x%llx",
		       cases[i].what, (unsigned long long)SVM_EXIT_ERR,
		       (unsigned long)(uintptr_t)l2_main, (unsigned long long)code,
		       (unsigned long long)svm.vmcb.save.rip);
	}

	svm.vmcb = good;
	code = svm_run(&svm)->reason;
	report(code == SVM_EXIT_VMMCALL && svm.vmcb.save.rip == (uintptr_t)l2_main,
	       "the good VMCB: wanted VMMCALL (0x%llx) at 0x%lx, got 0x%llx at 0x%llx",
	       (unsigned long long)SVM_EXIT_VMMCALL, (unsigned long)(uintptr_t)l2_main,
	       (unsigned long long)code, (unsigned long long)svm.vmcb.save.rip);
	return MVM_PASS;
}
