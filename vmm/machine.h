/* SPDX-License-Identifier: MIT */
/* machine.h - what a VM's parts share: its fd, KVM, memory, the device registry, the run log. */
#ifndef MVM_MACHINE_H
#define MVM_MACHINE_H

#include <stdbool.h>

#include "gmem.h"
#include "ioapic.h"
#include "iorange.h"
#include "kvm.h"
#include "mem.h"
#include "options.h"
#include "runlog.h"

struct replay;

struct dirty;
struct symtab;
struct contribs;

/*
 * The layer below vm.h: exit handlers, devices and trace contributors
 * reach the VM through this (from their vCPU's m), never through struct
 * vm, and record or end the run through m->log (runlog.h).
 */
struct kprobe_event;

struct machine {
	struct kvm_sys kvm;
	int fd; /* the VM fd */
	struct mem mem;
	struct gmem gmem; /* the checked accessor's view of mem */
	struct io_registry io;
	struct runlog log;
	struct run_options opt;
	int mode;    /* MVM_MODE_* the BSP starts in */
	int irqchip; /* MVM_IRQCHIP_* */
	struct ioapic ioapic; /* --irqchip split: the IOAPIC minivmm emulates */
	int nvcpus;
	bool pc; /* a PC-style boot (Multiboot kernel): the PC devices are there */
	struct dirty *dirty;	   /* dirty logging's state, for the guest's slot changes */
	struct contribs *contribs; /* the trace contributors, for checkpoints */
	/* The payload's symbols, to name RIPs with; NULL: none. */
	const struct symtab *syms;
	struct replay *replay;	   /* minivmm replay: the recorded reads, else NULL */
	/* --kprobe: the events kprobe.c made, for ktrace.c to attach; else NULL, 0. */
	struct kprobe_event *kprobes;
	int nkprobes;
};

#endif /* MVM_MACHINE_H */
