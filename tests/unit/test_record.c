/* SPDX-License-Identifier: MIT */
/* test_record.c - record encodings (text, JSON Lines) and the buffered recorder file. */
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

#include <linux/kvm.h>

#include "encode.h"
#include "record.h"
#include "util.h"
#include "recorder.h"

/* a " b \ c LF d TAB e CR f 0x01 g 0xff h */
static const char odd_str[] = "a\"b\\c\nd\te\rf\x01"
			      "g\xff"
			      "h";
static const uint8_t some_bytes[] = { 0x00, 0xab, 0xff, 0x10 };

/* An exit record with one field of every type. */
static void full_record(struct record *r)
{
	rec_begin(r, 7, 0, "exit");
	r->exit_name = "IO";
	rec_hex(r, "port", 0x3f8);
	rec_u64(r, "size", 1);
	rec_i64(r, "delta", -42);
	rec_str(r, "s", odd_str, sizeof(odd_str) - 1);
	rec_bytes(r, "data", some_bytes, sizeof(some_bytes));
	rec_word(r, "dir", "out");
}

/* Encodes r into a string (NUL-terminated) and checks it is want. */
static void expect_line(const struct record *r, enum rec_format fmt, const char *want)
{
	char buf[1024];
	size_t n = rec_encode(r, fmt, buf, sizeof(buf) - 1);

	assert_true(n < sizeof(buf));
	buf[n] = '\0';
	if (strcmp(buf, want) != 0)
		fail_msg("wanted line\n%s got\n%s", want, buf);
}

static void text_every_field_type(void **state)
{
	struct record r;

	full_record(&r);
	expect_line(&r, REC_TEXT,
		    "     7 vcpu0 IO            "
		    " port=0x3f8 size=1 delta=-42 s=\"a\\\"b\\\\c\\nd\\te\\rf\\x01g\\xffh\""
		    " data=00abff10 dir=out\n");
	(void)state;
}

static void jsonl_every_field_type(void **state)
{
	struct record r;

	full_record(&r);
	expect_line(&r, REC_JSONL,
		    "{\"seq\":7,\"vcpu\":0,\"type\":\"exit\",\"exit\":\"IO\",\"port\":\"0x3f8\","
		    "\"size\":1,\"delta\":-42,\"s\":\"a\\\"b\\\\c\\nd\\te\\rf\\u0001g\\u00ffh\","
		    "\"data\":\"00abff10\",\"dir\":\"out\"}\n");
	(void)state;
}

/* No vCPU: no seq/vcpu columns; extreme numbers; empty string and bytes. */
static void extremes_record(struct record *r)
{
	rec_begin(r, 0, REC_NO_VCPU, "header");
	rec_word(r, "mode", "long");
	rec_hex(r, "entry", 0);
	rec_hex(r, "top", UINT64_MAX);
	rec_u64(r, "max", UINT64_MAX);
	rec_i64(r, "min", INT64_MIN);
	rec_i64(r, "zero", 0);
	rec_str(r, "s", "", 0);
	rec_bytes(r, "b", "", 0);
}

static void text_extremes(void **state)
{
	struct record r;

	extremes_record(&r);
	expect_line(&r, REC_TEXT,
		    "header mode=long entry=0x0 top=0xffffffffffffffff max=18446744073709551615"
		    " min=-9223372036854775808 zero=0 s=\"\" b=\n");
	(void)state;
}

static void jsonl_extremes(void **state)
{
	struct record r;

	extremes_record(&r);
	expect_line(&r, REC_JSONL,
		    "{\"type\":\"header\",\"mode\":\"long\",\"entry\":\"0x0\","
		    "\"top\":\"0xffffffffffffffff\",\"max\":18446744073709551615,"
		    "\"min\":-9223372036854775808,\"zero\":0,\"s\":\"\",\"b\":\"\"}\n");
	(void)state;
}

