/* SPDX-License-Identifier: MIT */
/*
 * guest_vmx_pml - nested page-modification logging: which of L2's writes
 * does L1's log see? The payload is an L1 hypervisor that runs L2 under its
 * identity EPT with the EPT accessed/dirty flags on (EPTP bit 6) and PML
 * enabled (secondary control bit 17). The CPU then logs the guest-physical
 * address (4 KiB aligned) of each write that sets a dirty flag in an EPT
 * leaf entry at PML_ADDRESS + 8 * GUEST_PML_INDEX and decrements the index;
 * once the index has gone below 0 (it wraps to 0xffff), the next write to
 * log is a PML-full exit (62) instead, at the writing instruction, with
 * nothing logged (SDM vol. 3, 29.3.6). L1's EPT maps 2 MiB per leaf, so a
 * page is logged once per 2 MiB, at its first write.
 *
 * L2 writes four times from the base L1 leaves in RBX: base, base + 2 MiB,
 * base again, base + 4 MiB, then VMCALLs.
 *   A. index 511, base W_A (three 2 MiB pages nobody wrote): the log gains
 *      W_A, W_A + 2 MiB, W_A + 4 MiB, in that order, not the repeated page.
 *      Entries of L2's first memory accesses may come before them (with
 *      EPT A/D flags on, the CPU's walks of L2's page tables, in L1's first
 *      2 MiB, count as writes); L1 prints the whole log.
 *   B. index 1, base W_B: two entries fill the log (indexes 1 and 0); the
 *      third write to log is a PML-full exit at l2_w3. L1 sets the index
 *      back to 511 and resumes; the write is retried and logged at 511.
 *
 * KVM path (L0): KVM offers L1 PML only when it uses the EPT A/D flags
 * itself (kvm_intel eptad=1), and emulates it: L2 runs on L0's shadow of
 * L1's EPT, whose entries for a leaf L1 left clean are read-only, so L2's
 * first write faults in L0; L0's walker of L1's EPT sets the dirty flag
 * (ept_update_accessed_dirty_bits) and logs the address in L1's buffer
 * through nested_vmx_write_pml_buffer; a full buffer makes that walk fail,
 * and nested_ept_inject_page_fault turns it into the PML-full exit to L1.
 *
 * Memory map (long mode): payload at MVM_LOAD_GPA (0x100000) with struct
 * vmx, the PML page and L2's stack in its .bss; L1's page tables at
 * MVM_PT_GPA (0x10000), shared by L2. W_A (0x800000) and W_B (0xe00000)
 * and the 2 MiB pages after them are RAM nobody else touches.
 */
#include "vmx.h"

#define W_A	    0x800000
#define W_B	    0xe00000
#define MIB2	    0x200000
#define PML_ENTRIES 512
#define PML_WRAPPED 0xffff /* the index after logging at 0 */

/* clang-format off */
asm(".pushsection .text\n"
    "l2_main:\n"
    "l2_w1:\n"
    "	movq %rax, (%rbx)\n"
    "	leaq 0x200000(%rbx), %rdx\n"
    "l2_w2:\n"
    "	movq %rax, (%rdx)\n"
    "	movq %rax, 8(%rbx)\n"
    "	leaq 0x400000(%rbx), %rdx\n"
    "l2_w3:\n"
    "	movq %rax, (%rdx)\n"
    "l2_done:\n"
    "	vmcall\n"
    ".popsection");
/* clang-format on */

void l2_main(void);
extern char l2_w3[], l2_done[];

static struct vmx vmx;
static uint8_t l2_stack[4096] __attribute__((aligned(16)));
static uint64_t pml[PML_ENTRIES] __attribute__((aligned(4096)));

/* L2 starts over at l2_main writing from base, with the PML index at index. */
static void l2_restart(uint64_t base, uint16_t index)
{
	memset(&vmx.l2, 0, sizeof(vmx.l2));
	vmx.l2.rbx = base;
	vmwrite(GUEST_RIP, (uintptr_t)l2_main);
	vmwrite(GUEST_RSP, (uintptr_t)(l2_stack + sizeof(l2_stack)));
	vmwrite(GUEST_PML_INDEX, index);
}

