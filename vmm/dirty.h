/* SPDX-License-Identifier: MIT */
/* dirty.h - dirty-page logging, three ways: bitmap, manual clear, dirty ring. */
#ifndef MVM_DIRTY_H
#define MVM_DIRTY_H

#include <linux/kvm.h>
#include <stdbool.h>
#include <stdint.h>

#include "machine.h"
#include "pageset.h"
#include "vcpu.h"

/* A slot's dirty state, from the guest's log_start on. */
struct dirty_slot {
	bool logging;		     /* logging was started: the state below exists */
	uint64_t *bitmap;	     /* bitmap/clear modes: pages dirtied since the last record */
	bool pending;		     /* bitmap holds pages; when false its contents mean nothing */
	struct page_list ring_pages; /* ring mode: the same, as harvested */
};

/* One vCPU's dirty ring, mmapped from its fd. */
struct dirty_ring {
	struct kvm_dirty_gfn *gfns;
	uint32_t fetch; /* next entry to look at */
};

struct dirty_ops;

struct dirty {
	const struct dirty_ops *ops;
	enum dirty_mode mode;
	struct machine *m;
	bool initially_set; /* clear mode: KVM_DIRTY_LOG_INITIALLY_SET is on */
	bool acq_rel;	    /* ring mode: the ACQ_REL flavour */
	uint32_t ring_bytes, ring_nent;
	struct dirty_ring *ring; /* indexed by vCPU id */
	int nrings;
	uint32_t stuck; /* KVM_EXIT_DIRTY_RING_FULL in a row that freed nothing */
	bool overrun; /* a ring was found full: the run ended, no set is trusted */
	uint64_t *scratch; /* KVM_GET_DIRTY_LOG's bitmap when one is pending */
	size_t scratch_bytes;
	struct dirty_slot slot[MVM_SLOT_COUNT];
};

const char *dirty_mode_name(enum dirty_mode m);
bool dirty_mode_from_name(const char *s, enum dirty_mode *m);

/* Logging was just turned on for s (or s came back with it). */
void dirty_slot_started(struct dirty *d, struct vcpu *v, const struct mem_slot *s);
/* Records the pages of s dirtied since its last record, before v's guest
 * changes the slot ("mem_op"). */
void dirty_record_slot(struct dirty *d, struct vcpu *v, const struct mem_slot *s);
/* KVM_EXIT_DIRTY_RING_FULL: harvest, reset, go on. */
enum run_action exit_dirty_ring_full(struct vcpu *v);

#endif /* MVM_DIRTY_H */
