/* SPDX-License-Identifier: MIT */
/* ktrace_render.c - owns writing a kevent's or kfunc's record without building it field by field. */
#include "ktrace_render.h"

#include <string.h>

#include "encode.h"
#include "ktrace_fields.h"
#include "util.h"

/* Longer symbols and names send the record down the generic path. */
#define SYM_NAME_MAX  200
#define WORD_NAME_MAX 48

static char *put_pre(char *p, const char *key, size_t klen, int json)
{
	if (json) {
		p = ENC_LIT(p, ",\"");
		p = enc_mem(p, key, klen);
		return ENC_LIT(p, "\":");
	}
	*p++ = ' ';
	p = enc_mem(p, key, klen);
	*p++ = '=';
	return p;
}

void ktrace_render_prepare(struct ktrace_event *e, enum rec_format fmt)
{
	int json = fmt == REC_JSONL;
	size_t kind = strlen(e->kind);
	char *p = e->pre;

	e->fast = false;
	/* The fields ktrace_add_sample() adds: name, ktime_ns, the plan's, the
	 * names; past REC_MAX_FIELDS the generic record reuses its last one. */
	if (e->nplan + 2 + KTRACE_NAMES_MAX > REC_MAX_FIELDS ||
	    kind + REC_KIND_WIDTH + e->name_key_len + e->name_len + 24 > KTRACE_PRE_MAX ||
	    !word_safe(e->name, e->name_len))
		return;
	if (json) {
		p = ENC_LIT(p, "\"type\":\"");
		p = enc_mem(p, e->kind, kind);
		*p++ = '"';
	} else {
		p = enc_mem(p, e->kind, kind);
		for (size_t i = kind; i < REC_KIND_WIDTH; i++)
			*p++ = ' ';
	}
	p = put_pre(p, e->name_key, e->name_key_len, json);
	if (json)
		*p++ = '"';
	p = enc_mem(p, e->name, e->name_len);
	if (json)
		*p++ = '"';
	p = put_pre(p, "ktime_ns", 8, json);
	e->pre_len = (uint8_t)(p - e->pre);
	/* head, pre, ktime_ns, the end; then per field its key (copied whole)
	 * and a number. Strings and bytes add up to six bytes per raw byte
	 * each: a format may lay fields over each other. */
	e->bound = KTRACE_HEAD_MAX + KTRACE_PRE_MAX + 24 + 4;
	e->nvar = 0;
	for (int i = 0; i < e->nplan; i++) {
		struct ktrace_field *f = &e->plan[i];

		e->nvar += f->value == KV_BYTES || f->value == KV_STR;
		f->kpre_len = (uint8_t)(put_pre(f->kpre, f->key, f->klen, json) - f->kpre);
		e->bound += sizeof(f->kpre) + 26;
		if (f->number == KV_CODE)
			e->bound += f->klen + 32 + SYM_NAME_MAX;
	}
	e->bound += KTRACE_NAMES_MAX * (16 + WORD_NAME_MAX);
	e->fast = true;
}

size_t ktrace_render_head(char *out, enum rec_format fmt, uint64_t seq, int vcpu)
{
	char *p = out;

	if (fmt == REC_JSONL) {
		p = ENC_LIT(p, "{\"seq\":");
		p = enc_dec(p, seq);
		p = ENC_LIT(p, ",\"vcpu\":");
		p = enc_dec(p, (uint64_t)vcpu);
		*p++ = ',';
	} else {
		int w = enc_dec_digits(seq);

		for (int i = w; i < 6; i++)
			*p++ = ' ';
		p = enc_dec_w(p, seq, w);
		p = ENC_LIT(p, " vcpu");
		p = enc_dec(p, (uint64_t)vcpu);
		*p++ = ' ';
	}
	return (size_t)(p - out);
}

static char *put_hex(char *p, uint64_t v, int json)
{
	if (json)
		*p++ = '"';
	p = enc_hex(p, v);
	if (json)
		*p++ = '"';
	return p;
}

/* A code address: text "0x.. <sym+0x..>", JSONL "0x..","key_sym":"sym+0x.."
 * ("sym" for rip). NULL when its symbol's name is too long for the bound. */
