/* SPDX-License-Identifier: MIT */
/* test_multiboot.c - mb_parse(), mb_layout(), mb_build_info() on synthetic ELF32 kernels. */
#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "minivmm_abi.h"
#include "multiboot.h"
#include "mvm_multiboot.h"
#include "payload.h"

#define IMG_SIZE  0x4000
#define HDR_OFF	  0x100
#define SEG_OFF	  0x1000
#define SEG_PADDR 0x400000U
#define SEG_FILE  0x200U
#define SEG_MEM	  0x3000U

static uint8_t img[IMG_SIZE];
static uint8_t area[MVM_MB_INFO_SIZE];

static Elf32_Ehdr *ehdr(void)
{
	return (Elf32_Ehdr *)img;
}

static Elf32_Phdr *phdr(int i)
{
	return (Elf32_Phdr *)(img + sizeof(Elf32_Ehdr)) + i;
}

static void put_mb_header(size_t off, uint32_t flags)
{
	struct mb_header h = { MB_HEADER_MAGIC, flags, -(MB_HEADER_MAGIC + flags) };

	memcpy(img + off, &h, sizeof(h));
}

/* A kernel like kvm-unit-tests': one PT_LOAD at 4 MiB with a bss, a
 * GNU_STACK, the Multiboot header (flags) at HDR_OFF. */
static void make_kernel(uint32_t flags)
{
	Elf32_Ehdr *e = ehdr();

	memset(img, 0, sizeof(img));
	memcpy(e->e_ident, ELFMAG, SELFMAG);
	e->e_ident[EI_CLASS] = ELFCLASS32;
	e->e_ident[EI_DATA] = ELFDATA2LSB;
	e->e_ident[EI_VERSION] = EV_CURRENT;
	e->e_type = ET_EXEC;
	e->e_machine = EM_386;
	e->e_version = EV_CURRENT;
	e->e_entry = SEG_PADDR + 0x10;
	e->e_phoff = sizeof(Elf32_Ehdr);
	e->e_ehsize = sizeof(Elf32_Ehdr);
	e->e_phentsize = sizeof(Elf32_Phdr);
	e->e_phnum = 2;
	*phdr(0) = (Elf32_Phdr){ .p_type = PT_LOAD,
				 .p_offset = SEG_OFF,
				 .p_vaddr = SEG_PADDR,
				 .p_paddr = SEG_PADDR,
				 .p_filesz = SEG_FILE,
				 .p_memsz = SEG_MEM,
				 .p_flags = PF_R | PF_W | PF_X,
				 .p_align = 0x1000 };
	*phdr(1) = (Elf32_Phdr){ .p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W };
	put_mb_header(HDR_OFF, flags);
	memset(img + SEG_OFF, 0xcc, SEG_FILE);
}

static void expect_parse_reject(size_t size, const char *want)
{
	struct errbuf err = { "" };
	struct mb_kernel k;

	if (mb_parse("k.elf", img, size, &k, &err))
		fail_msg("wanted rejection containing '%s', got acceptance", want);
	if (!strstr(err.msg, want))
		fail_msg("wanted message containing '%s', got '%s'", want, err.msg);
}

static void parse_ok(size_t size, struct mb_kernel *k)
{
	struct errbuf err = { "" };

	if (!mb_parse("k.elf", img, size, k, &err))
		fail_msg("wanted acceptance, got '%s'", err.msg);
}

static void kernel_parsed(void **state)
{
	struct mb_kernel k;

	make_kernel(0);
	assert_true(mb_is_elf(img, sizeof(img)));
	parse_ok(sizeof(img), &k);
	assert_int_equal(k.nseg, 1);
	assert_int_equal(k.header_offset, HDR_OFF);
	assert_int_equal(k.entry, SEG_PADDR + 0x10);
	assert_int_equal(k.start, SEG_PADDR);
	assert_int_equal(k.end, SEG_PADDR + SEG_MEM);
	assert_int_equal(k.seg[0].filesz, SEG_FILE);
	assert_int_equal(k.seg[0].memsz, SEG_MEM);
	(void)state;
}

static void provided_flags_accepted(void **state)
{
	struct mb_kernel k;

	make_kernel(MB_HF_PAGE_ALIGN | MB_HF_MEMINFO | 0x00020000U); /* bit 17: optional */
	parse_ok(sizeof(img), &k);
	assert_int_equal(k.header_flags, 0x00020003U);
	(void)state;
}