static void text_columns(void **state)
{
	struct record r;

	rec_begin(&r, 1234567, 3, "report"); /* seq wider than 6, no exit name */
	rec_u64(&r, "pass", 1);
	expect_line(&r, REC_TEXT, "1234567 vcpu3 report         pass=1\n");
	expect_line(&r, REC_JSONL, "{\"seq\":1234567,\"vcpu\":3,\"type\":\"report\",\"pass\":1}\n");
	rec_begin(&r, 1, 0, "exit"); /* name longer than the column */
	r.exit_name = "IRQ_WINDOW_OPEN";
	rec_u64(&r, "x", 1);
	expect_line(&r, REC_TEXT, "     1 vcpu0 IRQ_WINDOW_OPEN x=1\n");
	rec_begin(&r, 999999, 0, "exit");
	r.exit_name = "INTERNAL_ERROR"; /* exactly the column */
	rec_u64(&r, "x", 2);
	expect_line(&r, REC_TEXT, "999999 vcpu0 INTERNAL_ERROR x=2\n");
	/* A vCPU's record before its first exit keeps its columns, with seq 0. */
	rec_begin(&r, 0, 2, "regs");
	rec_hex(&r, "rip", 0xfff0);
	expect_line(&r, REC_TEXT, "     0 vcpu2 regs           rip=0xfff0\n");
	expect_line(&r, REC_JSONL, "{\"seq\":0,\"vcpu\":2,\"type\":\"regs\",\"rip\":\"0xfff0\"}\n");
	(void)state;
}

/* Code addresses: the symbol after the hex, "sym" for rip, KEY_sym for others. */
static void code_fields(void **state)
{
	static const struct symbol outb = { 0x100430, 0x10, "mvm_outb", 8 };
	char small[64];
	struct record r;

	rec_begin(&r, 3, 0, "exit");
	r.exit_name = "IO";
	rec_code(&r, "rip", 0x100435, &outb);
	rec_code(&r, "guest_rip", 0x100430, &outb);
	rec_code(&r, "nested_rip", 0xfff0, NULL);
	rec_word(&r, "dir", "out");
	expect_line(&r, REC_TEXT,
		    "     3 vcpu0 IO             rip=0x100435 <mvm_outb+0x5>"
		    " guest_rip=0x100430 <mvm_outb> nested_rip=0xfff0 dir=out\n");
	expect_line(&r, REC_JSONL,
		    "{\"seq\":3,\"vcpu\":0,\"type\":\"exit\",\"exit\":\"IO\","
		    "\"rip\":\"0x100435\",\"sym\":\"mvm_outb+0x5\","
		    "\"guest_rip\":\"0x100430\",\"guest_rip_sym\":\"mvm_outb\","
		    "\"nested_rip\":\"0xfff0\",\"dir\":\"out\"}\n");
	/* The bound counts the symbol: too small a buffer is left alone. */
	memset(small, 'x', sizeof(small));
	assert_true(rec_encode(&r, REC_JSONL, small, sizeof(small)) > sizeof(small));
	assert_int_equal(small[0], 'x');
	(void)state;
}

/* Below the bound nothing is written; a buffer of the returned size suffices. */
/* Every number of digits, at both sides of each power of ten, against printf. */
static void decimal_digits_at_powers_of_ten(void **state)
{
	uint64_t p = 1;

	(void)state;
	for (int k = 0; k < 20; k++, p *= 10) {
		const uint64_t around[] = { p - 1, p, p + 1, 2 * p - 1, p * 5 };

		for (size_t i = 0; i < sizeof(around) / sizeof(around[0]); i++) {
			char want[32], got[32];
			uint64_t v = around[i];

			if (k == 19 && i >= 3)
				continue; /* past UINT64_MAX */
			snprintf(want, sizeof(want), "%llu", (unsigned long long)v);
			assert_int_equal(enc_dec_digits(v), (int)strlen(want));
			*enc_dec(got, v) = '\0';
			assert_string_equal(got, want);
		}
	}
	assert_int_equal(enc_dec_digits(UINT64_MAX), 20);
	assert_int_equal(enc_dec_digits(0), 1);
}

/* enc_hex against printf: every length, every digit, and no store past 18 bytes. */
static void hex_against_printf(void **state)
{
	uint64_t x = 0x2545f4914f6cdd1dULL;

	(void)state;
	for (int round = 0; round < 20000; round++) {
		char want[32], got[40];
		uint64_t v;
		char *end;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		v = round < 64 ? 1ULL << round : round < 128 ? ~0ULL >> (round - 64) : x >> (x % 64);
		memset(got, '#', sizeof(got));
		snprintf(want, sizeof(want), "0x%llx", (unsigned long long)v);
		end = enc_hex(got, v);
		assert_int_equal(end - got, (int)strlen(want));
		assert_memory_equal(got, want, strlen(want));
		for (size_t i = 18; i < sizeof(got); i++)
			assert_int_equal(got[i], '#');
	}
}

