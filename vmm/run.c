/* SPDX-License-Identifier: MIT */
/* run.c - the one run loop: KVM_RUN, table dispatch on exit_reason, a vCPU thread's life. */
#include "run.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "contrib.h"
#include "dev_ioapic.h"
#include "dirty.h"
#include "exits.h"
#include "minivmm_abi.h"
#include "names.h"

static const exit_fn exit_table[MVM_KVM_EXIT_MAX] = {
	[KVM_EXIT_IO] = exit_io,
	[KVM_EXIT_MMIO] = exit_mmio,
	[KVM_EXIT_HLT] = exit_hlt,
	[KVM_EXIT_SHUTDOWN] = exit_shutdown,
	[KVM_EXIT_FAIL_ENTRY] = exit_fail_entry,
	[KVM_EXIT_INTERNAL_ERROR] = exit_internal_error,
	[KVM_EXIT_SYSTEM_EVENT] = exit_system_event,
	[KVM_EXIT_DIRTY_RING_FULL] = exit_dirty_ring_full,
	[KVM_EXIT_IOAPIC_EOI] = exit_ioapic_eoi,
	[KVM_EXIT_DEBUG] = exit_debug,
	[KVM_EXIT_IRQ_WINDOW_OPEN] = exit_irq_window_open,
	[KVM_EXIT_TPR_ACCESS] = exit_tpr_access,
};

enum run_action exit_hlt(struct vcpu *v)
{
	struct record r;

	exit_rec_begin(v, &r);
	vcpu_emit(v, &r);
	return runlog_end(&v->m->log, END_HLT, MVM_PASS, NULL);
}

enum run_action exit_unhandled(struct vcpu *v)
{
	struct record r;

	exit_rec_begin(v, &r);
	rec_word(&r, "handled", "no");
	vcpu_emit(v, &r);
	return RUN_CONTINUE;
}

/* One exit of v, under the run lock: count, what led to it, its handler. */
static void handle_exit(struct vcpu *v)
{
	struct runlog *log = &v->m->log;
	uint32_t reason = v->run->exit_reason;
	uint32_t slot = kvm_exit_name(reason) ? reason : MVM_KVM_EXIT_MAX;

	v->seq++;
	log->exits++;
	v->exit_count[slot]++;
	recorder_count_slot(&log->rec, slot);
	/* What the kernel did on the way here comes first in the trace. */
	contribs_on_exit(v->m->contribs, v);
	(reason < MVM_KVM_EXIT_MAX && exit_table[reason] ? exit_table[reason] : exit_unhandled)(v);
	if (!runlog_ended(log) && log->max_exits && log->exits >= log->max_exits)
		runlog_end(log, END_MAX_EXITS, MVM_FAIL, NULL);
	/* Under the run lock only this thread acts: if the run is over, this
	 * exit ended it, and its records say where v was. */
	v->ended_run = runlog_ended(log);
}

void run_loop(struct vcpu *v)
{
	struct runlog *log = &v->m->log;

	mvm_lock(&log->lock);
	while (!runlog_ended(log)) {
		int r;

		mvm_unlock(&log->lock);
		r = ioctl_raw(v->fd, KVM_RUN, NULL);
		mvm_lock(&log->lock);
		v->kvm_ran = true;
		/* A kick (the loop's top says whether the run is over), or an AP
		 * that INIT/SIPI just woke: KVM_RUN returns EAGAIN then. */
		if (r == -EINTR || r == -EAGAIN)
			continue;
		if (r < 0) {
			runlog_host_error(log, "KVM_RUN failed on vCPU %d: %s", v->id,
					  strerror(-r));
			break;
		}
		handle_exit(v);
	}
	v->ran = true;
	mvm_unlock(&log->lock);
}

struct thread_arg {
	struct vcpu *v;
	struct run_gate *g;
};

static void *vcpu_thread(void *p)
{
	struct thread_arg a = *(struct thread_arg *)p;
	struct runlog *log = &a.v->m->log;
	bool go;

	free(p);
	stop_vcpu_thread();
	a.v->tid = (pid_t)syscall(SYS_gettid);
	sem_post(&a.v->ready);
	mvm_lock(&log->lock);
	mvm_lock_wait_while(&log->lock, &a.g->state, GATE_WAIT);
	go = a.g->state == GATE_GO;
	mvm_unlock(&log->lock);
	if (go)
		run_loop(a.v);
	mvm_lock(&log->lock);
	if (--a.g->running == 0)
		stop_done(a.g->stop);
	mvm_unlock(&log->lock);
	return NULL;
}

int run_start_thread(struct vcpu *v, struct run_gate *g, struct errbuf *err)
{
	struct thread_arg *a = malloc(sizeof(*a));
	int e;

	if (!a) {
		errbuf_set(err, "out of memory");
		return MVM_STATUS_HOST;
	}
	*a = (struct thread_arg){ v, g };
	sem_init(&v->ready, 0, 0);
	mvm_lock(&v->m->log.lock);
	g->running++;
	mvm_unlock(&v->m->log.lock);
	e = pthread_create(&v->thread, NULL, vcpu_thread, a);
	if (e) {
		free(a);
		mvm_lock(&v->m->log.lock);
		g->running--;
		mvm_unlock(&v->m->log.lock);
		errbuf_set(err, "cannot start the thread of vCPU %d: %s", v->id, strerror(e));
		return MVM_STATUS_HOST;
	}
	v->thread_started = true;
	while (sem_wait(&v->ready) < 0 && errno == EINTR)
		;
	return 0;
}

void run_open_gate(struct runlog *log, struct run_gate *g, bool go)
{
	mvm_lock(&log->lock);
	__atomic_store_n(&g->state, go ? GATE_GO : GATE_ABORT, __ATOMIC_RELEASE);
	mvm_unlock(&log->lock);
	mvm_wake_all(&g->state);
}
