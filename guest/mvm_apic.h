/* SPDX-License-Identifier: MIT */
/* mvm_apic.h - the local APIC (xAPIC or x2APIC, one API), its timer, the IOAPIC and the PIC. */
#ifndef MVM_APIC_H
#define MVM_APIC_H

#include "mvm_irq.h"

/* ------------------------------------------------------------------------
 * Local APIC. Register numbers are xAPIC MMIO offsets; in x2APIC mode the
 * SDK turns offset R into MSR 0x800 + R / 16, as the SDM does.
 * ---------------------------------------------------------------------- */
#define APIC_MMIO_GPA	 0xfee00000UL /* architectural default; KVM's LAPIC sits here */
#define MSR_APIC_BASE	 0x1bU
#define APIC_BASE_BSP	 (1ULL << 8)
#define APIC_BASE_EXTD	 (1ULL << 10) /* x2APIC mode */
#define APIC_BASE_EN	 (1ULL << 11)
#define MSR_X2APIC_BASE	 0x800U
#define MSR_TSC_DEADLINE 0x6e0U

#define APIC_ID	      0x020
#define APIC_LVR      0x030
#define APIC_TPR      0x080
#define APIC_PPR      0x0a0
#define APIC_EOI      0x0b0
#define APIC_SVR      0x0f0
#define APIC_ISR      0x100 /* 8 registers of 32 bits, 16 bytes apart */
#define APIC_TMR      0x180
#define APIC_IRR      0x200
#define APIC_ESR      0x280
#define APIC_ICR      0x300
#define APIC_ICR2     0x310 /* xAPIC only: x2APIC's ICR is one 64-bit MSR */
#define APIC_LVTT     0x320
#define APIC_LVT0     0x350
#define APIC_LVT1     0x360
#define APIC_LVTERR   0x370
#define APIC_TMICT    0x380
#define APIC_TMCCT    0x390
#define APIC_TDCR     0x3e0
#define APIC_SELF_IPI 0x3f0 /* x2APIC only */

#define APIC_SVR_ENABLE (1U << 8)

/* ICR low word. */
#define APIC_DM_FIXED	 (0U << 8)
#define APIC_DM_INIT	 (5U << 8)
#define APIC_DM_STARTUP	 (6U << 8)
#define APIC_ICR_BUSY	 (1U << 12) /* xAPIC delivery status */
#define APIC_ICR_ASSERT	 (1U << 14)
#define APIC_DEST_SELF	 (1U << 18)
#define APIC_DEST_ALL	 (2U << 18)
#define APIC_DEST_ALLBUT (3U << 18)

/* LVT entries. */
#define APIC_LVT_MASKED		(1U << 16)
#define APIC_LVT_TIMER_ONESHOT	(0U << 17)
#define APIC_LVT_TIMER_PERIODIC (1U << 17)
#define APIC_LVT_TIMER_TSCDL	(2U << 17)

/* CPUID.1:ECX bits the SDK looks at. */
#define CPUID_1_ECX_X2APIC	 (1U << 21)
#define CPUID_1_ECX_TSC_DEADLINE (1U << 24)

int apic_x2apic_offered(void);	     /* CPUID.1:ECX[21] */
int apic_tsc_deadline_offered(void); /* CPUID.1:ECX[24] */
int apic_x2apic_enabled(void);	     /* IA32_APIC_BASE.EXTD of this CPU */
int apic_enable_x2apic(void);	     /* this CPU; 0, or -1 if CPUID does not offer it */

uint32_t apic_read(unsigned int reg);
void apic_write(unsigned int reg, uint32_t v);
uint32_t apic_id(void); /* xAPIC: ID[31:24]; x2APIC: the 32-bit ID */
/* Software-enables this CPU's LAPIC with MVM_VEC_SPURIOUS as its spurious vector. */
void apic_sw_enable(void);
void apic_eoi(void);

/* IPIs. dest is an APIC ID (physical destination); the xAPIC forms wait for
 * the ICR to be idle before and after, x2APIC has no busy bit. */
void apic_icr_wait(void);
void apic_send_ipi(uint32_t dest, uint32_t icr_lo);
void apic_ipi_fixed(uint32_t dest, uint8_t vector);
void apic_ipi_self(uint8_t vector); /* xAPIC: the self shorthand; x2APIC: the SELF IPI MSR */
void apic_ipi_allbutself(uint8_t vector);
void apic_ipi_all(uint8_t vector);
void apic_ipi_init(uint32_t dest);
void apic_ipi_startup(uint32_t dest, uint8_t page); /* starts at page << 12 in real mode */

/* Priorities: TPR and PPR bits 7:4 are the class; CR8 is TPR[7:4]. */
void apic_set_tpr(uint8_t tpr);
uint8_t apic_tpr(void);
uint8_t apic_ppr(void);
int apic_irr_test(uint8_t vector); /* pending */
int apic_isr_test(uint8_t vector); /* in service */

static inline unsigned long read_cr8(void)
{
	unsigned long v;

	asm volatile("mov %%cr8, %0" : "=r"(v));
	return v;
}

static inline void write_cr8(unsigned long v)
{
	asm volatile("mov %0, %%cr8" : : "r"(v) : "memory");
}

/* Timer. divide is the divisor: 1, 2, 4, ..., 128. */
void apic_timer_oneshot(uint8_t vector, uint32_t count, unsigned int divide);
void apic_timer_periodic(uint8_t vector, uint32_t count, unsigned int divide);
/* Arms TSC-deadline mode at an absolute TSC value; -1 if CPUID does not offer it. */
int apic_timer_tsc_deadline(uint8_t vector, uint64_t deadline);
/* Masks the timer and clears its count and deadline. */
void apic_timer_stop(void);
uint32_t apic_timer_current(void);

/* ------------------------------------------------------------------------
 * IOAPIC (KVM's, at the PC address) and the 8259 PICs.
 * ---------------------------------------------------------------------- */
#define IOAPIC_GPA	 0xfec00000UL
#define IOAPIC_REG_ID	 0x00
#define IOAPIC_REG_VER	 0x01
#define IOAPIC_REG_REDIR 0x10 /* pin n: low word 0x10 + 2n, high word 0x11 + 2n */

/* Redirection entry flags (low word); the delivery mode is fixed, destination physical. */
#define IOAPIC_ACTIVE_LOW (1U << 13)
#define IOAPIC_REMOTE_IRR (1U << 14)
#define IOAPIC_LEVEL	  (1U << 15)
#define IOAPIC_MASKED	  (1U << 16)

uint32_t ioapic_read(unsigned int reg);
void ioapic_write(unsigned int reg, uint32_t v);
unsigned int ioapic_pins(void); /* redirection entries, from the version register */
void ioapic_route(unsigned int pin, uint8_t vector, uint8_t dest, uint32_t flags);
void ioapic_mask(unsigned int pin, int masked);
uint64_t ioapic_redir(unsigned int pin);

/* Masks every input of both PICs, so that nothing (the PIT's IRQ 0 above
 * all) reaches the BSP as ExtINT through LVT0 while a payload tests the
 * IOAPIC and LAPIC. KVM's PICs come up unmasked but uninitialized. Does
 * nothing unless mvm_irqchip() is MVM_IRQCHIP_KERNEL (split has no PIC). */
void pic_mask_all(void);

#endif /* MVM_APIC_H */