static void encode_with_small_cap(void **state)
{
	struct record r;
	char full[512], buf[512];
	size_t len, bound, n;

	full_record(&r);
	len = rec_encode(&r, REC_JSONL, full, sizeof(full));
	assert_true(len > 20 && len < sizeof(full));
	bound = rec_encode(&r, REC_JSONL, NULL, 0);
	if (bound < len || bound >= sizeof(buf))
		fail_msg("wanted a bound in [%zu, %zu), got %zu", len, sizeof(buf), bound);
	for (size_t cap = 1; cap < bound; cap += cap < 16 ? 1 : bound / 9) {
		memset(buf, '#', sizeof(buf));
		n = rec_encode(&r, REC_JSONL, buf, cap);
		if (n != bound)
			fail_msg("cap %zu: wanted the bound %zu, got %zu", cap, bound, n);
		for (size_t i = 0; i < sizeof(buf); i++)
			if (buf[i] != '#')
				fail_msg("cap %zu: wanted nothing written, got byte %zu", cap, i);
	}
	memset(buf, '#', sizeof(buf));
	assert_int_equal(rec_encode(&r, REC_JSONL, buf, bound), len);
	assert_memory_equal(buf, full, len);
	assert_int_equal(buf[bound], '#');
	(void)state;
}

/* The bound holds for the widest seq and vcpu numbers and no fields to pad it. */
static void bound_suffices_for_widest_numbers(void **state)
{
	static const int vcpus[] = { 0, 2147483647, -1 };
	char buf[256];

	for (size_t i = 0; i < 3; i++) {
		for (int fmt = REC_TEXT; fmt <= REC_JSONL; fmt++) {
			struct record r;
			size_t bound, n;

			rec_begin(&r, UINT64_MAX, vcpus[i], "exit");
			r.exit_name = "IO";
			bound = rec_encode(&r, fmt, NULL, 0);
			assert_true(bound + 64 < sizeof(buf));
			memset(buf, '#', sizeof(buf));
			n = rec_encode(&r, fmt, buf, bound);
			if (n > bound || buf[bound] != '#')
				fail_msg("fmt %d vcpu %d: wanted at most the bound %zu bytes "
					 "written, "
					 "got %zu",
					 fmt, vcpus[i], bound, n);
		}
	}
	(void)state;
}

/* ---- a JSON-Lines reader for flat objects of strings and numbers ---- */

#define JMAX 32

struct jfield {
	char key[32];
	bool is_str;
	char *val; /* decoded string (malloc'd) or the number's text */
	size_t len;
};

struct jobj {
	int n;
	struct jfield f[JMAX];
};

/* Decodes one escape after '\'; returns the byte or -1. */
static int json_escape(const char **pp)
{
	const char *p = *pp;
	int c = -1;

	switch (*p++) {
	case '"':
		c = '"';
		break;
	case '\\':
		c = '\\';
		break;
	case '/':
		c = '/';
		break;
	case 'n':
		c = '\n';
		break;
	case 't':
		c = '\t';
		break;
	case 'r':
		c = '\r';
		break;
	case 'b':
		c = '\b';
		break;
	case 'f':
		c = '\f';
		break;
	case 'u':
		if (p[0] != '0' || p[1] != '0' || hex_digit(p[2]) < 0 || hex_digit(p[3]) < 0)
			return -1;
		c = hex_digit(p[2]) << 4 | hex_digit(p[3]);
		p += 4;
		break;
	}
	*pp = p;
	return c;
}

/* A string at p (at its '"'): decoded into out (room for strlen(p)); end or NULL. */
static const char *json_string(const char *p, char *out, size_t *len)
{
	size_t n = 0;

	if (*p++ != '"')
		return NULL;
	while (*p != '"') {
		int c = (unsigned char)*p++;

		if (c < 0x20 || c >= 0x7f) /* raw control or non-ASCII: not what we emit */
			return NULL;
		if (c == '\\' && (c = json_escape(&p)) < 0)
			return NULL;
		out[n++] = (char)c;
	}
	*len = n;
	return p + 1;
}

static const char *json_number(const char *p, struct jfield *f)
{
	const char *start = p;

	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return NULL;
	while (*p >= '0' && *p <= '9')
		p++;
	if ((size_t)(p - start) >= 32)
		return NULL;
	f->val = calloc(1, 32);
	memcpy(f->val, start, p - start);
	f->len = p - start;
	return p;
}

