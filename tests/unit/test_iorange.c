/* SPDX-License-Identifier: MIT */
/* test_iorange.c - the PIO/MMIO range registry: registration rules and lookup edges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "iorange.h"

static struct io_range range(enum io_space space, uint64_t base, uint64_t size, const char *name)
{
	return (struct io_range){ .space = space, .base = base, .size = size, .name = name };
}

static bool add(struct io_registry *reg, enum io_space space, uint64_t base, uint64_t size,
		const char *name, struct errbuf *err)
{
	struct io_range r = range(space, base, size, name);

	return iorange_add(reg, &r, err);
}

/* console [0x3f8, 0x400), testdev [0xe00, 0xe18) in PIO; mmio [0xd0000000, +4K). */
static int registry_setup(void **state)
{
	static struct io_registry reg;
	struct errbuf err = { "" };

	memset(&reg, 0, sizeof(reg));
	if (!add(&reg, IO_PIO, 0x3f8, 8, "console", &err) ||
	    !add(&reg, IO_PIO, 0xe00, 0x18, "testdev", &err) ||
	    !add(&reg, IO_MMIO, 0xd0000000, 0x1000, "testdev-mmio", &err))
		return -1;
	*state = &reg;
	return 0;
}

static void expect_add_rejected(struct io_registry *reg, enum io_space space, uint64_t base,
				uint64_t size, const char *want)
{
	struct errbuf err = { "" };
	int n = reg->n;

	if (add(reg, space, base, size, "new", &err))
		fail_msg("[0x%llx, +0x%llx): wanted rejection, got acceptance",
			 (unsigned long long)base, (unsigned long long)size);
	if (!strstr(err.msg, want))
		fail_msg("wanted '%s' in message, got '%s'", want, err.msg);
	assert_int_equal(reg->n, n);
}

static void disjoint_ranges_accepted(void **state)
{
	struct io_registry *reg = *state;
	struct errbuf err = { "" };

	assert_int_equal(reg->n, 3);
	assert_true(add(reg, IO_PIO, 0x3f0, 8, "below", &err)); /* ends at 0x3f8 */
	assert_true(add(reg, IO_PIO, 0x400, 1, "above", &err)); /* starts at 0x400 */
	assert_true(add(reg, IO_MMIO, 0xd0001000, 1, "next", &err));
	assert_int_equal(reg->n, 6);
}

static void overlap_rejected_with_name(void **state)
{
	struct io_registry *reg = *state;

	expect_add_rejected(reg, IO_PIO, 0x3ff, 2, "console");
	expect_add_rejected(reg, IO_PIO, 0x3f0, 9, "console");
	expect_add_rejected(reg, IO_PIO, 0x3fa, 1, "console");
	expect_add_rejected(reg, IO_PIO, 0, 0x10000, "console");
	expect_add_rejected(reg, IO_PIO, 0xe17, 1, "testdev");
	expect_add_rejected(reg, IO_MMIO, 0xcfffffff, 2, "testdev-mmio");
}

static void same_numbers_in_other_space(void **state)
{
	struct io_registry *reg = *state;
	struct errbuf err = { "" };

	assert_true(add(reg, IO_MMIO, 0x3f8, 8, "mmio-low", &err));
	assert_true(add(reg, IO_PIO, 0xd000, 0x1000, "pio-high", &err));
}

static void bad_ranges_rejected(void **state)
{
	struct io_registry *reg = *state;
	struct errbuf err = { "" };

	expect_add_rejected(reg, IO_PIO, 0x100, 0, "bad port range");
	expect_add_rejected(reg, IO_MMIO, 0x100, 0, "bad MMIO range");
	expect_add_rejected(reg, IO_MMIO, UINT64_MAX, 2, "bad MMIO range");
	expect_add_rejected(reg, IO_MMIO, 0x10, UINT64_MAX, "bad MMIO range");
	expect_add_rejected(reg, IO_PIO, 0xffff, 2, "bad port range");
	expect_add_rejected(reg, IO_PIO, 0x10000, 1, "bad port range");
	assert_true(add(reg, IO_PIO, 0xffff, 1, "last-port", &err));
	assert_true(add(reg, IO_MMIO, UINT64_MAX, 1, "last-byte", &err));
}

