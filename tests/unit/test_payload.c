/* SPDX-License-Identifier: MIT */
/* test_payload.c - payload_parse(): header checks, raw images, layout and overrides. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "minivmm_abi.h"
#include "payload.h"

#define IMG_MAX 0x20000

static uint8_t img[IMG_MAX];

/* A header image of size bytes; the header fields are those of h. */
static struct payload header_image(const struct mvm_header *h, size_t size)
{
	memset(img, 0x90, sizeof(img));
	memcpy(img, h, size < sizeof(*h) ? size : sizeof(*h));
	return (struct payload){ .name = "test.bin", .data = img, .size = size };
}

static struct mvm_header good_header(int mode, uint64_t load)
{
	return (struct mvm_header){
		.magic = MVM_MAGIC,
		.abi_version = MVM_ABI_VERSION,
		.mode = (uint8_t)mode,
		.header_size = MVM_HEADER_SIZE,
		.load_gpa = load,
		.entry_gpa = load + MVM_HEADER_SIZE,
	};
}

static struct payload_overrides no_overrides(void)
{
	return (struct payload_overrides){ .mode = -1 };
}

/* Parses p without overrides; on false the message must contain want. */
static void expect_reject(struct payload *p, const struct payload_overrides *o, const char *want)
{
	struct errbuf err = { "" };

	if (payload_parse(p, o, &err))
		fail_msg("wanted rejection containing '%s', got acceptance", want);
	if (!strstr(err.msg, want))
		fail_msg("wanted message containing '%s', got '%s'", want, err.msg);
}

static void expect_accept(struct payload *p, const struct payload_overrides *o)
{
	struct errbuf err = { "" };

	if (!payload_parse(p, o, &err))
		fail_msg("wanted acceptance, got '%s'", err.msg);
}

static void valid_header_accepted(void **state)
{
	struct mvm_header h = good_header(MVM_MODE_LONG, MVM_LOAD_GPA);
	struct payload p = header_image(&h, 4096);
	struct payload_overrides o = no_overrides();

	expect_accept(&p, &o);
	assert_true(p.has_header);
	assert_int_equal(p.mode, MVM_MODE_LONG);
	assert_int_equal(p.load, MVM_LOAD_GPA);
	assert_int_equal(p.entry, MVM_LOAD_GPA + MVM_HEADER_SIZE);
	assert_int_equal(p.mem_size, MVM_DEFAULT_MEM_SIZE);
	(void)state;
}

static void header_mem_size_used(void **state)
{
	struct mvm_header h = good_header(MVM_MODE_PROT32, MVM_LOAD_GPA);
	struct payload p;
	struct payload_overrides o = no_overrides();

	h.mem_size = 64ULL << 20;
	p = header_image(&h, 64);
	expect_accept(&p, &o);
	assert_int_equal(p.mem_size, 64ULL << 20);
	(void)state;
}

static void empty_rejected(void **state)
{
	struct payload p = { .name = "test.bin", .data = img, .size = 0 };
	struct payload_overrides o = no_overrides();

	expect_reject(&p, &o, "empty");
	(void)state;
}

static void truncated_header_rejected(void **state)
{
	struct mvm_header h = good_header(MVM_MODE_LONG, MVM_LOAD_GPA);
	struct payload_overrides o = no_overrides();

	for (size_t size = 4; size < MVM_HEADER_SIZE; size += 7) {
		struct payload p = header_image(&h, size);

		expect_reject(&p, &o, "truncated");
	}
	{
		struct payload p = header_image(&h, MVM_HEADER_SIZE - 1);

		expect_reject(&p, &o, "truncated");
	}
	(void)state;
}

static void header_of_exactly_40_bytes_accepted(void **state)
{
	struct mvm_header h = good_header(MVM_MODE_LONG, MVM_LOAD_GPA);
	struct payload p;
	struct payload_overrides o = no_overrides();

	h.entry_gpa = MVM_LOAD_GPA + MVM_HEADER_SIZE - 1; /* last byte of the image */
	p = header_image(&h, MVM_HEADER_SIZE);
	expect_accept(&p, &o);
	(void)state;
}

