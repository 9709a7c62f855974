/* SPDX-License-Identifier: MIT */
/* test_pageset.c - bitmap-to-runs encoding and dirty-ring harvesting on synthetic rings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pageset.h"
#include "record.h"

/* ---- bitmap_runs ---- */

static void set_bit(uint64_t *bm, uint64_t i)
{
	bm[i / 64] |= 1ULL << (i % 64);
}

/* The page count a dirty record gives: the sum of the runs' lengths. */
static uint64_t pages_in_runs(const uint64_t *bm, uint64_t nbits)
{
	size_t n = bitmap_runs(bm, nbits, NULL, 0);
	struct page_run *runs = calloc(n ? n : 1, sizeof(*runs));
	uint64_t count = 0;

	assert_non_null(runs);
	assert_int_equal(bitmap_runs(bm, nbits, runs, n), n);
	for (size_t i = 0; i < n; i++)
		count += runs[i].count;
	free(runs);
	return count;
}

/* n runs got (of a capacity of at least n) are the nwant runs want. */
static void same_runs(const struct page_run *got, size_t n, const struct page_run *want,
		      size_t nwant)
{
	if (n != nwant)
		fail_msg("wanted %zu runs, got %zu", nwant, n);
	for (size_t i = 0; i < n; i++)
		if (got[i].first != want[i].first || got[i].count != want[i].count)
			fail_msg("run %zu: wanted %llu+%llu, got %llu+%llu", i,
				 (unsigned long long)want[i].first,
				 (unsigned long long)want[i].count, (unsigned long long)got[i].first,
				 (unsigned long long)got[i].count);
}

static void expect_runs(const uint64_t *bm, uint64_t nbits, const struct page_run *want,
			size_t nwant)
{
	struct page_run got[64];

	same_runs(got, bitmap_runs(bm, nbits, got, 64), want, nwant);
}

static void runs_empty(void **state)
{
	uint64_t bm[4] = { 0 };

	(void)state;
	expect_runs(bm, 256, NULL, 0);
	assert_int_equal(pages_in_runs(bm, 256), 0);
	assert_int_equal(bitmap_runs(bm, 0, NULL, 0), 0);
}

static void runs_singles_and_stride(void **state)
{
	uint64_t bm[4] = { 0 };
	const struct page_run want[] = { { 0, 1 }, { 5, 1 }, { 16, 1 }, { 18, 1 }, { 255, 1 } };

	(void)state;
	set_bit(bm, 0);
	set_bit(bm, 5);
	set_bit(bm, 16);
	set_bit(bm, 18);
	set_bit(bm, 255);
	expect_runs(bm, 256, want, 5);
	assert_int_equal(pages_in_runs(bm, 256), 5);
}

/* Runs that cross 64-bit word boundaries and whole words. */
static void runs_across_words(void **state)
{
	uint64_t bm[4] = { 0 };
	const struct page_run want[] = { { 60, 8 }, { 128, 128 } };

	(void)state;
	for (uint64_t i = 60; i < 68; i++)
		set_bit(bm, i);
	bm[2] = bm[3] = ~0ULL;
	expect_runs(bm, 256, want, 2);
	assert_int_equal(pages_in_runs(bm, 256), 136);
}

/* Bits past nbits (KVM rounds bitmaps up to whole words) are not pages. */
static void runs_stop_at_nbits(void **state)
{
	uint64_t bm[2] = { ~0ULL, ~0ULL };
	const struct page_run want[] = { { 0, 70 } };

	(void)state;
	expect_runs(bm, 70, want, 1);
	assert_int_equal(pages_in_runs(bm, 70), 70);
	assert_int_equal(pages_in_runs(bm, 64), 64);
}

/* A call with max 0 sizes the array; a short array gets the first runs. */
static void runs_sizing_call(void **state)
{
	uint64_t bm[1] = { 0x5555555555555555ULL };
	struct page_run two[2];

	(void)state;
	assert_int_equal(bitmap_runs(bm, 64, NULL, 0), 32);
	assert_int_equal(bitmap_runs(bm, 64, two, 2), 32);
	assert_int_equal(two[1].first, 2);
	assert_int_equal(two[1].count, 1);
}

