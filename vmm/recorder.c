/* SPDX-License-Identifier: MIT */
/* recorder.c - owns the trace file: buffering, flushing, exit counts, summary. */
#include "recorder.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "names.h"

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

/* Encodes r as a RENT_TEXT entry if the buffer has room: false if not. */
static bool put_text(struct recorder *rc, const struct record *r, size_t *need)
{
	struct rent_head h = { RENT_TEXT, 0 };
	size_t room;

	if (RECORDER_BUF_SIZE - rc->len <= sizeof(h) + 8)
		return false;
	/* Less 8: the entry is padded to keep the next one aligned. */
	room = RECORDER_BUF_SIZE - rc->len - sizeof(h) - 8;
	*need = rec_encode(r, rc->fmt, rc->buf + rc->len + sizeof(h), room);
	if (*need > room)
		return false;
	h.n = (uint32_t)*need;
	memcpy(rc->buf + rc->len, &h, sizeof(h));
	rc->len += sizeof(h) + RENT_ALIGN(*need);
	return true;
}

void recorder_emit(struct recorder *rc, struct record *r)
{
	size_t need;
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
	if (put_text(rc, r, &need))
		return;
	if (rc->len) {
		rec_writer_handoff(rc);
		if (put_text(rc, r, &need))
			return;
	}
	/* Longer than a buffer: what came before it is written first. */
	recorder_flush(rc);
	big = malloc(need);
	if (!big) {
		__atomic_store_n(&rc->write_errno, ENOMEM, __ATOMIC_RELAXED);
		return;
	}
	/* need was a bound; write what was encoded. */
	rec_writer_write(rc, big, rec_encode(r, rc->fmt, big, need));
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
