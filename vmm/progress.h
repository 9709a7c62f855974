/* SPDX-License-Identifier: MIT */
/* progress.h - the live status line a long run shows on a terminal's stderr. */
#ifndef MVM_PROGRESS_H
#define MVM_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compat.h"

struct runlog;

enum progress_mode {
	PROGRESS_AUTO, /* on a terminal, after a second, unless --quiet */
	PROGRESS_ON,   /* --progress: on a terminal, from the start, also with --quiet */
	PROGRESS_OFF,  /* --no-progress */
};

/*
 * Drawn by the thread that waits for the run (stop_wait), from the run's
 * counts read under the run lock, never into the trace; a console line
 * or an error line erases it first (mvm_tty_line_clear), and the next
 * tick draws it again. Erased when the run ends.
 */
struct progress {
	bool on;
	int width; /* the terminal's columns */
	double start, delay, last_t;
	uint64_t last_exits;
	struct runlog *log;
};

/* Decides whether p is shown (stderr a terminal, mode, quiet) and starts its clock. */
void progress_start(struct progress *p, enum progress_mode mode, bool quiet, struct runlog *log);
/* Draws the line again if it is due: from the waiting thread, every tick. */
void progress_tick(void *p);
/* Erases the line if it is shown. */
void progress_end(struct progress *p);

/*
 * The line (no newline) for elapsed seconds, exits so far, exits per
 * second and the exits per reason (MVM_KVM_EXIT_MAX + 1 counts, the last
 * the unnamed ones), at most width - 1 characters: elapsed, exits, rate
 * and the three most frequent reasons. Returns its length. Pure.
 */
size_t progress_line(char *out, size_t cap, double elapsed, uint64_t exits, double rate,
		     const uint64_t *counts, int width);

#endif /* MVM_PROGRESS_H */
