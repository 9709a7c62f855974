/* SPDX-License-Identifier: MIT */
/* dirty.h - dirty-page logging, three ways: bitmap, manual clear, dirty ring. */
#ifndef MVM_DIRTY_H
#define MVM_DIRTY_H

#include <linux/kvm.h>
#include <stdbool.h>
#include <stdint.h>

#include "iorange.h"
#include "util.h"

struct vm;
struct mem_slot;

enum dirty_mode {
	DIRTY_BITMAP, /* KVM_GET_DIRTY_LOG, which also re-protects */
	DIRTY_CLEAR,  /* KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2: GET, then KVM_CLEAR_DIRTY_LOG */
	DIRTY_RING,   /* KVM_CAP_DIRTY_LOG_RING(_ACQ_REL), KVM_RESET_DIRTY_RINGS */
};

#define DIRTY_RING_DEFAULT_BYTES 65536
#define DIRTY_RING_MIN_BYTES	 16384

struct dirty {
	enum dirty_mode mode;
	bool initially_set;	    /* clear mode: KVM_DIRTY_LOG_INITIALLY_SET is on */
	bool acq_rel;		    /* ring mode: the ACQ_REL flavour */
	uint32_t ring_bytes;
	struct kvm_dirty_gfn *ring; /* the vCPU's ring, mmapped */
	uint32_t ring_nent;
	uint32_t fetch;		    /* next ring entry to look at */
	uint32_t stuck;		    /* KVM_EXIT_DIRTY_RING_FULL in a row that freed nothing */
	bool overrun_warned;
	uint64_t *scratch;	    /* KVM_GET_DIRTY_LOG's bitmap */
	size_t scratch_bytes;
};

const char *dirty_mode_name(enum dirty_mode m);
bool dirty_mode_from_name(const char *s, enum dirty_mode *m);

/* VM-wide set-up, after KVM_CREATE_VM and before any vCPU. */
int dirty_init(struct vm *vm, enum dirty_mode mode, uint32_t ring_bytes, struct errbuf *err);
/* Per-vCPU set-up (maps the ring). */
int dirty_init_vcpu(struct vm *vm, struct errbuf *err);
void dirty_destroy(struct vm *vm);
/* Logging was just turned on for s (or s came back with it). */
void dirty_slot_started(struct vm *vm, struct mem_slot *s);
/* Records the pages of s dirtied since its last record; at says why
 * ("checkpoint" with its id, "mem_op", "end"). */
void dirty_record_slot(struct vm *vm, struct mem_slot *s, const char *at, uint64_t id);
/* The same for every slot that logs. */
void dirty_record_all(struct vm *vm, const char *at, uint64_t id);
/* KVM_EXIT_DIRTY_RING_FULL: harvest, reset, go on. */
enum run_action exit_dirty_ring_full(struct vm *vm);

#endif /* MVM_DIRTY_H */
