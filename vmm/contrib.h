/* SPDX-License-Identifier: MIT */
/* contrib.h - the trace contributors: devices and kernel views that add records to a run. */
#ifndef MVM_CONTRIB_H
#define MVM_CONTRIB_H

#include <stdbool.h>
#include <stdint.h>

#include "machine.h"
#include "vcpu.h"

/*
 * One row per contributor (contrib.c). Every hook may be NULL. Hooks run
 * under the run lock, or before or after the vCPU threads run. A new
 * contributor is one file that defines its ops plus one row.
 */
struct contrib_ops {
	const char *name;
	/* Whether this run has it; NULL: always. */
	bool (*wanted)(const struct machine *m);
	/* VM-wide set-up, before any vCPU exists; *state is the contributor's own. */
	int (*open)(struct machine *m, void **state, struct errbuf *err);
	/* Per vCPU, once it exists and its thread has started (v->tid); the
	 * contributor keeps what it needs in v->contrib[index]. */
	int (*open_vcpu)(void *state, struct vcpu *v, int index, struct errbuf *err);
	/* After each KVM_RUN exit of v, before its handler: what led to it. */
	void (*on_exit)(void *state, struct vcpu *v, int index);
	/* A checkpoint v's guest asked for, after its record. */
	void (*checkpoint)(void *state, struct vcpu *v, int index, uint64_t id);
	/* The end, before the end record; every vCPU thread has stopped. */
	void (*at_end)(void *state, struct machine *m, int index);
	/* After the end record and the exit summary. */
	void (*summary)(void *state, struct machine *m);
	void (*close_vcpu)(void *state, struct vcpu *v, int index);
	void (*close)(void *state, struct machine *m);
};

struct contribs {
	void *state[CONTRIB_MAX];
	bool on[CONTRIB_MAX];
	/* The rows with an on_exit hook that are on: the one hook of every exit. */
	unsigned char exit_row[CONTRIB_MAX];
	int nexit_rows;
	struct vcpu *vcpus; /* all of the VM's, for hooks that visit each */
	int nvcpus;
};

int contribs_open(struct contribs *c, struct machine *m, struct errbuf *err);
int contribs_open_vcpu(struct contribs *c, struct vcpu *v, struct errbuf *err);
void contribs_run_on_exit(struct contribs *c, struct vcpu *v);
/* The hooks of every exit, when some subsystem has one on. */
static inline void contribs_on_exit(struct contribs *c, struct vcpu *v)
{
	if (c->nexit_rows)
		contribs_run_on_exit(c, v);
}
void contribs_checkpoint(struct contribs *c, struct vcpu *v, uint64_t id);
void contribs_at_end(struct contribs *c, struct machine *m);
void contribs_summary(struct contribs *c, struct machine *m);
void contribs_close_vcpu(struct contribs *c, struct vcpu *v);
void contribs_close(struct contribs *c, struct machine *m);

#endif /* MVM_CONTRIB_H */
