/* SPDX-License-Identifier: MIT */
/* mvm_time.h - the TSC, calibrated once against the PIT, and delays and deadlines in it. */
#ifndef MVM_TIME_H
#define MVM_TIME_H

#include "mvm_guest.h"

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/*
 * TSC ticks per millisecond, measured on the first call against the PIT's
 * channel 0 count: needs the in-kernel PIT, which only irqchip kernel has
 * (mvm_irqchip()). The first call reprograms channel 0 and masks IRQ 0 at
 * the PIC. Returns 0 if there is no PIT to measure against; the functions
 * below then assume MVM_TSC_KHZ_FALLBACK, high, so that timeouts err long.
 */
#define MVM_TSC_KHZ_FALLBACK 5000000U
uint32_t mvm_tsc_khz(void);

uint64_t mvm_tsc_from_us(uint64_t us);
uint64_t mvm_tsc_to_us(uint64_t ticks);
void mvm_udelay(uint64_t us);

#endif /* MVM_TIME_H */
