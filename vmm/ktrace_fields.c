/* SPDX-License-Identifier: MIT */
/* ktrace_fields.c - owns turning a tracepoint sample's raw fields into a kevent's or kfunc's values. */
#include "ktrace_fields.h"

#include <string.h>

#include "minivmm_abi.h"
#include "names.h"

int ktrace_find_field(const struct tp_format *f, const char *name)
{
	for (int i = 0; i < f->nfields; i++)
		if (strcmp(f->field[i].name, name) == 0)
			return i;
	return -1;
}

static const char *const mmio_types[] = { "unsatisfied_read", "read", "write" };
static const char *const insn_modes[] = {
	[0] = "real", [3] = "vm16", [1] = "prot16", [5] = "prot32", [9] = "prot64"
};

/* Names the extra meaning some events' numbers have. */
static void add_names(struct record *r, const struct ktrace_event *e, const uint8_t *raw,
		      size_t len)
{
	uint64_t isa, reason, v;

	if (e->isa_field >= 0 && e->reason_field >= 0 &&
	    tp_field_value(&e->fmt.field[e->isa_field], raw, len, &isa) &&
	    tp_field_value(&e->fmt.field[e->reason_field], raw, len, &reason)) {
		const char *n;

		/* Tracepoints keep SVM's exit code in 32 bits: VMEXIT_INVALID
		 * and VMEXIT_BUSY arrive as 0xffffffff and 0xfffffffe. */
		if (isa == 2 && reason >= 0xfffffff0 && reason <= 0xffffffff)
			reason |= 0xffffffff00000000ULL;
		n = isa == 1   ? vmx_exit_name(reason & 0xffff)
		    : isa == 2 ? svm_exit_name(reason)
			       : NULL;

		rec_word(r, "reason_name", n ? n : "unknown");
	}
	if (strcmp(e->fmt.name, "kvm_mmio") == 0 && e->fmt.nfields &&
	    tp_field_value(&e->fmt.field[0], raw, len, &v) && v < ARRAY_SIZE(mmio_types))
		rec_word(r, "mmio_type", mmio_types[v]);
	if (strcmp(e->fmt.name, "kvm_emulate_insn") == 0) {
		int fl = ktrace_find_field(&e->fmt, "flags");

		if (fl >= 0 && tp_field_value(&e->fmt.field[fl], raw, len, &v) &&
		    v < ARRAY_SIZE(insn_modes) && insn_modes[v])
			rec_word(r, "mode", insn_modes[v]);
	}
}

/* Keys every record or kevent has already (or may have: "sym" follows a
 * RIP): a tracepoint field of that name (kvm_mmio's "type", the avic
 * events' "vcpu") gets a "tp_" prefix, so no JSON object has a key twice. */
static const char *field_key(const struct tp_field *f)
{
	static const char *const taken[] = { "seq",   "vcpu",	  "type", "exit",
					     "event", "ktime_ns", "t_ns", "sym" };

	for (size_t i = 0; i < ARRAY_SIZE(taken); i++)
		if (strcmp(f->name, taken[i]) == 0)
			return f->key;
	return f->name;
}

/* guest_rip of kvm_exit, rip of kvm_entry and kvm_emulate_insn, nested_rip, ... */
static bool is_rip_field(const struct tp_field *f)
{
	size_t n = strlen(f->name);

	return strcmp(f->name, "rip") == 0 || (n > 4 && strcmp(f->name + n - 4, "_rip") == 0);
}

/* Arrays are bytes (an instruction is cut to its "len" field), data_loc
 * fields strings, signed fields decimal, RIPs code addresses, the rest hex. */
static void add_field(struct record *r, struct vcpu *vc, const struct ktrace_event *e,
		      const struct tp_field *f, const uint8_t *raw, size_t len)
{
	const char *key = field_key(f);
	uint64_t v;

	if (f->is_array && f->offset <= len && f->size <= len - f->offset) {
		int ln = strcmp(f->name, "insn") == 0 ? ktrace_find_field(&e->fmt, "len") : -1;
		uint64_t n = f->size;

		if (ln >= 0 && tp_field_value(&e->fmt.field[ln], raw, len, &v) && v < n)
			n = v;
		rec_bytes(r, key, raw + f->offset, n);
	} else if (f->is_data_loc && tp_field_value(f, raw, len, &v) &&
		   (v & 0xffff) + (v >> 16) <= len) {
		size_t n = (v >> 16) & 0xffff;
		const char *s = (const char *)raw + (v & 0xffff);

		rec_str(r, key, s, strnlen(s, n));
	} else if (tp_field_value(f, raw, len, &v)) {
		if (f->is_signed)
			rec_i64(r, key, (int64_t)v);
		else if (is_rip_field(f))
			vcpu_rec_rip(vc, r, key, v);
		else
			rec_hex(r, key, v);
	}
}

void ktrace_add_fields(struct record *r, struct vcpu *v, const struct ktrace_event *e,
		       const uint8_t *raw, size_t len)
{
	for (int f = 0; f < e->fmt.nfields; f++)
		/* A kprobe's own address differs with every boot (KASLR). */
		if (!e->kfunc || strcmp(e->fmt.field[f].name, "__probe_ip"))
			add_field(r, v, e, &e->fmt.field[f], raw, len);
	add_names(r, e, raw, len);
}
