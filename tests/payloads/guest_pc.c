/* SPDX-License-Identifier: MIT */
/*
 * guest_pc - the PC devices of --machine pc, as kvm-unit-tests uses them:
 * fw_cfg's signature, CPU count, RAM size and an unknown key; pc-testdev's
 * scratch port, page flush, an IRQ line pulse and its MMIO window; the
 * ACPI tables found by scanning 0xe0000-0xfffff for the RSDP, the PM timer
 * at the FADT's port (a 24-bit counter that moves forward), and the PCI
 * host bridge's IDs. It ends by isa-debug-exit: code 0 when every report
 * passed, else 1. Run with --machine pc (the header asks for irqchip kernel).
 *
 * KVM path: every access is a KVM_EXIT_IO (fast PIO) or, for the MMIO
 * window, a KVM_EXIT_MMIO after an EPT/NPT violation on an address no slot
 * backs (handle_ept_misconfig / npf_interception -> the emulator). The IRQ
 * pulse is KVM_IRQ_LINE into the masked in-kernel PIC and IOAPIC. The page
 * flush makes the host mprotect the page, so that KVM's MMU notifier zaps
 * its mapping: the next guest access faults it in again.
 *
 * Memory map (long mode): payload at MVM_LOAD_GPA (0x100000) with the page
 * to flush in its .bss; stack below MVM_STACK_TOP (0x90000); ACPI tables
 * written by the VMM at MVM_PC_ACPI_GPA (0xe0000); the MMIO window at
 * MVM_PC_IOMEM_GPA (0xff000000), 64 KiB.
 */
#include "mvm_guest.h"

static uint8_t flush_me[4096] __attribute__((aligned(4096)));

static void fw_cfg_select(uint16_t key)
{
	outw(MVM_PC_FW_CFG_PORT, key);
}

static uint64_t fw_cfg_read(int len)
{
	uint64_t v = 0;

	for (int i = 0; i < len; i++)
		v |= (uint64_t)inb(MVM_PC_FW_CFG_PORT + 1) << (8 * i);
	return v;
}

static void test_fw_cfg(void)
{
	fw_cfg_select(MVM_PC_FW_CFG_SIGNATURE);
	report(fw_cfg_read(4) == 0x554d4551, "fw_cfg: signature QEMU");
	report(fw_cfg_read(1) == 0, "fw_cfg: past the signature reads 0");
	fw_cfg_select(MVM_PC_FW_CFG_SIGNATURE);
	report(fw_cfg_read(1) == 'Q', "fw_cfg: a selector write restarts the item");
	fw_cfg_select(MVM_PC_FW_CFG_NB_CPUS);
	report(fw_cfg_read(2) == 1, "fw_cfg: 1 CPU");
	fw_cfg_select(MVM_PC_FW_CFG_RAM_SIZE);
	report(fw_cfg_read(8) == MVM_DEFAULT_MEM_SIZE, "fw_cfg: RAM size 32 MiB");
	fw_cfg_select(MVM_PC_FW_CFG_MAX_RAM);
	report(fw_cfg_read(8) == 0, "fw_cfg: no max RAM");
	fw_cfg_select(0x1234);
	report(fw_cfg_read(4) == 0, "fw_cfg: an unknown key reads 0");
}

static void test_testdev(void)
{
	uintptr_t w = MVM_PC_IOMEM_GPA;

	outl(MVM_PC_TESTDEV_PORT, 0x12345678);
	report(inl(MVM_PC_TESTDEV_PORT) == 0x12345678, "pc-testdev: scratch outl/inl");
	outb(MVM_PC_TESTDEV_PORT + 1, 0xab);
	report(inl(MVM_PC_TESTDEV_PORT) == 0x1234ab78, "pc-testdev: scratch outb +1");
	report(inw(MVM_PC_TESTDEV_PORT + 2) == 0x1234, "pc-testdev: scratch inw +2");

	mmio_write32(w + 0x100, 0xdeadbeef);
	report(mmio_read8(w + 0x101) == 0xbe, "pc-testdev: window write32, read8 +1");
	mmio_write64(w + MVM_PC_IOMEM_SIZE - 8, 0x0123456789abcdefULL);
	report(mmio_read64(w + MVM_PC_IOMEM_SIZE - 8) == 0x0123456789abcdefULL, "pc-testdev: "
										"window "
										"write64/read64 at "
										"its end");
	report(mmio_read16(w + 0x200) == 0, "pc-testdev: window starts zeroed");

	flush_me[8] = 0x5a;
	outl(MVM_PC_FLUSH_PAGE_PORT, (uint32_t)(uintptr_t)flush_me);
	report(flush_me[8] == 0x5a, "pc-testdev: a flushed page keeps its contents");
	flush_me[9] = 0xa5;
	report(flush_me[9] == 0xa5, "pc-testdev: a flushed page is writable again");

	/* Masked everywhere (PIC here, IOAPIC from reset): only the records show it. */
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	outb(MVM_PC_IRQ_PORT + 10, 1);
	outb(MVM_PC_IRQ_PORT + 10, 0);
}