static void jobj_free(struct jobj *o)
{
	for (int i = 0; i < o->n; i++)
		free(o->f[i].val);
	o->n = 0;
}

/* One whole line "{...}\n"; false on anything else. */
static bool json_parse(const char *line, struct jobj *o)
{
	const char *p = line;
	size_t room = strlen(line) + 1;

	memset(o, 0, sizeof(*o));
	if (*p++ != '{')
		return false;
	while (*p != '}') {
		struct jfield *f = &o->f[o->n];
		size_t klen;

		if (o->n == JMAX || (o->n && *p++ != ','))
			return false;
		if (!(p = json_string(p, f->key, &klen)) || klen >= sizeof(f->key) - 1)
			return false;
		f->key[klen] = '\0';
		if (*p++ != ':')
			return false;
		o->n++;
		if (*p == '"') {
			f->is_str = true;
			f->val = calloc(1, room);
			p = json_string(p, f->val, &f->len);
		} else {
			p = json_number(p, f);
		}
		if (!p)
			return false;
	}
	return strcmp(p, "}\n") == 0;
}

static const struct jfield *jget(const struct jobj *o, const char *key)
{
	for (int i = 0; i < o->n; i++)
		if (strcmp(o->f[i].key, key) == 0)
			return &o->f[i];
	fail_msg("wanted key '%s' in the object, got none", key);
	return NULL;
}

static bool jhas(const struct jobj *o, const char *key)
{
	for (int i = 0; i < o->n; i++)
		if (strcmp(o->f[i].key, key) == 0)
			return true;
	return false;
}

static uint64_t j_hex(const struct jobj *o, const char *key)
{
	const struct jfield *f = jget(o, key);

	assert_true(f->is_str);
	assert_true(f->len > 2 && f->val[0] == '0' && f->val[1] == 'x');
	return strtoull(f->val + 2, NULL, 16);
}

static uint64_t j_u64(const struct jobj *o, const char *key)
{
	const struct jfield *f = jget(o, key);

	assert_false(f->is_str);
	return strtoull(f->val, NULL, 10);
}

static int64_t j_i64(const struct jobj *o, const char *key)
{
	const struct jfield *f = jget(o, key);

	assert_false(f->is_str);
	return strtoll(f->val, NULL, 10);
}

static void expect_jstr(const struct jobj *o, const char *key, const void *want, size_t len)
{
	const struct jfield *f = jget(o, key);

	assert_true(f->is_str);
	if (f->len != len)
		fail_msg("%s: wanted %zu bytes, got %zu", key, len, f->len);
	assert_memory_equal(f->val, want, len);
}

static void expect_jbytes(const struct jobj *o, const char *key, const uint8_t *want, size_t len)
{
	const struct jfield *f = jget(o, key);

	assert_true(f->is_str);
	assert_int_equal(f->len, 2 * len);
	for (size_t i = 0; i < len; i++) {
		int b = hex_digit(f->val[2 * i]) << 4 | hex_digit(f->val[2 * i + 1]);

		if (b != want[i])
			fail_msg("%s[%zu]: wanted 0x%02x, got 0x%02x", key, i, want[i], b);
	}
}

static void parse_record(const struct record *r, struct jobj *o)
{
	static char line[4096];
	size_t n = rec_encode(r, REC_JSONL, line, sizeof(line) - 1);

	assert_true(n < sizeof(line));
	line[n] = '\0';
	if (!json_parse(line, o))
		fail_msg("wanted one JSON object line, got '%s'", line);
}

