/* SPDX-License-Identifier: MIT */
/*
 * kernel_cpuid - a Multiboot v1 kernel that prints the CPUID leaves its
 * vCPU sees, one line per leaf and subleaf, on COM1, then writes 0 to the
 * isa-debug-exit port 0xf4. It runs unchanged under minivmm and under QEMU:
 *	minivmm run tests/kernel_cpuid.elf --machine pc --cpu qemu64
 *	qemu-system-x86_64 -accel kvm -cpu qemu64 -display none -serial stdio \
 *		-device isa-debug-exit,iobase=0xf4,iosize=4 -kernel tests/kernel_cpuid.elf
 * so that minivmm's CPU models can be compared with QEMU's on the same host
 * (docs/kernels.md, "CPU models").
 *
 * KVM path: CPUID is answered by KVM from the table the VMM set with
 * KVM_SET_CPUID2 (kvm_emulate_cpuid); no exit reaches userspace for it.
 * Each output byte is a KVM_EXIT_IO to COM1.
 *
 * Memory map: linked at 4 MiB like kvm-unit-tests, 32-bit flat protected
 * mode without paging, its stack in its bss.
 */
#include "mvm_guest.h"

#define DEBUG_EXIT_PORT 0xf4

static void show(uint32_t leaf, uint32_t sub)
{
	uint32_t a, b, c, d;
	char line[96];

	cpuid(leaf, sub, &a, &b, &c, &d);
	snprintf(line, sizeof(line), "cpuid %08x.%u: eax=%08x ebx=%08x ecx=%08x edx=%08x\n", leaf, sub, a, b,
		 c, d);
	mvm_console_puts(line);
}

/* Leaves with subleaves: how many to show of each. */
static uint32_t subleaves(uint32_t leaf)
{
	switch (leaf) {
	case 4:
	case 0xb:
	case 0x1f:
		return 4;
	case 7:
	case 0x14:
		return 2;
	case 0xd:
		return 3;
	default:
		return 1;
	}
}

static void show_range(uint32_t base)
{
	uint32_t max, b, c, d;

	cpuid(base, 0, &max, &b, &c, &d);
	if (max < base || max > base + 0x100)
		max = base;
	for (uint32_t leaf = base; leaf <= max; leaf++)
		for (uint32_t sub = 0; sub < subleaves(leaf); sub++)
			show(leaf, sub);
}

int main(void)
{
	show_range(0);
	show_range(0x40000000);
	show_range(0x80000000);
	outl(DEBUG_EXIT_PORT, 0);
	for (;;)
		asm volatile("cli; hlt");
	return 0;
}
