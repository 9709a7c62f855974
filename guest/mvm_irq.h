/* SPDX-License-Identifier: MIT */
/* mvm_irq.h - interrupt handlers for vectors 32-255 on a 256-entry IDT (64-bit builds). */
#ifndef MVM_IRQ_H
#define MVM_IRQ_H

#include "mvm_guest.h"

#if MVM_BITS != 64
#error "mvm_irq.h is for 64-bit (long mode) payloads"
#endif

#define MVM_IRQ_FIRST	32 /* vectors below are exceptions, handled as mvm_start's IDT does */
#define MVM_IRQ_VECTORS 256

/* Vectors the SDK keeps for itself; payloads pick theirs from 0x20-0xef. */
#define MVM_VEC_SMP_KICK 0xf0 /* wakes an idle AP to run work (smp.c) */
#define MVM_VEC_SPURIOUS 0xff /* the LAPIC's spurious vector (apic.c) */

/*
 * A handler runs on an interrupt gate, so with IF clear unless it sets IF
 * itself, and it sends its own EOI (apic_eoi()): the payloads that test EOI
 * ordering decide when. An interrupt on a vector without a handler is
 * printed and ends the run with MVM_FAIL.
 */
typedef void (*mvm_irq_handler)(unsigned int vector);

/*
 * The run's interrupt controllers, MVM_IRQCHIP_*: the payload header's
 * irqchip field as it is in memory, where the host writes what the run uses
 * (--irqchip overrides the header). With MVM_IRQCHIP_SPLIT there is no PIC
 * and no PIT, and the IOAPIC is the VMM's.
 */
unsigned int mvm_irqchip(void);

/* Builds the 256-entry IDT (once) and loads it on this CPU, replacing mvm_start's. */
void mvm_irq_init(void);
/* Loads the IDT mvm_irq_init() built on this CPU (each AP loads it as it starts). */
void mvm_irq_load(void);
void mvm_irq_set(unsigned int vector, mvm_irq_handler h);

static inline void irq_enable(void)
{
	asm volatile("sti" : : : "memory");
}

static inline void irq_disable(void)
{
	asm volatile("cli" : : : "memory");
}

/* STI's one-instruction shadow covers the HLT: an interrupt pending at the
 * STI wakes the HLT instead of being taken just before it and lost. */
static inline void irq_enable_hlt(void)
{
	asm volatile("sti; hlt" : : : "memory");
}

/* For a few instructions that an interrupt handler must not come between. */
static inline unsigned long irq_save(void)
{
	unsigned long flags;

	asm volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

static inline void irq_restore(unsigned long flags)
{
	if (flags & X86_EFLAGS_IF)
		irq_enable();
}

static inline int irq_enabled(void)
{
	unsigned long flags;

	asm volatile("pushfq; popq %0" : "=r"(flags));
	return (flags & X86_EFLAGS_IF) != 0;
}

#endif /* MVM_IRQ_H */
