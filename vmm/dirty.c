/* SPDX-License-Identifier: MIT */
/* dirty.c - owns dirty logging: the three KVM interfaces, one page set per slot. */
#include "dirty.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "exits.h"
#include "pageset.h"
#include "vm.h"

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

static int enable_cap(struct vm *vm, uint32_t cap, uint64_t arg, const char *name,
		      struct errbuf *err)
{
	struct kvm_enable_cap ec = { .cap = cap, .args = { arg } };
	int e = ioctl_raw(vm->fd, KVM_ENABLE_CAP, &ec);

	if (e < 0)
		errbuf_set(err, "KVM_ENABLE_CAP(%s, 0x%llx) failed: %s", name,
			   (unsigned long long)arg, strerror(-e));
	return e < 0 ? MVM_STATUS_HOST : 0;
}

static int init_clear(struct vm *vm, struct errbuf *err)
{
	int offered = kvm_cap(&vm->kvm, KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2);
	uint64_t want = KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE | KVM_DIRTY_LOG_INITIALLY_SET;

	if (!(offered & KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE)) {
		errbuf_set(err, "this host's KVM lacks KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 "
				"(--dirty=clear)");
		return MVM_STATUS_HOST;
	}
	vm->dirty.initially_set = offered & KVM_DIRTY_LOG_INITIALLY_SET;
	return enable_cap(vm, KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2, want & (uint64_t)offered,
			  "KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2", err);
}

static int init_ring(struct vm *vm, uint32_t bytes, struct errbuf *err)
{
	int acq = kvm_cap(&vm->kvm, KVM_CAP_DIRTY_LOG_RING_ACQ_REL);
	int plain = kvm_cap(&vm->kvm, KVM_CAP_DIRTY_LOG_RING);
	int max = acq ? acq : plain;

	if (!max) {
		errbuf_set(err, "this host's KVM offers no dirty ring (--dirty=ring)");
		return MVM_STATUS_HOST;
	}
	if (bytes > (uint32_t)max) {
		errbuf_set(err, "--dirty-ring-size %u exceeds this host's maximum %d", bytes, max);
		return MVM_STATUS_HOST;
	}
	vm->dirty.acq_rel = acq != 0;
	vm->dirty.ring_bytes = bytes;
	vm->dirty.ring_nent = bytes / sizeof(struct kvm_dirty_gfn);
	return enable_cap(vm, acq ? KVM_CAP_DIRTY_LOG_RING_ACQ_REL : KVM_CAP_DIRTY_LOG_RING, bytes,
			  acq ? "KVM_CAP_DIRTY_LOG_RING_ACQ_REL" : "KVM_CAP_DIRTY_LOG_RING", err);
}

int dirty_init(struct vm *vm, enum dirty_mode mode, uint32_t ring_bytes, struct errbuf *err)
{
	vm->dirty.mode = mode;
	if (mode == DIRTY_CLEAR)
		return init_clear(vm, err);
	if (mode == DIRTY_RING)
		return init_ring(vm, ring_bytes, err);
	return 0;
}

int dirty_init_vcpu(struct vm *vm, struct errbuf *err)
{
	struct dirty *d = &vm->dirty;
	void *ring;

	if (d->mode != DIRTY_RING)
		return 0;
	ring = mmap(NULL, d->ring_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu.fd,
		    KVM_DIRTY_LOG_PAGE_OFFSET * sysconf(_SC_PAGESIZE));
	if (ring == MAP_FAILED) {
		errbuf_set(err, "cannot map the dirty ring: %s", strerror(errno));
		return MVM_STATUS_HOST;
	}
	d->ring = ring;
	return 0;
}

void dirty_destroy(struct vm *vm)
{
	if (vm->dirty.ring)
		munmap(vm->dirty.ring, vm->dirty.ring_bytes);
	vm->dirty.ring = NULL;
	free(vm->dirty.scratch);
	vm->dirty.scratch = NULL;
}

