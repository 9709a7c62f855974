/* SPDX-License-Identifier: MIT */
/*
 * guest_vmx_intr - an interrupt that arrives while L2 runs: whose is it?
 * guest_svm_intr's question on VMX. The payload is an L1 hypervisor with the
 * in-kernel LAPIC. Its L2 sends itself a fixed IPI (a write of the xAPIC ICR
 * at 0xfee00300, which L1's EPT maps through to L1's own LAPIC), so the
 * interrupt becomes pending at a known instruction. Four L2 runs, the same
 * code each time:
 *   A. external-interrupt exiting on, L2's RFLAGS.IF set: exit reason 1
 *      (EXTERNAL_INTERRUPT) at the instruction after the ICR write, with no
 *      interruption info ("acknowledge interrupt on exit" is off): the
 *      interrupt is still pending, and L1 takes it itself once it sets IF.
 *   B. exiting off, IF set: L2 takes the interrupt through its IDT (L1's,
 *      which the SDK gives it), in L2's context; L1 sees only the VMCALL.
 *   C. exiting on, IF clear in L2: the exit comes all the same. On VMX, L2's
 *      IF does not mask an interrupt that L1 asked to exit on (on SVM with
 *      V_INTR_MASKING clear it does: guest_svm_intr's run C).
 *   D. exiting off, IF clear: no exit and no delivery; the interrupt waits
 *      in L1's IRR until L1 sets IF after L2's VMCALL, and L1 takes it then.
 *      KVM 6.1 under Bochs does not deliver it there (the check fails, the
 *      payload exits 1: docs/nested.md); a second self-IPI from L1 then
 *      shows whether it was late or lost: late, it is taken right after
 *      the second one (0x41, the higher vector, first).
 * One handler counts the interrupts by who was running (L1 says which level
 * it is about to run), so each run's check is which level took it.
 *
 * KVM path (L0): the ICR write is an MMIO access L0 emulates on the vCPU's
 * LAPIC (handle_ept_violation/handle_ept_misconfig -> apic_mmio_write ->
 * kvm_apic_send_ipi -> __apic_accept_irq). Before re-entering L2,
 * vmx_check_nested_events asks nested_exit_on_intr (L1's pin-based control)
 * and vmx_interrupt_blocked (L2's IF, unless L1 exits on interrupts): A and
 * C are nested_vmx_vmexit(EXIT_REASON_EXTERNAL_INTERRUPT) (traced as
 * kvm_nested_vmexit_inject; 6.1's VMX has no kvm_nested_intr_vmexit, which
 * only SVM emits), B is vmx_inject_irq into vmcs02, D
 * opens an interrupt window and injects into L1 (vmcs01) after the VMCALL.
 *
 * Memory map (long mode, irqchip kernel): payload at MVM_LOAD_GPA (0x100000)
 * with struct vmx and the IDT in its .bss, L1's stack below MVM_STACK_TOP
 * (0x90000), L1's page tables at MVM_PT_GPA (0x10000), shared by L2; the EPT
 * maps L2's 4 GiB 1:1 onto L1's, so L2's 0xfee00000 is L1's LAPIC.
 */
#include "mvm_apic.h"
#include "vmx.h"

/* Plain numbers: the L2 code below pastes them into its assembly. */
#define VEC	     0x40
#define VEC2	     0x41 /* run D's second IPI, from L1 */
#define ICR	     0xfee00300
#define ICR_SELF_VEC 0x40040 /* APIC_DEST_SELF | APIC_DM_FIXED | VEC */
#define RFLAGS_IF    (1ULL << 9)

#define STR(x)	STR_(x)
#define STR_(x) #x
_Static_assert(ICR == APIC_MMIO_GPA + APIC_ICR, "ICR");
_Static_assert(ICR_SELF_VEC == (APIC_DEST_SELF | APIC_DM_FIXED | VEC), "ICR_SELF_VEC");

