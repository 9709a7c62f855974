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

/* Words with their lengths: one of them goes with every kvm_mmio and
 * kvm_emulate_insn sample, and rec_word would strlen it each time. */
struct word {
	const char *s;
	uint8_t len;
};
/* clang-format off */
#define WORD(w) { w, sizeof(w) - 1 }
static const struct word mmio_types[] = { WORD("unsatisfied_read"), WORD("read"), WORD("write") };
static const struct word insn_modes[] = {
	[0] = WORD("real"), [3] = WORD("vm16"), [1] = WORD("prot16"), [5] = WORD("prot32"),
	[9] = WORD("prot64")
};
/* clang-format on */

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
 * fields strings, signed fields decimal, RIPs code addresses, the rest hex;
 * a string whose offset and length do not fit is shown as the number. */
static void resolve_field(struct ktrace_field *p, const struct tp_format *fmt, int i)
{
	const struct tp_field *f = &fmt->field[i];

	p->key = field_key(f);
	p->klen = (uint8_t)strlen(p->key);
	p->field = (int8_t)i;
	p->cut = -1;
	p->number = f->is_signed ? KV_I64 : is_rip_field(f) ? KV_CODE : KV_HEX;
	if (f->is_array) {
		p->value = KV_BYTES;
		if (strcmp(f->name, "insn") == 0)
			p->cut = (int8_t)ktrace_find_field(fmt, "len");
	} else {
		p->value = f->is_data_loc ? KV_STR : p->number;
	}
}

void ktrace_resolve_fields(struct ktrace_event *e)
{
	const struct tp_format *f = &e->fmt;

	e->nplan = 0;
	for (int i = 0; i < f->nfields; i++)
		/* A kprobe's own address differs with every boot (KASLR). */
		if (!e->kfunc || strcmp(f->field[i].name, "__probe_ip"))
			resolve_field(&e->plan[e->nplan++], f, i);
	e->isa_field = e->reason_field = -1;
	if (!e->kfunc) {
		e->isa_field = ktrace_find_field(f, "isa");
		e->reason_field = ktrace_find_field(f, "exit_reason");
		if (e->reason_field < 0)
			e->reason_field = ktrace_find_field(f, "exit_code");
	}
	e->mmio_field = strcmp(f->name, "kvm_mmio") == 0 && f->nfields ? 0 : -1;
	e->mode_field = strcmp(f->name, "kvm_emulate_insn") == 0 ? ktrace_find_field(f, "flags")
								 : -1;
	e->kind = e->kfunc ? "kfunc" : "kevent";
	e->name_key = e->kfunc ? "func" : "event";
	e->name = e->kfunc ? e->kfunc : f->name;
	e->name_key_len = (uint8_t)strlen(e->name_key);
	e->name_len = (uint8_t)strnlen(e->name, UINT8_MAX);
}

/* rec_add (record.h) with the key's length known already: rec_add's own
 * strlen of a key that is no literal would run for every field of every
 * sample. The same rule when the record is full: the last field is reused. */
static struct rec_field *add(struct record *r, const char *key, uint8_t klen, enum rec_type t)
{
	struct rec_field *f = &r->f[r->n < REC_MAX_FIELDS ? r->n++ : REC_MAX_FIELDS - 1];

	f->key = key;
	f->klen = klen;
	f->type = t;
	return f;
}

static void add_span(struct record *r, const char *key, uint8_t klen, enum rec_type t,
		     const void *p, size_t len)
{
	struct rec_field *f = add(r, key, klen, t);

	f->p = p;
	f->len = len;
}

/* Whether e's field i (an index, or -1 for none) is in the sample, and its value. */
static bool value_of(const struct ktrace_event *e, int i, const uint8_t *raw, size_t len,
		     uint64_t *v)
{
	return i >= 0 && tp_field_value(&e->fmt.field[i], raw, len, v);
}

