/* SPDX-License-Identifier: MIT */
/* pc.c - owns the PC devices' pure parts: fw_cfg items, PM timer arithmetic, ACPI tables. */
#include <string.h>

#include "pc.h"
#include "minivmm_abi.h"

const char *fw_cfg_key_name(uint16_t key)
{
	switch (key) {
	case MVM_PC_FW_CFG_SIGNATURE:
		return "signature";
	case MVM_PC_FW_CFG_RAM_SIZE:
		return "ram_size";
	case MVM_PC_FW_CFG_NB_CPUS:
		return "nb_cpus";
	case MVM_PC_FW_CFG_MAX_RAM:
		return "max_ram";
	default:
		return NULL;
	}
}

void fw_cfg_select(struct fw_cfg *f, uint16_t key)
{
	f->key = key;
	f->pos = 0;
}

/* Every item is at most 8 bytes: a little-endian number; past its end, 0. */
uint8_t fw_cfg_read(struct fw_cfg *f)
{
	uint64_t item = 0;
	uint32_t len = 0, pos = f->pos;

	switch (f->key) {
	case MVM_PC_FW_CFG_SIGNATURE:
		item = 'Q' | 'E' << 8 | 'M' << 16 | (uint64_t)'U' << 24;
		len = 4;
		break;
	case MVM_PC_FW_CFG_RAM_SIZE:
		item = f->ram_size;
		len = 8;
		break;
	case MVM_PC_FW_CFG_NB_CPUS:
		item = f->ncpus;
		len = 2;
		break;
	case MVM_PC_FW_CFG_MAX_RAM:
		len = 8;
		break;
	}
	if (f->pos < UINT32_MAX)
		f->pos++;
	return pos < len ? (uint8_t)(item >> (8 * pos)) : 0;
}

uint32_t pm_timer_ticks(uint64_t ns)
{
	/* Whole seconds and the rest apart, so that ns * HZ cannot overflow. */
	uint64_t s = ns / 1000000000ULL, rest = ns % 1000000000ULL;

	return (uint32_t)((s * PM_TIMER_HZ + rest * PM_TIMER_HZ / 1000000000ULL) & PM_TIMER_MASK);
}

uint8_t acpi_checksum(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += p[i];
	return (uint8_t)-sum;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* The 36-byte header every table but the RSDP and FACS starts with. */
static void sdt_header(uint8_t *t, const char *sig, uint32_t len, uint8_t rev)
{
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = rev;
	memcpy(t + 10, "MINVMM", 6);
	memcpy(t + 16, "MINIVMM ", 8);
	put32(t + 24, 1);	   /* OEM revision */
	memcpy(t + 28, "MVMM", 4); /* creator */
	put32(t + 32, 1);
}

static void build_fadt(uint8_t *f, uint32_t facs, uint16_t pm_port)
{
	sdt_header(f, "FACP", ACPI_FADT_LEN, 1);
	put32(f + 36, facs);	/* FIRMWARE_CTRL */
	put32(f + 76, pm_port); /* PM_TMR_BLK */
	f[91] = 4;		/* PM_TMR_LEN */
	put32(f + 112, 1);	/* flags: WBINVD works */
	f[9] = acpi_checksum(f, ACPI_FADT_LEN);
}

void acpi_build(uint8_t *buf, uint32_t gpa, uint16_t pm_port)
{
	uint8_t *rsdp = buf + ACPI_RSDP_OFF, *rsdt = buf + ACPI_RSDT_OFF;
	uint8_t *facs = buf + ACPI_FACS_OFF;

	memset(buf, 0, ACPI_BLOCK_LEN);
	memcpy(facs, "FACS", 4);
	put32(facs + 4, ACPI_FACS_LEN);
	build_fadt(buf + ACPI_FADT_OFF, gpa + ACPI_FACS_OFF, pm_port);
	sdt_header(rsdt, "RSDT", ACPI_RSDT_LEN, 1);
	put32(rsdt + 36, gpa + ACPI_FADT_OFF);
	rsdt[9] = acpi_checksum(rsdt, ACPI_RSDT_LEN);
	memcpy(rsdp, "RSD PTR ", 8);
	memcpy(rsdp + 9, "MINVMM", 6);
	rsdp[15] = 0; /* revision 0: ACPI 1.0, RSDT only */
	put32(rsdp + 16, gpa + ACPI_RSDT_OFF);
	rsdp[8] = acpi_checksum(rsdp, ACPI_RSDP_LEN);
}

/* The host bridge's header: type 0, class 06 00 00 (host bridge). */
uint8_t pci_config_byte(uint32_t bdf, uint32_t off)
{
	static const uint8_t host[16] = {
		PCI_HOST_VENDOR & 0xff,
		PCI_HOST_VENDOR >> 8,
		PCI_HOST_DEVICE & 0xff,
		PCI_HOST_DEVICE >> 8,
		0x00,
		0x00, /* command */
		0x00,
		0x00, /* status */
		0x02, /* revision */
		0x00,
		0x00,
		0x06, /* prog IF, subclass, class */
		0x00,
		0x00,
		0x00, /* cache line, latency, header type */
		0x00,
	};

	if (bdf != 0)
		return 0xff;
	return off < sizeof(host) ? host[off] : 0;
}
