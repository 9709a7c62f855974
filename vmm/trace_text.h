/* SPDX-License-Identifier: MIT */
/* trace_text.h - a read-back record in the text encoding, its instructions decoded. */
#ifndef MVM_TRACE_TEXT_H
#define MVM_TRACE_TEXT_H

#include "disasm.h"
#include "trace_read.h"

#define TEXT_VCPUS 64

/*
 * What rendering remembers between records: the mode to decode in, from
 * the trace header and from each vCPU's last kvm_emulate_insn (the
 * INTERNAL_ERROR that follows an emulation names no mode of its own).
 * dis NULL renders the bytes as hex only, exactly as --format text would.
 */
struct text_ctx {
	struct disasm *dis;
	int header_arch;
	int vcpu_arch[TEXT_VCPUS];
	bool explain; /* end exit and l2_exit records with their summary */
};

void text_ctx_init(struct text_ctx *c, struct disasm *dis);

/*
 * Encodes r as the line (with '\n') --format text writes for it into out
 * (cap bytes) and returns its length; as rec_encode(), a length above cap
 * is the size of buffer it needs. 0 with err when r has more fields than
 * a record can.
 */
size_t trace_text(struct text_ctx *c, const struct trace_rec *r, char *out, size_t cap,
		  struct errbuf *err);

/* Whether field key of a kind-record is a string in text (quoted) rather than bare. */
bool trace_text_is_string(const char *kind, const struct trace_field *f);

#endif /* MVM_TRACE_TEXT_H */
