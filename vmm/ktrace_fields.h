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
 * Adds the fields of e's sample raw (len bytes) to r: arrays as bytes,
 * strings, signed decimals, RIPs as code addresses, the rest hex; then the
 * names the kernel's own print format would show (exit reasons, MMIO
 * types, emulation modes). A kprobe's own address is left out.
 */
void ktrace_add_fields(struct record *r, struct vcpu *v, const struct ktrace_event *e,
		       const uint8_t *raw, size_t len);

#endif /* MVM_KTRACE_FIELDS_H */
