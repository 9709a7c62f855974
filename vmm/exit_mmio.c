/* SPDX-License-Identifier: MIT */
/* exit_mmio.c - KVM_EXIT_MMIO: accesses KVM could not satisfy from guest RAM. */
#include "exits.h"

enum run_action exit_mmio(struct vm *vm)
{
	struct kvm_run *run = vm->vcpu.run;
	uint32_t len = run->mmio.len;
	const struct io_range *dev;
	enum run_action act = RUN_CONTINUE;
	struct record r;

	if (len == 0 || len > sizeof(run->mmio.data)) {
		mvm_err("KVM_EXIT_MMIO with length %u", len);
		return vm_end(vm, END_HOST_ERROR, MVM_STATUS_HOST, "bad KVM_EXIT_MMIO length");
	}
	dev = iorange_find(&vm->io, IO_MMIO, run->mmio.phys_addr, len);
	if (!run->mmio.is_write)
		act = exit_access(vm, dev, run->mmio.phys_addr, run->mmio.data, len, 1, false);
	exit_rec_begin(vm, &r);
	rec_word(&r, "dir", run->mmio.is_write ? "write" : "read");
	rec_hex(&r, "gpa", run->mmio.phys_addr);
	rec_u64(&r, "len", len);
	exit_rec_data(&r, run->mmio.data, len, 1);
	rec_word(&r, "dev", exit_dev_name(dev));
	vm_rec_emit(vm, &r);
	if (run->mmio.is_write)
		act = exit_access(vm, dev, run->mmio.phys_addr, run->mmio.data, len, 1, true);
	return act;
}
