/* SPDX-License-Identifier: MIT */
/* smp.c - starts the APs (INIT/SIPI), their idle loop, and work the BSP hands them. */
#include "mvm_apic.h"
#include "mvm_smp.h"
#include "mvm_time.h"
#include "smp_boot.h"

_Static_assert(AP_TICKETS == MVM_SMP_MAX_CPUS - 1, "one AP stack per AP");

/* The CR4 bits an AP copies from the BSP: those legal before paging is on (not PCIDE). */
#define AP_CR4_KEEP                                                                      \
	(X86_CR4_PSE | X86_CR4_PAE | X86_CR4_PGE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT | \
	 X86_CR4_LA57)

/* The SDM's INIT-SIPI-SIPI: 10 ms after INIT, a second SIPI if the first did nothing. */
#define INIT_WAIT_US  10000
#define SIPI_RETRY_US 200000
/* Generous: this host's KVM emulates every guest instruction. */
#define START_TIMEOUT_US 10000000
#define WORK_TIMEOUT_US	 10000000

struct ap_slot {
	mvm_cpu_fn volatile fn; /* set by the BSP, cleared by the AP once fn returned */
	void *volatile arg;
	volatile uint32_t online;
};

extern const struct mvm_header mvm_header; /* entry.S: this payload's header, in memory */

struct ap_boot mvm_ap_boot;
static uint8_t ap_stacks[AP_TICKETS][AP_STACK_SIZE] __attribute__((aligned(16)));
static struct ap_slot ap_slots[MVM_SMP_MAX_CPUS];
static volatile uint32_t aps_online;
static uint32_t bsp_id;

unsigned int mvm_smp_cpus(void)
{
	unsigned int n = *(const volatile uint16_t *)&mvm_header.vcpus;

	n = n ? n : 1;

	return n < MVM_SMP_MAX_CPUS ? n : MVM_SMP_MAX_CPUS;
}

unsigned int mvm_smp_online(void)
{
	return 1 + atomic_read32(&aps_online);
}

int mvm_cpu_online(uint32_t apic_id)
{
	if (apic_id == bsp_id)
		return 1;
	return apic_id < MVM_SMP_MAX_CPUS && atomic_read32(&ap_slots[apic_id].online);
}

/* Waits for *flag to become nonzero; 0 on timeout. */
static int smp_wait(const volatile uint32_t *flag, uint64_t us)
{
	uint64_t end = rdtsc() + mvm_tsc_from_us(us);

	while (!atomic_read32(flag)) {
		if (rdtsc() > end)
			return 0;
		asm volatile("pause");
	}
	return 1;
}

static void smp_kick(unsigned int vector)
{
	(void)vector;
	apic_eoi();
}

/* The AP start code and what it needs of the BSP's state. */
static void smp_boot_prepare(void)
{
	size_t len = (size_t)(mvm_ap_tramp_end - mvm_ap_tramp_start);
	char *tramp = (char *)(uintptr_t)MVM_AP_TRAMPOLINE_GPA;

	mvm_ap_boot.cr0 = read_cr0();
	mvm_ap_boot.cr3 = read_cr3();
	mvm_ap_boot.cr4 = read_cr4() & AP_CR4_KEEP;
	mvm_ap_boot.efer = rdmsr(MSR_EFER) & ~EFER_LMA; /* LMA is the CPU's to set */
	mvm_ap_boot.stacks = (uintptr_t)ap_stacks;
	asm volatile("sidt %0" : "=m"(mvm_ap_boot.idt_limit) : : "memory");
	memcpy(tramp, mvm_ap_tramp_start, len);
	asm volatile("sgdt %0"
		     : "=m"(*(tramp + (mvm_ap_tramp_gdtr - mvm_ap_tramp_start)))
		     :
		     : "memory");
}

static int smp_start_ap(uint32_t id)
{
	int i;

	apic_ipi_init(id);
	mvm_udelay(INIT_WAIT_US);
	for (i = 0; i < 2; i++) {
		apic_ipi_startup(id, (uint8_t)(MVM_AP_TRAMPOLINE_GPA >> 12));
		if (smp_wait(&ap_slots[id].online, i ? START_TIMEOUT_US : SIPI_RETRY_US))
			return 0;
	}
	return -1;
}

unsigned int mvm_smp_start(void)
{
	static int started;
	unsigned int n = mvm_smp_cpus(), id;

	/* Again would INIT the APs out of their idle loops and count them twice. */
	if (started)
		return mvm_smp_online();
	started = 1;
	mvm_irq_init();
	mvm_irq_set(MVM_VEC_SMP_KICK, smp_kick);
	apic_sw_enable();
	bsp_id = apic_id();
	smp_boot_prepare();
	/* One at a time, in APIC ID order: tickets, stacks and the trace come out the same each run. */
	for (id = 0; id < n; id++)
		if (id != bsp_id && smp_start_ap(id) < 0)
			mvm_printf("smp: AP %u did not start\n", id);
	return mvm_smp_online();
}

void mvm_ap_main(void)
{
	struct ap_slot *s;
	mvm_cpu_fn fn;
	uint32_t id;

	/* The BSP registered the spurious handler; only this CPU's SVR is left. */
	apic_write(APIC_SVR, APIC_SVR_ENABLE | MVM_VEC_SPURIOUS);
	id = apic_id();
	if (id >= MVM_SMP_MAX_CPUS)
		for (;;)
			hlt();
	s = &ap_slots[id];
	atomic_inc32(&aps_online);
	atomic_set32(&s->online, 1);
	for (;;) {
		/* Look with IF clear: a kick arriving after the look wakes the HLT. */
		irq_disable();
		fn = s->fn;
		if (!fn) {
			irq_enable_hlt();
			continue;
		}
		irq_enable();
		fn(s->arg);
		asm volatile("" : : : "memory");
		s->fn = NULL;
	}
}

static void smp_post(uint32_t id, mvm_cpu_fn fn, void *arg)
{
	ap_slots[id].arg = arg;
	asm volatile("" : : : "memory");
	ap_slots[id].fn = fn;
	apic_ipi_fixed(id, MVM_VEC_SMP_KICK);
}

static void smp_wait_done(uint32_t id)
{
	uint64_t end = rdtsc() + mvm_tsc_from_us(WORK_TIMEOUT_US);

	while (ap_slots[id].fn) {
		if (rdtsc() > end) {
			mvm_printf("smp: AP %u did not finish its work\n", id);
			mvm_exit(MVM_FAIL, "AP work timed out");
		}
		asm volatile("pause");
	}
}

int mvm_on_cpu(uint32_t apic_id, mvm_cpu_fn fn, void *arg)
{
	if (!mvm_cpu_online(apic_id))
		return -1;
	if (apic_id == bsp_id) {
		fn(arg);
		return 0;
	}
	smp_post(apic_id, fn, arg);
	smp_wait_done(apic_id);
	return 0;
}

void mvm_on_each_ap(mvm_cpu_fn fn, void *arg)
{
	uint32_t id;

	for (id = 0; id < MVM_SMP_MAX_CPUS; id++)
		if (id != bsp_id && mvm_cpu_online(id))
			smp_post(id, fn, arg);
	for (id = 0; id < MVM_SMP_MAX_CPUS; id++)
		if (id != bsp_id && mvm_cpu_online(id))
			smp_wait_done(id);
}
