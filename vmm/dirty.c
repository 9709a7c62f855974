/* SPDX-License-Identifier: MIT */
/* dirty.c - owns dirty logging: the three KVM interfaces behind one ops table, a page set per slot. */
#include "dirty.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "contrib.h"
#include "exits.h"

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

static const char *const mode_names[] = {
	[DIRTY_BITMAP] = "bitmap",
	[DIRTY_CLEAR] = "clear",
	[DIRTY_RING] = "ring",
};

const char *dirty_mode_name(enum dirty_mode m)
{
	return mode_names[m];
}

bool dirty_mode_from_name(const char *s, enum dirty_mode *m)
{
	int i = name_index(mode_names, ARRAY_SIZE(mode_names), s);

	if (i >= 0)
		*m = (enum dirty_mode)i;
	return i >= 0;
}

static uint64_t slot_pages(const struct mem_slot *s)
{
	return s->size / 4096;
}

/* KVM sizes dirty bitmaps in whole 64-bit words. */
static size_t bitmap_bytes(const struct mem_slot *s)
{
	return (slot_pages(s) + 63) / 64 * 8;
}

static int enable_cap(struct dirty *d, uint32_t cap, uint64_t arg, const char *name,
		      struct errbuf *err)
{
	struct kvm_enable_cap ec = { .cap = cap, .args = { arg } };
	int e = ioctl_raw(d->m->fd, KVM_ENABLE_CAP, &ec);

	if (e < 0)
		errbuf_set(err, "KVM_ENABLE_CAP(%s, 0x%llx) failed: %s", name,
			   (unsigned long long)arg, strerror(-e));
	return e < 0 ? MVM_STATUS_HOST : 0;
}

/* ---- bitmap and clear: KVM_GET_DIRTY_LOG (and KVM_CLEAR_DIRTY_LOG) ---- */

static uint64_t *scratch_for(struct dirty *d, const struct mem_slot *s)
{
	size_t need = bitmap_bytes(s);

	if (d->scratch_bytes < need) {
		free(d->scratch);
		d->scratch = malloc(need);
		d->scratch_bytes = d->scratch ? need : 0;
	}
	return d->scratch; /* not cleared: KVM_GET_DIRTY_LOG writes every byte */
}

/* Re-protects the pages set in bm (manual protect mode). */
static bool clear_log(struct dirty *d, const struct mem_slot *s, uint64_t *bm)
{
	struct kvm_clear_dirty_log c = {
		.slot = s->id,
		.num_pages = (uint32_t)slot_pages(s),
		.first_page = 0,
		.dirty_bitmap = bm,
	};
	int e = ioctl_raw(d->m->fd, KVM_CLEAR_DIRTY_LOG, &c);

	if (e < 0)
		runlog_host_error(&d->m->log, "KVM_CLEAR_DIRTY_LOG failed for slot %s: %s", s->name,
				  strerror(-e));
	return e >= 0;
}

static void bitmap_started(struct dirty *d, struct vcpu *v, const struct mem_slot *s,
			   struct dirty_slot *ds)
{
	(void)d;
	if (!ds->bitmap && !(ds->bitmap = calloc(1, bitmap_bytes(s))))
		runlog_host_error(&v->m->log, "out of memory for the dirty bitmap of slot %s",
				  s->name);
}

/* With INITIALLY_SET every page starts dirty and writable; clearing the
 * whole log write-protects them, so the first record holds only what the
 * guest wrote after it asked for logging. */
static void clear_started(struct dirty *d, struct vcpu *v, const struct mem_slot *s,
			  struct dirty_slot *ds)
{
	uint64_t *all;

	bitmap_started(d, v, s, ds);
	if (!d->initially_set)
		return;
	if (!(all = scratch_for(d, s))) {
		runlog_host_error(&v->m->log, "out of memory for a dirty bitmap");
		return;
	}
	memset(all, 0xff, bitmap_bytes(s));
	clear_log(d, s, all);
}

/*
 * Brings KVM's dirty pages of s into its bitmap. A checkpoint usually
 * finds nothing pending: KVM then writes straight into the slot's bitmap,
 * the same buffer every time, still in cache for the scan that follows.
 * Only pages pending from an earlier fetch (a slot change between
 * checkpoints) need the scratch buffer and a merge.
 */
static bool bitmap_collect(struct dirty *d, const struct mem_slot *s, struct dirty_slot *ds)
{
	uint64_t *bm = ds->pending ? scratch_for(d, s) : ds->bitmap;
	struct kvm_dirty_log log = { .slot = s->id, .dirty_bitmap = bm };
	size_t words = bitmap_bytes(s) / 8;
	int e;

	if (!bm) {
		runlog_host_error(&d->m->log, "out of memory for a dirty bitmap");
		return false;
	}
	e = ioctl_raw(d->m->fd, KVM_GET_DIRTY_LOG, &log);
	if (e < 0) {
		runlog_host_error(&d->m->log, "KVM_GET_DIRTY_LOG failed for slot %s: %s", s->name,
				  strerror(-e));
		return false;
	}
	if (d->mode == DIRTY_CLEAR && !clear_log(d, s, bm))
		return false;
	if (bm != ds->bitmap)
		for (size_t i = 0; i < words; i++)
			ds->bitmap[i] |= bm[i];
	ds->pending = true;
	return true;
}

