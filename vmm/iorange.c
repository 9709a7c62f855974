/* SPDX-License-Identifier: MIT */
/* iorange.c - owns range registration and lookup for PIO and MMIO devices. */
#include "iorange.h"

#include <string.h>

static const char *const space_names[] = { [IO_PIO] = "port", [IO_MMIO] = "MMIO" };

bool iorange_add(struct io_registry *reg, const struct io_range *r, struct errbuf *err)
{
	uint64_t last;

	if (r->size == 0 || __builtin_add_overflow(r->base, r->size - 1, &last) ||
	    (r->space == IO_PIO && last > 0xffff)) {
		errbuf_set(err, "%s: bad %s range base 0x%llx size 0x%llx", r->name,
			   space_names[r->space], (unsigned long long)r->base,
			   (unsigned long long)r->size);
		return false;
	}
	if (!word_safe(r->name, strlen(r->name))) {
		errbuf_set(err, "device name \"%s\" is not one word", r->name);
		return false;
	}
	if (reg->n == IORANGE_MAX) {
		errbuf_set(err, "%s: too many I/O ranges (%d)", r->name, IORANGE_MAX);
		return false;
	}
	for (int i = 0; i < reg->n; i++) {
		const struct io_range *o = &reg->range[i];

		if (o->space == r->space && r->base <= o->base + (o->size - 1) && o->base <= last) {
			errbuf_set(err, "%s: %s range [0x%llx, 0x%llx] overlaps %s", r->name,
				   space_names[r->space], (unsigned long long)r->base,
				   (unsigned long long)last, o->name);
			return false;
		}
	}
	reg->name_len[reg->n] = strlen(r->name);
	reg->range[reg->n++] = *r;
	return true;
}

const struct io_range *iorange_find(const struct io_registry *reg, enum io_space space,
				    uint64_t addr, uint32_t len)
{
	uint64_t last;

	if (len == 0 || __builtin_add_overflow(addr, (uint64_t)len - 1, &last))
		return NULL;
	for (int i = 0; i < reg->n; i++) {
		const struct io_range *r = &reg->range[i];

		if (r->space == space && addr >= r->base && last - r->base < r->size)
			return r;
	}
	return NULL;
}
