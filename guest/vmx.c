/* SPDX-License-Identifier: MIT */
/* vmx.c - owns L1's VMX operation: VMXON, VMCS access, errors named, and running L2. */
#include "vmx_lib.h"

/* ------------------------------------------------------------------------
 * Naming outcomes.
 * ---------------------------------------------------------------------- */
/* SDM vol. 3, 30.4, "VM-Instruction Error Numbers". */
static const char *const vmx_errors[] = {
	[1] = "VMCALL executed in VMX root operation",
	[2] = "VMCLEAR with invalid physical address",
	[3] = "VMCLEAR with VMXON pointer",
	[4] = "VMLAUNCH with non-clear VMCS",
	[5] = "VMRESUME with non-launched VMCS",
	[6] = "VMRESUME after VMXOFF",
	[7] = "VM entry with invalid control field(s)",
	[8] = "VM entry with invalid host-state field(s)",
	[9] = "VMPTRLD with invalid physical address",
	[10] = "VMPTRLD with VMXON pointer",
	[11] = "VMPTRLD with incorrect VMCS revision identifier",
	[12] = "VMREAD/VMWRITE from/to unsupported VMCS component",
	[13] = "VMWRITE to read-only VMCS component",
	[15] = "VMXON executed in VMX root operation",
	[16] = "VM entry with invalid executive-VMCS pointer",
	[17] = "VM entry with non-launched executive VMCS",
	[18] = "VM entry with executive-VMCS pointer not VMXON pointer",
	[19] = "VMCALL with non-clear VMCS",
	[20] = "VMCALL with invalid VM-exit control fields",
	[22] = "VMCALL with incorrect MSEG revision identifier",
	[23] = "VMXOFF under dual-monitor treatment of SMIs and SMM",
	[24] = "VMCALL with invalid SMM-monitor features",
	[25] = "VM entry with invalid VM-execution control fields in executive VMCS",
	[26] = "VM entry with events blocked by MOV SS",
	[28] = "invalid operand to INVEPT/INVVPID",
};

const char *vmx_error_name(uint32_t error)
{
	const char *n = error < sizeof(vmx_errors) / sizeof(vmx_errors[0]) ? vmx_errors[error]
									   : NULL;

	return n ? n : "unknown error number";
}

const char *vmx_status_str(enum vmx_status st, uint32_t error, char *buf, size_t size)
{
	if (st == VMX_SUCCEED)
		snprintf(buf, size, "VMsucceed");
	else if (st == VMX_FAIL_INVALID)
		snprintf(buf, size, "VMfailInvalid");
	else
		snprintf(buf, size, "VMfailValid, error %u (%s)", error, vmx_error_name(error));
	return buf;
}

/* VMfailValid leaves its error number in the current VMCS; VMfailInvalid has none to read. */
static uint32_t vmx_error_of(enum vmx_status st)
{
	uint64_t e = 0;

	if (st == VMX_FAIL_VALID && vmread_raw(VM_INSTRUCTION_ERROR, &e) != VMX_SUCCEED)
		e = 0;
	return (uint32_t)e;
}

void vmx_check(enum vmx_status st, const char *what)
{
	char buf[160];

	report(st == VMX_SUCCEED, "%s: %s", what,
	       vmx_status_str(st, vmx_error_of(st), buf, sizeof(buf)));
	if (st != VMX_SUCCEED)
		mvm_exit(MVM_FAIL, "a VMX instruction failed");
}

uint64_t vmx_vmreads, vmx_vmwrites;

uint64_t vmread(uint64_t field)
{
	enum vmx_status st;
	char what[48];
	uint64_t v = 0;

	st = vmread_raw(field, &v);
	if (st != VMX_SUCCEED) {
		snprintf(what, sizeof(what), "VMREAD 0x%llx", (unsigned long long)field);
		vmx_check(st, what);
	}
	return v;
}

void vmwrite(uint64_t field, uint64_t value)
{
	enum vmx_status st = vmwrite_raw(field, value);
	char what[64];

	if (st != VMX_SUCCEED) {
		snprintf(what, sizeof(what), "VMWRITE 0x%llx <- 0x%llx", (unsigned long long)field,
			 (unsigned long long)value);
		vmx_check(st, what);
	}
}

/* ------------------------------------------------------------------------
 * Entering VMX operation.
 * ---------------------------------------------------------------------- */
static void vmx_feature_control(void)
{
	uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL);

	if (!(fc & FEATURE_CONTROL_LOCK)) {
		/* Firmware's job on real machines; here nobody did it, so L1 does. */
		wrmsr(MSR_IA32_FEATURE_CONTROL,
		      fc | FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMXON_OUTSIDE_SMX);
		return;
	}
	if (!(fc & FEATURE_CONTROL_VMXON_OUTSIDE_SMX))
		mvm_skip("IA32_FEATURE_CONTROL is locked with VMXON outside SMX disabled");
}

