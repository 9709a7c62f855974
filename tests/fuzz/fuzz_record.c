/* SPDX-License-Identifier: MIT */
/*
 * fuzz_record.c - rec_encode() (record.h), the encoder of every trace line,
 * and trace_parse_line() (trace_read.h) reading its JSON back.
 *
 * A record is built from the input with every builder record.h has:
 * rec_hex, rec_u64, rec_i64, rec_str and rec_bytes (any bytes: NUL,
 * newline, quotes, high bytes), rec_cstr, rec_runs, rec_code (with and
 * without a symbol) and rec_word, under identifier keys, past
 * REC_MAX_FIELDS too. Keys, kinds, words and symbol names are what
 * vmm/ gives them (names without blanks or quotes: util.c's
 * word_safe); the strings and bytes are anything.
 *
 * Checked: the text line is one line of printable ASCII; the JSONL line
 * is one line holding one valid JSON object (a strict RFC 8259 parser);
 * rec_encode() honours its bound as recorder.c relies on it (a cap below
 * the bound gets the bound back and nothing written, the bound is enough
 * and never written past, in exact-size buffers); trace_parse_line()
 * reads the JSON back to the same frame and fields, and trace_text()
 * renders that as one line.
 *
 * Input: a frame byte (bit 0: a vCPU's record; bit 1: an exit record;
 * bits 2-3: the kind), seq (8 bytes), vcpu (2), a name, then fields: a
 * byte whose value mod 10 is the builder, a key, the value.
 */
#include <inttypes.h>

#include "fuzz.h"
#include "record.h"
#include "trace_read.h"
#include "trace_text.h"

#define FIELDS_MAX (REC_MAX_FIELDS + 4) /* rec_*() calls on one record */
#define ALLOCS_MAX (FIELDS_MAX * 2 + 4)
#define RUNS_MAX   8

enum { B_HEX, B_U64, B_I64, B_STR, B_CSTR, B_BYTES, B_RUNS, B_CODE, B_CODE_SYM, B_WORD, B_COUNT };

/* The record and what its fields point at, freed after each input. */
struct built {
	struct record r;
	char kind[32], exit_name[32];
	struct symbol sym[REC_MAX_FIELDS];
	void *alloc[ALLOCS_MAX];
	int nalloc;
};

static void *keep(struct built *b, void *p)
{
	if (b->nalloc == ALLOCS_MAX)
		abort();
	return b->alloc[b->nalloc++] = p;
}

/* A name of 1 to max characters drawn from set (NUL-terminated, in buf or a new allocation). */
static char *name_from(struct fuzz_in *in, const char *set, size_t max, char *buf)
{
	size_t n = fuzz_u8(in) % max + 1, k = strlen(set);
	char *s = buf ? buf : malloc(n + 1);

	if (!s)
		abort();
	for (size_t i = 0; i < n; i++)
		s[i] = set[fuzz_u8(in) % k];
	s[n] = '\0';
	return s;
}

