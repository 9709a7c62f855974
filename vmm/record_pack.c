/* SPDX-License-Identifier: MIT */
/* record_pack.c - owns packing a record with copies of what it points to, and unpacking it. */
#include "record_pack.h"

#include <stdint.h>
#include <string.h>

/*
 * Layout: the head, the fields (pointers replaced by offsets from the
 * start), the page runs of RF_RUNS fields (8-byte aligned: all before
 * them is a multiple of 8), then the bytes: kind and exit name with their
 * NULs, each field's key and its string or bytes.
 */
struct pack_head {
	uint64_t seq;
	int32_t vcpu;
	int32_t n;
	uint32_t kind, exit_name; /* offsets; exit_name 0 for none */
	uint64_t size;
};

static size_t data_len(const struct rec_field *f)
{
	switch (f->type) {
	case RF_STR:
	case RF_BYTES:
	case RF_WORD:
		return f->len;
	case RF_RUNS:
		return f->len * sizeof(struct page_run);
	default:
		return 0;
	}
}

size_t rec_pack_size(const struct record *r)
{
	size_t n = sizeof(struct pack_head) + (size_t)r->n * sizeof(struct rec_field) +
		   strlen(r->kind) + 1 + (r->exit_name ? strlen(r->exit_name) + 1 : 0);

	for (int i = 0; i < r->n; i++)
		n += r->f[i].klen + data_len(&r->f[i]);
	return (n + 7) & ~(size_t)7;
}

static uintptr_t put(char *base, size_t *at, const void *p, size_t n)
{
	uintptr_t off = *at;

	if (n)
		memcpy(base + *at, p, n);
	*at += n;
	return off;
}

void rec_pack(const struct record *r, void *out)
{
	char *base = out;
	struct rec_field *f = (struct rec_field *)(void *)(base + sizeof(struct pack_head));
	struct pack_head h = { .seq = r->seq, .vcpu = r->vcpu, .n = r->n };
	size_t at = sizeof(h) + (size_t)r->n * sizeof(*f);

	memcpy(f, r->f, (size_t)r->n * sizeof(*f));
	for (int i = 0; i < r->n; i++)
		if (f[i].type == RF_RUNS && f[i].len)
			f[i].p = (const void *)put(base, &at, f[i].p, data_len(&f[i]));
	h.kind = (uint32_t)put(base, &at, r->kind, strlen(r->kind) + 1);
	if (r->exit_name)
		h.exit_name = (uint32_t)put(base, &at, r->exit_name, strlen(r->exit_name) + 1);
	for (int i = 0; i < r->n; i++) {
		f[i].key = (const char *)put(base, &at, f[i].key, f[i].klen);
		if (f[i].type != RF_RUNS && data_len(&f[i]))
			f[i].p = (const void *)put(base, &at, f[i].p, data_len(&f[i]));
		else if (f[i].type != RF_CODE && !data_len(&f[i]))
			f[i].p = NULL; /* nothing to point to; numbers carry none */
	}
	h.size = (at + 7) & ~(size_t)7;
	memset(base + at, 0, h.size - at);
	memcpy(base, &h, sizeof(h));
}

void rec_unpack(const void *in, struct record *r)
{
	const char *base = in;
	const struct rec_field *f =
		(const struct rec_field *)(const void *)(base + sizeof(struct pack_head));
	struct pack_head h;

	memcpy(&h, base, sizeof(h));
	r->seq = h.seq;
	r->vcpu = h.vcpu;
	r->n = h.n;
	r->kind = base + h.kind;
	r->exit_name = h.exit_name ? base + h.exit_name : NULL;
	memcpy(r->f, f, (size_t)h.n * sizeof(*f));
	for (int i = 0; i < h.n; i++) {
		r->f[i].key = base + (uintptr_t)r->f[i].key;
		if (data_len(&r->f[i]))
			r->f[i].p = base + (uintptr_t)r->f[i].p;
	}
}
