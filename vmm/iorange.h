/* SPDX-License-Identifier: MIT */
/* iorange.h - the one registry of port-I/O and MMIO ranges that devices claim. */
#ifndef MVM_IORANGE_H
#define MVM_IORANGE_H

#include <stdbool.h>
#include <stdint.h>

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
	int n;
};

/* Adds a range; rejects an empty, wrapping or overlapping one (err says which). */
bool iorange_add(struct io_registry *reg, const struct io_range *r, struct errbuf *err);
/* The range wholly containing [addr, addr+len) in space, or NULL. */
const struct io_range *iorange_find(const struct io_registry *reg, enum io_space space,
				    uint64_t addr, uint32_t len);

#endif /* MVM_IORANGE_H */
