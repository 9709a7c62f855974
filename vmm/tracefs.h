/* SPDX-License-Identifier: MIT */
/* tracefs.h - kernel tracepoints as tracefs describes them: ids and record formats. */
#ifndef MVM_TRACEFS_H
#define MVM_TRACEFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util.h"

#define TP_FIELDS_MAX 24
#define TP_NAME_MAX   48

struct tp_field {
	char name[TP_NAME_MAX];
	char key[TP_NAME_MAX + 3]; /* "tp_" + name: the record key when name is taken */
	uint32_t offset, size;
	bool is_signed;
	bool is_array;	  /* "u8 insn[15]": bytes */
	bool is_data_loc; /* __data_loc: u32 = length << 16 | offset of a string */
};

/* The non-common fields of one event's records, from its "format" file. */
struct tp_format {
	char name[TP_NAME_MAX];
	uint32_t id;
	struct tp_field field[TP_FIELDS_MAX];
	int nfields;
};

/* Parses the text of an events/<system>/<event>/format file. Pure. */
bool tp_format_parse(const char *text, struct tp_format *f, struct errbuf *err);

/* size (1 to 8) little-endian bytes at p: it runs for every field of every
 * sample, so the common sizes are one load each, not a loop of shifts. */
static inline uint64_t tp_load_le(const uint8_t *p, uint32_t size)
{
	uint64_t x = 0;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint16_t x16;
	uint32_t x32;

	switch (size) {
	case 1:
		return *p;
	case 2:
		memcpy(&x16, p, 2);
		return x16;
	case 4:
		memcpy(&x32, p, 4);
		return x32;
	case 8:
		memcpy(&x, p, 8);
		return x;
	default:
		memcpy(&x, p, size);
		return x;
	}
#else
	for (uint32_t i = 0; i < size; i++)
		x |= (uint64_t)p[i] << (8 * i);
	return x;
#endif
}

/* A field's value from a raw record (little-endian, sign-extended when signed);
 * false when the field lies outside the record. Inline: it runs for every
 * field of every sample. */
static inline bool tp_field_value(const struct tp_field *f, const uint8_t *raw, size_t len,
				  uint64_t *v)
{
	uint64_t x;

	/* size 0 is a flexible array ("char buf[]"): no integer in it. */
	if (f->size == 0 || f->size > 8 || f->offset > len || f->size > len - f->offset)
		return false;
	x = tp_load_le(raw + f->offset, f->size);
	if (f->is_signed && f->size < 8 && (x >> (f->size * 8 - 1)) & 1)
		x |= ~0ULL << (f->size * 8);
	*v = x;
	return true;
}

/* The tracefs mount point: found, or mounted at /sys/kernel/tracing. */
const char *tracefs_root(struct errbuf *err);
/* Reads and parses events/<system>/<event>/format under root. */
bool tracefs_event(const char *root, const char *system, const char *event, struct tp_format *f,
		   struct errbuf *err);

#endif /* MVM_TRACEFS_H */
