/* SPDX-License-Identifier: MIT */
/*
 * guest_mode - built once per start mode (EXPECT_MODE): checks that CR0,
 * CR4 and EFER, as the guest reads them, describe the mode the VMM was
 * asked to build.
 *
 * KVM path: the VMM's KVM_SET_SREGS (kvm_arch_vcpu_ioctl_set_sregs ->
 * __set_sregs -> kvm_set_cr0/cr4, set_efer and the MMU reset for the new
 * paging mode) decides what these reads see. MOV from CR0/CR3/CR4 and
 * RDMSR of EFER are served without an exit on VMX and SVM (CR0/CR4 through
 * read shadows); the results go out as KVM_EXIT_IO call exits.
 *
 * Memory map: real mode loads at MVM_RAW_LOAD_GPA (0x8000) with SS=0 and
 * SP=MVM_REAL_STACK_TOP (0x8000), everything below 64 KiB; the other modes
 * load at MVM_LOAD_GPA (0x100000) with the stack below MVM_STACK_TOP
 * (0x90000). Call port MVM_CALL_PORT (0x500).
 */
#include "mvm_guest.h"

#ifndef EXPECT_MODE
#error "build with -DEXPECT_MODE=MVM_MODE_..."
#endif

static const char *const mode_names[MVM_MODE_COUNT] = {
	[MVM_MODE_REAL] = "real", [MVM_MODE_PROT32] = "prot32", [MVM_MODE_PAGING32] = "paging32",
	[MVM_MODE_PAE] = "pae",	  [MVM_MODE_LONG] = "long",	[MVM_MODE_LA57] = "la57",
};

static void check_mode(unsigned long cr0, unsigned long cr4, uint64_t efer)
{
	int pe = !!(cr0 & X86_CR0_PE), pg = !!(cr0 & X86_CR0_PG);
	int pae = !!(cr4 & X86_CR4_PAE), la57 = !!(cr4 & X86_CR4_LA57);
	int lma = !!(efer & EFER_LMA);

	switch (EXPECT_MODE) {
	case MVM_MODE_REAL: report(!pe, "real: CR0.PE=0 (got %d)", pe); break;
	case MVM_MODE_PROT32:
		report(pe, "prot32: CR0.PE=1 (got %d)", pe);
		report(!pg, "prot32: CR0.PG=0 (got %d)", pg);
		break;
	case MVM_MODE_PAGING32:
		report(pg, "paging32: CR0.PG=1 (got %d)", pg);
		report(!pae, "paging32: CR4.PAE=0 (got %d)", pae);
		break;
	case MVM_MODE_PAE:
		report(pg, "pae: CR0.PG=1 (got %d)", pg);
		report(pae, "pae: CR4.PAE=1 (got %d)", pae);
		report(!lma, "pae: EFER.LMA=0 (got %d)", lma);
		break;
	case MVM_MODE_LONG:
		report(lma, "long: EFER.LMA=1 (got %d)", lma);
		report(pae, "long: CR4.PAE=1 (got %d)", pae);
		report(!la57, "long: CR4.LA57=0 (got %d)", la57);
		break;
	case MVM_MODE_LA57:
		report(lma, "la57: EFER.LMA=1 (got %d)", lma);
		report(la57, "la57: CR4.LA57=1 (got %d)", la57);
		break;
	}
}

int main(void)
{
	unsigned long cr0 = read_cr0(), cr2 = read_cr2(), cr3 = read_cr3(), cr4 = read_cr4();
	uint64_t efer = rdmsr(MSR_EFER);

	mvm_printf("guest_mode: %s mode: cr0=%#lx cr2=%#lx cr3=%#lx cr4=%#lx efer=%#llx\n",
		   mode_names[EXPECT_MODE], cr0, cr2, cr3, cr4, (unsigned long long)efer);
	check_mode(cr0, cr4, efer);
	return report_summary();
}
