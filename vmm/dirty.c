/* SPDX-License-Identifier: MIT */
/* dirty.c - owns dirty logging: a page set per slot, its records, the mode chosen (dirty_mode.h). */
#include "dirty.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "contrib.h"
#include "dirty_mode.h"

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

int dirty_enable_cap(struct dirty *d, uint32_t cap, uint64_t arg, const char *name,
		     struct errbuf *err)
{
	struct kvm_enable_cap ec = { .cap = cap, .args = { arg } };
	int e = ioctl_raw(d->m->fd, KVM_ENABLE_CAP, &ec);

	if (e < 0)
		errbuf_set(err, "KVM_ENABLE_CAP(%s, 0x%llx) failed: %s", name,
			   (unsigned long long)arg, strerror(-e));
	return e < 0 ? MVM_STATUS_HOST : 0;
}

static const struct dirty_ops *const dirty_modes[DIRTY_MODE_COUNT] = {
	[DIRTY_BITMAP] = &dirty_bitmap_ops,
	[DIRTY_CLEAR] = &dirty_clear_ops,
	[DIRTY_RING] = &dirty_ring_ops,
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
	d->ops = dirty_modes[d->mode];
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
