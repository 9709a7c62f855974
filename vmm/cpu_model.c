/* SPDX-License-Identifier: MIT */
/* cpu_model.c - owns --cpu: the feature names, the qemu64 leaves, and each vCPU's CPUID table. */
#include "cpu_model.h"

#include <stdio.h>
#include <string.h>

#include "cpu_x86.h" /* cpuid_find() */

enum reg { EAX, EBX, ECX, EDX };

struct feature {
	const char *name;
	uint32_t leaf;
	uint8_t sub, reg, bit;
};

/* QEMU's names, so that KUT's -cpu strings read the same here. */
static const struct feature features[] = {
	{ "fpu", 1, 0, EDX, 0 },
	{ "vme", 1, 0, EDX, 1 },
	{ "de", 1, 0, EDX, 2 },
	{ "pse", 1, 0, EDX, 3 },
	{ "tsc", 1, 0, EDX, 4 },
	{ "msr", 1, 0, EDX, 5 },
	{ "pae", 1, 0, EDX, 6 },
	{ "mce", 1, 0, EDX, 7 },
	{ "cx8", 1, 0, EDX, 8 },
	{ "apic", 1, 0, EDX, 9 },
	{ "sep", 1, 0, EDX, 11 },
	{ "mtrr", 1, 0, EDX, 12 },
	{ "pge", 1, 0, EDX, 13 },
	{ "mca", 1, 0, EDX, 14 },
	{ "cmov", 1, 0, EDX, 15 },
	{ "pat", 1, 0, EDX, 16 },
	{ "pse36", 1, 0, EDX, 17 },
	{ "clflush", 1, 0, EDX, 19 },
	{ "mmx", 1, 0, EDX, 23 },
	{ "fxsr", 1, 0, EDX, 24 },
	{ "sse", 1, 0, EDX, 25 },
	{ "sse2", 1, 0, EDX, 26 },
	{ "ht", 1, 0, EDX, 28 },
	{ "pni", 1, 0, ECX, 0 },
	{ "sse3", 1, 0, ECX, 0 },
	{ "pclmulqdq", 1, 0, ECX, 1 },
	{ "monitor", 1, 0, ECX, 3 },
	{ "vmx", 1, 0, ECX, 5 },
	{ "ssse3", 1, 0, ECX, 9 },
	{ "fma", 1, 0, ECX, 12 },
	{ "cx16", 1, 0, ECX, 13 },
	{ "pdcm", 1, 0, ECX, 15 },
	{ "pcid", 1, 0, ECX, 17 },
	{ "sse4.1", 1, 0, ECX, 19 },
	{ "sse4.2", 1, 0, ECX, 20 },
	{ "x2apic", 1, 0, ECX, 21 },
	{ "movbe", 1, 0, ECX, 22 },
	{ "popcnt", 1, 0, ECX, 23 },
	{ "tsc-deadline", 1, 0, ECX, 24 },
	{ "aes", 1, 0, ECX, 25 },
	{ "xsave", 1, 0, ECX, 26 },
	{ "avx", 1, 0, ECX, 28 },
	{ "f16c", 1, 0, ECX, 29 },
	{ "rdrand", 1, 0, ECX, 30 },
	{ "hypervisor", 1, 0, ECX, 31 },
	{ "fsgsbase", 7, 0, EBX, 0 },
	{ "tsc-adjust", 7, 0, EBX, 1 },
	{ "bmi1", 7, 0, EBX, 3 },
	{ "hle", 7, 0, EBX, 4 },
	{ "avx2", 7, 0, EBX, 5 },
	{ "smep", 7, 0, EBX, 7 },
	{ "bmi2", 7, 0, EBX, 8 },
	{ "erms", 7, 0, EBX, 9 },
	{ "invpcid", 7, 0, EBX, 10 },
	{ "rtm", 7, 0, EBX, 11 },
	{ "mpx", 7, 0, EBX, 14 },
	{ "avx512f", 7, 0, EBX, 16 },
	{ "rdseed", 7, 0, EBX, 18 },
	{ "adx", 7, 0, EBX, 19 },
	{ "smap", 7, 0, EBX, 20 },
	{ "clflushopt", 7, 0, EBX, 23 },
	{ "clwb", 7, 0, EBX, 24 },
	{ "sha-ni", 7, 0, EBX, 29 },
	{ "umip", 7, 0, ECX, 2 },
	{ "pku", 7, 0, ECX, 3 },
	{ "waitpkg", 7, 0, ECX, 5 },
	{ "la57", 7, 0, ECX, 16 },
	{ "rdpid", 7, 0, ECX, 22 },
	{ "spec-ctrl", 7, 0, EDX, 26 },
	{ "arch-capabilities", 7, 0, EDX, 29 },
	{ "ssbd", 7, 0, EDX, 31 },
	{ "lahf-lm", 0x80000001, 0, ECX, 0 },
	{ "cmp-legacy", 0x80000001, 0, ECX, 1 },
	{ "svm", 0x80000001, 0, ECX, 2 },
	{ "abm", 0x80000001, 0, ECX, 5 },
	{ "sse4a", 0x80000001, 0, ECX, 6 },
	{ "misalignsse", 0x80000001, 0, ECX, 7 },
	{ "3dnowprefetch", 0x80000001, 0, ECX, 8 },
	{ "skinit", 0x80000001, 0, ECX, 12 },
	{ "syscall", 0x80000001, 0, EDX, 11 },
	{ "nx", 0x80000001, 0, EDX, 20 },
	{ "mmxext", 0x80000001, 0, EDX, 22 },
	{ "pdpe1gb", 0x80000001, 0, EDX, 26 },
	{ "rdtscp", 0x80000001, 0, EDX, 27 },
	{ "lm", 0x80000001, 0, EDX, 29 },
	{ "npt", 0x8000000a, 0, EDX, 0 },
	{ "nrip-save", 0x8000000a, 0, EDX, 3 },
};

