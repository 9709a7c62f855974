/* SPDX-License-Identifier: MIT */
/* ktrace.h - kvm tracepoints of this run's vCPU thread, merged into the trace. */
#ifndef MVM_KTRACE_H
#define MVM_KTRACE_H

#include <stdbool.h>
#include <stdint.h>

#include "tracefs.h"
#include "util.h"

struct vm;

#define KTRACE_EVENTS_MAX 24
#define KTRACE_DEFAULT_EVENTS                                                                    \
	"kvm_exit,kvm_entry,kvm_emulate_insn,kvm_page_fault,kvm_mmio,kvm_pio,"                   \
	"kvm_userspace_exit,kvm_nested_vmenter,kvm_nested_vmexit,kvm_nested_vmexit_inject,"      \
	"kvm_inj_exception,kvmmmu:kvm_mmu_pagetable_walk"

struct ktrace_event {
	struct tp_format fmt;
	int fd;
	uint64_t perf_id; /* PERF_EVENT_IOC_ID: what samples carry */
	uint64_t count;
	int isa_field, reason_field; /* kvm_exit-like events: indexes, or -1 */
};

struct ktrace {
	struct ktrace_event ev[KTRACE_EVENTS_MAX];
	int nev;
	void *ring; /* the first event's mmap; the others write into it */
	size_t ring_size;
	uint64_t lost;
	uint64_t full; /* drains that found the ring (nearly) full */
	uint64_t t0; /* perf time of the run's start, for relative times */
};

/*
 * Opens a perf tracepoint event for each name in the comma-separated list
 * ("kvm_exit" or "system:event"), for the calling thread only (the vCPU
 * thread), all writing into one ring buffer. Names this kernel lacks are
 * recorded as absent; none at all is an error.
 */
int ktrace_open(struct vm *vm, const char *events, struct errbuf *err);
/* Moves every event recorded so far into the trace ("kevent" records). */
void ktrace_drain(struct vm *vm);
/* One "ksummary" record per event: how many were seen. */
void ktrace_summary(struct vm *vm);
void ktrace_close(struct vm *vm);

#endif /* MVM_KTRACE_H */
