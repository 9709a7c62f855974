/* SPDX-License-Identifier: MIT */
/* ioapic.c - owns the I/O APIC model: register file, line levels, remote IRR, MSIs. */
#include "ioapic.h"

#include <string.h>

/* 0x11: the 82093AA's version; bits 23:16, the highest redirection entry. */
#define IOAPIC_VERSION (0x11U | ((IOAPIC_PINS - 1U) << 16))
/* What a guest may write in an entry: not delivery status or remote IRR. */
#define IOAPIC_WRITABLE (~(IOAPIC_DELIVS | IOAPIC_REMOTE_IRR))

void ioapic_init(struct ioapic *a)
{
	memset(a, 0, sizeof(*a));
	for (int i = 0; i < IOAPIC_PINS; i++)
		a->redir[i] = IOAPIC_MASKED;
}

static int pin_of(uint32_t reg)
{
	return reg >= IOAPIC_REG_REDIR && reg < IOAPIC_REG_REDIR + 2 * IOAPIC_PINS
		       ? (int)(reg - IOAPIC_REG_REDIR) / 2
		       : -1;
}

uint32_t ioapic_read(const struct ioapic *a, uint64_t offset)
{
	int pin;

	if (offset == IOAPIC_REGSEL)
		return a->sel;
	if (offset != IOAPIC_WIN)
		return 0;
	switch (a->sel) {
	case IOAPIC_REG_ID:
		return a->id << 24;
	case IOAPIC_REG_VER:
		return IOAPIC_VERSION;
	case IOAPIC_REG_ARB:
		return a->id << 24;
	}
	pin = pin_of(a->sel);
	if (pin < 0)
		return 0;
	return (uint32_t)(a->redir[pin] >> (a->sel & 1 ? 32 : 0));
}

static bool pending_level(const struct ioapic *a, unsigned int pin)
{
	uint64_t e = a->redir[pin];

	return (e & IOAPIC_LEVEL) && !(e & IOAPIC_MASKED) && !(e & IOAPIC_REMOTE_IRR) &&
	       (a->lines & (1U << pin));
}

uint32_t ioapic_write(struct ioapic *a, uint64_t offset, uint32_t val, uint32_t *changed)
{
	uint64_t old, e;
	int pin;

	*changed = 0;
	if (offset == IOAPIC_REGSEL) {
		a->sel = val & 0xff;
		return 0;
	}
	if (offset != IOAPIC_WIN)
		return 0;
	if (a->sel == IOAPIC_REG_ID) {
		a->id = (val >> 24) & 0xf;
		return 0;
	}
	pin = pin_of(a->sel);
	if (pin < 0)
		return 0;
	old = e = a->redir[pin];
	if (a->sel & 1)
		e = (e & 0xffffffffULL) | (uint64_t)val << 32;
	else
		e = (e & ~0xffffffffULL) | val;
	e = (e & IOAPIC_WRITABLE) | (old & (IOAPIC_DELIVS | IOAPIC_REMOTE_IRR));
	/* An edge pin has no remote IRR. */
	if (!(e & IOAPIC_LEVEL))
		e &= ~IOAPIC_REMOTE_IRR;
	a->redir[pin] = e;
	if (e != old)
		*changed = 1U << pin;
	return pending_level(a, (unsigned int)pin) ? 1U << pin : 0;
}

bool ioapic_set_line(struct ioapic *a, unsigned int pin, bool level)
{
	uint32_t bit;
	bool rising;

	if (pin >= IOAPIC_PINS)
		return false;
	bit = 1U << pin;
	rising = level && !(a->lines & bit);
	a->lines = level ? a->lines | bit : a->lines & ~bit;
	if (a->redir[pin] & IOAPIC_LEVEL)
		return pending_level(a, pin);
	return rising && !(a->redir[pin] & IOAPIC_MASKED);
}

void ioapic_delivered(struct ioapic *a, unsigned int pin)
{
	if (pin < IOAPIC_PINS && (a->redir[pin] & IOAPIC_LEVEL))
		a->redir[pin] |= IOAPIC_REMOTE_IRR;
}

uint32_t ioapic_eoi(struct ioapic *a, uint8_t vector)
{
	uint32_t again = 0;

	for (unsigned int i = 0; i < IOAPIC_PINS; i++) {
		uint64_t e = a->redir[i];

		if (!(e & IOAPIC_LEVEL) || (e & IOAPIC_VECTOR) != vector ||
		    !(e & IOAPIC_REMOTE_IRR))
			continue;
		a->redir[i] = e & ~IOAPIC_REMOTE_IRR;
		if (pending_level(a, i))
			again |= 1U << i;
	}
	return again;
}

void ioapic_msi(const struct ioapic *a, unsigned int pin, uint64_t *addr, uint32_t *data)
{
	uint64_t e = a->redir[pin];

	*addr = 0xfee00000ULL | ((e >> IOAPIC_DEST_SHIFT) & 0xff) << 12 |
		((e & IOAPIC_DESTMODE) ? 1ULL << 2 : 0);
	/* MSI data: vector, delivery mode, level assert (bit 14), trigger (bit 15). */
	*data = (uint32_t)(e & (IOAPIC_VECTOR | IOAPIC_DELMODE)) |
		((e & IOAPIC_LEVEL) ? (1U << 14) | (1U << 15) : 0);
}
