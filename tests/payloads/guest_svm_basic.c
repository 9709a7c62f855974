/* SPDX-License-Identifier: MIT */
/*
 * guest_svm_basic - the payload is an L1 hypervisor: it enters SVM, runs a
 * small 64-bit L2 with VMRUN and takes one exit of each kind it intercepts,
 * in a fixed order: CPUID, HLT, OUT (IOIO), RDMSR (MSR), VMMCALL, a read of
 * an NPT hole (NPF), ud2 (#UD). Each exit is reported to the host as an
 * l2_exit record and checked: EXITCODE, L2's RIP at the exit, EXITINFO1/2
 * for IOIO, MSR and NPF. L1 emulates CPUID and RDMSR by writing L2's
 * registers, and L2 hands the results back at VMMCALL, so a register lost
 * across VMRUN or #VMEXIT fails a check. After the NPF, L1 maps the hole
 * and L2's read is retried; it must see what L1 wrote there.
 *
 * KVM path (L0 runs L1; L1's VMRUN is emulated): the VMRUN intercept takes
 * L1 to nested_svm_vmrun (nested_vmcb_check_save/_controls,
 * enter_svm_guest_mode builds vmcb02 from L1's vmcb12, nested_svm_init_mmu_context
 * for the nested NPT). Each L2 exit reaches svm_handle_exit, then
 * nested_svm_exit_special / nested_svm_exit_handled (nested_svm_intercept,
 * nested_svm_intercept_ioio with L1's IOPM, nested_svm_exit_handled_msr
 * with its MSRPM) decides that L1 wants it, and nested_svm_vmexit copies
 * the exit into vmcb12 and resumes L1. The NPF is KVM's own shadow of L1's
 * NPT missing: kvm_mmu_page_fault walks L1's table, finds the hole and
 * nested_svm_inject_npf_exit gives L1 the NPF. The #UD is intercepted by
 * L0 too (vmcb01 has it): L0 handles it first (nested_svm_exit_special,
 * ud_interception), and svm_check_nested_events then gives L1 the
 * exception intercept it asked for, exit code 0x40 + vector. Several of
 * these helpers are inlined in a 6.1 build and have no symbol to probe.
 *
 * No NRIPS under QEMU TCG: L1 moves L2's RIP by the instruction lengths
 * itself (svm_skip), and insn_len is 0 in the records.
 *
 * Memory map (long mode): payload at MVM_LOAD_GPA (0x100000) with the VMCB,
 * host save area, IOPM, MSRPM, nested page tables and L2's 4 KiB stack in
 * its .bss; L1's stack below MVM_STACK_TOP (0x90000); L1's page tables at
 * MVM_PT_GPA (0x10000), shared by L2. The NPT maps L2's GPAs 1:1 onto L1's
 * for the first 4 GiB in 2 MiB pages, but for HOLE (0x200000-0x3fffff),
 * free RAM above the payload, until L2 faults there.
 */
#include "svm.h"

/* Plain numbers: the L2 code below pastes them into its assembly. */
#define HOLE	   0x200000
#define HOLE_VALUE 0x484f4c45484f4c45ULL /* what L1 leaves at HOLE: "ELOHELOH" */
#define OUT_PORT   0xe08 /* the test device's scratch register, if it ever got through */
#define OUT_VALUE  0x5a
#define MSR_READ   0xc0000080		 /* EFER: any MSR in an MSRPM range will do */
#define MSR_VALUE  0x1122334455667788ULL /* what L1 says L2's RDMSR read */
#define CPUID_EBX  0x4d564d4cU		 /* what L1 says L2's CPUID returned in EBX */

#define STR(x)	STR_(x)
#define STR_(x) #x

/*
 * L2: every instruction that exits has a label, so L1 can check the RIP it
 * exits at. Kept one instruction a line, out of clang-format's reach.
 */
/* clang-format off */
asm(".pushsection .text\n"
    "l2_main:\n"
    "	movl $0x80000000, %eax\n"
    "	xorl %ecx, %ecx\n"
    "l2_cpuid:\n"
    "	cpuid\n"
    "l2_hlt:\n"
    "	hlt\n"
    "	movl $" STR(OUT_PORT) ", %edx\n"
    "	movb $" STR(OUT_VALUE) ", %al\n"
    "l2_out:\n"
    "	outb %al, %dx\n"
    "	movl $" STR(MSR_READ) ", %ecx\n"
    "l2_rdmsr:\n"
    "	rdmsr\n"
    "l2_vmmcall:\n"
    "	vmmcall\n"
    "l2_npf:\n"
    "	movq " STR(HOLE) ", %rax\n"
    "l2_ud:\n"
    "	ud2\n"
    ".popsection");
/* clang-format on */

void l2_main(void);
extern char l2_cpuid[], l2_hlt[], l2_out[], l2_rdmsr[], l2_vmmcall[], l2_npf[], l2_ud[];

static struct svm svm;
static uint8_t l2_stack[4096] __attribute__((aligned(16)));

static void on_cpuid(struct svm *s)
{
	s->vmcb.save.rax = 0;
	s->gprs.rbx = CPUID_EBX;
	s->gprs.rcx = 0;
	s->gprs.rdx = 0;
	report(svm_skip(s), "CPUID: L1 emulated it and moved RIP past it");
}

static void on_hlt(struct svm *s)
{
	report(svm_skip(s), "HLT: L1 moved RIP past it");
}

