/* SPDX-License-Identifier: MIT */
/* run.h - the one run loop, and the threads that run it, one per vCPU. */
#ifndef MVM_RUN_H
#define MVM_RUN_H

#include <pthread.h>
#include <stdbool.h>

#include "stop.h"
#include "vcpu.h"

enum { GATE_WAIT, GATE_GO, GATE_ABORT };

/* Where vCPU threads wait until the VM is ready (under the run lock). */
struct run_gate {
	int state;   /* GATE_*, a futex word (mvm_lock_wait_while) */
	int running; /* threads not finished yet */
	struct stopper *stop;
};

/* Starts v's thread, which waits at g; returns once v->tid is known. */
int run_start_thread(struct vcpu *v, struct run_gate *g, struct errbuf *err);
/* Lets every thread at g run the loop (go) or leave without running. */
void run_open_gate(struct runlog *log, struct run_gate *g, bool go);
/* KVM_RUN until the run ends, on v's own thread. */
void run_loop(struct vcpu *v);

#endif /* MVM_RUN_H */
