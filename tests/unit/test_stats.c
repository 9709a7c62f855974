/* SPDX-License-Identifier: MIT */
/* test_stats.c - KVM binary-stats parsing, change detection and names on synthetic blobs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <linux/kvm.h>

#include "stats.h"

/* KVM_STATS_NAME_SIZE: what the kernel uses for the id and every name. */
#define NAME_SIZE 48
#define STRIDE	  (sizeof(struct kvm_stats_desc) + NAME_SIZE)

struct blob {
	uint8_t *buf;
	size_t len;
};

struct spec {
	const char *name;
	uint32_t flags;
	int16_t exponent;
	uint16_t size;
	uint32_t offset;
	uint32_t bucket_size;
};

/*
 * Lays a blob out the way KVM_GET_STATS_FD does: header, id, descriptors
 * (fixed part then name), then the data block.
 */
static struct blob build(const char *id, const struct spec *s, uint32_t n, size_t data_len)
{
	struct kvm_stats_header h = { 0 };
	struct blob b;

	h.name_size = NAME_SIZE;
	h.num_desc = n;
	h.id_offset = sizeof(h);
	h.desc_offset = h.id_offset + NAME_SIZE;
	h.data_offset = h.desc_offset + n * STRIDE;
	b.len = h.data_offset + data_len;
	b.buf = calloc(1, b.len);
	assert_non_null(b.buf);
	memcpy(b.buf, &h, sizeof(h));
	strncpy((char *)b.buf + h.id_offset, id, NAME_SIZE);
	for (uint32_t i = 0; i < n; i++) {
		uint8_t *p = b.buf + h.desc_offset + i * STRIDE;
		struct kvm_stats_desc d = { 0 };

		d.flags = s[i].flags;
		d.exponent = s[i].exponent;
		d.size = s[i].size;
		d.offset = s[i].offset;
		d.bucket_size = s[i].bucket_size;
		memcpy(p, &d, sizeof(d));
		strncpy((char *)p + sizeof(d), s[i].name, NAME_SIZE);
	}
	return b;
}

static struct kvm_stats_header *header(struct blob *b)
{
	return (struct kvm_stats_header *)b->buf;
}

static struct kvm_stats_desc *raw_desc(struct blob *b, uint32_t i)
{
	return (struct kvm_stats_desc *)(b->buf + header(b)->desc_offset + i * STRIDE);
}

static void new_set(struct stats_set *set)
{
	memset(set, 0, sizeof(*set));
	set->fd = -1;
}

static const struct spec four[] = {
	{ "exits", KVM_STATS_TYPE_CUMULATIVE | KVM_STATS_UNIT_NONE, 0, 1, 0, 0 },
	{ "pages_4k", KVM_STATS_TYPE_INSTANT | KVM_STATS_UNIT_BYTES | KVM_STATS_BASE_POW2, 12, 1, 8,
	  0 },
	{ "max_mmu_page_hash_collisions", KVM_STATS_TYPE_PEAK, 0, 1, 16, 0 },
	{ "halt_poll_success_hist", KVM_STATS_TYPE_LINEAR_HIST | KVM_STATS_UNIT_SECONDS, -9, 4, 24,
	  1000 },
};

/* ---- stats_parse: a valid blob ---- */

static void parse_four_descriptors(void **state)
{
	struct blob b = build("kvm-1234", four, 4, 56);
	struct stats_set set;
	struct errbuf err = { "" };

	(void)state;
	new_set(&set);
	if (!stats_parse(&set, b.buf, b.len, &err))
		fail_msg("wanted a valid blob to parse, got '%s'", err.msg);
	assert_string_equal(set.id, "kvm-1234");
	assert_int_equal(set.ndesc, 4);
	assert_int_equal(set.data_offset, header(&b)->data_offset);
	/* The histogram's 4 buckets end at 24 + 4 * 8. */
	assert_int_equal(set.data_size, 56);
	for (uint32_t i = 0; i < 4; i++) {
		const struct stat_desc *d = &set.desc[i];

		assert_string_equal(d->name, four[i].name);
		assert_int_equal(d->flags, four[i].flags);
		assert_int_equal(d->exponent, four[i].exponent);
		assert_int_equal(d->size, four[i].size);
		assert_int_equal(d->offset, four[i].offset);
		assert_int_equal(d->bucket_size, four[i].bucket_size);
	}
	stats_free(&set);
	assert_null(set.desc);
	assert_int_equal(set.fd, -1);
	free(b.buf);
}

