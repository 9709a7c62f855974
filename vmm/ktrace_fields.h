/* SPDX-License-Identifier: MIT */
/* ktrace_fields.h - a tracepoint sample's fields as record values (ktrace.c's decoder). */
#ifndef MVM_KTRACE_FIELDS_H
#define MVM_KTRACE_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "ktrace.h"
#include "record.h"
#include "vcpu.h"

/* The index of field name in f, or -1. */
int ktrace_find_field(const struct tp_format *f, const char *name);

/*
 * Decides, once e->fmt is read and e->kfunc set, how each of e's fields
 * becomes a value (e->plan), which fields name what (isa, exit reason,
 * MMIO type, emulation mode) and e's record kind and name. Pure.
 */
void ktrace_resolve_fields(struct ktrace_event *e);

/* A word some of an event's numbers stand for: the exit reason's name of
 * kvm_exit-like events, kvm_mmio's type, kvm_emulate_insn's mode. */
struct ktrace_name {
	const char *key;
	uint8_t klen;
	const char *s; /* a word: letters, digits, '_' */
	size_t len;
};
#define KTRACE_NAMES_MAX 3

/* The names a sample of e carries, in the order its record shows them. */
int ktrace_names(const struct ktrace_event *e, const uint8_t *raw, size_t len,
		 struct ktrace_name out[KTRACE_NAMES_MAX]);

/*
 * Begins r as e's record of one sample (kevent, or kfunc for a --kprobe
 * event) with e's name and ktime_ns, then adds the fields of its raw data
 * (len bytes) as e->plan says: arrays as bytes, strings, signed decimals,
 * RIPs as code addresses, the rest hex; then the names the kernel's own
 * print format would show (exit reasons, MMIO types, emulation modes).
 */
void ktrace_add_sample(struct record *r, struct vcpu *v, const struct ktrace_event *e,
		       int64_t ktime_ns, const uint8_t *raw, size_t len);

#endif /* MVM_KTRACE_FIELDS_H */
