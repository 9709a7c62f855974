/* SPDX-License-Identifier: MIT */
/* exits.h - the exit handlers the run loop's table dispatches to, and their helpers. */
#ifndef MVM_EXITS_H
#define MVM_EXITS_H

#include <string.h>

#include "vcpu.h"

typedef enum run_action (*exit_fn)(struct vcpu *v);

enum run_action exit_io(struct vcpu *v);
enum run_action exit_mmio(struct vcpu *v);
enum run_action exit_hlt(struct vcpu *v);
enum run_action exit_shutdown(struct vcpu *v);
enum run_action exit_fail_entry(struct vcpu *v);
enum run_action exit_internal_error(struct vcpu *v);
enum run_action exit_system_event(struct vcpu *v);
enum run_action exit_debug(struct vcpu *v);
enum run_action exit_irq_window_open(struct vcpu *v);
enum run_action exit_tpr_access(struct vcpu *v);
/* Any exit without a handler of its own: recorded, and the run goes on. */
enum run_action exit_unhandled(struct vcpu *v);

/* Starts the record of the current exit: seq, vCPU, exit name, RIP. */
void exit_rec_begin(struct vcpu *v, struct record *r);
/*
 * Hands count elements of size bytes at addr to range, the device that
 * claims them (iorange_find); with no device, reads give all ones.
 */
enum run_action exit_access_n(struct vcpu *v, const struct io_range *range, uint64_t addr,
			      uint8_t *data, uint32_t size, uint32_t count, bool is_write);

static inline enum run_action exit_access_one(struct vcpu *v, const struct io_range *range,
					      uint64_t addr, uint8_t *data, uint32_t size,
					      bool is_write)
{
	struct io_access a = { range ? addr - range->base : 0, data, size, is_write };

	if (range)
		return range->handle(v, range->dev, &a);
	if (!is_write)
		memset(data, 0xff, size);
	return RUN_CONTINUE;
}

/* The same, the one element of most exits in line. */
static inline enum run_action exit_access(struct vcpu *v, const struct io_range *range,
					  uint64_t addr, uint8_t *data, uint32_t size,
					  uint32_t count, bool is_write)
{
	if (__builtin_expect(count == 1 && (is_write || !v->m->replay), 1))
		return exit_access_one(v, range, addr, data, size, is_write);
	return exit_access_n(v, range, addr, data, size, count, is_write);
}
/* The device name a record shows: the range's, or "none". */
const char *exit_dev_name(const struct io_range *range);
/* Adds the data of an access: "data" as a little-endian value when it is one
 * element of at most 8 bytes, else "bytes" in memory order. */
void exit_rec_data(struct record *r, const uint8_t *data, uint32_t size, uint32_t count);

/* What the record of an IO or MMIO exit shows. */
struct exit_access_args {
	bool mmio;
	bool write; /* IO: out; MMIO: write */
	uint64_t addr;
	const uint8_t *data;
	uint32_t size, count; /* MMIO: len, count 1 */
	const struct io_range *dev;
};

/* Its record field by field: string I/O, --timing, no registers. */
void exit_rec_access_fields(struct vcpu *v, const struct exit_access_args *x);

/*
 * Records the IO or MMIO exit x describes (the "exit" record of exit_io()
 * and exit_mmio()): mostly as an entry of its values, which the recorder
 * renders off this thread (recorder.h).
 */
static inline void exit_rec_access(struct vcpu *v, const struct exit_access_args *x)
{
	struct runlog *log = &v->m->log;
	const struct kvm_regs *regs;
	struct rent_access *e;

	if (log->rec.skip_exits)
		return;
	if (__builtin_expect(log->rec.timing || x->count != 1 || x->size > 8, 0) ||
	    !(regs = vcpu_regs(v))) {
		exit_rec_access_fields(v, x);
		return;
	}
	e = runlog_access_begin(log);
	e->h.type = RENT_ACCESS;
	e->h.n = (uint32_t)v->id;
	e->size = x->size;
	e->count = 1;
	e->mmio = x->mmio;
	e->write = x->write;
	e->seq = v->seq;
	e->data = io_load(x->data, x->size);
	e->rip = regs->rip;
	e->addr = x->addr;
	e->dev = x->dev ? x->dev->name : "none";
	runlog_access_end(log);
}

#endif /* MVM_EXITS_H */
