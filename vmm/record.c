/* SPDX-License-Identifier: MIT */
/* record.c - builds records and encodes them as text lines or JSON Lines. */
#include "record.h"

#include <string.h>

#include "encode.h"

/* The tables of encode.h. */
const char enc_hexdig[16] = "0123456789abcdef";
#define P16(h) h "0" h "1" h "2" h "3" h "4" h "5" h "6" h "7" h "8" h "9" h "a" h "b" h "c" h "d" h "e" h "f"
const char enc_hex2[512] = P16("0") P16("1") P16("2") P16("3") P16("4") P16("5") P16("6") P16("7")
	P16("8") P16("9") P16("a") P16("b") P16("c") P16("d") P16("e") P16("f");
#define P10(d) d "0" d "1" d "2" d "3" d "4" d "5" d "6" d "7" d "8" d "9"
const char enc_dec2[200] = P10("0") P10("1") P10("2") P10("3") P10("4") P10("5") P10("6") P10("7")
	P10("8") P10("9");
const uint64_t enc_pow10[20] = { 1ULL,
				  10ULL,
				  100ULL,
				  1000ULL,
				  10000ULL,
				  100000ULL,
				  1000000ULL,
				  10000000ULL,
				  100000000ULL,
				  1000000000ULL,
				  10000000000ULL,
				  100000000000ULL,
				  1000000000000ULL,
				  10000000000000ULL,
				  100000000000000ULL,
				  1000000000000000ULL,
				  10000000000000000ULL,
				  100000000000000000ULL,
				  1000000000000000000ULL,
				  10000000000000000000ULL };

/*
 * Encoding is on the path of every exit, so it writes through a bare
 * pointer: rec_encode() first bounds the length from the field types, and
 * only a buffer with room for that bound is written to.
 */
static char *put_str(char *p, const char *s)
{
	return enc_mem(p, s, strlen(s));
}

char *enc_escaped(char *p, const unsigned char *s, size_t n, int json)
{
	*p++ = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			*p++ = (char)c;
		} else if (c == '"' || c == '\\') {
			*p++ = '\\';
			*p++ = (char)c;
		} else if (c == '\n' || c == '\t' || c == '\r') {
			*p++ = '\\';
			*p++ = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
		} else {
			p = put_str(p, json ? "\\u00" : "\\x");
			*p++ = enc_hexdig[c >> 4];
			*p++ = enc_hexdig[c & 15];
		}
	}
	*p++ = '"';
	return p;
}

static char *put_runs(char *p, const struct rec_field *f, int json)
{
	const struct page_run *run = f->p;

	if (!json && f->len == 0)
		return enc_mem(p, "none", 4);
	if (json)
		*p++ = '[';
	for (size_t i = 0; i < f->len; i++) {
		if (i)
			*p++ = ',';
		if (json)
			p = enc_mem(p, "[\"", 2);
		p = enc_hex(p, f->u + run[i].first * 4096);
		if (json) {
			p = enc_mem(p, "\",", 2);
			p = enc_dec(p, run[i].count);
			*p++ = ']';
		} else if (run[i].count != 1) {
			*p++ = '+';
			p = enc_dec(p, run[i].count);
		}
	}
	if (json)
		*p++ = ']';
	return p;
}

/* A code address's symbol, as func or func+0x1f. */
static char *put_sym(char *p, const struct rec_field *f)
{
	const struct symbol *s = f->p;

	return enc_sym(p, s->name, s->name_len, f->u - s->addr);
}

/* JSON: the field after a code address, "sym" for rip (the one of most records). */
static char *put_sym_json(char *p, const struct rec_field *f)
{
	p = enc_mem(p, ",\"", 2);
	if (f->klen == 3 && memcmp(f->key, "rip", 3) == 0) {
		p = enc_mem(p, "sym", 3);
	} else {
		p = enc_mem(p, f->key, f->klen);
		p = enc_mem(p, "_sym", 4);
	}
	p = enc_mem(p, "\":\"", 3);
	p = put_sym(p, f);
	*p++ = '"';
	return p;
}

