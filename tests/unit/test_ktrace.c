/* SPDX-License-Identifier: MIT */
/* test_ktrace.c - --ktrace's pure parts: ring copy, event ids, resolved fields, default list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <linux/perf_event.h>

#include "ktrace.h"
#include "ktrace_fields.h"
#include "ktrace_render.h"
#include "machine.h"
#include "record.h"
#include "tracefs.h"
#include "tp_formats.h"
#include "vcpu.h"

/* ---- ktrace_ring_copy ---- */

#define RING  64 /* a power of two, as perf's data area */
#define GUARD 16

/* A ring of RING bytes numbered from 0x40, with guard bytes 0xee after it:
 * a copy that runs past the end instead of wrapping picks up the guard. */
static uint8_t *ring(void)
{
	static uint8_t mem[RING + GUARD];

	for (int i = 0; i < RING; i++)
		mem[i] = (uint8_t)(0x40 + i);
	memset(mem + RING, 0xee, GUARD);
	return mem;
}

/* Copies n bytes at ring position pos and checks each against the ring's
 * byte at (pos + i) mod RING, and that nothing past n was written. */
static void expect_copy(uint64_t pos, size_t n)
{
	uint8_t *data = ring(), out[RING + 1];

	memset(out, 0xcc, sizeof(out));
	ktrace_ring_copy(out, data, RING, pos, n);
	for (size_t i = 0; i < n; i++) {
		uint8_t want = (uint8_t)(0x40 + (pos + i) % RING);

		if (out[i] != want)
			fail_msg("copy of %zu bytes at %llu: byte %zu wanted 0x%02x, got 0x%02x", n,
				 (unsigned long long)pos, i, want, out[i]);
	}
	if (out[n] != 0xcc)
		fail_msg("copy of %zu bytes at %llu wrote byte %zu", n, (unsigned long long)pos, n);
}

static void ring_copy_contiguous(void **state)
{
	(void)state;
	expect_copy(0, 24);
	expect_copy(8, 40);
	/* Ends exactly at the ring's end: nothing from its start. */
	expect_copy(40, 24);
	expect_copy(0, RING);
}

/* A sample split at the ring's end: its tail is at the ring's start. */
static void ring_copy_split_at_end(void **state)
{
	(void)state;
	expect_copy(56, 24);
	expect_copy(63, 2);
	expect_copy(1, RING); /* the whole ring, from its second byte */
	/* A perf_event_header itself split: 4 bytes before the end, 4 after. */
	expect_copy(RING - 4, sizeof(struct perf_event_header));
}

/* perf's positions only grow: the ring position is the low bits. */
static void ring_copy_position_past_wraps(void **state)
{
	(void)state;
	expect_copy(3 * RING + 10, 20);
	expect_copy(5 * RING + 50, 30);
	expect_copy((1ULL << 40) + RING - 1, 9);
}

/* A record split at the end reads as the whole record, header first. */
static void ring_copy_record_across_end(void **state)
{
	uint8_t data[RING], out[40];
	struct perf_event_header h = { .type = PERF_RECORD_SAMPLE, .misc = 0, .size = 40 };
	uint8_t rec[40];
	uint64_t pos = 7 * RING + 44; /* 20 bytes before the end, 20 after */

	(void)state;
	memcpy(rec, &h, sizeof(h));
	for (size_t i = sizeof(h); i < sizeof(rec); i++)
		rec[i] = (uint8_t)i;
	memset(data, 0, sizeof(data));
	for (size_t i = 0; i < sizeof(rec); i++)
		data[(pos + i) % RING] = rec[i];
	ktrace_ring_copy(&h, data, RING, pos, sizeof(h));
	assert_int_equal(h.type, PERF_RECORD_SAMPLE);
	assert_int_equal(h.size, 40);
	ktrace_ring_copy(out, data, RING, pos, h.size);
	assert_memory_equal(out, rec, sizeof(rec));
}

/* ---- ktrace_event_index ---- */

static void event_index_dense_and_not(void **state)
{
	struct ktrace_vcpu kv = { .nfd = 3, .perf_id = { 100, 101, 102 } };

	(void)state;
	/* As ktrace.c finds them at attach: ids in a row. */
	kv.id0 = 100;
	kv.ids_dense = true;
	assert_int_equal(ktrace_event_index(&kv, 100), 0);
	assert_int_equal(ktrace_event_index(&kv, 102), 2);
	assert_int_equal(ktrace_event_index(&kv, 103), -1);
	assert_int_equal(ktrace_event_index(&kv, 99), -1);
	/* Ids not in a row are searched. */
	kv.perf_id[1] = 7;
	kv.ids_dense = false;
	assert_int_equal(ktrace_event_index(&kv, 7), 1);
	assert_int_equal(ktrace_event_index(&kv, 102), 2);
	assert_int_equal(ktrace_event_index(&kv, 101), -1);
}

