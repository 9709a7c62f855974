/* SPDX-License-Identifier: MIT */
/* exit_io.c - KVM_EXIT_IO: port I/O, single and string (rep ins/outs). */
#include "exits.h"

enum run_action exit_io(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	bool out = run->io.direction == KVM_EXIT_IO_OUT;
	uint64_t len = (uint64_t)run->io.size * run->io.count;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	const struct io_range *dev = iorange_find_hint(&v->m->io, &v->io_hint[IO_PIO], IO_PIO,
						   run->io.port, run->io.size);
	enum run_action act = RUN_CONTINUE;

	if (run->io.data_offset > v->run_size || len > v->run_size - run->io.data_offset) {
		return runlog_host_error(&v->m->log,
					 "KVM_EXIT_IO data (offset 0x%llx, %llu bytes) lies "
					 "outside "
					 "kvm_run",
					 (unsigned long long)run->io.data_offset,
					 (unsigned long long)len);
	}
	/* An IN is recorded after the device answered, an OUT before it acts,
	 * so the record shows the data the guest saw and precedes what it caused. */
	if (!out)
		act = exit_access(v, dev, run->io.port, data, run->io.size, run->io.count, false);
	exit_rec_access(v, &(struct exit_access_args){ .write = out,
							.addr = run->io.port,
							.data = data,
							.size = run->io.size,
							.count = run->io.count,
							.dev = dev });
	if (out)
		act = exit_access(v, dev, run->io.port, data, run->io.size, run->io.count, true);
	return act;
}
