/* SPDX-License-Identifier: MIT */
/* trace_text.c - owns rendering read-back records as text lines, through record.c's encoder. */
#include "trace_text.h"

#include <stdio.h>
#include <string.h>

#include "exit_info.h"
#include "record.h"

void text_ctx_init(struct text_ctx *c, struct disasm *dis)
{
	c->dis = dis;
	c->header_arch = -1;
	c->explain = false;
	for (int i = 0; i < TEXT_VCPUS; i++)
		c->vcpu_arch[i] = -1;
}

/* JSON cannot tell a string from a word, hex or bytes: these keys are the
 * RF_STR fields of vmm/ (rec_str, rec_cstr), everything else is bare. */
static const struct {
	const char *kind, *key;
} string_keys[] = {
	{ "trace", "payload" },
	{ "console", "text" },
	{ "print", "text" },
	{ "report", "msg" },
	{ "guest_exit", "msg" },
	{ "guest_error", "msg" },
	{ "checkpoint", "label" },
	{ "mem", "error" },
	{ "marker_error", "error" },
	{ "end", "detail" },
	{ "dirty_ring_overrun", "detail" },
};

static bool is_hex_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* A byte that would break the line if written bare: a control character or DEL. */
static bool has_control(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < ' ' || s[i] == 0x7f)
			return true;
	return false;
}

/* A kevent's own fields are hex, bytes, or (its __data_loc fields) strings. */
static bool kevent_is_string(const struct trace_field *f)
{
	static const char *const words[] = { "event", "reason_name", "mmio_type", "mode" };

	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		if (!strcmp(f->key, words[i]))
			return false;
	if (f->len > 2 && !strncmp(f->s, "0x", 2) && is_hex_digits(f->s + 2, f->len - 2))
		return false;
	return !(f->len && f->len % 2 == 0 && is_hex_digits(f->s, f->len));
}

bool trace_text_is_string(const char *kind, const struct trace_field *f)
{
	if (f->type != TV_STR)
		return false;
	if (has_control(f->s, f->len))
		return true; /* whatever the key: bare, it would end the line */
	for (size_t i = 0; i < ARRAY_SIZE(string_keys); i++)
		if (!strcmp(kind, string_keys[i].kind) && !strcmp(f->key, string_keys[i].key))
			return true;
	if (!strcmp(kind, "kevent"))
		return kevent_is_string(f);
	if (!strcmp(kind, "ktrace_event") && !strcmp(f->key, "name"))
		return false;
	/* A field this reader does not know: quoted only if it cannot be a word. */
	return !word_safe(f->s, f->len);
}

static int arch_of(const struct trace_field *mode)
{
	return mode && mode->type == TV_STR ? disasm_arch_of_mode(mode->s, mode->len) : -1;
}

/* The mode r's instruction bytes are in, remembering kvm_emulate_insn's per vCPU. */
static int record_arch(struct text_ctx *c, const struct trace_rec *r)
{
	int arch = arch_of(trace_field(r, "mode"));
	bool vcpu_ok = r->vcpu >= 0 && r->vcpu < TEXT_VCPUS;

	if (!strcmp(r->kind, "trace"))
		c->header_arch = arch;
	if (!strcmp(r->kind, "kevent") && arch >= 0 && vcpu_ok)
		c->vcpu_arch[r->vcpu] = arch;
	if (arch < 0 && vcpu_ok)
		arch = c->vcpu_arch[r->vcpu];
	return arch >= 0 ? arch : c->header_arch;
}

/* Whether f holds instruction bytes: kvm_emulate_insn's and INTERNAL_ERROR's
 * insn, a single-step's bytes. */
static bool holds_insn(const struct trace_rec *r, const struct trace_field *f)
{
	/* kvm_emulate_insn's, and an emulation failure's */
	bool emulated = !strcmp(r->kind, "kevent");

	if (r->exit_name && !strcmp(r->exit_name, "INTERNAL_ERROR"))
		emulated = true;
	if (f->type != TV_STR || !f->len || f->len % 2 || f->len > 2 * DISASM_MAX_BYTES ||
	    !is_hex_digits(f->s, f->len))
		return false;
	if (!strcmp(f->key, "insn"))
		return emulated;
	return !strcmp(f->key, "bytes") && !strcmp(r->kind, "step");
}

/*
 * objdump decoded at address 0, so a relative branch reads "je 0x1c": with
 * the record's rip, the target is rip + 0x1c. Other instructions, and
 * branches through a register or memory, are as objdump gave them.
 */
static void branch_target(const struct trace_rec *r, int arch, const char *text, char *out,
			  size_t cap)
{
	static const char *const branches[] = { "call",	 "loop",  "loope", "loopne",
						"jrcxz", "jecxz", "jcxz",  "xbegin" };
	const struct trace_field *rip = trace_field(r, "rip");
	const char *op = strchr(text, ' ');
	size_t mlen = op ? (size_t)(op - text) : 0;
	uint64_t base, off;
	bool branch = mlen && text[0] == 'j';

	for (size_t i = 0; i < ARRAY_SIZE(branches) && !branch; i++)
		branch = strlen(branches[i]) == mlen && !strncmp(text, branches[i], mlen);
	if (!branch || !rip || rip->type != TV_STR || !parse_u64(rip->s, &base) ||
	    strncmp(op + 1, "0x", 2) || !parse_u64(op + 1, &off)) {
		snprintf(out, cap, "%s", text);
		return;
	}
	base += off;
	if (arch != DISASM_X86_64)
		base &= arch == DISASM_I386 ? 0xffffffffu : 0xffffu;
	snprintf(out, cap, "%.*s 0x%llx", (int)mlen, text, (unsigned long long)base);
}

