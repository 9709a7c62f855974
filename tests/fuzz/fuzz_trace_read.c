/* SPDX-License-Identifier: MIT */
/*
 * fuzz_trace_read.c - the reader of `minivmm show`, `diff` and `replay`:
 * trace_parse_line() (trace_read.h) on each line of a JSONL trace, and
 * trace_text() (trace_text.h) rendering each record read, as show does.
 *
 * Input: a trace; it is cut at each '\n' as trace_next() cuts it (at most
 * 256 lines), each line in an allocation of exactly its length (no NUL).
 * A refusal must be one line naming the line number (trace_diff.c prints
 * it as it is); a record read must be consistent: kind and exit name set
 * as take_frame() promises, every string terminated inside the record's
 * copy of the line, numbers of their type, trace_field() finding each
 * key. Its rendering must honour rec_encode()'s bound and be one line.
 */
#include "fuzz.h"
#include "record.h"
#include "trace_read.h"
#include "trace_text.h"

#define LINES_MAX 256

/* s (n bytes and a NUL) lies in the record's copy of the line. */
static bool in_buf(const struct trace_rec *r, size_t len, const char *s, size_t n)
{
	return s >= r->buf && s <= r->buf + len && n <= (size_t)(r->buf + len - s);
}

static void check_field(const struct trace_rec *r, size_t len, const struct trace_field *f)
{
	const struct trace_field *first = trace_field(r, f->key);

	FUZZ_CHECK(in_buf(r, len, f->key, strlen(f->key)), "key outside the line");
	FUZZ_CHECK(first && !strcmp(first->key, f->key), "trace_field(%s) finds no field", f->key);
	switch (f->type) {
	case TV_NUM:
		break;
	case TV_INT:
		FUZZ_CHECK((int64_t)f->u <= 0, "%s: TV_INT %llu", f->key, (unsigned long long)f->u);
		break;
	case TV_STR:
		FUZZ_CHECK(in_buf(r, len, f->s, f->len) && f->s[f->len] == '\0',
			   "%s: string not terminated inside the line", f->key);
		break;
	case TV_LIT:
		FUZZ_CHECK(f->len > 0 && in_buf(r, len, f->s, f->len), "%s: literal", f->key);
		break;
	case TV_RUNS:
		FUZZ_CHECK(!f->len || f->runs, "%s: %zu runs without an array", f->key, f->len);
		break;
	default:
		FUZZ_CHECK(0, "%s: type %d", f->key, f->type);
	}
}

static void check_record(const struct trace_rec *r, size_t len, unsigned long lineno)
{
	FUZZ_CHECK(r->line == lineno, "line %lu, read %lu", lineno, r->line);
	FUZZ_CHECK(r->kind && in_buf(r, len, r->kind, strlen(r->kind)), "kind outside the line");
	FUZZ_CHECK(!strcmp(r->kind, "exit") == !!r->exit_name, "kind %s, exit name %s", r->kind,
		   r->exit_name ? r->exit_name : "none");
	FUZZ_CHECK(!r->exit_name || in_buf(r, len, r->exit_name, strlen(r->exit_name)), "exit name "
											"outside "
											"the line");
	FUZZ_CHECK(r->vcpu == REC_NO_VCPU || r->vcpu >= 0, "vcpu %d", r->vcpu);
	FUZZ_CHECK(r->n >= 0 && r->n <= r->cap, "%d fields, room for %d", r->n, r->cap);
	for (int i = 0; i < r->n; i++)
		check_field(r, len, &r->f[i]);
}

/* As show renders it: the bound, a buffer of exactly that, one line. */
static void check_rendered(struct text_ctx *c, const struct trace_rec *r)
{
	struct errbuf err = { "" };
	char probe = 0x5a, *out;
	size_t need = trace_text(c, r, &probe, 0, &err), n;

	FUZZ_CHECK(probe == 0x5a, "trace_text wrote into a buffer of 0 bytes");
	if (!need) {
		FUZZ_CHECK(err.msg[0] && !fuzz_has_control(err.msg, strlen(err.msg)), "trace_text "
										      "refused "
										      "without a "
										      "one-line "
										      "message");
		return;
	}
	out = malloc(need);
	if (!out)
		abort();
	n = trace_text(c, r, out, need, &err);
	FUZZ_CHECK(n > 0 && n <= need, "rendered %zu bytes, the bound %zu", n, need);
	fuzz_check_line(out, n, "show");
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct text_ctx c;
	unsigned long lineno = 0;
	size_t i = 0;

	text_ctx_init(&c, NULL);
	while (i < size && lineno < LINES_MAX) {
		const uint8_t *nl = memchr(data + i, '\n', size - i);
		size_t len = nl ? (size_t)(nl - (data + i)) : size - i;
		char *line = fuzz_dup(data + i, len, false);
		struct errbuf err = { "" };
		struct trace_rec r;
		char want[32];

		i += len + 1;
		lineno++;
		if (trace_parse_line(line, len, lineno, &r, &err)) {
			check_record(&r, len, lineno);
			check_rendered(&c, &r);
			trace_rec_free(&r);
		} else {
			snprintf(want, sizeof(want), "line %lu", lineno);
			FUZZ_CHECK(!strncmp(err.msg, want, strlen(want)) &&
					   !fuzz_has_control(err.msg, strlen(err.msg)),
				   "refusal '%s' is not one line naming %s", err.msg, want);
			FUZZ_CHECK(!r.buf && !r.f, "refused record not freed");
		}
		free(line);
	}
	return 0;
}
