/* SPDX-License-Identifier: MIT */
/* test_cpu_model.c - --cpu: parsing, the qemu64 leaves, edits limited by the host, APIC IDs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cpu_model.h"

#define CAP 64

struct table {
	struct kvm_cpuid2 h;
	struct kvm_cpuid_entry2 e[CAP];
};

/* A made-up host: an Intel-ish CPU offering most of what qemu64 asks and more. */
static void fake_host(struct table *t)
{
	static const struct kvm_cpuid_entry2 rows[] = {
		{ .function = 0, .eax = 0x1f, .ebx = 0x756e6547, .ecx = 0x6c65746e, .edx = 0x49656e69 },
		{ .function = 1, .eax = 0x906ea, .ebx = 0x05100800, .ecx = 0xf7fa3223, .edx = 0x1f8bfbff },
		{ .function = 7, .index = 0, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .ebx = 0x029c67af,
		  .ecx = 0x00000004 /* umip */, .edx = 0 },
		{ .function = 0xb, .index = 0, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .edx = 5 },
		{ .function = 0xd, .index = 0, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .eax = 7, .ebx = 0x340 },
		{ .function = 0xd, .index = 1, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .eax = 0xf },
		{ .function = 0x40000001, .eax = 0x01007efb },
		{ .function = 0x80000001, .ecx = 0x121, .edx = 0x2c100800 },
	};

	memset(t, 0, sizeof(*t));
	t->h.nent = sizeof(rows) / sizeof(rows[0]);
	memcpy(t->e, rows, sizeof(rows));
}

static const struct kvm_cpuid_entry2 *leaf(const struct table *t, uint32_t fn, uint32_t index)
{
	for (uint32_t i = 0; i < t->h.nent; i++)
		if (t->e[i].function == fn && t->e[i].index == index)
			return &t->e[i];
	return NULL;
}

static void build(const char *spec, unsigned id, unsigned n, struct table *out)
{
	struct errbuf err = { "" };
	struct cpu_model m;
	struct table host;

	fake_host(&host);
	assert_true(cpu_model_parse(spec, &m, &err));
	assert_true(cpu_model_build(&m, &host.h, id, n, &out->h, CAP, &err));
}

static void parse_errors(void **state)
{
	struct errbuf err = { "" };
	struct cpu_model m;

	(void)state;
	assert_false(cpu_model_parse("Skylake-Server", &m, &err));
	assert_non_null(strstr(err.msg, "unknown CPU model 'Skylake-Server'"));
	assert_false(cpu_model_parse("qemu64,+nosuch", &m, &err));
	assert_non_null(strstr(err.msg, "unknown CPU feature 'nosuch'"));
	assert_false(cpu_model_parse("qemu64,vendor=Intel", &m, &err));
	assert_non_null(strstr(err.msg, "12 characters"));
	assert_false(cpu_model_parse("qemu64,x2apic", &m, &err));
	assert_false(cpu_model_parse("qemu64,+", &m, &err));
	assert_true(cpu_model_parse("qemu64,+x2apic,-pcid,tsc_deadline=on,sse4_1=off", &m, &err));
	assert_int_equal(m.nedits, 4);
	assert_string_equal(cpu_feature_name(m.edit[2].feat), "tsc-deadline");
	assert_true(m.edit[2].on);
	assert_string_equal(cpu_feature_name(m.edit[3].feat), "sse4.1");
	assert_false(m.edit[3].on);
	assert_true(cpu_model_parse("host", &m, &err));
	assert_int_equal(m.base, CPU_HOST);
}

