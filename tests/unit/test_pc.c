/* SPDX-License-Identifier: MIT */
/* test_pc.c - the PC devices' pure parts: fw_cfg streams, PM timer ticks, ACPI layout and checksums. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "minivmm_abi.h"
#include "pc.h"

static uint64_t read_n(struct fw_cfg *f, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v |= (uint64_t)fw_cfg_read(f) << (8 * i);
	return v;
}

static void fw_cfg_items(void **state)
{
	struct fw_cfg f = { .ram_size = 0x123456789aULL, .ncpus = 3 };

	(void)state;
	fw_cfg_select(&f, MVM_PC_FW_CFG_SIGNATURE);
	assert_int_equal(read_n(&f, 4), 0x554d4551); /* "QEMU" */
	assert_int_equal(read_n(&f, 4), 0);	     /* past the end */
	fw_cfg_select(&f, MVM_PC_FW_CFG_NB_CPUS);
	assert_int_equal(read_n(&f, 2), 3);
	assert_int_equal(fw_cfg_read(&f), 0);
	fw_cfg_select(&f, MVM_PC_FW_CFG_RAM_SIZE);
	assert_int_equal(read_n(&f, 8), 0x123456789aULL);
	fw_cfg_select(&f, MVM_PC_FW_CFG_MAX_RAM);
	assert_int_equal(read_n(&f, 8), 0);
	fw_cfg_select(&f, 0x4242);
	assert_int_equal(read_n(&f, 8), 0);
}

/* A selector write, even of the same key, starts the item again. */
static void fw_cfg_select_restarts(void **state)
{
	struct fw_cfg f = { 0 };

	(void)state;
	fw_cfg_select(&f, MVM_PC_FW_CFG_SIGNATURE);
	assert_int_equal(fw_cfg_read(&f), 'Q');
	assert_int_equal(fw_cfg_read(&f), 'E');
	fw_cfg_select(&f, MVM_PC_FW_CFG_SIGNATURE);
	assert_int_equal(fw_cfg_read(&f), 'Q');
}

static void fw_cfg_names(void **state)
{
	(void)state;
	assert_string_equal(fw_cfg_key_name(MVM_PC_FW_CFG_NB_CPUS), "nb_cpus");
	assert_string_equal(fw_cfg_key_name(MVM_PC_FW_CFG_RAM_SIZE), "ram_size");
	assert_null(fw_cfg_key_name(0x19));
}

static void pm_timer_conversion(void **state)
{
	(void)state;
	assert_int_equal(pm_timer_ticks(0), 0);
	assert_int_equal(pm_timer_ticks(1000000000ULL), 3579545);
	assert_int_equal(pm_timer_ticks(1000), 3); /* 3.58 ticks in a microsecond */
	/* 2^24 ticks is 4.687 s: the counter wraps at 24 bits. */
	assert_int_equal(pm_timer_ticks(5000000000ULL), (5 * 3579545) & 0xffffff);
	/* A year of nanoseconds: no overflow on the way. */
	assert_int_equal(pm_timer_ticks(31536000ULL * 1000000000ULL),
			 (uint32_t)((31536000ULL * 3579545ULL) & 0xffffff));
}

static uint32_t get32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static int sum(const uint8_t *p, size_t len)
{
	uint8_t s = 0;

	for (size_t i = 0; i < len; i++)
		s += p[i];
	return s;
}

static void acpi_layout(void **state)
{
	const uint32_t gpa = (uint32_t)MVM_PC_ACPI_GPA;
	uint8_t b[ACPI_BLOCK_LEN];
	const uint8_t *rsdp = b + ACPI_RSDP_OFF, *rsdt = b + ACPI_RSDT_OFF;
	const uint8_t *fadt = b + ACPI_FADT_OFF, *facs = b + ACPI_FACS_OFF;

	(void)state;
	memset(b, 0xcc, sizeof(b));
	acpi_build(b, gpa, 0x608);
	assert_memory_equal(rsdp, "RSD PTR ", 8);
	assert_int_equal(sum(rsdp, ACPI_RSDP_LEN), 0);
	assert_int_equal(rsdp[15], 0);
	assert_int_equal(get32(rsdp + 16), gpa + ACPI_RSDT_OFF);
	assert_int_equal((gpa + ACPI_RSDP_OFF) % 16, 0);

	assert_memory_equal(rsdt, "RSDT", 4);
	assert_int_equal(get32(rsdt + 4), ACPI_RSDT_LEN);
	assert_int_equal(sum(rsdt, ACPI_RSDT_LEN), 0);
	assert_int_equal(get32(rsdt + 36), gpa + ACPI_FADT_OFF);

	assert_memory_equal(fadt, "FACP", 4);
	assert_int_equal(get32(fadt + 4), ACPI_FADT_LEN);
	assert_int_equal(sum(fadt, ACPI_FADT_LEN), 0);
	assert_int_equal(get32(fadt + 36), gpa + ACPI_FACS_OFF);
	assert_int_equal(get32(fadt + 76), 0x608);
	assert_int_equal(fadt[91], 4);

	assert_memory_equal(facs, "FACS", 4);
	assert_int_equal(get32(facs + 4), ACPI_FACS_LEN);
	assert_int_equal((gpa + ACPI_FACS_OFF) % 64, 0);
	/* The tables do not overlap and fit the block the ABI reserves. */
	assert_true(ACPI_RSDP_OFF + ACPI_RSDP_LEN <= ACPI_RSDT_OFF);
	assert_true(ACPI_RSDT_OFF + ACPI_RSDT_LEN <= ACPI_FADT_OFF);
	assert_true(ACPI_FADT_OFF + ACPI_FADT_LEN <= ACPI_FACS_OFF);
	assert_true(ACPI_BLOCK_LEN <= MVM_PC_ACPI_SIZE);
	assert_true(MVM_PC_ACPI_GPA >= 0xe0000 && MVM_PC_ACPI_GPA + MVM_PC_ACPI_SIZE <= 0x100000);
}

static void acpi_checksum_value(void **state)
{
	uint8_t p[4] = { 1, 2, 0, 3 };

	(void)state;
	p[2] = acpi_checksum(p, sizeof(p));
	assert_int_equal(p[2], 0xfa);
	assert_int_equal(sum(p, sizeof(p)), 0);
}

static void pci_host_bridge(void **state)
{
	(void)state;
	assert_int_equal(pci_config_byte(0, 0) | pci_config_byte(0, 1) << 8, 0x8086);
	assert_int_equal(pci_config_byte(0, 2) | pci_config_byte(0, 3) << 8, 0x1237);
	assert_int_equal(pci_config_byte(0, 11), 0x06); /* class: bridge */
	assert_int_equal(pci_config_byte(0, 10), 0x00); /* subclass: host */
	assert_int_equal(pci_config_byte(0, 0x40), 0);
	assert_int_equal(pci_config_byte(1 << 3, 0), 0xff); /* 00:01.0 */
	assert_int_equal(pci_config_byte(1 << 8, 0), 0xff); /* 01:00.0 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fw_cfg_items),	   cmocka_unit_test(fw_cfg_select_restarts),
		cmocka_unit_test(fw_cfg_names),	   cmocka_unit_test(pm_timer_conversion),
		cmocka_unit_test(acpi_layout),	   cmocka_unit_test(acpi_checksum_value),
		cmocka_unit_test(pci_host_bridge),
	};

	return cmocka_run_group_tests_name("test_pc", tests, NULL, NULL);
}
