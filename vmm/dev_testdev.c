/* SPDX-License-Identifier: MIT */
/* dev_testdev.c - the test device: fixed ID, scratch and read counter, in MMIO and PIO. */
#include <string.h>

#include "irqchip.h"
#include "minivmm_abi.h"
#include "vm.h"

enum { TD_ID, TD_SCRATCH, TD_COUNTER, TD_IRQ, TD_MSI_ADDR, TD_MSI_DATA, TD_NREGS };

/* A write to IRQ or MSI_DATA: KVM_IRQ_LINE or KVM_SIGNAL_MSI, recorded. */
static enum run_action testdev_raise(struct vm *vm, struct testdev *t, int reg)
{
	const char *what = reg == TD_IRQ ? "irq_line" : "msi";
	uint64_t v = t->reg[reg];
	struct record r;
	int e;

	if (vm->irqchip == MVM_IRQCHIP_NONE) {
		vm_guest_error(vm, "testdev: %s register written, but the VM has no irqchip", what);
		return RUN_CONTINUE;
	}
	if (reg == TD_IRQ)
		e = irqchip_line(vm->fd, (uint32_t)(v & 0xff), v & MVM_TESTDEV_IRQ_LEVEL);
	else
		e = irqchip_msi(vm->fd, t->reg[TD_MSI_ADDR], (uint32_t)v);
	if (e < 0) {
		mvm_err("%s failed: %s", reg == TD_IRQ ? "KVM_IRQ_LINE" : "KVM_SIGNAL_MSI",
			strerror(-e));
		return vm_end(vm, END_HOST_ERROR, MVM_STATUS_HOST, "interrupt injection failed");
	}
	vm_rec_begin(vm, &r, what);
	if (reg == TD_IRQ) {
		rec_u64(&r, "gsi", v & 0xff);
		rec_u64(&r, "level", (v & MVM_TESTDEV_IRQ_LEVEL) != 0);
	} else {
		rec_hex(&r, "addr", t->reg[TD_MSI_ADDR]);
		rec_hex(&r, "data", (uint32_t)v);
		rec_word(&r, "delivered", e > 0 ? "yes" : "no");
	}
	vm_rec_emit(vm, &r);
	return RUN_CONTINUE;
}

/*
 * Byte-lane semantics: an access of any width at any offset reads or
 * writes exactly the register bytes it covers; bytes past the registers
 * read 0 and ignore writes. Reading any byte of the counter returns its
 * value before this access, and the access then increments it once.
 */
static enum run_action testdev_io(struct vm *vm, void *dev, struct io_access *a)
{
	struct testdev *t = dev;
	bool counter_read = false;
	int raise = -1;

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
	return raise >= 0 ? testdev_raise(vm, t, raise) : RUN_CONTINUE;
}

bool testdev_register(struct vm *vm, struct errbuf *err)
{
	struct io_range mmio = { IO_MMIO,   MVM_TESTDEV_MMIO_GPA, MVM_TESTDEV_MMIO_SIZE,
				 "testdev", testdev_io,		  &vm->testdev };
	struct io_range pio = { IO_PIO,	   MVM_TESTDEV_PORT, MVM_TESTDEV_PORTS,
				"testdev", testdev_io,	     &vm->testdev };

	memset(&vm->testdev, 0, sizeof(vm->testdev));
	vm->testdev.reg[TD_ID] = MVM_TESTDEV_ID;
	return iorange_add(&vm->io, &mmio, err) && iorange_add(&vm->io, &pio, err);
}
