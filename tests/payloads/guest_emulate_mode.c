/* SPDX-License-Identifier: MIT */
/*
 * guest_emulate_mode - built once per start mode (EXPECT_MODE): the same
 * MMIO (a store, a load, a read-modify-write) and the same rep string port
 * I/O, so that the emulator decodes and runs them in that mode.
 *
 * KVM path: MMIO -> kvm_mmu_page_fault -> x86_emulate_instruction
 * (EMULTYPE_PF), with the emulator's mode (X86EMUL_MODE_REAL, _PROT32,
 * _PROT64; kvm_emulate_insn's "mode" in --ktrace) from init_emulate_ctxt.
 * The fault's address is translated by the walker of the vCPU's paging
 * mode: nonpaging_gva_to_gpa in real and prot32, paging64_gva_to_gpa in
 * long mode (paging_tmpl.h; paging32 and pae would drive paging32_* and
 * the PAE walker, but kvm_pvm cannot start those modes). rep INS/OUTS go
 * through emulator_pio_in / emulator_pio_out in every mode.
 *
 * Real mode cannot reach 0xd0000000 within 64 KiB segments: its build does
 * the port I/O only. Unreal mode (DS loaded from the flat descriptor with
 * CR0.PE set, then PE cleared) would reach it, but on kvm_pvm setting
 * CR0.PE without a far jump triple-faults at the next instruction, and the
 * VMM's GDT has no 16-bit code segment to jump to.
 *
 * Memory map: real mode loads at MVM_RAW_LOAD_GPA (0x8000), stack below
 * 0x8000; the others load at MVM_LOAD_GPA (0x100000), stack below
 * MVM_STACK_TOP (0x90000). Test device at MVM_TESTDEV_MMIO_GPA (0xd0000000,
 * scratch +8), its port twin at MVM_TESTDEV_PORT (0xe00, ID +0).
 */
#include "mvm_guest.h"

#ifndef EXPECT_MODE
#error "build with -DEXPECT_MODE=MVM_MODE_..."
#endif

#define SCRATCH	 ((uintptr_t)(MVM_TESTDEV_MMIO_GPA + MVM_TESTDEV_REG_SCRATCH))
#define PORT_SCR (MVM_TESTDEV_PORT + MVM_TESTDEV_REG_SCRATCH)
#define PORT_ID	 (MVM_TESTDEV_PORT + MVM_TESTDEV_REG_ID)

static void test_mmio(void)
{
	uint32_t v;

	if (EXPECT_MODE == MVM_MODE_REAL)
		return;
	asm volatile("movl %1, (%0)" : : "r"(SCRATCH), "r"(0x1000U) : "memory");
	asm volatile("addl $0x23, (%0)" : : "r"(SCRATCH) : "memory");
	asm volatile("movl (%1), %0" : "=r"(v) : "r"(SCRATCH) : "memory");
	report(v == 0x1023, "mmio: store, add, load give 0x1023 (got %#x)", v);
}

static void test_string_pio(void)
{
	static const uint8_t out[3] = { 0x0a, 0x0b, 0x0c };
	uint8_t in[2] = { 0 };
	const void *s = out;
	void *d = in;
	unsigned long n = 3;

	asm volatile("rep outsb" : "+S"(s), "+c"(n) : "d"(PORT_SCR) : "memory");
	report(inb(PORT_SCR) == 0x0c, "rep outsb: the last byte 0x0c wins");
	n = 2;
	asm volatile("rep insb" : "+D"(d), "+c"(n) : "d"(PORT_ID) : "memory");
	report(in[0] == (uint8_t)MVM_TESTDEV_ID && in[1] == in[0], "rep insb: ID's byte 0 twice");
}

int main(void)
{
	test_mmio();
	test_string_pio();
	return report_summary();
}
