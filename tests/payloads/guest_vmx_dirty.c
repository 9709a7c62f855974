/* SPDX-License-Identifier: MIT */
/*
 * guest_vmx_dirty - dirty logging seen through two levels: L1 (the payload,
 * a VMX hypervisor) asks the host to log the test slot, then runs an L2
 * whose EPT maps the slot identically but for one page, and takes a
 * checkpoint at each of L2's VMCALLs. What the host logs are L1
 * guest-physical pages, whoever wrote them and through whatever mapping.
 *
 * KVM path (L0): L2's writes go through L0's shadow of L1's EPT (the nested
 * MMU: kvm_tdp_mmu is not used for L2, FNAME(page_fault) of the ept
 * paging_tmpl walks L1's tables), and mark_page_dirty_in_slot sets the bit
 * of the L1 gfn the walk ended on; the write-protection that logging starts
 * (kvm_mmu_slot_apply_flags) covers the shadow pages too. The EPT hole is
 * nested_ept_inject_page_fault -> nested_vmx_vmexit; L1's INVEPT after it
 * fills the hole is handle_invept, which drops L0's shadow roots for that
 * EPTP. Each VMCALL is an exit given to L1 (nested_vmx_reflect_vmexit).
 *
 * Memory map (long mode, L1 and L2 share L1's page tables): payload at
 * MVM_LOAD_GPA (0x100000) with struct vmx in its .bss, L1's stack below
 * MVM_STACK_TOP (0x90000), page tables at MVM_PT_GPA (0x10000), none of
 * them in the logged slot. The test slot MVM_SLOT_TEST at MVM_TEST_SLOT_GPA
 * (0xe0000000, 16 MiB) is mapped by L1's EPT as L2 GPA = L1 GPA, except
 * L2's page 512 (0xe0200000): a hole until L2 writes it, then L1 maps it to
 * its own page 768 (0xe0300000).
 *
 * Expected dirty pages of the test slot, as page numbers from 0xe0000000
 * (L1 guest-physical, as the host logs them):
 *   checkpoint 1: none            (logging on, L2 not started)
 *   checkpoint 2: 0, 5            (L2's single pages)
 *   checkpoint 3: 16, 18, 20, 22, 32-39 (a stride of 2, then a run of 8)
 *   checkpoint 4: 49              (48 only read; 49 written twice)
 *   checkpoint 5: 63, 64          (one 8-byte write across a page boundary)
 *   checkpoint 6: 100, 101        (100 written by L1 itself, 101 by L2)
 *   checkpoint 7: 768             (L2 wrote its page 512: EPT violation,
 *                                 L1 maps it to page 768, the write lands there)
 *   checkpoint 8: 1024-1279       (256 pages in one go)
 *   log_stop:     none
 *   checkpoint 9 and the end: no dirty record (page 1300 written with logging off)
 */
#include "vmx.h"

#define PAGE	   4096UL
#define L2_HOLE	   512 /* L2's page left out of the EPT map */
#define L1_REMAP   768 /* L1's page that L2's hole is mapped to */
#define PHASES	   8   /* L2's VMCALLs: checkpoints 2 to 9 */
#define HOLE_VALUE 0x5151515151515151ULL

static struct vmx vmx;
static uint8_t l2_stack[4096] __attribute__((aligned(16)));

static volatile uint64_t *page(unsigned long n)
{
	return (volatile uint64_t *)(uintptr_t)(MVM_TEST_SLOT_GPA + n * PAGE);
}

static inline void l2_vmcall(void)
{
	asm volatile("vmcall" : : : "memory");
}

/* L2: one batch of writes per phase, a VMCALL after each (L1 takes a checkpoint there). */
static void __attribute__((noreturn)) l2_dirty(void)
{
	volatile uint64_t *cross;
	uint64_t sum = 0;

	*page(0) = 0x1111;
	*page(5) = 0x5555;
	l2_vmcall();
	for (unsigned long n = 16; n <= 22; n += 2)
		*page(n) = n;
	for (unsigned long n = 32; n < 40; n++)
		*page(n) = n;
	l2_vmcall();
	sum += *page(48);
	*page(49) = 1;
	*page(49) = 2 + sum;
	l2_vmcall();
	/* Unaligned on purpose: four bytes land on page 63, four on page 64. */
	cross = (volatile uint64_t *)(uintptr_t)(MVM_TEST_SLOT_GPA + 64 * PAGE - 4);
	*cross = 0x0102030405060708ULL;
	l2_vmcall();
	*page(101) = 101;
	l2_vmcall();
	*page(L2_HOLE) = HOLE_VALUE;
	l2_vmcall();
	for (unsigned long n = 1024; n < 1280; n++)
		*page(n) = n;
	l2_vmcall();
	*page(1300) = 1300;
	for (;;)
		l2_vmcall();
}