static void unsupported_flags_rejected(void **state)
{
	make_kernel(MB_HF_VIDEO);
	expect_parse_reject(sizeof(img), "requires flags 0x4");
	make_kernel(0x8000);
	expect_parse_reject(sizeof(img), "requires flags 0x8000");
	make_kernel(MB_HF_AOUT_KLUDGE);
	expect_parse_reject(sizeof(img), "flag 16");
	(void)state;
}

static void elf_without_header_rejected(void **state)
{
	make_kernel(0);
	memset(img + HDR_OFF, 0, sizeof(struct mb_header));
	expect_parse_reject(sizeof(img), "ELF without a Multiboot header: minivmm boots "
					 "Multiboot v1 kernels or payloads");
	/* Past the first 8 KiB, or not 4-byte aligned, a header does not count. */
	put_mb_header(MB_SEARCH, 0);
	expect_parse_reject(sizeof(img), "without a Multiboot header");
	memset(img + MB_SEARCH, 0, sizeof(struct mb_header));
	put_mb_header(HDR_OFF + 2, 0);
	expect_parse_reject(sizeof(img), "without a Multiboot header");
	(void)state;
}

static void last_header_slot_found(void **state)
{
	struct mb_kernel k;

	make_kernel(0);
	memset(img + HDR_OFF, 0, sizeof(struct mb_header));
	put_mb_header(MB_SEARCH - sizeof(struct mb_header), 0);
	parse_ok(sizeof(img), &k);
	assert_int_equal(k.header_offset, MB_SEARCH - sizeof(struct mb_header));
	(void)state;
}

static void bad_checksum_rejected(void **state)
{
	make_kernel(0);
	img[HDR_OFF + 8] ^= 1;
	expect_parse_reject(sizeof(img), "checksum");
	(void)state;
}

static void truncated_rejected(void **state)
{
	make_kernel(0);
	/* The segment's file bytes end at SEG_OFF + SEG_FILE. */
	expect_parse_reject(SEG_OFF + SEG_FILE - 1, "truncated ELF");
	/* Cut before the header: found as truncated through the section headers. */
	ehdr()->e_shoff = IMG_SIZE - 0x100;
	ehdr()->e_shnum = 4;
	ehdr()->e_shentsize = sizeof(Elf32_Shdr);
	expect_parse_reject(HDR_OFF, "truncated ELF");
	expect_parse_reject(20, "truncated");
	/* Program headers past the end. */
	make_kernel(0);
	ehdr()->e_phoff = IMG_SIZE - 8;
	expect_parse_reject(sizeof(img), "truncated ELF: program headers");
	(void)state;
}

static void wrong_elf_kind_rejected(void **state)
{
	make_kernel(0);
	img[EI_CLASS] = ELFCLASS64;
	expect_parse_reject(sizeof(img), "must be ELF32");
	make_kernel(0);
	ehdr()->e_machine = EM_X86_64;
	expect_parse_reject(sizeof(img), "i386 executable");
	make_kernel(0);
	ehdr()->e_type = ET_DYN;
	expect_parse_reject(sizeof(img), "i386 executable");
	make_kernel(0);
	ehdr()->e_phentsize = 8;
	expect_parse_reject(sizeof(img), "program headers of 8 bytes");
	(void)state;
}

static void bad_segments_rejected(void **state)
{
	make_kernel(0);
	phdr(0)->p_memsz = SEG_FILE - 1;
	expect_parse_reject(sizeof(img), "more file bytes");
	make_kernel(0);
	phdr(0)->p_type = PT_NOTE;
	expect_parse_reject(sizeof(img), "no PT_LOAD");
	make_kernel(0);
	ehdr()->e_entry = SEG_PADDR + SEG_MEM;
	expect_parse_reject(sizeof(img), "entry 0x403000 is in no PT_LOAD");
	(void)state;
}

/* Linked high, loaded low: the entry follows the segment's physical address. */
static void entry_is_physical(void **state)
{
	struct mb_kernel k;

	make_kernel(0);
	phdr(0)->p_vaddr = 0xc0400000U;
	ehdr()->e_entry = 0xc0400020U;
	parse_ok(sizeof(img), &k);
	assert_int_equal(k.entry, SEG_PADDR + 0x20);
	(void)state;
}

static struct mb_boot boot(uint64_t mem, const char *append, const char *initrd, size_t isize)
{
	return (struct mb_boot){ .argv0 = "x86/k.elf",
				 .append = append,
				 .initrd_name = initrd,
				 .initrd_size = isize,
				 .mem_size = mem };
}

