/* SPDX-License-Identifier: MIT */
/*
 * mvm_multiboot.h - the Multiboot v1 structures minivmm reads (the kernel's
 * header) and writes (the boot information), as the Multiboot 0.6.96
 * specification lays them out. Compiled by the VMM and by the guest SDK's
 * test kernels; fixed-width fields without padding, pinned below.
 */
#ifndef MVM_MULTIBOOT_H
#define MVM_MULTIBOOT_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

/* The kernel's header: 4-byte aligned within the first MB_SEARCH bytes. */
#define MB_HEADER_MAGIC 0x1BADB002U
#define MB_SEARCH	8192
/* Header flags 0-15 are required (a loader that lacks one must refuse),
 * 16-31 optional. minivmm provides these two: */
#define MB_HF_PAGE_ALIGN  0x00000001U /* modules on 4 KiB boundaries */
#define MB_HF_MEMINFO	  0x00000002U /* mem_* fields in the boot information */
#define MB_HF_VIDEO	  0x00000004U /* a video mode: not provided */
#define MB_HF_AOUT_KLUDGE 0x00010000U /* load by the header's addresses: not provided */
#define MB_HF_PROVIDED	  (MB_HF_PAGE_ALIGN | MB_HF_MEMINFO)
#define MB_HF_REQUIRED	  0x0000ffffU

/* EAX at the kernel's entry. */
#define MB_BOOT_MAGIC 0x2BADB002U

/* Boot information flags: which fields are valid. */
#define MB_INFO_MEM	    0x00000001U /* mem_lower, mem_upper */
#define MB_INFO_CMDLINE	    0x00000004U
#define MB_INFO_MODS	    0x00000008U /* mods_count, mods_addr */
#define MB_INFO_MMAP	    0x00000040U /* mmap_length, mmap_addr */
#define MB_INFO_LOADER_NAME 0x00000200U

/* Memory map entry types. */
#define MB_MMAP_RAM	 1
#define MB_MMAP_RESERVED 2

#ifndef __ASSEMBLER__
struct mb_header {
	uint32_t magic; /* MB_HEADER_MAGIC */
	uint32_t flags;
	uint32_t checksum; /* magic + flags + checksum == 0 (mod 2^32) */
};

struct mb_info {
	uint32_t flags;	    /* MB_INFO_* */
	uint32_t mem_lower; /* KiB of RAM from 0, at most 640 */
	uint32_t mem_upper; /* KiB of RAM from 1 MiB up to the first hole */
	uint32_t boot_device;
	uint32_t cmdline; /* physical address of a NUL-terminated string */
	uint32_t mods_count;
	uint32_t mods_addr; /* physical address of mods_count struct mb_module */
	uint32_t syms[4];
	uint32_t mmap_length; /* bytes of struct mb_mmap_entry at mmap_addr */
	uint32_t mmap_addr;
	uint32_t drives_length;
	uint32_t drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
	uint32_t apm_table;
	uint32_t vbe_control_info;
	uint32_t vbe_mode_info;
	uint16_t vbe_mode;
	uint16_t vbe_interface_seg;
	uint16_t vbe_interface_off;
	uint16_t vbe_interface_len;
};

struct mb_module {
	uint32_t mod_start; /* first byte */
	uint32_t mod_end;   /* one past the last byte */
	uint32_t string;    /* physical address of its NUL-terminated name */
	uint32_t reserved;
};

/* size counts the bytes after itself (20): the next entry is at +size+4.
 * The 64-bit fields are halves so that nothing pads the 4-byte size. */
struct mb_mmap_entry {
	uint32_t size;
	uint32_t base_lo, base_hi;
	uint32_t len_lo, len_hi;
	uint32_t type; /* MB_MMAP_* */
};

_Static_assert(sizeof(struct mb_header) == 12, "mb_header");
_Static_assert(sizeof(struct mb_info) == 88, "mb_info");
_Static_assert(sizeof(struct mb_module) == 16, "mb_module");
_Static_assert(sizeof(struct mb_mmap_entry) == 24, "mb_mmap_entry");
#endif /* !__ASSEMBLER__ */

#endif /* MVM_MULTIBOOT_H */