#define NFEATURES (sizeof(features) / sizeof(features[0]))

const char *cpu_feature_name(unsigned i)
{
	return i < NFEATURES ? features[i].name : NULL;
}

static int feature_find(const char *name, size_t len)
{
	for (unsigned i = 0; i < NFEATURES; i++)
		if (strlen(features[i].name) == len && !memcmp(features[i].name, name, len))
			return (int)i;
	/* QEMU also accepts '_' for '-' and "sse4_1" for "sse4.1". */
	for (unsigned i = 0; i < NFEATURES; i++) {
		const char *f = features[i].name;
		size_t k;

		if (strlen(f) != len)
			continue;
		for (k = 0; k < len; k++)
			if (f[k] != name[k] && !(name[k] == '_' && (f[k] == '-' || f[k] == '.')))
				break;
		if (k == len)
			return (int)i;
	}
	return -1;
}

static bool add_edit(struct cpu_model *m, const char *name, size_t len, bool on,
		     struct errbuf *err)
{
	int f = feature_find(name, len);

	if (f < 0) {
		errbuf_set(err, "--cpu: unknown CPU feature '%.*s'", (int)len, name);
		return false;
	}
	if (m->nedits == CPU_MODEL_MAX_EDITS) {
		errbuf_set(err, "--cpu: more than %d feature edits", CPU_MODEL_MAX_EDITS);
		return false;
	}
	m->edit[m->nedits].feat = (uint16_t)f;
	m->edit[m->nedits].on = on;
	m->nedits++;
	return true;
}