/* ---- ktrace_resolve_fields ---- */

/* clang-format off */
/* An SVM-style exit: exit_code, not exit_reason. */
static const char exit_code_fields[] =
	"\tfield:u32 isa;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:u64 exit_code;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:u64 guest_rip;\toffset:24;\tsize:8;\tsigned:0;\n";

/* A kprobe event's: its own address, then fetch arguments. */
static const char kprobe_fields[] =
	"\tfield:unsigned long __probe_ip;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:u32 isa;\toffset:16;\tsize:4;\tsigned:0;\n"
	"\tfield:u32 exit_reason;\toffset:20;\tsize:4;\tsigned:0;\n";
/* clang-format on */

/* Parses a format of name with fields, as tracefs gives it, and resolves it. */
static struct ktrace_event *resolved(const char *name, const char *fields, const char *kfunc)
{
	static struct ktrace_event e;
	char text[4096];
	struct errbuf err = { "" };

	memset(&e, 0, sizeof(e));
	snprintf(text, sizeof(text), "name: %s\nID: 42\n%s%s\nprint fmt: \"x\"\n", name,
		 common_fields, fields);
	if (!tp_format_parse(text, &e.fmt, &err))
		fail_msg("format of %s: %s", name, err.msg);
	e.kfunc = kfunc;
	ktrace_resolve_fields(&e);
	return &e;
}

static void expect_plan(const struct ktrace_event *e, int i, const char *key, int field,
			enum ktrace_value value)
{
	const struct ktrace_field *p = &e->plan[i];

	assert_true(i < e->nplan);
	if (strcmp(p->key, key) || p->klen != strlen(key))
		fail_msg("%s plan %d: wanted key %s (%zu), got %s (%u)", e->fmt.name, i, key,
			 strlen(key), p->key, p->klen);
	if (p->field != field || p->value != value)
		fail_msg("%s plan %d (%s): wanted field %d value %d, got field %d value %d",
			 e->fmt.name, i, key, field, value, p->field, p->value);
}

static void resolve_kvm_mmio(void **state)
{
	const struct ktrace_event *e = resolved("kvm_mmio", kvm_mmio_fields, NULL);

	(void)state;
	assert_int_equal(e->nplan, 4);
	/* "type" is every record's own key: the field is tp_type. */
	expect_plan(e, 0, "tp_type", 0, KV_HEX);
	expect_plan(e, 1, "len", 1, KV_HEX);
	expect_plan(e, 2, "gpa", 2, KV_HEX);
	expect_plan(e, 3, "val", 3, KV_HEX);
	assert_int_equal(e->mmio_field, 0);
	assert_int_equal(e->mode_field, -1);
	assert_int_equal(e->isa_field, -1);
	assert_int_equal(e->reason_field, -1);
	assert_string_equal(e->kind, "kevent");
	assert_string_equal(e->name_key, "event");
	assert_string_equal(e->name, "kvm_mmio");
	assert_int_equal(e->name_key_len, 5);
	assert_int_equal(e->name_len, 8);
}

static void resolve_emulate_insn(void **state)
{
	const struct ktrace_event *e = resolved("kvm_emulate_insn", emulate_fields, NULL);

	(void)state;
	assert_int_equal(e->nplan, 8);
	expect_plan(e, 0, "rip", 0, KV_CODE);
	expect_plan(e, 1, "csbase", 1, KV_HEX);
	expect_plan(e, 2, "len", 2, KV_HEX);
	expect_plan(e, 3, "insn", 3, KV_BYTES);
	assert_int_equal(e->plan[3].cut, 2); /* insn is cut to len */
	assert_int_equal(e->plan[0].cut, -1);
	expect_plan(e, 4, "flags", 4, KV_HEX);
	expect_plan(e, 5, "failed", 5, KV_HEX);
	expect_plan(e, 6, "errno", 6, KV_I64);
	expect_plan(e, 7, "msg", 7, KV_STR);
	assert_int_equal(e->plan[7].number, KV_I64); /* a string that does not fit */
	assert_int_equal(e->mode_field, 4);
	assert_int_equal(e->mmio_field, -1);
}

static void resolve_exit_code(void **state)
{
	const struct ktrace_event *e = resolved("kvm_nested_vmexit", exit_code_fields, NULL);

	(void)state;
	assert_int_equal(e->isa_field, 0);
	assert_int_equal(e->reason_field, 1);
	expect_plan(e, 2, "guest_rip", 2, KV_CODE);
	assert_int_equal(e->mode_field, -1);
}

