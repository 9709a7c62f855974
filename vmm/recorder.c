/* SPDX-License-Identifier: MIT */
/* recorder.c - owns the trace file: buffering, flushing, exit counts, summary. */
#include "recorder.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exit_info.h"
#include "names.h"
#include "record_pack.h"

bool recorder_open(struct recorder *rc, const char *path, enum rec_format fmt, bool timing,
		   struct errbuf *err)
{
	memset(rc, 0, sizeof(*rc));
	rc->fmt = fmt;
	rc->timing = timing;
	rc->fd = STDOUT_FILENO;
	if (path && strcmp(path, "-") != 0) {
		rc->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (rc->fd < 0) {
			errbuf_set(err, "cannot open trace file %s: %s", path, strerror(errno));
			return false;
		}
		rc->own_fd = true;
	}
	rc->buf = malloc(RECORDER_BUF_SIZE);
	rc->w = rec_writer_new();
	if (!rc->buf || !rc->w) {
		errbuf_set(err, "out of memory for the trace buffer");
		return false;
	}
	clock_gettime(CLOCK_MONOTONIC, &rc->t0);
	return true;
}

bool recorder_flush(struct recorder *rc)
{
	if (rc->w)
		rec_writer_drain(rc);
	return !recorder_errno(rc);
}

const char *recorder_note(const struct recorder *rc, const struct record *r)
{
	const char *isa = NULL;
	uint64_t reason = 0;

	if (!rc->explain || rc->fmt != REC_TEXT)
		return NULL;
	for (int i = 0; !r->exit_name && i < r->n; i++) {
		const struct rec_field *f = &r->f[i];

		if (f->type == RF_WORD && f->klen == 3 && !memcmp(f->key, "isa", 3) && f->len == 3)
			isa = !memcmp(f->p, "vmx", 3) ? "vmx" : !memcmp(f->p, "svm", 3) ? "svm" : NULL;
		if (f->type == RF_HEX && f->klen == 6 && !memcmp(f->key, "reason", 6))
			reason = f->u;
	}
	return exit_record_note(r->kind, r->exit_name, isa, reason);
}

/* Packs r as a RENT_RECORD entry if the buffer has room: false if not. */
static bool put_record(struct recorder *rc, const struct record *r, size_t size)
{
	struct rent_head h = { RENT_RECORD, (uint32_t)size };

	if (sizeof(h) + size > RECORDER_BUF_SIZE - rc->len)
		return false;
	memcpy(rc->buf + rc->len, &h, sizeof(h));
	rec_pack(r, rc->buf + rc->len + sizeof(h));
	rc->len += sizeof(h) + size;
	return true;
}

void recorder_emit(struct recorder *rc, struct record *r)
{
	size_t size, need;
	char *big;

	if (rc->skip_exits && r->exit_name)
		return;
	if (rc->timing && r->seq) {
		struct timespec now;

		clock_gettime(CLOCK_MONOTONIC, &now);
		rec_u64(r, "t_ns",
			(uint64_t)(now.tv_sec - rc->t0.tv_sec) * 1000000000ULL +
				(uint64_t)now.tv_nsec - (uint64_t)rc->t0.tv_nsec);
	}
	/* Packed, to be encoded when the stream is rendered: off this thread. */
	size = rec_pack_size(r);
	if (put_record(rc, r, size))
		return;
	if (rc->len) {
		rec_writer_handoff(rc);
		if (put_record(rc, r, size))
			return;
	}
	/* Longer than a buffer: what came before it is written first. */
	recorder_flush(rc);
	need = rec_encode_noted(r, rc->fmt, recorder_note(rc, r), NULL, 0);
	big = malloc(need);
	if (!big) {
		__atomic_store_n(&rc->write_errno, ENOMEM, __ATOMIC_RELAXED);
		return;
	}
	/* need was a bound; write what was encoded. */
	rec_writer_write(rc, big, rec_encode_noted(r, rc->fmt, recorder_note(rc, r), big, need));
	free(big);
}

void recorder_count_exit(struct recorder *rc, uint32_t reason)
{
	rc->exit_count[kvm_exit_name(reason) ? reason : MVM_KVM_EXIT_MAX]++;
}

void recorder_summary(struct recorder *rc)
{
	struct record r;

	for (uint32_t i = 0; i <= MVM_KVM_EXIT_MAX; i++) {
		if (!rc->exit_count[i])
			continue;
		rec_begin(&r, 0, REC_NO_VCPU, "summary");
		rec_word(&r, "exit", i < MVM_KVM_EXIT_MAX ? kvm_exit_name(i) : "UNNAMED");
		rec_u64(&r, "count", rc->exit_count[i]);
		recorder_emit(rc, &r);
	}
}

bool recorder_close(struct recorder *rc)
{
	bool ok = recorder_flush(rc);

	rec_writer_free(rc);
	if (rc->own_fd && close(rc->fd) < 0 && ok) {
		rc->write_errno = errno;
		ok = false;
	}
	if (!ok && !rc->err_reported)
		mvm_err("writing the trace failed: %s", strerror(rc->write_errno));
	rc->err_reported = rc->err_reported || !ok;
	free(rc->buf);
	rc->buf = NULL;
	return ok;
}
