/* SPDX-License-Identifier: MIT */
/*
 * guest_vmx_vmread - an L1 VMX hypervisor that is VMREAD/VMWRITE-heavy: L2
 * loops on CPUID (leaf n on the n-th pass) and L1 takes 100 such exits,
 * doing 32 VMREADs and VMWRITEs between each, and checks that every value
 * reads back and that L2's registers survive each round trip.
 *
 * KVM path (L0): each VMREAD/VMWRITE of L1 is handle_vmread/handle_vmwrite
 * (vmcs12 fields in L0's memory; the fields KVM shadows are served by the
 * shadow VMCS without an exit when the CPU has VMCS shadowing), each CPUID
 * of L2 is an exit that nested_vmx_reflect_vmexit always gives to L1
 * (nested_vmx_vmexit -> sync_vmcs02_to_vmcs12), each VMRESUME is
 * handle_vmresume -> nested_vmx_run. No EPT for L2 here: L2's addresses are
 * L1's, and L0 maps both with the same tables.
 *
 * Memory map (long mode, L1 and L2 share it): payload at MVM_LOAD_GPA
 * (0x100000) with struct vmx (VMXON region, VMCS, bitmaps, L2's stack) in
 * its .bss, L1's stack below MVM_STACK_TOP (0x90000), page tables at
 * MVM_PT_GPA (0x10000), L2 using L1's CR3.
 */
#include "vmx.h"

#define EXITS  100
#define ROUNDS 2      /* of 16 VMREAD/VMWRITE each, per exit */
#define ANSWER 0x1000 /* L1's CPUID answers leaf n with EAX = n + ANSWER */

static struct vmx vmx;
static uint8_t l2_stack[4096] __attribute__((aligned(16)));
volatile uint32_t l2_wrong_answers;

static void __attribute__((noreturn)) l2_cpuid_loop(void)
{
	for (uint32_t n = 0;; n++) {
		uint32_t a = n, b, c = 0, d;

		asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
		if (a != n + ANSWER)
			l2_wrong_answers++;
	}
}

/*
 * Fields L1 may scribble on without changing what L2 sees: TSC offsetting is
 * off, and with the CR0/CR4 guest/host masks 0 the read shadows are unused;
 * L2 never executes SYSENTER. (KVM's vmcs12 has no CR3-target values: error 12.)
 */
static const uint32_t scratch[] = { TSC_OFFSET, CR0_READ_SHADOW, CR4_READ_SHADOW,
				    GUEST_SYSENTER_ESP };
#define SCRATCH (sizeof(scratch) / sizeof(scratch[0]))

/* 8 reads of what the exit left, 4 writes and 4 read-backs of the scratch fields. */
static unsigned int vmcs_round(uint64_t seed, uint64_t rip, unsigned int *ops)
{
	static const uint32_t reads[] = { VM_EXIT_REASON, EXIT_QUALIFICATION,	   GUEST_RIP,
					  GUEST_RSP,	  VM_EXIT_INSTRUCTION_LEN, GUEST_CR3,
					  GUEST_RFLAGS,	  GUEST_CS_SELECTOR };
	uint64_t got[sizeof(reads) / sizeof(reads[0])];
	unsigned int bad = 0;

	for (unsigned int i = 0; i < sizeof(reads) / sizeof(reads[0]); i++)
		got[i] = vmread(reads[i]);
	bad += got[0] != EXIT_REASON_CPUID || got[1] != 0 || got[2] != rip || got[4] != 2;
	for (unsigned int t = 0; t < SCRATCH; t++)
		vmwrite(scratch[t], seed * SCRATCH + t);
	for (unsigned int t = 0; t < SCRATCH; t++)
		bad += vmread(scratch[t]) != seed * SCRATCH + t;
	*ops += sizeof(reads) / sizeof(reads[0]) + 2 * SCRATCH;
	return bad;
}

int main(void)
{
	struct vmx_config cfg = { 0 };
	unsigned int ops = 0, bad = 0, exits = 0, lost = 0;
	uint64_t rip = 0;
	char buf[160];

	/* As if l2_cpuid_loop had been called: C code expects RSP 8 past a 16-byte boundary. */
	vmx_setup(&vmx, l2_cpuid_loop, l2_stack + sizeof(l2_stack) - 8, &cfg);
	for (; exits < EXITS; exits++) {
		const struct mvm_call_l2_exit *e = vmx_run(&vmx);

		if (!e || e->reason != EXIT_REASON_CPUID) {
			report(0, "exit %u: wanted a CPUID exit (10), got %s, reason %u", exits,
			       vmx_status_str(vmx.status, vmx.error, buf, sizeof(buf)),
			       e ? (unsigned int)e->reason : 0);
			vmx_off(&vmx);
			return MVM_FAIL;
		}
		if (!rip)
			rip = e->guest_rip;
		/* L2 asks for leaf n on its n-th pass: RAX shows its registers came back. */
		lost += vmx.l2.rax != exits;
		for (unsigned int r = 0; r < ROUNDS; r++)
			bad += vmcs_round(exits * ROUNDS + r, rip, &ops);
		vmx.l2.rax = (uint32_t)vmx.l2.rax + ANSWER;
		vmx.l2.rbx = vmx.l2.rcx = vmx.l2.rdx = 0;
		vmx_skip(&vmx, 0);
	}
	vmx_off(&vmx);
	report(bad == 0, "%u CPUID exits, %u VMREAD/VMWRITE in L1 between them: %u mismatches",
	       exits, ops, bad);
	/* All of them, the SDK's included: L0's handle_vmread/handle_vmwrite counts. */
	mvm_printf("L1 executed %llu VMREADs and %llu VMWRITEs\n", (unsigned long long)vmx_vmreads,
		   (unsigned long long)vmx_vmwrites);
	report(lost == 0, "L2's RAX held its leaf at every exit: %u wrong", lost);
	report(l2_wrong_answers == 0, "L2 got L1's answer to every CPUID but the last: %u wrong",
	       l2_wrong_answers);
	return MVM_PASS;
}
