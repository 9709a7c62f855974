/* SPDX-License-Identifier: MIT */
/*
 * guest_bench_exits - what one round trip of each exit class costs, in guest
 * TSC cycles, like kvm-unit-tests' vmexit: CPUID, port I/O KVM handles (the
 * PIC's ELCR), port I/O and MMIO that go out to minivmm, a self-IPI, an IPI
 * to a running vCPU, and an IPI that wakes a halted vCPU after a short and
 * after a long halt; and, as the baseline, the same loop with a NOP. Each
 * class runs BATCHES batches; a batch's cost is its cycles over its round
 * trips. Per class the BSP reports that every round trip completed, prints
 * the smallest and the median batch ("bench_exits class=... min=...
 * median=...", read by tests/bench/exits_bench.sh) and makes a checkpoint
 * (id = row + 1, the class as label) for --stats to count what KVM did. It
 * prints the TSC rate the SDK calibrated against the in-kernel PIT first.
 * docs/performance.md explains the classes and shows a run.
 *
 * KVM path, per class:
 *   nop          none: the loop alone, with a NOP in place of the exit.
 *   cpuid        CPUID leaf 0: handle_cpuid / cpuid_interception ->
 *                kvm_emulate_cpuid, in the kernel.
 *   pio_kernel   IN from 0x4d0: handle_io / io_interception -> kvm_fast_pio
 *                -> emulator_pio_in -> kernel_pio -> the PIC's ELCR
 *                (picdev_elcr_read), in the kernel.
 *   pio_user     OUT to the test device's scratch port: kvm_fast_pio ->
 *                KVM_EXIT_IO, minivmm's handler, complete_fast_pio_out on
 *                the next KVM_RUN.
 *   mmio_user    a 32-bit store to the test device's MMIO scratch: an MMIO
 *                fault (EPT misconfig / NPF) -> x86_emulate_instruction ->
 *                KVM_EXIT_MMIO, minivmm's handler, the next KVM_RUN.
 *   ipi_self     an xAPIC ICR write with the self shorthand (apic_mmio_write
 *                -> kvm_apic_send_ipi -> __apic_accept_irq), the interrupt
 *                injected at an entry, the handler, its EOI write.
 *   ipi_remote   timed on vCPU 1: ICR2 and ICR writes -> kvm_apic_send_ipi
 *                -> kvm_vcpu_kick of vCPU 0, which busy-waits (IF set) in
 *                mvm_on_cpu(); its handler bumps a counter and EOIs; vCPU 1
 *                spins until it sees the counter move.
 *   hlt_wake_*   the same from vCPU 0 to vCPU 1, halted in the SDK's idle
 *                loop (kvm_emulate_halt -> kvm_vcpu_halt: halt polling, then
 *                the thread blocks) for HLT_SHORT_US or HLT_LONG_US before
 *                each IPI; the kick (kvm_vcpu_wake_up) ends the halt.
 * The APIC accesses are bare MMIO writes, not apic_write(), whose RDMSR of
 * IA32_APIC_BASE would add an exit to each; the waits spin without PAUSE,
 * which could exit (PAUSE-loop exiting) on VMX and SVM. Only the two
 * userspace classes reach minivmm: the trace holds one exit record per
 * round trip of those and none for the others.
 *
 * Memory map (long mode, irqchip kernel, 2 vCPUs): payload at MVM_LOAD_GPA
 * (0x100000) with the IDT, the AP stack and the counters in its .bss; BSP
 * stack below MVM_STACK_TOP (0x90000); AP start code at
 * MVM_AP_TRAMPOLINE_GPA (0x3000); LAPIC at 0xfee00000; test device at
 * MVM_TESTDEV_MMIO_GPA (0xd0000000) and port MVM_TESTDEV_PORT (0xe00);
 * ELCR at port 0x4d0; PIT ports 0x40 and 0x43 (TSC calibration).
 */
#include "mvm_apic.h"
#include "mvm_smp.h"
#include "mvm_time.h"

#define BATCHES	     15 /* odd: the median is one batch */
#define AP	     1
#define V_TO_BSP     0x40
#define V_TO_AP	     0x41
#define V_SELF	     0x42
#define ACK_WAIT_US  1000000 /* for one IPI to be acknowledged */
#define HLT_SHORT_US 20	     /* within KVM's default halt polling (200 us) */
#define HLT_LONG_US  2000    /* past it */