static void jsonl_round_trip(void **state)
{
	uint8_t all[256];
	struct record r;
	struct jobj o;

	for (int i = 0; i < 256; i++)
		all[i] = (uint8_t)i;
	rec_begin(&r, UINT64_MAX, 7, "exit");
	r.exit_name = "MMIO";
	rec_hex(&r, "gpa", 0xfedcba9876543210ULL);
	rec_hex(&r, "top", UINT64_MAX);
	rec_u64(&r, "max", UINT64_MAX);
	rec_i64(&r, "neg", -1234567890123LL);
	rec_i64(&r, "min", INT64_MIN);
	rec_str(&r, "odd", odd_str, sizeof(odd_str) - 1);
	rec_str(&r, "all", all, sizeof(all));
	rec_bytes(&r, "bytes", all, sizeof(all));
	rec_word(&r, "dir", "read");
	parse_record(&r, &o);
	assert_int_equal(o.n, 13);
	assert_int_equal(j_u64(&o, "seq"), UINT64_MAX);
	assert_int_equal(j_u64(&o, "vcpu"), 7);
	expect_jstr(&o, "type", "exit", 4);
	expect_jstr(&o, "exit", "MMIO", 4);
	assert_int_equal(j_hex(&o, "gpa"), 0xfedcba9876543210ULL);
	assert_int_equal(j_hex(&o, "top"), UINT64_MAX);
	assert_int_equal(j_u64(&o, "max"), UINT64_MAX);
	assert_int_equal(j_i64(&o, "neg"), -1234567890123LL);
	assert_int_equal(j_i64(&o, "min"), INT64_MIN);
	expect_jstr(&o, "odd", odd_str, sizeof(odd_str) - 1);
	expect_jstr(&o, "all", all, sizeof(all));
	expect_jbytes(&o, "bytes", all, sizeof(all));
	expect_jstr(&o, "dir", "read", 4);
	jobj_free(&o);
	(void)state;
}

static void jsonl_round_trip_seq0(void **state)
{
	struct record r;
	struct jobj o;

	extremes_record(&r);
	parse_record(&r, &o);
	assert_false(jhas(&o, "seq"));
	assert_false(jhas(&o, "vcpu"));
	assert_false(jhas(&o, "exit"));
	expect_jstr(&o, "type", "header", 6);
	expect_jstr(&o, "mode", "long", 4);
	assert_int_equal(j_hex(&o, "entry"), 0);
	assert_int_equal(j_i64(&o, "min"), INT64_MIN);
	expect_jstr(&o, "s", "", 0);
	expect_jbytes(&o, "b", NULL, 0);
	jobj_free(&o);
	(void)state;
}

/* ---- the recorder, writing to a file ---- */

struct tmp {
	char dir[64];
	char path[96];
};

/* A fresh directory per test; teardown removes it even after a failure. */
static int tmp_setup(void **state)
{
	struct tmp *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	snprintf(t->dir, sizeof(t->dir), "/tmp/test_record.XXXXXX");
	if (!mkdtemp(t->dir))
		return -1;
	snprintf(t->path, sizeof(t->path), "%s/trace", t->dir);
	*state = t;
	return 0;
}

static int tmp_teardown(void **state)
{
	struct tmp *t = *state;

	unlink(t->path);
	rmdir(t->dir);
	free(t);
	return 0;
}

/* The next line of *p, compared with want; advances *p. */
static void expect_next_line(char **p, const char *want, size_t lineno)
{
	char *nl = strchr(*p, '\n');
	size_t len = strlen(want);

	if (!nl)
		fail_msg("line %zu: wanted '%.60s', got end of file", lineno, want);
	if ((size_t)(nl + 1 - *p) != len || memcmp(*p, want, len) != 0)
		fail_msg("line %zu: wanted '%.80s' (%zu bytes), got '%.80s' (%zu bytes)", lineno,
			 want, len, *p, (size_t)(nl + 1 - *p));
	*p = nl + 1;
}

#define SMALL_RECORDS 8000
#define BIG_AT	      3000
#define BIG_SIZE      (300 * 1024)

static char *big_line(const uint8_t *big)
{
	static const char hex[] = "0123456789abcdef";
	char *s = malloc(BIG_SIZE * 2 + 64);
	int n = sprintf(s, "%6d vcpu0 %-14s data=", BIG_AT, "blob");

	for (size_t i = 0; i < BIG_SIZE; i++) {
		s[n++] = hex[big[i] >> 4];
		s[n++] = hex[big[i] & 15];
	}
	strcpy(s + n, "\n");
	return s;
}

static void emit_many(struct recorder *rc, const uint8_t *big)
{
	struct record r;

	for (uint64_t i = 1; i <= SMALL_RECORDS; i++) {
		rec_begin(&r, i, 0, "exit");
		r.exit_name = "IO";
		rec_hex(&r, "port", 0x3f8);
		rec_u64(&r, "n", i);
		recorder_emit(rc, &r);
		if (i == BIG_AT) { /* bigger than the whole buffer */
			rec_begin(&r, i, 0, "blob");
			rec_bytes(&r, "data", big, BIG_SIZE);
			recorder_emit(rc, &r);
		}
	}
	recorder_count_exit(rc, KVM_EXIT_IO);
	recorder_count_exit(rc, KVM_EXIT_MMIO);
	recorder_count_exit(rc, KVM_EXIT_IO);
	recorder_count_exit(rc, KVM_EXIT_HLT);
	recorder_count_exit(rc, 9999);
	recorder_count_exit(rc, KVM_EXIT_MMIO);
	recorder_count_exit(rc, KVM_EXIT_IO);
	recorder_summary(rc);
}

