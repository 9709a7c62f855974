/* SPDX-License-Identifier: MIT */
/* apic_timer.c - the LAPIC timer: one-shot, periodic and TSC-deadline modes. */
#include "mvm_apic.h"

/* TDCR encodes divisor 2^n as bits 3,1:0 = n - 1, and divisor 1 as 0b1011. */
static uint32_t timer_tdcr(unsigned int divide)
{
	unsigned int n = 0;

	while (n < 7 && (1U << n) < divide)
		n++;
	if (n == 0)
		return 0xb;
	n--;
	return ((n & 4) << 1) | (n & 3);
}

/* The LVT first, then the initial count: writing TMICT is what starts the timer. */
static void timer_arm(uint32_t lvt, uint32_t count, unsigned int divide)
{
	apic_write(APIC_TDCR, timer_tdcr(divide));
	apic_write(APIC_LVTT, lvt);
	apic_write(APIC_TMICT, count);
}

void apic_timer_oneshot(uint8_t vector, uint32_t count, unsigned int divide)
{
	timer_arm(APIC_LVT_TIMER_ONESHOT | vector, count, divide);
}

void apic_timer_periodic(uint8_t vector, uint32_t count, unsigned int divide)
{
	timer_arm(APIC_LVT_TIMER_PERIODIC | vector, count, divide);
}

int apic_timer_tsc_deadline(uint8_t vector, uint64_t deadline)
{
	if (!apic_tsc_deadline_offered())
		return -1;
	apic_write(APIC_LVTT, APIC_LVT_TIMER_TSCDL | vector);
	/* The SDM asks for this fence so the MSR write cannot pass the xAPIC's LVT store. */
	asm volatile("mfence" : : : "memory");
	wrmsr(MSR_TSC_DEADLINE, deadline);
	return 0;
}

void apic_timer_stop(void)
{
	uint32_t lvt = apic_read(APIC_LVTT);

	apic_write(APIC_LVTT, lvt | APIC_LVT_MASKED);
	if ((lvt & (3U << 17)) == APIC_LVT_TIMER_TSCDL)
		wrmsr(MSR_TSC_DEADLINE, 0);
	else
		apic_write(APIC_TMICT, 0);
}

uint32_t apic_timer_current(void)
{
	return apic_read(APIC_TMCCT);
}
