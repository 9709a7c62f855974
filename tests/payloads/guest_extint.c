/* SPDX-License-Identifier: MIT */
/*
 * guest_extint - external interrupts on one vCPU: an IOAPIC input line
 * raised and lowered by the test device, and MSIs it sends. The redirection
 * entry for EXT_GSI is programmed to vector V_LINE, edge triggered, active
 * high, to this CPU's APIC ID; each assert-then-deassert must give exactly
 * one interrupt, an edge on the masked pin none (not even once unmasked),
 * and each MSI (address 0xfee00000 | APIC ID << 12, data = vector) exactly
 * one. The PICs are masked first so nothing arrives as ExtINT.
 *
 * KVM path: the test-device writes are KVM_EXIT_MMIO; minivmm answers the
 * IRQ register with KVM_IRQ_LINE: kvm_vm_ioctl_irq_line -> kvm_set_irq ->
 * kvm_set_ioapic_irq -> kvm_ioapic_set_irq -> ioapic_set_irq ->
 * ioapic_service -> kvm_irq_delivery_to_apic -> __apic_accept_irq (the same
 * GSI's PIC input, kvm_pic_set_irq, is masked in IMR), and MSI_DATA with
 * KVM_SIGNAL_MSI: kvm_send_userspace_msi -> kvm_set_msi ->
 * kvm_msi_to_lapic_irq -> kvm_irq_delivery_to_apic. Programming the
 * IOAPIC is ioapic_mmio_write -> ioapic_write_indirect; a masked edge is
 * dropped in ioapic_service and forgotten at deassert. The PIC mask is
 * pic_ioport_write (OCW1).
 *
 * Memory map (long mode, irqchip kernel): payload at MVM_LOAD_GPA
 * (0x100000) with the 256-entry IDT in its .bss, stack below MVM_STACK_TOP
 * (0x90000), IOAPIC at 0xfec00000, LAPIC at 0xfee00000, test device at
 * MVM_TESTDEV_MMIO_GPA (0xd0000000: IRQ +0x18, MSI_ADDR +0x20, MSI_DATA
 * +0x28). PIC data ports 0x21 and 0xa1.
 */
#include "mvm_apic.h"
#include "mvm_time.h"

#define EXT_GSI	 10 /* an IOAPIC pin nothing else drives (the PIT is GSI 0) */
#define V_LINE	 0x41
#define V_MSI	 0x42
#define WAIT_US	 1000000 /* for an interrupt that must come */
#define QUIET_US 10000	 /* for one that must not */

#define TD_IRQ	    (MVM_TESTDEV_MMIO_GPA + MVM_TESTDEV_REG_IRQ)
#define TD_MSI_ADDR (MVM_TESTDEV_MMIO_GPA + MVM_TESTDEV_REG_MSI_ADDR)
#define TD_MSI_DATA (MVM_TESTDEV_MMIO_GPA + MVM_TESTDEV_REG_MSI_DATA)

static volatile uint32_t hits_line, hits_msi;

static void h_line(unsigned int v)
{
	(void)v;
	hits_line++;
	apic_eoi();
}

static void h_msi(unsigned int v)
{
	(void)v;
	hits_msi++;
	apic_eoi();
}

/* Waits up to WAIT_US for *n to reach want, then QUIET_US more for any extra. */
static uint32_t settle(const volatile uint32_t *n, uint32_t want)
{
	uint64_t end = rdtsc() + mvm_tsc_from_us(WAIT_US);

	while (*n < want && rdtsc() < end)
		asm volatile("pause");
	mvm_udelay(QUIET_US);
	return *n;
}

static void line_pulse(void)
{
	mmio_write32(TD_IRQ, EXT_GSI | MVM_TESTDEV_IRQ_LEVEL);
	mmio_write32(TD_IRQ, EXT_GSI);
}

static void test_ioapic_setup(uint32_t id)
{
	uint64_t want = ((uint64_t)id << 56) | V_LINE;
	unsigned int pins = ioapic_pins();

	report(pins > EXT_GSI, "IOAPIC: %u redirection entries, GSI %u among them", pins, EXT_GSI);
	report(ioapic_redir(EXT_GSI) & IOAPIC_MASKED, "IOAPIC: pin %u masked out of reset",
	       EXT_GSI);
	ioapic_route(EXT_GSI, V_LINE, (uint8_t)id, 0);
	report(ioapic_redir(EXT_GSI) == want,
	       "IOAPIC: pin %u reads back vector %#x, edge, high, fixed, dest %u (got %#llx)",
	       EXT_GSI, V_LINE, id, (unsigned long long)ioapic_redir(EXT_GSI));
}

static void test_line(void)
{
	uint32_t n;

	line_pulse();
	n = settle(&hits_line, 1);
	report(n == 1, "line: first edge delivered once (got %u)", n);
	line_pulse();
	n = settle(&hits_line, 2);
	report(n == 2, "line: second edge delivered once (got %u in all)", n);

	/* What must not come gets QUIET_US, not WAIT_US: want the count it has. */
	ioapic_mask(EXT_GSI, 1);
	line_pulse();
	n = settle(&hits_line, 2);
	report(n == 2, "line: an edge on the masked pin is not delivered (got %u in all)", n);
	ioapic_mask(EXT_GSI, 0);
	n = settle(&hits_line, 2);
	report(n == 2, "line: nor once the pin is unmasked (got %u in all)", n);
	line_pulse();
	n = settle(&hits_line, 3);
	report(n == 3, "line: an edge after unmasking is delivered once (got %u in all)", n);
}

static void test_msi(uint32_t id)
{
	uint32_t n;

	mmio_write64(TD_MSI_ADDR, APIC_MMIO_GPA | (uint64_t)id << 12);
	mmio_write32(TD_MSI_DATA, V_MSI);
	n = settle(&hits_msi, 1);
	report(n == 1, "MSI: vector %#x to APIC ID %u delivered once (got %u)", V_MSI, id, n);
	mmio_write32(TD_MSI_DATA, V_MSI);
	n = settle(&hits_msi, 2);
	report(n == 2, "MSI: a second one delivered once (got %u in all)", n);
	report(hits_line == 3, "MSI: no interrupt on the line's vector (got %u in all)", hits_line);
}

int main(void)
{
	uint32_t id;

	pic_mask_all();
	mvm_irq_init();
	apic_sw_enable();
	mvm_irq_set(V_LINE, h_line);
	mvm_irq_set(V_MSI, h_msi);
	if (mvm_irqchip() == MVM_IRQCHIP_KERNEL)
		report(mvm_tsc_khz() != 0, "TSC calibrated against the in-kernel PIT");
	else
		mvm_print("guest_extint: no PIT with this irqchip: waits assume a fast TSC\n");
	id = apic_id();
	test_ioapic_setup(id);
	irq_enable();
	test_line();
	test_msi(id);
	irq_disable();
	ioapic_mask(EXT_GSI, 1);
	return MVM_PASS;
}
