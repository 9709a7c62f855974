/* SPDX-License-Identifier: MIT */
/* ktrace_render.h - kevent and kfunc records written straight from a sample into the trace. */
#ifndef MVM_KTRACE_RENDER_H
#define MVM_KTRACE_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "ktrace.h"
#include "record.h"
#include "symbols.h"

/*
 * A sample's record takes the generic path (ktrace_add_sample(), then
 * rec_encode()) only when it must. For the others every constant byte is
 * rendered once per event, when it opens: the record's kind and name,
 * each field's key with its punctuation. A sample then costs its values,
 * written between those bytes. The bytes are exactly rec_encode()'s for
 * the record ktrace_add_sample() builds (test_ktrace compares them).
 */

/* The most a record rendered here writes: the output's room. */
#define KTRACE_RENDER_MAX 4096

/* Renders e's constant parts for fmt and sets e->fast (false: the event's
 * records take the generic path). After ktrace_resolve_fields(). Pure. */
void ktrace_render_prepare(struct ktrace_event *e, enum rec_format fmt);

/* The beginning every record of vCPU vcpu with exit number seq has in fmt,
 * up to its kind: at most KTRACE_HEAD_MAX bytes. Pure. */
size_t ktrace_render_head(char *out, enum rec_format fmt, uint64_t seq, int vcpu);

/*
 * Renders a sample of e (raw, len bytes; ktime_ns from the run's start)
 * after head (head_len bytes of an array of KTRACE_HEAD_MAX) into out (KTRACE_RENDER_MAX bytes): its length, or 0 when the
 * record must take the generic path (e is not fast, the sample or a symbol
 * too long for the room). Code addresses are named from syms with *hint as
 * symtab_lookup() takes it.
 */
size_t ktrace_render(const struct ktrace_event *e, enum rec_format fmt, const char *head,
		     size_t head_len, int64_t ktime_ns, const uint8_t *raw, size_t len,
		     const struct symtab *syms, size_t *hint, char *out);

#endif /* MVM_KTRACE_RENDER_H */
