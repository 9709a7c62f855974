/* SPDX-License-Identifier: MIT */
/* record.c - builds records and encodes them as text lines or JSON Lines. */
#include "record.h"

#include <string.h>

static const char hexdig[] = "0123456789abcdef";

static struct rec_field *rec_add(struct record *r, const char *key, enum rec_type t)
{
	/* Builders never exceed REC_MAX_FIELDS; a record that would is cut. */
	static struct rec_field overflow;
	struct rec_field *f = r->n < REC_MAX_FIELDS ? &r->f[r->n++] : &overflow;

	f->key = key;
	f->type = t;
	return f;
}

void rec_begin(struct record *r, uint64_t seq, int vcpu, const char *kind)
{
	r->seq = seq;
	r->vcpu = vcpu;
	r->kind = kind;
	r->exit_name = NULL;
	r->n = 0;
}

void rec_hex(struct record *r, const char *key, uint64_t v)
{
	rec_add(r, key, RF_HEX)->u = v;
}

void rec_u64(struct record *r, const char *key, uint64_t v)
{
	rec_add(r, key, RF_U64)->u = v;
}

void rec_i64(struct record *r, const char *key, int64_t v)
{
	rec_add(r, key, RF_I64)->u = (uint64_t)v;
}

void rec_str(struct record *r, const char *key, const void *s, size_t len)
{
	struct rec_field *f = rec_add(r, key, RF_STR);

	f->p = s;
	f->len = len;
}

void rec_cstr(struct record *r, const char *key, const char *s)
{
	rec_str(r, key, s, strlen(s));
}

void rec_bytes(struct record *r, const char *key, const void *p, size_t len)
{
	struct rec_field *f = rec_add(r, key, RF_BYTES);

	f->p = p;
	f->len = len;
}

void rec_word(struct record *r, const char *key, const char *w)
{
	struct rec_field *f = rec_add(r, key, RF_WORD);

	f->p = w;
	f->len = strlen(w);
}

/* A bounded writer: counts what it would write past the end. */
struct sink {
	char *p;
	size_t len, cap;
};

static void put(struct sink *s, char c)
{
	if (s->len < s->cap)
		s->p[s->len] = c;
	s->len++;
}

static void puts_n(struct sink *s, const char *str, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put(s, str[i]);
}

static void put_str(struct sink *s, const char *str)
{
	puts_n(s, str, strlen(str));
}

static void put_u64(struct sink *s, uint64_t v, int base)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = hexdig[v % base];
		v /= base;
	} while (v);
	while (n)
		put(s, tmp[--n]);
}

static void put_hex(struct sink *s, uint64_t v)
{
	put_str(s, "0x");
	put_u64(s, v, 16);
}

static void put_escaped(struct sink *s, const unsigned char *p, size_t n, int json)
{
	put(s, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];

		if (c == '"' || c == '\\') {
			put(s, '\\');
			put(s, c);
		} else if (c == '\n') {
			put_str(s, "\\n");
		} else if (c == '\t') {
			put_str(s, "\\t");
		} else if (c == '\r') {
			put_str(s, "\\r");
		} else if (c < 0x20 || c >= 0x7f) {
			put_str(s, json ? "\\u00" : "\\x");
			put(s, hexdig[c >> 4]);
			put(s, hexdig[c & 15]);
		} else {
			put(s, c);
		}
	}
	put(s, '"');
}

static void put_value(struct sink *s, const struct rec_field *f, int json)
{
	const unsigned char *b = f->p;

	switch (f->type) {
	case RF_HEX:
		if (json)
			put(s, '"');
		put_hex(s, f->u);
		if (json)
			put(s, '"');
		break;
	case RF_U64:
		put_u64(s, f->u, 10);
		break;
	case RF_I64:
		if ((int64_t)f->u < 0) {
			put(s, '-');
			put_u64(s, -f->u, 10);
		} else {
			put_u64(s, f->u, 10);
		}
		break;
	case RF_STR:
		put_escaped(s, b, f->len, json);
		break;
	case RF_BYTES:
		if (json)
			put(s, '"');
		for (size_t i = 0; i < f->len; i++) {
			put(s, hexdig[b[i] >> 4]);
			put(s, hexdig[b[i] & 15]);
		}
		if (json)
			put(s, '"');
		break;
	case RF_WORD:
		if (json)
			put_escaped(s, b, f->len, 1);
		else
			puts_n(s, f->p, f->len);
		break;
	}
}

static void encode_text(const struct record *r, struct sink *s)
{
	const char *name = r->exit_name ? r->exit_name : r->kind;

	if (r->seq) {
		char pad[8];
		size_t w = 0;
		uint64_t v = r->seq;

		do {
			w++;
			v /= 10;
		} while (v);
		memset(pad, ' ', sizeof(pad));
		if (w < 6)
			puts_n(s, pad, 6 - w);
		put_u64(s, r->seq, 10);
		put_str(s, " vcpu");
		put_u64(s, r->vcpu, 10);
		put(s, ' ');
	}
	put_str(s, name);
	for (size_t i = strlen(name); r->seq && i < 14; i++)
		put(s, ' ');
	for (int i = 0; i < r->n; i++) {
		put(s, ' ');
		put_str(s, r->f[i].key);
		put(s, '=');
		put_value(s, &r->f[i], 0);
	}
	put(s, '\n');
}

static void encode_json(const struct record *r, struct sink *s)
{
	put(s, '{');
	if (r->seq) {
		put_str(s, "\"seq\":");
		put_u64(s, r->seq, 10);
		put_str(s, ",\"vcpu\":");
		put_u64(s, r->vcpu, 10);
		put(s, ',');
	}
	put_str(s, "\"type\":\"");
	put_str(s, r->kind);
	put(s, '"');
	if (r->exit_name) {
		put_str(s, ",\"exit\":\"");
		put_str(s, r->exit_name);
		put(s, '"');
	}
	for (int i = 0; i < r->n; i++) {
		put_str(s, ",\"");
		put_str(s, r->f[i].key);
		put_str(s, "\":");
		put_value(s, &r->f[i], 1);
	}
	put_str(s, "}\n");
}

size_t rec_encode(const struct record *r, enum rec_format fmt, char *out, size_t cap)
{
	struct sink s = { out, 0, cap };

	if (fmt == REC_JSONL)
		encode_json(r, &s);
	else
		encode_text(r, &s);
	return s.len;
}
