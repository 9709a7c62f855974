/* SPDX-License-Identifier: MIT */
/* multiboot.c - owns Multiboot v1 kernels: header and ELF checks, layout, the boot information. */
#include "multiboot.h"

#include <elf.h>
#include <string.h>

#include "minivmm_abi.h"
#include "mvm_multiboot.h"

#define PAGE_SIZE 0x1000ULL
/* RAM from 0 the boot information calls conventional: 639 KiB, as on a PC
 * whose EBDA takes the last KiB below 640 KiB. */
#define MB_LOWER_END 0x9fc00ULL
#define MB_UPPER_GPA 0x100000ULL

/* Where the parts of the boot information go, as offsets in its area. */
#define MB_OFF_INFO	0x000
#define MB_OFF_MODULE	0x080
#define MB_OFF_MMAP	0x100
#define MB_MMAP_MAX	8
#define MB_OFF_LOADER	0x200
#define MB_OFF_STRS	0x240
#define MB_LOADER_NAME	"minivmm"
#define MB_INFO_ALT_GPA (MVM_STACK_TOP - MVM_STACK_SIZE - MVM_MB_INFO_SIZE)

bool mb_is_elf(const uint8_t *data, size_t size)
{
	return size >= SELFMAG && memcmp(data, ELFMAG, SELFMAG) == 0;
}

/* A file cut short (the header search then finds nothing) loses the
 * section headers an ELF32 keeps at its end first. */
static bool elf32_truncated(const uint8_t *data, size_t size)
{
	Elf32_Ehdr e;

	if (size < sizeof(e))
		return true;
	memcpy(&e, data, sizeof(e));
	return e.e_ident[EI_CLASS] == ELFCLASS32 &&
	       (uint64_t)e.e_shoff + (uint64_t)e.e_shnum * e.e_shentsize > size;
}

/* The first header in the first 8 KiB whose checksum holds. */
static bool find_header(const char *name, const uint8_t *data, size_t size, struct mb_kernel *k,
			struct errbuf *err)
{
	size_t limit = size < MB_SEARCH ? size : MB_SEARCH;
	bool bad_sum = false;

	for (size_t off = 0; off + sizeof(struct mb_header) <= limit; off += 4) {
		struct mb_header h;

		memcpy(&h, data + off, sizeof(h));
		if (h.magic != MB_HEADER_MAGIC)
			continue;
		if ((uint32_t)(h.magic + h.flags + h.checksum) != 0) {
			bad_sum = true;
			continue;
		}
		k->header_flags = h.flags;
		k->header_offset = (uint32_t)off;
		return true;
	}
	if (elf32_truncated(data, size))
		errbuf_set(err,
			   "%s: truncated ELF (%zu bytes): no Multiboot header in what there "
			   "is",
			   name, size);
	else if (bad_sum)
		errbuf_set(err,
			   "%s: Multiboot header checksum is wrong (magic + flags + checksum "
			   "must be 0)",
			   name);
	else
		errbuf_set(err,
			   "%s: ELF without a Multiboot header: minivmm boots Multiboot v1 "
			   "kernels or payloads",
			   name);
	return false;
}

static bool check_header_flags(const char *name, uint32_t flags, struct errbuf *err)
{
	uint32_t missing = flags & MB_HF_REQUIRED & ~MB_HF_PROVIDED;

	if (flags & MB_HF_AOUT_KLUDGE)
		errbuf_set(err,
			   "%s: Multiboot header flag 16 (load addresses in the header) is "
			   "not supported: minivmm loads the ELF program headers",
			   name);
	else if (missing)
		errbuf_set(err,
			   "%s: Multiboot header requires flags 0x%x that minivmm does not "
			   "provide (bit 2: a video mode)",
			   name, missing);
	else
		return true;
	return false;
}

