/* SPDX-License-Identifier: MIT */
/* exit_mmio.c - KVM_EXIT_MMIO: accesses KVM could not satisfy from guest RAM. */
#include "exits.h"

enum run_action exit_mmio(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	uint32_t len = run->mmio.len;
	const struct io_range *dev;
	enum run_action act = RUN_CONTINUE;

	if (len == 0 || len > sizeof(run->mmio.data)) {
		return runlog_host_error(&v->m->log, "KVM_EXIT_MMIO with length %u", len);
	}
	dev = iorange_find_hint(&v->m->io, &v->io_hint[IO_MMIO], IO_MMIO, run->mmio.phys_addr, len);
	if (!run->mmio.is_write)
		act = exit_access(v, dev, run->mmio.phys_addr, run->mmio.data, len, 1, false);
	exit_rec_access(v, &(struct exit_access_args){ .mmio = true,
							.write = run->mmio.is_write,
							.addr = run->mmio.phys_addr,
							.data = run->mmio.data,
							.size = len,
							.count = 1,
							.dev = dev });
	if (run->mmio.is_write)
		act = exit_access(v, dev, run->mmio.phys_addr, run->mmio.data, len, 1, true);
	return act;
}