static uint64_t *scratch_for(struct vm *vm, const struct mem_slot *s)
{
	struct dirty *d = &vm->dirty;
	size_t need = bitmap_bytes(s);

	if (d->scratch_bytes < need) {
		free(d->scratch);
		d->scratch = malloc(need);
		d->scratch_bytes = d->scratch ? need : 0;
	}
	return d->scratch; /* not cleared: KVM_GET_DIRTY_LOG writes every byte */
}

/* Re-protects the pages set in bm (manual protect mode). */
static void clear_log(struct vm *vm, const struct mem_slot *s, uint64_t *bm)
{
	struct kvm_clear_dirty_log c = {
		.slot = s->id,
		.num_pages = (uint32_t)slot_pages(s),
		.first_page = 0,
		.dirty_bitmap = bm,
	};

	vm_ioctl(vm, KVM_CLEAR_DIRTY_LOG, &c);
}

void dirty_slot_started(struct vm *vm, struct mem_slot *s)
{
	s->logging = true;
	if (!s->dirty && vm->dirty.mode != DIRTY_RING)
		s->dirty = calloc(1, bitmap_bytes(s));
	/* With INITIALLY_SET every page starts dirty and writable; clearing the
	 * whole log write-protects them, so the first record holds only what
	 * the guest wrote after it asked for logging. */
	if (vm->dirty.mode == DIRTY_CLEAR && vm->dirty.initially_set) {
		uint64_t *all = scratch_for(vm, s);

		if (all) {
			memset(all, 0xff, bitmap_bytes(s));
			clear_log(vm, s, all);
		}
	}
}

static void ring_add(void *ctx, uint32_t slot, uint64_t offset)
{
	struct vm *vm = ctx;
	uint32_t id = slot & 0xffff;
	struct mem_slot *s = id < MVM_SLOT_COUNT ? &vm->mem.slot[id] : NULL;
	struct record r;

	if (s && s->logging && offset < slot_pages(s) && page_list_add(&s->ring_pages, offset))
		return;
	vm_rec_begin(vm, &r, "dirty_stray");
	rec_hex(&r, "slot", slot);
	rec_hex(&r, "offset", offset);
	vm_rec_emit(vm, &r);
}

/*
 * Harvests the ring and always asks KVM to reset it, even when nothing new
 * was found: entries marked for reset by an earlier harvest may still be
 * waiting for KVM (seen on a 6.18 host, where skipping the reset left the
 * vCPU exiting with KVM_EXIT_DIRTY_RING_FULL forever). Returns the number
 * of entries collected plus those KVM reset.
 */
static uint32_t ring_collect(struct vm *vm)
{
	struct dirty *d = &vm->dirty;
	uint32_t n = dirty_ring_harvest(d->ring, d->ring_nent, &d->fetch, ring_add, vm);
	int reset = vm_ioctl(vm, KVM_RESET_DIRTY_RINGS, NULL);

	/* KVM is meant to stop the vCPU at the ring's soft limit, well short
	 * of this: a ring found completely dirty may have been overrun, and
	 * pages lost. Say so in the trace rather than pass on a wrong set. */
	if (n == d->ring_nent) {
		struct record r;

		vm_rec_begin(vm, &r, "dirty_ring_overrun");
		rec_u64(&r, "entries", n);
		rec_cstr(&r, "detail", "the dirty ring was found full: KVM may have overwritten "
				       "entries, so dirty sets may miss pages");
		vm_rec_emit(vm, &r);
		if (!d->overrun_warned)
			mvm_err("warning: the dirty ring (%u entries) was found full; dirty sets may "
				"miss pages (a larger --dirty-ring-size avoids it)", n);
		d->overrun_warned = true;
	}
	return n + (reset > 0 ? (uint32_t)reset : 0);
}

/*
 * Brings KVM's dirty pages of s into s->dirty (bitmap and clear modes). A
 * checkpoint usually finds nothing pending: KVM then writes straight into
 * the slot's bitmap, the same buffer every time, still in cache for the
 * scan that follows. Only pages pending from an earlier fetch (a slot
 * change between checkpoints) need the scratch buffer and a merge.
 */
