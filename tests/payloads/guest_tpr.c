/* SPDX-License-Identifier: MIT */
/*
 * guest_tpr - task priority and EOI ordering on one vCPU, with self-IPIs:
 * an interrupt whose priority class (vector >> 4) is at or below the TPR's
 * stays pending in IRR until the TPR drops; two pending interrupts are taken
 * highest first; while one is in service, its own and lower classes wait for
 * its EOI and higher ones nest; an EOI retires the highest vector in
 * service. Run in xAPIC mode, then again in x2APIC mode when CPUID offers it.
 *
 * KVM path: TPR through CR8 is kvm_set_cr8 -> kvm_lapic_set_tpr ->
 * apic_set_tpr -> apic_update_ppr (VMX without a TPR shadow: handle_cr; with
 * one CR8 does not exit, and lowering it below the threshold is
 * handle_tpr_below_threshold; SVM: cr8_write_interception, or V_TPR synced
 * by sync_cr8_to_lapic / sync_lapic_to_cr8). The MMIO TPR and the x2APIC
 * MSR are kvm_lapic_reg_write(APIC_TASKPRI). kvm_lapic_sync_from_vapic
 * runs only with a VAPIC page (KVM_SET_VAPIC_ADDR), which minivmm does not
 * set. Self-IPIs: kvm_lapic_reg_write(APIC_ICR or APIC_SELF_IPI) ->
 * kvm_apic_send_ipi -> __apic_accept_irq (IRR) -> vmx_deliver_interrupt /
 * svm_deliver_interrupt; delivery picks apic_has_interrupt_for_ppr and
 * kvm_get_apic_interrupt -> apic_set_isr; EOI is apic_set_eoi ->
 * apic_find_highest_isr -> apic_clear_isr -> apic_update_ppr. None of it
 * reaches userspace: the trace holds only the report calls.
 *
 * Memory map (long mode, irqchip kernel): payload at MVM_LOAD_GPA
 * (0x100000) with the 256-entry IDT in its .bss, stack below MVM_STACK_TOP
 * (0x90000), LAPIC at 0xfee00000 (xAPIC MMIO; x2APIC uses MSRs 0x800+).
 */
#include "mvm_apic.h"
#include "mvm_time.h"

#define V_LOW	 0x51  /* class 5 */
#define V_MID	 0x61  /* class 6 */
#define V_MID2	 0x62  /* class 6 */
#define V_HIGH	 0x71  /* class 7 */
#define LOG_END	 0x100 /* a handler's "returning" mark: vector | LOG_END */
#define LOG_MAX	 16
#define WAIT_US	 1000000 /* for an interrupt that must come */
#define QUIET_US 5000	 /* for one that must not */

static const char *mode;
static volatile uint16_t log_v[LOG_MAX];
static volatile unsigned int log_n;

/* What the nesting handlers saw, for main to report. */
static volatile int held_quiet, ppr_in_service, isr_both, eoi_kept_low;

static void log_add(uint16_t v)
{
	if (log_n < LOG_MAX)
		log_v[log_n] = v;
	log_n++;
}

static void log_reset(void)
{
	log_n = 0;
}

static int wait_log(unsigned int n)
{
	uint64_t end = rdtsc() + mvm_tsc_from_us(WAIT_US);

	while (log_n < n && rdtsc() < end)
		asm volatile("pause");
	return log_n >= n;
}

/* Reports the log against what it should be, as vectors in hex. */
static void report_log(const char *what, const uint16_t *want, unsigned int n)
{
	char got[96] = "", exp[96] = "";
	unsigned int i, len = 0, elen = 0;
	int ok = log_n == n;

	for (i = 0; i < log_n && i < LOG_MAX; i++) {
		len += snprintf(got + len, sizeof(got) - len, "%s%x", i ? "," : "", log_v[i]);
		ok = ok && i < n && log_v[i] == want[i];
	}
	for (i = 0; i < n; i++)
		elen += snprintf(exp + elen, sizeof(exp) - elen, "%s%x", i ? "," : "", want[i]);
	report(ok, "%s: %s: order wanted %s, got %s", mode, what, exp, got);
}