static const char ident[] = "abcdefghijklmnopqrstuvwxyz0123456789_";
/* What symbols.c accepts as a symbol name, and words: graphic ASCII but quote and backslash. */
static const char graphic[] = "!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			      "[]^_`abcdefghijklmnopqrstuvwxyz{|}~";

static void build_frame(struct fuzz_in *in, struct built *b)
{
	static const char *const kinds[] = { NULL, "trace", "kevent", "step" };
	unsigned frame = fuzz_u8(in);
	uint64_t seq = fuzz_uint(in, 8);
	int vcpu = (int)fuzz_uint(in, 2);
	const char *kind = kinds[(frame >> 2) & 3];

	name_from(in, ident, 16, b->exit_name);
	if (frame & 2)
		kind = "exit";
	if (kind)
		snprintf(b->kind, sizeof(b->kind), "%s", kind);
	else
		name_from(in, ident, 16, b->kind);
	rec_begin(&b->r, seq, frame & 1 ? vcpu : REC_NO_VCPU, b->kind);
	b->r.exit_name = strcmp(b->kind, "exit") ? NULL : b->exit_name;
}

static void add_span(struct fuzz_in *in, struct built *b, const char *key, int kind)
{
	size_t want = (size_t)fuzz_uint(in, 2) % 300, n;
	const uint8_t *p = fuzz_bytes(in, want, &n);
	char *s = keep(b, fuzz_dup(p, n, kind == B_CSTR));

	if (kind == B_STR)
		rec_str(&b->r, key, s, n);
	else if (kind == B_CSTR)
		rec_cstr(&b->r, key, s);
	else
		rec_bytes(&b->r, key, s, n);
}

static void add_runs(struct fuzz_in *in, struct built *b, const char *key)
{
	size_t n = fuzz_u8(in) % (RUNS_MAX + 1);
	uint64_t base = fuzz_uint(in, 8) & ~0xfffULL; /* a slot's address: page-aligned */
	struct page_run *runs = keep(b, malloc(n ? n * sizeof(*runs) : 1));

	if (!runs)
		abort();
	for (size_t i = 0; i < n; i++) {
		runs[i].first = fuzz_uint(in, 8);
		runs[i].count = fuzz_uint(in, 8);
	}
	rec_runs(&b->r, key, base, runs, n);
}

static void add_field(struct fuzz_in *in, struct built *b)
{
	int kind = fuzz_u8(in) % B_COUNT;
	const char *key = keep(b, name_from(in, ident, 24, NULL));
	/* Past REC_MAX_FIELDS, rec_add() reuses the last field. */
	struct symbol *s = &b->sym[b->r.n < REC_MAX_FIELDS ? b->r.n : REC_MAX_FIELDS - 1];
	uint64_t v = fuzz_uint(in, 8);

	switch (kind) {
	case B_HEX:
		rec_hex(&b->r, key, v);
		break;
	case B_U64:
		rec_u64(&b->r, key, v);
		break;
	case B_I64:
		rec_i64(&b->r, key, (int64_t)v);
		break;
	case B_STR:
	case B_CSTR:
	case B_BYTES:
		add_span(in, b, key, kind);
		break;
	case B_RUNS:
		add_runs(in, b, key);
		break;
	case B_CODE:
		rec_code(&b->r, key, v, NULL);
		break;
	case B_CODE_SYM:
		s->name = keep(b, name_from(in, graphic, 40, NULL));
		s->name_len = (uint32_t)strlen(s->name);
		s->addr = fuzz_uint(in, 8);
		s->size = 1;
		rec_code(&b->r, key, v, s);
		break;
	case B_WORD:
		rec_word(&b->r, key, keep(b, name_from(in, graphic, 40, NULL)));
		break;
	}
}

/*
 * Encodes r into an allocation of exactly the bound, then checks the
 * bound's contract with caps below it (nothing written) and above it.
 */
static char *encode(const struct record *r, enum rec_format fmt, size_t *len, size_t small)
{
	char probe = 0x5a, *out, *low, *high;
	size_t need = rec_encode(r, fmt, &probe, 0), cap;

	FUZZ_CHECK(need > 0 && probe == 0x5a, "cap 0: need %zu, wrote", need);
	out = malloc(need);
	if (!out)
		abort();
	*len = rec_encode(r, fmt, out, need);
	FUZZ_CHECK(*len > 0 && *len <= need, "encoded %zu bytes, the bound %zu", *len, need);
	cap = small % need;
	low = malloc(cap ? cap : 1);
	high = malloc(need + 64);
	if (!low || !high)
		abort();
	memset(low, 0xa5, cap);
	FUZZ_CHECK(rec_encode(r, fmt, low, cap) == need, "cap %zu below the bound %zu", cap, need);
	for (size_t i = 0; i < cap; i++)
		FUZZ_CHECK((unsigned char)low[i] == 0xa5, "cap %zu < bound %zu: wrote byte %zu",
			   cap, need, i);
	FUZZ_CHECK(rec_encode(r, fmt, high, need + 64) == *len && !memcmp(high, out, *len),
		   "a larger buffer encodes otherwise");
	free(low);
	free(high);
	return out;
}

static void check_text(const char *s, size_t n)
{
	fuzz_check_line(s, n, "text");
	for (size_t i = 0; i + 1 < n; i++)
		FUZZ_CHECK((unsigned char)s[i] <= '~', "text byte 0x%02x at %zu: '%.*s'",
			   (unsigned char)s[i], i, (int)n - 1, s);
}

static bool hex_is(const struct trace_field *f, uint64_t v)
{
	char want[24];

	snprintf(want, sizeof(want), "0x%" PRIx64, v);
	return f->type == TV_STR && f->len == strlen(want) && !memcmp(f->s, want, f->len);
}

/* A rec_code()'s symbol: the field after it, "sym" for rip, else KEY_sym. */
static void check_sym(const struct rec_field *f, const struct trace_rec *p, int *j)
{
	const struct symbol *s = f->p;
	const struct trace_field *t;
	char key[300], name[80];

	FUZZ_CHECK(*j < p->n, "%s: no symbol field after it", f->key);
	t = &p->f[(*j)++];
	if (f->klen == 3 && !memcmp(f->key, "rip", 3))
		snprintf(key, sizeof(key), "sym");
	else
		snprintf(key, sizeof(key), "%.*s_sym", f->klen, f->key);
	if (f->u == s->addr)
		snprintf(name, sizeof(name), "%s", s->name);
	else
		snprintf(name, sizeof(name), "%s+0x%" PRIx64, s->name, f->u - s->addr);
	FUZZ_CHECK(!strcmp(t->key, key) && t->type == TV_STR && t->len == strlen(name) &&
			   !memcmp(t->s, name, t->len),
		   "%s: symbol %s read back as %s=%.*s", f->key, name, t->key, (int)t->len, t->s);
}

/* The JSON field(s) rec field f became, from p->f[*j] on. */
static void check_back(const struct rec_field *f, const struct trace_rec *p, int *j)
{
	const struct trace_field *t = &p->f[(*j)++];
	const unsigned char *b = f->p;
	char hex[3];

	FUZZ_CHECK(strlen(t->key) == f->klen && !memcmp(t->key, f->key, f->klen),
		   "key %s read back as %s", f->key, t->key);
	switch (f->type) {
	case RF_HEX:
		FUZZ_CHECK(hex_is(t, f->u), "%s: hex 0x%" PRIx64, f->key, f->u);
		break;
	case RF_U64:
	case RF_I64:
		FUZZ_CHECK(t->u == f->u &&
				   t->type == (f->type == RF_I64 && (int64_t)f->u < 0 ? TV_INT
										      : TV_NUM),
			   "%s: number %" PRIu64 " read back as %" PRIu64 " (type %d)", f->key,
			   f->u, t->u, t->type);
		break;
	case RF_STR:
	case RF_WORD:
		FUZZ_CHECK(t->type == TV_STR && t->len == f->len && !memcmp(t->s, f->p, f->len),
			   "%s: string of %zu bytes read back as %zu", f->key, f->len, t->len);
		break;
	case RF_BYTES:
		FUZZ_CHECK(t->type == TV_STR && t->len == 2 * f->len, "%s: bytes", f->key);
		for (size_t i = 0; i < f->len; i++) {
			snprintf(hex, sizeof(hex), "%02x", b[i]);
			FUZZ_CHECK(!memcmp(t->s + 2 * i, hex, 2), "%s: byte %zu", f->key, i);
		}
		break;
	case RF_RUNS: {
		const struct page_run *run = f->p;

		FUZZ_CHECK(t->type == TV_RUNS && t->len == f->len, "%s: runs", f->key);
		for (size_t i = 0; i < f->len; i++)
			FUZZ_CHECK(t->runs[i].first == (f->u + run[i].first * 4096) >> 12 &&
					   t->runs[i].count == run[i].count,
				   "%s: run %zu", f->key, i);
		break;
	}
	case RF_CODE:
		FUZZ_CHECK(hex_is(t, f->u), "%s: code 0x%" PRIx64, f->key, f->u);
		if (f->p)
			check_sym(f, p, j);
		break;
	}
}

/* What `minivmm show` prints for the record read back: one line. */
static void check_rendered(const struct trace_rec *p)
{
	struct errbuf err = { "" };
	struct text_ctx c;
	char probe;
	size_t need, n;
	char *out;

	text_ctx_init(&c, NULL);
	need = trace_text(&c, p, &probe, 0, &err);
	if (!need) {
		FUZZ_CHECK(err.msg[0], "trace_text refused silently");
		return;
	}
	out = malloc(need);
	if (!out)
		abort();
	n = trace_text(&c, p, out, need, &err);
	FUZZ_CHECK(n > 0 && n <= need, "rendered %zu bytes, the bound %zu", n, need);
	fuzz_check_line(out, n, "show");
	free(out);
}

/* The JSON line read back: the frame and every field, in order. */
static void check_read_back(const struct record *r, const char *json, size_t n)
{
	struct errbuf err = { "" };
	struct trace_rec p;
	int j = 0;

	FUZZ_CHECK(trace_parse_line(json, n, 1, &p, &err), "JSON not read back: %s: %.*s", err.msg,
		   (int)n, json);
	FUZZ_CHECK(!strcmp(p.kind, r->kind), "kind %s read back as %s", r->kind, p.kind);
	FUZZ_CHECK(p.vcpu == r->vcpu && (r->vcpu < 0 || p.seq == r->seq), "frame read back");
	FUZZ_CHECK(!r->exit_name == !p.exit_name &&
			   (!r->exit_name || !strcmp(r->exit_name, p.exit_name)),
		   "exit name read back");
	for (int i = 0; i < r->n; i++) {
		FUZZ_CHECK(j < p.n, "field %d of %d not read back", i, r->n);
		check_back(&r->f[i], &p, &j);
	}
	FUZZ_CHECK(j == p.n, "%d fields read back from %d", p.n, j);
	check_rendered(&p);
	trace_rec_free(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct built *b = calloc(1, sizeof(*b));
	char *text, *json;
	size_t tlen, jlen, small;
	const char *why;

	if (!b)
		abort();
	build_frame(&in, b);
	small = (size_t)fuzz_uint(&in, 2);
	for (int i = 0; in.left && i < FIELDS_MAX; i++)
		add_field(&in, b);
	text = encode(&b->r, REC_TEXT, &tlen, small);
	check_text(text, tlen);
	json = encode(&b->r, REC_JSONL, &jlen, small);
	fuzz_check_line(json, jlen, "JSON");
	why = fuzz_json_object_error(json, jlen - 1);
	FUZZ_CHECK(!why, "not JSON: %s: %.*s", why, (int)jlen - 1, json);
	check_read_back(&b->r, json, jlen - 1);
	free(text);
	free(json);
	for (int i = 0; i < b->nalloc; i++)
		free(b->alloc[i]);
	free(b);
	return 0;
}