static void registry_full(void **state)
{
	struct io_registry *reg = *state;
	struct errbuf err = { "" };

	for (int i = reg->n; i < IORANGE_MAX; i++)
		assert_true(add(reg, IO_PIO, 0x1000 + (uint64_t)i * 4, 4, "filler", &err));
	assert_int_equal(reg->n, IORANGE_MAX);
	expect_add_rejected(reg, IO_PIO, 0x8000, 4, "too many");
}

static void expect_found(const struct io_registry *reg, enum io_space space, uint64_t addr,
			 uint32_t len, const char *want)
{
	const struct io_range *r = iorange_find(reg, space, addr, len);

	if (!want && r)
		fail_msg("0x%llx+%u: wanted no range, got %s", (unsigned long long)addr, len,
			 r->name);
	if (want && (!r || strcmp(r->name, want) != 0))
		fail_msg("0x%llx+%u: wanted %s, got %s", (unsigned long long)addr, len, want,
			 r ? r->name : "none");
}

static void find_inside_and_edges(void **state)
{
	struct io_registry *reg = *state;

	expect_found(reg, IO_PIO, 0x3f8, 1, "console");
	expect_found(reg, IO_PIO, 0x3ff, 1, "console");
	expect_found(reg, IO_PIO, 0x3f8, 8, "console");
	expect_found(reg, IO_PIO, 0x3fc, 4, "console");
	expect_found(reg, IO_PIO, 0xe10, 8, "testdev");
	expect_found(reg, IO_MMIO, 0xd0000ff8, 8, "testdev-mmio");
	expect_found(reg, IO_PIO, 0x3f7, 1, NULL);
	expect_found(reg, IO_PIO, 0x400, 1, NULL);
	expect_found(reg, IO_PIO, 0x3f7, 2, NULL); /* straddles the start */
	expect_found(reg, IO_PIO, 0x3fe, 4, NULL); /* straddles the end */
	expect_found(reg, IO_PIO, 0x3f8, 9, NULL);
	expect_found(reg, IO_MMIO, 0xd0000ffc, 8, NULL);
}

static void find_respects_space(void **state)
{
	struct io_registry *reg = *state;

	expect_found(reg, IO_MMIO, 0x3f8, 1, NULL);
	expect_found(reg, IO_PIO, 0xd0000000, 1, NULL);
}

static void find_rejects_empty_and_wrap(void **state)
{
	struct io_registry *reg = *state;
	struct errbuf err = { "" };

	assert_true(add(reg, IO_MMIO, UINT64_MAX - 3, 4, "top", &err));
	expect_found(reg, IO_PIO, 0x3f8, 0, NULL);
	expect_found(reg, IO_MMIO, 0xd0000000, 0, NULL);
	expect_found(reg, IO_MMIO, UINT64_MAX, 1, "top");
	expect_found(reg, IO_MMIO, UINT64_MAX - 3, 4, "top");
	expect_found(reg, IO_MMIO, UINT64_MAX - 1, 4, NULL);
	expect_found(reg, IO_MMIO, UINT64_MAX, UINT32_MAX, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(disjoint_ranges_accepted, registry_setup),
		cmocka_unit_test_setup(overlap_rejected_with_name, registry_setup),
		cmocka_unit_test_setup(same_numbers_in_other_space, registry_setup),
		cmocka_unit_test_setup(bad_ranges_rejected, registry_setup),
		cmocka_unit_test_setup(registry_full, registry_setup),
		cmocka_unit_test_setup(find_inside_and_edges, registry_setup),
		cmocka_unit_test_setup(find_respects_space, registry_setup),
		cmocka_unit_test_setup(find_rejects_empty_and_wrap, registry_setup),
	};

	return cmocka_run_group_tests_name("test_iorange", tests, NULL, NULL);
}
