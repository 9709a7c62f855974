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
	if (!rc->buf) {
		errbuf_set(err, "out of memory for the trace buffer");
		return false;
	}
	clock_gettime(CLOCK_MONOTONIC, &rc->t0);
	return true;
}

static void write_all(struct recorder *rc, const char *p, size_t n)
{
	while (n && !rc->write_errno) {
		ssize_t w = write(rc->fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc->write_errno = w < 0 ? errno : EIO;
			return;
		}
		p += w;
		n -= w;
	}
}

bool recorder_flush(struct recorder *rc)
{
	write_all(rc, rc->buf, rc->len);
	rc->len = 0;
	return !rc->write_errno;
}

void recorder_emit(struct recorder *rc, struct record *r)
{
	size_t need;

	if (rc->skip_exits && r->exit_name)
		return;
	if (rc->timing && r->seq) {
		struct timespec now;

		clock_gettime(CLOCK_MONOTONIC, &now);
		rec_u64(r, "t_ns",
			(uint64_t)(now.tv_sec - rc->t0.tv_sec) * 1000000000ULL +
				(uint64_t)now.tv_nsec - (uint64_t)rc->t0.tv_nsec);
	}
	need = rec_encode(r, rc->fmt, rc->buf + rc->len, RECORDER_BUF_SIZE - rc->len);
	if (need <= RECORDER_BUF_SIZE - rc->len) {
		rc->len += need;
		return;
	}
	recorder_flush(rc);
	need = rec_encode(r, rc->fmt, rc->buf, RECORDER_BUF_SIZE);
	if (need <= RECORDER_BUF_SIZE) {
		rc->len = need;
	} else {
		char *big = malloc(need);

		if (!big) {
			rc->write_errno = ENOMEM;
			return;
		}
		/* need was a bound; write what was encoded. */
		write_all(rc, big, rec_encode(r, rc->fmt, big, need));
		free(big);
	}
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