/* Inline in both encoders' loops: a call per field cost more than most values. */
static inline __attribute__((always_inline)) char *put_value(char *p, const struct rec_field *f,
							     int json)
{
	const unsigned char *b = f->p;

	switch (f->type) {
	case RF_HEX:
		if (json)
			*p++ = '"';
		p = enc_hex(p, f->u);
		if (json)
			*p++ = '"';
		break;
	case RF_U64:
		p = enc_dec(p, f->u);
		break;
	case RF_I64:
		if ((int64_t)f->u < 0) {
			*p++ = '-';
			p = enc_dec(p, -f->u);
		} else {
			p = enc_dec(p, f->u);
		}
		break;
	case RF_STR:
		p = enc_escaped(p, b, f->len, json);
		break;
	case RF_BYTES:
		if (json)
			*p++ = '"';
		for (size_t i = 0; i < f->len; i++) {
			*p++ = enc_hexdig[b[i] >> 4];
			*p++ = enc_hexdig[b[i] & 15];
		}
		if (json)
			*p++ = '"';
		break;
	case RF_WORD:
		p = json ? enc_escaped(p, b, f->len, 1) : enc_mem(p, b, f->len);
		break;
	case RF_RUNS:
		p = put_runs(p, f, json);
		break;
	case RF_CODE:
		if (json) {
			*p++ = '"';
			p = enc_hex(p, f->u);
			*p++ = '"';
			if (f->p)
				p = put_sym_json(p, f);
		} else {
			p = enc_hex(p, f->u);
			if (f->p) {
				p = enc_mem(p, " <", 2);
				p = put_sym(p, f);
				*p++ = '>';
			}
		}
		break;
	}
	return p;
}

static char *encode_text(const struct record *r, const char *note, char *p)
{
	const char *name = r->exit_name ? r->exit_name : r->kind;
	size_t len = strlen(name);

	if (r->vcpu >= 0) {
		char num[20];
		size_t w = enc_dec(num, r->seq) - num;

		if (w < 6) {
			memcpy(p, "      ", 6); /* the bound leaves room */
			p += 6 - w;
		}
		p = enc_mem(p, num, w);
		p = enc_mem(p, " vcpu", 5);
		p = enc_dec(p, (uint64_t)r->vcpu);
		*p++ = ' ';
	}
	p = enc_mem(p, name, len);
	if (r->vcpu >= 0 && len < REC_KIND_WIDTH) {
		memcpy(p, "              ", REC_KIND_WIDTH);
		p += REC_KIND_WIDTH - len;
	}
	for (int i = 0; i < r->n; i++) {
		*p++ = ' ';
		p = enc_small(p, r->f[i].key, r->f[i].klen);
		*p++ = '=';
		p = put_value(p, &r->f[i], 0);
	}
	if (note) {
		p = enc_mem(p, "  # ", 4);
		p = put_str(p, note);
	}
	*p++ = '\n';
	return p;
}

static char *encode_json(const struct record *r, char *p)
{
	*p++ = '{';
	if (r->vcpu >= 0) {
		p = enc_mem(p, "\"seq\":", 6);
		p = enc_dec(p, r->seq);
		p = enc_mem(p, ",\"vcpu\":", 8);
		p = enc_dec(p, (uint64_t)r->vcpu);
		*p++ = ',';
	}
	p = enc_mem(p, "\"type\":\"", 8);
	p = put_str(p, r->kind);
	*p++ = '"';
	if (r->exit_name) {
		p = enc_mem(p, ",\"exit\":\"", 9);
		p = put_str(p, r->exit_name);
		*p++ = '"';
	}
	for (int i = 0; i < r->n; i++) {
		p = enc_mem(p, ",\"", 2);
		p = enc_small(p, r->f[i].key, r->f[i].klen);
		p = enc_mem(p, "\":", 2);
		p = put_value(p, &r->f[i], 1);
	}
	return enc_mem(p, "}\n", 2);
}

/* An upper bound of the encoded length, from the field types alone. */
static size_t rec_bound(const struct record *r)
{
	/* seq and vcpu (20 digits each), padding, braces, punctuation, names */
	size_t n = 128 + strlen(r->kind) + (r->exit_name ? strlen(r->exit_name) : 0);

	for (int i = 0; i < r->n; i++) {
		const struct rec_field *f = &r->f[i];

		n += f->klen + 8;
		if (f->type == RF_HEX || f->type == RF_U64 || f->type == RF_I64)
			n += 24;
		else if (f->type == RF_RUNS)
			n += 48 * f->len;
		else if (f->type == RF_CODE)
			n += 24 +
			     (f->p ? f->klen + 48 + ((const struct symbol *)f->p)->name_len : 0);
		else
			n += 6 * f->len; /* \u00XX per byte at worst */
	}
	return n;
}

size_t rec_encode(const struct record *r, enum rec_format fmt, char *out, size_t cap)
{
	size_t bound = rec_bound(r);

	if (bound > cap)
		return bound;
	return (size_t)((fmt == REC_JSONL ? encode_json(r, out) : encode_text(r, NULL, out)) - out);
}

size_t rec_encode_noted(const struct record *r, enum rec_format fmt, const char *note, char *out,
			size_t cap)
{
	size_t bound = rec_bound(r) + (note ? 4 + strlen(note) : 0);

	if (fmt == REC_JSONL || !note)
		return rec_encode(r, fmt, out, cap);
	if (bound > cap)
		return bound;
	return (size_t)(encode_text(r, note, out) - out);
}