static bool parse_item(struct cpu_model *m, const char *s, size_t len, struct errbuf *err)
{
	const char *eq = memchr(s, '=', len);

	if (len > 1 && (s[0] == '+' || s[0] == '-'))
		return add_edit(m, s + 1, len - 1, s[0] == '+', err);
	if (eq && (size_t)(eq - s) == 6 && !memcmp(s, "vendor", 6)) {
		if (len - 7 != 12) {
			errbuf_set(err, "--cpu: vendor= takes 12 characters, not '%.*s'",
				   (int)(len - 7), eq + 1);
			return false;
		}
		memcpy(m->vendor, eq + 1, 12);
		m->vendor[12] = '\0';
		return true;
	}
	if (eq && ((len - (size_t)(eq - s) == 3 && !memcmp(eq, "=on", 3)) ||
		   (len - (size_t)(eq - s) == 4 && !memcmp(eq, "=off", 4))))
		return add_edit(m, s, (size_t)(eq - s), eq[2] == 'n', err);
	errbuf_set(err, "--cpu: cannot read '%.*s' (want +feat, -feat, feat=on|off or vendor=)",
		   (int)len, s);
	return false;
}

bool cpu_model_parse(const char *spec, struct cpu_model *m, struct errbuf *err)
{
	const char *p = strchr(spec, ','), *end;
	size_t base_len = p ? (size_t)(p - spec) : strlen(spec);

	memset(m, 0, sizeof(*m));
	if (strlen(spec) >= sizeof(m->spec)) {
		errbuf_set(err, "--cpu: the model string is longer than %d characters",
			   CPU_MODEL_SPEC_MAX - 1);
		return false;
	}
	strcpy(m->spec, spec);
	if (base_len == 4 && !memcmp(spec, "host", 4))
		m->base = CPU_HOST;
	else if (base_len == 6 && !memcmp(spec, "qemu64", 6))
		m->base = CPU_QEMU64;
	else {
		errbuf_set(err, "--cpu: unknown CPU model '%.*s' (models: host, qemu64)",
			   (int)base_len, spec);
		return false;
	}
	while (p) {
		p++;
		end = strchr(p, ',');
		if (!parse_item(m, p, end ? (size_t)(end - p) : strlen(p), err))
			return false;
		p = end;
	}
	return true;
}

/* --------------------------------------------------------------------- */

static uint32_t *reg_of(struct kvm_cpuid_entry2 *e, unsigned r)
{
	switch (r) {
	case EAX:
		return &e->eax;
	case EBX:
		return &e->ebx;
	case ECX:
		return &e->ecx;
	default:
		return &e->edx;
	}
}


static bool host_has(const struct kvm_cpuid2 *h, const struct feature *f)
{
	const struct kvm_cpuid_entry2 *e = cpuid_find(h, f->leaf, f->sub);

	return e && (*reg_of((struct kvm_cpuid_entry2 *)e, f->reg) >> f->bit & 1);
}

void cpu_model_missing(const struct cpu_model *m, const struct kvm_cpuid2 *host, char *buf,
		       size_t cap)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < m->nedits; i++) {
		const struct feature *f = &features[m->edit[i].feat];

		if (m->edit[i].on && !host_has(host, f) && n < cap)
			n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? " " : "", f->name);
	}
}

struct table {
	struct kvm_cpuid2 *out;
	uint32_t cap;
	bool full;
};

static struct kvm_cpuid_entry2 *put(struct table *t, uint32_t fn, uint32_t index, uint32_t flags)
{
	struct kvm_cpuid_entry2 *e;

	if (t->out->nent == t->cap) {
		t->full = true;
		return NULL;
	}
	e = &t->out->entries[t->out->nent++];
	memset(e, 0, sizeof(*e));
	e->function = fn;
	e->index = index;
	e->flags = flags;
	return e;
}

static struct kvm_cpuid_entry2 *find(struct kvm_cpuid2 *c, uint32_t fn, uint32_t index)
{
	for (uint32_t i = 0; i < c->nent; i++)
		if (c->entries[i].function == fn && c->entries[i].index == index)
			return &c->entries[i];
	return NULL;
}

static unsigned bits_for(unsigned n)
{
	unsigned b = 0;

	while ((1U << b) < n)
		b++;
	return b;
}

static void set_vendor(struct kvm_cpuid_entry2 *e, const char *v)
{
	memcpy(&e->ebx, v, 4);
	memcpy(&e->edx, v + 4, 4);
	memcpy(&e->ecx, v + 8, 4);
}