/* A large sparse slot: 16 GiB of pages with three dirty, found by skipping words. */
static void runs_large_sparse(void **state)
{
	uint64_t nbits = 4ULL << 20;
	uint64_t *bm = calloc(nbits / 64, 8);
	const struct page_run want[] = { { 7, 1 }, { 1ULL << 21, 2 }, { nbits - 1, 1 } };

	(void)state;
	assert_non_null(bm);
	set_bit(bm, 7);
	set_bit(bm, 1ULL << 21);
	set_bit(bm, (1ULL << 21) + 1);
	set_bit(bm, nbits - 1);
	expect_runs(bm, nbits, want, 3);
	assert_int_equal(pages_in_runs(bm, nbits), 4);
	free(bm);
}

/* ---- bitmap_runs against a bit-by-bit decoder ---- */

/* pageset.c skips zeros a block of 32 words (2048 pages) at a time. */
#define BLOCK_BITS 2048

static void set_range(uint64_t *bm, uint64_t first, uint64_t count)
{
	for (uint64_t i = first; i < first + count; i++)
		set_bit(bm, i);
}

/* The obvious decoder, one bit at a time, same contract as bitmap_runs(). */
static size_t ref_runs(const uint64_t *bm, uint64_t nbits, struct page_run *runs, size_t max)
{
	size_t n = 0;
	uint64_t i = 0;

	while (i < nbits) {
		uint64_t first;

		if (!(bm[i / 64] >> (i % 64) & 1)) {
			i++;
			continue;
		}
		for (first = i; i < nbits && bm[i / 64] >> (i % 64) & 1; i++)
			;
		if (n < max)
			runs[n] = (struct page_run){ first, i - first };
		n++;
	}
	return n;
}

/* bitmap_runs() gives the reference's runs, whole and cut short to max. */
static void expect_reference(const uint64_t *bm, uint64_t nbits)
{
	size_t want_n = ref_runs(bm, nbits, NULL, 0);
	struct page_run *want = calloc(want_n + 1, sizeof(*want));
	struct page_run *got = calloc(want_n + 1, sizeof(*got));
	size_t n;

	assert_non_null(want);
	assert_non_null(got);
	ref_runs(bm, nbits, want, want_n);
	n = bitmap_runs(bm, nbits, got, want_n);
	if (n != want_n)
		fail_msg("nbits %llu: wanted %zu runs, got %zu", (unsigned long long)nbits, want_n,
			 n);
	for (size_t i = 0; i < n; i++)
		if (got[i].first != want[i].first || got[i].count != want[i].count)
			fail_msg("nbits %llu, run %zu: wanted %llu+%llu, got %llu+%llu",
				 (unsigned long long)nbits, i, (unsigned long long)want[i].first,
				 (unsigned long long)want[i].count,
				 (unsigned long long)got[i].first,
				 (unsigned long long)got[i].count);
	/* Truncated: the total still, and the first half of the runs unchanged. */
	memset(got, 0xa5, (want_n + 1) * sizeof(*got));
	assert_int_equal(bitmap_runs(bm, nbits, got, want_n / 2), want_n);
	for (size_t i = 0; i < want_n / 2; i++)
		assert_memory_equal(&got[i], &want[i], sizeof(*got));
	assert_int_equal(got[want_n / 2].first, 0xa5a5a5a5a5a5a5a5ULL);
	free(want);
	free(got);
}

/* Runs that start in one skip block and end in a later one. */
static void runs_cross_blocks(void **state)
{
	uint64_t bm[4 * BLOCK_BITS / 64] = { 0 };
	const struct page_run want[] = { { BLOCK_BITS - 8, 20 },
					 { 2 * BLOCK_BITS - 1, BLOCK_BITS + 2 } };

	(void)state;
	set_range(bm, BLOCK_BITS - 8, 20);
	set_range(bm, 2 * BLOCK_BITS - 1, BLOCK_BITS + 2); /* block 2 all ones */
	expect_runs(bm, 4 * BLOCK_BITS, want, 2);
	expect_reference(bm, 4 * BLOCK_BITS);
}

/* A run that ends on a block boundary, a zero block after it, a run
 * starting on the boundary after that. */
