/* SPDX-License-Identifier: MIT */
/* dirty_ring.c - owns the ring mode: a ring per vCPU, harvests, KVM_RESET_DIRTY_RINGS, full exits. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dirty_mode.h"
#include "exits.h"

static int ring_init(struct dirty *d, struct errbuf *err)
{
	int acq = kvm_cap(&d->m->kvm, KVM_CAP_DIRTY_LOG_RING_ACQ_REL);
	int plain = kvm_cap(&d->m->kvm, KVM_CAP_DIRTY_LOG_RING);
	int max = acq ? acq : plain;
	uint32_t bytes = d->m->opt.dirty_ring_bytes;

	if (!max) {
		errbuf_set(err, "this host's KVM offers no dirty ring (--dirty=ring)");
		return MVM_STATUS_HOST;
	}
	if (bytes > (uint32_t)max) {
		errbuf_set(err, "--dirty-ring-size %u exceeds this host's maximum %d", bytes, max);
		return MVM_STATUS_HOST;
	}
	d->ring = calloc((size_t)d->m->nvcpus, sizeof(*d->ring));
	if (!d->ring) {
		errbuf_set(err, "out of memory");
		return MVM_STATUS_HOST;
	}
	d->nrings = d->m->nvcpus;
	d->acq_rel = acq != 0;
	d->ring_bytes = bytes;
	d->ring_nent = bytes / sizeof(struct kvm_dirty_gfn);
	return dirty_enable_cap(d, acq ? KVM_CAP_DIRTY_LOG_RING_ACQ_REL : KVM_CAP_DIRTY_LOG_RING,
				bytes,
				acq ? "KVM_CAP_DIRTY_LOG_RING_ACQ_REL" : "KVM_CAP_DIRTY_LOG_RING",
				err);
}

static int ring_init_vcpu(struct dirty *d, struct vcpu *v, struct errbuf *err)
{
	void *ring = mmap(NULL, d->ring_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd,
			  KVM_DIRTY_LOG_PAGE_OFFSET * sysconf(_SC_PAGESIZE));

	if (ring == MAP_FAILED) {
		errbuf_set(err, "cannot map the dirty ring of vCPU %d: %s", v->id, strerror(errno));
		return MVM_STATUS_HOST;
	}
	d->ring[v->id].gfns = ring;
	return 0;
}

struct harvest {
	struct dirty *d;
	struct vcpu *v;
};

/* An entry no logged slot of this run claims (or one that found no memory). */
static __attribute__((noinline)) void ring_stray(struct harvest *h, uint32_t slot,
						 uint64_t offset)
{
	struct record r;

	vcpu_rec_begin(h->v, &r, "dirty_stray");
	rec_hex(&r, "slot", slot);
	rec_hex(&r, "offset", offset);
	vcpu_emit(h->v, &r);
}

/* Called for every entry of a harvest: the stray case kept out of line. */
static void ring_add(void *ctx, uint32_t slot, uint64_t offset)
{
	struct harvest *h = ctx;
	uint32_t id = slot & 0xffff;
	const struct mem_slot *s = id < MVM_SLOT_COUNT ? &h->d->m->mem.slot[id] : NULL;
	struct dirty_slot *ds = s ? &h->d->slot[id] : NULL;

	if (s && ds->logging && offset < slot_pages(s) && page_list_add(&ds->ring_pages, offset))
		return;
	ring_stray(h, slot, offset);
}

/*
 * KVM is meant to stop the vCPU at the ring's soft limit, well short of
 * this: a ring found completely dirty has most likely been overrun, its
 * oldest entries overwritten, pages lost (kvm_pvm does it: its
 * kvm_dirty_ring_push tracepoint shows dirty_index running past
 * reset_index + entries). No page set of this run can be vouched for any
 * more, so the run ends here as a host failure, whatever the timing that
 * let KVM overrun it, and no dirty record follows.
 */
static void ring_overrun(struct dirty *d, struct vcpu *v, int ring, uint32_t n)
{
	struct record r;

	vcpu_rec_begin(v, &r, "dirty_ring_overrun");
	rec_u64(&r, "ring", (uint64_t)ring);
	rec_u64(&r, "entries", n);
	vcpu_emit(v, &r);
	d->overrun = true;
	runlog_host_error(&d->m->log,
			  "the dirty ring of vCPU %d was found full (%u entries): KVM did not stop "
			  "the vCPU at its soft limit and may have overwritten pages; use a larger "
			  "--dirty-ring-size, or --dirty bitmap",
			  ring, n);
}

/*
 * Harvests every vCPU's ring and always asks KVM to reset them, even when
 * nothing new was found: entries marked for reset by an earlier harvest
 * may still be waiting for KVM (seen on a 6.18 host, where skipping the
 * reset left the vCPU exiting with KVM_EXIT_DIRTY_RING_FULL forever).
 * *freed is the number of entries collected plus those KVM reset.
 */
bool dirty_ring_collect(struct dirty *d, struct vcpu *v, uint32_t *freed)
{
	struct harvest h = { d, v };
	uint32_t total = 0;
	int reset;

	if (d->overrun)
		return false;
	for (int i = 0; i < d->nrings; i++) {
		struct dirty_ring *ring = &d->ring[i];
		uint32_t n;

		if (!ring->gfns)
			continue;
		n = dirty_ring_harvest(ring->gfns, d->ring_nent, &ring->fetch, ring_add, &h);
		if (n == d->ring_nent) {
			ring_overrun(d, v, i, n);
			return false;
		}
		total += n;
	}
	reset = ioctl_raw(d->m->fd, KVM_RESET_DIRTY_RINGS, NULL);
	if (reset < 0) {
		runlog_host_error(&d->m->log, "KVM_RESET_DIRTY_RINGS failed: %s", strerror(-reset));
		return false;
	}
	if (freed)
		*freed = total + (uint32_t)reset;
	return true;
}

static bool ring_collect_all(struct dirty *d, struct vcpu *v)
{
	return dirty_ring_collect(d, v, NULL);
}

static size_t ring_slot_runs(const struct mem_slot *s, struct dirty_slot *ds, struct page_run *runs,
			     size_t max)
{
	(void)s;
	return ds->ring_pages.n ? page_list_runs(&ds->ring_pages, runs, max) : 0;
}

const struct dirty_ops dirty_ring_ops = {
	.init = ring_init,
	.init_vcpu = ring_init_vcpu,
	.collect_all = ring_collect_all,
	.runs = ring_slot_runs,
};

/* Full exits in a row that freed nothing before minivmm gives up. */
#define RING_FULL_STUCK 1000

enum run_action exit_dirty_ring_full(struct vcpu *v)
{
	struct dirty *d = v->m->dirty;
	uint32_t freed = 0;
	struct record r;

	exit_rec_begin(v, &r);
	vcpu_emit(v, &r);
	if (d->mode != DIRTY_RING)
		return runlog_host_error(&v->m->log, "KVM_EXIT_DIRTY_RING_FULL without a dirty "
						     "ring");
	if (!dirty_ring_collect(d, v, &freed))
		return RUN_STOP;
	if (freed) {
		d->stuck = 0;
		return RUN_CONTINUE;
	}
	if (++d->stuck < RING_FULL_STUCK)
		return RUN_CONTINUE;
	return runlog_host_error(&v->m->log, "KVM keeps exiting with KVM_EXIT_DIRTY_RING_FULL but "
					     "its ring "
					     "holds nothing to harvest or reset; try a larger "
					     "--dirty-ring-size");
}
