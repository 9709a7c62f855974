/* SPDX-License-Identifier: MIT */
/*
 * guest_emulate_fep - KVM's forced-emulation prefix: "ud2; .ascii \"kvm\""
 * before an instruction makes KVM emulate that instruction even where the
 * CPU would run it; skips (77) where the host's KVM does not honour it.
 *
 * KVM path: ud2 raises #UD, which KVM intercepts (handle_ud on VMX,
 * ud_interception on SVM) -> handle_ud sees the prefix, and with
 * kvm.force_emulation_prefix set, skips it and calls
 * kvm_emulate_instruction(EMULTYPE_TRAP_UD_FORCED) on what follows. With
 * the parameter clear, the #UD goes into the guest: the SDK catches it as
 * an expected exception and the payload skips, naming the parameter (the
 * guest cannot read sysfs; the #UD is how it finds out).
 *
 * Memory map (long mode): payload at MVM_LOAD_GPA (0x100000), stack below
 * MVM_STACK_TOP (0x90000), test device scratch at 0xd0000008.
 */
#include "mvm_guest.h"

#define SCRATCH (MVM_TESTDEV_MMIO_GPA + MVM_TESTDEV_REG_SCRATCH)
#define FEP	"ud2; .ascii \"kvm\"\n\t"

int main(void)
{
	struct mvm_fault f;
	uint32_t v = 41;

	mvm_fault_expect(&f);
	asm volatile(MVM_TRY_BEGIN FEP "addl $1, %0\n\t" MVM_TRY_END : "+r"(v) : : "memory", "cc");
	if (mvm_fault_end(&f))
		mvm_skip("the forced-emulation prefix raised #UD: kvm.force_emulation_prefix is "
			 "off");
	report(v == 42, "fep: add emulated, 41 + 1 = %u", v);
	/* An MMIO store through the prefix: emulated from the #UD, not the MMU. */
	asm volatile(FEP "movl %1, (%0)" : : "r"(SCRATCH), "r"(0x600dU) : "memory");
	report(mmio_read32(SCRATCH) == 0x600d, "fep: MMIO store emulated");
	return report_summary();
}