static void runs_end_at_block_boundary(void **state)
{
	uint64_t bm[4 * BLOCK_BITS / 64] = { 0 };
	const struct page_run want[] = { { BLOCK_BITS - 100, 100 }, { 3 * BLOCK_BITS, 1 } };

	(void)state;
	set_range(bm, BLOCK_BITS - 100, 100);
	set_bit(bm, 3 * BLOCK_BITS);
	expect_runs(bm, 4 * BLOCK_BITS, want, 2);
	expect_reference(bm, 4 * BLOCK_BITS);
}

/* The last, partial word after whole zero blocks: its bit below nbits is a
 * page, the bits above it are not. */
static void runs_lone_bit_in_last_word(void **state)
{
	uint64_t nbits = 2 * BLOCK_BITS + 5;
	uint64_t bm[2 * BLOCK_BITS / 64 + 1] = { 0 };
	const struct page_run want[] = { { nbits - 1, 1 } };

	(void)state;
	set_bit(bm, nbits - 1);
	set_bit(bm, nbits + 2);
	expect_runs(bm, nbits, want, 1);
	expect_reference(bm, nbits);
	set_bit(bm, nbits - 2); /* a run open into the last word */
	set_range(bm, 2 * BLOCK_BITS - 3, 3);
	expect_reference(bm, nbits);
}

static void runs_all_ones(void **state)
{
	uint64_t bm[3 * BLOCK_BITS / 64 + 2];
	const struct page_run whole[] = { { 0, sizeof(bm) * 8 } };
	const struct page_run cut[] = { { 0, sizeof(bm) * 8 - 61 } };

	(void)state;
	memset(bm, 0xff, sizeof(bm));
	expect_runs(bm, sizeof(bm) * 8, whole, 1);
	expect_runs(bm, sizeof(bm) * 8 - 61, cut, 1);
	expect_reference(bm, sizeof(bm) * 8 - 61);
}

/* Words all ones and all zero in turn: a run per odd word, none skipped. */
static void runs_alternating_words(void **state)
{
	uint64_t bm[3 * BLOCK_BITS / 64];
	struct page_run got[sizeof(bm) / 16];
	size_t n;

	(void)state;
	for (size_t i = 0; i < sizeof(bm) / 8; i++)
		bm[i] = i % 2 ? ~0ULL : 0;
	n = bitmap_runs(bm, sizeof(bm) * 8, got, sizeof(bm) / 16);
	assert_int_equal(n, sizeof(bm) / 16);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(got[i].first, (2 * i + 1) * 64);
		assert_int_equal(got[i].count, 64);
	}
	expect_reference(bm, sizeof(bm) * 8);
}

