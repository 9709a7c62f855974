/* SPDX-License-Identifier: MIT */
/*
 * guest_vmx_invalid - an L1 VMX hypervisor that gets its VM entries wrong on
 * purpose, one way at a time, and then right:
 *   1. VMRESUME of a VMCS never launched: VMfailValid, error 5;
 *   2. a primary processor-based control the CPU does not allow set:
 *      VMfailValid, error 7 (no VM exit: nothing reaches the host record);
 *   3. guest CR0 without NE, which IA32_VMX_CR0_FIXED0 requires: VM-entry
 *      failure, exit reason 0x80000021 (bit 31 + 33, invalid guest state),
 *      qualification 0;
 *   4. a VMCS link pointer other than ~0: the same exit, qualification 4;
 *   5. everything put back: VMLAUNCH (the failed entries left the VMCS
 *      clear) and L2's VMCALL (18).
 * The failed entries 3 and 4 come back as exits and are reported with
 * mvm_l2_exit like any other, bit 31 set in the reason.
 *
 * KVM path (L0): handle_vmresume/handle_vmlaunch -> nested_vmx_run, whose
 * checks nested_vmx_check_controls (-> nested_vmx_fail, error 7) and the
 * launch-state test (error 5) fail the instruction; the guest-state checks
 * of nested_vmx_enter_non_root_mode (nested_vmx_check_guest_state,
 * nested_vmx_check_vmcs_link_ptr) end in a synthesized VM exit with
 * EXIT_REASON_INVALID_STATE | VMX_EXIT_REASONS_FAILED_VMENTRY and L1's host
 * state loaded (load_vmcs12_host_state).
 *
 * Memory map (long mode, L1 and L2 share it): payload at MVM_LOAD_GPA
 * (0x100000) with struct vmx in its .bss, L1's stack below MVM_STACK_TOP
 * (0x90000), page tables at MVM_PT_GPA (0x10000), L2 using L1's CR3; no EPT.
 */
#include "vmx.h"

#define ENTRY_FAIL_QUAL_DEFAULT	    0
#define ENTRY_FAIL_QUAL_VMCS_LINK   4
#define VMX_ERR_RESUME_NOT_LAUNCHED 5
#define VMX_ERR_INVALID_CONTROL	    7

static struct vmx vmx;
static uint8_t l2_stack[4096] __attribute__((aligned(16)));

void l2_vmcall(void);
asm(".pushsection .text.l2_vmcall, \"ax\"\n"
    ".globl l2_vmcall\n"
    "l2_vmcall:\n"
    "	vmcall\n"
    "1:	hlt\n"
    "	jmp	1b\n"
    ".popsection");

/* The entry must fail as an instruction, with this error number. */
static void expect_vmfail(struct vmx *v, uint32_t error, const char *what)
{
	char want[160], got[160];
	enum vmx_status st;

	vmx_run(v);
	st = v->status;
	vmx_status_str(VMX_FAIL_VALID, error, want, sizeof(want));
	vmx_status_str(st, v->error, got, sizeof(got));
	report(st == VMX_FAIL_VALID && v->error == error, "%s: wanted %s, got %s", what, want, got);
}

/* The entry must fail as a VM exit (reason 0x80000021) with this qualification. */
static void expect_entry_failure(struct vmx *v, uint64_t qual, const char *what)
{
	const uint32_t want = VMX_EXIT_REASONS_FAILED_VMENTRY | EXIT_REASON_INVALID_STATE;
	const struct mvm_call_l2_exit *e = vmx_run(v);
	char buf[160];

	if (!e) {
		report(0, "%s: wanted a VM-entry failure exit, got %s", what,
		       vmx_status_str(v->status, v->error, buf, sizeof(buf)));
		return;
	}
	report(e->reason == want && e->info1 == qual && !v->launched,
	       "%s: wanted exit reason 0x%x qualification %llu, got 0x%x, %llu; VMCS %s", what,
	       want, (unsigned long long)qual, (unsigned int)e->reason,
	       (unsigned long long)e->info1, v->launched ? "launched" : "still clear");
}

/* The lowest primary processor-based control the CPU does not allow, 0 if none. */
static uint32_t forbidden_proc_control(const struct vmx *v)
{
	uint32_t msr = v->basic & VMX_BASIC_TRUE_CTLS ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS
						      : MSR_IA32_VMX_PROCBASED_CTLS;
	uint32_t may = (uint32_t)(rdmsr(msr) >> 32);

	return ~may & -~may;
}

int main(void)
{
	struct vmx_config cfg = { 0 };
	const struct mvm_call_l2_exit *e;
	uint32_t bad_ctl;
	char buf[160];
	uint64_t cr0;

	vmx_setup(&vmx, l2_vmcall, l2_stack + sizeof(l2_stack), &cfg);

	vmx.launched = 1; /* lie to vmx_run: it issues VMRESUME */
	expect_vmfail(&vmx, VMX_ERR_RESUME_NOT_LAUNCHED, "VMRESUME of a VMCS never launched");
	vmx.launched = 0;

	bad_ctl = forbidden_proc_control(&vmx);
	if (bad_ctl) {
		vmwrite(CPU_BASED_VM_EXEC_CONTROL, vmx.proc | bad_ctl);
		expect_vmfail(&vmx, VMX_ERR_INVALID_CONTROL, "VMLAUNCH with a forbidden control");
		vmwrite(CPU_BASED_VM_EXEC_CONTROL, vmx.proc);
	} else {
		report(1, "every primary processor-based control is allowed: no error 7 case");
	}

	cr0 = vmread(GUEST_CR0);
	vmwrite(GUEST_CR0, cr0 & ~X86_CR0_NE);
	expect_entry_failure(&vmx, ENTRY_FAIL_QUAL_DEFAULT, "VMLAUNCH with guest CR0.NE clear");
	vmwrite(GUEST_CR0, cr0);

	vmwrite(VMCS_LINK_POINTER, 0);
	expect_entry_failure(&vmx, ENTRY_FAIL_QUAL_VMCS_LINK, "VMLAUNCH with VMCS link pointer 0");
	vmwrite(VMCS_LINK_POINTER, ~0ULL);

	e = vmx_run(&vmx);
	report(e && e->reason == EXIT_REASON_VMCALL,
	       "VMLAUNCH with the state put back: wanted exit reason 18, got %s, reason %u",
	       vmx_status_str(vmx.status, vmx.error, buf, sizeof(buf)),
	       e ? (unsigned int)e->reason : 0);
	vmx_off(&vmx);
	return MVM_PASS;
}
