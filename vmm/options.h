/* SPDX-License-Identifier: MIT */
/* options.h - how a run was asked for: the options `minivmm run` parsed. */
#ifndef MVM_OPTIONS_H
#define MVM_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu_model.h"
#include "mem.h"
#include "record.h"

enum dirty_mode {
	DIRTY_BITMAP, /* KVM_GET_DIRTY_LOG, which also re-protects */
	DIRTY_CLEAR,  /* KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2: GET, then KVM_CLEAR_DIRTY_LOG */
	DIRTY_RING,   /* KVM_CAP_DIRTY_LOG_RING(_ACQ_REL), KVM_RESET_DIRTY_RINGS */
	DIRTY_MODE_COUNT,
};

#define DIRTY_RING_DEFAULT_BYTES 65536
#define DIRTY_RING_MIN_BYTES	 16384

struct run_options {
	const char *trace_path; /* NULL: standard output */
	enum rec_format format;
	bool timing;
	bool quiet;
	double timeout;	    /* seconds, 0: none */
	uint64_t max_exits; /* 0: none */
	enum mem_backing backing;
	enum dirty_mode dirty;
	uint32_t dirty_ring_bytes;
	bool stats;	    /* --stats */
	const char *ktrace; /* --ktrace: event list, NULL when off */
	const char *kprobe; /* --kprobe: "FUNC [ARGS],...", NULL when off */
	bool kstack;	    /* --kstack: the call chains of --kprobe's hits */
	bool kprobe_count;  /* --kprobe-count: kcount per exit, no kfunc per hit */
	bool ktrace_default; /* --ktrace without a list: KTRACE_DEFAULT_EVENTS (and more) */
	bool marker;	    /* --marker */
	bool nested_state;  /* --nested-state */
	/* --symbols FILE; NULL: PAYLOAD's .sym twin, if there is one. */
	const char *symbols;
	bool singlestep;    /* --singlestep[=N] */
	bool pc;	    /* --machine pc: the PC devices (dev_pc.c) */
	uint64_t singlestep_max; /* N: steps per vCPU before stepping stops; 0: no limit */
	bool no_pit;		 /* --no-pit: --irqchip kernel without the PIT */
	bool no_summary;	 /* no summary line after the run (minivmm qemu) */
	bool no_exit_records;	 /* --no-exit-records: exits handled and counted, not recorded */
	int progress;		 /* enum progress_mode: --progress, --no-progress */
	bool wait_attach;	 /* --wait-attach: stop before the first KVM_RUN */
	bool explain;		 /* --explain: each exit's summary after its text record */
	struct cpu_model cpu;	 /* --cpu: each vCPU's CPUID table */
};

#endif /* MVM_OPTIONS_H */