struct phase {
	const char *label;
	void (*before)(void); /* what L1 does before resuming L2 for this phase */
};

static void l1_writes_page_100(void)
{
	*page(100) = 100;
}

static void l1_stops_logging(void)
{
	mvm_mem(MVM_MEM_LOG_STOP, MVM_SLOT_TEST, 0);
}

static const struct phase phases[PHASES] = {
	{ "L2: pages 0 and 5", NULL },
	{ "L2: stride 2 from 16, run 32-39", NULL },
	{ "L2: 48 read, 49 written twice", NULL },
	{ "L2: one write across pages 63 and 64", NULL },
	{ "L1: page 100, L2: page 101", l1_writes_page_100 },
	{ "L2: its page 512, L1's page 768", NULL },
	{ "L2: run of 256 pages from 1024", NULL },
	{ "L2: page 1300 with logging off", l1_stops_logging },
};

/* Runs L2 to its next VMCALL; an EPT violation on the hole on the way is fixed. */
static int run_to_vmcall(struct vmx *v)
{
	char buf[160];

	for (;;) {
		const struct mvm_call_l2_exit *e = vmx_run(v);

		if (!e) {
			report(0, "entry into L2: %s",
			       vmx_status_str(v->status, v->error, buf, sizeof(buf)));
			return 0;
		}
		if (e->reason == EXIT_REASON_VMCALL) {
			vmx_skip(v, 0);
			return 1;
		}
		/* info2: the guest-physical address; info1: the qualification. */
		if (e->reason != EXIT_REASON_EPT_VIOLATION || e->info2 != v->cfg.ept_hole) {
			report(0,
			       "wanted a VMCALL or an EPT violation at 0x%llx, got reason %u gpa "
			       "0x%llx",
			       (unsigned long long)v->cfg.ept_hole, (unsigned int)e->reason,
			       (unsigned long long)e->info2);
			return 0;
		}
		report((e->info1 & 0x7) == 0x2 /* a data write */,
		       "L2's write to its page %d is an EPT violation (qualification 0x%llx)",
		       L2_HOLE, (unsigned long long)e->info1);
		vmx_ept_map_hole(v, (uint64_t)(uintptr_t)page(L1_REMAP));
	}
}

int main(void)
{
	struct vmx_config cfg = {
		.ept = 1,
		.ept_hole = MVM_TEST_SLOT_GPA + L2_HOLE * PAGE,
	};

	/* As if l2_dirty had been called: C code expects RSP 8 past a 16-byte boundary. */
	vmx_setup(&vmx, l2_dirty, l2_stack + sizeof(l2_stack) - 8, &cfg);
	mvm_mem(MVM_MEM_LOG_START, MVM_SLOT_TEST, 0);
	mvm_checkpoint(1, "logging on");
	for (int i = 0; i < PHASES; i++) {
		if (phases[i].before)
			phases[i].before();
		if (!run_to_vmcall(&vmx)) {
			vmx_off(&vmx);
			return MVM_FAIL;
		}
		mvm_checkpoint((uint64_t)i + 2, phases[i].label);
	}
	vmx_off(&vmx);

	report(*page(49) == 2 && *page(100) == 100 && *page(101) == 101 && *page(1279) == 1279 &&
		       *page(1300) == 1300,
	       "L2's and L1's writes read back in L1");
	report(*page(L1_REMAP) == HOLE_VALUE && *page(L2_HOLE) == 0,
	       "L2's page %d landed in L1's page %d (0x%llx), L1's page %d is untouched (0x%llx)",
	       L2_HOLE, L1_REMAP, (unsigned long long)*page(L1_REMAP), L2_HOLE,
	       (unsigned long long)*page(L2_HOLE));
	return MVM_PASS;
}
