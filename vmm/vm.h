/* SPDX-License-Identifier: MIT */
/* vm.h - struct vm and struct vcpu: the objects that own every fd and buffer. */
#ifndef MVM_VM_H
#define MVM_VM_H

#include <linux/kvm.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "dirty.h"
#include "gmem.h"
#include "iorange.h"
#include "ktrace.h"
#include "kvm.h"
#include "mem.h"
#include "nested.h"
#include "payload.h"
#include "record.h"
#include "recorder.h"
#include "stats.h"

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
};

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
	bool marker;	    /* --marker */
	bool nested_state;  /* --nested-state */
};

struct vcpu {
	int id;
	int fd;
	struct kvm_run *run;
	size_t run_size;
	struct kvm_regs regs; /* KVM_GET_REGS cache when sync regs are absent */
};

#define CONSOLE_LINE_MAX 256

struct console {
	uint8_t reg[8];
	char line[CONSOLE_LINE_MAX];
	size_t len;
};

struct testdev {
	uint64_t reg[6]; /* id, scratch, counter, irq, msi_addr, msi_data */
};

struct vm {
	struct kvm_sys kvm;
	int fd;
	struct mem mem;
	struct gmem gmem; /* the checked accessor's view of mem */
	struct dirty dirty;
	/* The kernel's view (--stats, --ktrace, --marker). */
	struct stats_set stats[2];
	int nstats;
	struct ktrace ktrace;
	int marker_fd;
	struct kvm_nested_state *nested_state; /* --nested-state buffer */
	uint32_t nested_state_size;
	struct vcpu vcpu;
	struct io_registry io;
	struct recorder rec;
	struct run_options opt;
	int mode;
	int irqchip; /* MVM_IRQCHIP_* */
	/* Devices. */
	struct console console;
	struct testdev testdev;
	/* Where guest text goes besides the trace; NULL when the trace is stdout. */
	FILE *echo;
	/* Run state. */
	uint64_t seq; /* number of the current exit */
	enum end_reason end;
	int verdict;
	const char *end_detail;
	uint32_t reports_passed, reports_failed, guest_errors, unexpected_exceptions;
};

/* Creates the VM from a validated payload; err says why not (exit 3/77). */
int vm_create(struct vm *vm, const struct payload *p, const struct run_options *opt,
	      struct errbuf *err);
void vm_destroy(struct vm *vm);
/* The one run loop (run.c); returns minivmm's exit status. */
int vm_run(struct vm *vm);
/* The trace's first record: what runs and how it starts. */
void vm_record_header(struct vm *vm, const struct payload *p);
/* Ends the trace (end record, summary, flush) and returns the exit status;
 * also for runs that never started (vm->end says why). */
int vm_finish(struct vm *vm);

/* Registers for the current exit: KVM's sync copy, else KVM_GET_REGS. */
const struct kvm_regs *vcpu_regs(struct vm *vm);
int vcpu_create(struct vm *vm, struct errbuf *err);
int vcpu_init_state(struct vm *vm, const struct payload *p, uint64_t cr3, struct errbuf *err);
void vcpu_destroy(struct vcpu *v);

/* Records derived from the current exit: start, fill, emit. */
void vm_rec_begin(struct vm *vm, struct record *r, const char *kind);
void vm_rec_emit(struct vm *vm, struct record *r);
/* Guest misbehaviour: a "guest_error" record; the verdict becomes fail. */
void vm_guest_error(struct vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Text for the user besides the trace (console, prints, reports). */
void vm_echo(struct vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Ends the run: the first reason given wins. */
enum run_action vm_end(struct vm *vm, enum end_reason why, int verdict, const char *detail);
/* A checkpoint the guest asked for: its record and what attaches to it. */
void vm_checkpoint(struct vm *vm, uint64_t id, const char *label, size_t label_len);
/* Records regs and sregs (after a shutdown, a failed entry, a timeout). */
void vm_record_state(struct vm *vm);

/* --marker (marker.c): a line in tracefs trace_marker; no-op when off. */
int marker_open(struct vm *vm, struct errbuf *err);
void vm_marker(struct vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void marker_close(struct vm *vm);

/* Devices register their ranges into vm->io (dev_*.c). */
bool console_register(struct vm *vm, struct errbuf *err);
void console_flush(struct vm *vm);
bool testdev_register(struct vm *vm, struct errbuf *err);
bool calls_register(struct vm *vm, struct errbuf *err);

#endif /* MVM_VM_H */
