/* SPDX-License-Identifier: MIT */
/* ioapic.c - the IOAPIC's redirection table (through IOREGSEL/IOWIN) and PIC masking. */
#include "mvm_apic.h"

#define IOAPIC_IOREGSEL 0x00
#define IOAPIC_IOWIN	0x10

#define PIC_MASTER_DATA 0x21
#define PIC_SLAVE_DATA	0xa1

uint32_t ioapic_read(unsigned int reg)
{
	mmio_write32(IOAPIC_GPA + IOAPIC_IOREGSEL, reg);
	return mmio_read32(IOAPIC_GPA + IOAPIC_IOWIN);
}

void ioapic_write(unsigned int reg, uint32_t v)
{
	mmio_write32(IOAPIC_GPA + IOAPIC_IOREGSEL, reg);
	mmio_write32(IOAPIC_GPA + IOAPIC_IOWIN, v);
}

unsigned int ioapic_pins(void)
{
	return ((ioapic_read(IOAPIC_REG_VER) >> 16) & 0xff) + 1;
}

uint64_t ioapic_redir(unsigned int pin)
{
	uint32_t lo = ioapic_read(IOAPIC_REG_REDIR + 2 * pin);
	uint32_t hi = ioapic_read(IOAPIC_REG_REDIR + 2 * pin + 1);

	return ((uint64_t)hi << 32) | lo;
}

void ioapic_route(unsigned int pin, uint8_t vector, uint8_t dest, uint32_t flags)
{
	/* Masked while half written, so the pin never fires to a stale destination. */
	ioapic_write(IOAPIC_REG_REDIR + 2 * pin, IOAPIC_MASKED);
	ioapic_write(IOAPIC_REG_REDIR + 2 * pin + 1, (uint32_t)dest << 24);
	ioapic_write(IOAPIC_REG_REDIR + 2 * pin, flags | vector);
}

void ioapic_mask(unsigned int pin, int masked)
{
	uint32_t lo = ioapic_read(IOAPIC_REG_REDIR + 2 * pin);

	lo = masked ? lo | IOAPIC_MASKED : lo & ~IOAPIC_MASKED;
	ioapic_write(IOAPIC_REG_REDIR + 2 * pin, lo);
}

void pic_mask_all(void)
{
	/* Only irqchip kernel has PICs; elsewhere the ports would just exit to the VMM. */
	if (mvm_irqchip() != MVM_IRQCHIP_KERNEL)
		return;
	/* OCW1: outside an initialization sequence a data-port write sets the mask. */
	outb(PIC_MASTER_DATA, 0xff);
	outb(PIC_SLAVE_DATA, 0xff);
}
