/* SPDX-License-Identifier: MIT */
/* ioapic.h - an I/O APIC's registers and pins, as a pure model (the split irqchip's). */
#ifndef MVM_IOAPIC_H
#define MVM_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

#define IOAPIC_GPA	 0xfec00000ULL
#define IOAPIC_SIZE	 0x1000ULL
#define IOAPIC_PINS	 24
#define IOAPIC_REGSEL	 0x00 /* register select (32-bit) */
#define IOAPIC_WIN	 0x10 /* the selected register (32-bit) */
#define IOAPIC_REG_ID	 0x00
#define IOAPIC_REG_VER	 0x01
#define IOAPIC_REG_ARB	 0x02
#define IOAPIC_REG_REDIR 0x10 /* two registers per pin: low, high */

/* Redirection entry bits. */
#define IOAPIC_VECTOR	 0xffULL
#define IOAPIC_DELMODE	 (7ULL << 8)
#define IOAPIC_DESTMODE	 (1ULL << 11)
#define IOAPIC_DELIVS	 (1ULL << 12) /* read-only */
#define IOAPIC_POLARITY	 (1ULL << 13)
#define IOAPIC_REMOTE_IRR (1ULL << 14) /* read-only */
#define IOAPIC_LEVEL	 (1ULL << 15)
#define IOAPIC_MASKED	 (1ULL << 16)
#define IOAPIC_DEST_SHIFT 56

struct ioapic {
	uint32_t id;  /* bits 27:24 of the ID register */
	uint32_t sel; /* IOREGSEL */
	uint64_t redir[IOAPIC_PINS];
	uint32_t lines; /* input levels, a bit per pin */
};

/* Reset state: every pin masked, edge, vector 0. */
void ioapic_init(struct ioapic *a);
/* A 32-bit read at offset (IOREGSEL or IOWIN); other offsets read 0. */
uint32_t ioapic_read(const struct ioapic *a, uint64_t offset);
/*
 * A 32-bit write at offset. Returns the pins to deliver now (a level pin
 * unmasked while asserted); *changed gets the pins whose redirection
 * entry changed, whose MSI routes must follow.
 */
uint32_t ioapic_write(struct ioapic *a, uint64_t offset, uint32_t val, uint32_t *changed);
/* Input pin goes to level; true if the pin must be delivered now (an
 * edge pin's rising edge, a level pin asserted with remote IRR clear). */
bool ioapic_set_line(struct ioapic *a, unsigned int pin, bool level);
/* Pin was delivered: a level pin's remote IRR is set until its EOI. */
void ioapic_delivered(struct ioapic *a, unsigned int pin);
/* An EOI of vector from a LAPIC: clears remote IRR of the level pins with
 * that vector; returns those still asserted, to deliver again. */
uint32_t ioapic_eoi(struct ioapic *a, uint8_t vector);
/* The MSI a pin's entry stands for (what KVM's routing and delivery take). */
void ioapic_msi(const struct ioapic *a, unsigned int pin, uint64_t *addr, uint32_t *data);

#endif /* MVM_IOAPIC_H */
