/* SPDX-License-Identifier: MIT */
/*
 * guest_vmx_paging - whose fault is it? guest_svm_paging's question on VMX.
 * The payload is an L1 hypervisor that runs the same L2 code twice, first
 * under its own EPT, then with EPT off (L2's guest-physical addresses are
 * L1's). L2 writes and reads the test device through MMIO, reads a page it
 * never touched, reads an EPT hole, and writes a linear address its page
 * tables do not map, with #PF set in L1's exception bitmap.
 *
 * What each access is, and who handles it (L1 sees only l2_exit records):
 *   MMIO write and read    never reach L1: L0's EPT violation or
 *                          misconfiguration on the device's GPA
 *                          (handle_ept_violation / handle_ept_misconfig ->
 *                          kvm_mmu_page_fault) is emulated and completed by
 *                          minivmm in userspace, an MMIO record at L2's RIP.
 *   first touch of a page  mapped by L1's EPT: L0's shadow of that EPT is
 *                          filled on L0's own EPT violation, no exit to L1.
 *   the EPT hole           L0's walk of L1's EPT finds it not present:
 *                          nested_ept_inject_page_fault, exit 48 to L1,
 *                          which maps it; L2's read is retried. With EPT off
 *                          there is no hole: the read just works.
 *   the unmapped address   L2's own page fault. Bit 14 of L1's exception
 *                          bitmap makes it exit 0 with interruption info
 *                          0x80000b0e (valid, hardware exception, error code,
 *                          vector 14), the address in the exit qualification
 *                          and the error code in its VMCS field; CR2, which
 *                          VMX does not switch, is not written. EPT on or off;
 *                          L1 moves L2 past it.
 *
 * KVM path of the two L2 runs: with EPT on, nested_vmx_enter_non_root_mode
 * -> nested_ept_init_mmu_context (kvm_init_shadow_ept_mmu), and L2 runs on
 * L0's shadow of L1's EPT (ept_page_fault walks L1's tables); with EPT off,
 * L2 runs on the same TDP MMU as L1 (L2 GPA = L1 GPA) with its own CR3.
 *
 * Memory map (long mode, L1 and L2 share it): payload at MVM_LOAD_GPA
 * (0x100000) with struct vmx in its .bss, L1's stack below MVM_STACK_TOP
 * (0x90000), L1's page tables at MVM_PT_GPA (0x10000), identity for 4 GiB
 * and nothing at UNMAPPED (512 GiB). EPT: identity for 4 GiB but for the
 * page at HOLE (0x200000) until L2 faults there; FRESH (0x400000) is RAM
 * nobody touches before L2. The test device is at MVM_TESTDEV_MMIO_GPA
 * (0xd0000000).
 */
#include "vmx.h"

/* Plain numbers: the L2 code below pastes them into its assembly. */
#define HOLE		     0x200000
#define FRESH		     0x400000
#define UNMAPPED	     0x8000000000	/* PML4 entry 1: not present */
#define SCRATCH		     0xd0000008		/* MVM_TESTDEV_MMIO_GPA + MVM_TESTDEV_REG_SCRATCH */
#define MMIO_VALUE	     0x4c324d4d494f2121 /* "!!OIMM2L" */
#define HOLE_VALUE	     0x484f4c45484f4c45ULL
#define FRESH_VALUE	     0x4652455348465245ULL
#define CR2_MARK	     0xc2c2c2c2000ULL /* what L1 leaves in CR2 */
#define PF_ERR_WRITE	     (1U << 1)
#define PF_VECTOR	     14
#define INTR_INFO_ERROR_CODE (1U << 11)
#define EPT_READ	     0x1 /* exit qualification: a data read */

#define STR(x)	STR_(x)
#define STR_(x) #x
_Static_assert(SCRATCH == MVM_TESTDEV_MMIO_GPA + MVM_TESTDEV_REG_SCRATCH, "SCRATCH");

/*
 * L2: one instruction a line, labels where minivmm or L1 checks the RIP.
 * It hands back at VMCALL: RCX the MMIO read, RSI the fresh page, RDI the
 * hole. L1 moves RIP from l2_pf to l2_after_pf.
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
    "	vmcall\n"
    ".popsection");
/* clang-format on */

void l2_main(void);
extern char l2_hole[], l2_pf[], l2_after_pf[];

