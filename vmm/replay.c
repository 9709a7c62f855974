/* SPDX-License-Identifier: MIT */
/* replay.c - owns reading a trace for replay, and answering the rerun's reads from it. */
#include "replay.h"

#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "trace_read.h"

static bool copy_word(const struct trace_field *f, char *out, size_t cap)
{
	if (!f || f->type != TV_STR || f->len >= cap)
		return false;
	memcpy(out, f->s, f->len);
	out[f->len] = '\0';
	return true;
}

static bool hex_field(const struct trace_rec *r, const char *key, uint64_t *v)
{
	const struct trace_field *f = trace_field(r, key);

	return f && f->type == TV_STR && parse_u64(f->s, v);
}

static bool read_header(struct replay *rp, const struct trace_rec *r, struct errbuf *err)
{
	const struct trace_field *n = trace_field(r, "vcpus");

	if (!copy_word(trace_field(r, "payload"), rp->payload, sizeof(rp->payload)) ||
	    !copy_word(trace_field(r, "mode"), rp->mode, sizeof(rp->mode)) ||
	    !copy_word(trace_field(r, "backing"), rp->backing, sizeof(rp->backing)) ||
	    !copy_word(trace_field(r, "dirty"), rp->dirty, sizeof(rp->dirty)) ||
	    !hex_field(r, "load", &rp->load) || !hex_field(r, "entry", &rp->entry) ||
	    !hex_field(r, "mem", &rp->mem)) {
		errbuf_set(err,
			   "line %lu: the header lacks a payload, mode, load, entry, mem, "
			   "backing or dirty field",
			   r->line);
		return false;
	}
	if (!hex_field(r, "hash", &rp->hash)) {
		errbuf_set(err,
			   "line %lu: the header has no payload hash (recorded before "
			   "replay existed): record it again",
			   r->line);
		return false;
	}
	if (n && n->type == TV_NUM && n->u > 1) {
		errbuf_set(err,
			   "line %lu: a trace of %llu vCPUs: replay takes traces of one "
			   "(how vCPUs interleave is not recorded)",
			   r->line, (unsigned long long)n->u);
		return false;
	}
	if (!copy_word(trace_field(r, "irqchip"), rp->irqchip, sizeof(rp->irqchip)))
		strcpy(rp->irqchip, "none");
	if (!copy_word(trace_field(r, "machine"), rp->machine, sizeof(rp->machine)))
		strcpy(rp->machine, "minivmm");
	if (!copy_word(trace_field(r, "append"), rp->append, sizeof(rp->append)))
		rp->append[0] = '\0';
	if (!copy_word(trace_field(r, "initrd"), rp->initrd, sizeof(rp->initrd)))
		rp->initrd[0] = '\0';
	if (!copy_word(trace_field(r, "cpu"), rp->cpu, sizeof(rp->cpu)))
		rp->cpu[0] = '\0';
	return true;
}

/* The data of an IN or MMIO read: "data", little-endian, or "bytes". */
static bool answer_data(const struct trace_rec *r, struct replay_answer *a)
{
	const struct trace_field *b = trace_field(r, "bytes");
	size_t len = (size_t)a->size * a->count;
	uint64_t v;

	if (len == 0 || len > 1u << 20 || !(a->data = malloc(len)))
		return false;
	if (b && b->type == TV_STR && b->len == 2 * len) {
		for (size_t i = 0; i < len; i++) {
			char h[3] = { b->s[2 * i], b->s[2 * i + 1], 0 };

			a->data[i] = (uint8_t)strtoul(h, NULL, 16);
		}
		return true;
	}
	if (len > 8 || !hex_field(r, "data", &v))
		return false;
	for (size_t i = 0; i < len; i++)
		a->data[i] = (uint8_t)(v >> (8 * i));
	return true;
}

/* An IN or MMIO read exit record becomes an answer; others are passed by. */
static bool read_answer(struct replay *rp, const struct trace_rec *r, struct errbuf *err)
{
	const struct trace_field *dir = trace_field(r, "dir");
	bool io = !strcmp(r->exit_name, "IO"), in = trace_field_is(dir, io ? "in" : "read");
	const struct trace_field *size = trace_field(r, io ? "size" : "len");
	const struct trace_field *count = trace_field(r, "count");
	struct replay_answer a = { r->seq, 0, 0, 1, NULL };

	if ((!io && strcmp(r->exit_name, "MMIO")) || !in)
		return true;
	if (!hex_field(r, io ? "port" : "gpa", &a.addr) || !size || size->type != TV_NUM ||
	    (io && (!count || count->type != TV_NUM))) {
		errbuf_set(err, "line %lu: a read without its address, size or count", r->line);
		return false;
	}
	a.size = (uint32_t)size->u;
	a.count = io ? (uint32_t)count->u : 1;
	if (!answer_data(r, &a)) {
		free(a.data);
		errbuf_set(err, "line %lu: a read without its data", r->line);
		return false;
	}
	if (rp->nans == rp->cap) {
		struct replay_answer *n =
			realloc(rp->ans, (rp->cap = rp->cap * 2 + 64) * sizeof(*n));

		if (!n) {
			free(a.data);
			errbuf_set(err, "out of memory");
			return false;
		}
		rp->ans = n;
	}
	rp->ans[rp->nans++] = a;
	return true;
}

static bool read_record(struct replay *rp, const struct trace_rec *r, bool *header,
			struct errbuf *err)
{
	const struct trace_field *exits = trace_field(r, "exits");

	if (!*header) {
		if (strcmp(r->kind, "trace")) {
			errbuf_set(err, "line %lu: the first record is not the trace header",
				   r->line);
			return false;
		}
		*header = true;
		return read_header(rp, r, err);
	}
	if (!strcmp(r->kind, "end") && exits && exits->type == TV_NUM)
		rp->exits = exits->u;
	if (r->exit_name && r->vcpu == 0)
		return read_answer(rp, r, err);
	return true;
}

bool replay_load(struct replay *rp, const char *trace, struct errbuf *err)
{
	struct trace_reader rd;
	struct trace_rec r = { 0 };
	struct errbuf e = { "" };
	bool header = false, ok = true;
	int got = 0;

	memset(rp, 0, sizeof(*rp));
	if (!trace_open(&rd, trace, err))
		return false;
	while (ok && (got = trace_next(&rd, &r, err)) == 1) {
		ok = read_record(rp, &r, &header, &e);
		if (!ok)
			errbuf_set(err, "%s: %s", trace, e.msg);
	}
	if (ok && got == 0 && !header)
		errbuf_set(err, "%s: an empty trace", trace);
	trace_rec_free(&r);
	trace_close(&rd);
	if (!ok || got != 0 || !header) {
		replay_free(rp);
		return false;
	}
	return true;
}

void replay_free(struct replay *rp)
{
	for (size_t i = 0; i < rp->nans; i++)
		free(rp->ans[i].data);
	free(rp->ans);
	rp->ans = NULL;
	rp->nans = rp->cap = 0;
}

bool replay_answer(struct replay *rp, uint64_t seq, uint64_t addr, uint8_t *data, uint32_t size,
		   uint32_t count)
{
	size_t lo = 0, hi = rp->nans;

	/* Answers are in seq order, one per exit at most. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (rp->ans[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == rp->nans || rp->ans[lo].seq != seq || rp->ans[lo].addr != addr ||
	    rp->ans[lo].size != size || rp->ans[lo].count != count) {
		rp->mismatched++;
		return false;
	}
	memcpy(data, rp->ans[lo].data, (size_t)size * count);
	rp->answered++;
	return true;
}
