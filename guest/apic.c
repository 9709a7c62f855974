/* SPDX-License-Identifier: MIT */
/* apic.c - the local APIC behind one API, whether this CPU is in xAPIC or x2APIC mode. */
#include "mvm_apic.h"

static int cpuid_1_ecx(uint32_t bit)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	return (c & bit) != 0;
}

int apic_x2apic_offered(void)
{
	return cpuid_1_ecx(CPUID_1_ECX_X2APIC);
}

int apic_tsc_deadline_offered(void)
{
	return cpuid_1_ecx(CPUID_1_ECX_TSC_DEADLINE);
}

/* Read every time, not cached: the mode is per CPU, and CPUs switch at different times. */
int apic_x2apic_enabled(void)
{
	return (rdmsr(MSR_APIC_BASE) & APIC_BASE_EXTD) != 0;
}

int apic_enable_x2apic(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	if (!apic_x2apic_offered())
		return -1;
	/* xAPIC to x2APIC is the one legal direction that keeps EN set. */
	wrmsr(MSR_APIC_BASE, base | APIC_BASE_EN | APIC_BASE_EXTD);
	return 0;
}

uint32_t apic_read(unsigned int reg)
{
	if (apic_x2apic_enabled())
		return (uint32_t)rdmsr(MSR_X2APIC_BASE + (reg >> 4));
	return mmio_read32(APIC_MMIO_GPA + reg);
}

void apic_write(unsigned int reg, uint32_t v)
{
	if (apic_x2apic_enabled())
		wrmsr(MSR_X2APIC_BASE + (reg >> 4), v);
	else
		mmio_write32(APIC_MMIO_GPA + reg, v);
}

uint32_t apic_id(void)
{
	uint32_t id = apic_read(APIC_ID);

	return apic_x2apic_enabled() ? id : id >> 24;
}

static void apic_spurious(unsigned int vector)
{
	/* A spurious interrupt sets no ISR bit, so it must not be EOIed. */
	(void)vector;
}

void apic_sw_enable(void)
{
	mvm_irq_set(MVM_VEC_SPURIOUS, apic_spurious);
	apic_write(APIC_SVR, APIC_SVR_ENABLE | MVM_VEC_SPURIOUS);
}

void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

void apic_icr_wait(void)
{
	if (apic_x2apic_enabled())
		return;
	while (mmio_read32(APIC_MMIO_GPA + APIC_ICR) & APIC_ICR_BUSY)
		asm volatile("pause");
}

void apic_send_ipi(uint32_t dest, uint32_t icr_lo)
{
	unsigned long flags;

	if (apic_x2apic_enabled()) {
		/*
		 * WRMSR to the x2APIC is not serializing: without the fences
		 * the receiver could take the IPI before it sees the stores
		 * made ahead of it (an AP's work, a test's expected count).
		 */
		asm volatile("mfence; lfence" : : : "memory");
		wrmsr(MSR_X2APIC_BASE + (APIC_ICR >> 4), ((uint64_t)dest << 32) | icr_lo);
		return;
	}
	apic_icr_wait();
	/* Writing the low word sends: a handler's IPI must not slip in after ICR2. */
	flags = irq_save();
	mmio_write32(APIC_MMIO_GPA + APIC_ICR2, dest << 24);
	mmio_write32(APIC_MMIO_GPA + APIC_ICR, icr_lo);
	irq_restore(flags);
	apic_icr_wait();
}

void apic_ipi_fixed(uint32_t dest, uint8_t vector)
{
	apic_send_ipi(dest, APIC_DM_FIXED | APIC_ICR_ASSERT | vector);
}

void apic_ipi_self(uint8_t vector)
{
	if (apic_x2apic_enabled()) {
		asm volatile("mfence; lfence" : : : "memory");
		wrmsr(MSR_X2APIC_BASE + (APIC_SELF_IPI >> 4), vector);
		return;
	}
	apic_send_ipi(0, APIC_DEST_SELF | APIC_DM_FIXED | APIC_ICR_ASSERT | vector);
}

void apic_ipi_allbutself(uint8_t vector)
{
	apic_send_ipi(0, APIC_DEST_ALLBUT | APIC_DM_FIXED | APIC_ICR_ASSERT | vector);
}

void apic_ipi_all(uint8_t vector)
{
	apic_send_ipi(0, APIC_DEST_ALL | APIC_DM_FIXED | APIC_ICR_ASSERT | vector);
}

void apic_ipi_init(uint32_t dest)
{
	apic_send_ipi(dest, APIC_DM_INIT | APIC_ICR_ASSERT);
}

void apic_ipi_startup(uint32_t dest, uint8_t page)
{
	apic_send_ipi(dest, APIC_DM_STARTUP | APIC_ICR_ASSERT | page);
}

void apic_set_tpr(uint8_t tpr)
{
	apic_write(APIC_TPR, tpr);
}

uint8_t apic_tpr(void)
{
	return (uint8_t)apic_read(APIC_TPR);
}

uint8_t apic_ppr(void)
{
	return (uint8_t)apic_read(APIC_PPR);
}

/* IRR and ISR are 8 registers of 32 vectors each, 16 bytes apart. */
static int apic_bit(unsigned int base, uint8_t vector)
{
	return (apic_read(base + (vector / 32) * 0x10) >> (vector % 32)) & 1;
}

int apic_irr_test(uint8_t vector)
{
	return apic_bit(APIC_IRR, vector);
}

int apic_isr_test(uint8_t vector)
{
	return apic_bit(APIC_ISR, vector);
}