/* Prints the entries from index from down to (not including) the current index. */
static uint64_t print_log(const char *run, uint64_t from)
{
	uint64_t idx = vmread(GUEST_PML_INDEX);
	uint64_t end = idx >= PML_ENTRIES ? 0 : idx + 1;

	mvm_printf("%s: PML index 0x%llx", run, (unsigned long long)idx);
	for (uint64_t i = from + 1; i-- > end;)
		mvm_printf("%s: pml[%llu] = 0x%llx", run, (unsigned long long)i,
			   (unsigned long long)pml[i]);
	return idx;
}

/* Whether entries hi..lo (hi >= lo) end with want[0..n-1], in order, each once. */
static int log_ends_with(uint64_t hi, uint64_t lo, const uint64_t *want, unsigned int n)
{
	if (hi - lo + 1 < n)
		return 0;
	for (unsigned int k = 0; k < n; k++)
		if (pml[lo + n - 1 - k] != want[k])
			return 0;
	/* What comes before L2's own writes is L1's first 2 MiB (its page tables). */
	for (uint64_t i = lo + n; i <= hi; i++)
		if (pml[i] >= MIB2)
			return 0;
	return 1;
}

int main(void)
{
	struct vmx_config cfg = { .ept = 1 };
	const uint64_t want_a[] = { W_A, W_A + MIB2, W_A + 2 * MIB2 };
	uint64_t caps2, idx;

	vmx_setup(&vmx, l2_main, l2_stack + sizeof(l2_stack), &cfg);
	caps2 = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2) >> 32;
	mvm_printf("vmx: secondary controls allowed 0x%llx, EPT/VPID capabilities 0x%llx",
		   (unsigned long long)caps2, (unsigned long long)vmx.ept_cap);
	if (!(caps2 & CPU2_ENABLE_PML))
		mvm_skip("L0 offers L1 no PML (IA32_VMX_PROCBASED_CTLS2 bit 49 is clear)");
	if (!(vmx.ept_cap & EPT_CAP_AD))
		mvm_skip("L0 offers L1 no EPT accessed/dirty flags (IA32_VMX_EPT_VPID_CAP bit 21)");
	memset(pml, 0, sizeof(pml));
	vmwrite(EPT_POINTER, vmx.eptp | EPTP_AD);
	vmx.proc2 |= CPU2_ENABLE_PML;
	vmwrite(SECONDARY_VM_EXEC_CONTROL, vmx.proc2);
	vmwrite(PML_ADDRESS, pa(pml));

	mvm_printf("A: PML index 511, writes from 0x%x", W_A);
	l2_restart(W_A, PML_ENTRIES - 1);
	if (!vmx_expect(&vmx, EXIT_REASON_VMCALL, "VMCALL", l2_done))
		return MVM_FAIL;
	idx = print_log("A", PML_ENTRIES - 1);
	report(idx < PML_ENTRIES && log_ends_with(PML_ENTRIES - 1, idx + 1, want_a, 3),
	       "A: the log ends with 0x%x, 0x%x, 0x%x, once each, after entries below 2 MiB only",
	       W_A, W_A + MIB2, W_A + 2 * MIB2);

	mvm_printf("B: PML index 1, writes from 0x%x", W_B);
	l2_restart(W_B, 1);
	if (!vmx_expect(&vmx, EXIT_REASON_PML_FULL, "PML full", l2_w3))
		return MVM_FAIL;
	idx = print_log("B", 1);
	report(idx == PML_WRAPPED && pml[1] == W_B && pml[0] == W_B + MIB2,
	       "B, at the PML-full exit: index 0x%llx, pml[1] 0x%llx, pml[0] 0x%llx",
	       (unsigned long long)idx, (unsigned long long)pml[1], (unsigned long long)pml[0]);
	vmwrite(GUEST_PML_INDEX, PML_ENTRIES - 1);
	if (!vmx_expect(&vmx, EXIT_REASON_VMCALL, "VMCALL", l2_done))
		return MVM_FAIL;
	idx = print_log("B", PML_ENTRIES - 1);
	report(idx == PML_ENTRIES - 2 && pml[PML_ENTRIES - 1] == W_B + 2 * MIB2,
	       "B, after the retry: index 0x%llx, pml[511] 0x%llx (wanted 0x1fe and 0x%x)",
	       (unsigned long long)idx, (unsigned long long)pml[PML_ENTRIES - 1], W_B + 2 * MIB2);
	vmx_off(&vmx);
	return MVM_PASS;
}