#define ELCR_PORT    0x4d0 /* the master PIC's ELCR, KVM's with irqchip kernel */
#define SCRATCH_PORT (MVM_TESTDEV_PORT + MVM_TESTDEV_REG_SCRATCH)
#define SCRATCH_MMIO (MVM_TESTDEV_MMIO_GPA + MVM_TESTDEV_REG_SCRATCH)

/* Interrupts taken per vector, V_TO_BSP to V_SELF; zeroed before each class. */
static volatile uint32_t acks[3];

struct bench {
	const char *name;
	uint32_t n; /* round trips per batch */
	/* Cycles of one batch, round trips first to first + n - 1; 0 if one failed. */
	uint64_t (*batch)(const struct bench *b, uint32_t first);
	uint64_t halt_us;	  /* hlt_wake_*: the halt before each IPI */
	uint64_t cycles[BATCHES]; /* per round trip, per batch */
	int ok;			  /* every round trip completed */
};

static void h_ack(unsigned int v)
{
	atomic_inc32(&acks[v - V_TO_BSP]);
	mmio_write32(APIC_MMIO_GPA + APIC_EOI, 0);
}

/* xAPIC, fixed delivery, physical destination: ICR2, then ICR, which sends. */
static void ipi(uint32_t dest, uint32_t shorthand, uint8_t vector)
{
	if (!shorthand)
		mmio_write32(APIC_MMIO_GPA + APIC_ICR2, dest << 24);
	mmio_write32(APIC_MMIO_GPA + APIC_ICR, shorthand | APIC_ICR_ASSERT | vector);
}

/* Waits for vector's count to reach want; 0 if it did not within ACK_WAIT_US. */
static int wait_ack(uint8_t vector, uint32_t want)
{
	volatile uint32_t *a = &acks[vector - V_TO_BSP];
	uint64_t end;

	if (atomic_read32(a) == want)
		return 1;
	end = rdtsc() + mvm_tsc_from_us(ACK_WAIT_US);
	while (atomic_read32(a) != want)
		if (rdtsc() > end)
			return 0;
	return 1;
}

static uint64_t batch_nop(const struct bench *b, uint32_t first)
{
	uint64_t t0 = rdtsc();
	uint32_t i;

	(void)first;
	for (i = 0; i < b->n; i++)
		asm volatile("nop");
	return rdtsc() - t0;
}

static uint64_t batch_cpuid(const struct bench *b, uint32_t first)
{
	uint32_t i, eax, ebx, ecx, edx;
	uint64_t t0 = rdtsc();

	(void)first;
	for (i = 0; i < b->n; i++)
		cpuid(0, 0, &eax, &ebx, &ecx, &edx);
	return rdtsc() - t0;
}

static uint64_t batch_pio_kernel(const struct bench *b, uint32_t first)
{
	uint64_t t0 = rdtsc();
	uint32_t i;

	(void)first;
	for (i = 0; i < b->n; i++)
		(void)inb(ELCR_PORT);
	return rdtsc() - t0;
}

static uint64_t batch_pio_user(const struct bench *b, uint32_t first)
{
	uint64_t t0 = rdtsc();
	uint32_t i;

	for (i = 0; i < b->n; i++)
		outb(SCRATCH_PORT, (uint8_t)(first + i));
	return rdtsc() - t0;
}

static uint64_t batch_mmio_user(const struct bench *b, uint32_t first)
{
	uint64_t t0 = rdtsc();
	uint32_t i;

	for (i = 0; i < b->n; i++)
		mmio_write32(SCRATCH_MMIO, first + i);
	return rdtsc() - t0;
}

static uint64_t batch_ipi_self(const struct bench *b, uint32_t first)
{
	uint64_t t0 = rdtsc();
	uint32_t i;

	for (i = 0; i < b->n; i++) {
		ipi(0, APIC_DEST_SELF, V_SELF);
		if (!wait_ack(V_SELF, first + i + 1))
			return 0;
	}
	return rdtsc() - t0;
}

/* Runs on vCPU 1, every batch of ipi_remote: vCPU 0 is the target. */
static void ap_ipi_remote(void *arg)
{
	struct bench *b = arg;
	uint32_t i, k, sent = 0;
	uint64_t t0;

	for (k = 0; k < BATCHES; k++) {
		t0 = rdtsc();
		for (i = 0; i < b->n; i++) {
			ipi(0, 0, V_TO_BSP);
			if (!wait_ack(V_TO_BSP, ++sent))
				return;
		}
		b->cycles[k] = (rdtsc() - t0) / b->n;
	}
	b->ok = 1;
}