/* Leaf 0xb: one thread per core, n cores in the package, as QEMU's -smp n. */
static void put_topology(struct table *t, unsigned id, unsigned n)
{
	for (uint32_t sub = 0; sub < 3; sub++) {
		struct kvm_cpuid_entry2 *e = put(t, 0xb, sub, KVM_CPUID_FLAG_SIGNIFCANT_INDEX);

		if (!e)
			return;
		e->ecx = sub;
		e->edx = id;
		if (sub == 0) {
			e->ebx = 1;
			e->ecx |= 1U << 8;
		} else if (sub == 1) {
			e->eax = bits_for(n);
			e->ebx = n;
			e->ecx |= 2U << 8;
		}
	}
}

/* Copies every subleaf of host leaf fn. */
static void put_host_leaf(struct table *t, const struct kvm_cpuid2 *h, uint32_t fn)
{
	for (uint32_t i = 0; i < h->nent; i++)
		if (h->entries[i].function == fn) {
			struct kvm_cpuid_entry2 *e = put(t, fn, h->entries[i].index,
							 h->entries[i].flags);

			if (e)
				*e = h->entries[i];
		}
}

static void put_regs(struct table *t, uint32_t fn, uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	struct kvm_cpuid_entry2 *e = put(t, fn, 0, 0);

	if (e) {
		e->eax = a;
		e->ebx = b;
		e->ecx = c;
		e->edx = d;
	}
}

/* What a feature word may hold: the model's bits that the host offers. */
static uint32_t limit(const struct kvm_cpuid2 *h, uint32_t fn, uint32_t index, unsigned r,
		      uint32_t want)
{
	const struct kvm_cpuid_entry2 *e = cpuid_find(h, fn, index);

	return e ? want & *reg_of((struct kvm_cpuid_entry2 *)e, r) : 0;
}

#define QEMU64_SIGNATURE  0x00060fb1 /* family 15, model 107, stepping 1 */
#define QEMU64_1_EDX	  0x078bfbffU
#define QEMU64_1_ECX	  0x80202001U /* sse3 cx16 x2apic hypervisor */
#define QEMU64_E1_EDX	  0x2193fbfdU /* the AMD aliases of 1.EDX, syscall nx lm */
#define QEMU64_E1_ECX	  0x00000001U /* lahf-lm; cmp-legacy with more than 1 vCPU */
#define KVM_PV_QEMU_FEATS 0x0100007bU /* kvmclock(2), nopiodelay, async-pf, steal-time,
				       * pv-eoi, clocksource-stable */

/*
 * QEMU 7.2's qemu64 under KVM, as kernel_cpuid reads it there: leaves 0-0xd
 * and 0x80000000-0x8000000a, AMD's legacy cache leaves, the brand string,
 * 40 physical address bits; XSAVE (0xd) and the KVM leaves from the host.
 */
