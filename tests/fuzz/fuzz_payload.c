/* SPDX-License-Identifier: MIT */
/*
 * fuzz_payload.c - payload_parse() (payload.h) on any file, with any
 * command-line overrides, and the Multiboot loader behind it (multiboot.h).
 *
 * It must not crash or leak, and what it accepts must be loadable as
 * vm.c loads it: a flat image inside low RAM with its entry inside it, off
 * the areas the VMM builds; a Multiboot kernel's segments inside the file
 * and inside low RAM, off the GDT page and the boot information, its entry
 * in a segment, its module above it; mb_build_info() then writes the boot
 * information for it within its area.
 *
 * Input: a 40-byte block of overrides (struct ov_block), then the file.
 */
#include <stdint.h>

#include "fuzz.h"
#include "minivmm_abi.h"
#include "mvm_multiboot.h"
#include "payload.h"

#define OV_BLOCK 40
#define PAGE	 0x1000ULL

/* What `minivmm run` would have parsed (cli.c): which overrides, their values. */
static void read_overrides(struct fuzz_in *in, struct payload_overrides *o, size_t *append_len,
			   size_t *initrd_name_len, size_t *initrd_size)
{
	unsigned which = fuzz_u8(in);
	int mode = fuzz_u8(in) % MVM_MODE_COUNT, irqchip = fuzz_u8(in) % MVM_IRQCHIP_COUNT;
	uint32_t vcpus;

	fuzz_u8(in);
	vcpus = (uint32_t)(fuzz_uint(in, 2) % (MVM_VCPUS_MAX + 1)); /* --vcpus' range, 0: none */
	*append_len = (size_t)fuzz_uint(in, 2);
	*initrd_name_len = (size_t)fuzz_uint(in, 2);
	*initrd_size = (size_t)fuzz_uint(in, 4);
	fuzz_uint(in, 2);
	o->load = fuzz_uint(in, 8);
	o->entry = fuzz_uint(in, 8);
	o->mem = fuzz_uint(in, 8);
	o->mode = which & 1 ? mode : -1;
	o->has_load = which & 2;
	o->has_entry = which & 4;
	o->has_mem = which & 8;
	o->vcpus = which & 16 ? vcpus : 0;
	o->has_irqchip = which & 32;
	o->irqchip = irqchip;
	if (!(which & 64))
		*append_len = SIZE_MAX;
	if (!(which & 128))
		*initrd_name_len = SIZE_MAX;
}

static char *text_of(size_t len)
{
	char *s;

	if (len == SIZE_MAX)
		return NULL;
	s = malloc(len + 1);
	if (!s)
		abort();
	memset(s, 'a', len);
	s[len] = '\0';
	return s;
}

static uint64_t low_ram(const struct payload *p)
{
	return p->mem_size < MVM_LOW_RAM_MAX ? p->mem_size : MVM_LOW_RAM_MAX;
}

static bool overlaps(uint64_t a, uint64_t a_end, uint64_t b, uint64_t b_end)
{
	return a < b_end && b < a_end;
}

/* What every accepted payload has: RAM, vCPUs and an irqchip minivmm can make. */
static void check_machine(const struct payload *p)
{
	FUZZ_CHECK(!(p->mem_size & (PAGE - 1)) && p->mem_size >= MVM_MIN_MEM_SIZE &&
			   p->mem_size <= MVM_MAX_MEM_SIZE,
		   "mem_size 0x%llx", (unsigned long long)p->mem_size);
	FUZZ_CHECK(p->vcpus >= 1 && p->vcpus <= MVM_VCPUS_MAX, "vcpus %u", p->vcpus);
	FUZZ_CHECK(p->irqchip >= 0 && p->irqchip < MVM_IRQCHIP_COUNT, "irqchip %d", p->irqchip);
	FUZZ_CHECK(p->vcpus == 1 || p->irqchip != MVM_IRQCHIP_NONE, "%u vCPUs without irqchip",
		   p->vcpus);
	FUZZ_CHECK(p->mode >= 0 && p->mode < MVM_MODE_COUNT, "mode %d", p->mode);
}

/* A flat image: vm_load_image() copies size bytes to load and builds its areas. */
static void check_flat(const struct payload *p)
{
	uint64_t end = p->load + p->size;

	FUZZ_CHECK(end >= p->load && end <= low_ram(p), "image [0x%llx, +0x%zx) past low RAM",
		   (unsigned long long)p->load, p->size);
	FUZZ_CHECK(p->entry >= p->load && p->entry < end, "entry 0x%llx outside the image",
		   (unsigned long long)p->entry);
	FUZZ_CHECK(p->mode != MVM_MODE_REAL || p->entry <= 0xffff, "real-mode entry 0x%llx",
		   (unsigned long long)p->entry);
	FUZZ_CHECK(p->mode == MVM_MODE_REAL ||
			   !overlaps(p->load, end, MVM_GDT_GPA, MVM_GDT_GPA + PAGE),
		   "image over the GDT");
	FUZZ_CHECK(p->mode < MVM_MODE_PAGING32 ||
			   !overlaps(p->load, end, MVM_PT_GPA, MVM_PT_GPA + MVM_PT_PAGES * PAGE),
		   "image over the page tables");
	FUZZ_CHECK(p->mode == MVM_MODE_REAL ||
			   !overlaps(p->load, end, MVM_STACK_TOP - MVM_STACK_SIZE, MVM_STACK_TOP),
		   "image over the initial stack");
	FUZZ_CHECK(p->mode != MVM_MODE_REAL ||
			   !overlaps(p->load, end, MVM_REAL_STACK_TOP - 0x6000, MVM_REAL_STACK_TOP),
		   "image over the real-mode stack");
	if (p->has_header) {
		struct mvm_header h;

		FUZZ_CHECK(p->size >= sizeof(h), "header in %zu bytes", p->size);
		memcpy(&h, p->data, sizeof(h));
		FUZZ_CHECK(h.magic == MVM_MAGIC && !(p->flags & ~MVM_FLAGS_KNOWN),
			   "header magic 0x%x flags 0x%x", h.magic, p->flags);
	}
}