/* data_size is the furthest end, not the last descriptor's end. */
static void parse_data_size_is_furthest_end(void **state)
{
	const struct spec s[] = {
		{ "far", KVM_STATS_TYPE_CUMULATIVE, 0, 2, 64, 0 },
		{ "near", KVM_STATS_TYPE_CUMULATIVE, 0, 1, 0, 0 },
	};
	struct blob b = build("vcpu-0", s, 2, 80);
	struct stats_set set;
	struct errbuf err = { "" };

	(void)state;
	new_set(&set);
	assert_true(stats_parse(&set, b.buf, b.len, &err));
	assert_int_equal(set.data_size, 80);
	stats_free(&set);
	free(b.buf);
}

/* Names that fill all name_size bytes carry no NUL; the copy must stop there. */
static void parse_unterminated_names(void **state)
{
	struct blob b = build("x", four, 1, 8);
	struct stats_set set;
	struct errbuf err = { "" };

	(void)state;
	memset(b.buf + header(&b)->id_offset, 'i', NAME_SIZE);
	memset(raw_desc(&b, 0)->name, 'n', NAME_SIZE);
	new_set(&set);
	assert_true(stats_parse(&set, b.buf, b.len, &err));
	assert_int_equal(strlen(set.id), NAME_SIZE);
	assert_int_equal(strlen(set.desc[0].name), NAME_SIZE);
	stats_free(&set);
	free(b.buf);
}

/* Only what lies before the data block is needed: len may stop at the descriptors. */
static void parse_without_data_block(void **state)
{
	struct blob b = build("kvm-1", four, 4, 0);
	struct stats_set set;
	struct errbuf err = { "" };

	(void)state;
	new_set(&set);
	assert_true(stats_parse(&set, b.buf, b.len, &err));
	assert_int_equal(set.ndesc, 4);
	stats_free(&set);
	free(b.buf);
}

/* ---- stats_parse: malformed blobs ---- */

static void expect_reject(struct blob *b, size_t len, const char *what)
{
	struct stats_set set;
	struct errbuf err = { "" };

	new_set(&set);
	if (stats_parse(&set, b->buf, len, &err))
		fail_msg("%s: wanted a rejection, got a parse of %u descriptors", what, set.ndesc);
	if (err.msg[0] == '\0')
		fail_msg("%s: rejected without a message", what);
	stats_free(&set);
}

static void reject_short_header(void **state)
{
	struct blob b = build("kvm", four, 4, 56);

	(void)state;
	expect_reject(&b, 0, "empty");
	expect_reject(&b, sizeof(struct kvm_stats_header) - 1, "one byte short of a header");
	free(b.buf);
}

static void reject_name_size_zero(void **state)
{
	struct blob b = build("kvm", four, 4, 56);

	(void)state;
	header(&b)->name_size = 0;
	expect_reject(&b, b.len, "name_size 0");
	free(b.buf);
}

static void reject_descriptors_past_buffer(void **state)
{
	struct blob b = build("kvm", four, 4, 0);

	(void)state;
	/* b.len ends exactly at the last descriptor: one byte less cuts it. */
	expect_reject(&b, b.len - 1, "last descriptor cut short");
	header(&b)->num_desc = 5;
	expect_reject(&b, b.len, "one descriptor more than the buffer holds");
	header(&b)->num_desc = 4;
	header(&b)->desc_offset += 8;
	expect_reject(&b, b.len, "descriptors shifted past the end");
	header(&b)->desc_offset = UINT32_MAX;
	expect_reject(&b, b.len, "desc_offset far past the end");
	free(b.buf);
}

static void reject_id_past_buffer(void **state)
{
	struct blob b = build("kvm", four, 4, 0);

	(void)state;
	header(&b)->id_offset = b.len - NAME_SIZE + 1;
	expect_reject(&b, b.len, "id's last byte past the end");
	header(&b)->id_offset = UINT32_MAX;
	expect_reject(&b, b.len, "id_offset far past the end");
	free(b.buf);
}