static bool check_ehdr(const char *name, const Elf32_Ehdr *e, size_t size, struct errbuf *err)
{
	if (e->e_ident[EI_CLASS] != ELFCLASS32)
		errbuf_set(err, "%s: a Multiboot v1 kernel must be ELF32 (i386), not ELF class %u",
			   name, e->e_ident[EI_CLASS]);
	else if (e->e_ident[EI_DATA] != ELFDATA2LSB || e->e_ident[EI_VERSION] != EV_CURRENT)
		errbuf_set(err, "%s: ELF is not little-endian version 1", name);
	else if (e->e_type != ET_EXEC || e->e_machine != EM_386)
		errbuf_set(err, "%s: ELF type %u machine %u, wanted an i386 executable (2, 3)",
			   name, e->e_type, e->e_machine);
	else if (e->e_phentsize != sizeof(Elf32_Phdr) || e->e_phnum == 0)
		errbuf_set(err, "%s: ELF has %u program headers of %u bytes, wanted some of %zu",
			   name, e->e_phnum, e->e_phentsize, sizeof(Elf32_Phdr));
	else if ((uint64_t)e->e_phoff + (uint64_t)e->e_phnum * sizeof(Elf32_Phdr) > size)
		errbuf_set(err, "%s: truncated ELF: program headers end past the file's %zu bytes",
			   name, size);
	else
		return true;
	return false;
}

static bool add_segment(const char *name, const Elf32_Phdr *ph, size_t size, struct mb_kernel *k,
			struct errbuf *err)
{
	struct mb_segment *s = &k->seg[k->nseg];

	if (k->nseg == MB_SEGS_MAX)
		errbuf_set(err, "%s: more than %d PT_LOAD segments", name, MB_SEGS_MAX);
	else if ((uint64_t)ph->p_offset + ph->p_filesz > size)
		errbuf_set(err,
			   "%s: truncated ELF: segment at 0x%x needs file bytes up to 0x%llx, "
			   "the file has 0x%zx",
			   name, ph->p_paddr, (unsigned long long)ph->p_offset + ph->p_filesz,
			   size);
	else if (ph->p_filesz > ph->p_memsz)
		errbuf_set(err, "%s: segment at 0x%x has more file bytes (0x%x) than memory (0x%x)",
			   name, ph->p_paddr, ph->p_filesz, ph->p_memsz);
	else {
		*s = (struct mb_segment){ ph->p_paddr, ph->p_offset, ph->p_filesz, ph->p_memsz };
		if (!k->nseg++ || s->paddr < k->start)
			k->start = s->paddr;
		if (s->paddr + s->memsz > k->end)
			k->end = s->paddr + s->memsz;
		return true;
	}
	return false;
}

/* e_entry is virtual; the segment holding it says where it is loaded. */
static bool entry_paddr(const char *name, const Elf32_Ehdr *e, const Elf32_Phdr *ph,
			struct mb_kernel *k, struct errbuf *err)
{
	for (unsigned int i = 0; i < e->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && e->e_entry >= ph[i].p_vaddr &&
		    e->e_entry - ph[i].p_vaddr < ph[i].p_memsz) {
			k->entry = (uint64_t)e->e_entry - ph[i].p_vaddr + ph[i].p_paddr;
			return true;
		}
	}
	errbuf_set(err, "%s: ELF entry 0x%x is in no PT_LOAD segment", name, e->e_entry);
	return false;
}

bool mb_parse(const char *name, const uint8_t *data, size_t size, struct mb_kernel *k,
	      struct errbuf *err)
{
	Elf32_Ehdr e;
	Elf32_Phdr ph[64];

	memset(k, 0, sizeof(*k));
	if (!find_header(name, data, size, k, err) ||
	    !check_header_flags(name, k->header_flags, err))
		return false;
	if (size < sizeof(e)) {
		errbuf_set(err, "%s: truncated ELF: %zu bytes, the ELF32 header has %zu", name,
			   size, sizeof(e));
		return false;
	}
	memcpy(&e, data, sizeof(e));
	if (!check_ehdr(name, &e, size, err))
		return false;
	if (e.e_phnum > ARRAY_SIZE(ph)) {
		errbuf_set(err, "%s: %u program headers, minivmm reads at most %zu", name,
			   e.e_phnum, ARRAY_SIZE(ph));
		return false;
	}
	memcpy(ph, data + e.e_phoff, e.e_phnum * sizeof(ph[0]));
	for (unsigned int i = 0; i < e.e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_memsz &&
		    !add_segment(name, &ph[i], size, k, err))
			return false;
	if (!k->nseg) {
		errbuf_set(err, "%s: ELF has no PT_LOAD segment to load", name);
		return false;
	}
	return entry_paddr(name, &e, ph, k, err);
}

static uint64_t low_ram_end(uint64_t mem_size)
{
	return mem_size < MVM_LOW_RAM_MAX ? mem_size : MVM_LOW_RAM_MAX;
}