static void build_qemu64(struct table *t, const struct kvm_cpuid2 *h, unsigned id, unsigned n)
{
	static const char brand[48] = "QEMU Virtual CPU version 2.5+";
	uint32_t w[12];
	uint32_t edx1 = QEMU64_1_EDX | (n > 1 ? 1U << 28 : 0);
	struct kvm_cpuid_entry2 *e;

	if ((e = put(t, 0, 0, 0))) {
		e->eax = 0xd;
		set_vendor(e, "AuthenticAMD");
	}
	put_regs(t, 1, QEMU64_SIGNATURE, id << 24 | (n > 1 ? n << 16 : 0) | 8U << 8,
		 limit(h, 1, 0, ECX, QEMU64_1_ECX), limit(h, 1, 0, EDX, edx1));
	for (uint32_t fn = 2; fn <= 6; fn++)
		if (fn == 4)
			put(t, 4, 0, KVM_CPUID_FLAG_SIGNIFCANT_INDEX);
		else
			put_regs(t, fn, 0, 0, fn == 5 ? 3 : 0, 0);
	put(t, 7, 0, KVM_CPUID_FLAG_SIGNIFCANT_INDEX);
	for (uint32_t fn = 8; fn <= 0xa; fn++)
		put_regs(t, fn, 0, 0, 0, 0);
	put_topology(t, id, n);
	put_regs(t, 0xc, 0, 0, 0, 0);
	put_host_leaf(t, h, 0xd);
	if ((e = put(t, 0x40000000, 0, 0))) {
		e->eax = 0x40000001;
		memcpy(&e->ebx, "KVMKVMKVM\0\0\0", 12); /* ebx, ecx, edx in order */
	}
	put_regs(t, 0x40000001, limit(h, 0x40000001, 0, EAX, KVM_PV_QEMU_FEATS), 0, 0, 0);
	if ((e = put(t, 0x80000000, 0, 0))) {
		e->eax = 0x8000000a;
		set_vendor(e, "AuthenticAMD");
	}
	put_regs(t, 0x80000001, QEMU64_SIGNATURE, 0,
		 limit(h, 0x80000001, 0, ECX, QEMU64_E1_ECX | (n > 1 ? 2U : 0)),
		 limit(h, 0x80000001, 0, EDX, QEMU64_E1_EDX));
	memcpy(w, brand, sizeof(w));
	for (uint32_t i = 0; i < 3; i++)
		put_regs(t, 0x80000002 + i, w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3]);
	put_regs(t, 0x80000005, 0x01ff01ff, 0x01ff01ff, 0x40020140, 0x40020140);
	put_regs(t, 0x80000006, 0, 0x42004200, 0x02008140, 0x00808140);
	put_regs(t, 0x80000007, 0, 0, 0, 0);
	put_regs(t, 0x80000008, 0x3028, 0, n > 1 ? bits_for(n) << 12 | (n - 1) : 0, 0);
	put_regs(t, 0x80000009, 0, 0, 0, 0);
	put_regs(t, 0x8000000a, 0, 0, 0, 0);
}

/* The host's table with this vCPU's APIC ID where the host's CPU put its own. */
static void build_host(struct table *t, const struct kvm_cpuid2 *h, unsigned id)
{
	for (uint32_t i = 0; i < h->nent; i++) {
		struct kvm_cpuid_entry2 *e = put(t, h->entries[i].function, h->entries[i].index,
						 h->entries[i].flags);

		if (!e)
			return;
		*e = h->entries[i];
		if (e->function == 1)
			e->ebx = (e->ebx & 0x00ffffffU) | id << 24;
		else if (e->function == 0xb || e->function == 0x1f)
			e->edx = id;
		else if (e->function == 0x8000001e)
			e->eax = id;
	}
}

bool cpu_model_build(const struct cpu_model *m, const struct kvm_cpuid2 *host, unsigned id,
		     unsigned n, struct kvm_cpuid2 *out, uint32_t cap, struct errbuf *err)
{
	struct table t = { out, cap, false };
	struct kvm_cpuid_entry2 *e;

	out->nent = 0;
	if (m->base == CPU_QEMU64)
		build_qemu64(&t, host, id, n);
	else
		build_host(&t, host, id);
	if (t.full) {
		errbuf_set(err, "--cpu: the CPUID table needs more than %u entries", cap);
		return false;
	}
	for (unsigned i = 0; i < m->nedits; i++) {
		const struct feature *f = &features[m->edit[i].feat];
		uint32_t *r;

		if (!(e = find(out, f->leaf, f->sub)))
			continue; /* a leaf past the model's maximum: nothing to edit */
		r = reg_of(e, f->reg);
		if (!m->edit[i].on)
			*r &= ~(1U << f->bit);
		else if (host_has(host, f))
			*r |= 1U << f->bit;
	}
	if (m->vendor[0]) {
		if ((e = find(out, 0, 0)))
			set_vendor(e, m->vendor);
		if ((e = find(out, 0x80000000, 0)))
			set_vendor(e, m->vendor);
	}
	return true;
}
