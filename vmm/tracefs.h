/* SPDX-License-Identifier: MIT */
/* tracefs.h - kernel tracepoints as tracefs describes them: ids and record formats. */
#ifndef MVM_TRACEFS_H
#define MVM_TRACEFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
/* A field's value from a raw record (little-endian, sign-extended when signed);
 * false when the field lies outside the record. */
bool tp_field_value(const struct tp_field *f, const uint8_t *raw, size_t len, uint64_t *v);

/* The tracefs mount point: found, or mounted at /sys/kernel/tracing. */
const char *tracefs_root(struct errbuf *err);
/* Reads and parses events/<system>/<event>/format under root. */
bool tracefs_event(const char *root, const char *system, const char *event, struct tp_format *f,
		   struct errbuf *err);

#endif /* MVM_TRACEFS_H */
