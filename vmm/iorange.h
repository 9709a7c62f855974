/* SPDX-License-Identifier: MIT */
/* iorange.h - the one registry of port-I/O and MMIO ranges that devices claim. */
#ifndef MVM_IORANGE_H
#define MVM_IORANGE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "runlog.h"
#include "util.h"

struct vcpu;

enum io_space { IO_PIO, IO_MMIO };

/* One access of one element: data is in the guest's byte order. */
struct io_access {
	uint64_t offset; /* from the range's base */
	uint8_t *data;
	uint32_t len;
	bool is_write;
};

/*
 * The value of an access of 1, 2, 4 or 8 bytes, and back: data is in the
 * guest's byte order, which on x86 is the host's.
 */
static inline uint64_t io_load(const uint8_t *data, uint32_t len)
{
	uint64_t v8;
	uint32_t v4;
	uint16_t v2;

	switch (len) {
	case 1:
		return data[0];
	case 2:
		memcpy(&v2, data, 2);
		return v2;
	case 4:
		memcpy(&v4, data, 4);
		return v4;
	case 8:
		memcpy(&v8, data, 8);
		return v8;
	}
	v8 = 0;
	for (uint32_t i = 0; i < len && i < 8; i++)
		v8 |= (uint64_t)data[i] << (8 * i);
	return v8;
}

static inline void io_store(uint8_t *data, uint32_t len, uint64_t v)
{
	for (uint32_t i = 0; i < len && i < 8; i++)
		data[i] = (uint8_t)(v >> (8 * i));
}

/* Devices act for the vCPU whose exit it is (under the run lock). */
typedef enum run_action (*io_handler_fn)(struct vcpu *v, void *dev, struct io_access *a);

struct io_range {
	enum io_space space;
	uint64_t base, size;
	const char *name;
	io_handler_fn handle;
	void *dev;
};

#define IORANGE_MAX 32

struct io_registry {
	struct io_range range[IORANGE_MAX];
	size_t name_len[IORANGE_MAX]; /* strlen of each range's name, for records */
	int n;
};

/* Adds a range; rejects an empty, wrapping or overlapping one, or a name that
 * is not one word (records show it bare), with err saying which. */
bool iorange_add(struct io_registry *reg, const struct io_range *r, struct errbuf *err);
/* The range wholly containing [addr, addr+len) in space, or NULL. */
const struct io_range *iorange_find(const struct io_registry *reg, enum io_space space,
				    uint64_t addr, uint32_t len);

/*
 * The same through a caller's hint, its last hit in space (NULL at first):
 * a vCPU mostly accesses one device again. Ranges never move or go.
 */
static inline const struct io_range *iorange_find_hint(const struct io_registry *reg,
						       const struct io_range **hint,
						       enum io_space space, uint64_t addr,
						       uint32_t len)
{
	const struct io_range *r = *hint;

	/* Unsigned: an addr below base wraps to a huge offset. */
	if (r && addr - r->base < r->size && (uint64_t)len - 1 < r->size - (addr - r->base))
		return r;
	r = iorange_find(reg, space, addr, len);
	if (r)
		*hint = r;
	return r;
}

/* The length of the name of range r, one of reg's. */
static inline size_t iorange_name_len(const struct io_registry *reg, const struct io_range *r)
{
	return reg->name_len[r - reg->range];
}

#endif /* MVM_IORANGE_H */
