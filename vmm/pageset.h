/* SPDX-License-Identifier: MIT */
/* pageset.h - dirty-page sets: bitmaps to page runs, and KVM dirty-ring harvesting. */
#ifndef MVM_PAGESET_H
#define MVM_PAGESET_H

#include <linux/kvm.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* count pages from page index first. */
struct page_run {
	uint64_t first;
	uint64_t count;
};

/*
 * Writes the runs of set bits of bm, lowest first, into runs (at most max)
 * and returns how many there are in all, so a call with max 0 sizes the
 * array.
 */
size_t bitmap_runs(const uint64_t *bm, uint64_t nbits, struct page_run *runs, size_t max);

/*
 * The words of bm (nwords of them) from the first with a bit set to the
 * last with one: false when none has. Zero blocks are skipped from both
 * ends, so the words between the two are not read.
 */
bool bitmap_span(const uint64_t *bm, uint64_t nwords, uint64_t *first, uint64_t *last);

/* Pages collected one by one (from a dirty ring), in any order, repeats allowed. */
struct page_list {
	uint64_t *page;
	size_t n, cap;
	bool unsorted; /* a page was added below the one before it */
};

/* Doubles l's room (256 pages at first): false when out of memory. */
bool page_list_grow(struct page_list *l);

/* Adds page to l: false when out of memory. Inline: a ring harvest calls
 * it for every entry. */
static inline bool page_list_add(struct page_list *l, uint64_t page)
{
	if (__builtin_expect(l->n == l->cap, 0) && !page_list_grow(l))
		return false;
	if (l->n && page < l->page[l->n - 1])
		l->unsorted = true;
	l->page[l->n++] = page;
	return true;
}
/* Sorts l unless it is in order already, drops repeats, and writes its runs
 * like bitmap_runs(); l is left sorted. */
size_t page_list_runs(struct page_list *l, struct page_run *runs, size_t max);
void page_list_free(struct page_list *l);

/* What dirty_ring_harvest() hands over for each dirty entry. */
typedef void (*dirty_gfn_fn)(void *ctx, uint32_t slot, uint64_t offset);

/*
 * Collects the dirty entries of a KVM dirty ring of nent entries (a power
 * of two) from *fetch on: each is passed to fn and marked for reset with
 * release semantics (KVM_CAP_DIRTY_LOG_RING_ACQ_REL); *fetch advances.
 * Returns the number collected; the caller then issues KVM_RESET_DIRTY_RINGS.
 */
static inline uint32_t dirty_ring_harvest(struct kvm_dirty_gfn *ring, uint32_t nent,
					  uint32_t *fetch, dirty_gfn_fn fn, void *ctx)
{
	uint32_t n = 0, at = *fetch;

	/* Inline, so that fn is too: it runs for every entry. */
	while (n < nent) {
		struct kvm_dirty_gfn *e = &ring[at & (nent - 1)];

		if (!(__atomic_load_n(&e->flags, __ATOMIC_ACQUIRE) & KVM_DIRTY_GFN_F_DIRTY))
			break;
		fn(ctx, e->slot, e->offset);
		__atomic_store_n(&e->flags, KVM_DIRTY_GFN_F_RESET, __ATOMIC_RELEASE);
		at++;
		n++;
	}
	*fetch = at;
	return n;
}

#endif /* MVM_PAGESET_H */
