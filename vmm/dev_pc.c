/* SPDX-License-Identifier: MIT */
/* dev_pc.c - the PC platform of --machine pc: isa-debug-exit, fw_cfg, PM timer and ACPI, PCI. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "contrib.h"
#include "irqchip.h"
#include "minivmm_abi.h"
#include "pc.h"

_Static_assert(ACPI_BLOCK_LEN <= MVM_PC_ACPI_SIZE, "MVM_PC_ACPI_SIZE");

struct pc {
	struct fw_cfg fw;
	struct timespec t0; /* the PM timer's zero */
	uint32_t pci_addr;  /* 0xcf8 */
};

/* The value an access carries, little-endian (an IN: 0). */
static uint64_t access_value(const struct io_access *a)
{
	uint64_t v = 0;

	for (uint32_t i = 0; i < a->len && i < 8; i++)
		v |= (uint64_t)a->data[i] << (8 * i);
	return v;
}

/* Reads give bytes of val from the access's offset on (past 4 bytes: 0). */
static void access_answer(struct io_access *a, uint32_t val)
{
	for (uint32_t i = 0; i < a->len; i++) {
		uint64_t off = a->offset + i;

		a->data[i] = off < 4 ? (uint8_t)(val >> (8 * off)) : 0;
	}
}

/* KUT's convention: 0 all passed, 38 (report_summary's all-skipped) skip, else fail. */
static int debug_exit_status(uint64_t code)
{
	return code == 0 ? MVM_PASS : code == 38 ? MVM_SKIP : MVM_FAIL;
}

static enum run_action debug_exit_io(struct vcpu *v, void *dev, struct io_access *a)
{
	uint64_t code = access_value(a);
	struct record r;

	(void)dev;
	if (!a->is_write) {
		memset(a->data, 0, a->len);
		return RUN_CONTINUE;
	}
	vcpu_rec_begin(v, &r, "debug_exit");
	rec_u64(&r, "code", code);
	vcpu_emit(v, &r);
	return runlog_end_code(&v->m->log, END_DEBUG_EXIT, debug_exit_status(code), NULL, code);
}

/* +0: the selector (a write of byte 0 selects; byte 1 is its high half);
 * +1: the selected item, a byte per read. */
static enum run_action fw_cfg_io(struct vcpu *v, void *dev, struct io_access *a)
{
	struct pc *pc = dev;
	const char *name;
	struct record r;

	if (a->is_write) {
		if (a->offset != 0)
			return RUN_CONTINUE;
		fw_cfg_select(&pc->fw, (uint16_t)access_value(a));
		name = fw_cfg_key_name(pc->fw.key);
		vcpu_rec_begin(v, &r, "fw_cfg");
		rec_hex(&r, "key", pc->fw.key);
		rec_word(&r, "name", name ? name : "unknown");
		vcpu_emit(v, &r);
		return RUN_CONTINUE;
	}
	for (uint32_t i = 0; i < a->len; i++)
		a->data[i] = a->offset + i == 1 ? fw_cfg_read(&pc->fw) : 0;
	return RUN_CONTINUE;
}

static enum run_action pm_timer_io(struct vcpu *v, void *dev, struct io_access *a)
{
	struct pc *pc = dev;
	struct timespec now;
	uint64_t ns;

	(void)v;
	if (a->is_write)
		return RUN_CONTINUE;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = (uint64_t)(now.tv_sec - pc->t0.tv_sec) * 1000000000ULL + (uint64_t)now.tv_nsec -
	     (uint64_t)pc->t0.tv_nsec;
	access_answer(a, pm_timer_ticks(ns));
	return RUN_CONTINUE;
}

/* Only a 32-bit access is the address register (a byte at 0xcf9 is a PC's
 * reset control, which is not here: ignored, reads all ones). */
static enum run_action pci_addr_io(struct vcpu *v, void *dev, struct io_access *a)
{
	struct pc *pc = dev;

	(void)v;
	if (a->len == 4 && a->offset == 0 && a->is_write)
		pc->pci_addr = (uint32_t)access_value(a) & 0x80fffffcU;
	else if (a->len == 4 && a->offset == 0)
		access_answer(a, pc->pci_addr);
	else if (!a->is_write)
		memset(a->data, 0xff, a->len);
	return RUN_CONTINUE;
}

/* Config space is read-only here; disabled or absent: all ones. */
static enum run_action pci_data_io(struct vcpu *v, void *dev, struct io_access *a)
{
	struct pc *pc = dev;
	uint32_t bdf = (pc->pci_addr >> 8) & 0xffff;

	(void)v;
	if (a->is_write)
		return RUN_CONTINUE;
	for (uint32_t i = 0; i < a->len; i++) {
		uint32_t reg = (pc->pci_addr & 0xfc) + (uint32_t)a->offset + i;

		a->data[i] = pc->pci_addr & 0x80000000U ? pci_config_byte(bdf, reg) : 0xff;
	}
	return RUN_CONTINUE;
}

static uint64_t ram_size(const struct machine *m)
{
	uint64_t size = 0;

	for (int i = MVM_SLOT_LOW; i <= MVM_SLOT_HIGH; i++)
		if (m->mem.slot[i].exists)
			size += m->mem.slot[i].size;
	return size;
}

static int pc_write_acpi(struct machine *m, struct errbuf *err)
{
	uint8_t *p = GMEM_PTR(&m->gmem, MVM_PC_ACPI_GPA, ACPI_BLOCK_LEN);

	if (!p) {
		errbuf_set(err, "pc: no room for the ACPI tables: %s", m->gmem.last_error);
		return MVM_STATUS_HOST;
	}
	acpi_build(p, (uint32_t)MVM_PC_ACPI_GPA, MVM_PC_PM_TIMER_PORT);
	return 0;
}

static int pc_open(struct machine *m, void **state, struct errbuf *err)
{
	struct pc *pc = calloc(1, sizeof(*pc));
	int r;
	const struct io_range ranges[] = {
		{ IO_PIO, MVM_PC_DEBUG_EXIT_PORT, 4, "debug_exit", debug_exit_io, pc },
		{ IO_PIO, MVM_PC_FW_CFG_PORT, 2, "fw_cfg", fw_cfg_io, pc },
		{ IO_PIO, MVM_PC_PM_TIMER_PORT, 4, "pm_timer", pm_timer_io, pc },
		{ IO_PIO, MVM_PC_PCI_ADDR_PORT, 4, "pci", pci_addr_io, pc },
		{ IO_PIO, MVM_PC_PCI_DATA_PORT, 4, "pci", pci_data_io, pc },
	};

	*state = pc;
	if (!pc) {
		errbuf_set(err, "out of memory");
		return MVM_STATUS_HOST;
	}
	pc->fw.ram_size = ram_size(m);
	pc->fw.ncpus = (uint16_t)m->nvcpus;
	clock_gettime(CLOCK_MONOTONIC, &pc->t0);
	for (size_t i = 0; i < ARRAY_SIZE(ranges); i++)
		if (!iorange_add(&m->io, &ranges[i], err))
			return MVM_STATUS_HOST;
	if (m->irqchip == MVM_IRQCHIP_KERNEL && (r = irqchip_pc_firmware(m->fd, err)))
		return r;
	return pc_write_acpi(m, err);
}

static void pc_close(void *state, struct machine *m)
{
	(void)m;
	free(state);
}

static bool pc_wanted(const struct machine *m)
{
	return m->pc;
}

const struct contrib_ops pc_contrib = {
	.name = "pc",
	.wanted = pc_wanted,
	.open = pc_open,
	.close = pc_close,
};
