/* SPDX-License-Identifier: MIT */
/* exit_mmio.c - KVM_EXIT_MMIO: accesses KVM could not satisfy from guest RAM. */
#include "exits.h"

enum run_action exit_mmio(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	uint32_t len = run->mmio.len;
	const struct io_range *dev;
	enum run_action act = RUN_CONTINUE;
	struct record r;

	if (len == 0 || len > sizeof(run->mmio.data)) {
		return runlog_host_error(&v->m->log, "KVM_EXIT_MMIO with length %u", len);
	}
	dev = iorange_find(&v->m->io, IO_MMIO, run->mmio.phys_addr, len);
	if (!run->mmio.is_write)
		act = exit_access(v, dev, run->mmio.phys_addr, run->mmio.data, len, 1, false);
	exit_rec_begin(v, &r);
	rec_word(&r, "dir", run->mmio.is_write ? "write" : "read");
	rec_hex(&r, "gpa", run->mmio.phys_addr);
	rec_u64(&r, "len", len);
	exit_rec_data(&r, run->mmio.data, len, 1);
	rec_word(&r, "dev", exit_dev_name(dev));
	vcpu_emit(v, &r);
	if (run->mmio.is_write)
		act = exit_access(v, dev, run->mmio.phys_addr, run->mmio.data, len, 1, true);
	return act;
}
