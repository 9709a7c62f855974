/* SPDX-License-Identifier: MIT */
/*
 * guest_vmx_basic - the payload is an L1 VMX hypervisor: it enters VMX
 * operation, launches a small 64-bit L2 under an EPT map it built, and takes
 * one exit of each common kind: CPUID (10), HLT (12), OUT (30, I/O bitmap or
 * unconditional I/O exiting), VMCALL (18), RDMSR (31, MSR bitmap), MOV to
 * CR3 (28, CR3-load exiting), a read of a GPA its EPT leaves out (EPT
 * violation, 48) and ud2 with bit 6 of the exception bitmap (exit 0,
 * interruption info 0x80000306). L1 emulates or skips each and reports it
 * (l2_exit records); L2 ends with a last VMCALL.
 *
 * KVM path (L0): VMXON/VMPTRLD/VMWRITE trap to handle_vmxon, handle_vmptrld,
 * handle_vmwrite; VMLAUNCH/VMRESUME to handle_vmlaunch/handle_vmresume ->
 * nested_vmx_run -> nested_vmx_enter_non_root_mode (prepare_vmcs02). Each L2
 * exit is judged by nested_vmx_reflect_vmexit (nested_vmx_l1_wants_exit
 * reads L1's controls and bitmaps) and sent to L1 by nested_vmx_vmexit ->
 * sync_vmcs02_to_vmcs12 / prepare_vmcs12. The EPT hole is a fault in L0's
 * shadow of L1's EPT, given to L1 as its own EPT violation by
 * nested_ept_inject_page_fault; L1's INVEPT is handle_invept.
 *
 * Memory map (long mode, L1 and L2 share it): payload at MVM_LOAD_GPA
 * (0x100000) with struct vmx (VMXON region, VMCS, bitmaps, EPT tables, L2's
 * stack) in its .bss, L1's stack below MVM_STACK_TOP (0x90000), L1's page
 * tables at MVM_PT_GPA (0x10000), also used by L2. EPT maps L2's 0-4 GiB to
 * L1's identically, but for the page at HOLE (0x200000), which L1 fills
 * with a known value and maps when L2 first touches it.
 */
#include "vmx.h"

#define XSTR(x) STR(x)
#define STR(x)	#x

#define HOLE	   0x200000
#define HOLE_VALUE 0x686f6c6520676f6fULL
#define L2_PORT	   (MVM_TESTDEV_PORT + MVM_TESTDEV_REG_SCRATCH)
#define L2_MSR	   0x174 /* IA32_SYSENTER_CS: any MSR L2 may read will do */
#define MSR_VALUE  0x1122334455667788ULL
#define SKIP_NONE  0xffffffffU /* resume at the same instruction */
#define UD2_LEN	   2

/* What L2 leaves for L1 to check: the CPUID vendor, the RDMSR value, the hole's contents. */
uint32_t l2_res_cpuid[3];
uint64_t l2_res_msr;
uint64_t l2_res_hole;

void l2_basic(void);
/* clang-format off */
asm(".pushsection .text.l2_basic, \"ax\"\n"
    ".globl l2_basic\n"
    "l2_basic:\n"
    "	xorl	%eax, %eax\n"
    "	xorl	%ecx, %ecx\n"
    "	cpuid\n"
    "	movl	%ebx, l2_res_cpuid(%rip)\n"
    "	movl	%edx, l2_res_cpuid+4(%rip)\n"
    "	movl	%ecx, l2_res_cpuid+8(%rip)\n"
    "	hlt\n"
    "	movw	$" XSTR(L2_PORT) ", %dx\n"
    "	movb	$0x5a, %al\n"
    "	outb	%al, %dx\n"
    "	vmcall\n"
    "	movl	$" XSTR(L2_MSR) ", %ecx\n"
    "	rdmsr\n"
    "	movl	%eax, l2_res_msr(%rip)\n"
    "	movl	%edx, l2_res_msr+4(%rip)\n"
    "	movq	%r12, %cr3\n"
    "	movl	$" XSTR(HOLE) ", %esi\n"
    "	movq	(%rsi), %rax\n"
    "	movq	%rax, l2_res_hole(%rip)\n"
    "	ud2\n"
    "	vmcall\n"
    "1:	hlt\n"
    "	jmp	1b\n"
    ".popsection");
/* clang-format on */

static struct vmx vmx;
static uint8_t l2_stack[4096] __attribute__((aligned(16)));

static void emulate_cpuid(struct vmx *v)
{
	uint32_t a, b, c, d;

	cpuid((uint32_t)v->l2.rax, (uint32_t)v->l2.rcx, &a, &b, &c, &d);
	v->l2.rax = a;
	v->l2.rbx = b;
	v->l2.rcx = c;
	v->l2.rdx = d;
}

static void emulate_rdmsr(struct vmx *v)
{
	v->l2.rax = (uint32_t)MSR_VALUE;
	v->l2.rdx = MSR_VALUE >> 32;
}

static void emulate_mov_cr3(struct vmx *v)
{
	vmwrite(GUEST_CR3, v->l2.r12);
}

static void map_hole(struct vmx *v)
{
	vmx_ept_map_hole(v, HOLE);
}

struct basic_case {
	const char *what;
	uint32_t reason;
	uint64_t qual, qual_mask;
	uint32_t intr_info;
	uint64_t gpa;  /* checked when not 0 */
	uint32_t skip; /* bytes; 0: the VMCS instruction length; SKIP_NONE: re-execute */
	void (*handle)(struct vmx *v);
};

