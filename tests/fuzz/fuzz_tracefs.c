/* SPDX-License-Identifier: MIT */
/*
 * fuzz_tracefs.c - tp_format_parse() (tracefs.h) on a tracepoint's format
 * file, then its fields read from a raw sample as --ktrace reads them:
 * tp_field_value(), ktrace_resolve_fields() and ktrace_add_sample()
 * (ktrace_fields.h), and the kevent record that makes, encoded (record.h).
 *
 * Input: the format file's text, a NUL, then the raw sample (in an
 * allocation of exactly its size). An accepted format must hold named
 * fields the record can use (no common_ field, at most TP_FIELDS_MAX,
 * key = "tp_" + name); the parser bounds no offset, so every reader must
 * stay inside the sample: tp_field_value() gives the little-endian value
 * of a field that lies inside it, and nothing of one that does not. The
 * kevent record must encode as one text line and one JSON object, and
 * rendered in place (ktrace_render.h) give the same bytes or leave it to
 * the generic path.
 */
#include "fuzz.h"
#include "ktrace_fields.h"
#include "ktrace_render.h"
#include "machine.h"
#include "tracefs.h"
#include "vcpu.h"

static void check_field(const struct tp_field *fl, const uint8_t *raw, size_t len)
{
	size_t n = strnlen(fl->name, sizeof(fl->name));
	uint64_t v, want = 0;
	bool inside = fl->size >= 1 && fl->size <= 8 && (uint64_t)fl->offset + fl->size <= len;

	FUZZ_CHECK(n > 0 && n < sizeof(fl->name), "field name of %zu bytes", n);
	FUZZ_CHECK(strncmp(fl->name, "common_", 7), "common field %s kept", fl->name);
	FUZZ_CHECK(!strncmp(fl->key, "tp_", 3) && !strcmp(fl->key + 3, fl->name), "key %s of %s",
		   fl->key, fl->name);
	FUZZ_CHECK(tp_field_value(fl, raw, len, &v) == inside,
		   "field %s at %u, %u bytes, in a sample of %zu: read %s", fl->name, fl->offset,
		   fl->size, len, inside ? "refused" : "allowed");
	if (!inside)
		return;
	for (uint32_t i = 0; i < fl->size; i++)
		want |= (uint64_t)raw[fl->offset + i] << (8 * i);
	if (fl->is_signed && fl->size < 8 && want >> (8 * fl->size - 1))
		want |= ~0ULL << (8 * fl->size);
	FUZZ_CHECK(v == want, "field %s: 0x%llx, wanted 0x%llx", fl->name, (unsigned long long)v,
		   (unsigned long long)want);
}

/* The same record rendered in place (ktrace_render.h): the same bytes, or
 * none (the generic path). */
static void check_rendered(const struct ktrace_event *e, enum rec_format fmt, const uint8_t *raw,
			   size_t len, const char *want, size_t n)
{
	static struct ktrace_event fast;
	static char out[KTRACE_RENDER_MAX];
	char head[KTRACE_HEAD_MAX];
	size_t hn, got;

	fast = *e;
	ktrace_render_prepare(&fast, fmt);
	hn = ktrace_render_head(head, fmt, 1, 0);
	got = ktrace_render(&fast, fmt, head, hn, 12345, raw, len, NULL, NULL, out);
	FUZZ_CHECK(got <= KTRACE_RENDER_MAX, "rendered %zu bytes", got);
	FUZZ_CHECK(!got || (got == n && !memcmp(out, want, n)),
		   "rendered %.*s\nencoded  %.*s", (int)got, out, (int)n, want);
}

/* The kevent ktrace.c records for this sample, encoded both ways. */
static void check_kevent(const struct tp_format *f, const uint8_t *raw, size_t len)
{
	static struct machine m; /* no symbols: RIPs are plain hex */
	static struct ktrace_event e;
	struct vcpu v = { .id = 0, .seq = 1, .m = &m };
	struct record r;

	e.fmt = *f;
	ktrace_resolve_fields(&e);
	ktrace_add_sample(&r, &v, &e, 12345, raw, len);
	for (int fmt = REC_TEXT; fmt <= REC_JSONL; fmt++) {
		size_t need = rec_encode(&r, fmt, NULL, 0), n;
		char *out = malloc(need);
		const char *why;

		if (!out)
			abort();
		n = rec_encode(&r, fmt, out, need);
		FUZZ_CHECK(n <= need, "encoded %zu bytes past the bound %zu", n, need);
		fuzz_check_line(out, n, fmt == REC_JSONL ? "kevent JSON" : "kevent text");
		why = fmt == REC_JSONL ? fuzz_json_object_error(out, n - 1) : NULL;
		FUZZ_CHECK(!why, "kevent JSON: %s: %.*s", why, (int)n - 1, out);
		check_rendered(&e, fmt, raw, len, out, n);
		free(out);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t tlen = nul ? (size_t)(nul - data) : size;
	size_t rlen = nul ? size - tlen - 1 : 0;
	char *text = fuzz_dup(data, tlen, true);
	uint8_t *raw = fuzz_dup(nul ? nul + 1 : data, rlen, false);
	struct errbuf err = { "" };
	struct tp_format *f = malloc(sizeof(*f));

	if (!f)
		abort();
	if (tp_format_parse(text, f, &err)) {
		FUZZ_CHECK(f->nfields >= 0 && f->nfields <= TP_FIELDS_MAX, "%d fields", f->nfields);
		FUZZ_CHECK(memchr(f->name, 0, sizeof(f->name)), "event name not terminated");
		for (int i = 0; i < f->nfields; i++)
			check_field(&f->field[i], raw, rlen);
		check_kevent(f, raw, rlen);
	} else {
		FUZZ_CHECK(memchr(err.msg, 0, sizeof(err.msg)) && err.msg[0], "refused silently");
	}
	free(f);
	free(text);
	free(raw);
	return 0;
}