static void bad_abi_version_rejected(void **state)
{
	struct mvm_header h = good_header(MVM_MODE_LONG, MVM_LOAD_GPA);
	struct payload p;
	struct payload_overrides o = no_overrides();

	h.abi_version = MVM_ABI_VERSION + 1;
	p = header_image(&h, 4096);
	expect_reject(&p, &o, "ABI version");
	h.abi_version = 0;
	p = header_image(&h, 4096);
	expect_reject(&p, &o, "ABI version");
	(void)state;
}

static void bad_header_size_rejected(void **state)
{
	struct mvm_header h = good_header(MVM_MODE_LONG, MVM_LOAD_GPA);
	struct payload p;
	struct payload_overrides o = no_overrides();

	h.header_size = MVM_HEADER_SIZE + 8;
	p = header_image(&h, 4096);
	expect_reject(&p, &o, "header_size");
	h.header_size = 0;
	p = header_image(&h, 4096);
	expect_reject(&p, &o, "header_size");
	(void)state;
}

static void unknown_mode_rejected(void **state)
{
	struct mvm_header h = good_header(MVM_MODE_COUNT, MVM_LOAD_GPA);
	struct payload p = header_image(&h, 4096);
	struct payload_overrides o = no_overrides();

	expect_reject(&p, &o, "unknown start mode 6");
	h.mode = 0xff;
	p = header_image(&h, 4096);
	expect_reject(&p, &o, "unknown start mode 255");
	(void)state;
}

/* The nested flags are known: accepted and passed on for the VMM's check. */
static void nested_flags_kept(void **state)
{
	struct mvm_header h = good_header(MVM_MODE_LONG, MVM_LOAD_GPA);
	struct payload_overrides o = no_overrides();
	struct errbuf err;
	struct payload p;

	h.flags = MVM_FLAG_NEEDS_VMX | MVM_FLAG_NEEDS_SVM;
	p = header_image(&h, 4096);
	assert_true(payload_parse(&p, &o, &err));
	assert_int_equal(p.flags, MVM_FLAG_NEEDS_VMX | MVM_FLAG_NEEDS_SVM);
	(void)state;
}

static void unknown_flags_rejected(void **state)
{
	struct mvm_header h = good_header(MVM_MODE_LONG, MVM_LOAD_GPA);
	struct payload p;
	struct payload_overrides o = no_overrides();

	h.flags = 0x4; /* the first bit after MVM_FLAG_NEEDS_VMX and _SVM */
	p = header_image(&h, 4096);
	expect_reject(&p, &o, "flags 0x4");
	h.flags = MVM_FLAG_NEEDS_SVM | 0x80000000U; /* only the unknown bit is named */
	p = header_image(&h, 4096);
	expect_reject(&p, &o, "flags 0x80000000");
	(void)state;
}

static void nonzero_reserved_rejected(void **state)
{
	struct mvm_header h = good_header(MVM_MODE_LONG, MVM_LOAD_GPA);
	struct payload p;
	struct payload_overrides o = no_overrides();

	h.reserved = 0x80; /* uint8_t now; 0x100 would not fit */
	p = header_image(&h, 4096);
	expect_reject(&p, &o, "reserved");
	(void)state;
}

static void unknown_irqchip_rejected(void **state)
{
	struct mvm_header h = good_header(MVM_MODE_LONG, MVM_LOAD_GPA);
	struct payload p;
	struct payload_overrides o = no_overrides();

	h.irqchip = MVM_IRQCHIP_COUNT;
	p = header_image(&h, 4096);
	expect_reject(&p, &o, "unknown irqchip");
	(void)state;
}