/* clang-format off */
asm(".pushsection .text\n"
    "l2_main:\n"
    "	movl $" STR(ICR) ", %ebx\n"
    "	movl $" STR(ICR_SELF_VEC) ", %eax\n"
    "l2_ipi:\n"
    "	movl %eax, (%rbx)\n"
    "l2_after_ipi:\n"
    "	nop\n"
    "l2_vmcall:\n"
    "	vmcall\n"
    ".popsection");
/* clang-format on */

void l2_main(void);
extern char l2_after_ipi[], l2_vmcall[];

static struct vmx vmx;
static uint8_t l2_stack[4096] __attribute__((aligned(16)));
static volatile unsigned int running = 1; /* the level L1 is about to run */
static volatile unsigned int taken[3];	  /* VEC taken, by level */
static volatile unsigned int taken2;	  /* VEC2 taken (by L1: only L1 sends it) */

static void on_vec(unsigned int vector)
{
	(void)vector;
	taken[running]++;
	apic_eoi();
}

static void on_vec2(unsigned int vector)
{
	(void)vector;
	taken2++;
	apic_eoi();
}

/* L1 opens its own interrupt window for a moment: a pending VEC is taken here. */
static void l1_window(void)
{
	running = 1;
	asm volatile("sti; nop; cli" : : : "memory");
}

/* One L2 run to an exit without interruption info; L2 marked as the level running. */
static int expect(uint32_t want, const char *name, const char *rip)
{
	const struct mvm_call_l2_exit *e;
	char buf[160];

	running = 2;
	e = vmx_run(&vmx);
	running = 1;
	if (!e) {
		report(0, "%s into L2: %s", vmx.launched ? "VMRESUME" : "VMLAUNCH",
		       vmx_status_str(vmx.status, vmx.error, buf, sizeof(buf)));
		return 0;
	}
	report(e->reason == want && e->guest_rip == (uintptr_t)rip && e->intr_info == 0,
	       "wanted %s (%u) at 0x%lx, got %u at 0x%llx, interruption info 0x%x", name, want,
	       (unsigned long)(uintptr_t)rip, (unsigned int)e->reason,
	       (unsigned long long)e->guest_rip, (unsigned int)e->intr_info);
	if (e->reason == EXIT_REASON_VMCALL)
		vmx_skip(&vmx, 0);
	return e->reason == want;
}

/* Taken counts since the last call: wanted l1 by L1, l2 by L2. */
static void check_taken(const char *run, unsigned int l1, unsigned int l2)
{
	static unsigned int seen[3];
	unsigned int d1 = taken[1] - seen[1], d2 = taken[2] - seen[2];

	report(d1 == l1 && d2 == l2, "%s: L1 took %u interrupt(s), L2 %u (wanted %u and %u)", run,
	       d1, d2, l1, l2);
	seen[1] = taken[1];
	seen[2] = taken[2];
}

/* L2 starts over at l2_main, with or without external-interrupt exiting and IF. */
static void l2_restart(int exiting, int l2_if)
{
	memset(&vmx.l2, 0, sizeof(vmx.l2));
	vmwrite(GUEST_RIP, (uintptr_t)l2_main);
	vmwrite(GUEST_RSP, (uintptr_t)(l2_stack + sizeof(l2_stack)));
	vmwrite(GUEST_RFLAGS, 0x2 | (l2_if ? RFLAGS_IF : 0));
	vmwrite(PIN_BASED_VM_EXEC_CONTROL,
		exiting ? vmx.pin | PIN_EXTINT_EXITING : vmx.pin & ~PIN_EXTINT_EXITING);
}

/* One L2 run that the interrupt makes exit (exiting on): EXTERNAL_INTERRUPT, then VMCALL. */
static int run_exiting(const char *run)
{
	char what[64];

	if (!expect(EXIT_REASON_EXTERNAL_INTERRUPT, "EXTERNAL_INTERRUPT", l2_after_ipi))
		return 0;
	snprintf(what, sizeof(what), "%s, at the exit", run);
	check_taken(what, 0, 0);
	l1_window();
	snprintf(what, sizeof(what), "%s, after L1's STI", run);
	check_taken(what, 1, 0);
	return expect(EXIT_REASON_VMCALL, "VMCALL", l2_vmcall);
}