static void log_collect(struct vm *vm, struct mem_slot *s)
{
	uint64_t *bm = s->pending ? scratch_for(vm, s) : s->dirty;
	struct kvm_dirty_log log = { .slot = s->id, .dirty_bitmap = bm };
	size_t words = bitmap_bytes(s) / 8;

	if (!bm || vm_ioctl(vm, KVM_GET_DIRTY_LOG, &log) < 0)
		return;
	if (vm->dirty.mode == DIRTY_CLEAR)
		clear_log(vm, s, bm);
	if (bm != s->dirty)
		for (size_t i = 0; i < words; i++)
			s->dirty[i] |= bm[i];
	s->pending = true;
}

static bool slot_logs(const struct mem_slot *s)
{
	return s->exists && s->logging && (s->flags & KVM_MEM_LOG_DIRTY_PAGES);
}

#define RUNS_ON_STACK 256

/* The runs of what s has pending, from its bitmap or its ring pages. */
static size_t slot_runs(struct mem_slot *s, struct page_run *runs, size_t max)
{
	if (s->ring_pages.n)
		return page_list_runs(&s->ring_pages, runs, max);
	return s->pending ? bitmap_runs(s->dirty, slot_pages(s), runs, max) : 0;
}

static void record_pending(struct vm *vm, struct mem_slot *s, const char *at, uint64_t id)
{
	struct page_run stack_runs[RUNS_ON_STACK], *runs = stack_runs;
	uint64_t count = 0;
	size_t n = 0;
	struct record r;

	/* One pass for the usual few runs; a second into the heap for many. */
	n = slot_runs(s, runs, RUNS_ON_STACK);
	if (n > RUNS_ON_STACK) {
		runs = malloc(n * sizeof(*runs));
		if (!runs) {
			vm_end(vm, END_HOST_ERROR, MVM_STATUS_HOST, "out of memory for dirty pages");
			return;
		}
		slot_runs(s, runs, n);
	}
	for (size_t i = 0; i < n; i++)
		count += runs[i].count;
	vm_rec_begin(vm, &r, "dirty");
	rec_word(&r, "at", at);
	if (strcmp(at, "checkpoint") == 0)
		rec_u64(&r, "id", id);
	rec_u64(&r, "slot", s->id);
	rec_word(&r, "name", s->name);
	rec_hex(&r, "gpa", s->gpa);
	rec_u64(&r, "count", count);
	rec_runs(&r, "pages", s->gpa, runs, n);
	vm_rec_emit(vm, &r);
	if (runs != stack_runs)
		free(runs);
	s->pending = false;
	s->ring_pages.n = 0;
}

void dirty_record_slot(struct vm *vm, struct mem_slot *s, const char *at, uint64_t id)
{
	if (!slot_logs(s))
		return;
	if (vm->dirty.mode == DIRTY_RING)
		ring_collect(vm);
	else if (s->present)
		log_collect(vm, s);
	record_pending(vm, s, at, id);
}

void dirty_record_all(struct vm *vm, const char *at, uint64_t id)
{
	if (vm->dirty.mode == DIRTY_RING && vm->dirty.ring)
		ring_collect(vm);
	for (int i = 0; i < MVM_SLOT_COUNT; i++) {
		struct mem_slot *s = &vm->mem.slot[i];

		if (!slot_logs(s))
			continue;
		if (vm->dirty.mode != DIRTY_RING && s->present)
			log_collect(vm, s);
		record_pending(vm, s, at, id);
	}
}

/* Full exits in a row that freed nothing before minivmm gives up. */
#define RING_FULL_STUCK 1000

enum run_action exit_dirty_ring_full(struct vm *vm)
{
	struct record r;

	exit_rec_begin(vm, &r);
	vm_rec_emit(vm, &r);
	if (ring_collect(vm)) {
		vm->dirty.stuck = 0;
		return RUN_CONTINUE;
	}
	if (++vm->dirty.stuck < RING_FULL_STUCK)
		return RUN_CONTINUE;
	mvm_err("KVM keeps exiting with KVM_EXIT_DIRTY_RING_FULL but its ring holds nothing to "
		"harvest or reset; try a larger --dirty-ring-size");
	return vm_end(vm, END_HOST_ERROR, MVM_STATUS_HOST, "dirty ring full with nothing to harvest");
}