static void on_ioio(struct svm *s)
{
	uint64_t info1 = s->vmcb.control.exit_info1;

	report(SVM_IOIO_PORT(info1) == OUT_PORT && !(info1 & SVM_IOIO_IN) &&
		       (info1 & SVM_IOIO_SZ8) && !(info1 & (SVM_IOIO_STR | SVM_IOIO_REP)),
	       "IOIO: EXITINFO1 0x%llx says a one-byte OUT to port 0x%x", (unsigned long long)info1,
	       OUT_PORT);
	report(s->vmcb.control.exit_info2 == (uintptr_t)l2_out + 1,
	       "IOIO: EXITINFO2 0x%llx is the RIP after the 1-byte OUT",
	       (unsigned long long)s->vmcb.control.exit_info2);
	report((uint8_t)s->vmcb.save.rax == OUT_VALUE, "IOIO: L2's AL is 0x%x",
	       (unsigned int)(uint8_t)s->vmcb.save.rax);
	svm_skip(s);
}

static void on_msr(struct svm *s)
{
	report(s->vmcb.control.exit_info1 == 0 && (uint32_t)s->gprs.rcx == MSR_READ,
	       "MSR: EXITINFO1 %llu (read) of MSR 0x%x in L2's ECX",
	       (unsigned long long)s->vmcb.control.exit_info1, (uint32_t)s->gprs.rcx);
	s->vmcb.save.rax = (uint32_t)MSR_VALUE;
	s->gprs.rdx = MSR_VALUE >> 32;
	svm_skip(s);
}

static void on_vmmcall(struct svm *s)
{
	uint64_t msr = (s->gprs.rdx << 32) | (uint32_t)s->vmcb.save.rax;

	report((uint32_t)s->gprs.rbx == CPUID_EBX, "VMMCALL: L2's EBX 0x%x is what L1's CPUID gave",
	       (uint32_t)s->gprs.rbx);
	report(msr == MSR_VALUE, "VMMCALL: L2's EDX:EAX 0x%llx is what L1's RDMSR gave",
	       (unsigned long long)msr);
	if (s->features & SVM_FEAT_NRIPS)
		report(s->exit.insn_len == 3, "VMMCALL: nRIP says 3 bytes, got %llu",
		       (unsigned long long)s->exit.insn_len);
	svm_skip(s);
}

static void on_npf(struct svm *s)
{
	uint64_t info1 = s->vmcb.control.exit_info1;

	report(s->vmcb.control.exit_info2 == HOLE, "NPF: EXITINFO2 0x%llx is the hole's GPA",
	       (unsigned long long)s->vmcb.control.exit_info2);
	report(!(info1 & (SVM_NPF_P | SVM_NPF_W)),
	       "NPF: EXITINFO1 0x%llx says a read of a page not present",
	       (unsigned long long)info1);
	/* Map it and let L2 retry the read: RIP stays on the faulting instruction. */
	svm_npt_map(s, HOLE, 1);
}

static void on_ud(struct svm *s)
{
	report(s->vmcb.save.rax == HOLE_VALUE, "#UD: L2's retried read got 0x%llx from the hole",
	       (unsigned long long)s->vmcb.save.rax);
	report(s->vmcb.control.exit_int_info == 0, "#UD: EXITINTINFO is 0 (no event was being "
						   "delivered)");
}

struct step {
	uint64_t code;
	const char *name;
	const char *rip;
	void (*handle)(struct svm *s);
};

static const struct step steps[] = {
	{ SVM_EXIT_CPUID, "CPUID", l2_cpuid, on_cpuid },
	{ SVM_EXIT_HLT, "HLT", l2_hlt, on_hlt },
	{ SVM_EXIT_IOIO, "IOIO", l2_out, on_ioio },
	{ SVM_EXIT_MSR, "MSR", l2_rdmsr, on_msr },
	{ SVM_EXIT_VMMCALL, "VMMCALL", l2_vmmcall, on_vmmcall },
	{ SVM_EXIT_NPF, "NPF", l2_npf, on_npf },
	{ SVM_EXIT_EXCP(6), "#UD", l2_ud, on_ud },
};

int main(void)
{
	*(volatile uint64_t *)HOLE = HOLE_VALUE;
	svm_setup(&svm, l2_main, l2_stack + sizeof(l2_stack));
	svm_npt_init(&svm);
	svm_npt_map(&svm, HOLE, 0);
	svm.vmcb.control.intercept3 |= SVM_INTERCEPT3_CPUID | SVM_INTERCEPT3_HLT;
	svm.vmcb.control.intercept4 |= SVM_INTERCEPT4_VMMCALL;
	svm.vmcb.control.intercept_exc |= 1U << 6;
	svm_intercept_io(&svm, OUT_PORT);
	svm_intercept_msr(&svm, MSR_READ, 0);

	for (unsigned int i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		const struct step *w = &steps[i];
		uint64_t code = svm_run(&svm)->reason;

		report(code == w->code && svm.vmcb.save.rip == (uintptr_t)w->rip,
		       "exit %u: wanted %s (0x%llx) at 0x%lx, got 0x%llx at 0x%llx", i + 1, w->name,
		       (unsigned long long)w->code, (unsigned long)(uintptr_t)w->rip,
		       (unsigned long long)code, (unsigned long long)svm.vmcb.save.rip);
		if (code != w->code)
			return MVM_FAIL; /* the rest of L2's script would not line up */
		w->handle(&svm);
	}
	return MVM_PASS;
}
