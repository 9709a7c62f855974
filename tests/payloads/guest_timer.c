/* SPDX-License-Identifier: MIT */
/*
 * guest_timer - the LAPIC timer on one vCPU: one-shot, periodic, and
 * TSC-deadline when CPUID.1:ECX[24] offers it (otherwise that part is
 * skipped with a print). Interrupts are counted and their TSC taken in the
 * handler; the checks are bounds, not exact times: a timer never fires
 * before its time (minus a 20% calibration margin) and fires within a
 * generous second after it, as this host emulates every instruction. The
 * TSC is calibrated against the PIT, the timer's rate against the TSC; run
 * with an irqchip that has no PIT (--irqchip split) it skips (77).
 *
 * KVM path: TMICT, LVTT and TDCR writes are kvm_lapic_reg_write ->
 * start_apic_timer (one-shot and periodic: start_sw_period's hrtimer, or
 * the VMX preemption timer via kvm_lapic_switch_to_hv_timer); TSC-deadline
 * is kvm_set_lapic_tscdeadline_msr (a fastpath WRMSR on VMX:
 * handle_fastpath_set_msr_irqoff). Expiry is apic_timer_fn /
 * kvm_lapic_expired_hv_timer -> apic_timer_expired ->
 * kvm_inject_apic_timer_irqs -> kvm_apic_local_deliver(APIC_LVTT) ->
 * __apic_accept_irq; periodic reloads through
 * advance_periodic_target_expiration; TMCCT reads are apic_get_tmcct.
 * None of it reaches userspace: the trace holds only the report calls.
 *
 * Memory map (long mode, irqchip kernel): payload at MVM_LOAD_GPA
 * (0x100000) with the 256-entry IDT in its .bss, stack below MVM_STACK_TOP
 * (0x90000), LAPIC at 0xfee00000. PIT ports 0x40 and 0x43 (calibration).
 */
#include "mvm_apic.h"
#include "mvm_time.h"

#define V_TIMER	      0x40
#define DIVIDE	      16
#define ONESHOT_MS    5
#define PERIOD_MS     2
#define PERIODS	      10
#define LATE_US	      1000000 /* how late an interrupt may come */
#define QUIET_PERIODS 3	      /* waited after the last wanted interrupt, for extras */
#define MAX_STAMPS    16

static volatile uint32_t ticks;
static volatile uint64_t stamp[MAX_STAMPS];
static uint32_t apic_per_ms; /* timer counts per ms at DIVIDE */

static void h_timer(unsigned int v)
{
	(void)v;
	if (ticks < MAX_STAMPS)
		stamp[ticks] = rdtsc();
	ticks++;
	apic_eoi();
}

static int wait_ticks(uint32_t n, uint64_t us)
{
	uint64_t end = rdtsc() + mvm_tsc_from_us(us);

	while (ticks < n && rdtsc() < end)
		asm volatile("pause");
	return ticks >= n;
}

/* Elapsed time against [0.8 * want, want + LATE_US], printing the time only if out. */
static void report_elapsed(const char *what, uint64_t tsc, uint64_t want_us)
{
	uint64_t us = mvm_tsc_to_us(tsc);
	int ok = us * 10 >= want_us * 8 && us <= want_us + LATE_US;

	report(ok, "%s: after %llu us, not early, at most %u ms late", what,
	       (unsigned long long)want_us, LATE_US / 1000);
	if (!ok)
		mvm_printf("guest_timer: %s: got %llu us\n", what, (unsigned long long)us);
}

static void calibrate(void)
{
	uint32_t c0, c1;
	uint64_t t0, t1;

	apic_write(APIC_LVTT, APIC_LVT_MASKED | V_TIMER);
	apic_write(APIC_TDCR, 0x3); /* divide by 16 */
	apic_write(APIC_TMICT, 0xffffffff);
	c0 = apic_timer_current();
	t0 = rdtsc();
	mvm_udelay(10000);
	c1 = apic_timer_current();
	t1 = rdtsc();
	apic_timer_stop();
	report(c1 < c0, "calibration: the current count counts down");
	apic_per_ms = (uint32_t)((uint64_t)(c0 - c1) * mvm_tsc_khz() / (t1 - t0));
	report(apic_per_ms > 0, "calibration: the timer ticks");
}