static void expect_layout_reject(struct mb_kernel *k, struct mb_boot *b, const char *want)
{
	struct errbuf err = { "" };

	if (mb_layout("k.elf", k, b, &err))
		fail_msg("wanted rejection containing '%s', got acceptance", want);
	if (!strstr(err.msg, want))
		fail_msg("wanted message containing '%s', got '%s'", want, err.msg);
}

static void layout_ok(struct mb_kernel *k, struct mb_boot *b)
{
	struct errbuf err = { "" };

	if (!mb_layout("k.elf", k, b, &err))
		fail_msg("wanted acceptance, got '%s'", err.msg);
}

static void segments_outside_memory_rejected(void **state)
{
	struct mb_kernel k;
	struct mb_boot b = boot(4ULL << 20, NULL, NULL, 0);

	make_kernel(0);
	parse_ok(sizeof(img), &k);
	expect_layout_reject(&k, &b, "outside guest memory");
	b.mem_size = SEG_PADDR + SEG_MEM;
	layout_ok(&k, &b);
	/* Past 3 GiB is not low RAM, however large --mem is. */
	make_kernel(0);
	phdr(0)->p_paddr = phdr(0)->p_vaddr = 0xfffff000U;
	ehdr()->e_entry = 0xfffff000U;
	parse_ok(sizeof(img), &k);
	b.mem_size = 8ULL << 30;
	expect_layout_reject(&k, &b, "outside guest memory");
	(void)state;
}

static void segment_over_gdt_rejected(void **state)
{
	struct mb_kernel k;
	struct mb_boot b = boot(32ULL << 20, NULL, NULL, 0);

	make_kernel(0);
	phdr(0)->p_paddr = phdr(0)->p_vaddr = 0x1800;
	ehdr()->e_entry = 0x1800;
	parse_ok(sizeof(img), &k);
	expect_layout_reject(&k, &b, "GDT and TSS");
	(void)state;
}

static void info_placed(void **state)
{
	struct mb_kernel k;
	struct mb_boot b = boot(32ULL << 20, NULL, NULL, 0);

	make_kernel(0);
	parse_ok(sizeof(img), &k);
	layout_ok(&k, &b);
	assert_int_equal(b.info_gpa, MVM_MB_INFO_GPA);
	/* A kernel at 32 KiB (kvm-unit-tests' realmode) moves it away. */
	make_kernel(0);
	phdr(0)->p_paddr = phdr(0)->p_vaddr = 0x8000;
	ehdr()->e_entry = 0x8000;
	parse_ok(sizeof(img), &k);
	layout_ok(&k, &b);
	assert_true(b.info_gpa >= 0x8000 + SEG_MEM);
	assert_true(b.info_gpa + MVM_MB_INFO_SIZE <= MVM_STACK_TOP - MVM_STACK_SIZE);
	(void)state;
}

static void initrd_placed_at_top(void **state)
{
	struct mb_kernel k;
	struct mb_boot b = boot(64ULL << 20, NULL, "env", 100);

	make_kernel(0);
	parse_ok(sizeof(img), &k);
	layout_ok(&k, &b);
	assert_int_equal(b.initrd_gpa, (64ULL << 20) - 0x1000);
	b = boot(64ULL << 20, NULL, "env", 0x2000);
	layout_ok(&k, &b);
	assert_int_equal(b.initrd_gpa, (64ULL << 20) - 0x2000);
	(void)state;
}

static void initrd_too_big_rejected(void **state)
{
	struct mb_kernel k;
	struct mb_boot b = boot(8ULL << 20, NULL, "big", (8ULL << 20) - SEG_PADDR);

	make_kernel(0);
	parse_ok(sizeof(img), &k);
	expect_layout_reject(&k, &b, "--initrd big");
	expect_layout_reject(&k, &b, "does not fit");
	b.initrd_size = (8ULL << 20) - SEG_PADDR - SEG_MEM; /* exactly up to the kernel's end */
	layout_ok(&k, &b);
	assert_int_equal(b.initrd_gpa, SEG_PADDR + SEG_MEM);
	b.initrd_size = 16ULL << 20;
	expect_layout_reject(&k, &b, "does not fit");
	(void)state;
}

static void long_cmdline_rejected(void **state)
{
	static char text[MVM_MB_INFO_SIZE];
	struct mb_kernel k;
	struct mb_boot b = boot(32ULL << 20, text, NULL, 0);

	memset(text, 'a', sizeof(text) - 1);
	make_kernel(0);
	parse_ok(sizeof(img), &k);
	expect_layout_reject(&k, &b, "command line");
	(void)state;
}