/* The GDT and TSS: what the VMM writes before the kernel runs, besides the boot information. */
static bool check_segment(const char *name, const struct mb_segment *s, uint64_t low,
			  struct errbuf *err)
{
	static const struct {
		uint64_t start, end;
		const char *what;
	} areas[] = {
		{ MVM_GDT_GPA, MVM_GDT_GPA + PAGE_SIZE, "GDT and TSS" },
	};
	uint64_t end = s->paddr + s->memsz;

	if (end > low) {
		errbuf_set(err,
			   "%s: segment [0x%llx, 0x%llx) is outside guest memory (0x%llx "
			   "bytes of low RAM)",
			   name, (unsigned long long)s->paddr, (unsigned long long)end,
			   (unsigned long long)low);
		return false;
	}
	for (size_t i = 0; i < ARRAY_SIZE(areas); i++) {
		if (s->paddr < areas[i].end && areas[i].start < end) {
			errbuf_set(err,
				   "%s: segment [0x%llx, 0x%llx) overlaps the %s the VMM "
				   "builds at [0x%llx, 0x%llx)",
				   name, (unsigned long long)s->paddr, (unsigned long long)end,
				   areas[i].what, (unsigned long long)areas[i].start,
				   (unsigned long long)areas[i].end);
			return false;
		}
	}
	return true;
}

static size_t strings_size(const struct mb_boot *b)
{
	size_t n = strlen(b->argv0) + 1;

	if (b->append)
		n += strlen(b->append) + 1;
	if (b->initrd_name)
		n += strlen(b->initrd_name) + 1;
	return n;
}

/*
 * MVM_MB_INFO_GPA, unless the kernel loads there (kvm-unit-tests' realmode
 * loads at 32 KiB): then MB_INFO_ALT_GPA, below the initial stack, which
 * 1 MiB of RAM always holds.
 */
static bool place_info(const char *name, const struct mb_kernel *k, struct mb_boot *b,
		       struct errbuf *err)
{
	static const uint64_t where[] = { MVM_MB_INFO_GPA, MB_INFO_ALT_GPA };

	for (size_t w = 0; w < ARRAY_SIZE(where); w++) {
		bool unused = true;

		for (unsigned int i = 0; i < k->nseg; i++)
			if (k->seg[i].paddr < where[w] + MVM_MB_INFO_SIZE &&
			    where[w] < k->seg[i].paddr + k->seg[i].memsz)
				unused = false;
		if (unused) {
			b->info_gpa = where[w];
			return true;
		}
	}
	errbuf_set(err,
		   "%s: the kernel loads over both places for the Multiboot information "
		   "([0x%llx, +0x%llx) and [0x%llx, +0x%llx))",
		   name, (unsigned long long)MVM_MB_INFO_GPA, (unsigned long long)MVM_MB_INFO_SIZE,
		   (unsigned long long)MB_INFO_ALT_GPA, (unsigned long long)MVM_MB_INFO_SIZE);
	return false;
}

bool mb_layout(const char *name, const struct mb_kernel *k, struct mb_boot *b, struct errbuf *err)
{
	uint64_t low = low_ram_end(b->mem_size);
	uint64_t floor = (k->end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);

	for (unsigned int i = 0; i < k->nseg; i++)
		if (!check_segment(name, &k->seg[i], low, err))
			return false;
	if (!place_info(name, k, b, err))
		return false;
	if (strings_size(b) > MVM_MB_INFO_SIZE - MB_OFF_STRS) {
		errbuf_set(err,
			   "%s: command line and module name take %zu bytes, the boot "
			   "information has room for %d",
			   name, strings_size(b), (int)(MVM_MB_INFO_SIZE - MB_OFF_STRS));
		return false;
	}
	if (!b->initrd_name)
		return true;
	/* At the top of low RAM: the kernel's allocator works up from its image's end. */
	if (floor < MB_UPPER_GPA)
		floor = MB_UPPER_GPA;
	if (b->initrd_size > low || ((low - b->initrd_size) & ~(PAGE_SIZE - 1)) < floor) {
		errbuf_set(err,
			   "--initrd %s (%zu bytes) does not fit in guest memory between the "
			   "kernel's end 0x%llx and the end of low RAM 0x%llx",
			   b->initrd_name, b->initrd_size, (unsigned long long)floor,
			   (unsigned long long)low);
		return false;
	}
	b->initrd_gpa = (low - b->initrd_size) & ~(PAGE_SIZE - 1);
	return true;
}