/* splitmix64: the same bitmaps on every libc. */
static uint64_t next_random(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A word of a stretch of one kind: 0-1 zero, 2 all ones, 3 a lone bit,
 * 4 sparse, 5 dense. */
static uint64_t random_word(uint64_t kind, uint64_t *seed)
{
	uint64_t x = next_random(seed);

	if (kind < 2)
		return 0;
	if (kind == 2)
		return ~0ULL;
	if (kind == 3)
		return 1ULL << (x % 64);
	if (kind == 4)
		return x & next_random(seed) & next_random(seed);
	return x | next_random(seed);
}

/* Stretches of words of one kind, 1-6 or 1-80 words long, so that edges
 * fall anywhere in and between skip blocks. */
static void random_bitmap(uint64_t *bm, size_t nw, uint64_t *seed)
{
	size_t w = 0;

	while (w < nw) {
		uint64_t r = next_random(seed), kind = (r >> 1) % 6;
		size_t len = 1 + (size_t)(r >> 8) % (r & 1 ? 80 : 6);

		for (; len && w < nw; len--, w++)
			bm[w] = random_word(kind, seed);
	}
}

static void runs_random_against_reference(void **state)
{
	uint64_t seed = 13, bm[6 * BLOCK_BITS / 64];

	(void)state;
	for (int round = 0; round < 400; round++) {
		size_t nw = 1 + (size_t)next_random(&seed) % (sizeof(bm) / 8);
		uint64_t nbits = nw * 64 - next_random(&seed) % 64;

		random_bitmap(bm, nw, &seed);
		expect_reference(bm, nbits);
	}
}

/* bitmap_span against a word-by-word look from both ends. */
static void expect_span(const uint64_t *bm, uint64_t nw)
{
	uint64_t first = ~0ULL, last = ~0ULL, lo = 0, hi = nw;
	bool any;

	while (lo < nw && !bm[lo])
		lo++;
	while (hi > lo && !bm[hi - 1])
		hi--;
	any = bitmap_span(bm, nw, &first, &last);
	if (any != (lo < nw) || (any && (first != lo || last != hi - 1)))
		fail_msg("span of %llu words: wanted %d [%llu, %llu], got %d [%llu, %llu]",
			 (unsigned long long)nw, lo < nw, (unsigned long long)lo,
			 (unsigned long long)hi - 1, any, (unsigned long long)first,
			 (unsigned long long)last);
}

static void span_edges_and_random(void **state)
{
	static uint64_t bm[6 * BLOCK_BITS / 64];
	const uint64_t nw = sizeof(bm) / 8;
	uint64_t seed = 29;

	(void)state;
	memset(bm, 0, sizeof(bm));
	expect_span(bm, nw);
	expect_span(bm, 0);
	/* One word set, at every place a block boundary makes interesting. */
	for (uint64_t w = 0; w < nw; w += (w % 32 == 31 || w % 32 == 0) ? 1 : 7) {
		bm[w] = 1ULL << (w % 64);
		for (uint64_t n = w + 1; n <= nw; n += (n < w + 40 ? 1 : 97))
			expect_span(bm, n);
		bm[w] = 0;
	}
	for (int round = 0; round < 400; round++) {
		size_t n = 1 + (size_t)next_random(&seed) % nw;

		random_bitmap(bm, n, &seed);
		/* Mostly zero at both ends, as a sparse log is. */
		memset(bm, 0, (next_random(&seed) % (n + 1)) / 2 * 8);
		expect_span(bm, n);
	}
}

/* The runs encode as page addresses in both trace formats. */
static void runs_encode(void **state)
{
	const struct page_run runs[] = { { 0, 1 }, { 0x20, 8 } };
	struct record r;
	char out[256];
	size_t n;

	(void)state;
	rec_begin(&r, 3, 0, "dirty");
	rec_runs(&r, "pages", 0xe0000000, runs, 2);
	n = rec_encode(&r, REC_TEXT, out, sizeof(out));
	out[n] = '\0';
	assert_string_equal(out, "     3 vcpu0 dirty          pages=0xe0000000,0xe0020000+8\n");
	n = rec_encode(&r, REC_JSONL, out, sizeof(out));
	out[n] = '\0';
	assert_string_equal(out, "{\"seq\":3,\"vcpu\":0,\"type\":\"dirty\",\"pages\":"
				 "[[\"0xe0000000\",1],[\"0xe0020000\",8]]}\n");
	rec_begin(&r, 3, 0, "dirty");
	rec_runs(&r, "pages", 0xe0000000, runs, 0);
	n = rec_encode(&r, REC_TEXT, out, sizeof(out));
	out[n] = '\0';
	assert_string_equal(out, "     3 vcpu0 dirty          pages=none\n");
}

/* ---- page_list: ring pages in any order, with repeats ---- */

static void list_sorts_merges_and_dedupes(void **state)
{
	static const uint64_t pages[] = { 40, 7, 8, 40, 9, 100, 6, 41, 7 };
	const struct page_run want[] = { { 6, 4 }, { 40, 2 }, { 100, 1 } };
	struct page_list l = { 0 };
	struct page_run got[8];
	size_t n;

	(void)state;
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
		assert_true(page_list_add(&l, pages[i]));
	n = page_list_runs(&l, got, 8);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(got[i].first, want[i].first);
		assert_int_equal(got[i].count, want[i].count);
	}
	page_list_free(&l);
	assert_null(l.page);
}

static void expect_list_runs(struct page_list *l, const struct page_run *want, size_t nwant)
{
	struct page_run got[8];

	same_runs(got, page_list_runs(l, got, 8), want, nwant);
	assert_false(l->unsorted);
}

static void add_pages(struct page_list *l, const uint64_t *pages, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_true(page_list_add(l, pages[i]));
}