/* Several vCPUs without an irqchip cannot start their APs. */
static void vcpus_need_irqchip(void **state)
{
	struct mvm_header h = good_header(MVM_MODE_LONG, MVM_LOAD_GPA);
	struct payload p;
	struct payload_overrides o = no_overrides();
	struct errbuf err;

	h.vcpus = 4;
	p = header_image(&h, 4096);
	expect_reject(&p, &o, "interrupt controller");
	h.irqchip = MVM_IRQCHIP_KERNEL;
	p = header_image(&h, 4096);
	assert_true(payload_parse(&p, &o, &err));
	assert_int_equal(p.vcpus, 4);
	assert_int_equal(p.irqchip, MVM_IRQCHIP_KERNEL);
	/* The command line overrides both. */
	o.has_irqchip = true;
	o.irqchip = MVM_IRQCHIP_NONE;
	o.vcpus = 1;
	p = header_image(&h, 4096);
	assert_true(payload_parse(&p, &o, &err));
	assert_int_equal(p.vcpus, 1);
	assert_int_equal(p.irqchip, MVM_IRQCHIP_NONE);
	h.vcpus = 0;
	h.irqchip = 0;
	p = header_image(&h, 4096);
	o = no_overrides();
	assert_true(payload_parse(&p, &o, &err));
	assert_int_equal(p.vcpus, 1); /* 0 means one */
	h.vcpus = MVM_VCPUS_MAX + 1;
	h.irqchip = MVM_IRQCHIP_KERNEL;
	p = header_image(&h, 4096);
	expect_reject(&p, &o, "at most");
	(void)state;
}

static void raw_image_is_real_mode(void **state)
{
	uint8_t hlt[] = { 0xf4 };
	struct payload p = { .name = "raw.bin", .data = hlt, .size = sizeof(hlt) };
	struct payload_overrides o = no_overrides();

	expect_accept(&p, &o);
	assert_false(p.has_header);
	assert_int_equal(p.mode, MVM_MODE_REAL);
	assert_int_equal(p.load, MVM_RAW_LOAD_GPA);
	assert_int_equal(p.entry, MVM_RAW_LOAD_GPA);
	assert_int_equal(p.mem_size, MVM_DEFAULT_MEM_SIZE);
	(void)state;
}

static void short_image_with_partial_magic_is_raw(void **state)
{
	uint8_t three[] = { 'M', 'V', 'M' };
	struct payload p = { .name = "raw.bin", .data = three, .size = sizeof(three) };
	struct payload_overrides o = no_overrides();

	expect_accept(&p, &o);
	assert_false(p.has_header);
	assert_int_equal(p.mode, MVM_MODE_REAL);
	(void)state;
}

/* A one-byte raw image with --mem m. */
static bool parse_raw_with_mem(uint64_t m, struct errbuf *err)
{
	uint8_t hlt[] = { 0xf4 };
	struct payload p = { .name = "raw.bin", .data = hlt, .size = sizeof(hlt) };
	struct payload_overrides o = { .mode = -1, .has_mem = true, .mem = m };

	return payload_parse(&p, &o, err);
}

static void mem_size_edges(void **state)
{
	struct errbuf err = { "" };

	assert_false(parse_raw_with_mem(MVM_MIN_MEM_SIZE + 0x800, &err));
	assert_non_null(strstr(err.msg, "4 KiB"));
	assert_false(parse_raw_with_mem(MVM_MIN_MEM_SIZE + 1, &err));
	assert_false(parse_raw_with_mem(MVM_MIN_MEM_SIZE - 0x1000, &err));
	assert_non_null(strstr(err.msg, "outside"));
	assert_false(parse_raw_with_mem(0, &err));
	assert_false(parse_raw_with_mem(MVM_MAX_MEM_SIZE + 0x1000, &err));
	assert_non_null(strstr(err.msg, "outside"));
	assert_false(parse_raw_with_mem(UINT64_MAX - 0xfff, &err));
	assert_true(parse_raw_with_mem(MVM_MIN_MEM_SIZE, &err));
	assert_true(parse_raw_with_mem(MVM_MAX_MEM_SIZE, &err));
	(void)state;
}

static void header_mem_not_aligned_rejected(void **state)
{
	struct mvm_header h = good_header(MVM_MODE_LONG, MVM_LOAD_GPA);
	struct payload p;
	struct payload_overrides o = no_overrides();

	h.mem_size = (2ULL << 20) + 1;
	p = header_image(&h, 4096);
	expect_reject(&p, &o, "4 KiB");
	(void)state;
}

static void payload_larger_than_memory_rejected(void **state)
{
	size_t size = MVM_MIN_MEM_SIZE + 1;
	uint8_t *big = calloc(1, size);
	struct payload p = { .name = "big.bin", .data = big, .size = size };
	struct payload_overrides o = { .mode = -1, .has_mem = true, .mem = MVM_MIN_MEM_SIZE };

	assert_non_null(big);
	expect_reject(&p, &o, "does not fit");
	free(big);
	(void)state;
}

