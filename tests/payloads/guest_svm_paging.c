/* SPDX-License-Identifier: MIT */
/*
 * guest_svm_paging - whose fault is it? The payload is an L1 hypervisor that
 * runs the same L2 code twice, first under its own nested page table (NPT
 * on), then with nested paging off (L2's guest-physical addresses are L1's).
 * L2 writes and reads the test device through MMIO, reads a page it never
 * touched, reads an NPT hole, and reads a linear address its page tables do
 * not map, with #PF intercepted by L1. Before the first VMRUN L1 uses VMSAVE
 * and VMLOAD itself, as a hypervisor does to switch the state VMRUN leaves
 * alone, and checks what they moved.
 *
 * What each access is, and who handles it (L1 sees only l2_exit records):
 *   MMIO write and read    never reach L1: L0's NPF on the device's GPA
 *                          (npf_interception -> kvm_mmu_page_fault, an MMIO
 *                          SPTE or no memslot) is emulated and completed by
 *                          minivmm in userspace, an MMIO record at L2's RIP.
 *   first touch of a page  mapped by L1's NPT: L0's shadow of that NPT is
 *                          filled on L0's own NPF, no exit to L1.
 *   the NPT hole           L0's walk of L1's NPT finds it not present:
 *                          nested_svm_inject_npf_exit, NPF (0x400) to L1,
 *                          which maps it; L2's read is retried. With NPT off
 *                          there is no hole: the read just works.
 *   the unmapped address   L2's own page fault. L1 intercepts #PF, so the
 *                          exit code is 0x40 + 14 with the error code in
 *                          EXITINFO1 and the address in EXITINFO2 (CR2 is not
 *                          written), NPT on or off; L0 does not handle it
 *                          (its #PF handler, pf_interception, is not run for
 *                          an L2 #PF that L1 intercepts). L1 moves L2 past it.
 *   VMSAVE, VMLOAD by L1   intercepted by L0 (vmsave_interception,
 *                          vmload_interception) unless L0 has virtual
 *                          VMLOAD/VMSAVE; L1 sees the effect only.
 *
 * KVM path of the two L2 runs: with NPT on, nested_svm_vmrun ->
 * enter_svm_guest_mode -> nested_svm_init_mmu_context, and L2 runs on L0's
 * shadow NPT (the guest_mmu); with NPT off, L2 runs on the same TDP MMU as
 * L1 (L2 GPA = L1 GPA), with its own CR3 as L1 gave it.
 *
 * Memory map (long mode): payload at MVM_LOAD_GPA (0x100000) with the VMCB,
 * a second VMCB for VMLOAD, host save area, IOPM, MSRPM, nested page tables
 * and L2's stack in its .bss; L1's stack below MVM_STACK_TOP (0x90000); L1's
 * page tables at MVM_PT_GPA (0x10000), shared by L2, identity-map 4 GiB and
 * nothing at UNMAPPED (512 GiB). NPT: identity for 4 GiB in 2 MiB pages but
 * for HOLE (0x200000-0x3fffff) until L2 faults there; FRESH (0x400000) is
 * RAM nobody touches before L2. The test device is at MVM_TESTDEV_MMIO_GPA
 * (0xd0000000).
 */
#include "svm.h"

/* Plain numbers: the L2 code below pastes them into its assembly. */
#define HOLE	      0x200000
#define FRESH	      0x400000
#define UNMAPPED      0x8000000000	 /* PML4 entry 1: not present */
#define SCRATCH	      0xd0000008	 /* MVM_TESTDEV_MMIO_GPA + MVM_TESTDEV_REG_SCRATCH */
#define MMIO_VALUE    0x4c324d4d494f2121 /* "!!OIMM2L" */
#define HOLE_VALUE    0x484f4c45484f4c45ULL
#define FRESH_VALUE   0x4652455348465245ULL
#define KGS_L1	      0x00000000c0de0001ULL /* L1's KERNEL_GS_BASE */
#define KGS_LOADED    0x00000000c0de0002ULL /* what VMLOAD brings in */
#define MSR_KERNEL_GS 0xc0000102U
#define PF_ERR_WRITE  (1U << 1)

#define STR(x)	STR_(x)
#define STR_(x) #x
_Static_assert(SCRATCH == MVM_TESTDEV_MMIO_GPA + MVM_TESTDEV_REG_SCRATCH, "SCRATCH");

/*
 * L2: one instruction a line, labels where minivmm or L1 checks the RIP.
 * It hands back at VMMCALL: RCX the MMIO read, RSI the fresh page, RDI the
 * hole. The #PF leaves RAX and RDX alone (L1 moves RIP to l2_after_pf).
 */
/* clang-format off */
asm(".pushsection .text\n"
    "l2_main:\n"
    "	movabsq $" STR(SCRATCH) ", %rbx\n"
    "	movabsq $" STR(MMIO_VALUE) ", %rax\n"
    "l2_mmio_write:\n"
    "	movq %rax, (%rbx)\n"
    "l2_mmio_read:\n"
    "	movq (%rbx), %rcx\n"
    "	movl $" STR(FRESH) ", %edx\n"
    "l2_fresh:\n"
    "	movq (%rdx), %rsi\n"
    "	movl $" STR(HOLE) ", %edx\n"
    "l2_hole:\n"
    "	movq (%rdx), %rdi\n"
    "	movabsq $" STR(UNMAPPED) ", %rdx\n"
    "l2_pf:\n"
    "	movq %rax, (%rdx)\n"
    "l2_after_pf:\n"
    "	vmmcall\n"
    ".popsection");
/* clang-format on */

void l2_main(void);
extern char l2_hole[], l2_pf[], l2_after_pf[];