static void reject_misaligned_offset(void **state)
{
	struct blob b = build("kvm", four, 4, 56);

	(void)state;
	raw_desc(&b, 2)->offset = 20;
	expect_reject(&b, b.len, "offset 20");
	raw_desc(&b, 2)->offset = 17;
	expect_reject(&b, b.len, "offset 17");
	free(b.buf);
}

static void reject_size_zero(void **state)
{
	struct blob b = build("kvm", four, 4, 56);

	(void)state;
	raw_desc(&b, 3)->size = 0;
	expect_reject(&b, b.len, "size 0");
	free(b.buf);
}

/* num_desc * stride must not wrap into something that seems to fit. */
static void reject_count_overflow(void **state)
{
	struct blob b = build("kvm", four, 4, 56);

	(void)state;
	header(&b)->num_desc = UINT32_MAX;
	expect_reject(&b, b.len, "num_desc UINT32_MAX");
	header(&b)->name_size = UINT32_MAX;
	expect_reject(&b, b.len, "num_desc and name_size UINT32_MAX");
	/* (2^32 - 16) + 16 wraps to 0 in 32 bits: a zero stride would fit anything. */
	header(&b)->name_size = UINT32_MAX - 15;
	header(&b)->num_desc = 4;
	expect_reject(&b, b.len, "name_size 2^32 - 16");
	free(b.buf);
}

/* ---- names ---- */

static void type_names(void **state)
{
	(void)state;
	assert_string_equal(stats_type_name(KVM_STATS_TYPE_CUMULATIVE), "cumulative");
	assert_string_equal(stats_type_name(KVM_STATS_TYPE_INSTANT), "instant");
	assert_string_equal(stats_type_name(KVM_STATS_TYPE_PEAK), "peak");
	assert_string_equal(stats_type_name(KVM_STATS_TYPE_LINEAR_HIST), "linear_hist");
	assert_string_equal(stats_type_name(KVM_STATS_TYPE_LOG_HIST), "log_hist");
	assert_string_equal(stats_type_name(KVM_STATS_TYPE_MAX + 1), "unknown");
	assert_string_equal(stats_type_name(KVM_STATS_TYPE_MASK), "unknown");
	/* Unit and base bits do not change the type. */
	assert_string_equal(stats_type_name(KVM_STATS_TYPE_PEAK | KVM_STATS_UNIT_CYCLES |
					    KVM_STATS_BASE_POW2),
			    "peak");
}

static void unit_names(void **state)
{
	const uint32_t past_max = KVM_STATS_UNIT_MAX + (1 << KVM_STATS_UNIT_SHIFT);
	const uint32_t bytes_log_hist = KVM_STATS_UNIT_BYTES | KVM_STATS_TYPE_LOG_HIST;

	(void)state;
	assert_string_equal(stats_unit_name(KVM_STATS_UNIT_NONE), "none");
	assert_string_equal(stats_unit_name(KVM_STATS_UNIT_BYTES), "bytes");
	assert_string_equal(stats_unit_name(KVM_STATS_UNIT_SECONDS), "seconds");
	assert_string_equal(stats_unit_name(KVM_STATS_UNIT_CYCLES), "cycles");
	assert_string_equal(stats_unit_name(KVM_STATS_UNIT_BOOLEAN), "boolean");
	assert_string_equal(stats_unit_name(past_max), "unknown");
	assert_string_equal(stats_unit_name(KVM_STATS_UNIT_MASK), "unknown");
	assert_string_equal(stats_unit_name(bytes_log_hist), "bytes");
}

/* ---- stats_changed ---- */

/* A parsed four-descriptor set with zeroed last and now blocks. */
static int setup_values(void **state)
{
	struct blob b = build("kvm-1", four, 4, 56);
	struct stats_set *set = malloc(sizeof(*set));
	struct errbuf err = { "" };

	if (!set)
		return -1;
	new_set(set);
	if (!stats_parse(set, b.buf, b.len, &err)) {
		free(b.buf);
		free(set);
		return -1;
	}
	free(b.buf);
	set->last = calloc(1, set->data_size);
	set->now = calloc(1, set->data_size);
	*state = set;
	return set->last && set->now ? 0 : -1;
}