static void image_ending_at_memory_end(void **state)
{
	struct mvm_header h = good_header(MVM_MODE_PROT32, MVM_MIN_MEM_SIZE - 0x10000);
	struct payload p;
	struct payload_overrides o = no_overrides();

	h.mem_size = MVM_MIN_MEM_SIZE;
	p = header_image(&h, 0x10000); /* ends exactly at the end of RAM */
	expect_accept(&p, &o);
	p = header_image(&h, 0x10001); /* one byte more */
	expect_reject(&p, &o, "does not fit");
	(void)state;
}

static void load_plus_size_overflow_rejected(void **state)
{
	struct mvm_header h = good_header(MVM_MODE_LONG, 0);
	struct payload p = header_image(&h, 0x100);
	/* load + 0x100 wraps to 0x40: inside RAM if the sum were not checked. */
	struct payload_overrides o = { .mode = -1,
				       .has_load = true,
				       .load = -(uint64_t)0xc0,
				       .has_entry = true,
				       .entry = 0x20 };

	expect_reject(&p, &o, "does not fit");
	(void)state;
}

static void entry_outside_memory_rejected(void **state)
{
	struct mvm_header h = good_header(MVM_MODE_LONG, MVM_LOAD_GPA);
	struct payload p;
	struct payload_overrides o = no_overrides();

	h.entry_gpa = MVM_DEFAULT_MEM_SIZE;
	p = header_image(&h, 4096);
	expect_reject(&p, &o, "outside guest memory");
	h.entry_gpa = UINT64_MAX;
	p = header_image(&h, 4096);
	expect_reject(&p, &o, "outside guest memory");
	(void)state;
}

static void entry_outside_image_rejected(void **state)
{
	struct mvm_header h = good_header(MVM_MODE_LONG, MVM_LOAD_GPA);
	struct payload p;
	struct payload_overrides o = no_overrides();

	h.entry_gpa = MVM_LOAD_GPA - 1;
	p = header_image(&h, 4096);
	expect_reject(&p, &o, "outside the payload image");
	h.entry_gpa = MVM_LOAD_GPA + 4096; /* one past the end */
	p = header_image(&h, 4096);
	expect_reject(&p, &o, "outside the payload image");
	h.entry_gpa = MVM_LOAD_GPA + 4095; /* last byte */
	p = header_image(&h, 4096);
	expect_accept(&p, &o);
	h.entry_gpa = MVM_LOAD_GPA; /* first byte (the header itself) */
	p = header_image(&h, 4096);
	expect_accept(&p, &o);
	(void)state;
}

static void real_mode_entry_limit(void **state)
{
	struct mvm_header h = good_header(MVM_MODE_REAL, MVM_RAW_LOAD_GPA);
	struct payload p;
	struct payload_overrides o = no_overrides();

	h.entry_gpa = 0x10000;
	p = header_image(&h, 0x9000); /* [0x8000, 0x11000) */
	expect_reject(&p, &o, "below 0x10000");
	h.entry_gpa = 0xffff;
	p = header_image(&h, 0x9000);
	expect_accept(&p, &o);
	(void)state;
}

static void page_table_overlap_by_mode(void **state)
{
	struct mvm_header h =
		good_header(MVM_MODE_LONG, MVM_PT_GPA + MVM_PT_PAGES * 0x1000ULL - 0x1000);
	struct payload p = header_image(&h, 0x2000); /* covers the last page-table page */
	struct payload_overrides o = no_overrides();

	for (int mode = MVM_MODE_PAGING32; mode < MVM_MODE_COUNT; mode++) {
		h.mode = (uint8_t)mode;
		p = header_image(&h, 0x2000);
		expect_reject(&p, &o, "page tables");
	}
	h.mode = MVM_MODE_PROT32;
	p = header_image(&h, 0x2000);
	expect_accept(&p, &o);
	(void)state;
}

