/* SPDX-License-Identifier: MIT */
/* ktrace.h - kvm tracepoints of this run's vCPU thread, merged into the trace. */
#ifndef MVM_KTRACE_H
#define MVM_KTRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "khist.h"
#include "kprobe_args.h"
#include "kstack.h"
#include "tracefs.h"
#include "util.h"

#define KTRACE_EVENTS_MAX 24
/* Added to the default set when the VM has an irqchip: interrupt delivery. */
#define KTRACE_IRQ_EVENTS                                                                        \
	"kvm_apic_ipi,kvm_apic_accept_irq,kvm_inj_virq,kvm_eoi,kvm_apic,kvm_msr,"                \
	"kvm_pic_set_irq,kvm_ioapic_set_irq,kvm_msi_set_irq,kvm_apicv_accept_irq"
#define KTRACE_DEFAULT_EVENTS                                                               \
	"kvm_exit,kvm_entry,kvm_emulate_insn,kvm_page_fault,kvm_mmio,kvm_pio,"              \
	"kvm_userspace_exit,kvm_nested_vmenter,kvm_nested_vmexit,kvm_nested_vmexit_inject," \
	"kvm_inj_exception,kvmmmu:kvm_mmu_pagetable_walk"
/* Left out of the default set where KVM emulates every guest instruction
 * (kvm_pvm): there they fire once or more per instruction, not per exit. */
#define KTRACE_PER_INSN_EVENTS "kvm_emulate_insn,kvmmmu:kvm_mmu_pagetable_walk"

/* How one field of an event's samples becomes a record value: chosen once,
 * when the event is opened (ktrace_resolve_fields), not per sample. */
enum ktrace_value { KV_HEX, KV_I64, KV_CODE, KV_BYTES, KV_STR };

struct ktrace_field {
	const char *key; /* the field's name, or its "tp_" key when the name is taken */
	uint8_t klen;
	uint8_t value;	/* enum ktrace_value */
	uint8_t number; /* KV_STR whose offset and length do not fit: KV_HEX, _I64 or _CODE */
	int8_t field;	/* its index in fmt.field[] */
	int8_t cut;	/* KV_BYTES: the field that cuts it (insn's "len"), or -1 */
	/* What comes before its value in the run's format (ktrace_render.c):
	 * ' ' key '=' in text, ',"' key '":' in JSONL. */
	uint8_t kpre_len;
	char kpre[TP_NAME_MAX + 8];
};

/* Room for an event's rendered prefix: kind, name and the ktime_ns key;
 * for a record's seq and vCPU (up to 20 digits each). */
#define KTRACE_PRE_MAX	112
#define KTRACE_HEAD_MAX 56

/* An event this kernel has, as its format describes it. */
struct ktrace_event {
	struct tp_format fmt;
	uint64_t count;
	int isa_field, reason_field; /* kvm_exit-like events: indexes, or -1 */
	int mmio_field, mode_field;  /* kvm_mmio's type, kvm_emulate_insn's flags, or -1 */
	/* The values of its samples, in the format's order (ktrace_fields.c);
	 * keys point into fmt, so a resolved event is never copied. */
	struct ktrace_field plan[TP_FIELDS_MAX];
	int nplan;
	const char *kind, *name_key, *name; /* "kevent" "event" NAME, "kfunc" "func" FUNC */
	uint8_t name_key_len, name_len;
	const char *kfunc;	/* a --kprobe event: the function; else NULL */
	bool counted;		/* a --kprobe-count one: kcount records, no kfunc */
	struct kstacks *stacks; /* --kstack, a --kprobe event: the run's call chains */
	/* A --kprobe event's fetch arguments, counted by value: their fields,
	 * the flag words minivmm names them by (or NULL), the run's counts. */
	int hist_field[KPROBE_ARGS_MAX];
	const struct flag_name *hist_flags[KPROBE_ARGS_MAX];
	int nhist;
	struct khist *hist;
	/* Its records written straight into the trace (ktrace_render.c) when
	 * fast: pre is what follows the seq and vCPU, bound the most a sample
	 * writes besides six bytes per raw byte for each of its nvar strings
	 * and byte arrays. */
	bool fast;
	uint8_t pre_len;
	uint8_t nvar;
	uint32_t bound;
	char pre[KTRACE_PRE_MAX];
};