static size_t bitmap_slot_runs(const struct mem_slot *s, struct dirty_slot *ds,
			       struct page_run *runs, size_t max)
{
	return ds->pending ? bitmap_runs(ds->bitmap, slot_pages(s), runs, max) : 0;
}

static int clear_init(struct dirty *d, struct errbuf *err)
{
	int offered = kvm_cap(&d->m->kvm, KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2);
	uint64_t want = KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE | KVM_DIRTY_LOG_INITIALLY_SET;

	if (!(offered & KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE)) {
		errbuf_set(err, "this host's KVM lacks KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 "
				"(--dirty=clear)");
		return MVM_STATUS_HOST;
	}
	d->initially_set = offered & KVM_DIRTY_LOG_INITIALLY_SET;
	return enable_cap(d, KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2, want & (uint64_t)offered,
			  "KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2", err);
}

/* ---- ring: one ring per vCPU, KVM_RESET_DIRTY_RINGS ---- */

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
	return enable_cap(d, acq ? KVM_CAP_DIRTY_LOG_RING_ACQ_REL : KVM_CAP_DIRTY_LOG_RING, bytes,
			  acq ? "KVM_CAP_DIRTY_LOG_RING_ACQ_REL" : "KVM_CAP_DIRTY_LOG_RING", err);
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

static void ring_add(void *ctx, uint32_t slot, uint64_t offset)
{
	struct harvest *h = ctx;
	uint32_t id = slot & 0xffff;
	const struct mem_slot *s = id < MVM_SLOT_COUNT ? &h->d->m->mem.slot[id] : NULL;
	struct dirty_slot *ds = s ? &h->d->slot[id] : NULL;
	struct record r;

	if (s && ds->logging && offset < slot_pages(s) && page_list_add(&ds->ring_pages, offset))
		return;
	vcpu_rec_begin(h->v, &r, "dirty_stray");
	rec_hex(&r, "slot", slot);
	rec_hex(&r, "offset", offset);
	vcpu_emit(h->v, &r);
}

/* KVM is meant to stop the vCPU at the ring's soft limit, well short of
 * this: a ring found completely dirty may have been overrun, and pages
 * lost. Say so in the trace rather than pass on a wrong set. */
static void ring_overrun(struct dirty *d, struct vcpu *v, uint32_t n)
{
	struct record r;

	vcpu_rec_begin(v, &r, "dirty_ring_overrun");
	rec_u64(&r, "entries", n);
	rec_cstr(&r, "detail",
		 "the dirty ring was found full: KVM may have overwritten "
		 "entries, so dirty sets may miss pages");
	vcpu_emit(v, &r);
	if (!d->overrun_warned)
		mvm_err("warning: the dirty ring (%u entries) was found full; dirty sets may "
			"miss pages (a larger --dirty-ring-size avoids it)",
			n);
	d->overrun_warned = true;
}

/*
 * Harvests every vCPU's ring and always asks KVM to reset them, even when
 * nothing new was found: entries marked for reset by an earlier harvest
 * may still be waiting for KVM (seen on a 6.18 host, where skipping the
 * reset left the vCPU exiting with KVM_EXIT_DIRTY_RING_FULL forever).
 * *freed is the number of entries collected plus those KVM reset.
 */
