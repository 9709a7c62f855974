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
