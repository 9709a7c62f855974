/* SPDX-License-Identifier: MIT */
/*
 * guest_emulate - MMIO through many instruction forms (mov, movzx, movsx,
 * movs, stos, lods, xchg, cmpxchg, add/or/and/xor/bt/bts on a memory
 * operand, push and pop of a memory operand), unaligned and page-crossing
 * MMIO, and rep string port I/O in both directions, forward and with DF set.
 *
 * KVM path: each MMIO access faults in the MMU (no slot at the GPA) ->
 * kvm_mmu_page_fault -> x86_emulate_instruction(EMULTYPE_PF) ->
 * x86_decode_insn / x86_emulate_insn -> emulator_read_emulated or
 * emulator_write_emulated -> KVM_EXIT_MMIO, reads and read-modify-writes
 * completed by complete_emulated_mmio on the next KVM_RUN. A read-modify-
 * write (add, xchg, cmpxchg, bts) is a read exit, then a write exit. An
 * access that crosses a page is two fragments (vcpu->mmio_fragments), one
 * exit each. rep INS/OUTS go through the emulator too (x86_emulate_
 * instruction with EMULTYPE 0 from the I/O exit, emulator_pio_in /
 * emulator_pio_out, complete_emulated_pio); with DF set the emulator walks
 * RSI/RDI down. On kvm_pvm every instruction is emulated, so this is where
 * these exits come from there as well.
 *
 * Memory map (long mode): payload at MVM_LOAD_GPA (0x100000), stack below
 * MVM_STACK_TOP (0x90000). Test device at MVM_TESTDEV_MMIO_GPA (0xd0000000:
 * ID +0, scratch +8, counter +0x10, 0 past +0x30), its port twin at
 * MVM_TESTDEV_PORT (0xe00). 0xd0001000, the page after the device, has no
 * slot and no device (reads all ones). All inside the 4 GiB identity map.
 */
#include "mvm_guest.h"

#define SCRATCH	    (MVM_TESTDEV_MMIO_GPA + MVM_TESTDEV_REG_SCRATCH)
#define PORT_SCR    (MVM_TESTDEV_PORT + MVM_TESTDEV_REG_SCRATCH)
#define PORT_CNT    (MVM_TESTDEV_PORT + MVM_TESTDEV_REG_COUNTER)
#define PAGE_CROSS  (MVM_TESTDEV_MMIO_GPA + 0xffc)
#define SCRATCH_PTR ((volatile uint64_t *)SCRATCH)

static void test_mov(void)
{
	uint64_t got;
	uint32_t u;

	asm volatile("movl %1, (%0)" : : "r"(SCRATCH), "r"(0xcafe0080U) : "memory");
	asm volatile("movl (%1), %0" : "=r"(u) : "r"(SCRATCH) : "memory");
	report(u == 0xcafe0080U, "mov: store and load 32 (got %#x)", u);
	asm volatile("movzbl (%1), %0" : "=r"(u) : "r"(SCRATCH) : "memory");
	report(u == 0x80, "movzx: byte 0x80 -> %#x", u);
	asm volatile("movzwl 2(%1), %0" : "=r"(u) : "r"(SCRATCH) : "memory");
	report(u == 0xcafe, "movzx: word +2 0xcafe -> %#x", u);
	asm volatile("movsbq (%1), %0" : "=r"(got) : "r"(SCRATCH) : "memory");
	report(got == (uint64_t)-128, "movsx: byte 0x80 -> %#llx", (unsigned long long)got);
	asm volatile("movswq 2(%1), %0" : "=r"(got) : "r"(SCRATCH) : "memory");
	report(got == 0xffffffffffffcafeULL, "movsx: word 0xcafe -> %#llx",
	       (unsigned long long)got);
	asm volatile("movq %1, (%0)" : : "r"(SCRATCH), "r"(0x1122334455667788ULL) : "memory");
	asm volatile("movslq 4(%1), %0" : "=r"(got) : "r"(SCRATCH) : "memory");
	report(got == 0x11223344, "movsxd: dword +4 -> %#llx", (unsigned long long)got);
}

static void test_string_mmio(void)
{
	uint64_t ram = 0x0102030405060708ULL, back = 0, v;
	const void *s = &ram;
	void *d = (void *)SCRATCH;

	asm volatile("movsq" : "+S"(s), "+D"(d) : : "memory");
	report(*SCRATCH_PTR == ram, "movs: movsq RAM -> MMIO");
	s = (const void *)SCRATCH;
	d = &back;
	asm volatile("movsq" : "+S"(s), "+D"(d) : : "memory");
	report(back == ram, "movs: movsq MMIO -> RAM");
	d = (void *)SCRATCH;
	asm volatile("stosl" : "+D"(d) : "a"(0xa1b2c3d4U) : "memory");
	report(*SCRATCH_PTR == 0x01020304a1b2c3d4ULL, "stos: stosl writes the low 4 bytes");
	s = (const void *)SCRATCH;
	asm volatile("lodsq" : "+S"(s), "=a"(v) : : "memory");
	report(v == 0x01020304a1b2c3d4ULL, "lods: lodsq reads 8 bytes");
}

