/* SPDX-License-Identifier: MIT */
/* recorder.h - the trace sink: buffered output of records and per-exit counts. */
#ifndef MVM_RECORDER_H
#define MVM_RECORDER_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "compat.h"
#include "record.h"
#include "util.h"

#define RECORDER_BUF_SIZE (256 * 1024)

struct recorder {
	int fd;
	bool own_fd;
	enum rec_format fmt;
	bool timing;
	bool skip_exits; /* --no-exit-records: exit records are dropped, still counted */
	struct timespec t0;
	char *buf;
	size_t len;
	int write_errno;    /* first failed write */
	bool err_reported; /* its one line is out (runlog ended the run with it) */
	/* Exits per KVM exit reason; the last slot counts unnamed reasons. */
	uint64_t exit_count[MVM_KVM_EXIT_MAX + 1];
};

/* path NULL or "-": standard output. */
bool recorder_open(struct recorder *rc, const char *path, enum rec_format fmt, bool timing,
		   struct errbuf *err);
/* Appends r (and a t_ns field under --timing for exit-numbered records). */
void recorder_emit(struct recorder *rc, struct record *r);
void recorder_count_exit(struct recorder *rc, uint32_t reason);
/* Emits one "summary" record per exit reason seen. */
void recorder_summary(struct recorder *rc);
bool recorder_flush(struct recorder *rc);
/* Flushes and closes; false (with a message) if any write failed. */
bool recorder_close(struct recorder *rc);

#endif /* MVM_RECORDER_H */