/* One L2 run without exiting and with IF set: L2 takes the interrupt before its VMCALL. */
static int run_taken_by_l2(const char *run)
{
	char what[64];

	if (!expect(EXIT_REASON_VMCALL, "VMCALL", l2_vmcall))
		return 0;
	snprintf(what, sizeof(what), "%s, at the VMCALL exit", run);
	check_taken(what, 0, 1);
	l1_window();
	snprintf(what, sizeof(what), "%s, after L1's STI", run);
	check_taken(what, 0, 0);
	return 1;
}

/*
 * Run D: no exiting, IF clear. At the VMCALL exit VEC must be pending in
 * L1's IRR, and L1's STI must take it. When it does not (KVM 6.1 under
 * Bochs: docs/nested.md), a second self-IPI (VEC2) tells a late interrupt
 * from a lost one: the new request makes L0 evaluate the IRR again.
 */
static int run_held_for_l1(const char *run)
{
	unsigned int before = taken[1];
	char what[64];

	if (!expect(EXIT_REASON_VMCALL, "VMCALL", l2_vmcall))
		return 0;
	snprintf(what, sizeof(what), "%s, at the VMCALL exit", run);
	check_taken(what, 0, 0);
	report(apic_irr_test(VEC) && !apic_isr_test(VEC),
	       "%s, at the VMCALL exit: vector 0x%x pending in L1's IRR (%d), not in service (%d)",
	       run, VEC, apic_irr_test(VEC), apic_isr_test(VEC));
	l1_window();
	snprintf(what, sizeof(what), "%s, after L1's STI", run);
	check_taken(what, 1, 0);
	if (taken[1] != before)
		return 1;
	mvm_printf("%s: vector 0x%x still pending (IRR %d) with L1's IF set; sending 0x%x", run,
		   VEC, apic_irr_test(VEC), VEC2);
	apic_ipi_self(VEC2);
	l1_window();
	report(taken2 == 1 && taken[1] == before + 1,
	       "%s, after a second self-IPI: L1 took 0x%x %u time(s) and 0x%x %u time(s)", run,
	       VEC2, taken2, VEC, taken[1] - before);
	snprintf(what, sizeof(what), "%s, after the second IPI", run);
	check_taken(what, 1, 0);
	return 1;
}

int main(void)
{
	struct vmx_config cfg = { .ept = 1 };
	uint64_t pin_caps;

	if (mvm_irqchip() == MVM_IRQCHIP_NONE)
		mvm_skip("guest_vmx_intr needs an in-kernel LAPIC (--irqchip kernel or split)");
	mvm_irq_init();
	apic_sw_enable();
	mvm_irq_set(VEC, on_vec);
	mvm_irq_set(VEC2, on_vec2);
	vmx_setup(&vmx, l2_main, l2_stack + sizeof(l2_stack), &cfg);
	pin_caps = rdmsr(vmx.basic & VMX_BASIC_TRUE_CTLS ? MSR_IA32_VMX_TRUE_PINBASED_CTLS
							 : MSR_IA32_VMX_PINBASED_CTLS);
	if (!((pin_caps >> 32) & PIN_EXTINT_EXITING) || (pin_caps & PIN_EXTINT_EXITING))
		mvm_skip("external-interrupt exiting cannot be turned both on and off here");

	mvm_printf("A: external-interrupt exiting on, L2's IF set");
	l2_restart(1, 1);
	if (!run_exiting("A"))
		return MVM_FAIL;
	mvm_printf("B: external-interrupt exiting off, L2's IF set");
	l2_restart(0, 1);
	if (!run_taken_by_l2("B"))
		return MVM_FAIL;
	mvm_printf("C: external-interrupt exiting on, L2's IF clear");
	l2_restart(1, 0);
	if (!run_exiting("C"))
		return MVM_FAIL;
	mvm_printf("D: external-interrupt exiting off, L2's IF clear");
	l2_restart(0, 0);
	if (!run_held_for_l1("D"))
		return MVM_FAIL;
	vmx_off(&vmx);
	return MVM_PASS;
}
