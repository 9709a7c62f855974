/* SPDX-License-Identifier: MIT */
/*
 * guest_exception - a deliberate #UD and a deliberate #PF, each caught by
 * the SDK's IDT as an expected exception, reported, and resumed after.
 *
 * KVM path: #UD is intercepted (VMX exception bitmap, SVM INTERCEPT_UD):
 * handle_ud / ud_interception -> kvm_emulate_instruction(EMULTYPE_TRAP_UD),
 * which cannot emulate UD2 and queues #UD back into the guest. #PF is not
 * intercepted with EPT/NPT and goes straight to the guest IDT. Neither
 * reaches userspace; the host sees the handler's MVM_CALL_EXCEPTION and
 * the MVM_CALL_REPORT calls: KVM_EXIT_IO via kvm_fast_pio.
 *
 * Memory map (long mode): payload at MVM_LOAD_GPA (0x100000), stack below
 * MVM_STACK_TOP (0x90000), IDT in the payload's .bss. PF_ADDR
 * (0x40000000000, 4 TiB) is canonical but above MVM_IDMAP_LIMIT, so the
 * VMM's page tables leave it not present.
 */
#include "mvm_guest.h"

#define X86_VEC_UD 6
#define X86_VEC_PF 14
#define PF_ADDR	   0x40000000000ULL

static void test_ud(void)
{
	struct mvm_fault f;
	uintptr_t insn;

	mvm_fault_expect(&f);
	asm volatile("lea 1f(%%rip), %0\n\t" MVM_TRY_BEGIN "1: ud2\n\t" MVM_TRY_END
		     : "=r"(insn)
		     :
		     : "memory");
	mvm_fault_end(&f);

	report(f.taken, "#UD: taken");
	report(f.vector == X86_VEC_UD, "#UD: vector %u (got %llu)", X86_VEC_UD,
	       (unsigned long long)f.vector);
	report(f.rip == insn, "#UD: rip is the ud2");
}

static void test_pf(void)
{
	volatile uint64_t *p = (volatile uint64_t *)PF_ADDR;
	uint64_t val = 0x5a5a;
	struct mvm_fault f;
	uintptr_t insn;

	mvm_fault_expect(&f);
	asm volatile("lea 1f(%%rip), %0\n\t" MVM_TRY_BEGIN "1: movq %2, %1\n\t" MVM_TRY_END
		     : "=&r"(insn), "+r"(val)
		     : "m"(*p)
		     : "memory");
	mvm_fault_end(&f);

	report(f.taken, "#PF: taken");
	report(f.vector == X86_VEC_PF, "#PF: vector %u (got %llu)", X86_VEC_PF,
	       (unsigned long long)f.vector);
	report(!(f.error_code & X86_PF_P), "#PF: error code P=0 (got %#llx)",
	       (unsigned long long)f.error_code);
	report(!(f.error_code & X86_PF_W), "#PF: error code W=0 for a read");
	report(f.cr2 == PF_ADDR, "#PF: CR2 %#llx (got %#llx)", PF_ADDR, (unsigned long long)f.cr2);
	report(f.rip == insn, "#PF: rip is the load");
	report(val == 0x5a5a, "#PF: the load's destination is untouched");
}

static void test_no_fault(void)
{
	struct mvm_fault f;

	mvm_fault_expect(&f);
	asm volatile(MVM_TRY_BEGIN "nop\n\t" MVM_TRY_END : : : "memory");
	report(!mvm_fault_end(&f), "no exception: not taken");
}

int main(void)
{
	test_ud();
	test_pf();
	test_no_fault();
	report(1, "execution continues after the exceptions");
	return report_summary();
}