/* I/O qualification: size 1 (bits 2:0 = 0), OUT, not string, port in DX, port in 31:16. */
#define IO_QUAL ((uint64_t)L2_PORT << 16)
/* CR-access qualification: CR3 (3:0), MOV to CR (5:4 = 0), source R12 (11:8). */
#define CR3_QUAL 0xc03
/* EPT violation: a data read (bit 0), nothing else of bits 2:0. */
#define EPT_READ 0x1

static const struct basic_case cases[] = {
	{ "CPUID", EXIT_REASON_CPUID, 0, ~0ULL, 0, 0, 0, emulate_cpuid },
	{ "HLT", EXIT_REASON_HLT, 0, ~0ULL, 0, 0, 0, NULL },
	{ "OUT to the test device", EXIT_REASON_IO_INSTRUCTION, IO_QUAL, ~0ULL, 0, 0, 0, NULL },
	{ "VMCALL", EXIT_REASON_VMCALL, 0, ~0ULL, 0, 0, 0, NULL },
	{ "RDMSR " XSTR(L2_MSR), EXIT_REASON_MSR_READ, 0, ~0ULL, 0, 0, 0, emulate_rdmsr },
	{ "MOV R12 to CR3", EXIT_REASON_CR_ACCESS, CR3_QUAL, ~0ULL, 0, 0, 0, emulate_mov_cr3 },
	{ "read of the EPT hole", EXIT_REASON_EPT_VIOLATION, EPT_READ, 0x7, 0, HOLE, SKIP_NONE,
	  map_hole },
	{ "ud2", EXIT_REASON_EXCEPTION_NMI, 0, ~0ULL,
	  INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION | UD_VECTOR, 0, UD2_LEN, NULL },
	{ "last VMCALL", EXIT_REASON_VMCALL, 0, ~0ULL, 0, 0, 0, NULL },
};

/* The exit's qualification is info1, its guest-physical address info2 (nested.h). */
static int check_exit(const struct basic_case *c, const struct mvm_call_l2_exit *e)
{
	int ok = e->reason == c->reason && (e->info1 & c->qual_mask) == c->qual &&
		 e->intr_info == c->intr_info && (!c->gpa || e->info2 == c->gpa);

	if (ok)
		report(1,
		       "L2 %s exits to L1: reason %u, qualification 0x%llx, gpa 0x%llx, "
		       "interruption info 0x%x",
		       c->what, (unsigned int)e->reason, (unsigned long long)e->info1,
		       (unsigned long long)e->info2, (unsigned int)e->intr_info);
	else
		report(0,
		       "L2 %s: wanted reason %u, qualification 0x%llx (mask 0x%llx), "
		       "interruption info 0x%x; got %u, 0x%llx, 0x%x, gpa 0x%llx",
		       c->what, c->reason, (unsigned long long)c->qual,
		       (unsigned long long)c->qual_mask, c->intr_info, (unsigned int)e->reason,
		       (unsigned long long)e->info1, (unsigned int)e->intr_info,
		       (unsigned long long)e->info2);
	return ok;
}

static int run_cases(struct vmx *v)
{
	const size_t n = sizeof(cases) / sizeof(cases[0]);
	char buf[160];

	for (size_t i = 0; i < n; i++) {
		const struct mvm_call_l2_exit *e = vmx_run(v);

		if (!e) {
			report(0, "%s into L2: %s", v->launched ? "VMRESUME" : "VMLAUNCH",
			       vmx_status_str(v->status, v->error, buf, sizeof(buf)));
			return MVM_FAIL;
		}
		if (!check_exit(&cases[i], e))
			return MVM_FAIL; /* L2 is not where the table thinks: stop here */
		if (cases[i].handle)
			cases[i].handle(v);
		if (cases[i].skip != SKIP_NONE)
			vmx_skip(v, cases[i].skip);
	}
	return MVM_PASS;
}

int main(void)
{
	struct vmx_config cfg = {
		.proc = CPU_HLT_EXITING | CPU_CR3_LOAD_EXITING,
		.exception_bitmap = 1U << UD_VECTOR,
		.ept = 1,
		.ept_hole = HOLE,
	};
	uint32_t a, vendor[3];
	char name[13] = { 0 };
	int ret;

	*(volatile uint64_t *)(uintptr_t)HOLE = HOLE_VALUE;
	vmx_setup(&vmx, l2_basic, l2_stack + sizeof(l2_stack), &cfg);
	vmx_intercept_io(&vmx, L2_PORT);
	vmx_intercept_msr(&vmx, L2_MSR, 0);
	vmx.l2.r12 = read_cr3();
	ret = run_cases(&vmx);
	vmx_off(&vmx);
	if (ret != MVM_PASS)
		return ret;

	cpuid(0, 0, &a, &vendor[0], &vendor[2], &vendor[1]);
	memcpy(name, l2_res_cpuid, sizeof(l2_res_cpuid));
	report(memcmp(l2_res_cpuid, vendor, sizeof(vendor)) == 0,
	       "L2 saw the CPUID leaf 0 vendor L1 emulated ('%s')", name);
	report(l2_res_msr == MSR_VALUE, "L2's RDMSR returned L1's value: wanted 0x%llx, got 0x%llx",
	       (unsigned long long)MSR_VALUE, (unsigned long long)l2_res_msr);
	report(l2_res_hole == HOLE_VALUE,
	       "L2 read the hole after L1 mapped it: wanted 0x%llx, got 0x%llx",
	       (unsigned long long)HOLE_VALUE, (unsigned long long)l2_res_hole);
	return MVM_PASS;
}
