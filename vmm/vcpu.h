/* SPDX-License-Identifier: MIT */
/* vcpu.h - struct vcpu: one vCPU's fd, kvm_run, thread, exit sequence and records. */
#ifndef MVM_VCPU_H
#define MVM_VCPU_H

#include <linux/kvm.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "compat.h"
#include "machine.h"
#include "payload.h"
#include "symbols.h"

#define CONTRIB_MAX 16

struct vcpu {
	int id; /* KVM vCPU id, also its APIC ID */
	int fd;
	struct kvm_run *run;
	size_t run_size;
	struct kvm_regs regs; /* KVM_GET_REGS cache when sync regs are absent */
	uint64_t seq;	      /* this vCPU's exits so far; its records carry it */
	uint64_t exit_count[MVM_KVM_EXIT_MAX + 1];
	struct machine *m;
	/* The thread that runs it. */
	pthread_t thread;
	bool thread_started;
	pid_t tid;
	sem_t ready;		    /* the thread has set tid */
	bool ended_run; /* this vCPU's own exit ended the run */
	bool kvm_ran;	/* KVM_RUN returned once: kvm_run's synced registers are valid */
	bool ran;	/* its thread ran the run loop */
	bool stepping; /* --singlestep: KVM_GUESTDBG_SINGLESTEP is on */
	uint64_t steps; /* step records so far */
	void *contrib[CONTRIB_MAX]; /* each trace contributor's per-vCPU state */
	size_t sym_hint;	    /* symtab_lookup()'s last hit for this vCPU */
	const struct io_range *io_hint[2]; /* iorange_find_hint(), per io_space */
};

/* Creates vCPU id: fd, kvm_run mapping, CPUID. */
int vcpu_create(struct vcpu *v, struct machine *m, int id, struct errbuf *err);
/* The BSP's start state for the payload's mode. */
int vcpu_init_state(struct vcpu *v, const struct payload *p, uint64_t cr3, struct errbuf *err);
void vcpu_destroy(struct vcpu *v);
/* Registers for the current exit: KVM's sync copy, else KVM_GET_REGS; NULL
 * after a failed KVM_GET_REGS, which has ended the run as a host error. */
const struct kvm_regs *vcpu_regs_get(struct vcpu *v);
static inline const struct kvm_regs *vcpu_regs(struct vcpu *v)
{
	/* Only a KVM_RUN fills kvm_run's copy: before the first, ask. */
	if (__builtin_expect(v->m->kvm.sync_regs && v->kvm_ran, 1))
		return &v->run->s.regs.regs;
	return vcpu_regs_get(v);
}
/* Records regs and sregs (after a shutdown, a failed entry, a stop). */
void vcpu_record_state(struct vcpu *v);

/* Records of this vCPU: its id and current exit number. */
static inline void vcpu_rec_begin(struct vcpu *v, struct record *r, const char *kind)
{
	rec_begin(r, v->seq, v->id, kind);
}

/* A guest RIP, with the payload's symbol that covers it when there is one. */
static inline void vcpu_rec_rip(struct vcpu *v, struct record *r, const char *key, uint64_t rip)
{
	rec_code(r, key, rip, symtab_lookup(v->m->syms, rip, &v->sym_hint));
}

static inline void vcpu_emit(struct vcpu *v, struct record *r)
{
	runlog_emit(&v->m->log, r);
}

/* Guest misbehaviour: a "guest_error" record; the verdict becomes fail. */
void vcpu_guest_error(struct vcpu *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif /* MVM_VCPU_H */