static void page_table_edges(void **state)
{
	struct mvm_header h = good_header(MVM_MODE_LONG, MVM_PT_GPA - 0x1000);
	struct payload p = header_image(&h, 0x1000); /* ends exactly at MVM_PT_GPA */
	struct payload_overrides o = no_overrides();

	expect_accept(&p, &o);
	p = header_image(&h, 0x1001);
	expect_reject(&p, &o, "page tables");
	h = good_header(MVM_MODE_LONG, MVM_PT_GPA + MVM_PT_PAGES * 0x1000ULL);
	p = header_image(&h, 0x1000); /* starts right after them */
	expect_accept(&p, &o);
	(void)state;
}

static void gdt_overlap_in_protected_mode(void **state)
{
	struct mvm_header h = good_header(MVM_MODE_PROT32, MVM_TSS_GPA);
	struct payload p = header_image(&h, 0x100);
	struct payload_overrides o = no_overrides();

	expect_reject(&p, &o, "GDT");
	h.mode = MVM_MODE_LONG;
	p = header_image(&h, 0x100);
	expect_reject(&p, &o, "GDT");
	h = good_header(MVM_MODE_REAL, MVM_GDT_GPA); /* real mode builds no GDT */
	p = header_image(&h, 0x1000);
	expect_accept(&p, &o);
	(void)state;
}

static void stack_overlap_by_mode(void **state)
{
	struct mvm_header h = good_header(MVM_MODE_LONG, MVM_STACK_TOP - 0x1000);
	struct payload p = header_image(&h, 0x100);
	struct payload_overrides o = no_overrides();

	expect_reject(&p, &o, "initial stack");
	h = good_header(MVM_MODE_REAL, MVM_REAL_STACK_TOP - 0x1000);
	p = header_image(&h, 0x100);
	expect_reject(&p, &o, "real-mode stack");
	h = good_header(MVM_MODE_PROT32, MVM_REAL_STACK_TOP - 0x1000); /* only real mode's */
	p = header_image(&h, 0x100);
	expect_accept(&p, &o);
	(void)state;
}

static void overrides_applied(void **state)
{
	struct mvm_header h = good_header(MVM_MODE_PROT32, MVM_LOAD_GPA);
	struct payload p = header_image(&h, 4096);
	struct payload_overrides o = { .mode = MVM_MODE_LA57,
				       .has_load = true,
				       .load = 0x200000,
				       .has_entry = true,
				       .entry = 0x200100,
				       .has_mem = true,
				       .mem = 64ULL << 20 };

	expect_accept(&p, &o);
	assert_true(p.has_header);
	assert_int_equal(p.mode, MVM_MODE_LA57);
	assert_int_equal(p.load, 0x200000);
	assert_int_equal(p.entry, 0x200100);
	assert_int_equal(p.mem_size, 64ULL << 20);
	(void)state;
}

static void override_mode_real_on_header(void **state)
{
	struct mvm_header h = good_header(MVM_MODE_LONG, MVM_LOAD_GPA);
	struct payload p = header_image(&h, 4096);
	struct payload_overrides o = { .mode = MVM_MODE_REAL };

	/* The header's entry 0x100028 is then out of real-mode reach. */
	expect_reject(&p, &o, "below 0x10000");
	assert_int_equal(p.mode, MVM_MODE_REAL);
	(void)state;
}

static void raw_image_load_sets_entry(void **state)
{
	uint8_t code[16] = { 0xf4 };
	struct payload p = { .name = "raw.bin", .data = code, .size = sizeof(code) };
	struct payload_overrides o = { .mode = -1, .has_load = true, .load = 0x9000 };

	expect_accept(&p, &o);
	assert_int_equal(p.load, 0x9000);
	assert_int_equal(p.entry, 0x9000);
	o.has_entry = true;
	o.entry = 0x9004;
	expect_accept(&p, &o);
	assert_int_equal(p.entry, 0x9004);
	(void)state;
}

static void header_load_override_keeps_entry(void **state)
{
	struct mvm_header h = good_header(MVM_MODE_LONG, MVM_LOAD_GPA);
	struct payload p = header_image(&h, 4096);
	struct payload_overrides o = { .mode = -1, .has_load = true, .load = MVM_LOAD_GPA - 0x20 };

	/* Only raw images are entered at --load; a header's entry stays. */
	expect_accept(&p, &o);
	assert_int_equal(p.entry, MVM_LOAD_GPA + MVM_HEADER_SIZE);
	(void)state;
}