static void test_oneshot(void)
{
	uint64_t t0;
	uint32_t tmcct;

	ticks = 0;
	t0 = rdtsc();
	apic_timer_oneshot(V_TIMER, apic_per_ms * ONESHOT_MS, DIVIDE);
	wait_ticks(1, ONESHOT_MS * 1000 + LATE_US);
	mvm_udelay(QUIET_PERIODS * ONESHOT_MS * 1000);
	report(ticks == 1, "one-shot: exactly one interrupt (got %u)", ticks);
	if (ticks)
		report_elapsed("one-shot", stamp[0] - t0, ONESHOT_MS * 1000);
	tmcct = apic_timer_current();
	report(tmcct == 0, "one-shot: current count 0 once fired (got %u)", tmcct);
	apic_timer_stop();
}

static void test_periodic(void)
{
	uint32_t n, i, reloaded = 0;
	uint64_t t0;

	ticks = 0;
	t0 = rdtsc();
	apic_timer_periodic(V_TIMER, apic_per_ms * PERIOD_MS, DIVIDE);
	report(wait_ticks(1, PERIOD_MS * 1000 + LATE_US), "periodic: first interrupt");
	/* Fired and reloaded: a one-shot would read 0 from here on. */
	for (i = 0; i < 100 && !reloaded; i++)
		reloaded = apic_timer_current() != 0;
	report(reloaded, "periodic: current count reloads after an interrupt");
	report(wait_ticks(PERIODS, PERIODS * PERIOD_MS * 1000 + LATE_US), "periodic: %u interrupts",
	       PERIODS);
	apic_timer_stop();
	if (ticks >= PERIODS)
		report_elapsed("periodic: 10 periods", stamp[PERIODS - 1] - t0,
			       PERIODS * PERIOD_MS * 1000);
	n = ticks;
	mvm_udelay(QUIET_PERIODS * PERIOD_MS * 1000);
	report(ticks == n, "periodic: stopped by masking and a zero count (got %u more)",
	       ticks - n);
}

static void test_tsc_deadline(void)
{
	uint64_t dl, ms = mvm_tsc_from_us(1000);

	ticks = 0;
	dl = rdtsc() + ONESHOT_MS * ms;
	apic_timer_tsc_deadline(V_TIMER, dl);
	wait_ticks(1, ONESHOT_MS * 1000 + LATE_US);
	mvm_udelay(QUIET_PERIODS * ONESHOT_MS * 1000);
	report(ticks == 1, "TSC-deadline: exactly one interrupt (got %u)", ticks);
	report(ticks && stamp[0] >= dl, "TSC-deadline: not before the deadline");
	report(ticks && stamp[0] - dl <= mvm_tsc_from_us(LATE_US),
	       "TSC-deadline: at most %u ms late", LATE_US / 1000);
	report(rdmsr(MSR_TSC_DEADLINE) == 0, "TSC-deadline: the MSR reads 0 once fired");

	ticks = 0;
	apic_timer_tsc_deadline(V_TIMER, rdtsc() + ONESHOT_MS * ms);
	wrmsr(MSR_TSC_DEADLINE, 0);
	mvm_udelay(QUIET_PERIODS * ONESHOT_MS * 1000);
	report(ticks == 0, "TSC-deadline: writing 0 disarms it (got %u)", ticks);

	/* A deadline already past fires at once. */
	apic_timer_tsc_deadline(V_TIMER, 1);
	report(wait_ticks(1, LATE_US), "TSC-deadline: a past deadline fires");
	apic_timer_stop();
}

int main(void)
{
	pic_mask_all();
	mvm_irq_init();
	apic_sw_enable();
	mvm_irq_set(V_TIMER, h_timer);
	if (mvm_irqchip() != MVM_IRQCHIP_KERNEL)
		mvm_skip("guest_timer needs the in-kernel PIT (irqchip kernel) to calibrate the "
			 "TSC");
	report(mvm_tsc_khz() != 0, "TSC calibrated against the in-kernel PIT");
	if (!mvm_tsc_khz())
		return MVM_FAIL;
	calibrate();
	if (!apic_per_ms)
		return MVM_FAIL;
	irq_enable();
	test_oneshot();
	test_periodic();
	if (apic_tsc_deadline_offered())
		test_tsc_deadline();
	else
		mvm_print("guest_timer: CPUID.1:ECX[24] clear: no TSC-deadline mode, that part "
			  "skipped\n");
	irq_disable();
	return MVM_PASS;
}
