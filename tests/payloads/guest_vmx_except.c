/* SPDX-License-Identifier: MIT */
/*
 * guest_vmx_except - whose exception is it? The payload is an L1 hypervisor
 * whose L2 (l2_except.h) raises a #UD, a #PF on a read and a #PF on a write,
 * four times over with a different exception bitmap and #PF error-code
 * mask/match each time:
 *   A. bitmap #UD|#PF, mask = match = 0: all three exit to L1 (exit reason 0,
 *      EXCEPTION_NMI, interruption info 0x80000306 and 0x80000b0e), which
 *      moves L2 past each one; L2's IDT sees nothing.
 *   B. bitmap empty: none exits; L2's own IDT takes all three.
 *   C. bitmap #PF, mask = match = W (bit 1): a #PF exits when its error code
 *      ANDed with the mask equals the match (SDM vol. 3, 25.2): the write
 *      exits, the read goes to L2, and so does the #UD.
 *   D. bitmap without #PF, mask = match = W: with bit 14 clear the sense is
 *      inverted, a #PF exits when they differ: the read exits, the write
 *      goes to L2.
 *
 * KVM path (L0). L0 intercepts #UD in every VMCS it runs, L2's too
 * (vmx_update_exception_bitmap ORs L1's bitmap into its own #UD|#DB|#AC|#MC
 * at every nested VM entry, from nested_vmx_enter_non_root_mode); with EPT,
 * L0 does not want #PF for itself, so vmcs02 takes L1's #PF bit and L1's
 * mask and match as they are (prepare_vmcs02_rare).
 *   A  each exit reaches L0 and goes straight back to L1:
 *      nested_vmx_reflect_vmexit -> nested_vmx_vmexit; L0's own exception
 *      handler (handle_exception_nmi) does not run.
 *   B  the #UD still exits to L0, which L1 does not want it reflected to:
 *      handle_exception_nmi -> handle_ud -> kvm_emulate_instruction with
 *      EMULTYPE_TRAP_UD, which finds ud2 undecodable and queues #UD for L2
 *      (the kvm_inj_exception tracepoint); L2's IDT then takes it. The two
 *      #PFs never leave L2: the hardware delivers them to L2's IDT.
 *   C, D  the #UD as in B; of the #PFs only the one the mask and match
 *      select exits, reflected as in A; the other stays in L2.
 * So L0 handles exactly one #UD in B, C and D and nothing in A, and never a
 * #PF of L2.
 *
 * Memory map (long mode, L1 and L2 share it): payload at MVM_LOAD_GPA
 * (0x100000) with struct vmx and L2's IDT in its .bss, L1's stack below
 * MVM_STACK_TOP (0x90000), L1's page tables at MVM_PT_GPA (0x10000),
 * identity for 4 GiB and nothing at UNMAPPED (512 GiB). L2 runs under L1's
 * identity EPT.
 */
#include "vmx.h"

#define L2_HANDBACK "vmcall"
#include "l2_except.h"

#define INTR_INFO_ERROR_CODE (1U << 11)
#define INTR_INFO_UD	     (INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION | VEC_UD)
#define INTR_INFO_PF	     (INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION | INTR_INFO_ERROR_CODE | VEC_PF)
#define BIT_UD		     (1U << VEC_UD)
#define BIT_PF		     (1U << VEC_PF)

static struct vmx vmx;
static uint8_t l2_stack[4096] __attribute__((aligned(16)));

/* L2 starts over at l2_main under a new exception bitmap and #PF mask/match. */
static void l2_restart(uint32_t bitmap, uint32_t mask, uint32_t match)
{
	memset(&vmx.l2, 0, sizeof(vmx.l2));
	vmwrite(GUEST_RIP, (uintptr_t)l2_main);
	vmwrite(GUEST_RSP, (uintptr_t)(l2_stack + sizeof(l2_stack)));
	vmwrite(EXCEPTION_BITMAP, bitmap);
	vmwrite(PAGE_FAULT_ERROR_CODE_MASK, mask);
	vmwrite(PAGE_FAULT_ERROR_CODE_MATCH, match);
	l2_seen_clear();
}