/* A harvest in order, as one vCPU writing upwards gives: no sort needed. */
static void list_in_order(void **state)
{
	static const uint64_t pages[] = { 3, 4, 5, 9, 20, 21 };
	const struct page_run want[] = { { 3, 3 }, { 9, 1 }, { 20, 2 } };
	struct page_list l = { 0 };

	(void)state;
	add_pages(&l, pages, 6);
	assert_false(l.unsorted);
	expect_list_runs(&l, want, 3);
	page_list_free(&l);
}

/* One page out of order, even the last one, makes the list sorted first. */
static void list_out_of_order(void **state)
{
	static const uint64_t pages[] = { 10, 11, 30, 12, 2 };
	const struct page_run want[] = { { 2, 1 }, { 10, 3 }, { 30, 1 } };
	struct page_list l = { 0 };

	(void)state;
	add_pages(&l, pages, 3);
	assert_false(l.unsorted);
	add_pages(&l, pages + 3, 2);
	assert_true(l.unsorted);
	expect_list_runs(&l, want, 3);
	assert_int_equal(l.page[0], 2); /* left sorted */
	assert_int_equal(l.page[4], 30);
	page_list_free(&l);
}

/* Repeats in an ordered harvest (a page dirtied again after a reset) keep
 * it ordered and are dropped; so are repeats out of order. */
static void list_repeats(void **state)
{
	static const uint64_t ordered[] = { 7, 7, 8, 8, 8, 12, 12 };
	static const uint64_t shuffled[] = { 8, 7, 12, 8, 7, 12, 8 };
	const struct page_run want[] = { { 7, 2 }, { 12, 1 } };
	struct page_list l = { 0 };

	(void)state;
	add_pages(&l, ordered, 7);
	assert_false(l.unsorted);
	expect_list_runs(&l, want, 2);
	l.n = 0; /* emptied as a record leaves it */
	add_pages(&l, shuffled, 7);
	assert_true(l.unsorted);
	expect_list_runs(&l, want, 2);
	page_list_free(&l);
	assert_false(l.unsorted);
}

/* Growth past the first allocation keeps every page. */
static void list_grows(void **state)
{
	struct page_list l = { 0 };
	struct page_run got[2];

	(void)state;
	for (uint64_t i = 5000; i > 0; i--)
		assert_true(page_list_add(&l, i * 2));
	assert_int_equal(l.n, 5000);
	assert_int_equal(page_list_runs(&l, got, 2), 5000);
	assert_int_equal(got[0].first, 2);
	assert_int_equal(got[1].first, 4);
	page_list_free(&l);
}

static void list_empty(void **state)
{
	struct page_list l = { 0 };

	(void)state;
	assert_int_equal(page_list_runs(&l, NULL, 0), 0);
}

/* ---- dirty_ring_harvest on synthetic rings ---- */

struct seen {
	uint32_t slot[64];
	uint64_t offset[64];
	int n;
};

static void collect(void *ctx, uint32_t slot, uint64_t offset)
{
	struct seen *s = ctx;

	s->slot[s->n] = slot;
	s->offset[s->n] = offset;
	s->n++;
}

static void push(struct kvm_dirty_gfn *ring, uint32_t nent, uint32_t idx, uint32_t slot,
		 uint64_t offset)
{
	struct kvm_dirty_gfn *e = &ring[idx & (nent - 1)];

	e->slot = slot;
	e->offset = offset;
	e->flags = KVM_DIRTY_GFN_F_DIRTY;
}

static void ring_empty(void **state)
{
	struct kvm_dirty_gfn ring[8] = { 0 };
	struct seen s = { .n = 0 };
	uint32_t fetch = 3;

	(void)state;
	assert_int_equal(dirty_ring_harvest(ring, 8, &fetch, collect, &s), 0);
	assert_int_equal(fetch, 3);
	assert_int_equal(s.n, 0);
}

