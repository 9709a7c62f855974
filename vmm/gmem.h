/* SPDX-License-Identifier: MIT */
/* gmem.h - guest-physical memory and the one checked accessor into it. */
#ifndef MVM_GMEM_H
#define MVM_GMEM_H

#include <stdbool.h>
#include <stdint.h>

#define GMEM_MAX_REGIONS 8

struct gmem_region {
	uint64_t gpa;
	uint64_t size;
	uint8_t *host;
};

struct gmem {
	struct gmem_region region[GMEM_MAX_REGIONS];
	int nregions;
	char last_error[160]; /* why the last GMEM_PTR failed */
	char last_where[64];  /* the caller's file:line; kept out of traces, which
				 must not change when the VMM's source does */
};

/* Adds a host mapping for [gpa, gpa+size); false if it overlaps or is full. */
bool gmem_add(struct gmem *gm, uint64_t gpa, uint64_t size, uint8_t *host);

/*
 * Host pointer for the guest-physical range [gpa, gpa+len), or NULL when the
 * range wraps, is empty, or is not wholly inside one RAM region. On NULL,
 * gm->last_error names the range and gm->last_where the caller. Every
 * host access to guest memory goes through this.
 */
#define GMEM_PTR(gm, gpa, len) gmem_ptr_at((gm), (gpa), (len), __FILE__, __LINE__)
void *gmem_ptr_at(struct gmem *gm, uint64_t gpa, uint64_t len, const char *file, int line);

/* True when [gpa, gpa+len) is wholly guest RAM (no diagnostics). */
bool gmem_is_ram(const struct gmem *gm, uint64_t gpa, uint64_t len);

#endif /* MVM_GMEM_H */