static bool ring_collect(struct dirty *d, struct vcpu *v, uint32_t *freed)
{
	struct harvest h = { d, v };
	uint32_t total = 0;
	int reset;

	for (int i = 0; i < d->nrings; i++) {
		struct dirty_ring *ring = &d->ring[i];
		uint32_t n;

		if (!ring->gfns)
			continue;
		n = dirty_ring_harvest(ring->gfns, d->ring_nent, &ring->fetch, ring_add, &h);
		if (n == d->ring_nent)
			ring_overrun(d, v, n);
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
	return ring_collect(d, v, NULL);
}

static size_t ring_slot_runs(const struct mem_slot *s, struct dirty_slot *ds, struct page_run *runs,
			     size_t max)
{
	(void)s;
	return ds->ring_pages.n ? page_list_runs(&ds->ring_pages, runs, max) : 0;
}

static const struct dirty_ops dirty_modes[DIRTY_MODE_COUNT] = {
	[DIRTY_BITMAP] = {
		.started = bitmap_started,
		.collect_slot = bitmap_collect,
		.runs = bitmap_slot_runs,
	},
	[DIRTY_CLEAR] = {
		.init = clear_init,
		.started = clear_started,
		.collect_slot = bitmap_collect,
		.runs = bitmap_slot_runs,
	},
	[DIRTY_RING] = {
		.init = ring_init,
		.init_vcpu = ring_init_vcpu,
		.collect_all = ring_collect_all,
		.runs = ring_slot_runs,
	},
};

/* ---- recording, whatever the mode ---- */

static bool slot_logs(const struct dirty *d, const struct mem_slot *s)
{
	return s->exists && d->slot[s->id].logging && (s->flags & KVM_MEM_LOG_DIRTY_PAGES);
}

void dirty_slot_started(struct dirty *d, struct vcpu *v, const struct mem_slot *s)
{
	struct dirty_slot *ds = &d->slot[s->id];

	ds->logging = true;
	if (d->ops->started)
		d->ops->started(d, v, s, ds);
}

#define RUNS_ON_STACK 256

static void record_pending(struct dirty *d, struct vcpu *v, const struct mem_slot *s,
			   const char *at, uint64_t id)
{
	struct page_run stack_runs[RUNS_ON_STACK], *runs = stack_runs;
	struct dirty_slot *ds = &d->slot[s->id];
	uint64_t count = 0;
	size_t n;
	struct record r;

	/* One pass for the usual few runs; a second into the heap for many. */
	n = d->ops->runs(s, ds, runs, RUNS_ON_STACK);
	if (n > RUNS_ON_STACK) {
		runs = malloc(n * sizeof(*runs));
		if (!runs) {
			runlog_host_error(&d->m->log, "out of memory for %zu dirty page runs", n);
			return;
		}
		d->ops->runs(s, ds, runs, n);
	}
	for (size_t i = 0; i < n; i++)
		count += runs[i].count;
	vcpu_rec_begin(v, &r, "dirty");
	rec_word(&r, "at", at);
	if (strcmp(at, "checkpoint") == 0)
		rec_u64(&r, "id", id);
	rec_u64(&r, "slot", s->id);
	rec_word(&r, "name", s->name);
	rec_hex(&r, "gpa", s->gpa);
	rec_u64(&r, "count", count);
	rec_runs(&r, "pages", s->gpa, runs, n);
	vcpu_emit(v, &r);
	if (runs != stack_runs)
		free(runs);
	ds->pending = false;
	ds->ring_pages.n = 0;
}

void dirty_record_slot(struct dirty *d, struct vcpu *v, const struct mem_slot *s)
{
	if (!slot_logs(d, s))
		return;
	if (d->ops->collect_all ? !d->ops->collect_all(d, v)
				: s->present && !d->ops->collect_slot(d, s, &d->slot[s->id]))
		return;
	record_pending(d, v, s, "mem_op", 0);
}

static void record_all(struct dirty *d, struct vcpu *v, const char *at, uint64_t id)
{
	bool any = false;

	for (int i = 0; i < MVM_SLOT_COUNT; i++)
		any |= slot_logs(d, &d->m->mem.slot[i]);
	if (!any)
		return;
	if (d->ops->collect_all && !d->ops->collect_all(d, v))
		return;
	for (int i = 0; i < MVM_SLOT_COUNT; i++) {
		const struct mem_slot *s = &d->m->mem.slot[i];

		if (!slot_logs(d, s))
			continue;
		if (d->ops->collect_slot && s->present && !d->ops->collect_slot(d, s, &d->slot[i]))
			return;
		record_pending(d, v, s, at, id);
	}
}

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
	if (!ring_collect(d, v, &freed))
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

/* ---- the contributor ---- */

static int dirty_open(struct machine *m, void **state, struct errbuf *err)
{
	struct dirty *d = calloc(1, sizeof(*d));

	*state = d;
	if (!d) {
		errbuf_set(err, "out of memory");
		return MVM_STATUS_HOST;
	}
	d->m = m;
	d->mode = m->opt.dirty;
	d->ops = &dirty_modes[d->mode];
	m->dirty = d;
	return d->ops->init ? d->ops->init(d, err) : 0;
}

static int dirty_open_vcpu(void *state, struct vcpu *v, int index, struct errbuf *err)
{
	struct dirty *d = state;

	(void)index;
	return d->ops->init_vcpu ? d->ops->init_vcpu(d, v, err) : 0;
}

static void dirty_checkpoint(void *state, struct vcpu *v, int index, uint64_t id)
{
	(void)index;
	record_all(state, v, "checkpoint", id);
}

/* The end's records go with the BSP's last exit. */
static void dirty_at_end(void *state, struct machine *m, int index)
{
	(void)index;
	if (m->contribs->nvcpus)
		record_all(state, &m->contribs->vcpus[0], "end", 0);
}

static void dirty_close(void *state, struct machine *m)
{
	struct dirty *d = state;

	if (!d)
		return;
	m->dirty = NULL;
	for (int i = 0; i < d->nrings; i++)
		if (d->ring[i].gfns)
			munmap(d->ring[i].gfns, d->ring_bytes);
	free(d->ring);
	for (int i = 0; i < MVM_SLOT_COUNT; i++) {
		free(d->slot[i].bitmap);
		page_list_free(&d->slot[i].ring_pages);
	}
	free(d->scratch);
	free(d);
}

const struct contrib_ops dirty_contrib = {
	.name = "dirty",
	.open = dirty_open,
	.open_vcpu = dirty_open_vcpu,
	.checkpoint = dirty_checkpoint,
	.at_end = dirty_at_end,
	.close = dirty_close,
};
