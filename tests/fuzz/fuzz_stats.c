/* SPDX-License-Identifier: MIT */
/*
 * fuzz_stats.c - stats_parse() (stats.h) on what a KVM binary stats fd
 * holds before its data: header, id string, descriptors.
 *
 * Input: the whole blob, in an allocation of exactly its size. It must
 * not crash or leak (stats_free() after success and failure alike, as
 * stats.c's close does). What it accepts must be readable as --stats
 * reads it: num_desc descriptors with terminated names, each of at least
 * one u64 at an 8-aligned offset inside data_size; stats_changed() then
 * runs on two data blocks of exactly data_size bytes.
 */
#include <linux/kvm.h>

#include "fuzz.h"
#include "stats.h"

/* Data blocks larger than this are not allocated to compare. */
#define DATA_MAX (1u << 16)

static void check_values(const struct stats_set *set, const uint8_t *data, size_t size)
{
	struct stats_set s = *set;
	uint64_t delta;

	if (!set->data_size || set->data_size > DATA_MAX)
		return;
	s.last = malloc(set->data_size);
	s.now = malloc(set->data_size);
	if (!s.last || !s.now)
		abort();
	/* Values from the input, repeated; the newer block has one byte changed. */
	for (size_t i = 0; i < set->data_size; i += size) {
		size_t n = set->data_size - i < size ? set->data_size - i : size;

		memcpy((uint8_t *)s.last + i, data, n);
		memcpy((uint8_t *)s.now + i, data, n);
	}
	((uint8_t *)s.now)[data[size - 1] * 8 % set->data_size] ^= 1;
	for (uint32_t i = 0; i < s.ndesc; i++) {
		stats_changed(&s, &s.desc[i], &delta);
		FUZZ_CHECK(stats_type_name(s.desc[i].flags) && stats_unit_name(s.desc[i].flags),
			   "descriptor %u without type or unit name", i);
	}
	free(s.last);
	free(s.now);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_dup(data, size, false);
	struct errbuf err = { "" };
	struct kvm_stats_header h = { 0 };
	struct stats_set set;

	memset(&set, 0, sizeof(set));
	set.fd = -1;
	memcpy(&h, data, size < sizeof(h) ? size : sizeof(h));
	if (stats_parse(&set, buf, size, &err)) {
		FUZZ_CHECK(set.ndesc == h.num_desc, "%u descriptors of %u", set.ndesc, h.num_desc);
		FUZZ_CHECK(memchr(set.id, 0, sizeof(set.id)), "id not terminated");
		for (uint32_t i = 0; i < set.ndesc; i++) {
			const struct stat_desc *d = &set.desc[i];

			FUZZ_CHECK(memchr(d->name, 0, sizeof(d->name)), "name %u not terminated",
				   i);
			FUZZ_CHECK(d->size > 0 && d->offset % 8 == 0 &&
					   (uint64_t)d->offset + d->size * 8ULL <= set.data_size,
				   "descriptor %s at %u, %u values, data of %zu bytes", d->name,
				   d->offset, d->size, set.data_size);
		}
		check_values(&set, data, size);
	} else {
		FUZZ_CHECK(memchr(err.msg, 0, sizeof(err.msg)) && err.msg[0], "refused silently");
	}
	stats_free(&set);
	free(buf);
	return 0;
}