static struct vmx vmx;
static uint8_t l2_stack[4096] __attribute__((aligned(16)));

static inline void write_cr2(uint64_t v)
{
	asm volatile("mov %0, %%cr2" : : "r"(v) : "memory");
}

/* L2's write to UNMAPPED, intercepted: the fault's own information, then skip it. */
static void on_pf(const struct mvm_call_l2_exit *e)
{
	uint64_t err = vmread(VM_EXIT_INTR_ERROR_CODE);

	report(e->intr_info == (INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION | INTR_INFO_ERROR_CODE |
				PF_VECTOR),
	       "#PF: interruption info 0x%x says hardware exception 14 with an error code",
	       (unsigned int)e->intr_info);
	report(e->info1 == UNMAPPED && err == PF_ERR_WRITE,
	       "#PF: the qualification 0x%llx is the address, error code 0x%llx a supervisor "
	       "write to a page not present",
	       (unsigned long long)e->info1, (unsigned long long)err);
	report(read_cr2() == CR2_MARK,
	       "#PF: CR2 still holds L1's 0x%llx (an intercepted #PF "
	       "does not write it)",
	       (unsigned long long)read_cr2());
	vmwrite(GUEST_RIP, (uintptr_t)l2_after_pf);
}

/* L2's VMCALL: what it read, the same with EPT on and off. */
static void on_vmcall(const char *run)
{
	report(vmx.l2.rcx == MMIO_VALUE, "%s: L2 read back 0x%llx from the device", run,
	       (unsigned long long)vmx.l2.rcx);
	report(vmx.l2.rsi == FRESH_VALUE && vmx.l2.rdi == HOLE_VALUE,
	       "%s: L2 read 0x%llx from the fresh page and 0x%llx from the hole", run,
	       (unsigned long long)vmx.l2.rsi, (unsigned long long)vmx.l2.rdi);
}

/* The two VMCALL-ended stretches of one L2 run: #PF, then VMCALL. */
static int pf_then_vmcall(const char *run)
{
	if (!vmx_expect(&vmx, EXIT_REASON_EXCEPTION_NMI, "#PF", l2_pf))
		return 0;
	on_pf(&vmx.exit);
	if (!vmx_expect(&vmx, EXIT_REASON_VMCALL, "VMCALL", l2_after_pf))
		return 0;
	on_vmcall(run);
	return 1;
}

int main(void)
{
	struct vmx_config cfg = {
		.exception_bitmap = 1U << PF_VECTOR,
		.ept = 1,
		.ept_hole = HOLE,
	};

	*(volatile uint64_t *)HOLE = HOLE_VALUE;
	*(volatile uint64_t *)FRESH = FRESH_VALUE;
	vmx_setup(&vmx, l2_main, l2_stack + sizeof(l2_stack), &cfg);
	/* Every #PF exits: with mask and match 0, all error codes match. */
	vmwrite(PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmwrite(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	write_cr2(CR2_MARK);

	mvm_printf("L2 run 1: EPT on, HOLE not mapped");
	if (!vmx_expect(&vmx, EXIT_REASON_EPT_VIOLATION, "EPT violation", l2_hole))
		return MVM_FAIL;
	report(vmx.exit.info2 == HOLE && (vmx.exit.info1 & 0x3f) == EPT_READ,
	       "EPT violation: a read of GPA 0x%llx, not present (qualification 0x%llx)",
	       (unsigned long long)vmx.exit.info2, (unsigned long long)vmx.exit.info1);
	vmx_ept_map_hole(&vmx, HOLE);
	if (!pf_then_vmcall("EPT on"))
		return MVM_FAIL;

	mvm_printf("L2 run 2: EPT off, the same code");
	vmx.proc2 &= ~CPU2_ENABLE_EPT;
	vmwrite(SECONDARY_VM_EXEC_CONTROL, vmx.proc2);
	memset(&vmx.l2, 0, sizeof(vmx.l2));
	vmwrite(GUEST_RIP, (uintptr_t)l2_main);
	vmwrite(GUEST_RSP, (uintptr_t)(l2_stack + sizeof(l2_stack)));
	if (!pf_then_vmcall("EPT off"))
		return MVM_FAIL;
	vmx_off(&vmx);
	return MVM_PASS;
}
