/* SPDX-License-Identifier: MIT */
/* pc.h - the pure parts of the PC devices: fw_cfg's streams, PM timer ticks, ACPI tables. */
#ifndef MVM_PC_H
#define MVM_PC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* fw_cfg: the selected key's item, read a byte at a time (little-endian). */
struct fw_cfg {
	uint64_t ram_size;
	uint16_t ncpus;
	uint16_t key;
	uint32_t pos; /* next byte of the item; reset by a selector write */
};

/* The key's name, or NULL for a key this fw_cfg does not have (reads 0). */
const char *fw_cfg_key_name(uint16_t key);
void fw_cfg_select(struct fw_cfg *f, uint16_t key);
uint8_t fw_cfg_read(struct fw_cfg *f);

#define PM_TIMER_HZ   3579545ULL
#define PM_TIMER_MASK 0xffffffU /* a 24-bit counter (FADT flags TMR_VAL_EXT clear) */

/* The counter after ns nanoseconds. */
uint32_t pm_timer_ticks(uint64_t ns);

/* Offsets of the tables inside the block acpi_build fills. */
#define ACPI_RSDP_OFF  0x00
#define ACPI_RSDT_OFF  0x40
#define ACPI_FADT_OFF  0x80
#define ACPI_FACS_OFF  0x140
#define ACPI_RSDP_LEN  20
#define ACPI_RSDT_LEN  40
#define ACPI_FADT_LEN  116 /* revision 1 */
#define ACPI_FACS_LEN  64
#define ACPI_BLOCK_LEN (ACPI_FACS_OFF + ACPI_FACS_LEN)

/* Fills buf (ACPI_BLOCK_LEN bytes, to be placed at guest-physical gpa)
 * with an RSDP (revision 0), an RSDT, a FADT with the PM timer at port
 * pm_port, and a FACS, checksums set. */
void acpi_build(uint8_t *buf, uint32_t gpa, uint16_t pm_port);
/* The byte that makes len bytes of p sum to 0 with it in place of 0. */
uint8_t acpi_checksum(const uint8_t *p, size_t len);

/* PCI configuration space of the host bridge at 00:00.0. */
#define PCI_HOST_VENDOR 0x8086 /* Intel */
#define PCI_HOST_DEVICE 0x1237 /* 440FX, as QEMU's pc machine */
/* The config byte at off (0-255) of bus:dev.fn; 0xff where no device is. */
uint8_t pci_config_byte(uint32_t bdf, uint32_t off);

#endif /* MVM_PC_H */
