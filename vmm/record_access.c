/* SPDX-License-Identifier: MIT */
/* record_access.c - renders IO and MMIO exit sites and encodes records from them. */
#include "record_access.h"

#include "encode.h"

/*
 * The longest head without the symbol's name, JSON's: 37 bytes up to the
 * RIP's value, 8 + 10 for the vCPU, 3 numbers of up to 18 bytes (RIP, its
 * offset, the address), 2 of up to 10 (size, count), and 65 of keys and
 * quotes: 189. The tail: 12 and the device's name. Rendering checks the
 * names' lengths against these once, up front.
 */
#define HEAD_FIXED 192
#define TAIL_FIXED 16

/* The symbol part of a code address: func, or func+0x1f. */
static char *put_sym(char *p, const struct access_rec *a)
{
	return enc_sym(p, a->sym->name, a->sym->name_len, a->rip - a->sym->addr);
}

/* " vcpu0 IO             rip=0x100061 <main+0x11> dir=out port=0xe08 size=1 count=1 data=" */
static char *text_head(const struct access_rec *a, char *p)
{
	p = ENC_LIT(p, " vcpu");
	p = enc_dec(p, (uint64_t)a->vcpu);
	/* The exit name padded to 14 columns, as encode_text() lays out exits. */
	p = a->mmio ? ENC_LIT(p, " MMIO           rip=") : ENC_LIT(p, " IO             rip=");
	p = enc_hex(p, a->rip);
	if (a->sym) {
		p = ENC_LIT(p, " <");
		p = put_sym(p, a);
		*p++ = '>';
	}
	if (a->mmio) {
		p = a->write ? ENC_LIT(p, " dir=write gpa=") : ENC_LIT(p, " dir=read gpa=");
		p = enc_hex(p, a->addr);
		p = ENC_LIT(p, " len=");
		p = enc_dec(p, a->size);
	} else {
		p = a->write ? ENC_LIT(p, " dir=out port=") : ENC_LIT(p, " dir=in port=");
		p = enc_hex(p, a->addr);
		p = ENC_LIT(p, " size=");
		p = enc_dec(p, a->size);
		p = ENC_LIT(p, " count=");
		p = enc_dec(p, a->count);
	}
	return ENC_LIT(p, " data=");
}

static char *json_head(const struct access_rec *a, char *p)
{
	p = ENC_LIT(p, ",\"vcpu\":");
	p = enc_dec(p, (uint64_t)a->vcpu);
	p = a->mmio ? ENC_LIT(p, ",\"type\":\"exit\",\"exit\":\"MMIO\",\"rip\":\"")
		    : ENC_LIT(p, ",\"type\":\"exit\",\"exit\":\"IO\",\"rip\":\"");
	p = enc_hex(p, a->rip);
	*p++ = '"';
	if (a->sym) {
		p = ENC_LIT(p, ",\"sym\":\"");
		p = put_sym(p, a);
		*p++ = '"';
	}
	if (a->mmio) {
		p = a->write ? ENC_LIT(p, ",\"dir\":\"write\",\"gpa\":\"")
			     : ENC_LIT(p, ",\"dir\":\"read\",\"gpa\":\"");
		p = enc_hex(p, a->addr);
		p = ENC_LIT(p, "\",\"len\":");
		p = enc_dec(p, a->size);
	} else {
		p = a->write ? ENC_LIT(p, ",\"dir\":\"out\",\"port\":\"")
			     : ENC_LIT(p, ",\"dir\":\"in\",\"port\":\"");
		p = enc_hex(p, a->addr);
		p = ENC_LIT(p, "\",\"size\":");
		p = enc_dec(p, a->size);
		p = ENC_LIT(p, ",\"count\":");
		p = enc_dec(p, a->count);
	}
	return ENC_LIT(p, ",\"data\":\"");
}

