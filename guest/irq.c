/* SPDX-License-Identifier: MIT */
/* irq.c - the 256-entry IDT: exceptions as mvm_start's IDT, vectors 32-255 to C handlers. */
#include "mvm_irq.h"
#include "mvm_lib.h"

/* Present, DPL 0, 64-bit interrupt gate: the CPU clears IF on entry. */
#define IRQ_GATE_INTR 0x8e

/* irq_stubs.S: one stub per vector from MVM_IRQ_FIRST, MVM_IRQ_STUB_SIZE bytes apart. */
#define MVM_IRQ_STUB_SIZE 16
extern const char mvm_irq_stubs[];

struct irq_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t reserved;
};
_Static_assert(sizeof(struct irq_gate) == 16, "64-bit IDT gate");

struct irq_idtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static struct irq_gate irq_idt[MVM_IRQ_VECTORS] __attribute__((aligned(16)));
static mvm_irq_handler irq_handlers[MVM_IRQ_VECTORS];
static int irq_idt_built;

void mvm_irq_dispatch(struct mvm_isr_frame *frame);

extern const struct mvm_header mvm_header; /* entry.S: this payload's header, in memory */

unsigned int mvm_irqchip(void)
{
	return *(const volatile uint8_t *)&mvm_header.irqchip;
}

static struct irq_gate irq_gate(uintptr_t handler)
{
	struct irq_gate g = {
		.off_lo = (uint16_t)handler,
		.sel = MVM_SEL_CODE64,
		.type = IRQ_GATE_INTR,
		.off_mid = (uint16_t)(handler >> 16),
		.off_hi = (uint32_t)(handler >> 32),
	};

	return g;
}

void mvm_irq_load(void)
{
	struct irq_idtr idtr = { .limit = sizeof(irq_idt) - 1, .base = (uintptr_t)irq_idt };

	asm volatile("lidt %0" : : "m"(idtr) : "memory");
}

void mvm_irq_init(void)
{
	unsigned int v;

	/* The BSP builds it before any AP starts, so no AP ever sees it half built. */
	if (!irq_idt_built) {
		for (v = 0; v < MVM_ISR_VECTORS; v++)
			irq_idt[v] = irq_gate(mvm_isr_stubs[v]);
		for (v = MVM_IRQ_FIRST; v < MVM_IRQ_VECTORS; v++)
			irq_idt[v] = irq_gate((uintptr_t)mvm_irq_stubs +
					      (v - MVM_IRQ_FIRST) * MVM_IRQ_STUB_SIZE);
		irq_idt_built = 1;
	}
	mvm_irq_load();
}

void mvm_irq_set(unsigned int vector, mvm_irq_handler h)
{
	if (vector < MVM_IRQ_FIRST || vector >= MVM_IRQ_VECTORS)
		mvm_exit(MVM_FAIL, "mvm_irq_set: vector outside 32-255");
	irq_handlers[vector] = h;
}

void mvm_irq_dispatch(struct mvm_isr_frame *frame)
{
	unsigned int vector = (unsigned int)frame->vector;
	mvm_irq_handler h = irq_handlers[vector];

	if (!h) {
		mvm_printf("unexpected interrupt: vector %#x, rip %#lx\n", vector, frame->ip);
		mvm_exit(MVM_FAIL, "unexpected interrupt");
	}
	h(vector);
}
