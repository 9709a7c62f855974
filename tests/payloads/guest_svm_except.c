/* SPDX-License-Identifier: MIT */
/*
 * guest_svm_except - whose exception is it? guest_vmx_except's question on
 * SVM. The payload is an L1 hypervisor whose L2 (l2_except.h) raises a #UD,
 * a #PF on a read and a #PF on a write, twice over:
 *   A. #UD and #PF intercepted (VMCB exception intercepts, bits 6 and 14):
 *      all three exit to L1, exit codes 0x46 and 0x4e, the #PF's error
 *      code in EXITINFO1 and its address in EXITINFO2; L1 moves L2 past
 *      each one and L2's IDT sees nothing.
 *   B. nothing intercepted: none exits to L1; L2's own IDT takes all three.
 * SVM has no #PF error-code filter (VMX's mask/match, guest_vmx_except's C
 * and D): an intercepted #PF always exits.
 *
 * KVM path (L0), which differs from VMX's for the #UD. L0 intercepts #UD in
 * every VMCB it runs, L2's too (recalc_intercepts ORs L1's intercepts into
 * its own when it builds vmcb02); with NPT, L0 does not intercept #PF for
 * itself, so vmcb02's #PF bit is L1's.
 *   A  the #PFs reach L0 and go back to L1: nested_svm_exit_handled finds
 *      L1's intercept bit, nested_svm_vmexit; L0's pf_interception does not
 *      run. The #UD does not go back so directly: nested_svm_exit_special
 *      gives L0 first any exception L0 intercepts for L1 itself (vmcb01),
 *      so L0 handles it as its own: ud_interception -> handle_ud ->
 *      kvm_emulate_instruction with EMULTYPE_TRAP_UD, which finds ud2
 *      undecodable and queues #UD for L2; and because L1 intercepts #UD,
 *      the queued exception becomes the #VMEXIT (0x46) that L1 sees
 *      (kvm_nested_vmexit_inject, no kvm_inj_exception). On VMX the same
 *      #UD is reflected at once (guest_vmx_except's A).
 *   B  the #UD exits to L0 and takes the same path up to the queued #UD,
 *      which L1 does not want: it is injected into L2 (kvm_inj_exception,
 *      then again with reinjected=1 each time L0 must first fill its
 *      shadow NPT for the IDT or stack the delivery touches), and L2's IDT
 *      takes it. The two #PFs never leave L2.
 * So L0's #UD handler runs once in each run, and never its #PF handler.
 *
 * Memory map (long mode): payload at MVM_LOAD_GPA (0x100000) with the VMCB,
 * host save area, IOPM, MSRPM, nested page tables, L2's stack and IDT in its
 * .bss; L1's stack below MVM_STACK_TOP (0x90000); L1's page tables at
 * MVM_PT_GPA (0x10000), shared by L2, identity-map 4 GiB and nothing at
 * UNMAPPED (512 GiB). L2 runs under L1's identity NPT.
 */
#include "svm.h"

#define L2_HANDBACK "vmmcall"
#include "l2_except.h"

static struct svm svm;
static uint8_t l2_stack[4096] __attribute__((aligned(16)));

/* L2 starts over at l2_main with the exceptions in intercepts intercepted. */
static void l2_restart(uint32_t intercepts)
{
	memset(&svm.gprs, 0, sizeof(svm.gprs));
	svm.vmcb.save.rip = (uintptr_t)l2_main;
	svm.vmcb.save.rsp = (uintptr_t)(l2_stack + sizeof(l2_stack));
	svm.vmcb.save.cr2 = 0;
	svm.vmcb.control.intercept_exc = intercepts;
	l2_seen_clear();
}

/* An exit for L2's #UD at l2_ud; L2 goes on after the ud2. */
static int exit_ud(void)
{
	if (!svm_expect(&svm, SVM_EXIT_EXCP(VEC_UD), "#UD", l2_ud))
		return 0;
	svm.vmcb.save.rip = (uintptr_t)l2_after_ud;
	return 1;
}

/* An exit for L2's #PF at rip with error code error; L2 goes on at next. */
static int exit_pf(const char *rip, uint64_t error, const char *next)
{
	const struct vmcb_control *c = &svm.vmcb.control;

	if (!svm_expect(&svm, SVM_EXIT_EXCP(VEC_PF), "#PF", rip))
		return 0;
	report(c->exit_info1 == error && c->exit_info2 == UNMAPPED,
	       "A: EXITINFO1 0x%llx is the error code (wanted 0x%llx), EXITINFO2 0x%llx the "
	       "address",
	       (unsigned long long)c->exit_info1, (unsigned long long)error,
	       (unsigned long long)c->exit_info2);
	svm.vmcb.save.rip = (uintptr_t)next;
	return 1;
}

/* L2's VMMCALL ends each run: L1 checks what L2's own handlers took. */
static int handback(const char *run, uint32_t ud, uint32_t pf, uint64_t last_error)
{
	if (!svm_expect(&svm, SVM_EXIT_VMMCALL, "VMMCALL", l2_handback))
		return 0;
	l2_seen_check(run, ud, pf, last_error);
	return 1;
}

int main(void)
{
	svm_setup(&svm, l2_main, l2_stack + sizeof(l2_stack));
	svm_npt_init(&svm);
	svm.vmcb.control.intercept4 |= SVM_INTERCEPT4_VMMCALL;
	l2_idt_init();
	svm.vmcb.save.idtr =
		(struct vmcb_seg){ .limit = sizeof(l2_idt) - 1, .base = (uintptr_t)l2_idt };

	mvm_printf("A: #UD and #PF intercepted");
	l2_restart(1U << VEC_UD | 1U << VEC_PF);
	if (!exit_ud() || !exit_pf(l2_pf_read, 0, l2_pf_write) ||
	    !exit_pf(l2_pf_write, PF_ERR_WRITE, l2_handback) || !handback("A", 0, 0, 0))
		return MVM_FAIL;

	mvm_printf("B: no exception intercepted");
	l2_restart(0);
	if (!handback("B", 1, 2, PF_ERR_WRITE))
		return MVM_FAIL;
	return MVM_PASS;
}
