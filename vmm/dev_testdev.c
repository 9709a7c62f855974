/* SPDX-License-Identifier: MIT */
/* dev_testdev.c - the test device: fixed ID, scratch and read counter, in MMIO and PIO. */
#include <string.h>

#include "minivmm_abi.h"
#include "vm.h"

enum { TD_ID, TD_SCRATCH, TD_COUNTER, TD_NREGS };

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

	(void)vm;
	for (uint32_t i = 0; i < a->len; i++) {
		uint64_t off = a->offset + i;
		uint64_t reg = off / 8, shift = (off % 8) * 8;

		if (off >= MVM_TESTDEV_REGS_SIZE) {
			if (!a->is_write)
				a->data[i] = 0;
			continue;
		}
		if (!a->is_write) {
			a->data[i] = t->reg[reg] >> shift;
			counter_read |= reg == TD_COUNTER;
		} else if (reg == TD_SCRATCH) {
			t->reg[reg] = (t->reg[reg] & ~(0xffULL << shift)) | (uint64_t)a->data[i]
										    << shift;
		}
	}
	if (counter_read)
		t->reg[TD_COUNTER]++;
	return RUN_CONTINUE;
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
