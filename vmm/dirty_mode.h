/* SPDX-License-Identifier: MIT */
/* dirty_mode.h - inside dirty logging: what differs between its three modes (dirty.c's ops). */
#ifndef MVM_DIRTY_MODE_H
#define MVM_DIRTY_MODE_H

#include "dirty.h"

/* What differs between the three modes; NULL hooks do nothing. */
struct dirty_ops {
	int (*init)(struct dirty *d, struct errbuf *err); /* before any vCPU */
	int (*init_vcpu)(struct dirty *d, struct vcpu *v, struct errbuf *err);
	void (*started)(struct dirty *d, struct vcpu *v, const struct mem_slot *s,
			struct dirty_slot *ds);
	/* Brings KVM's dirty pages into the slots' page sets: of every slot at
	 * once (the rings), or of one slot (the bitmaps); false after a host
	 * error has ended the run. */
	bool (*collect_all)(struct dirty *d, struct vcpu *v);
	bool (*collect_slot)(struct dirty *d, const struct mem_slot *s, struct dirty_slot *ds);
	size_t (*runs)(const struct mem_slot *s, struct dirty_slot *ds, struct page_run *runs,
		       size_t max);
};

extern const struct dirty_ops dirty_bitmap_ops, dirty_clear_ops, dirty_ring_ops;

static inline uint64_t slot_pages(const struct mem_slot *s)
{
	return s->size / 4096;
}

/* KVM sizes dirty bitmaps in whole 64-bit words. */
static inline size_t bitmap_bytes(const struct mem_slot *s)
{
	return (slot_pages(s) + 63) / 64 * 8;
}

/* KVM_ENABLE_CAP on the VM; an exit status, err saying why. */
int dirty_enable_cap(struct dirty *d, uint32_t cap, uint64_t arg, const char *name,
		     struct errbuf *err);
/* The ring mode's harvest of every vCPU's ring and KVM_RESET_DIRTY_RINGS;
 * *freed (if not NULL) is what it freed; false after a host error. */
bool dirty_ring_collect(struct dirty *d, struct vcpu *v, uint32_t *freed);

#endif /* MVM_DIRTY_MODE_H */