static char *put_code(char *p, const struct ktrace_field *f, uint64_t v, const struct symtab *syms,
		      size_t *hint, int json)
{
	const struct symbol *s = symtab_lookup(syms, v, hint);

	p = put_hex(p, v, json);
	if (!s)
		return p;
	if (s->name_len > SYM_NAME_MAX)
		return NULL;
	if (json) {
		p = ENC_LIT(p, ",\"");
		if (f->klen == 3 && memcmp(f->key, "rip", 3) == 0) {
			p = ENC_LIT(p, "sym");
		} else {
			p = enc_mem(p, f->key, f->klen);
			p = ENC_LIT(p, "_sym");
		}
		p = ENC_LIT(p, "\":\"");
	} else {
		p = ENC_LIT(p, " <");
	}
	p = enc_sym(p, s->name, s->name_len, v - s->addr);
	*p++ = json ? '"' : '>';
	return p;
}

static char *put_number(char *p, const struct ktrace_field *f, enum ktrace_value how, uint64_t v,
			const struct symtab *syms, size_t *hint, int json)
{
	if (how == KV_CODE)
		return put_code(p, f, v, syms, hint, json);
	if (how == KV_HEX)
		return put_hex(p, v, json);
	if ((int64_t)v < 0) {
		*p++ = '-';
		v = -v;
	}
	return enc_dec(p, v);
}

static inline char *put_kpre(char *p, const struct ktrace_field *f)
{
	memcpy(p, f->kpre, sizeof(f->kpre));
	return p + f->kpre_len;
}

/* One field as ktrace_add_sample() reads it (add_field there); p unchanged
 * when the sample does not hold it, NULL for the generic path. */
static char *put_field(char *p, const struct ktrace_event *e, const struct ktrace_field *f,
		       const uint8_t *raw, size_t len, const struct symtab *syms, size_t *hint,
		       int json)
{
	const struct tp_field *t = &e->fmt.field[f->field];
	uint64_t v;

	if (f->value == KV_BYTES) {
		uint64_t n = t->size;

		if (t->offset > len || t->size > len - t->offset)
			return p;
		if (f->cut >= 0 && tp_field_value(&e->fmt.field[f->cut], raw, len, &v) && v < n)
			n = v;
		p = put_kpre(p, f);
		if (json)
			*p++ = '"';
		for (uint64_t i = 0; i < n; i++)
			p = enc_mem(p, &enc_hex2[2 * raw[t->offset + i]], 2);
		if (json)
			*p++ = '"';
		return p;
	}
	if (!tp_field_value(t, raw, len, &v))
		return p;
	p = put_kpre(p, f);
	if (f->value == KV_STR && (v & 0xffff) + (v >> 16) <= len) {
		const char *s = (const char *)raw + (v & 0xffff);

		return enc_escaped(p, (const unsigned char *)s, strnlen(s, (v >> 16) & 0xffff),
				   json);
	}
	return put_number(p, f, f->number, v, syms, hint, json);
}

size_t ktrace_render(const struct ktrace_event *e, enum rec_format fmt, const char *head,
		     size_t head_len, int64_t ktime_ns, const uint8_t *raw, size_t len,
		     const struct symtab *syms, size_t *hint, char *out)
{
	struct ktrace_name nm[KTRACE_NAMES_MAX];
	int json = fmt == REC_JSONL, n;
	char *p = out;

	if (!e->fast || e->bound + e->nvar * 6 * len > KTRACE_RENDER_MAX ||
	    head_len > KTRACE_HEAD_MAX)
		return 0;
	/* Whole arrays, a few vector stores each: the bytes past a part's
	 * length are scratch, written over next (the bound counts them). */
	memcpy(p, head, KTRACE_HEAD_MAX);
	p += head_len;
	memcpy(p, e->pre, KTRACE_PRE_MAX);
	p += e->pre_len;
	if (ktime_ns < 0) {
		*p++ = '-';
		p = enc_dec(p, -(uint64_t)ktime_ns);
	} else {
		p = enc_dec(p, (uint64_t)ktime_ns);
	}
	for (int i = 0; i < e->nplan; i++)
		if (!(p = put_field(p, e, &e->plan[i], raw, len, syms, hint, json)))
			return 0;
	n = ktrace_names(e, raw, len, nm);
	for (int i = 0; i < n; i++) {
		if (nm[i].len > WORD_NAME_MAX)
			return 0;
		p = put_pre(p, nm[i].key, nm[i].klen, json);
		if (json)
			*p++ = '"';
		p = enc_mem(p, nm[i].s, nm[i].len);
		if (json)
			*p++ = '"';
	}
	p = json ? ENC_LIT(p, "}\n") : ENC_LIT(p, "\n");
	return (size_t)(p - out);
}