static void recorder_file_round_trip(void **state)
{
	static const char *const summary[] = {
		"summary exit=IO count=3\n",
		"summary exit=HLT count=1\n",
		"summary exit=MMIO count=2\n",
		"summary exit=UNNAMED count=1\n",
	};
	uint8_t *big = malloc(BIG_SIZE);
	struct recorder rc;
	struct errbuf err = { "" };
	struct tmp *t = *state;
	char *data, *p, line[128], *want_big;
	size_t size, want_size, lineno = 0;

	for (size_t i = 0; i < BIG_SIZE; i++)
		big[i] = (uint8_t)(i * 7 + (i >> 9));
	if (!recorder_open(&rc, t->path, REC_TEXT, false, &err))
		fail_msg("recorder_open: %s", err.msg);
	emit_many(&rc, big);
	assert_true(recorder_close(&rc));
	p = data = slurp(t->path, &size);
	want_big = big_line(big);
	want_size = strlen(want_big);
	for (int i = 1; i <= SMALL_RECORDS; i++)
		want_size += snprintf(line, sizeof(line), "%6d vcpu0 %-14s port=0x3f8 n=%d\n", i,
				      "IO", i);
	for (size_t i = 0; i < 4; i++)
		want_size += strlen(summary[i]);
	assert_true(want_size > RECORDER_BUF_SIZE + 2 * BIG_SIZE);
	if (size != want_size || memchr(data, '\0', size))
		fail_msg("wanted %zu bytes of text, got %zu bytes, first NUL at offset %zd",
			 want_size, size,
			 memchr(data, '\0', size) ? (char *)memchr(data, '\0', size) - data : -1);
	assert_null(strstr(data, "t_ns"));
	for (int i = 1; i <= SMALL_RECORDS; i++) {
		snprintf(line, sizeof(line), "%6d vcpu0 %-14s port=0x3f8 n=%d\n", i, "IO", i);
		expect_next_line(&p, line, ++lineno);
		if (i == BIG_AT)
			expect_next_line(&p, want_big, ++lineno);
	}
	for (size_t i = 0; i < 4; i++)
		expect_next_line(&p, summary[i], ++lineno);
	if (*p)
		fail_msg("wanted end of file after %zu lines, got '%.60s'", lineno, p);
	assert_int_equal(lineno, SMALL_RECORDS + 1 + 4);
	free(want_big);
	free(data);
	free(big);
}

static void emit_timed(struct recorder *rc)
{
	struct record r;

	rec_begin(&r, 0, REC_NO_VCPU, "header");
	rec_word(&r, "mode", "long");
	recorder_emit(rc, &r);
	for (uint64_t seq = 1; seq <= 3; seq++) {
		rec_begin(&r, seq, 0, "exit");
		r.exit_name = "HLT";
		rec_u64(&r, "n", seq);
		recorder_emit(rc, &r);
		recorder_count_exit(rc, KVM_EXIT_HLT);
	}
	recorder_summary(rc);
}

static void recorder_timing_only_on_exits(void **state)
{
	struct recorder rc;
	struct errbuf err = { "" };
	struct tmp *t = *state;
	struct jobj o;
	char *data, *line, *save = NULL;
	size_t size;
	int lines = 0, timed = 0;
	uint64_t last_t = 0;

	if (!recorder_open(&rc, t->path, REC_JSONL, true, &err))
		fail_msg("recorder_open: %s", err.msg);
	emit_timed(&rc);
	assert_true(recorder_close(&rc));
	data = slurp(t->path, &size);
	for (line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char full[256];

		snprintf(full, sizeof(full), "%s\n", line);
		if (!json_parse(full, &o))
			fail_msg("line %d: wanted a JSON object, got '%s'", lines + 1, line);
		lines++;
		if (jhas(&o, "seq") && j_u64(&o, "seq") > 0) {
			uint64_t t_ns = j_u64(&o, "t_ns");

			assert_true(t_ns >= last_t);
			last_t = t_ns;
			timed++;
		} else if (jhas(&o, "t_ns")) {
			fail_msg("line %d: seq 0 record carries t_ns: '%s'", lines, line);
		}
		jobj_free(&o);
	}
	assert_int_equal(lines, 5);
	assert_int_equal(timed, 3);
	free(data);
}