static void h_log(unsigned int v)
{
	log_add((uint16_t)v);
	apic_eoi();
}

static void test_tpr_is_cr8(void)
{
	apic_set_tpr(0x50);
	report(read_cr8() == 5, "%s: TPR 0x50 reads as CR8 5 (got %lu)", mode, read_cr8());
	write_cr8(9);
	report(apic_tpr() == 0x90, "%s: CR8 9 reads as TPR 0x90 (got %#x)", mode, apic_tpr());
	report(apic_ppr() == 0x90, "%s: PPR is TPR with nothing in service (got %#x)", mode,
	       apic_ppr());
	write_cr8(0);
	report(apic_tpr() == 0, "%s: CR8 0 clears TPR (got %#x)", mode, apic_tpr());
}

static void test_tpr_masks(void)
{
	static const uint16_t want1[] = { V_HIGH }, want2[] = { V_HIGH, V_MID },
			      want3[] = { V_HIGH, V_MID, V_LOW };

	mvm_irq_set(V_LOW, h_log);
	mvm_irq_set(V_MID, h_log);
	mvm_irq_set(V_HIGH, h_log);
	log_reset();
	irq_enable();
	write_cr8(V_MID >> 4);
	apic_ipi_self(V_MID);
	apic_ipi_self(V_LOW);
	apic_ipi_self(V_HIGH);
	wait_log(1);
	mvm_udelay(QUIET_US);
	report_log("CR8 6: class 7 taken, 6 and 5 held", want1, 1);
	report(apic_irr_test(V_MID) && apic_irr_test(V_LOW),
	       "%s: CR8 6: 0x61 and 0x51 pending in IRR", mode);
	write_cr8(V_LOW >> 4);
	wait_log(2);
	mvm_udelay(QUIET_US);
	report_log("CR8 5: class 6 taken, 5 held", want2, 2);
	report(apic_irr_test(V_LOW), "%s: CR8 5: 0x51 still pending", mode);
	write_cr8(0);
	wait_log(3);
	mvm_udelay(QUIET_US);
	irq_disable();
	report_log("CR8 0: class 5 taken", want3, 3);
	report(!apic_irr_test(V_LOW) && !apic_irr_test(V_MID) && !apic_irr_test(V_HIGH),
	       "%s: IRR empty at the end", mode);
}

static void test_highest_first(void)
{
	static const uint16_t want[] = { V_HIGH, V_LOW };

	mvm_irq_set(V_LOW, h_log);
	mvm_irq_set(V_HIGH, h_log);
	log_reset();
	apic_ipi_self(V_LOW);
	apic_ipi_self(V_HIGH);
	report(apic_irr_test(V_LOW) && apic_irr_test(V_HIGH), "%s: IF=0: 0x51 and 0x71 pending",
	       mode);
	irq_enable();
	wait_log(2);
	mvm_udelay(QUIET_US);
	irq_disable();
	report_log("two pending, highest first", want, 2);
}

/* In service at class 6 with IF set: its class and lower wait, class 7 nests. */
static void h_hold(unsigned int v)
{
	unsigned int n;

	log_add((uint16_t)v);
	ppr_in_service = apic_ppr();
	irq_enable();
	apic_ipi_self(V_MID2);
	apic_ipi_self(V_LOW);
	n = log_n;
	mvm_udelay(QUIET_US);
	held_quiet = log_n == n;
	apic_ipi_self(V_HIGH);
	wait_log(n + 1);
	/* Retires 0x61: 0x62 then 0x51 come in at once, nested in this handler. */
	apic_eoi();
	wait_log(n + 3);
	irq_disable();
	log_add((uint16_t)(v | LOG_END));
}