static const struct mb_info *built(struct mb_boot *b)
{
	static struct mb_info info;
	struct mb_kernel k;

	make_kernel(0);
	parse_ok(sizeof(img), &k);
	layout_ok(&k, b);
	memset(area, 0xee, sizeof(area));
	mb_build_info(area, b);
	memcpy(&info, area, sizeof(info));
	return &info;
}

/* The bytes at guest-physical gpa, which must lie in the area. */
static const void *at(const struct mb_boot *b, uint32_t gpa)
{
	assert_true(gpa >= b->info_gpa && gpa < b->info_gpa + MVM_MB_INFO_SIZE);
	return area + (gpa - b->info_gpa);
}

static void info_fields(void **state)
{
	struct mb_boot b = boot(64ULL << 20, "cpuid x=1", "x86/env", 71);
	const struct mb_info *i = built(&b);
	struct mb_module m;

	assert_int_equal(i->flags, MB_INFO_MEM | MB_INFO_CMDLINE | MB_INFO_MODS | MB_INFO_MMAP |
					   MB_INFO_LOADER_NAME);
	assert_int_equal(i->mem_lower, 639);
	assert_int_equal(i->mem_upper, 63 * 1024);
	assert_string_equal(at(&b, i->cmdline), "x86/k.elf cpuid x=1");
	assert_string_equal(at(&b, i->boot_loader_name), "minivmm");
	assert_int_equal(i->mods_count, 1);
	memcpy(&m, at(&b, i->mods_addr), sizeof(m));
	assert_int_equal(m.mod_start, (64U << 20) - 0x1000);
	assert_int_equal(m.mod_end, (64U << 20) - 0x1000 + 71);
	assert_string_equal(at(&b, m.string), "x86/env");
	(void)state;
}

static void info_without_extras(void **state)
{
	struct mb_boot b = boot(32ULL << 20, NULL, NULL, 0);
	const struct mb_info *i = built(&b);

	assert_int_equal(i->flags & MB_INFO_MODS, 0);
	assert_int_equal(i->mods_count, 0);
	assert_string_equal(at(&b, i->cmdline), "x86/k.elf");
	(void)state;
}

/* The memory map's entries, checked against want (base, length, type). */
static void expect_mmap(const struct mb_info *i, const struct mb_boot *b, const uint64_t (*want)[3],
			size_t n)
{
	assert_int_equal(i->mmap_length, n * sizeof(struct mb_mmap_entry));
	for (size_t k = 0; k < n; k++) {
		struct mb_mmap_entry e;

		memcpy(&e, at(b, i->mmap_addr + k * sizeof(e)), sizeof(e));
		assert_int_equal(e.size, 20);
		assert_int_equal((uint64_t)e.base_hi << 32 | e.base_lo, want[k][0]);
		assert_int_equal((uint64_t)e.len_hi << 32 | e.len_lo, want[k][1]);
		assert_int_equal(e.type, want[k][2]);
	}
}

static void mmap_small(void **state)
{
	static const uint64_t want[][3] = {
		{ 0, 0x9fc00, MB_MMAP_RAM },
		{ 0x9fc00, 0x60400, MB_MMAP_RESERVED },
		{ 0x100000, (64ULL << 20) - 0x100000, MB_MMAP_RAM },
		{ MVM_TEST_SLOT_GPA, MVM_TEST_SLOT_SIZE, MB_MMAP_RESERVED },
		{ MVM_ROM_SLOT_GPA, MVM_ROM_SLOT_SIZE, MB_MMAP_RESERVED },
	};
	struct mb_boot b = boot(64ULL << 20, NULL, NULL, 0);

	expect_mmap(built(&b), &b, want, ARRAY_SIZE(want));
	(void)state;
}

static void mmap_high_ram(void **state)
{
	static const uint64_t want[][3] = {
		{ 0, 0x9fc00, MB_MMAP_RAM },
		{ 0x9fc00, 0x60400, MB_MMAP_RESERVED },
		{ 0x100000, MVM_LOW_RAM_MAX - 0x100000, MB_MMAP_RAM },
		{ MVM_TEST_SLOT_GPA, MVM_TEST_SLOT_SIZE, MB_MMAP_RESERVED },
		{ MVM_ROM_SLOT_GPA, MVM_ROM_SLOT_SIZE, MB_MMAP_RESERVED },
		{ MVM_HIGH_RAM_GPA, (8ULL << 30) - MVM_LOW_RAM_MAX, MB_MMAP_RAM },
	};
	struct mb_boot b = boot(8ULL << 30, NULL, NULL, 0);
	const struct mb_info *i = built(&b);

	assert_int_equal(i->mem_upper, (MVM_LOW_RAM_MAX - 0x100000) >> 10);
	expect_mmap(i, &b, want, ARRAY_SIZE(want));
	(void)state;
}

