/* SPDX-License-Identifier: MIT */
/* payload.h - a payload file: reading it, its header, and where it goes. */
#ifndef MVM_PAYLOAD_H
#define MVM_PAYLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "multiboot.h"
#include "util.h"

/* The most vCPUs minivmm asks for; KVM_CAP_MAX_VCPUS may allow fewer. */
#define MVM_VCPUS_MAX 1024

/* Command-line values that override the header (has_* says which). */
struct payload_overrides {
	int mode; /* -1: none */
	bool has_load, has_entry, has_mem, has_irqchip;
	int irqchip;
	uint64_t load, entry, mem;
	uint32_t vcpus; /* 0: none */
	const char *append; /* --append: Multiboot kernels only */
	const char *initrd; /* --initrd FILE: Multiboot kernels only */
};

struct payload {
	const char *name; /* the path, for messages */
	uint8_t *data;
	size_t size;
	bool has_header;
	uint32_t flags; /* MVM_FLAG_* from the header */
	uint32_t vcpus; /* from the header, at least 1 */
	int irqchip;	/* MVM_IRQCHIP_* from the header */
	int mode;
	uint64_t load, entry, mem_size;
	/* An ELF32 Multiboot v1 kernel: mb says what loads where, boot what
	 * the boot information says; load is its lowest segment. */
	bool multiboot;
	struct mb_kernel mb;
	struct mb_boot boot;
	uint8_t *initrd; /* --initrd's bytes (boot.initrd_size of them) */
	/* What the header itself said, before any option overrode it. */
	struct {
		int mode;
		uint64_t load, entry, mem_size;
		uint32_t vcpus;
		int irqchip;
	} hdr;
};

/* Reads a whole file; err names the file and the problem. */
bool payload_read(const char *path, struct payload *p, struct errbuf *err);
/* Reads --initrd FILE into p (after payload_read), for payload_parse to place. */
bool payload_read_initrd(const char *path, struct payload *p, struct errbuf *err);
/*
 * Validates the header (if any) and the resolved layout against guest
 * memory and the areas the VMM builds; fills mode/load/entry/mem_size.
 * Pure: no file or KVM access, so unit tests feed it byte arrays.
 */
bool payload_parse(struct payload *p, const struct payload_overrides *o, struct errbuf *err);
void payload_free(struct payload *p);

#define PAYLOAD_NOTES_MAX 6
#define PAYLOAD_NOTE_LEN  128
/*
 * After payload_parse(): for each header field an option set to another
 * value than the header's (--mode, --load, --entry, --mem, --vcpus,
 * --irqchip), a note naming both ("--mode prot32 overrides the payload
 * header's mode long"). Returns how many. None for a file without a
 * header. Pure.
 */
int payload_override_notes(const struct payload *p, const struct payload_overrides *o,
			   char notes[PAYLOAD_NOTES_MAX][PAYLOAD_NOTE_LEN]);
/* FNV-1a (64-bit) of the file's bytes: the trace header's "hash", which
 * replay checks to refuse a changed payload (a check, not a defence). */
uint64_t payload_hash(const struct payload *p);

#endif /* MVM_PAYLOAD_H */