/* What each override changed is noted; an override to the header's own value is not. */
static void override_notes(void **state)
{
	struct mvm_header h = good_header(MVM_MODE_LONG, MVM_LOAD_GPA);
	struct payload p = header_image(&h, 4096);
	struct payload_overrides o = { .mode = MVM_MODE_PROT32, .has_mem = true,
				       .mem = 64ULL << 20 };
	char notes[PAYLOAD_NOTES_MAX][PAYLOAD_NOTE_LEN];
	uint8_t code[16] = { 0xf4 };
	struct payload raw = { .name = "raw.bin", .data = code, .size = sizeof(code) };

	(void)state;
	expect_accept(&p, &o);
	assert_int_equal(payload_override_notes(&p, &o, notes), 2);
	assert_string_equal(notes[0], "--mode prot32 overrides the payload header's mode long");
	assert_string_equal(notes[1],
			    "--mem 0x4000000 overrides the payload header's mem 0x2000000");
	/* The same values as the header's: nothing to say. */
	o = (struct payload_overrides){ .mode = MVM_MODE_LONG, .has_load = true,
					.load = MVM_LOAD_GPA, .has_entry = true,
					.entry = MVM_LOAD_GPA + MVM_HEADER_SIZE };
	p = header_image(&h, 4096);
	expect_accept(&p, &o);
	assert_int_equal(payload_override_notes(&p, &o, notes), 0);
	o = no_overrides();
	o.has_entry = true;
	o.entry = MVM_LOAD_GPA + 0x80;
	p = header_image(&h, 4096);
	expect_accept(&p, &o);
	assert_int_equal(payload_override_notes(&p, &o, notes), 1);
	assert_string_equal(notes[0],
			    "--entry 0x100080 overrides the payload header's entry 0x100028");
	/* A raw image has no header to override. */
	o = (struct payload_overrides){ .mode = MVM_MODE_REAL, .has_load = true, .load = 0x9000 };
	expect_accept(&raw, &o);
	assert_int_equal(payload_override_notes(&raw, &o, notes), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(override_notes),
		cmocka_unit_test(valid_header_accepted),
		cmocka_unit_test(header_mem_size_used),
		cmocka_unit_test(empty_rejected),
		cmocka_unit_test(truncated_header_rejected),
		cmocka_unit_test(header_of_exactly_40_bytes_accepted),
		cmocka_unit_test(bad_abi_version_rejected),
		cmocka_unit_test(bad_header_size_rejected),
		cmocka_unit_test(unknown_mode_rejected),
		cmocka_unit_test(unknown_flags_rejected),
		cmocka_unit_test(nested_flags_kept),
		cmocka_unit_test(nonzero_reserved_rejected),
		cmocka_unit_test(unknown_irqchip_rejected),
		cmocka_unit_test(vcpus_need_irqchip),
		cmocka_unit_test(raw_image_is_real_mode),
		cmocka_unit_test(short_image_with_partial_magic_is_raw),
		cmocka_unit_test(mem_size_edges),
		cmocka_unit_test(header_mem_not_aligned_rejected),
		cmocka_unit_test(payload_larger_than_memory_rejected),
		cmocka_unit_test(image_ending_at_memory_end),
		cmocka_unit_test(load_plus_size_overflow_rejected),
		cmocka_unit_test(entry_outside_memory_rejected),
		cmocka_unit_test(entry_outside_image_rejected),
		cmocka_unit_test(real_mode_entry_limit),
		cmocka_unit_test(page_table_overlap_by_mode),
		cmocka_unit_test(page_table_edges),
		cmocka_unit_test(gdt_overlap_in_protected_mode),
		cmocka_unit_test(stack_overlap_by_mode),
		cmocka_unit_test(overrides_applied),
		cmocka_unit_test(override_mode_real_on_header),
		cmocka_unit_test(raw_image_load_sets_entry),
		cmocka_unit_test(header_load_override_keeps_entry),
	};

	return cmocka_run_group_tests_name("test_payload", tests, NULL, NULL);
}