static void test_in_service(void)
{
	static const uint16_t want[] = { V_MID, V_HIGH, V_MID2, V_LOW, V_MID | LOG_END };

	mvm_irq_set(V_MID, h_hold);
	mvm_irq_set(V_MID2, h_log);
	mvm_irq_set(V_LOW, h_log);
	mvm_irq_set(V_HIGH, h_log);
	log_reset();
	apic_ipi_self(V_MID);
	irq_enable();
	wait_log(5);
	irq_disable();
	report(ppr_in_service == (V_MID & 0xf0), "%s: PPR 0x60 while 0x61 is in service (got %#x)",
	       mode, ppr_in_service);
	report(held_quiet, "%s: 0x62 (same class) and 0x51 (lower) wait for 0x61's EOI", mode);
	report_log("0x71 nests, EOI of 0x61 lets 0x62 then 0x51 in", want, 5);
}

/* 0x71 nested in 0x51: the EOI must retire 0x71, the highest in service. */
static void h_inner(unsigned int v)
{
	log_add((uint16_t)v);
	isr_both = apic_isr_test(V_LOW) && apic_isr_test(V_HIGH);
	apic_eoi();
	eoi_kept_low = !apic_isr_test(V_HIGH) && apic_isr_test(V_LOW);
}

static void h_outer(unsigned int v)
{
	log_add((uint16_t)v);
	irq_enable();
	apic_ipi_self(V_HIGH);
	wait_log(2);
	irq_disable();
	apic_eoi();
	log_add((uint16_t)(v | LOG_END));
}

static void test_eoi_highest(void)
{
	static const uint16_t want[] = { V_LOW, V_HIGH, V_LOW | LOG_END };

	mvm_irq_set(V_LOW, h_outer);
	mvm_irq_set(V_HIGH, h_inner);
	log_reset();
	apic_ipi_self(V_LOW);
	irq_enable();
	wait_log(3);
	irq_disable();
	report_log("0x71 nested in 0x51", want, 3);
	report(isr_both, "%s: 0x51 and 0x71 both in service while nested", mode);
	report(eoi_kept_low, "%s: EOI retires 0x71 and leaves 0x51 in service", mode);
	report(!apic_isr_test(V_LOW), "%s: ISR empty after the second EOI", mode);
}

static volatile int probe_in_service;

static void h_probe(unsigned int v)
{
	probe_in_service = apic_isr_test((uint8_t)v);
	log_add((uint16_t)v);
	apic_eoi();
}

/*
 * supported(): is a vector in service (its ISR bit set) inside its own
 * handler? The SDM says so, and KVM on VMX and SVM does it; kvm_pvm here
 * EOIs at delivery, so its ISR is empty in the handler and nothing ever
 * waits for an EOI. The in-service cases are skipped there, with a print.
 */
static int in_service_kept(void)
{
	mvm_irq_set(V_MID, h_probe);
	log_reset();
	apic_ipi_self(V_MID);
	irq_enable();
	wait_log(1);
	irq_disable();
	return probe_in_service;
}

static void run_all(const char *m)
{
	mode = m;
	test_tpr_is_cr8();
	test_tpr_masks();
	test_highest_first();
	if (!in_service_kept()) {
		mvm_printf("guest_tpr: %s: ISR bit clear in its own handler (this KVM EOIs at "
			   "delivery): in-service and EOI-order cases skipped\n",
			   mode);
		return;
	}
	test_in_service();
	test_eoi_highest();
}

int main(void)
{
	pic_mask_all();
	mvm_irq_init();
	apic_sw_enable();
	if (mvm_irqchip() == MVM_IRQCHIP_KERNEL)
		report(mvm_tsc_khz() != 0, "TSC calibrated against the in-kernel PIT");
	else
		mvm_print("guest_tpr: no PIT with this irqchip: waits assume a fast TSC\n");
	run_all("xapic");
	if (apic_enable_x2apic() < 0) {
		mvm_print("guest_tpr: CPUID.1:ECX[21] clear: no x2APIC, its half skipped\n");
		return MVM_PASS;
	}
	report(apic_x2apic_enabled(), "x2APIC enabled through IA32_APIC_BASE");
	run_all("x2apic");
	return MVM_PASS;
}