bool access_site_set(struct access_site *s, const struct access_rec *a, enum rec_format fmt)
{
	size_t sym_len = a->sym ? a->sym->name_len : 0;
	const char *note = fmt == REC_TEXT ? a->note : NULL;
	size_t note_len = note ? 4 + strlen(note) : 0;
	char *p;

	s->key = 0;
	/* Each part keeps a chunk of slack: copies read whole chunks. */
	if (sym_len > ACCESS_SITE_HEAD - HEAD_FIXED - ACCESS_SITE_CHUNK ||
	    a->dev_len + note_len > ACCESS_SITE_TAIL - TAIL_FIXED - ACCESS_SITE_CHUNK)
		return false;
	p = fmt == REC_JSONL ? json_head(a, s->head) : text_head(a, s->head);
	s->head_len = (uint16_t)(p - s->head);
	p = s->tail;
	p = fmt == REC_JSONL ? ENC_LIT(p, "\",\"dev\":\"") : ENC_LIT(p, " dev=");
	p = enc_mem(p, a->dev, a->dev_len);
	if (note) {
		p = ENC_LIT(p, "  # ");
		p = enc_mem(p, note, note_len - 4);
	}
	p = fmt == REC_JSONL ? ENC_LIT(p, "\"}\n") : ENC_LIT(p, "\n");
	s->tail_len = (uint16_t)(p - s->tail);
	s->fmt = (uint8_t)fmt;
	s->rip = a->rip;
	s->addr = a->addr;
	s->dev = a->dev;
	s->key = access_site_key(fmt, a->mmio, a->write, a->size, a->count);
	return true;
}

/*
 * n bytes in whole chunks: the source and the output both have a chunk of
 * slack. Most heads fit in 128 bytes and most tails in 32, copied then
 * without a loop.
 */
static inline char *copy_chunks(char *p, const char *s, size_t n)
{
	if (n <= 4 * ACCESS_SITE_CHUNK) {
		memcpy(p, s, 2 * ACCESS_SITE_CHUNK);
		if (n > 2 * ACCESS_SITE_CHUNK)
			memcpy(p + 2 * ACCESS_SITE_CHUNK, s + 2 * ACCESS_SITE_CHUNK,
			       2 * ACCESS_SITE_CHUNK);
		return p + n;
	}
	for (size_t i = 0; i < n; i += ACCESS_SITE_CHUNK)
		memcpy(p + i, s + i, ACCESS_SITE_CHUNK);
	return p + n;
}

static inline char *copy_tail(char *p, const char *s, size_t n)
{
	if (n <= ACCESS_SITE_CHUNK) {
		memcpy(p, s, ACCESS_SITE_CHUNK);
		return p + n;
	}
	return copy_chunks(p, s, n);
}

/* s->seq_buf holds seq: one more than last time is a carry through its digits. */
static void seq_update(struct access_site *s, uint64_t seq)
{
	char *d = &s->seq_buf[19];

	if (seq == s->seq + 1 && s->seq_w) {
		while (*d == '9')
			*d-- = '0';
		if (*d == ' ') {
			*d = '1';
			s->seq_w++;
		} else {
			++*d;
		}
	} else {
		memset(s->seq_buf, ' ', 20);
		s->seq_w = enc_dec_digits(seq);
		enc_dec_w(&s->seq_buf[20 - s->seq_w], seq, s->seq_w);
	}
	s->seq = seq;
}

size_t access_site_encode(struct access_site *s, uint64_t seq, uint64_t data, char *out)
{
	char *p = out;
	int w;

	seq_update(s, seq);
	if (s->fmt == REC_JSONL) {
		p = ENC_LIT(p, "{\"seq\":");
		w = s->seq_w;
	} else {
		w = s->seq_w < 6 ? 6 : s->seq_w; /* "%6llu" */
	}
	memcpy(p, &s->seq_buf[20 - w], 24);
	p += w;
	p = copy_chunks(p, s->head, s->head_len);
	p = enc_hex(p, data);
	p = copy_tail(p, s->tail, s->tail_len);
	return (size_t)(p - out);
}

size_t access_rec_encode(const struct access_rec *a, uint64_t seq, uint64_t data,
			 enum rec_format fmt, char *out, size_t cap)
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
