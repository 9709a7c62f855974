/* SPDX-License-Identifier: MIT */
/* runlog.h - the run's one record sink and end state, shared by every vCPU thread. */
#ifndef MVM_RUNLOG_H
#define MVM_RUNLOG_H

#include <linux/kvm.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lock.h"
#include "record.h"
#include "recorder.h"

/* What to do after an exit has been handled. */
enum run_action { RUN_CONTINUE, RUN_STOP };

/* Why a run ended: the last record of every trace says one of these. */
enum end_reason {
	END_NONE,
	END_EXIT,	    /* the guest's exit call */
	END_HLT,	    /* KVM_EXIT_HLT */
	END_SHUTDOWN,	    /* triple fault */
	END_FAIL_ENTRY,	    /* VM entry failed */
	END_INTERNAL_ERROR, /* KVM could not go on */
	END_SYSTEM_EVENT,   /* the guest asked for reset/shutdown/crash */
	END_TIMEOUT,	    /* --timeout */
	END_SIGNAL,	    /* SIGINT / SIGTERM */
	END_MAX_EXITS,	    /* --max-exits */
	END_HOST_ERROR,	    /* KVM_RUN or another host call failed */
	END_UNSUPPORTED,    /* this host cannot run the payload (skip) */
	END_DEBUG_EXIT,	    /* --machine pc: a write to isa-debug-exit (port 0xf4) */
	END_USAGE_ERROR,    /* an option found wrong only once the VM was being set up */
};

/* Sent to a vCPU thread to make KVM_RUN return (with immediate_exit set). */
#define STOP_KICK_SIGNAL SIGUSR1

/* A vCPU thread to stop when the run ends: its kvm_run and thread. */
struct kick_target {
	struct kvm_run *run;
	pthread_t thread;
	bool live;
};

/*
 * The run lock serializes everything minivmm does between two KVM_RUNs:
 * a vCPU thread holds it while it handles an exit, so the recorder,
 * devices, memory slots and the end state need no locks of their own.
 * Every function here expects the caller to hold it, or no vCPU thread
 * to be running (setup, the end).
 */
struct runlog {
	struct mvm_lock lock;
	struct recorder rec;
	FILE *echo; /* guest text besides the trace; NULL when the trace is stdout */
	enum end_reason end;
	int verdict;
	const char *end_detail;
	uint64_t end_code; /* END_DEBUG_EXIT: the value written; END_SIGNAL: the signal */
	char detail_buf[256];
	uint32_t reports_passed, reports_failed, guest_errors, unexpected_exceptions;
	uint64_t exits;	    /* KVM_RUN exits of all vCPUs */
	uint64_t max_exits; /* 0: no limit */
	struct kick_target *kick;
	int nkick;
};

void runlog_init(struct runlog *log);
void runlog_destroy(struct runlog *log);
void runlog_emit(struct runlog *log, struct record *r);
/* A trace that cannot be written ends the run: what follows would be lost. */
void runlog_trace_failed(struct runlog *log);
static inline void runlog_check_trace(struct runlog *log)
{
	if (__builtin_expect(recorder_errno(&log->rec) && !log->rec.err_reported, 0))
		runlog_trace_failed(log);
}

/* An IO or MMIO exit's entry: filled in between the two (recorder.h). */
static inline struct rent_access *runlog_access_begin(struct runlog *log)
{
	return recorder_access_slot(&log->rec);
}

static inline void runlog_access_end(struct runlog *log)
{
	recorder_access_done(&log->rec);
	runlog_check_trace(log);
}
/* A record encoded in place, at most max bytes: NULL when it cannot be
 * (--timing), and the caller emits it as a struct record (recorder.h). */
static inline char *runlog_text_begin(struct runlog *log, size_t max)
{
	return recorder_text_slot(&log->rec, max);
}

static inline void runlog_text_end(struct runlog *log, size_t n)
{
	recorder_text_done(&log->rec, n);
	runlog_check_trace(log);
}
/* Guest text on the console; a failed write ends the run as a host error. */
void runlog_echo(struct runlog *log, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes out the console and the trace so far; a failure ends the run as a
 * host error (before the end record, so that it can say so). */
void runlog_flush_output(struct runlog *log);
/* Ends the run (the first reason given wins) and kicks every other vCPU
 * thread out of KVM_RUN. */
enum run_action runlog_end(struct runlog *log, enum end_reason why, int verdict,
			   const char *detail);
/* The same, with the code the end carries (runlog.end_code). */
enum run_action runlog_end_code(struct runlog *log, enum end_reason why, int verdict,
				const char *detail, uint64_t code);
/* A host call failed: one "minivmm: ..." line on stderr (the first time),
 * and the run ends with host_error (exit 3), whatever ended it before;
 * nothing is recorded as data. */
enum run_action runlog_host_error(struct runlog *log, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline bool runlog_ended(struct runlog *log)
{
	return __atomic_load_n(&log->end, __ATOMIC_ACQUIRE) != END_NONE;
}
const char *end_reason_name(enum end_reason e);

#endif /* MVM_RUNLOG_H */
