/* SPDX-License-Identifier: MIT */
/* test_ioapic.c - the split irqchip's IOAPIC model: registers, edges, levels, remote IRR, MSIs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ioapic.h"

static uint32_t changed;

static void write_reg(struct ioapic *a, uint32_t reg, uint32_t val, uint32_t *deliver)
{
	ioapic_write(a, IOAPIC_REGSEL, reg, &changed);
	*deliver = ioapic_write(a, IOAPIC_WIN, val, &changed);
}

static uint32_t read_reg(struct ioapic *a, uint32_t reg)
{
	ioapic_write(a, IOAPIC_REGSEL, reg, &changed);
	return ioapic_read(a, IOAPIC_WIN);
}

static void version_and_reset(void **state)
{
	struct ioapic a;

	ioapic_init(&a);
	assert_int_equal(read_reg(&a, IOAPIC_REG_VER), 0x170011); /* 24 pins */
	for (uint32_t p = 0; p < IOAPIC_PINS; p++)
		assert_int_equal(read_reg(&a, IOAPIC_REG_REDIR + 2 * p), IOAPIC_MASKED);
	assert_int_equal(read_reg(&a, IOAPIC_REG_REDIR + 2 * IOAPIC_PINS), 0); /* past the table */
	assert_int_equal(ioapic_read(&a, 0x20), 0);
	(void)state;
}

static void id_and_halves(void **state)
{
	struct ioapic a;
	uint32_t d;

	ioapic_init(&a);
	write_reg(&a, IOAPIC_REG_ID, 0x05000000, &d);
	assert_int_equal(read_reg(&a, IOAPIC_REG_ID), 0x05000000);
	write_reg(&a, IOAPIC_REG_REDIR + 2 * 3 + 1, 0x02000000, &d); /* dest 2 */
	assert_int_equal(changed, 1U << 3);
	write_reg(&a, IOAPIC_REG_REDIR + 2 * 3, 0x40, &d); /* vector 0x40, unmasked */
	assert_int_equal(changed, 1U << 3);
	assert_int_equal(d, 0);
	assert_int_equal(read_reg(&a, IOAPIC_REG_REDIR + 2 * 3), 0x40);
	assert_int_equal(read_reg(&a, IOAPIC_REG_REDIR + 2 * 3 + 1), 0x02000000);
	write_reg(&a, IOAPIC_REG_REDIR + 2 * 3, 0x40, &d); /* the same again */
	assert_int_equal(changed, 0);
	(void)state;
}

static void edge_delivers_on_rising_only(void **state)
{
	struct ioapic a;
	uint32_t d;

	ioapic_init(&a);
	assert_false(ioapic_set_line(&a, 4, true)); /* masked */
	assert_false(ioapic_set_line(&a, 4, false));
	write_reg(&a, IOAPIC_REG_REDIR + 8, 0x31, &d);
	assert_true(ioapic_set_line(&a, 4, true));
	assert_false(ioapic_set_line(&a, 4, true)); /* still high: no edge */
	assert_false(ioapic_set_line(&a, 4, false));
	assert_true(ioapic_set_line(&a, 4, true));
	ioapic_delivered(&a, 4);
	assert_int_equal(read_reg(&a, IOAPIC_REG_REDIR + 8) & IOAPIC_REMOTE_IRR, 0);
	assert_false(ioapic_set_line(&a, IOAPIC_PINS, true));
	assert_false(ioapic_set_line(&a, 255, true));
	(void)state;
}

static void level_waits_for_eoi(void **state)
{
	struct ioapic a;
	uint32_t d;

	ioapic_init(&a);
	write_reg(&a, IOAPIC_REG_REDIR + 2 * 9, 0x50 | IOAPIC_LEVEL, &d);
	assert_true(ioapic_set_line(&a, 9, true));
	ioapic_delivered(&a, 9);
	assert_true(read_reg(&a, IOAPIC_REG_REDIR + 2 * 9) & IOAPIC_REMOTE_IRR);
	assert_false(ioapic_set_line(&a, 9, true)); /* remote IRR holds it */
	assert_int_equal(ioapic_eoi(&a, 0x51), 0);   /* another vector */
	assert_int_equal(ioapic_eoi(&a, 0x50), 1U << 9); /* still asserted: again */
	ioapic_delivered(&a, 9);
	assert_false(ioapic_set_line(&a, 9, false));
	assert_int_equal(ioapic_eoi(&a, 0x50), 0); /* deasserted: done */
	assert_int_equal(read_reg(&a, IOAPIC_REG_REDIR + 2 * 9) & IOAPIC_REMOTE_IRR, 0);
	(void)state;
}

static void unmask_delivers_asserted_level(void **state)
{
	struct ioapic a;
	uint32_t d;

	ioapic_init(&a);
	write_reg(&a, IOAPIC_REG_REDIR + 2, 0x60 | IOAPIC_LEVEL | IOAPIC_MASKED, &d);
	assert_false(ioapic_set_line(&a, 1, true));
	write_reg(&a, IOAPIC_REG_REDIR + 2, 0x60 | IOAPIC_LEVEL, &d);
	assert_int_equal(d, 1U << 1);
	/* The guest cannot set remote IRR or delivery status itself. */
	write_reg(&a, IOAPIC_REG_REDIR + 4, 0x61 | IOAPIC_REMOTE_IRR | IOAPIC_DELIVS, &d);
	assert_int_equal(read_reg(&a, IOAPIC_REG_REDIR + 4), 0x61);
	(void)state;
}

static void msi_of_entry(void **state)
{
	struct ioapic a;
	uint64_t addr;
	uint32_t data, d;

	ioapic_init(&a);
	write_reg(&a, IOAPIC_REG_REDIR + 2 * 5 + 1, 0x03000000, &d);
	write_reg(&a, IOAPIC_REG_REDIR + 2 * 5, 0x45, &d);
	ioapic_msi(&a, 5, &addr, &data);
	assert_int_equal(addr, 0xfee03000ULL);
	assert_int_equal(data, 0x45);
	write_reg(&a, IOAPIC_REG_REDIR + 2 * 5, 0x45 | IOAPIC_LEVEL | IOAPIC_DESTMODE | (1 << 8), &d);
	ioapic_msi(&a, 5, &addr, &data);
	assert_int_equal(addr, 0xfee03004ULL);
	assert_int_equal(data, 0x45 | 0x100 | 0x4000 | 0x8000);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(version_and_reset),
		cmocka_unit_test(id_and_halves),
		cmocka_unit_test(edge_delivers_on_rising_only),
		cmocka_unit_test(level_waits_for_eoi),
		cmocka_unit_test(unmask_delivers_asserted_level),
		cmocka_unit_test(msi_of_entry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
