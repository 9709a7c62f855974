/* SPDX-License-Identifier: MIT */
/*
 * guest_ept - second-level faults: fresh pages, no slot, a read-only slot,
 * a deleted slot and a moved slot, as the guest asks for them.
 *
 * KVM path: the first touch of a page in a slot is an EPT violation / NPF
 * (or a shadow-MMU #PF) fixed in the kernel: kvm_mmu_page_fault ->
 * kvm_tdp_page_fault -> kvm_faultin_pfn, no exit to userspace. A GPA with no
 * slot (never backed, or deleted by KVM_SET_USER_MEMORY_REGION with size 0)
 * becomes an MMIO SPTE: handle_ept_misconfig / npf -> emulation ->
 * KVM_EXIT_MMIO. A write to a KVM_MEM_READONLY slot faults too and leaves
 * as KVM_EXIT_MMIO with is_write=1 (reads are served from memory). Moving a
 * slot is KVM_MR_MOVE: kvm_arch_flush_shadow_memslot zaps the old mappings.
 *
 * Memory map (long mode): payload at MVM_LOAD_GPA (0x100000), stack below
 * MVM_STACK_TOP (0x90000); test slot at MVM_TEST_SLOT_GPA (0xe0000000,
 * 16 MiB); read-only slot at MVM_ROM_SLOT_GPA (0xf0000000, 64 KiB, each
 * 8-byte word holds its own GPA); MVM_UNBACKED_GPA (0xc0000000) has no
 * slot; MOVED (0xe2000000) is free until the test slot moves there.
 *
 * Run it with --backing=anon and --backing=thp: the userspace trace is the
 * same, only the host mappings behind the faults differ.
 */
#include "mvm_guest.h"

#define PAGE	4096UL
#define FRESH	16
#define MOVED	0xe2000000UL
#define TEST(n) ((volatile uint64_t *)(uintptr_t)(MVM_TEST_SLOT_GPA + (n)*PAGE))

static void first_touch(void)
{
	int zero = 1, back = 1;

	for (unsigned long n = 0; n < FRESH; n++)
		zero &= *TEST(n) == 0;
	for (unsigned long n = FRESH; n < 2 * FRESH; n++) {
		*TEST(n) = n;
		back &= *TEST(n) == n;
	}
	report(zero, "first touch: %d fresh pages read as zero", FRESH);
	report(back, "first touch: %d fresh pages written and read back", FRESH);
}

static void unbacked(void)
{
	volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)MVM_UNBACKED_GPA;

	report(*p == 0xffffffff, "no slot: a read is an MMIO exit and gives all ones");
	*p = 0x600df00d;
	report(*p == 0xffffffff, "no slot: a write is an MMIO exit and changes nothing");
}

static void rom(void)
{
	volatile uint64_t *w = (volatile uint64_t *)(uintptr_t)(MVM_ROM_SLOT_GPA + 0x100);

	report(*w == MVM_ROM_SLOT_GPA + 0x100, "rom: a read comes from memory (0x%llx)",
	       (unsigned long long)*w);
	*w = 0xbad;
	report(*w == MVM_ROM_SLOT_GPA + 0x100, "rom: a write is an MMIO exit, memory keeps its value");
}

static void readonly_then_writable(void)
{
	*TEST(40) = 0x4040;
	mvm_mem(MVM_MEM_READONLY, MVM_SLOT_TEST, 0);
	*TEST(40) = 0xdead;
	report(*TEST(40) == 0x4040, "read-only test slot: the write exits, the read sees 0x4040");
	mvm_mem(MVM_MEM_WRITABLE, MVM_SLOT_TEST, 0);
	*TEST(40) = 0x4141;
	report(*TEST(40) == 0x4141, "writable again: the write lands");
}

static void delete_then_restore(void)
{
	*TEST(41) = 0x4242;
	mvm_mem(MVM_MEM_DELETE, MVM_SLOT_TEST, 0);
	report(*TEST(41) == ~0ULL, "deleted slot: a read is an MMIO exit (all ones)");
	*TEST(41) = 0xdead;
	mvm_mem(MVM_MEM_RESTORE, MVM_SLOT_TEST, 0);
	report(*TEST(41) == 0x4242, "restored slot: the old contents are back");
}

static void move_and_back(void)
{
	volatile uint64_t *moved = (volatile uint64_t *)(uintptr_t)(MOVED + 42 * PAGE);

	*TEST(42) = 0x4343;
	mvm_mem(MVM_MEM_MOVE, MVM_SLOT_TEST, MOVED);
	report(*moved == 0x4343, "moved slot: its page 42 is now at 0x%lx", (unsigned long)MOVED);
	report(*TEST(42) == ~0ULL, "moved slot: the old address is an MMIO exit");
	mvm_mem(MVM_MEM_MOVE, MVM_SLOT_TEST, MVM_TEST_SLOT_GPA);
	report(*TEST(42) == 0x4343, "moved back: page 42 is at its old address again");
}

int main(void)
{
	first_touch();
	mvm_checkpoint(1, "fresh pages");
	unbacked();
	rom();
	mvm_checkpoint(2, "no slot, read-only slot");
	readonly_then_writable();
	delete_then_restore();
	move_and_back();
	mvm_checkpoint(3, "slot changes");
	return MVM_PASS;
}
