/* SPDX-License-Identifier: MIT */
/* exit_common.c - what every exit record and every device access share. */
#include <string.h>

#include "exits.h"
#include "names.h"
#include "replay.h"

void exit_rec_begin(struct vcpu *v, struct record *r)
{
	uint32_t reason = v->run->exit_reason;
	const struct kvm_regs *regs;

	rec_begin(r, v->seq, v->id, "exit");
	r->exit_name = kvm_exit_name(reason);
	if (!r->exit_name) {
		r->exit_name = "UNNAMED";
		rec_u64(r, "reason", reason);
	}
	/* A failed KVM_GET_REGS has ended the run: no made-up RIP. */
	if ((regs = vcpu_regs(v)))
		vcpu_rec_rip(v, r, "rip", regs->rip);
}

const char *exit_dev_name(const struct io_range *range)
{
	return range ? range->name : "none";
}

enum run_action exit_access_n(struct vcpu *v, const struct io_range *range, uint64_t addr,
			      uint8_t *data, uint32_t size, uint32_t count, bool is_write)
{
	enum run_action act = RUN_CONTINUE;

	for (uint32_t i = 0; i < count && act == RUN_CONTINUE; i++)
		act = exit_access_one(v, range, addr, data + (size_t)i * size, size, is_write);
	/* Replay: the device still sees the read (its records and state follow
	 * the recorded run), but the guest gets what it got then. */
	if (!is_write && v->m->replay)
		replay_answer(v->m->replay, v->seq, addr, data, size, count);
	return act;
}

void exit_rec_data(struct record *r, const uint8_t *data, uint32_t size, uint32_t count)
{
	uint64_t v = 0;

	if (count != 1 || size > 8) {
		rec_bytes(r, "bytes", data, (size_t)size * count);
		return;
	}
	for (uint32_t i = 0; i < size; i++)
		v |= (uint64_t)data[i] << (8 * i);
	rec_hex(r, "data", v);
}

/*
 * The record of an IO or MMIO exit: in the fixed layout (record_access.c)
 * when it has one, else field by field; both give the same bytes.
 */
void exit_rec_access_fields(struct vcpu *v, const struct exit_access_args *x)
{
	struct record r;

	exit_rec_begin(v, &r);
	if (x->mmio) {
		rec_word(&r, "dir", x->write ? "write" : "read");
		rec_hex(&r, "gpa", x->addr);
		rec_u64(&r, "len", x->size);
	} else {
		rec_word(&r, "dir", x->write ? "out" : "in");
		rec_hex(&r, "port", x->addr);
		rec_u64(&r, "size", x->size);
		rec_u64(&r, "count", x->count);
	}
	exit_rec_data(&r, x->data, x->size, x->count);
	rec_word(&r, "dev", exit_dev_name(x->dev));
	vcpu_emit(v, &r);
}
