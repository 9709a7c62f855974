/* SPDX-License-Identifier: MIT */
/* pageset.c - owns the pure dirty-page code: bitmap runs and ring harvesting. */
#include "pageset.h"

uint64_t bitmap_count(const uint64_t *bm, uint64_t nbits)
{
	uint64_t n = 0, words = nbits / 64;

	for (uint64_t i = 0; i < words; i++)
		n += (uint64_t)__builtin_popcountll(bm[i]);
	if (nbits % 64)
		n += (uint64_t)__builtin_popcountll(bm[words] & ((1ULL << (nbits % 64)) - 1));
	return n;
}

/* The first set bit at or after i, or nbits; whole zero words are skipped. */
static uint64_t next_set(const uint64_t *bm, uint64_t nbits, uint64_t i)
{
	while (i < nbits) {
		uint64_t w = bm[i / 64] >> (i % 64);

		if (w)
			return i + (uint64_t)__builtin_ctzll(w) < nbits ? i + __builtin_ctzll(w)
									: nbits;
		i = (i / 64 + 1) * 64;
	}
	return nbits;
}

static uint64_t next_clear(const uint64_t *bm, uint64_t nbits, uint64_t i)
{
	while (i < nbits) {
		uint64_t w = ~bm[i / 64] >> (i % 64);

		if (w)
			return i + (uint64_t)__builtin_ctzll(w) < nbits ? i + __builtin_ctzll(w)
									: nbits;
		i = (i / 64 + 1) * 64;
	}
	return nbits;
}

size_t bitmap_runs(const uint64_t *bm, uint64_t nbits, struct page_run *runs, size_t max)
{
	size_t n = 0;
	uint64_t i = next_set(bm, nbits, 0);

	while (i < nbits) {
		uint64_t end = next_clear(bm, nbits, i);

		if (n < max)
			runs[n] = (struct page_run){ i, end - i };
		n++;
		i = next_set(bm, nbits, end);
	}
	return n;
}

uint32_t dirty_ring_harvest(struct kvm_dirty_gfn *ring, uint32_t nent, uint32_t *fetch,
			    dirty_gfn_fn fn, void *ctx)
{
	uint32_t n = 0;

	while (n < nent) {
		struct kvm_dirty_gfn *e = &ring[*fetch & (nent - 1)];

		if (!(__atomic_load_n(&e->flags, __ATOMIC_ACQUIRE) & KVM_DIRTY_GFN_F_DIRTY))
			break;
		fn(ctx, e->slot, e->offset);
		__atomic_store_n(&e->flags, KVM_DIRTY_GFN_F_RESET, __ATOMIC_RELEASE);
		(*fetch)++;
		n++;
	}
	return n;
}