/* Each round trip timed alone: the halt before it is not part of it. */
static uint64_t batch_hlt_wake(const struct bench *b, uint32_t first)
{
	uint64_t sum = 0, t0;
	uint32_t i;

	for (i = 0; i < b->n; i++) {
		mvm_udelay(b->halt_us);
		t0 = rdtsc();
		ipi(AP, 0, V_TO_AP);
		if (!wait_ack(V_TO_AP, first + i + 1))
			return 0;
		sum += rdtsc() - t0;
	}
	return sum;
}

/*
 * Round trips per batch: enough for a TSC reading to be exact where an
 * exit costs a microsecond, few enough that this host (every instruction
 * emulated, interrupts taken only between emulator batches) runs it all
 * in a few seconds.
 */
static struct bench benches[] = {
	{ "nop", 100, batch_nop, 0, { 0 }, 0 },
	{ "cpuid", 100, batch_cpuid, 0, { 0 }, 0 },
	{ "pio_kernel", 100, batch_pio_kernel, 0, { 0 }, 0 },
	{ "pio_user", 100, batch_pio_user, 0, { 0 }, 0 },
	{ "mmio_user", 100, batch_mmio_user, 0, { 0 }, 0 },
	{ "ipi_self", 20, batch_ipi_self, 0, { 0 }, 0 },
	{ "ipi_remote", 10, NULL, 0, { 0 }, 0 },
	{ "hlt_wake_20us", 20, batch_hlt_wake, HLT_SHORT_US, { 0 }, 0 },
	{ "hlt_wake_2ms", 10, batch_hlt_wake, HLT_LONG_US, { 0 }, 0 },
};
#define NBENCH (sizeof(benches) / sizeof(benches[0]))

static void run_batches(struct bench *b)
{
	uint32_t k;
	uint64_t c;

	acks[0] = acks[1] = acks[2] = 0;
	if (!b->batch) {
		b->ok = mvm_on_cpu(AP, ap_ipi_remote, b) == 0 && b->ok;
		return;
	}
	for (k = 0; k < BATCHES; k++) {
		c = b->batch(b, k * b->n);
		if (!c)
			return;
		b->cycles[k] = c / b->n;
	}
	b->ok = 1;
}

/* What only a class whose every round trip went through leaves behind. */
static int check_state(const struct bench *b)
{
	uint32_t last = BATCHES * b->n - 1;

	if (b->batch == batch_pio_user)
		return inb(SCRATCH_PORT) == (uint8_t)last;
	if (b->batch == batch_mmio_user)
		return mmio_read32(SCRATCH_MMIO) == last;
	return 1;
}

static void print_bench(struct bench *b)
{
	uint64_t *c = b->cycles, t;
	int i, j;

	for (i = 1; i < BATCHES; i++)
		for (j = i; j > 0 && c[j - 1] > c[j]; j--)
			t = c[j], c[j] = c[j - 1], c[j - 1] = t;
	mvm_printf("bench_exits class=%s n=%u batches=%u min=%llu median=%llu\n", b->name, b->n,
		   BATCHES, (unsigned long long)c[0], (unsigned long long)c[BATCHES / 2]);
}

int main(void)
{
	uint32_t khz;
	unsigned int i;

	if (mvm_irqchip() != MVM_IRQCHIP_KERNEL || mvm_smp_cpus() < 2)
		mvm_skip("guest_bench_exits needs irqchip kernel and 2 vCPUs in its header");
	pic_mask_all();
	khz = mvm_tsc_khz();
	for (i = V_TO_BSP; i <= V_SELF; i++)
		mvm_irq_set(i, h_ack); /* mvm_smp_start() loads the IDT */
	if (mvm_smp_start() < 2)
		mvm_exit(MVM_FAIL, "guest_bench_exits: vCPU 1 did not start");
	mvm_printf("bench_exits tsc_khz=%u source=pit\n", khz);
	for (i = 0; i < NBENCH; i++) {
		struct bench *b = &benches[i];

		irq_enable();
		run_batches(b);
		irq_disable();
		b->ok = b->ok && check_state(b);
		report(b->ok, "%s: %u round trips completed", b->name, BATCHES * b->n);
		if (b->ok)
			print_bench(b);
		mvm_checkpoint(i + 1, b->name);
	}
	return MVM_PASS;
}
