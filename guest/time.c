/* SPDX-License-Identifier: MIT */
/* time.c - TSC calibration against the PIT's channel 0 counter, and delays in TSC ticks. */
#include "mvm_irq.h"
#include "mvm_time.h"

#define PIT_HZ		1193182U
#define PIT_CH0		0x40
#define PIT_CMD		0x43
#define PIC_MASTER_DATA 0x21

/*
 * Channel 0, low then high byte, mode 0 (counts down once), binary; and the
 * latch command for channel 0. Channel 2 would spare IRQ 0, but its gate and
 * output are port 0x61, which KVM's PIT serves only with
 * KVM_PIT_SPEAKER_DUMMY; minivmm leaves that port to userspace.
 */
#define PIT_CMD_CH0_MODE0 0x30
#define PIT_CMD_CH0_LATCH 0x00

#define CAL_TICKS (PIT_HZ / 100) /* 10 ms of the PIT's 16-bit count */
#define CAL_RUNS  3
/*
 * Reads of a count that never moves: no PIT behind the ports (no irqchip, or
 * split). A real PIT moves within them: each read is three port accesses.
 */
#define CAL_NO_PIT 1000

static uint32_t tsc_khz;
static int tsc_calibrated;

static uint16_t pit_count(void)
{
	uint8_t lo, hi;

	outb(PIT_CMD, PIT_CMD_CH0_LATCH);
	lo = inb(PIT_CH0);
	hi = inb(PIT_CH0);
	return (uint16_t)(hi << 8 | lo);
}

/* TSC ticks per PIT tick, scaled by 2^16, over about CAL_TICKS; 0 without a PIT. */
static uint64_t tsc_per_pit_tick(void)
{
	uint16_t c0, c;
	uint64_t t0, t1;
	unsigned int reads = 0;

	outb(PIT_CMD, PIT_CMD_CH0_MODE0);
	outb(PIT_CH0, 0xff);
	outb(PIT_CH0, 0xff); /* counting down from 0xffff starts here */
	c0 = pit_count();
	t0 = rdtsc();
	do {
		c = pit_count();
		t1 = rdtsc();
		if (c == c0 && ++reads >= CAL_NO_PIT)
			return 0;
	} while ((uint16_t)(c0 - c) < CAL_TICKS);
	return ((t1 - t0) << 16) / (uint16_t)(c0 - c);
}

uint32_t mvm_tsc_khz(void)
{
	uint64_t best = 0, t;
	int i;

	/* Once, whatever came of it: without a PIT every call would cost 3000 exits. */
	if (tsc_calibrated)
		return tsc_khz;
	tsc_calibrated = 1;
	/* Only KVM's in-kernel irqchip comes with a PIT (KVM_CREATE_PIT2). */
	if (mvm_irqchip() != MVM_IRQCHIP_KERNEL)
		return 0;
	/* Channel 0 ends its count by raising IRQ 0: keep it from the BSP's LVT0 (ExtINT). */
	outb(PIC_MASTER_DATA, inb(PIC_MASTER_DATA) | 0x01);
	/* The smallest of a few: a window only comes out long (a late read, a preempted vCPU). */
	for (i = 0; i < CAL_RUNS; i++) {
		t = tsc_per_pit_tick();
		if (t == 0)
			return 0;
		if (best == 0 || t < best)
			best = t;
	}
	tsc_khz = (uint32_t)((best * PIT_HZ / 1000) >> 16);
	return tsc_khz;
}

static uint64_t khz(void)
{
	uint32_t k = mvm_tsc_khz();

	return k ? k : MVM_TSC_KHZ_FALLBACK;
}

uint64_t mvm_tsc_from_us(uint64_t us)
{
	return us * khz() / 1000;
}

uint64_t mvm_tsc_to_us(uint64_t ticks)
{
	return ticks * 1000 / khz();
}

void mvm_udelay(uint64_t us)
{
	uint64_t end = rdtsc() + mvm_tsc_from_us(us);

	while (rdtsc() < end)
		asm volatile("pause");
}
