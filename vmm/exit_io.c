/* SPDX-License-Identifier: MIT */
/* exit_io.c - KVM_EXIT_IO: port I/O, single and string (rep ins/outs). */
#include "exits.h"

enum run_action exit_io(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	bool out = run->io.direction == KVM_EXIT_IO_OUT;
	uint64_t len = (uint64_t)run->io.size * run->io.count;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	const struct io_range *dev = iorange_find(&v->m->io, IO_PIO, run->io.port, run->io.size);
	enum run_action act = RUN_CONTINUE;
	struct record r;

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
	exit_rec_begin(v, &r);
	rec_word(&r, "dir", out ? "out" : "in");
	rec_hex(&r, "port", run->io.port);
	rec_u64(&r, "size", run->io.size);
	rec_u64(&r, "count", run->io.count);
	exit_rec_data(&r, data, run->io.size, run->io.count);
	rec_word(&r, "dev", exit_dev_name(dev));
	vcpu_emit(v, &r);
	if (out)
		act = exit_access(v, dev, run->io.port, data, run->io.size, run->io.count, true);
	return act;
}
