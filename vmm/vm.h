/* SPDX-License-Identifier: MIT */
/* vm.h - struct vm: the machine, its vCPUs and their threads, from creation to the end record. */
#ifndef MVM_VM_H
#define MVM_VM_H

#include <stdbool.h>

#include "contrib.h"
#include "machine.h"
#include "payload.h"
#include "run.h"
#include "stop.h"
#include "vcpu.h"

struct vm {
	struct machine m;
	struct vcpu *vcpu; /* m.nvcpus of them; vCPU 0 is the BSP */
	int nvcpus_made;
	struct contribs contribs;
	struct stopper stop;
	struct run_gate gate;
};

/* Before anything else: the run lock, and the stop signals blocked. */
void vm_init(struct vm *vm, const struct run_options *opt);
/* Creates the VM from a validated payload; err says why not (exit 3/77, or
 * 2 for an option only the host can check). */
int vm_create(struct vm *vm, const struct payload *p, struct errbuf *err);
void vm_destroy(struct vm *vm);
/* Runs every vCPU's thread until the run ends; returns minivmm's exit status. */
int vm_run(struct vm *vm);
/* The trace's first record: what runs and how it starts. */
void vm_record_header(struct vm *vm, const struct payload *p);
/* One "slot" record per memory slot, after the header. */
void vm_record_layout(struct vm *vm);
/* Ends the trace (end record, summary, flush) and returns the exit status;
 * also for runs that never started (m.log.end says why). */
int vm_finish(struct vm *vm);

#endif /* MVM_VM_H */
