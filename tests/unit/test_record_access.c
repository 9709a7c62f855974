/* SPDX-License-Identifier: MIT */
/* test_record_access.c - the IO/MMIO sites write exactly the bytes of the generic encoder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

#include "record.h"
#include "record_access.h"
#include "recorder.h"

/* xorshift64: the same numbers on every run. */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A number of a random width: small ones matter (digit-count edges). */
static uint64_t any_width(void)
{
	int bits = (int)(next() % 65);

	return bits == 64 ? next() : next() & ((1ULL << bits) - 1);
}

/* The record exit_rec_access() builds field by field when there is no site. */
static size_t generic(const struct access_rec *a, uint64_t seq, uint64_t data, enum rec_format fmt,
		      char *out, size_t cap)
{
	struct record r;

	rec_begin(&r, seq, a->vcpu, "exit");
	r.exit_name = a->mmio ? "MMIO" : "IO";
	rec_code(&r, "rip", a->rip, a->sym);
	if (a->mmio) {
		rec_word(&r, "dir", a->write ? "write" : "read");
		rec_hex(&r, "gpa", a->addr);
		rec_u64(&r, "len", a->size);
	} else {
		rec_word(&r, "dir", a->write ? "out" : "in");
		rec_hex(&r, "port", a->addr);
		rec_u64(&r, "size", a->size);
		rec_u64(&r, "count", a->count);
	}
	rec_hex(&r, "data", data);
	rec_word(&r, "dev", a->dev);
	return rec_encode_noted(&r, fmt, a->note, out, cap);
}

/* Encodes through the site into a buffer that shows any write past ACCESS_REC_MAX. */
static size_t via_site(struct access_site *s, uint64_t seq, uint64_t data, char *out)
{
	size_t n;

	memset(out, 0x5a, ACCESS_REC_MAX + 64);
	n = access_site_encode(s, seq, data, out);
	for (size_t i = ACCESS_REC_MAX; i < ACCESS_REC_MAX + 64; i++)
		assert_int_equal((unsigned char)out[i], 0x5a);
	assert_true(n <= ACCESS_REC_MAX);
	return n;
}

static void check_one(struct access_site *s, const struct access_rec *a, uint64_t seq,
		      uint64_t data, enum rec_format fmt)
{
	static char want[4096], got[ACCESS_REC_MAX + 64];
	size_t wn = generic(a, seq, data, fmt, want, sizeof(want));
	size_t gn = via_site(s, seq, data, got);

	if (wn != gn || memcmp(want, got, wn) != 0)
		fail_msg("site and generic encoder differ:\nwant %.*sgot  %.*s", (int)wn, want,
			 (int)gn, got);
}

static const char *const devs[] = { "testdev", "none", "calls", "com1", "pc_testdev", "x" };
/* --explain's notes: none, a short one, one as long as a summary may be (96). */
static const char *const notes[] = {
	NULL, "A port I/O instruction.",
	"A guest access to an address no memory slot backs: userspace emulates it, by the device.",
};

static void random_sites_match_the_generic_encoder(void **state)
{
	static char names[4][96];
	struct symbol syms[4];
	struct access_site s;

	(void)state;
	for (int i = 0; i < 4; i++) {
		int len = i == 3 ? 90 : 1 + (int)(next() % 24);

		for (int j = 0; j < len; j++)
			names[i][j] = (char)('a' + next() % 26);
		syms[i] = (struct symbol){ 0, 1, names[i], (uint32_t)len };
	}
	memset(&s, 0, sizeof(s));
	for (int round = 0; round < 4000; round++) {
		enum rec_format fmt = next() % 2 ? REC_JSONL : REC_TEXT;
		const char *dev = devs[next() % (sizeof(devs) / sizeof(devs[0]))];
		struct access_rec a = {
			.vcpu = (int)(next() % 3 ? next() % 4 : next() % 100000),
			.mmio = next() % 2,
			.write = next() % 2,
			.rip = any_width(),
			.addr = any_width(),
			.size = (uint32_t)(1 + next() % 8),
			.count = (uint32_t)(next() % 4 ? 1 : any_width() & 0xffffffff),
			.dev = dev,
			.dev_len = strlen(dev),
			.note = notes[next() % 3],
		};
		uint64_t seq = next() % 3 ? next() % 1200000 : any_width();

		if (a.mmio)
			a.count = 1;
		if (next() % 4) {
			struct symbol *sym = &syms[next() % 4];

			sym->addr = a.rip - (next() % 2 ? 0 : next() % 0x10000);
			a.sym = sym;
		}
		assert_true(access_site_set(&s, &a, fmt));
		assert_true(access_site_is(&s, fmt, a.mmio, a.write, a.rip, a.addr, a.size, a.count,
					   a.dev));
		assert_false(access_site_is(&s, fmt, a.mmio, !a.write, a.rip, a.addr, a.size,
					    a.count, a.dev));
		assert_false(access_site_is(&s, fmt, a.mmio, a.write, a.rip, a.addr, a.size,
					    a.count + 1, a.dev));
		assert_false(access_site_is(&s, !fmt, a.mmio, a.write, a.rip, a.addr, a.size,
					    a.count, a.dev));
		/* A run of exits from the site: seq counts up, across digit edges. */
		for (int k = 0; k < 20; k++) {
			uint64_t data = any_width();

			if (a.size < 8)
				data &= (1ULL << (8 * a.size)) - 1;
			check_one(&s, &a, seq, data, fmt);
			seq = next() % 8 ? seq + 1 : seq + next() % 1000;
		}
	}
}