/* A kprobe: no __probe_ip (it moves with KASLR), no exit names, a kfunc. */
static void resolve_kprobe(void **state)
{
	const struct ktrace_event *e =
		resolved("p_kvm_mmu_page_fault", kprobe_fields, "kvm_mmu_page_fault");

	(void)state;
	assert_int_equal(e->nplan, 2);
	expect_plan(e, 0, "isa", 1, KV_HEX);
	expect_plan(e, 1, "exit_reason", 2, KV_HEX);
	assert_int_equal(e->isa_field, -1);
	assert_int_equal(e->reason_field, -1);
	assert_string_equal(e->kind, "kfunc");
	assert_string_equal(e->name_key, "func");
	assert_string_equal(e->name, "kvm_mmu_page_fault");
	assert_int_equal(e->name_len, strlen("kvm_mmu_page_fault"));
}

/* ---- ktrace_add_sample: the resolved plan read from a sample ---- */

/* The same record rendered in place (ktrace_render.c): the same bytes. */
static void expect_rendered(const struct ktrace_event *e, const uint8_t *raw, size_t len,
			    enum rec_format fmt, const char *want)
{
	static struct ktrace_event fast;
	static char out[KTRACE_RENDER_MAX + 1];
	char head[KTRACE_HEAD_MAX];
	size_t hn, n;

	fast = *e;
	ktrace_render_prepare(&fast, fmt);
	assert_true(fast.fast);
	hn = ktrace_render_head(head, fmt, 5, 0);
	n = ktrace_render(&fast, fmt, head, hn, 1234, raw, len, NULL, NULL, out);
	assert_true(n > 0 && n <= KTRACE_RENDER_MAX);
	out[n] = '\0';
	if (strcmp(out, want))
		fail_msg("%s sample rendered:\nwanted %sgot    %s", e->fmt.name, want, out);
}

static void expect_encoded(const struct ktrace_event *e, const uint8_t *raw, size_t len,
			   enum rec_format fmt, const char *want)
{
	static struct machine m; /* no symbols */
	struct vcpu v = { .id = 0, .seq = 5, .m = &m };
	struct record r;
	char out[1024];
	size_t n;

	ktrace_add_sample(&r, &v, e, 1234, raw, len);
	n = rec_encode(&r, fmt, out, sizeof(out));
	assert_true(n > 0 && n < sizeof(out));
	out[n] = '\0';
	if (strcmp(out, want))
		fail_msg("%s sample:\nwanted %sgot    %s", e->fmt.name, want, out);
	expect_rendered(e, raw, len, fmt, want);
}

static void put(uint8_t *raw, uint32_t off, uint64_t v, size_t size)
{
	memcpy(raw + off, &v, size); /* little-endian, as the kernel writes it */
}

static void sample_kvm_mmio(void **state)
{
	const struct ktrace_event *e = resolved("kvm_mmio", kvm_mmio_fields, NULL);
	uint8_t raw[32] = { 0 };

	(void)state;
	put(raw, 8, 2, 4); /* write */
	put(raw, 12, 8, 4);
	put(raw, 16, 0xd0000008, 8);
	put(raw, 24, 0x1122334455667788ULL, 8);
	expect_encoded(e, raw, sizeof(raw), REC_JSONL,
		       "{\"seq\":5,\"vcpu\":0,\"type\":\"kevent\",\"event\":\"kvm_mmio\","
		       "\"ktime_ns\":1234,\"tp_type\":\"0x2\",\"len\":\"0x8\",\"gpa\":"
		       "\"0xd0000008\","
		       "\"val\":\"0x1122334455667788\",\"mmio_type\":\"write\"}\n");
	/* A sample cut short: the fields past its end are left out. */
	expect_encoded(e, raw, 20, REC_JSONL,
		       "{\"seq\":5,\"vcpu\":0,\"type\":\"kevent\",\"event\":\"kvm_mmio\","
		       "\"ktime_ns\":1234,\"tp_type\":\"0x2\",\"len\":\"0x8\","
		       "\"mmio_type\":\"write\"}\n");
}

