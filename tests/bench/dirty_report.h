/* SPDX-License-Identifier: MIT */
/* dirty_report.h - dirty_bench's results: a row per slot size and mode, and their table. */
#ifndef MVM_DIRTY_REPORT_H
#define MVM_DIRTY_REPORT_H

#include <stdint.h>

#include "dirty.h"

#define MAX_ROUNDS 1024

struct samples {
	double v[MAX_ROUNDS]; /* sorted once the run is over */
	int n;
};

/* One slot size in one mode: the times of its checkpoints, in us. */
struct row {
	uint64_t gib;
	enum dirty_mode mode;
	struct samples full, bare;
	double ratio; /* of the medians */
};

/* Prints the rows' medians, spreads and ratios against issue 13's
 * targets, then a line per row saying whether it met its target. */
void dirty_report(struct row *rows, int n);

#endif /* MVM_DIRTY_REPORT_H */
