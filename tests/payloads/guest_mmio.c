/* SPDX-License-Identifier: MIT */
/*
 * guest_mmio - MMIO of 1, 2, 4 and 8 bytes to the test device, string
 * instructions into it, and accesses to an address nothing claims.
 *
 * KVM path: the GPA has no memory slot, so the access faults in the MMU
 * (EPT misconfig / NPF, or an EPT violation the first time) ->
 * handle_ept_misconfig -> kvm_mmu_page_fault -> x86_emulate_instruction ->
 * emulator_read_emulated / emulator_write_emulated -> KVM_EXIT_MMIO; reads
 * complete through complete_emulated_mmio. REP MOVSB/STOSB are emulated one
 * element per exit. The console line first is one KVM_EXIT_IO per byte.
 *
 * Memory map (long mode): payload at MVM_LOAD_GPA (0x100000), stack below
 * MVM_STACK_TOP (0x90000). Test device at MVM_TESTDEV_MMIO_GPA (0xd0000000:
 * ID +0, scratch +8, counter +0x10); MVM_UNBACKED_GPA (0xc0000000) has no
 * slot and no device. Both are inside the VMM's 4 GiB identity map.
 */
#include "mvm_guest.h"

#define MMIO_ID	     (MVM_TESTDEV_MMIO_GPA + MVM_TESTDEV_REG_ID)
#define MMIO_SCRATCH (MVM_TESTDEV_MMIO_GPA + MVM_TESTDEV_REG_SCRATCH)
#define MMIO_COUNTER (MVM_TESTDEV_MMIO_GPA + MVM_TESTDEV_REG_COUNTER)

static void test_scratch(void)
{
	mmio_write64(MMIO_SCRATCH, 0);
	mmio_write8(MMIO_SCRATCH, 0xa5);
	report(mmio_read8(MMIO_SCRATCH) == 0xa5, "scratch: write8/read8 0xa5");
	mmio_write16(MMIO_SCRATCH, 0xbeef);
	report(mmio_read16(MMIO_SCRATCH) == 0xbeef, "scratch: write16/read16 0xbeef");
	mmio_write32(MMIO_SCRATCH, 0x12345678);
	report(mmio_read32(MMIO_SCRATCH) == 0x12345678, "scratch: write32/read32 0x12345678");
	mmio_write64(MMIO_SCRATCH, 0x0123456789abcdefULL);
	report(mmio_read64(MMIO_SCRATCH) == 0x0123456789abcdefULL, "scratch: write64/read64 "
								   "0x0123456789abcdef");

	/* A narrow access acts on the bytes it covers and no others. */
	mmio_write8(MMIO_SCRATCH + 3, 0x5a);
	report(mmio_read64(MMIO_SCRATCH) == 0x012345675aabcdefULL, "scratch: write8 +3 only");
	mmio_write16(MMIO_SCRATCH + 6, 0xf00d);
	report(mmio_read64(MMIO_SCRATCH) == 0xf00d45675aabcdefULL, "scratch: write16 +6 only");
	report(mmio_read32(MMIO_SCRATCH + 4) == 0xf00d4567, "scratch: read32 +4");
	report(mmio_read8(MMIO_SCRATCH + 2) == 0xab, "scratch: read8 +2");
}

static void test_id(void)
{
	report(mmio_read64(MMIO_ID) == MVM_TESTDEV_ID, "id: read64 is MVM_TESTDEV_ID");
	report(mmio_read32(MMIO_ID) == (uint32_t)MVM_TESTDEV_ID, "id: read32 +0 is the low half");
	report(mmio_read32(MMIO_ID + 4) == (uint32_t)(MVM_TESTDEV_ID >> 32), "id: read32 +4 is the "
									     "high half");
	report(mmio_read16(MMIO_ID + 2) == (uint16_t)(MVM_TESTDEV_ID >> 16), "id: read16 +2");
	report(mmio_read8(MMIO_ID + 7) == (uint8_t)(MVM_TESTDEV_ID >> 56), "id: read8 +7");
}

static void test_counter(void)
{
	uint32_t i;

	/* Each read returns how many counter reads came before it. */
	for (i = 0; i < 3; i++) {
		uint32_t got = mmio_read32(MMIO_COUNTER);

		report(got == i, "counter: read32 #%u gives %u (got %u)", i, i, got);
	}
	report(mmio_read8(MMIO_COUNTER) == 3, "counter: read8 gives 3");
	report(mmio_read16(MMIO_COUNTER) == 4, "counter: read16 gives 4");
	report(mmio_read64(MMIO_COUNTER) == 5, "counter: read64 gives 5");
}

static void test_string(void)
{
	static const uint8_t src[8] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };
	const void *s = src;
	uintptr_t d = MMIO_SCRATCH;
	size_t n = sizeof(src);

	asm volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	report(mmio_read64(MMIO_SCRATCH) == 0x8877665544332211ULL, "string: rep movsb x8 from RAM "
								   "into scratch");

	d = MMIO_SCRATCH;
	n = 4;
	asm volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(0xc3) : "memory");
	report(mmio_read64(MMIO_SCRATCH) == 0x88776655c3c3c3c3ULL, "string: rep stosb x4 fills the "
								   "low half only");
}

static void test_unbacked(void)
{
	report(mmio_read32(MVM_UNBACKED_GPA) == 0xffffffff, "unbacked: read32 gives all ones");
	mmio_write32(MVM_UNBACKED_GPA, 0x12345678);
	report(mmio_read32(MVM_UNBACKED_GPA) == 0xffffffff, "unbacked: write32 is ignored");
}

int main(void)
{
	mvm_console_puts("minivmm: guest_mmio\n");
	test_scratch();
	test_id();
	test_counter();
	test_string();
	test_unbacked();
	return report_summary();
}