/* CR0 and CR4 bits fixed to 1 in VMX operation are set, those fixed to 0 cleared. */
static void vmx_fix_crs(struct vmx *v)
{
	v->cr0_fixed0 = rdmsr(MSR_IA32_VMX_CR0_FIXED0);
	v->cr0_fixed1 = rdmsr(MSR_IA32_VMX_CR0_FIXED1);
	v->cr4_fixed0 = rdmsr(MSR_IA32_VMX_CR4_FIXED0);
	v->cr4_fixed1 = rdmsr(MSR_IA32_VMX_CR4_FIXED1);
	if (!(v->cr4_fixed1 & X86_CR4_VMXE))
		mvm_skip("IA32_VMX_CR4_FIXED1 does not allow CR4.VMXE");
	write_cr0((read_cr0() | v->cr0_fixed0) & v->cr0_fixed1);
	write_cr4((read_cr4() | v->cr4_fixed0 | X86_CR4_VMXE) & v->cr4_fixed1);
}

static void vmx_enable(struct vmx *v)
{
	uint32_t a, b, c, d, rev, size;
	char what[64];

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(c & (1U << 5)))
		mvm_skip("CPUID.1:ECX.VMX[bit 5] is clear: no VMX in this vCPU");
	vmx_feature_control();
	v->basic = rdmsr(MSR_IA32_VMX_BASIC);
	rev = (uint32_t)(v->basic & VMX_BASIC_REVISION_MASK);
	size = (uint32_t)(v->basic >> 32) & 0x1fff;
	if (size > PAGE_4K)
		mvm_skip("IA32_VMX_BASIC asks for a VMCS region larger than 4 KiB");
	vmx_fix_crs(v);
	memcpy(v->vmxon_region, &rev, sizeof(rev));
	snprintf(what, sizeof(what), "VMXON (VMCS revision 0x%x)", rev);
	vmx_check(VMX_OP_PA("vmxon", pa(v->vmxon_region)), what);
}

void vmx_setup(struct vmx *v, void (*rip)(void), void *rsp, const struct vmx_config *cfg)
{
	vmx_enable(v);
	vmx_vmcs_init(v, rip, rsp, cfg);
}

/* ------------------------------------------------------------------------
 * Running L2.
 * ---------------------------------------------------------------------- */
static void vmx_read_exit(struct vmx *v)
{
	struct mvm_call_l2_exit *e = &v->exit;

	*e = (struct mvm_call_l2_exit){ .isa = MVM_ISA_VMX, .level = 2 };
	e->reason = (uint32_t)vmread(VM_EXIT_REASON);
	e->info1 = vmread(EXIT_QUALIFICATION);
	e->insn_len = (uint32_t)vmread(VM_EXIT_INSTRUCTION_LEN);
	e->intr_info = (uint32_t)vmread(VM_EXIT_INTR_INFO);
	e->guest_rip = vmread(GUEST_RIP);
	/*
	 * The guest-physical address is written only by EPT violations and
	 * misconfigurations; after any other exit it still holds an old one.
	 */
	if ((v->proc2 & CPU2_ENABLE_EPT) &&
	    (e->reason == EXIT_REASON_EPT_VIOLATION || e->reason == EXIT_REASON_EPT_MISCONFIG))
		e->info2 = vmread(GUEST_PHYSICAL_ADDRESS);
}

const struct mvm_call_l2_exit *vmx_run(struct vmx *v)
{
	v->status = vmx_enter(&v->l2, v->launched);
	vmx_vmwrites += 2; /* vmx_enter's HOST_RSP and HOST_RIP */
	if (v->status != VMX_SUCCEED) {
		v->error = vmx_error_of(v->status);
		return NULL;
	}
	vmx_read_exit(v);
	/* A failed VM entry leaves the VMCS clear: the next try is a VMLAUNCH again. */
	if (!(v->exit.reason & VMX_EXIT_REASONS_FAILED_VMENTRY))
		v->launched = 1;
	mvm_l2_exit(&v->exit);
	return &v->exit;
}

int vmx_expect(struct vmx *v, uint32_t want, const char *name, const void *rip)
{
	const struct mvm_call_l2_exit *e = vmx_run(v);
	char buf[160];
	int ok;

	if (!e) {
		report(0, "%s into L2: %s", v->launched ? "VMRESUME" : "VMLAUNCH",
		       vmx_status_str(v->status, v->error, buf, sizeof(buf)));
		return 0;
	}
	ok = e->reason == want && e->guest_rip == (uintptr_t)rip;
	report(ok, "wanted %s (%u) at 0x%lx, got %llu at 0x%llx", name, want,
	       (unsigned long)(uintptr_t)rip, (unsigned long long)e->reason,
	       (unsigned long long)e->guest_rip);
	return ok;
}

void vmx_skip(struct vmx *v, uint32_t n)
{
	vmwrite(GUEST_RIP, v->exit.guest_rip + (n ? n : v->exit.insn_len));
}

void vmx_off(struct vmx *v)
{
	vmx_check(VMX_OP_PA("vmclear", pa(v->vmcs)), "VMCLEAR before VMXOFF");
	asm volatile("vmxoff" : : : "cc", "memory");
	write_cr4(read_cr4() & ~X86_CR4_VMXE);
}