static int teardown_values(void **state)
{
	struct stats_set *set = *state;

	stats_free(set);
	free(set);
	return 0;
}

static void expect_change(const struct stats_set *set, uint32_t i, bool changed, uint64_t delta)
{
	uint64_t got = 0xdeadbeef;
	bool c = stats_changed(set, &set->desc[i], &got);

	if (c != changed)
		fail_msg("%s: wanted changed %d, got %d", set->desc[i].name, changed, c);
	if (got != delta)
		fail_msg("%s: wanted delta %llu, got %llu", set->desc[i].name,
			 (unsigned long long)delta, (unsigned long long)got);
}

static void changed_cumulative(void **state)
{
	struct stats_set *set = *state;

	set->last[0] = 5;
	set->now[0] = 12;
	expect_change(set, 0, true, 7);
}

static void unchanged_cumulative(void **state)
{
	struct stats_set *set = *state;

	set->last[0] = set->now[0] = 42;
	expect_change(set, 0, false, 0);
}

static void changed_instant_gives_value(void **state)
{
	struct stats_set *set = *state;

	set->last[1] = 100;
	set->now[1] = 30;
	expect_change(set, 1, true, 30);
	set->last[1] = 30;
	expect_change(set, 1, false, 30);
}

static void changed_peak_gives_value(void **state)
{
	struct stats_set *set = *state;

	set->last[2] = 3;
	set->now[2] = 9;
	expect_change(set, 2, true, 9);
}

static void changed_histogram(void **state)
{
	struct stats_set *set = *state;
	uint64_t *a = set->last + 3, *n = set->now + 3;

	a[0] = 1, a[1] = 2, a[2] = 3, a[3] = 4;
	n[0] = 1, n[1] = 5, n[2] = 3, n[3] = 6;
	expect_change(set, 3, true, 5);
	memcpy(a, n, 4 * sizeof(*a));
	expect_change(set, 3, false, 0);
}

/* A sample moved between buckets: the total is the same, yet it changed. */
static void changed_histogram_equal_total(void **state)
{
	struct stats_set *set = *state;
	uint64_t *a = set->last + 3, *n = set->now + 3;

	a[0] = 4, a[1] = 4, a[2] = 0, a[3] = 0;
	n[0] = 4, n[1] = 3, n[2] = 1, n[3] = 0;
	expect_change(set, 3, true, 0);
}

/* One descriptor's values do not leak into its neighbour's. */
static void changed_only_own_values(void **state)
{
	struct stats_set *set = *state;

	set->now[0] = 1;
	set->now[3] = 1;
	expect_change(set, 1, false, 0);
	expect_change(set, 2, false, 0);
	expect_change(set, 0, true, 1);
	expect_change(set, 3, true, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_four_descriptors),
		cmocka_unit_test(parse_data_size_is_furthest_end),
		cmocka_unit_test(parse_unterminated_names),
		cmocka_unit_test(parse_without_data_block),
		cmocka_unit_test(reject_short_header),
		cmocka_unit_test(reject_name_size_zero),
		cmocka_unit_test(reject_descriptors_past_buffer),
		cmocka_unit_test(reject_id_past_buffer),
		cmocka_unit_test(reject_misaligned_offset),
		cmocka_unit_test(reject_size_zero),
		cmocka_unit_test(reject_count_overflow),
		cmocka_unit_test(type_names),
		cmocka_unit_test(unit_names),
		cmocka_unit_test_setup_teardown(changed_cumulative, setup_values, teardown_values),
		cmocka_unit_test_setup_teardown(unchanged_cumulative, setup_values,
						teardown_values),
		cmocka_unit_test_setup_teardown(changed_instant_gives_value, setup_values,
						teardown_values),
		cmocka_unit_test_setup_teardown(changed_peak_gives_value, setup_values,
						teardown_values),
		cmocka_unit_test_setup_teardown(changed_histogram, setup_values, teardown_values),
		cmocka_unit_test_setup_teardown(changed_histogram_equal_total, setup_values,
						teardown_values),
		cmocka_unit_test_setup_teardown(changed_only_own_values, setup_values,
						teardown_values),
	};

	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