static struct svm svm;
static struct vmcb other __attribute__((aligned(4096))); /* VMLOAD's source */
static uint8_t l2_stack[4096] __attribute__((aligned(16)));

static inline void vmsave(const void *vmcb)
{
	asm volatile("vmsave %%rax" : : "a"((uintptr_t)vmcb) : "memory");
}

static inline void vmload(const void *vmcb)
{
	asm volatile("vmload %%rax" : : "a"((uintptr_t)vmcb) : "memory");
}

/*
 * VMSAVE stores what VMRUN does not switch (FS, GS, TR, LDTR, KERNEL_GS_BASE,
 * STAR..SFMASK, SYSENTER_*) in a VMCB; VMLOAD loads it back. Two VMSAVEs and
 * one VMLOAD, each an exit to L0 unless it virtualizes them.
 */
static void vmsave_vmload(void)
{
	wrmsr(MSR_KERNEL_GS, KGS_L1);
	vmsave(&svm.vmcb);
	report(svm.vmcb.save.kernel_gs_base == KGS_L1,
	       "VMSAVE: the VMCB got L1's KERNEL_GS_BASE 0x%llx",
	       (unsigned long long)svm.vmcb.save.kernel_gs_base);
	vmsave(&other); /* all of L1's state, so that VMLOAD changes one MSR only */
	other.save.kernel_gs_base = KGS_LOADED;
	vmload(&other);
	report(rdmsr(MSR_KERNEL_GS) == KGS_LOADED, "VMLOAD: KERNEL_GS_BASE is now 0x%llx",
	       (unsigned long long)rdmsr(MSR_KERNEL_GS));
	wrmsr(MSR_KERNEL_GS, 0);
}

/* L2's write to UNMAPPED, intercepted: the fault's own information, then skip it. */
static void on_pf(void)
{
	struct vmcb_control *c = &svm.vmcb.control;

	report(c->exit_info2 == UNMAPPED && c->exit_info1 == PF_ERR_WRITE,
	       "#PF: EXITINFO2 0x%llx is the address, EXITINFO1 0x%llx a supervisor write "
	       "to a page not present",
	       (unsigned long long)c->exit_info2, (unsigned long long)c->exit_info1);
	report(svm.vmcb.save.cr2 == 0, "#PF: L2's CR2 is still 0 (an intercepted #PF does not "
				       "write it)");
	svm.vmcb.save.rip = (uintptr_t)l2_after_pf;
}

/* L2's VMMCALL: what it read, the same with NPT on and off. */
static void on_vmmcall(const char *run)
{
	report(svm.gprs.rcx == MMIO_VALUE, "%s: L2 read back 0x%llx from the device", run,
	       (unsigned long long)svm.gprs.rcx);
	report(svm.gprs.rsi == FRESH_VALUE && svm.gprs.rdi == HOLE_VALUE,
	       "%s: L2 read 0x%llx from the fresh page and 0x%llx from the hole", run,
	       (unsigned long long)svm.gprs.rsi, (unsigned long long)svm.gprs.rdi);
}

/* Starts L2 over at l2_main with empty registers. */
static void l2_restart(void)
{
	memset(&svm.gprs, 0, sizeof(svm.gprs));
	svm.vmcb.save.rip = (uintptr_t)l2_main;
	svm.vmcb.save.rsp = (uintptr_t)(l2_stack + sizeof(l2_stack));
	svm.vmcb.save.cr2 = 0;
}

int main(void)
{
	*(volatile uint64_t *)HOLE = HOLE_VALUE;
	*(volatile uint64_t *)FRESH = FRESH_VALUE;
	svm_setup(&svm, l2_main, l2_stack + sizeof(l2_stack));
	svm.vmcb.control.intercept4 |= SVM_INTERCEPT4_VMMCALL;
	svm.vmcb.control.intercept_exc |= 1U << 14;
	vmsave_vmload();

	mvm_printf("L2 run 1: nested paging on, HOLE not mapped");
	svm_npt_init(&svm);
	svm_npt_map(&svm, HOLE, 0);
	if (!svm_expect(&svm, SVM_EXIT_NPF, "NPF", l2_hole))
		return MVM_FAIL;
	report(svm.vmcb.control.exit_info2 == HOLE &&
		       (svm.vmcb.control.exit_info1 & (SVM_NPF_P | SVM_NPF_W | SVM_NPF_FINAL)) ==
			       SVM_NPF_FINAL,
	       "NPF: a read of GPA 0x%llx, not present (EXITINFO1 0x%llx)",
	       (unsigned long long)svm.vmcb.control.exit_info2,
	       (unsigned long long)svm.vmcb.control.exit_info1);
	svm_npt_map(&svm, HOLE, 1);
	if (!svm_expect(&svm, SVM_EXIT_EXCP(14), "#PF", l2_pf))
		return MVM_FAIL;
	on_pf();
	if (!svm_expect(&svm, SVM_EXIT_VMMCALL, "VMMCALL", l2_after_pf))
		return MVM_FAIL;
	on_vmmcall("NPT on");

	mvm_printf("L2 run 2: nested paging off, the same code");
	svm.vmcb.control.np_control &= ~SVM_NP_ENABLE;
	svm.vmcb.control.n_cr3 = 0;
	svm.vmcb.control.tlb_control = SVM_TLB_FLUSH_ALL;
	l2_restart();
	if (!svm_expect(&svm, SVM_EXIT_EXCP(14), "#PF", l2_pf))
		return MVM_FAIL;
	on_pf();
	if (!svm_expect(&svm, SVM_EXIT_VMMCALL, "VMMCALL", l2_after_pf))
		return MVM_FAIL;
	on_vmmcall("NPT off");
	return MVM_PASS;
}