/* ---- payload_parse() of a Multiboot kernel ---- */

static struct payload kernel_payload(void)
{
	make_kernel(0);
	return (struct payload){ .name = "x86/k.elf", .data = img, .size = sizeof(img) };
}

static void payload_defaults(void **state)
{
	struct payload p = kernel_payload();
	struct payload_overrides o = { .mode = -1 };
	struct errbuf err = { "" };

	assert_true(payload_parse(&p, &o, &err));
	assert_true(p.multiboot);
	assert_false(p.has_header);
	assert_int_equal(p.mode, MVM_MODE_PROT32);
	assert_int_equal(p.irqchip, MVM_IRQCHIP_KERNEL);
	assert_int_equal(p.mem_size, MB_DEFAULT_MEM_SIZE);
	assert_int_equal(p.vcpus, 1);
	assert_int_equal(p.entry, SEG_PADDR + 0x10);
	assert_int_equal(p.load, SEG_PADDR);
	assert_string_equal(p.boot.argv0, "x86/k.elf");
	(void)state;
}

static void payload_overrides_used(void **state)
{
	struct payload p = kernel_payload();
	struct payload_overrides o = { .mode = MVM_MODE_PROT32,
				       .has_irqchip = true,
				       .irqchip = MVM_IRQCHIP_NONE,
				       .has_mem = true,
				       .mem = 16ULL << 20,
				       .has_load = true,
				       .load = SEG_PADDR,
				       .append = "a b",
				       .initrd = "env" };
	struct errbuf err = { "" };

	p.boot.initrd_size = 10;
	if (!payload_parse(&p, &o, &err))
		fail_msg("wanted acceptance, got '%s'", err.msg);
	assert_int_equal(p.irqchip, MVM_IRQCHIP_NONE);
	assert_int_equal(p.mem_size, 16ULL << 20);
	assert_string_equal(p.boot.append, "a b");
	assert_int_equal(p.boot.initrd_gpa, (16ULL << 20) - 0x1000);
	(void)state;
}

static void payload_moves_rejected(void **state)
{
	struct payload p = kernel_payload();
	struct payload_overrides o = { .mode = MVM_MODE_LONG };
	struct errbuf err = { "" };

	assert_false(payload_parse(&p, &o, &err));
	assert_non_null(strstr(err.msg, "cannot move it"));
	o = (struct payload_overrides){ .mode = -1, .has_entry = true, .entry = SEG_PADDR };
	assert_false(payload_parse(&p, &o, &err));
	o = (struct payload_overrides){ .mode = -1, .vcpus = 2, .has_irqchip = true };
	assert_false(payload_parse(&p, &o, &err));
	assert_non_null(strstr(err.msg, "interrupt controller"));
	(void)state;
}

static void append_on_payload_rejected(void **state)
{
	static uint8_t raw[16] = { 0xf4 };
	struct payload p = { .name = "raw.bin", .data = raw, .size = sizeof(raw) };
	struct payload_overrides o = { .mode = -1, .append = "x" };
	struct errbuf err = { "" };

	assert_false(payload_parse(&p, &o, &err));
	assert_non_null(strstr(err.msg, "for Multiboot kernels"));
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kernel_parsed),
		cmocka_unit_test(provided_flags_accepted),
		cmocka_unit_test(unsupported_flags_rejected),
		cmocka_unit_test(elf_without_header_rejected),
		cmocka_unit_test(last_header_slot_found),
		cmocka_unit_test(bad_checksum_rejected),
		cmocka_unit_test(truncated_rejected),
		cmocka_unit_test(wrong_elf_kind_rejected),
		cmocka_unit_test(bad_segments_rejected),
		cmocka_unit_test(entry_is_physical),
		cmocka_unit_test(segments_outside_memory_rejected),
		cmocka_unit_test(segment_over_gdt_rejected),
		cmocka_unit_test(info_placed),
		cmocka_unit_test(initrd_placed_at_top),
		cmocka_unit_test(initrd_too_big_rejected),
		cmocka_unit_test(long_cmdline_rejected),
		cmocka_unit_test(info_fields),
		cmocka_unit_test(info_without_extras),
		cmocka_unit_test(mmap_small),
		cmocka_unit_test(mmap_high_ram),
		cmocka_unit_test(payload_defaults),
		cmocka_unit_test(payload_overrides_used),
		cmocka_unit_test(payload_moves_rejected),
		cmocka_unit_test(append_on_payload_rejected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
