/* SPDX-License-Identifier: MIT */
/* dev_testdev.c - the test device: fixed ID, scratch and read counter, in MMIO and PIO. */
#include <stdlib.h>
#include <string.h>

#include "contrib.h"
#include "dev_ioapic.h"
#include "irqchip.h"
#include "minivmm_abi.h"

enum { TD_ID, TD_SCRATCH, TD_COUNTER, TD_IRQ, TD_MSI_ADDR, TD_MSI_DATA, TD_NREGS };

struct testdev {
	uint64_t reg[TD_NREGS];
};

/* A write to IRQ or MSI_DATA: KVM_IRQ_LINE or KVM_SIGNAL_MSI, recorded. */
static enum run_action testdev_raise(struct vcpu *v, struct testdev *t, int reg)
{
	const char *what = reg == TD_IRQ ? "irq_line" : "msi";
	uint64_t val = t->reg[reg];
	struct record r;
	int e;

	if (v->m->irqchip == MVM_IRQCHIP_NONE) {
		vcpu_guest_error(v, "testdev: %s register written, but the VM has no irqchip",
				 what);
		return RUN_CONTINUE;
	}
	if (reg == TD_IRQ && v->m->irqchip == MVM_IRQCHIP_SPLIT)
		e = ioapic_dev_line(v, (uint32_t)(val & 0xff), val & MVM_TESTDEV_IRQ_LEVEL);
	else if (reg == TD_IRQ)
		e = irqchip_line(v->m->fd, (uint32_t)(val & 0xff), val & MVM_TESTDEV_IRQ_LEVEL);
	else
		e = irqchip_msi(v->m->fd, t->reg[TD_MSI_ADDR], (uint32_t)val);
	if (e < 0)
		return runlog_host_error(&v->m->log, "%s failed: %s",
					 reg == TD_IRQ && v->m->irqchip != MVM_IRQCHIP_SPLIT
						 ? "KVM_IRQ_LINE"
						 : "KVM_SIGNAL_MSI",
					 strerror(-e));
	vcpu_rec_begin(v, &r, what);
	if (reg == TD_IRQ) {
		rec_u64(&r, "gsi", val & 0xff);
		rec_u64(&r, "level", (val & MVM_TESTDEV_IRQ_LEVEL) != 0);
	} else {
		rec_hex(&r, "addr", t->reg[TD_MSI_ADDR]);
		rec_hex(&r, "data", (uint32_t)val);
		rec_word(&r, "delivered", e > 0 ? "yes" : "no");
	}
	vcpu_emit(v, &r);
	return RUN_CONTINUE;
}

/*
 * Byte-lane semantics: an access of any width at any offset reads or
 * writes exactly the register bytes it covers; bytes past the registers
 * read 0 and ignore writes. Reading any byte of the counter returns its
 * value before this access, and the access then increments it once.
 */
static enum run_action testdev_io(struct vcpu *v, void *dev, struct io_access *a)
{
	struct testdev *t = dev;
	bool counter_read = false;
	int raise = -1;

	/* The common case, one naturally aligned access inside one register:
	 * the same lanes, in one step. */
	if (a->len <= 8 && !(a->len & (a->len - 1)) && !(a->offset & (a->len - 1)) &&
	    a->offset < MVM_TESTDEV_REGS_SIZE) {
		uint64_t reg = a->offset / 8, shift = (a->offset % 8) * 8, val;
		uint64_t lanes = a->len == 8 ? ~0ULL : (1ULL << (8 * a->len)) - 1;

		if (!a->is_write) {
			val = reg < TD_IRQ ? t->reg[reg] >> shift : 0;
			io_store(a->data, a->len, val);
			t->reg[TD_COUNTER] += reg == TD_COUNTER;
			return RUN_CONTINUE;
		}
		if (reg != TD_SCRATCH && reg < TD_IRQ)
			return RUN_CONTINUE;
		val = io_load(a->data, a->len);
		t->reg[reg] = (t->reg[reg] & ~(lanes << shift)) | val << shift;
		if (shift == 0 && (reg == TD_IRQ || reg == TD_MSI_DATA))
			return testdev_raise(v, t, (int)reg);
		return RUN_CONTINUE;
	}
	for (uint32_t i = 0; i < a->len; i++) {
		uint64_t off = a->offset + i;
		uint64_t reg = off / 8, shift = (off % 8) * 8;

		if (off >= MVM_TESTDEV_REGS_SIZE) {
			if (!a->is_write)
				a->data[i] = 0;
			continue;
		}
		if (!a->is_write) {
			a->data[i] = reg < TD_IRQ ? t->reg[reg] >> shift : 0;
			counter_read |= reg == TD_COUNTER;
		} else if (reg == TD_SCRATCH || reg >= TD_IRQ) {
			t->reg[reg] = (t->reg[reg] & ~(0xffULL << shift)) | (uint64_t)a->data[i]
										    << shift;
			if (shift == 0 && (reg == TD_IRQ || reg == TD_MSI_DATA))
				raise = (int)reg;
		}
	}
	if (counter_read)
		t->reg[TD_COUNTER]++;
	return raise >= 0 ? testdev_raise(v, t, raise) : RUN_CONTINUE;
}

static int testdev_open(struct machine *m, void **state, struct errbuf *err)
{
	struct testdev *t = calloc(1, sizeof(*t));
	struct io_range mmio = { IO_MMIO,   MVM_TESTDEV_MMIO_GPA, MVM_TESTDEV_MMIO_SIZE,
				 "testdev", testdev_io,		  t };
	struct io_range pio = { IO_PIO,	   MVM_TESTDEV_PORT, MVM_TESTDEV_PORTS,
				"testdev", testdev_io,	     t };

	*state = t;
	if (!t) {
		errbuf_set(err, "out of memory");
		return MVM_STATUS_HOST;
	}
	t->reg[TD_ID] = MVM_TESTDEV_ID;
	return iorange_add(&m->io, &mmio, err) && iorange_add(&m->io, &pio, err) ? 0
										 : MVM_STATUS_HOST;
}

static void testdev_close(void *state, struct machine *m)
{
	(void)m;
	free(state);
}

const struct contrib_ops testdev_contrib = {
	.name = "testdev",
	.open = testdev_open,
	.close = testdev_close,
};