/* The boot information mb_build_info() writes: its strings inside its area. */
static void check_info(const struct payload *p)
{
	uint8_t *area = malloc(MVM_MB_INFO_SIZE);
	struct mb_info info;
	uint64_t off;

	if (!area)
		abort();
	mb_build_info(area, &p->boot);
	memcpy(&info, area, sizeof(info));
	off = info.cmdline - p->boot.info_gpa;
	FUZZ_CHECK(info.cmdline >= p->boot.info_gpa && off < MVM_MB_INFO_SIZE &&
			   memchr(area + off, 0, MVM_MB_INFO_SIZE - off) &&
			   !strncmp((char *)area + off, p->name, strlen(p->name)),
		   "command line at 0x%x, the area at 0x%llx", info.cmdline,
		   (unsigned long long)p->boot.info_gpa);
	free(area);
}

/* A Multiboot kernel: vm_load_multiboot() copies each segment and the module. */
static void check_multiboot(const struct payload *p)
{
	const struct mb_kernel *k = &p->mb;
	const struct mb_boot *b = &p->boot;
	uint64_t low = low_ram(p), start = UINT64_MAX, end = 0, floor;
	bool entry_in = false;

	FUZZ_CHECK(p->mode == MVM_MODE_PROT32 && p->load == k->start && p->entry == k->entry,
		   "mode %d load 0x%llx entry 0x%llx", p->mode, (unsigned long long)p->load,
		   (unsigned long long)p->entry);
	FUZZ_CHECK(k->nseg >= 1 && k->nseg <= MB_SEGS_MAX, "%u segments", k->nseg);
	FUZZ_CHECK(b->info_gpa + MVM_MB_INFO_SIZE <= low &&
			   !overlaps(b->info_gpa, b->info_gpa + MVM_MB_INFO_SIZE, MVM_GDT_GPA,
				     MVM_GDT_GPA + PAGE),
		   "boot information at 0x%llx", (unsigned long long)b->info_gpa);
	for (unsigned i = 0; i < k->nseg; i++) {
		const struct mb_segment *s = &k->seg[i];
		uint64_t s_end = s->paddr + s->memsz;

		FUZZ_CHECK(s->offset + s->filesz <= p->size, "segment %u's bytes past the file", i);
		FUZZ_CHECK(s->filesz <= s->memsz && s->memsz > 0, "segment %u sizes", i);
		FUZZ_CHECK(s_end <= low, "segment %u [0x%llx, 0x%llx) past low RAM 0x%llx", i,
			   (unsigned long long)s->paddr, (unsigned long long)s_end,
			   (unsigned long long)low);
		FUZZ_CHECK(!overlaps(s->paddr, s_end, MVM_GDT_GPA, MVM_GDT_GPA + PAGE),
			   "segment %u over the GDT", i);
		FUZZ_CHECK(!overlaps(s->paddr, s_end, b->info_gpa, b->info_gpa + MVM_MB_INFO_SIZE),
			   "segment %u over the boot information", i);
		entry_in |= k->entry >= s->paddr && k->entry < s_end;
		start = s->paddr < start ? s->paddr : start;
		end = s_end > end ? s_end : end;
	}
	FUZZ_CHECK(k->start == start && k->end == end, "start/end 0x%llx 0x%llx",
		   (unsigned long long)k->start, (unsigned long long)k->end);
	FUZZ_CHECK(entry_in, "entry 0x%llx in no segment", (unsigned long long)k->entry);
	if (b->initrd_name) {
		floor = (end + PAGE - 1) & ~(PAGE - 1);
		FUZZ_CHECK(!(b->initrd_gpa & (PAGE - 1)) && b->initrd_gpa >= floor &&
				   b->initrd_gpa >= 0x100000 &&
				   b->initrd_gpa + b->initrd_size <= low,
			   "module [0x%llx, +0x%zx)", (unsigned long long)b->initrd_gpa,
			   b->initrd_size);
	}
	check_info(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct payload_overrides o = { 0 };
	size_t append_len, initrd_name_len, initrd_size, n;
	struct errbuf err = { "" };
	struct payload p;
	const uint8_t *file;
	char *append, *initrd_name;

	read_overrides(&in, &o, &append_len, &initrd_name_len, &initrd_size);
	file = fuzz_bytes(&in, in.left, &n);
	append = text_of(append_len);
	initrd_name = text_of(initrd_name_len);
	o.append = append;
	o.initrd = initrd_name;
	/* As payload_read() and payload_read_initrd() leave it. */
	memset(&p, 0, sizeof(p));
	p.name = "fuzz.bin";
	p.data = fuzz_dup(file, n, false);
	p.size = n;
	p.boot.initrd_size = initrd_name ? initrd_size : 0;
	if (payload_parse(&p, &o, &err)) {
		check_machine(&p);
		if (p.multiboot)
			check_multiboot(&p);
		else
			check_flat(&p);
	} else {
		FUZZ_CHECK(err.msg[0], "rejected without a message");
	}
	payload_hash(&p);
	payload_free(&p);
	free(append);
	free(initrd_name);
	return 0;
}