/* A kprobe event kprobe.c made for --kprobe: tracefs' events/SYS/EV, on FUNC. */
struct kprobe_event {
	char sys[32];
	char ev[TP_NAME_MAX];
	char func[TP_NAME_MAX];
	struct kprobe_arg args[KPROBE_ARGS_MAX]; /* its fetch arguments */
	int nargs;
};

/*
 * --ktrace is the ktrace_contrib row (contrib.h): for each name in the
 * comma-separated list ("kvm_exit" or "system:event") a perf tracepoint
 * event per vCPU thread, all of one thread's events writing into its one
 * ring, drained before each of its exits ("kevent" records) and counted
 * at the end ("ksummary"). Names this kernel lacks are recorded as
 * absent; none at all is an error. Each vCPU thread counts into its own
 * ktrace_vcpu; at_end, with every thread stopped, adds them into ev[].
 */
struct ktrace {
	struct ktrace_event ev[KTRACE_EVENTS_MAX];
	int nev;
	uint64_t lost;
	uint64_t full; /* drains that found a ring (nearly) full */
	uint64_t t0;   /* perf time of the run's start, for relative times */
	bool count_only; /* --kprobe-count: kcount records, no kfunc */
	struct symtab ksyms; /* --kstack: /proc/kallsyms, read once at the start */
};

/* One vCPU thread's events: their fds, ids and the ring they share. */
struct ktrace_vcpu {
	int fd[KTRACE_EVENTS_MAX];
	uint64_t perf_id[KTRACE_EVENTS_MAX]; /* PERF_EVENT_IOC_ID: what samples carry */
	int nfd;
	/* perf numbers one thread's events in a row: event i's id is id0 + i
	 * when ids_dense, so a sample's event is found without a search. */
	uint64_t id0;
	bool ids_dense;
	uint64_t npending; /* counted samples since the last ktrace_emit_pending */
	void *ring;	   /* the first event's mmap; the others write into it */
	size_t ring_size;
	/* This thread's counts, per event: hits, hits since its last exit
	 * (--kprobe-count), call chains (--kstack), argument values. */
	uint64_t count[KTRACE_EVENTS_MAX];
	uint64_t pending[KTRACE_EVENTS_MAX];
	struct kstacks *stacks[KTRACE_EVENTS_MAX];
	struct khist *hist[KTRACE_EVENTS_MAX];
	/* The seq and vCPU that begin this thread's records, as rendered for
	 * head_seq: an exit's kevents share them. head_len 0 until the first. */
	uint64_t head_seq;
	uint8_t head_len;
	char head[KTRACE_HEAD_MAX];
};

/* The default --ktrace list (KTRACE_DEFAULT_EVENTS, with an irqchip also
 * KTRACE_IRQ_EVENTS) in out, without KTRACE_PER_INSN_EVENTS when
 * emulates_all; false when n is too small. Pure. */
bool ktrace_default_list(char *out, size_t n, bool irqchip, bool emulates_all);
/* Copies n bytes from position pos of a perf ring's data area (size bytes,
 * a power of two, n <= size) to dst: one memcpy, two across the end. */
void ktrace_ring_copy(void *dst, const uint8_t *data, uint64_t size, uint64_t pos, size_t n);
/* The index of the event whose perf id is id, or -1. */
int ktrace_event_index(const struct ktrace_vcpu *kv, uint64_t id);

/* ktrace_counts.c: counting on the vCPU threads, summing and reporting at the end. */
struct vcpu;
struct machine;
void ktrace_count_sample(struct ktrace_vcpu *kv, int i, const struct ktrace_event *e,
			 const uint64_t *ips, uint64_t nr, const uint8_t *raw, size_t len);
void ktrace_emit_pending(struct ktrace *kt, struct ktrace_vcpu *kv, struct vcpu *v);
void ktrace_merge_counts(struct ktrace *kt, const struct ktrace_vcpu *kv);
void ktrace_emit_summary(struct ktrace *kt, struct machine *m);

#endif /* MVM_KTRACE_H */