int ktrace_names(const struct ktrace_event *e, const uint8_t *raw, size_t len,
		 struct ktrace_name out[KTRACE_NAMES_MAX])
{
	uint64_t isa, reason, v;
	int n = 0;

	if (value_of(e, e->isa_field, raw, len, &isa) &&
	    value_of(e, e->reason_field, raw, len, &reason)) {
		const char *s;

		/* Tracepoints keep SVM's exit code in 32 bits: VMEXIT_INVALID
		 * and VMEXIT_BUSY arrive as 0xffffffff and 0xfffffffe. */
		if (isa == 2 && reason >= 0xfffffff0 && reason <= 0xffffffff)
			reason |= 0xffffffff00000000ULL;
		s = isa == 1   ? vmx_exit_name(reason & 0xffff)
		    : isa == 2 ? svm_exit_name(reason)
			       : NULL;
		if (!s)
			s = "unknown";
		out[n++] = (struct ktrace_name){ "reason_name", 11, s, strlen(s) };
	}
	if (value_of(e, e->mmio_field, raw, len, &v) && v < ARRAY_SIZE(mmio_types))
		out[n++] = (struct ktrace_name){ "mmio_type", 9, mmio_types[v].s,
						 mmio_types[v].len };
	if (value_of(e, e->mode_field, raw, len, &v) && v < ARRAY_SIZE(insn_modes) &&
	    insn_modes[v].s)
		out[n++] = (struct ktrace_name){ "mode", 4, insn_modes[v].s, insn_modes[v].len };
	return n;
}

/* Names the extra meaning some events' numbers have. */
static void add_names(struct record *r, const struct ktrace_event *e, const uint8_t *raw,
		      size_t len)
{
	struct ktrace_name nm[KTRACE_NAMES_MAX];
	int n = ktrace_names(e, raw, len, nm);

	for (int i = 0; i < n; i++)
		add_span(r, nm[i].key, nm[i].klen, RF_WORD, nm[i].s, nm[i].len);
}

static void add_number(struct record *r, struct vcpu *vc, const struct ktrace_field *p,
		       enum ktrace_value how, uint64_t v)
{
	if (how == KV_CODE) {
		struct rec_field *f = add(r, p->key, p->klen, RF_CODE);

		f->u = v;
		f->p = symtab_lookup(vc->m->syms, v, &vc->sym_hint);
	} else {
		add(r, p->key, p->klen, how == KV_I64 ? RF_I64 : RF_HEX)->u = v;
	}
}

static void add_field(struct record *r, struct vcpu *vc, const struct ktrace_event *e,
		      const struct ktrace_field *p, const uint8_t *raw, size_t len)
{
	const struct tp_field *f = &e->fmt.field[p->field];
	uint64_t v;

	if (p->value == KV_BYTES) {
		uint64_t n = f->size;

		if (f->offset > len || f->size > len - f->offset)
			return;
		if (value_of(e, p->cut, raw, len, &v) && v < n)
			n = v;
		add_span(r, p->key, p->klen, RF_BYTES, raw + f->offset, n);
	} else if (!tp_field_value(f, raw, len, &v)) {
		return;
	} else if (p->value == KV_STR && (v & 0xffff) + (v >> 16) <= len) {
		size_t n = (v >> 16) & 0xffff;
		const char *s = (const char *)raw + (v & 0xffff);

		add_span(r, p->key, p->klen, RF_STR, s, strnlen(s, n));
	} else {
		add_number(r, vc, p, p->number, v);
	}
}

void ktrace_add_sample(struct record *r, struct vcpu *v, const struct ktrace_event *e,
		       int64_t ktime_ns, const uint8_t *raw, size_t len)
{
	vcpu_rec_begin(v, r, e->kind);
	add_span(r, e->name_key, e->name_key_len, RF_WORD, e->name, e->name_len);
	rec_i64(r, "ktime_ns", ktime_ns);
	for (int i = 0; i < e->nplan; i++)
		add_field(r, v, e, &e->plan[i], raw, len);
	add_names(r, e, raw, len);
}
