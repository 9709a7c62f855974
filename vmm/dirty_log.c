/* SPDX-License-Identifier: MIT */
/* dirty_log.c - owns the bitmap and clear modes: KVM_GET_DIRTY_LOG, KVM_CLEAR_DIRTY_LOG. */
#include <stdlib.h>
#include <string.h>

#include "dirty_mode.h"

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

/* Re-protects the pages set in bm, whose bit 0 is page first of s and which
 * covers pages of them (manual protect mode): first a multiple of 64, and
 * pages one too unless the range ends at the end of the slot. */
static bool clear_log(struct dirty *d, const struct mem_slot *s, uint64_t *bm, uint64_t first,
		      uint64_t pages)
{
	struct kvm_clear_dirty_log c = {
		.slot = s->id,
		.num_pages = (uint32_t)pages,
		.first_page = first,
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
	clear_log(d, s, all, 0, slot_pages(s));
}

/*
 * Re-protects the pages just fetched into bm. KVM_CLEAR_DIRTY_LOG changes
 * only pages whose bit is set, so the words from the first with one to the
 * last with one say it all: the kernel then copies and walks those, not
 * the whole slot's bitmap (557 KB for 17 GiB), and nothing at all when no
 * page was dirtied.
 */
static bool clear_fetched(struct dirty *d, const struct mem_slot *s, uint64_t *bm)
{
	uint64_t first, last, end;

	if (!bitmap_span(bm, bitmap_bytes(s) / 8, &first, &last))
		return true;
	end = (last + 1) * 64 < slot_pages(s) ? (last + 1) * 64 : slot_pages(s);
	return clear_log(d, s, bm + first, first * 64, end - first * 64);
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
	if (d->mode == DIRTY_CLEAR && !clear_fetched(d, s, bm))
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
	return dirty_enable_cap(d, KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2, want & (uint64_t)offered,
				"KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2", err);
}

const struct dirty_ops dirty_bitmap_ops = {
	.started = bitmap_started,
	.collect_slot = bitmap_collect,
	.runs = bitmap_slot_runs,
};

const struct dirty_ops dirty_clear_ops = {
	.init = clear_init,
	.started = clear_started,
	.collect_slot = bitmap_collect,
	.runs = bitmap_slot_runs,
};