static void recorder_open_bad_path(void **state)
{
	struct recorder rc;
	struct errbuf err = { "" };

	assert_false(recorder_open(&rc, "/nonexistent-minivmm-dir/trace", REC_TEXT, false, &err));
	assert_non_null(strstr(err.msg, "/nonexistent-minivmm-dir/trace"));
	(void)state;
}

/* --explain: a note ends a text line after two spaces and '#', JSON Lines has none. */
static void notes_end_text_lines(void **state)
{
	struct record r;
	char out[512], plain[512];
	size_t n;

	(void)state;
	rec_begin(&r, 3, 0, "exit");
	r.exit_name = "HLT";
	rec_hex(&r, "rip", 0x100061);
	n = rec_encode_noted(&r, REC_TEXT, "The guest halted.", out, sizeof(out));
	assert_int_equal(n, strlen("     3 vcpu0 HLT            rip=0x100061  # The guest "
				   "halted.\n"));
	assert_memory_equal(out, "     3 vcpu0 HLT            rip=0x100061  # The guest halted.\n",
			    n);
	n = rec_encode_noted(&r, REC_JSONL, "The guest halted.", out, sizeof(out));
	assert_int_equal(n, rec_encode(&r, REC_JSONL, plain, sizeof(plain)));
	assert_memory_equal(out, plain, n);
	n = rec_encode_noted(&r, REC_TEXT, NULL, out, sizeof(out));
	assert_int_equal(n, rec_encode(&r, REC_TEXT, plain, sizeof(plain)));
	assert_memory_equal(out, plain, n);
	/* Too small a buffer: the bound, which covers the note. */
	n = rec_encode_noted(&r, REC_TEXT, "The guest halted.", out, 8);
	assert_true(n > 8 && n <= sizeof(out));
}

/* The recorder's note: an exit's summary, an l2_exit's by isa and reason, none else. */
static void recorder_notes(void **state)
{
	struct recorder rc = { .fmt = REC_TEXT, .explain = true };
	struct record r;
	const char *vmx48;

	(void)state;
	rec_begin(&r, 1, 0, "exit");
	r.exit_name = "MMIO";
	assert_non_null(recorder_note(&rc, &r));
	rec_begin(&r, 1, 0, "l2_exit");
	rec_u64(&r, "level", 2);
	rec_word(&r, "isa", "vmx");
	rec_hex(&r, "reason", 0x30);
	vmx48 = recorder_note(&rc, &r);
	assert_non_null(vmx48);
	assert_non_null(strstr(vmx48, "EPT"));
	rec_begin(&r, 1, 0, "l2_exit");
	rec_word(&r, "isa", "vmx");
	rec_hex(&r, "reason", 0x80000021); /* bits 15:0 */
	assert_non_null(recorder_note(&rc, &r));
	rec_begin(&r, 1, 0, "report");
	rec_word(&r, "result", "PASS");
	assert_null(recorder_note(&rc, &r));
	rc.explain = false;
	rec_begin(&r, 1, 0, "exit");
	r.exit_name = "MMIO";
	assert_null(recorder_note(&rc, &r));
	rc.explain = true;
	rc.fmt = REC_JSONL;
	assert_null(recorder_note(&rc, &r));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_every_field_type),
		cmocka_unit_test(jsonl_every_field_type),
		cmocka_unit_test(text_extremes),
		cmocka_unit_test(jsonl_extremes),
		cmocka_unit_test(text_columns),
		cmocka_unit_test(code_fields),
		cmocka_unit_test(decimal_digits_at_powers_of_ten),
		cmocka_unit_test(hex_against_printf),
		cmocka_unit_test(encode_with_small_cap),
		cmocka_unit_test(bound_suffices_for_widest_numbers),
		cmocka_unit_test(jsonl_round_trip),
		cmocka_unit_test(jsonl_round_trip_seq0),
		cmocka_unit_test_setup_teardown(recorder_file_round_trip, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(recorder_timing_only_on_exits, tmp_setup,
						tmp_teardown),
		cmocka_unit_test(recorder_open_bad_path),
		cmocka_unit_test(notes_end_text_lines),
		cmocka_unit_test(recorder_notes),
	};

	return cmocka_run_group_tests_name("test_record", tests, NULL, NULL);
}