/* The values QEMU 7.2 gives qemu64 under KVM (docs/kernels.md), where the host offers them. */
static void qemu64_leaves(void **state)
{
	struct table t;
	const struct kvm_cpuid_entry2 *e;

	(void)state;
	build("qemu64", 1, 2, &t);
	e = leaf(&t, 0, 0);
	assert_non_null(e);
	assert_int_equal(e->eax, 0xd);
	assert_memory_equal(&e->ebx, "Auth", 4);
	e = leaf(&t, 1, 0);
	assert_int_equal(e->eax, 0x60fb1);
	assert_int_equal(e->ebx, 0x01020800); /* APIC ID 1, 2 logical, clflush 8 */
	/* sse3 cx16 x2apic hypervisor, each offered by the host */
	assert_int_equal(e->ecx, 0x80202001);
	assert_int_equal(e->edx, 0x178bfbff);
	e = leaf(&t, 7, 0);
	assert_int_equal(e->ebx | e->ecx | e->edx, 0);
	e = leaf(&t, 0xb, 1);
	assert_int_equal(e->eax, 1);
	assert_int_equal(e->ebx, 2);
	assert_int_equal(e->edx, 1);
	e = leaf(&t, 0xd, 1); /* copied from the host */
	assert_int_equal(e->eax, 0xf);
	e = leaf(&t, 0x40000001, 0);
	assert_int_equal(e->eax, 0x0100007b & 0x01007efb);
	e = leaf(&t, 0x80000000, 0);
	assert_int_equal(e->eax, 0x8000000a);
	e = leaf(&t, 0x80000001, 0);
	assert_int_equal(e->ecx, 0x1); /* lahf-lm; cmp-legacy not offered by this host */
	assert_int_equal(e->edx, 0x2193fbfd & 0x2c100800);
	e = leaf(&t, 0x80000002, 0);
	assert_memory_equal(&e->eax, "QEMU Virtual CPU", 16);
	e = leaf(&t, 0x80000008, 0);
	assert_int_equal(e->eax, 0x3028);
	assert_int_equal(e->ecx, 0x1001);
	assert_null(leaf(&t, 0x8000000b, 0));

	build("qemu64", 0, 1, &t);
	e = leaf(&t, 1, 0);
	assert_int_equal(e->ebx, 0x800);
	assert_int_equal(e->edx, 0x078bfbff); /* no HTT with one vCPU */
	assert_int_equal(leaf(&t, 0x80000008, 0)->ecx, 0);
}

static void edits(void **state)
{
	struct errbuf err = { "" };
	struct table t, host;
	struct cpu_model m;
	char missing[64];

	(void)state;
	build("qemu64,-x2apic,+tsc-deadline,+umip,+invpcid,vendor=GenuineIntel", 0, 1, &t);
	assert_int_equal(leaf(&t, 1, 0)->ecx & (1U << 21), 0);
	assert_int_equal(leaf(&t, 1, 0)->ecx & (1U << 24), 1U << 24);
	assert_int_equal(leaf(&t, 7, 0)->ecx, 4);
	assert_int_equal(leaf(&t, 7, 0)->ebx, 1U << 10);
	assert_memory_equal(&leaf(&t, 0, 0)->ebx, "Genu", 4);
	assert_memory_equal(&leaf(&t, 0x80000000, 0)->ecx, "ntel", 4);

	/* A +feature the host lacks is left out and named. */
	fake_host(&host);
	assert_true(cpu_model_parse("qemu64,+la57,+svm,+umip", &m, &err));
	cpu_model_missing(&m, &host.h, missing, sizeof(missing));
	assert_string_equal(missing, "la57 svm");
	assert_true(cpu_model_build(&m, &host.h, 0, 1, &t.h, CAP, &err));
	assert_int_equal(leaf(&t, 7, 0)->ecx, 4);
	assert_int_equal(leaf(&t, 0x80000001, 0)->ecx & 4, 0);

	/* Too small a table is an error, not a short table. */
	assert_false(cpu_model_build(&m, &host.h, 0, 1, &t.h, 4, &err));
	assert_non_null(strstr(err.msg, "more than 4 entries"));
}

/* host: the host's table, with this vCPU's APIC ID instead of the host CPU's. */
static void host_apic_ids(void **state)
{
	struct table t;

	(void)state;
	build("host,-x2apic", 3, 4, &t);
	assert_int_equal(leaf(&t, 0, 0)->eax, 0x1f);
	assert_int_equal(leaf(&t, 1, 0)->ebx, 0x03100800);
	assert_int_equal(leaf(&t, 1, 0)->ecx, 0xf7fa3223 & ~(1U << 21));
	assert_int_equal(leaf(&t, 0xb, 0)->edx, 3);
	assert_int_equal(leaf(&t, 7, 0)->ebx, 0x029c67af);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_errors),
		cmocka_unit_test(qemu64_leaves),
		cmocka_unit_test(edits),
		cmocka_unit_test(host_apic_ids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