/* An exit for L2's #UD at l2_ud: its interruption info; L2 goes on after the ud2. */
static int exit_ud(const char *run)
{
	if (!vmx_expect(&vmx, EXIT_REASON_EXCEPTION_NMI, "#UD", l2_ud))
		return 0;
	report(vmx.exit.intr_info == INTR_INFO_UD,
	       "%s: interruption info 0x%x is hardware exception 6, no error code", run,
	       (unsigned int)vmx.exit.intr_info);
	vmwrite(GUEST_RIP, (uintptr_t)l2_after_ud);
	return 1;
}

/* An exit for L2's #PF at rip with error code error; L2 goes on at next. */
static int exit_pf(const char *run, const char *rip, uint64_t error, const char *next)
{
	const struct mvm_call_l2_exit *e = &vmx.exit;
	uint64_t err;

	if (!vmx_expect(&vmx, EXIT_REASON_EXCEPTION_NMI, "#PF", rip))
		return 0;
	err = vmread(VM_EXIT_INTR_ERROR_CODE);
	report(e->intr_info == INTR_INFO_PF && e->info1 == UNMAPPED && err == error,
	       "%s: interruption info 0x%x, address 0x%llx, error code 0x%llx (wanted 0x%llx)", run,
	       (unsigned int)e->intr_info, (unsigned long long)e->info1, (unsigned long long)err,
	       (unsigned long long)error);
	vmwrite(GUEST_RIP, (uintptr_t)next);
	return 1;
}

/* L2's VMCALL ends each run: L1 checks what L2's own handlers took. */
static int handback(const char *run, uint32_t ud, uint32_t pf, uint64_t last_error)
{
	if (!vmx_expect(&vmx, EXIT_REASON_VMCALL, "VMCALL", l2_handback))
		return 0;
	l2_seen_check(run, ud, pf, last_error);
	return 1;
}

int main(void)
{
	struct vmx_config cfg = { .ept = 1 };

	vmx_setup(&vmx, l2_main, l2_stack + sizeof(l2_stack), &cfg);
	l2_idt_init();
	vmwrite(GUEST_IDTR_BASE, (uintptr_t)l2_idt);
	vmwrite(GUEST_IDTR_LIMIT, sizeof(l2_idt) - 1);

	mvm_printf("A: #UD and #PF in the exception bitmap, mask = match = 0");
	l2_restart(BIT_UD | BIT_PF, 0, 0);
	if (!exit_ud("A") || !exit_pf("A", l2_pf_read, 0, l2_pf_write) ||
	    !exit_pf("A", l2_pf_write, PF_ERR_WRITE, l2_handback) || !handback("A", 0, 0, 0))
		return MVM_FAIL;

	mvm_printf("B: empty exception bitmap");
	l2_restart(0, 0, 0);
	if (!handback("B", 1, 2, PF_ERR_WRITE))
		return MVM_FAIL;

	mvm_printf("C: #PF in the bitmap, mask = match = W: only the write exits");
	l2_restart(BIT_PF, PF_ERR_WRITE, PF_ERR_WRITE);
	if (!exit_pf("C", l2_pf_write, PF_ERR_WRITE, l2_handback) || !handback("C", 1, 1, 0))
		return MVM_FAIL;

	mvm_printf("D: #PF not in the bitmap, mask = match = W: only the read exits");
	l2_restart(0, PF_ERR_WRITE, PF_ERR_WRITE);
	if (!exit_pf("D", l2_pf_read, 0, l2_pf_write) || !handback("D", 1, 1, PF_ERR_WRITE))
		return MVM_FAIL;
	vmx_off(&vmx);
	return MVM_PASS;
}
