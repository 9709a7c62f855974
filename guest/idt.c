/* SPDX-License-Identifier: MIT */
/* idt.c - the IDT: one interrupt gate per exception vector, pointing at isr.S's stubs. */
#include "mvm_lib.h"

/* Present, DPL 0, interrupt gate: IF stays clear in the handler. */
#define IDT_GATE_INTR 0x8e

#if MVM_BITS == 64
#define IDT_SEL_CODE MVM_SEL_CODE64
struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t reserved;
};
_Static_assert(sizeof(struct idt_gate) == 16, "64-bit IDT gate");
#else
#define IDT_SEL_CODE MVM_SEL_CODE32
struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t zero;
	uint8_t type;
	uint16_t off_hi;
};
_Static_assert(sizeof(struct idt_gate) == 8, "32-bit IDT gate");
#endif

struct idt_ptr {
	uint16_t limit;
	uintptr_t base;
} __attribute__((packed));

static struct idt_gate idt[MVM_ISR_VECTORS] __attribute__((aligned(16)));

static struct idt_gate idt_gate(uintptr_t handler)
{
	struct idt_gate g = {
		.off_lo = (uint16_t)handler,
		.sel = IDT_SEL_CODE,
		.type = IDT_GATE_INTR,
#if MVM_BITS == 64
		.off_mid = (uint16_t)(handler >> 16),
		.off_hi = (uint32_t)(handler >> 32),
#else
		.off_hi = (uint16_t)(handler >> 16),
#endif
	};

	return g;
}

void mvm_idt_init(void)
{
	struct idt_ptr ptr = { .limit = sizeof(idt) - 1, .base = (uintptr_t)idt };
	unsigned int v;

	for (v = 0; v < MVM_ISR_VECTORS; v++)
		idt[v] = idt_gate(mvm_isr_stubs[v]);
	asm volatile("lidt %0" : : "m"(ptr) : "memory");
}
