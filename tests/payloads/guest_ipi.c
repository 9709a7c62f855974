/* SPDX-License-Identifier: MIT */
/*
 * guest_ipi - inter-processor interrupts on the four vCPUs of its header:
 * INIT/SIPI wakes every AP (real -> protected -> long mode on the SDK's
 * trampoline), then, in xAPIC mode and again in x2APIC mode, fixed IPIs
 * from the BSP to each AP, a ring where every vCPU sends to the next,
 * self-IPIs on every vCPU, and the all-but-self and all shorthands from the
 * BSP and all-but-self from an AP. Every vCPU counts what it receives per
 * vector; the BSP checks that every receiver took each IPI exactly once,
 * and reports the per-vCPU counts. Only the BSP makes host calls.
 *
 * KVM path: INIT and SIPI are kvm_apic_send_ipi -> __apic_accept_irq
 * (APIC_DM_INIT, APIC_DM_STARTUP: pending_events), then on the AP
 * kvm_apic_accept_events -> kvm_vcpu_reset and
 * kvm_x86_ops.vcpu_deliver_sipi_vector; the AP's KVM_RUN leaves
 * KVM_MP_STATE_UNINITIALIZED with -EAGAIN first. xAPIC IPIs:
 * apic_mmio_write -> kvm_lapic_reg_write(APIC_ICR) -> kvm_apic_send_ipi
 * (VMX with APICv: handle_apic_write); x2APIC: kvm_x2apic_icr_write, on
 * VMX through handle_fastpath_set_msr_irqoff, and the SELF IPI register.
 * Both end in kvm_irq_delivery_to_apic(_fast) -> __apic_accept_irq ->
 * vmx_deliver_interrupt / svm_deliver_interrupt (a posted interrupt or a
 * kick out of HLT: kvm_vcpu_kick). None of it reaches userspace.
 *
 * Memory map (long mode, irqchip kernel, 4 vCPUs): payload at
 * MVM_LOAD_GPA (0x100000) with the 256-entry IDT, the AP stacks and the
 * per-vCPU counters in its .bss; BSP stack below MVM_STACK_TOP (0x90000);
 * the AP start code copied to MVM_AP_TRAMPOLINE_GPA (0x3000); the VMM's
 * GDT at MVM_GDT_GPA (0x1000) and page tables at MVM_PT_GPA (0x10000),
 * shared by all vCPUs; LAPIC at 0xfee00000 (x2APIC: MSRs 0x800+).
 */
#include "mvm_apic.h"
#include "mvm_smp.h"
#include "mvm_time.h"

/* One vector per case and mode, so a stray IPI cannot count for another case. */
enum { CASE_FIXED, CASE_RING, CASE_SELF, CASE_ALLBUT, CASE_ALL, CASE_AP_ALLBUT, CASES };
#define V_XAPIC	 0x80
#define V_X2APIC (V_XAPIC + CASES)
#define WAIT_US	 2000000 /* for IPIs that must come */
#define QUIET_US 20000	 /* then for any that must not */

static volatile uint32_t counts[2 * CASES][MVM_SMP_MAX_CPUS];
static unsigned int ncpu;
static uint8_t vbase;
static const char *mode;

/* What each AP saw of itself, for the BSP to report. */
static volatile uint32_t ap_id[MVM_SMP_MAX_CPUS];
static volatile uint64_t ap_efer[MVM_SMP_MAX_CPUS], ap_cr3[MVM_SMP_MAX_CPUS];
static volatile uint32_t ap_x2apic[MVM_SMP_MAX_CPUS];

static void h_count(unsigned int v)
{
	uint32_t id = apic_id();

	if (id < MVM_SMP_MAX_CPUS && v >= V_XAPIC && v < V_XAPIC + 2 * CASES)
		atomic_inc32(&counts[v - V_XAPIC][id]);
	apic_eoi();
}

static void ap_whoami(void *arg)
{
	uint32_t slot = (uint32_t)(uintptr_t)arg;

	ap_id[slot] = apic_id();
	ap_efer[slot] = rdmsr(MSR_EFER);
	ap_cr3[slot] = read_cr3();
}

static void test_start(void)
{
	unsigned int online = mvm_smp_start(), id;
	int ids_ok = 1, mode_ok = 1;

	report(online == ncpu, "INIT/SIPI: %u of %u vCPUs online", online, ncpu);
	for (id = 1; id < ncpu; id++) {
		if (mvm_on_cpu(id, ap_whoami, (void *)(uintptr_t)id) < 0)
			continue;
		ids_ok &= ap_id[id] == id;
		mode_ok &= (ap_efer[id] & EFER_LMA) && ap_cr3[id] == read_cr3();
	}
	report(ids_ok, "APs: vCPU i runs with APIC ID i");
	report(mode_ok, "APs: in long mode (EFER.LMA) on the BSP's CR3");
}