/* Entries in order, each marked for reset, the fetch index advanced. */
static void ring_in_order(void **state)
{
	struct kvm_dirty_gfn ring[8] = { 0 };
	struct seen s = { .n = 0 };
	uint32_t fetch = 0;

	(void)state;
	push(ring, 8, 0, 2, 10);
	push(ring, 8, 1, 2, 11);
	push(ring, 8, 2, (1U << 16) | 3, 0); /* address space 1, slot 3: passed as is */
	assert_int_equal(dirty_ring_harvest(ring, 8, &fetch, collect, &s), 3);
	assert_int_equal(fetch, 3);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.offset[0], 10);
	assert_int_equal(s.offset[1], 11);
	assert_int_equal(s.slot[2], (1U << 16) | 3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(ring[i].flags, KVM_DIRTY_GFN_F_RESET);
	assert_int_equal(ring[3].flags, 0);
}

/* The fetch index keeps counting; the slot is fetch modulo the size. */
static void ring_wraps(void **state)
{
	struct kvm_dirty_gfn ring[8] = { 0 };
	struct seen s = { .n = 0 };
	uint32_t fetch = 6;

	(void)state;
	for (uint32_t i = 6; i < 11; i++)
		push(ring, 8, i, 2, i);
	assert_int_equal(dirty_ring_harvest(ring, 8, &fetch, collect, &s), 5);
	assert_int_equal(fetch, 11);
	for (int i = 0; i < 5; i++)
		assert_int_equal(s.offset[i], 6 + i);
	assert_int_equal(ring[6].flags, KVM_DIRTY_GFN_F_RESET);
	assert_int_equal(ring[2].flags, KVM_DIRTY_GFN_F_RESET);
	assert_int_equal(ring[3].flags, 0);
}

/* A full ring: every entry dirty; harvest takes each once and stops. */
static void ring_full(void **state)
{
	struct kvm_dirty_gfn ring[8] = { 0 };
	struct seen s = { .n = 0 };
	uint32_t fetch = 13;

	(void)state;
	for (uint32_t i = 13; i < 21; i++)
		push(ring, 8, i, 2, i);
	assert_int_equal(dirty_ring_harvest(ring, 8, &fetch, collect, &s), 8);
	assert_int_equal(fetch, 21);
	assert_int_equal(s.offset[0], 13);
	assert_int_equal(s.offset[7], 20);
	/* A second harvest finds entries waiting for KVM's reset, not dirty ones. */
	assert_int_equal(dirty_ring_harvest(ring, 8, &fetch, collect, &s), 0);
}

/* An entry already marked for reset (harvested, not yet reset by KVM) stops harvest. */
static void ring_stops_at_reset_entry(void **state)
{
	struct kvm_dirty_gfn ring[4] = { 0 };
	struct seen s = { .n = 0 };
	uint32_t fetch = 0;

	(void)state;
	push(ring, 4, 0, 2, 1);
	ring[1].flags = KVM_DIRTY_GFN_F_RESET;
	push(ring, 4, 2, 2, 3);
	assert_int_equal(dirty_ring_harvest(ring, 4, &fetch, collect, &s), 1);
	assert_int_equal(fetch, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(runs_empty),
		cmocka_unit_test(span_edges_and_random),
		cmocka_unit_test(runs_singles_and_stride),
		cmocka_unit_test(runs_across_words),
		cmocka_unit_test(runs_stop_at_nbits),
		cmocka_unit_test(runs_sizing_call),
		cmocka_unit_test(runs_large_sparse),
		cmocka_unit_test(runs_cross_blocks),
		cmocka_unit_test(runs_end_at_block_boundary),
		cmocka_unit_test(runs_lone_bit_in_last_word),
		cmocka_unit_test(runs_all_ones),
		cmocka_unit_test(runs_alternating_words),
		cmocka_unit_test(runs_random_against_reference),
		cmocka_unit_test(runs_encode),
		cmocka_unit_test(list_sorts_merges_and_dedupes),
		cmocka_unit_test(list_in_order),
		cmocka_unit_test(list_out_of_order),
		cmocka_unit_test(list_repeats),
		cmocka_unit_test(list_grows),
		cmocka_unit_test(list_empty),
		cmocka_unit_test(ring_empty),
		cmocka_unit_test(ring_in_order),
		cmocka_unit_test(ring_wraps),
		cmocka_unit_test(ring_full),
		cmocka_unit_test(ring_stops_at_reset_entry),
	};

	return cmocka_run_group_tests_name("pageset", tests, NULL, NULL);
}
