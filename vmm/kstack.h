/* SPDX-License-Identifier: MIT */
/* kstack.h - --kstack: the kernel call chains of --kprobe hits, counted and named from kallsyms. */
#ifndef MVM_KSTACK_H
#define MVM_KSTACK_H

#include <stdbool.h>
#include <stdint.h>

#include "runlog.h"
#include "symbols.h"

#define KSTACK_DEPTH 24 /* frames kept of each chain, from the probed function up */
#define KSTACK_MAX   64 /* distinct chains kept per function; the rest are "other" */

struct kstack {
	uint64_t count;
	uint32_t depth;
	uint64_t ip[KSTACK_DEPTH];
};

/* One function's chains, most recent first seen first. */
struct kstacks {
	struct kstack s[KSTACK_MAX];
	int n;
	uint64_t other; /* hits whose chain did not fit in s[] */
};

/* Adds one of perf's call chains (nr entries, context markers included). */
void kstacks_add(struct kstacks *k, const uint64_t *ips, uint64_t nr);
/* Adds src's chains and counts to dst's (one vCPU thread's into the run's). */
void kstacks_merge(struct kstacks *dst, const struct kstacks *src);

/* Reads /proc/kallsyms (module suffixes dropped) into t; false with err. */
bool kallsyms_load(struct symtab *t, struct errbuf *err);

/* One kstack record per chain of func, most frequent first: count, depth and
 * the frames "f+0x1a <- g+0x3c <- ...", named from ksyms (hex where not);
 * numbered seq of vCPU vcpu (0 and REC_NO_VCPU: the run's, at the end). */
void kstacks_emit(const struct kstacks *k, const char *func, const struct symtab *ksyms,
		  struct runlog *log, uint64_t seq, int vcpu);

#endif /* MVM_KSTACK_H */