/* Where "%6llu" stops padding, and the carries that lengthen the number. */
static void seq_carries_across_widths(void **state)
{
	static const uint64_t starts[] = { 0, 8, 98, 99990, 999995, 9999990, 999999999999999990ULL };
	struct access_rec a = {
		.rip = 0x100061, .addr = 0xe08, .size = 1, .count = 1, .dev = "testdev", .dev_len = 7
	};
	struct access_site s;

	(void)state;
	memset(&s, 0, sizeof(s));
	for (int f = 0; f < 2; f++) {
		assert_true(access_site_set(&s, &a, f ? REC_JSONL : REC_TEXT));
		for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++)
			for (uint64_t seq = starts[i]; seq < starts[i] + 20; seq++)
				check_one(&s, &a, seq, seq & 0xff, f ? REC_JSONL : REC_TEXT);
	}
}

/* A name too long for a site: no site, the generic path records the exit. */
static void long_names_take_the_generic_path(void **state)
{
	static char name[400];
	struct symbol sym = { 0x100000, 0x100, name, 0 };
	struct access_rec a = { .rip = 0x100010,
				.sym = &sym,
				.addr = 0xe08,
				.size = 1,
				.count = 1,
				.dev = "testdev",
				.dev_len = 7 };
	struct access_site s;

	(void)state;
	memset(name, 'n', sizeof(name));
	memset(&s, 0, sizeof(s));
	sym.name_len = ACCESS_SITE_HEAD;
	assert_false(access_site_set(&s, &a, REC_JSONL));
	assert_false(s.key);
	sym.name_len = 100;
	assert_true(access_site_set(&s, &a, REC_JSONL));
	a.dev_len = ACCESS_SITE_TAIL;
	assert_false(access_site_set(&s, &a, REC_TEXT));
	assert_false(access_site_is(&s, REC_TEXT, a.mmio, a.write, a.rip, a.addr, a.size, a.count,
				    a.dev));
}

/*
 * Through the recorder: many buffers' worth of IO and MMIO entries from 3
 * vCPUs with generic records between them, so that the writer thread
 * renders most of it, a symbol too long for a site among them. The file
 * must be the generic encoding of the same sequence, in order.
 */
static void recorder_stream_is_the_generic_trace(void **state)
{
	static char longname[300];
	struct symbol sym[2] = { { 0x100000, 0x1000, "main", 4 },
				 { 0x200000, 0x1000, longname, sizeof(longname) } };
	struct symtab tab = { sym, 2, NULL };
	char path[] = "/tmp/mvm-test-stream-XXXXXX";
	size_t want_len = 0, want_cap = 64 << 20, got_len;
	char *want = malloc(want_cap), *got;
	uint64_t seq[3] = { 0, 0, 0 };
	struct recorder rc;
	struct errbuf err;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0 && want);
	close(fd);
	memset(longname, 'L', sizeof(longname));
	for (int f = 0; f < 2; f++) {
		enum rec_format fmt = f ? REC_JSONL : REC_TEXT;

		want_len = 0;
		assert_true(recorder_open(&rc, path, fmt, false, &err));
		rc.syms = &tab;
		for (int i = 0; i < 40000; i++) {
			int vcpu = (int)(next() % 3);
			struct rent_access e = {
				.h = { RENT_ACCESS, (uint32_t)vcpu },
				.mmio = next() % 5 == 0,
				.write = next() % 2,
				.size = 1u << (next() % 4),
				.count = 1,
				.seq = ++seq[vcpu],
				.rip = next() % 7 == 0 ? 0x200010 : 0x100000 + next() % 3,
				.addr = next() % 4 ? 0xe08 : 0x1000,
				.dev = next() % 3 ? "testdev" : "none",
			};
			struct access_rec a = { .vcpu = vcpu,
						.mmio = e.mmio,
						.write = e.write,
						.rip = e.rip,
						.addr = e.addr,
						.size = e.size,
						.count = 1,
						.dev = e.dev,
						.dev_len = strlen(e.dev) };

			e.data = next() & ((1ULL << (4 * e.size) << (4 * e.size)) - 1);
			a.sym = symtab_lookup(&tab, a.rip, NULL);
			recorder_emit_access(&rc, &e);
			want_len += access_rec_encode(&a, e.seq, e.data, fmt, want + want_len,
						      want_cap - want_len);
			if (i % 97 == 0) {
				struct record r;

				rec_begin(&r, seq[vcpu], vcpu, "print");
				rec_cstr(&r, "text", "between the exits");
				recorder_emit(&rc, &r);
				want_len +=
					rec_encode(&r, fmt, want + want_len, want_cap - want_len);
			}
		}
		assert_true(recorder_close(&rc));
		got = slurp(path, &got_len);
		assert_non_null(got);
		assert_int_equal(got_len, want_len);
		assert_memory_equal(got, want, want_len);
		free(got);
	}
	unlink(path);
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_sites_match_the_generic_encoder),
		cmocka_unit_test(seq_carries_across_widths),
		cmocka_unit_test(long_names_take_the_generic_path),
		cmocka_unit_test(recorder_stream_is_the_generic_trace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
