/* SPDX-License-Identifier: MIT */
/* gmem.c - owns the map from guest-physical ranges to host memory. */
#include "gmem.h"

#include <stdio.h>
#include <string.h>

static const struct gmem_region *gmem_find(const struct gmem *gm, uint64_t gpa, uint64_t len)
{
	uint64_t last;

	if (len == 0 || __builtin_add_overflow(gpa, len - 1, &last))
		return NULL;
	for (int i = 0; i < gm->nregions; i++) {
		const struct gmem_region *r = &gm->region[i];

		if (gpa >= r->gpa && last - r->gpa < r->size && gpa - r->gpa < r->size)
			return r;
	}
	return NULL;
}

bool gmem_add(struct gmem *gm, uint64_t gpa, uint64_t size, uint8_t *host)
{
	uint64_t last;

	if (gm->nregions == GMEM_MAX_REGIONS || size == 0 ||
	    __builtin_add_overflow(gpa, size - 1, &last))
		return false;
	for (int i = 0; i < gm->nregions; i++) {
		const struct gmem_region *r = &gm->region[i];

		if (gpa <= r->gpa + (r->size - 1) && r->gpa <= last)
			return false;
	}
	gm->region[gm->nregions++] = (struct gmem_region){ gpa, size, host };
	return true;
}

bool gmem_is_ram(const struct gmem *gm, uint64_t gpa, uint64_t len)
{
	return gmem_find(gm, gpa, len) != NULL;
}

void *gmem_ptr_at(struct gmem *gm, uint64_t gpa, uint64_t len, const char *file, int line)
{
	const struct gmem_region *r = gmem_find(gm, gpa, len);
	const char *base = strrchr(file, '/');

	if (r)
		return r->host + (gpa - r->gpa);
	snprintf(gm->last_error, sizeof(gm->last_error),
		 "guest range gpa=0x%llx len=0x%llx is not guest RAM", (unsigned long long)gpa,
		 (unsigned long long)len);
	snprintf(gm->last_where, sizeof(gm->last_where), "%s:%d", base ? base + 1 : file, line);
	return NULL;
}
