/* SPDX-License-Identifier: MIT */
/* test_record_pack.c - a packed record encodes as the record did, whatever its sources became. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "record.h"
#include "record_pack.h"

/* Everything a record may point to, in one place the test scribbles over. */
struct sources {
	char kind[16], exit_name[16], keys[REC_MAX_FIELDS][24], str[64];
	uint8_t bytes[16];
	struct page_run runs[5];
	struct symbol sym;
};

static void fill(struct record *r, struct sources *s, int nfields, bool with_exit)
{
	strcpy(s->kind, "dirty");
	strcpy(s->exit_name, "MMIO");
	strcpy(s->str, "a\"b\\c\nd\x01\xff");
	memcpy(s->bytes, "\x00\xab\xff\x10\x7f", 5);
	for (int i = 0; i < 5; i++)
		s->runs[i] = (struct page_run){ (uint64_t)i * 7, (uint64_t)i % 3 + 1 };
	s->sym = (struct symbol){ 0x100050, 0x20, "main", 4 };
	rec_begin(r, 123456, 1, s->kind);
	r->exit_name = with_exit ? s->exit_name : NULL;
	for (int i = 0; i < nfields; i++) {
		struct rec_field *f;

		snprintf(s->keys[i], sizeof(s->keys[i]), "key_%d", i);
		f = &r->f[r->n++];
		f->key = s->keys[i];
		f->klen = (uint8_t)strlen(s->keys[i]);
		f->type = (uint8_t)(i % 8);
		f->u = 0x100000000ULL + (uint64_t)i * 0x1234567;
		f->len = 0;
		f->p = NULL;
		switch (f->type) {
		case RF_STR:
			f->p = s->str, f->len = i % 2 ? strlen(s->str) : 0;
			break;
		case RF_BYTES:
			f->p = s->bytes, f->len = 5;
			break;
		case RF_WORD:
			f->p = "word", f->len = 4;
			break;
		case RF_RUNS:
			f->p = s->runs, f->len = i % 3 ? 5 : 0;
			break;
		case RF_CODE:
			f->u = 0x100058;
			f->p = i % 2 ? &s->sym : NULL;
			break;
		}
	}
}

static size_t encode(const struct record *r, enum rec_format fmt, char *out, size_t cap)
{
	size_t n = rec_encode(r, fmt, out, cap);

	assert_true(n < cap);
	return n;
}

/* Packs a record, scribbles over its sources, and encodes the unpacked copy. */
static void expect_round_trip(int nfields, bool with_exit)
{
	static char want[2][8192], got[2][8192];
	static struct sources s;
	size_t nw[2], size;
	struct record r, u;
	uint64_t *buf;

	memset(&s, 0, sizeof(s));
	fill(&r, &s, nfields, with_exit);
	for (int fmt = REC_TEXT; fmt <= REC_JSONL; fmt++)
		nw[fmt] = encode(&r, fmt, want[fmt], sizeof(want[fmt]));
	size = rec_pack_size(&r);
	assert_int_equal(size % 8, 0);
	buf = malloc(size + 8);
	assert_non_null(buf);
	memset(buf, 0xee, size + 8);
	rec_pack(&r, buf);
	/* Nothing past the packed size is written. */
	for (size_t i = size; i < size + 8; i++)
		assert_int_equal(((uint8_t *)buf)[i], 0xee);
	/* The symbol is the one thing still pointed to: the run's table. */
	memset(&s, 'x', offsetof(struct sources, sym));
	rec_unpack(buf, &u);
	for (int fmt = REC_TEXT; fmt <= REC_JSONL; fmt++) {
		size_t n = encode(&u, fmt, got[fmt], sizeof(got[fmt]));

		if (n != nw[fmt] || memcmp(got[fmt], want[fmt], n))
			fail_msg("%d fields, exit %d, format %d:\nwanted %.*sgot    %.*s", nfields,
				 with_exit, fmt, (int)nw[fmt], want[fmt], (int)n, got[fmt]);
	}
	free(buf);
}

static void every_field_count(void **state)
{
	(void)state;
	for (int n = 0; n <= REC_MAX_FIELDS; n++) {
		expect_round_trip(n, false);
		expect_round_trip(n, true);
	}
}

/* A record of no vCPU (header, end): no seq, no vcpu column. */
static void no_vcpu(void **state)
{
	static char a[256], b[256];
	struct record r, u;
	uint64_t buf[64];

	(void)state;
	rec_begin(&r, 0, REC_NO_VCPU, "end");
	rec_word(&r, "reason", "exit");
	rec_u64(&r, "exits", 3);
	assert_true(rec_pack_size(&r) <= sizeof(buf));
	rec_pack(&r, buf);
	rec_unpack(buf, &u);
	assert_int_equal(u.vcpu, REC_NO_VCPU);
	assert_int_equal(encode(&r, REC_TEXT, a, sizeof(a)), encode(&u, REC_TEXT, b, sizeof(b)));
	assert_string_equal(a, b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_field_count),
		cmocka_unit_test(no_vcpu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