static void test_rmw(void)
{
	uint32_t old = 0x55, want;
	uint8_t cf;

	*SCRATCH_PTR = 0x10;
	asm volatile("xchgl %0, (%1)" : "+r"(old) : "r"(SCRATCH) : "memory");
	report(old == 0x10 && *SCRATCH_PTR == 0x55, "xchg: got 0x10 back, left 0x55");
	want = 0x55;
	asm volatile("lock cmpxchgl %2, (%1)" : "+a"(want) : "r"(SCRATCH), "r"(0x66U) : "memory");
	report(*SCRATCH_PTR == 0x66, "cmpxchg: equal, stores 0x66");
	want = 0x55;
	asm volatile("lock cmpxchgl %2, (%1)" : "+a"(want) : "r"(SCRATCH), "r"(0x77U) : "memory");
	report(want == 0x66 && *SCRATCH_PTR == 0x66, "cmpxchg: unequal, loads 0x66, stores none");
	asm volatile("addl $0x10, (%0)" : : "r"(SCRATCH) : "memory");
	report(*SCRATCH_PTR == 0x76, "add: imm to memory gives 0x76");
	asm volatile("orl %1, (%0)" : : "r"(SCRATCH), "r"(0x100U) : "memory");
	report(*SCRATCH_PTR == 0x176, "or: reg to memory gives 0x176");
	asm volatile("andl $0xf0, (%0)" : : "r"(SCRATCH) : "memory");
	report(*SCRATCH_PTR == 0x70, "and: imm to memory gives 0x70");
	asm volatile("xorb $0xff, (%0)" : : "r"(SCRATCH) : "memory");
	report(*SCRATCH_PTR == 0x8f, "xor: byte imm to memory gives 0x8f");
	asm volatile("btl $3, (%1); setc %0" : "=r"(cf) : "r"(SCRATCH) : "memory", "cc");
	report(cf == 1, "bt: bit 3 of 0x8f is set");
	asm volatile("btsl $4, (%1); setc %0" : "=r"(cf) : "r"(SCRATCH) : "memory", "cc");
	report(cf == 0 && *SCRATCH_PTR == 0x9f, "bts: bit 4 was clear, now 0x9f");
}

/* The stack stays in RAM: push and pop take their memory operand from MMIO.
 * A stack inside MMIO is left out, as every call and exception would then
 * go through the device. */
static void test_push_pop(void)
{
	uint64_t popped;

	*SCRATCH_PTR = 0xabcdef;
	asm volatile("pushq (%1); popq %0" : "=r"(popped) : "r"(SCRATCH) : "memory");
	report(popped == 0xabcdef, "push: pushq from MMIO (got %#llx)", (unsigned long long)popped);
	asm volatile("pushq %1; popq (%0)" : : "r"(SCRATCH), "r"(0x5566ULL) : "memory");
	report(*SCRATCH_PTR == 0x5566, "pop: popq into MMIO");
}

static void test_unaligned(void)
{
	uint64_t v = 0;

	*SCRATCH_PTR = 0;
	asm volatile("movl %1, 1(%0)" : : "r"(SCRATCH), "r"(0xddccbbaaU) : "memory");
	report(*SCRATCH_PTR == 0xddccbbaa00ULL, "unaligned: dword at scratch+1");
	/* 8 bytes from scratch+4: the scratch's high half, the counter's low
	 * half (written: ignored; read: its value, then it counts). */
	asm volatile("movq %1, 4(%0)" : : "r"(SCRATCH), "r"(0x8877665544332211ULL) : "memory");
	report(*SCRATCH_PTR == 0x44332211ccbbaa00ULL, "unaligned: qword over scratch+4..counter");
	/* The last 4 bytes of the device page (0) and 4 of the next page, which
	 * no device claims (all ones): two fragments, two exits. */
	asm volatile("movq (%1), %0" : "=r"(v) : "r"(PAGE_CROSS) : "memory");
	report(v == 0xffffffff00000000ULL, "page-crossing: qword read (got %#llx)",
	       (unsigned long long)v);
	asm volatile("movq %1, (%0)" : : "r"(PAGE_CROSS), "r"(0x1234ULL) : "memory");
	report(1, "page-crossing: qword write went on");
}

static void test_string_pio(void)
{
	static const uint8_t out[4] = { 0x11, 0x22, 0x33, 0x44 };
	uint16_t words[2] = { 0x1111, 0x2222 };
	uint8_t in[4] = { 0 };
	const void *s;
	void *d;
	size_t n;

	s = out, n = 4;
	asm volatile("rep outsb" : "+S"(s), "+c"(n) : "d"(PORT_SCR) : "memory");
	report(inb(PORT_SCR) == 0x44, "rep outsb: forward, the last byte 0x44 wins");
	s = &out[3], n = 4;
	asm volatile("std; rep outsb; cld" : "+S"(s), "+c"(n) : "d"(PORT_SCR) : "memory");
	report(inb(PORT_SCR) == 0x11, "rep outsb: DF=1, the last byte 0x11 wins");
	s = words, n = 2;
	asm volatile("rep outsw" : "+S"(s), "+c"(n) : "d"(PORT_SCR) : "memory");
	report(inw(PORT_SCR) == 0x2222, "rep outsw: forward, the last word wins");
	/* The counter port: each element reads the next count. */
	uint32_t c0 = inb(PORT_CNT) + 1;
	d = in, n = 4;
	asm volatile("rep insb" : "+D"(d), "+c"(n) : "d"(PORT_CNT) : "memory");
	report(in[0] == c0 && in[3] == (uint8_t)(c0 + 3), "rep insb: forward, counts ascend");
	c0 += 4;
	d = &in[3], n = 4;
	asm volatile("std; rep insb; cld" : "+D"(d), "+c"(n) : "d"(PORT_CNT) : "memory");
	report(in[3] == c0 && in[0] == (uint8_t)(c0 + 3), "rep insb: DF=1, counts descend in "
							  "memory");
}

int main(void)
{
	test_mov();
	test_string_mmio();
	test_rmw();
	test_push_pop();
	test_unaligned();
	test_string_pio();
	return report_summary();
}
