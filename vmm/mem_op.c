/* SPDX-License-Identifier: MIT */
/* mem_op.c - owns the order of a guest's slot change: dirty pages first, then the change. */
#include "mem_op.h"

#include <errno.h>
#include <string.h>

#include "dirty.h"

void mem_op_guest(struct vcpu *v, const struct mvm_call_mem *op)
{
	struct machine *m = v->m;
	const char *bad = mem_op_invalid(&m->mem, op);
	struct mem_slot *s;
	struct record r;
	int e;

	if (bad) {
		vcpu_guest_error(v, "mem: op %u on slot %u: %s", op->op, op->slot, bad);
		return;
	}
	s = &m->mem.slot[op->slot];
	/* Pages dirtied so far belong to the slot as it was: record them first. */
	if ((s->flags & KVM_MEM_LOG_DIRTY_PAGES) && op->op != MVM_MEM_LOG_START) {
		dirty_record_slot(m->dirty, v, s);
		if (runlog_ended(&m->log))
			return;
	}
	e = mem_apply(&m->mem, s, op->op, op->gpa);
	/* EINVAL and EEXIST are KVM's answer to the request, which the trace
	 * shows; anything else is the host failing. */
	if (e && e != -EINVAL && e != -EEXIST) {
		runlog_host_error(&m->log, "KVM_SET_USER_MEMORY_REGION failed for slot %s: %s",
				  s->name, strerror(-e));
		return;
	}
	if (!e && (op->op == MVM_MEM_LOG_START ||
		   (op->op == MVM_MEM_RESTORE && (s->flags & KVM_MEM_LOG_DIRTY_PAGES))))
		dirty_slot_started(m->dirty, v, s);
	vcpu_rec_begin(v, &r, "mem");
	rec_word(&r, "op", mem_op_name(op->op));
	rec_u64(&r, "slot", s->id);
	rec_word(&r, "name", s->name);
	rec_hex(&r, "gpa", op->op == MVM_MEM_MOVE ? op->gpa : s->gpa);
	rec_word(&r, "result", e ? "refused" : "ok");
	if (e)
		rec_cstr(&r, "error", strerror(-e));
	vcpu_emit(v, &r);
}
