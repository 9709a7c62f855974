/* SPDX-License-Identifier: MIT */
/* replay.h - what a recorded trace says a rerun must do: its payload, options and read answers. */
#ifndef MVM_REPLAY_H
#define MVM_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* The data one PIO IN or MMIO read of exit seq received. */
struct replay_answer {
	uint64_t seq;
	uint64_t addr; /* port or gpa */
	uint32_t size, count;
	uint8_t *data; /* size * count bytes, in memory order */
};

struct replay {
	char payload[256]; /* the header's file name */
	uint64_t hash;
	char mode[16], backing[16], dirty[16], irqchip[16], machine[16];
	/* A Multiboot kernel's --append and --initrd (its file name) and --cpu; "" if none. */
	char append[1024], initrd[256], cpu[160];
	uint64_t load, entry, mem, exits;
	struct replay_answer *ans;
	size_t nans, cap;
	unsigned answered, mismatched;
};

/*
 * Reads trace (JSON Lines): the header's payload, hash and start values,
 * the end record's exit count, and the data of every IN and MMIO read.
 * False with one line in err for an unreadable trace, one without a hash
 * (recorded before replay), or one of several vCPUs (their interleaving
 * is not recorded).
 */
bool replay_load(struct replay *rp, const char *trace, struct errbuf *err);
void replay_free(struct replay *rp);

/*
 * Overwrites data (size * count bytes) with what the read of exit seq at
 * addr received when the trace was recorded; false, data untouched, when
 * the trace has no such read (the run has diverged: diff says where).
 */
bool replay_answer(struct replay *rp, uint64_t seq, uint64_t addr, uint8_t *data, uint32_t size,
		   uint32_t count);

#endif /* MVM_REPLAY_H */