/* "488903 (mov %rax,(%rbx))" into out, or false to keep the hex alone. */
static bool decorate_insn(struct text_ctx *c, const struct trace_rec *r, int arch,
			  const struct trace_field *f, char *out, size_t cap)
{
	char insn[DISASM_TEXT + 24];
	uint8_t b[DISASM_MAX_BYTES];
	const char *text;
	size_t n = f->len / 2;

	if (!c->dis || arch < 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		const char *h = f->s + 2 * i;

		b[i] = (uint8_t)((h[0] <= '9' ? h[0] - '0' : h[0] - 'a' + 10) << 4 |
				 (h[1] <= '9' ? h[1] - '0' : h[1] - 'a' + 10));
	}
	if (!disasm_insn(c->dis, (enum disasm_arch)arch, b, n, &text))
		return false;
	branch_target(r, arch, text, insn, sizeof(insn));
	return (size_t)snprintf(out, cap, "%.*s (%s)", (int)f->len, f->s, insn) < cap;
}

#define DECORATED 4
#define DECO_LEN  (2 * DISASM_MAX_BYTES + DISASM_TEXT + 32)

/* Adds f to rec; a "sym" field joins the rip before it as " <sym>", the
 * text form symbols have there. */
static void add_field(struct text_ctx *c, const struct trace_rec *r, int arch,
		      const struct trace_field *f, struct record *rec, char deco[][DECO_LEN],
		      int *nd)
{
	struct rec_field *prev = rec->n ? &rec->f[rec->n - 1] : NULL;

	if (!strcmp(f->key, "sym") && f->type == TV_STR && !has_control(f->s, f->len) && prev &&
	    !strcmp(prev->key, "rip") && prev->type == RF_WORD && *nd < DECORATED) {
		bool angled = f->len && f->s[0] == '<';
		char *d = deco[(*nd)++];

		snprintf(d, DECO_LEN, "%.*s %s%.*s%s", (int)prev->len, (const char *)prev->p,
			 angled ? "" : "<", (int)f->len, f->s, angled ? "" : ">");
		prev->p = d;
		prev->len = strlen(d);
		return;
	}
	switch (f->type) {
	case TV_NUM:
		rec_add(rec, f->key, RF_U64)->u = f->u;
		break;
	case TV_INT:
		rec_add(rec, f->key, RF_I64)->u = f->u;
		break;
	case TV_RUNS:
		rec_runs(rec, f->key, 0, f->runs, f->len);
		break;
	case TV_LIT:
		rec_span(rec, f->key, RF_WORD, f->s, f->len);
		break;
	case TV_STR:
		if (*nd < DECORATED && holds_insn(r, f) &&
		    decorate_insn(c, r, arch, f, deco[*nd], DECO_LEN)) {
			rec_span(rec, f->key, RF_WORD, deco[*nd], strlen(deco[*nd]));
			(*nd)++;
		} else {
			rec_span(rec, f->key, trace_text_is_string(r->kind, f) ? RF_STR : RF_WORD,
				 f->s, f->len);
		}
		break;
	}
}

/* --explain's summary of r, as the recorder's would be (recorder_note()). */
static const char *record_note(const struct trace_rec *r)
{
	const struct trace_field *isa = trace_field(r, "isa"), *reason = trace_field(r, "reason");
	uint64_t v = 0;
	char w[4] = "", num[24];

	if (isa && isa->type == TV_STR && isa->len == 3)
		memcpy(w, isa->s, 3);
	if (reason && reason->type == TV_STR && reason->len < sizeof(num)) {
		snprintf(num, sizeof(num), "%.*s", (int)reason->len, reason->s);
		if (!parse_u64(num, &v))
			v = 0;
	}
	return exit_record_note(r->kind, r->exit_name, w[0] ? w : NULL, v);
}

size_t trace_text(struct text_ctx *c, const struct trace_rec *r, char *out, size_t cap,
		  struct errbuf *err)
{
	char deco[DECORATED][DECO_LEN];
	struct record rec;
	int arch = record_arch(c, r), nd = 0;

	rec_begin(&rec, r->seq, r->vcpu, r->kind);
	rec.exit_name = r->exit_name;
	/* Text writes these bare: a control character in one would end the line. */
	if (has_control(r->kind, strlen(r->kind)) ||
	    (r->exit_name && has_control(r->exit_name, strlen(r->exit_name)))) {
		errbuf_set(err, "line %lu: a control character in the type or exit name", r->line);
		return 0;
	}
	for (int i = 0; i < r->n; i++) {
		if (rec.n == REC_MAX_FIELDS) {
			errbuf_set(err, "line %lu: more than %d fields", r->line, REC_MAX_FIELDS);
			return 0;
		}
		if (strlen(r->f[i].key) > UINT8_MAX) {
			errbuf_set(err, "line %lu: a key of more than 255 bytes", r->line);
			return 0;
		}
		if (has_control(r->f[i].key, strlen(r->f[i].key))) {
			errbuf_set(err, "line %lu: a control character in a key", r->line);
			return 0;
		}
		add_field(c, r, arch, &r->f[i], &rec, deco, &nd);
	}
	return rec_encode_noted(&rec, REC_TEXT, c->explain ? record_note(r) : NULL, out, cap);
}
