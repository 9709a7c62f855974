/* SPDX-License-Identifier: MIT */
/*
 * guest_svm_intr - an interrupt that arrives while L2 runs: whose is it? The
 * payload is an L1 hypervisor with the in-kernel LAPIC. Its L2 sends itself
 * a fixed IPI (a write of the xAPIC ICR at 0xfee00300, which L1's NPT maps
 * through to L1's own LAPIC), so the interrupt becomes pending at a known
 * instruction. Three L2 runs, the same code each time:
 *   A. INTR intercepted, L2's RFLAGS.IF set: #VMEXIT(INTR), exit code 0x60,
 *      at the instruction after the ICR write. The interrupt is still
 *      pending: L1 takes it itself once it sets IF (STI), then resumes L2.
 *   B. INTR not intercepted, IF set: L2 takes the interrupt through its IDT
 *      (L1's, which L1 gives it), in L2's context, and L1 sees only the
 *      VMMCALL that ends L2's run.
 *   C. INTR intercepted, IF clear in L2: with V_INTR_MASKING clear, L2's IF
 *      masks physical interrupts, so there is no exit; the interrupt waits
 *      until L1 sets IF after L2's VMMCALL.
 * One handler counts the interrupts by who was running (L1 says which level
 * it is about to run), so each run's check is which level took it.
 *
 * KVM path (L0): the ICR write is an MMIO access L0 emulates on the vCPU's
 * LAPIC (apic_mmio_write -> kvm_lapic_reg_write -> kvm_apic_send_ipi ->
 * __apic_accept_irq), whoever wrote it. Before re-entering L2, L0's
 * svm_check_nested_events asks whether L1 intercepts INTR
 * (nested_exit_on_intr) and whether the interrupt is blocked
 * (svm_interrupt_blocked: L2's IF, as V_INTR_MASKING is clear in vmcb12):
 * A is nested_svm_intr (the kvm_nested_intr_vmexit tracepoint) ->
 * nested_svm_simple_vmexit(SVM_EXIT_INTR); B is svm_inject_irq into L2's
 * VMCB (vmcb02); C opens an interrupt window for later and injects into L1
 * (vmcb01) after the VMMCALL exit, as A does after L1's STI.
 *
 * Memory map (long mode, irqchip kernel): payload at MVM_LOAD_GPA (0x100000)
 * with the VMCB, host save area, IOPM, MSRPM, nested page tables, the IDT
 * and L2's stack in its .bss; L1's stack below MVM_STACK_TOP (0x90000); L1's
 * page tables at MVM_PT_GPA (0x10000), shared by L2; the NPT maps L2's 4 GiB
 * 1:1 onto L1's, so L2's 0xfee00000 is L1's LAPIC.
 */
#include "mvm_apic.h"
#include "svm.h"

/* Plain numbers: the L2 code below pastes them into its assembly. */
#define VEC		    0x40
#define ICR		    0xfee00300
#define ICR_SELF_VEC	    0x40040 /* APIC_DEST_SELF | APIC_DM_FIXED | VEC */
#define RFLAGS_IF	    (1ULL << 9)
#define SVM_INTERCEPT3_INTR (1U << 0)

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
    "l2_vmmcall:\n"
    "	vmmcall\n"
    ".popsection");
/* clang-format on */

void l2_main(void);
extern char l2_after_ipi[], l2_vmmcall[];

static struct svm svm;
static uint8_t l2_stack[4096] __attribute__((aligned(16)));
static volatile unsigned int running = 1; /* the level L1 is about to run */
static volatile unsigned int taken[3];	  /* interrupts taken, by level */

static void on_vec(unsigned int vector)
{
	(void)vector;
	taken[running]++;
	apic_eoi();
}

/* L1 opens its own interrupt window for a moment: a pending VEC is taken here. */
static void l1_window(void)
{
	running = 1;
	asm volatile("sti; nop; cli" : : : "memory");
}

/* svm_expect with L2 marked as the level running, for on_vec's count. */
static int expect(uint64_t want, const char *name, const char *rip)
{
	int ok;

	running = 2;
	ok = svm_expect(&svm, want, name, rip);
	running = 1;
	return ok;
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

/* L2 starts over at l2_main with interrupts enabled or not. */
static void l2_restart(int intercept, int l2_if)
{
	memset(&svm.gprs, 0, sizeof(svm.gprs));
	svm.vmcb.save.rip = (uintptr_t)l2_main;
	svm.vmcb.save.rsp = (uintptr_t)(l2_stack + sizeof(l2_stack));
	svm.vmcb.save.rflags = 0x2 | (l2_if ? RFLAGS_IF : 0);
	if (intercept)
		svm.vmcb.control.intercept3 |= SVM_INTERCEPT3_INTR;
	else
		svm.vmcb.control.intercept3 &= ~SVM_INTERCEPT3_INTR;
}

int main(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idt;

	if (mvm_irqchip() == MVM_IRQCHIP_NONE)
		mvm_skip("guest_svm_intr needs an in-kernel LAPIC (--irqchip kernel or split)");
	mvm_irq_init();
	apic_sw_enable();
	mvm_irq_set(VEC, on_vec);
	svm_setup(&svm, l2_main, l2_stack + sizeof(l2_stack));
	svm_npt_init(&svm);
	svm.vmcb.control.intercept4 |= SVM_INTERCEPT4_VMMCALL;
	asm volatile("sidt %0" : "=m"(idt));
	svm.vmcb.save.idtr = (struct vmcb_seg){ .limit = idt.limit, .base = idt.base };

	mvm_printf("A: INTR intercepted, L2's IF set");
	l2_restart(1, 1);
	if (!expect(SVM_EXIT_INTR, "INTR", l2_after_ipi))
		return MVM_FAIL;
	check_taken("A, at the INTR exit", 0, 0);
	l1_window();
	check_taken("A, after L1's STI", 1, 0);
	if (!expect(SVM_EXIT_VMMCALL, "VMMCALL", l2_vmmcall))
		return MVM_FAIL;
	svm_skip(&svm);

	mvm_printf("B: INTR not intercepted, L2's IF set");
	l2_restart(0, 1);
	if (!expect(SVM_EXIT_VMMCALL, "VMMCALL", l2_vmmcall))
		return MVM_FAIL;
	check_taken("B, at the VMMCALL exit", 0, 1);
	l1_window();
	check_taken("B, after L1's STI", 0, 0);

	mvm_printf("C: INTR intercepted, L2's IF clear");
	l2_restart(1, 0);
	if (!expect(SVM_EXIT_VMMCALL, "VMMCALL", l2_vmmcall))
		return MVM_FAIL;
	check_taken("C, at the VMMCALL exit", 0, 0);
	l1_window();
	check_taken("C, after L1's STI", 1, 0);
	return MVM_PASS;
}
