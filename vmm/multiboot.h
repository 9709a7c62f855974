/* SPDX-License-Identifier: MIT */
/* multiboot.h - Multiboot v1 ELF32 kernels: header and ELF checks, layout, boot information. */
#ifndef MVM_MULTIBOOT_LOADER_H
#define MVM_MULTIBOOT_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Guest RAM of a Multiboot kernel without --mem: QEMU's default, which
 * kvm-unit-tests is written against. */
#define MB_DEFAULT_MEM_SIZE (128ULL << 20)

/* More PT_LOAD segments than this are refused (kvm-unit-tests has two). */
#define MB_SEGS_MAX 16

struct mb_segment {
	uint64_t paddr;		/* where it goes: the physical address */
	uint64_t offset;	/* its bytes in the file */
	uint32_t filesz, memsz; /* memsz - filesz bytes of zeros follow (bss) */
};

struct mb_kernel {
	uint32_t header_flags;
	uint32_t header_offset; /* of the Multiboot header in the file */
	uint64_t entry;		/* physical */
	unsigned int nseg;
	struct mb_segment seg[MB_SEGS_MAX];
	uint64_t start, end; /* lowest and one past the highest loaded byte */
};

/* What the boot information says besides the kernel. */
struct mb_boot {
	const char *argv0;	 /* the kernel's file name, first word of cmdline */
	const char *append;	 /* --append, or NULL */
	const char *initrd_name; /* --initrd, or NULL: no module */
	size_t initrd_size;
	uint64_t mem_size;
	uint64_t initrd_gpa; /* mb_layout's choice: page-aligned, top of low RAM */
	uint64_t info_gpa;   /* mb_layout's choice: MVM_MB_INFO_GPA unless the kernel is there */
};

/* Whether the file starts with the ELF magic. */
bool mb_is_elf(const uint8_t *data, size_t size);
/* Finds and checks the Multiboot header and the ELF32 file: what loads where. Pure. */
bool mb_parse(const char *name, const uint8_t *data, size_t size, struct mb_kernel *k,
	      struct errbuf *err);
/* Checks the segments, module and strings against guest memory and the
 * areas the VMM writes; places the module. Pure. */
bool mb_layout(const char *name, const struct mb_kernel *k, struct mb_boot *b, struct errbuf *err);
/* Writes the boot information for b into area, the MVM_MB_INFO_SIZE bytes
 * at b->info_gpa (mb_layout must have accepted b). Pure. */
void mb_build_info(uint8_t *area, const struct mb_boot *b);

#endif /* MVM_MULTIBOOT_LOADER_H */