/* Waits for the case's counts to add up to want, then a while for extras; reports them. */
static void check(int c, const char *what, const uint32_t *want)
{
	volatile uint32_t *got = counts[vbase - V_XAPIC + c];
	uint64_t end = rdtsc() + mvm_tsc_from_us(WAIT_US);
	char g[64] = "", w[64] = "";
	uint32_t sum, total = 0, i;
	int ok = 1, gl = 0, wl = 0;

	for (i = 0; i < ncpu; i++)
		total += want[i];
	do {
		for (sum = 0, i = 0; i < ncpu; i++)
			sum += atomic_read32(&got[i]);
	} while (sum < total && rdtsc() < end);
	mvm_udelay(QUIET_US);
	for (i = 0; i < ncpu; i++) {
		ok &= atomic_read32(&got[i]) == want[i];
		gl += snprintf(g + gl, sizeof(g) - gl, "%s%u", i ? "," : "",
			       atomic_read32(&got[i]));
		wl += snprintf(w + wl, sizeof(w) - wl, "%s%u", i ? "," : "", want[i]);
	}
	report(ok, "%s: %s: per-vCPU counts %s (wanted %s)", mode, what, g, w);
}

static void send_next(void *arg)
{
	(void)arg;
	apic_ipi_fixed((apic_id() + 1) % ncpu, vbase + CASE_RING);
}

static void send_self(void *arg)
{
	(void)arg;
	apic_ipi_self(vbase + CASE_SELF);
}

static void send_allbut(void *arg)
{
	(void)arg;
	apic_ipi_allbutself(vbase + CASE_AP_ALLBUT);
}

static void run_cases(const char *m, uint8_t base)
{
	uint32_t want[MVM_SMP_MAX_CPUS], i, last = ncpu - 1;

	mode = m;
	vbase = base;
	for (i = 0; i < ncpu; i++)
		want[i] = i != 0;
	for (i = 1; i < ncpu; i++)
		apic_ipi_fixed(i, vbase + CASE_FIXED);
	check(CASE_FIXED, "fixed IPI from the BSP to each AP by APIC ID", want);
	apic_ipi_allbutself(vbase + CASE_ALLBUT);
	check(CASE_ALLBUT, "all-but-self from the BSP", want);

	for (i = 0; i < ncpu; i++)
		want[i] = 1;
	mvm_on_each_ap(send_next, NULL);
	send_next(NULL);
	check(CASE_RING, "ring, each vCPU to the next", want);
	mvm_on_each_ap(send_self, NULL);
	send_self(NULL);
	check(CASE_SELF, "self-IPI on each vCPU", want);
	apic_ipi_all(vbase + CASE_ALL);
	check(CASE_ALL, "all (self included) from the BSP", want);

	for (i = 0; i < ncpu; i++)
		want[i] = i != last;
	mvm_on_cpu(last, send_allbut, NULL);
	check(CASE_AP_ALLBUT, "all-but-self from the last AP", want);
}

static void ap_x2apic_on(void *arg)
{
	(void)arg;
	if (apic_enable_x2apic() == 0)
		ap_x2apic[apic_id()] = 1;
}

static int all_x2apic(void)
{
	unsigned int i;
	int ok;

	mvm_on_each_ap(ap_x2apic_on, NULL);
	ok = apic_enable_x2apic() == 0;
	for (i = 1; i < ncpu; i++)
		ok &= ap_x2apic[i] == 1;
	return ok;
}

int main(void)
{
	unsigned int v;

	ncpu = mvm_smp_cpus();
	if (ncpu < 2)
		mvm_skip("guest_ipi needs at least 2 vCPUs in its header");
	pic_mask_all();
	for (v = V_XAPIC; v < V_XAPIC + 2 * CASES; v++)
		mvm_irq_set(v, h_count); /* mvm_smp_start() loads the IDT */
	test_start();
	if (mvm_smp_online() != ncpu)
		return MVM_FAIL;
	irq_enable();
	run_cases("xapic", V_XAPIC);
	if (!apic_x2apic_offered()) {
		mvm_print("guest_ipi: CPUID.1:ECX[21] clear: no x2APIC, its half skipped\n");
		return MVM_PASS;
	}
	report(all_x2apic(), "x2APIC enabled on every vCPU");
	run_cases("x2apic", V_X2APIC);
	irq_disable();
	return MVM_PASS;
}