/* Appends s at *off in the area; returns its guest-physical address. */
static uint32_t put_string(uint8_t *area, uint64_t base, size_t *off, const char *s, const char *s2)
{
	uint32_t gpa = (uint32_t)(base + *off);
	size_t n = strlen(s);

	memcpy(area + *off, s, n);
	*off += n;
	if (s2) {
		area[(*off)++] = ' ';
		n = strlen(s2);
		memcpy(area + *off, s2, n);
		*off += n;
	}
	area[(*off)++] = '\0';
	return gpa;
}

static unsigned int put_mmap(struct mb_mmap_entry *e, uint64_t base, uint64_t len, uint32_t type)
{
	if (!len)
		return 0;
	*e = (struct mb_mmap_entry){ sizeof(*e) - 4, (uint32_t)base,	    (uint32_t)(base >> 32),
				     (uint32_t)len,  (uint32_t)(len >> 32), type };
	return 1;
}

/* RAM as the memory slots lay it out; the legacy hole below 1 MiB and
 * minivmm's test and ROM slots reserved, so that no kernel takes them for RAM. */
static unsigned int build_mmap(struct mb_mmap_entry *e, uint64_t mem_size)
{
	uint64_t low = low_ram_end(mem_size);
	unsigned int n = 0;

	n += put_mmap(&e[n], 0, MB_LOWER_END, MB_MMAP_RAM);
	n += put_mmap(&e[n], MB_LOWER_END, MB_UPPER_GPA - MB_LOWER_END, MB_MMAP_RESERVED);
	n += put_mmap(&e[n], MB_UPPER_GPA, low > MB_UPPER_GPA ? low - MB_UPPER_GPA : 0,
		      MB_MMAP_RAM);
	n += put_mmap(&e[n], MVM_TEST_SLOT_GPA, MVM_TEST_SLOT_SIZE, MB_MMAP_RESERVED);
	n += put_mmap(&e[n], MVM_ROM_SLOT_GPA, MVM_ROM_SLOT_SIZE, MB_MMAP_RESERVED);
	n += put_mmap(&e[n], MVM_HIGH_RAM_GPA, mem_size - low, MB_MMAP_RAM);
	return n;
}

void mb_build_info(uint8_t *area, const struct mb_boot *b)
{
	struct mb_mmap_entry mmap[MB_MMAP_MAX];
	struct mb_info info = { 0 };
	uint64_t low = low_ram_end(b->mem_size);
	size_t off = MB_OFF_STRS;
	unsigned int n = build_mmap(mmap, b->mem_size);

	memset(area, 0, MVM_MB_INFO_SIZE);
	info.flags = MB_INFO_MEM | MB_INFO_CMDLINE | MB_INFO_MMAP | MB_INFO_LOADER_NAME;
	info.mem_lower = (uint32_t)(MB_LOWER_END >> 10);
	info.mem_upper = (uint32_t)(low > MB_UPPER_GPA ? (low - MB_UPPER_GPA) >> 10 : 0);
	info.cmdline = put_string(area, b->info_gpa, &off, b->argv0, b->append);
	memcpy(area + MB_OFF_MMAP, mmap, n * sizeof(mmap[0]));
	info.mmap_addr = (uint32_t)(b->info_gpa + MB_OFF_MMAP);
	info.mmap_length = (uint32_t)(n * sizeof(mmap[0]));
	memcpy(area + MB_OFF_LOADER, MB_LOADER_NAME, sizeof(MB_LOADER_NAME));
	info.boot_loader_name = (uint32_t)(b->info_gpa + MB_OFF_LOADER);
	if (b->initrd_name) {
		struct mb_module mod = {
			.mod_start = (uint32_t)b->initrd_gpa,
			.mod_end = (uint32_t)(b->initrd_gpa + b->initrd_size),
			.string = put_string(area, b->info_gpa, &off, b->initrd_name, NULL),
		};

		memcpy(area + MB_OFF_MODULE, &mod, sizeof(mod));
		info.flags |= MB_INFO_MODS;
		info.mods_count = 1;
		info.mods_addr = (uint32_t)(b->info_gpa + MB_OFF_MODULE);
	}
	memcpy(area + MB_OFF_INFO, &info, sizeof(info));
}