static int sums_to_zero(const uint8_t *p, uint32_t len)
{
	uint8_t sum = 0;

	for (uint32_t i = 0; i < len; i++)
		sum += p[i];
	return sum == 0;
}

static uint32_t get32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static const uint8_t *find_rsdp(void)
{
	for (uintptr_t a = 0xe0000; a < 0x100000; a += 16)
		if (!memcmp((const void *)a, "RSD PTR ", 8))
			return (const uint8_t *)a;
	return NULL;
}

/* The FADT through RSDP and RSDT, every checksum checked; NULL if not found. */
static const uint8_t *find_fadt(void)
{
	const uint8_t *rsdp = find_rsdp(), *rsdt;

	report(rsdp != NULL, "acpi: RSDP found in 0xe0000-0xfffff");
	if (!rsdp)
		return NULL;
	report(sums_to_zero(rsdp, 20) && rsdp[15] == 0, "acpi: RSDP checksum, revision 0");
	rsdt = (const uint8_t *)(uintptr_t)get32(rsdp + 16);
	report(!memcmp(rsdt, "RSDT", 4) && sums_to_zero(rsdt, get32(rsdt + 4)), "acpi: RSDT "
										"signature and "
										"checksum");
	for (uint32_t off = 36; off + 4 <= get32(rsdt + 4); off += 4) {
		const uint8_t *t = (const uint8_t *)(uintptr_t)get32(rsdt + off);

		if (!memcmp(t, "FACP", 4))
			return t;
	}
	return NULL;
}

static void test_acpi_pm_timer(void)
{
	const uint8_t *fadt = find_fadt(), *facs;
	uint32_t port, t0, t1, moved = 0, backwards = 0;

	report(fadt != NULL, "acpi: the RSDT lists a FADT");
	if (!fadt)
		return;
	report(sums_to_zero(fadt, get32(fadt + 4)), "acpi: FADT checksum");
	facs = (const uint8_t *)(uintptr_t)get32(fadt + 36);
	report(!memcmp(facs, "FACS", 4) && get32(facs + 4) == 64, "acpi: FADT's FACS");
	port = get32(fadt + 76);
	report(port == MVM_PC_PM_TIMER_PORT && fadt[91] == 4, "acpi: PM timer at 0x608, 4 ports");

	t0 = inl((uint16_t)port);
	for (int i = 0; i < 200; i++) {
		t1 = inl((uint16_t)port);
		moved |= t1 != t0;
		/* 24 bits: a step back of less than half the range is going backwards. */
		backwards |= ((t1 - t0) & 0xffffff) > 0x800000;
		backwards |= t1 > 0xffffff;
		t0 = t1;
	}
	report(moved && !backwards, "pm timer: 24 bits, moves forward");
}

static void test_pci(void)
{
	outl(MVM_PC_PCI_ADDR_PORT, 0x80000000);
	report(inl(MVM_PC_PCI_DATA_PORT) == 0x12378086, "pci: 00:00.0 is 8086:1237");
	report(inw(MVM_PC_PCI_DATA_PORT + 2) == 0x1237, "pci: inw of the device ID");
	outl(MVM_PC_PCI_ADDR_PORT, 0x80000008);
	report(inl(MVM_PC_PCI_DATA_PORT) >> 8 == 0x060000, "pci: a host bridge by class");
	outl(MVM_PC_PCI_ADDR_PORT, 0x80000800);
	report(inl(MVM_PC_PCI_DATA_PORT) == 0xffffffff, "pci: 00:01.0 absent, all ones");
	report(inl(MVM_PC_PCI_ADDR_PORT) == 0x80000800, "pci: the address reads back");
}

int main(void)
{
	test_fw_cfg();
	test_testdev();
	test_acpi_pm_timer();
	test_pci();
	outl(MVM_PC_DEBUG_EXIT_PORT, report_summary() == MVM_PASS ? 0 : 1);
	report(0, "debug-exit did not end the run");
	return MVM_FAIL;
}