static void sample_emulate_insn(void **state)
{
	const struct ktrace_event *e = resolved("kvm_emulate_insn", emulate_fields, NULL);
	uint8_t raw[64] = { 0 };
	const int32_t minus2 = -2;

	(void)state;
	put(raw, 8, 0x100030, 8);
	raw[20] = 2; /* len: insn=8a03, not 15 bytes */
	raw[21] = 0x8a, raw[22] = 0x03, raw[23] = 0x99;
	raw[36] = 9; /* prot64 */
	memcpy(raw + 40, &minus2, 4);
	put(raw, 44, 3u << 16 | 56, 4); /* msg: 3 bytes at 56 */
	memcpy(raw + 56, "abc", 3);
	expect_encoded(e, raw, sizeof(raw), REC_TEXT,
		       "     5 vcpu0 kevent         event=kvm_emulate_insn ktime_ns=1234 "
		       "rip=0x100030 csbase=0x0 len=0x2 insn=8a03 flags=0x9 failed=0x0 errno=-2 "
		       "msg=\"abc\" mode=prot64\n");
	/* A string past the sample's end is its number; no cut past 15 bytes. */
	put(raw, 44, 3u << 16 | 62, 4);
	raw[20] = 40;
	raw[36] = 2; /* no name */
	expect_encoded(e, raw, sizeof(raw), REC_TEXT,
		       "     5 vcpu0 kevent         event=kvm_emulate_insn ktime_ns=1234 "
		       "rip=0x100030 csbase=0x0 len=0x28 insn=8a0399000000000000000000000000 "
		       "flags=0x2 failed=0x0 errno=-2 msg=196670\n");
}

static void sample_kprobe(void **state)
{
	const struct ktrace_event *e = resolved("p_x", kprobe_fields, "handle_ud");
	uint8_t raw[24] = { 0 };

	(void)state;
	put(raw, 8, 0xffffffff81234567ULL, 8);
	put(raw, 16, 1, 4);
	put(raw, 20, 30, 4);
	expect_encoded(e, raw, sizeof(raw), REC_TEXT,
		       "     5 vcpu0 kfunc          func=handle_ud ktime_ns=1234 isa=0x1 "
		       "exit_reason=0x1e\n");
}

/* ---- ktrace_default_list ---- */

static void expect_default(bool irqchip, bool emulates_all, const char *want)
{
	char out[1024];

	assert_true(ktrace_default_list(out, sizeof(out), irqchip, emulates_all));
	if (strcmp(out, want))
		fail_msg("default list (irqchip %d, emulates_all %d):\nwanted %s\ngot    %s",
			 irqchip, emulates_all, want, out);
}

/* Hosts that run the guest: the list as it always was. */
static void default_list_elsewhere(void **state)
{
	(void)state;
	expect_default(false, false, KTRACE_DEFAULT_EVENTS);
	expect_default(true, false, KTRACE_DEFAULT_EVENTS "," KTRACE_IRQ_EVENTS);
}

/* kvm_pvm: the per-instruction events are left out, the rest keep their order. */
static void default_list_emulating_host(void **state)
{
	(void)state;
	expect_default(false, true,
		       "kvm_exit,kvm_entry,kvm_page_fault,kvm_mmio,kvm_pio,kvm_userspace_exit,"
		       "kvm_nested_vmenter,kvm_nested_vmexit,kvm_nested_vmexit_inject,"
		       "kvm_inj_exception");
	expect_default(true, true,
		       "kvm_exit,kvm_entry,kvm_page_fault,kvm_mmio,kvm_pio,kvm_userspace_exit,"
		       "kvm_nested_vmenter,kvm_nested_vmexit,kvm_nested_vmexit_inject,"
		       "kvm_inj_exception," KTRACE_IRQ_EVENTS);
}

static void default_list_too_small(void **state)
{
	char out[sizeof(KTRACE_DEFAULT_EVENTS)];

	(void)state;
	assert_true(ktrace_default_list(out, sizeof(out), false, false));
	assert_false(ktrace_default_list(out, sizeof(out) - 1, false, false));
	assert_false(ktrace_default_list(out, sizeof(out), true, false));
	assert_false(ktrace_default_list(out, 0, false, true));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ring_copy_contiguous),
		cmocka_unit_test(ring_copy_split_at_end),
		cmocka_unit_test(ring_copy_position_past_wraps),
		cmocka_unit_test(ring_copy_record_across_end),
		cmocka_unit_test(event_index_dense_and_not),
		cmocka_unit_test(resolve_kvm_mmio),
		cmocka_unit_test(resolve_emulate_insn),
		cmocka_unit_test(resolve_exit_code),
		cmocka_unit_test(resolve_kprobe),
		cmocka_unit_test(sample_kvm_mmio),
		cmocka_unit_test(sample_emulate_insn),
		cmocka_unit_test(sample_kprobe),
		cmocka_unit_test(default_list_elsewhere),
		cmocka_unit_test(default_list_emulating_host),
		cmocka_unit_test(default_list_too_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
