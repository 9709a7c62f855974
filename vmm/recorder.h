/* SPDX-License-Identifier: MIT */
/* recorder.h - the trace sink: buffered output of records and per-exit counts. */
#ifndef MVM_RECORDER_H
#define MVM_RECORDER_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "compat.h"
#include "record.h"
#include "record_access.h"
#include "util.h"

#define RECORDER_BUF_SIZE (256 * 1024)

/*
 * The recorder's buffer is a stream of entries, not yet the trace's bytes:
 * a generic record is packed with copies of what it points to
 * (RENT_RECORD, record_pack.h) and encoded when the stream is rendered;
 * an IO or MMIO exit is stored as its values (RENT_ACCESS) and rendered
 * from the vCPU's site (record_access.h); a record a subsystem encoded
 * itself is text (RENT_TEXT). A full buffer goes to the writer thread
 * (recorder_writer.c), which renders and writes it while the vCPUs run
 * on; a flush renders on the calling thread. So the symbols and device
 * names an entry points to must live until the next flush.
 */
enum { RENT_TEXT, RENT_ACCESS, RENT_RECORD };

struct rent_head {
	uint32_t type;
	uint32_t n; /* RENT_TEXT: bytes that follow; RENT_RECORD: the packed size;
		     * RENT_ACCESS: the vCPU */
};

struct rent_access {
	struct rent_head h;
	uint32_t size, count; /* MMIO: len, 1 */
	bool mmio, write;     /* IO: out; MMIO: write */
	uint64_t seq, data, rip, addr;
	const char *dev; /* a word, "none" for no device */
};

struct rec_writer;

struct recorder {
	int fd;
	bool own_fd;
	enum rec_format fmt;
	bool timing;
	bool skip_exits; /* --no-exit-records: exit records are dropped, still counted */
	bool explain;	 /* --explain: text exit records end with their summary */
	struct timespec t0;
	char *buf;
	size_t len;
	int write_errno;   /* first failed write; atomic: the writer thread sets it */
	bool err_reported; /* its one line is out (runlog ended the run with it) */
	struct rec_writer *w;
	const struct symtab *syms; /* to name the RIPs of RENT_ACCESS entries */
	/* Exits per KVM exit reason; the last slot counts unnamed reasons. */
	uint64_t exit_count[MVM_KVM_EXIT_MAX + 1];
};

/* path NULL or "-": standard output. */
bool recorder_open(struct recorder *rc, const char *path, enum rec_format fmt, bool timing,
		   struct errbuf *err);
/* Writes everything recorded so far; false once any write failed. */
bool recorder_flush(struct recorder *rc);
/* Appends r (and a t_ns field under --timing for exit-numbered records). */
void recorder_emit(struct recorder *rc, struct record *r);
/* The first write error, 0 if none (any thread). */
static inline int recorder_errno(const struct recorder *rc)
{
	return __atomic_load_n(&rc->write_errno, __ATOMIC_RELAXED);
}

/* --explain's note for r (exit_record_note()), NULL when it is off. */
const char *recorder_note(const struct recorder *rc, const struct record *r);

/* What recorder_writer.c does for the recorder. */
struct rec_writer *rec_writer_new(void);
void rec_writer_free(struct recorder *rc);
/* Hands the full buffer to the writer thread and takes an empty one. */
void rec_writer_handoff(struct recorder *rc);
/* Waits for the writer thread, then renders and writes the buffer. */
void rec_writer_drain(struct recorder *rc);
void rec_writer_write(struct recorder *rc, const char *p, size_t n);

/*
 * Room for an IO or MMIO exit's entry (never under --timing): the caller
 * fills it in place, then calls recorder_access_done().
 * Entries start 8-byte aligned (RENT_TEXT's are padded).
 */
static inline struct rent_access *recorder_access_slot(struct recorder *rc)
{
	if (__builtin_expect(sizeof(struct rent_access) > RECORDER_BUF_SIZE - rc->len, 0))
		rec_writer_handoff(rc);
	return (struct rent_access *)(void *)(rc->buf + rc->len);
}

static inline void recorder_access_done(struct recorder *rc)
{
	rc->len += sizeof(struct rent_access);
}

/* The same from a filled-in entry, e->h.n its vCPU. */
static inline void recorder_emit_access(struct recorder *rc, const struct rent_access *e)
{
	memcpy(recorder_access_slot(rc), e, sizeof(*e));
	recorder_access_done(rc);
}

#define RENT_ALIGN(n) (((n) + 7) & ~(size_t)7)

/*
 * Room for a RENT_TEXT entry of at most max bytes (max a small part of
 * RECORDER_BUF_SIZE), which the caller encodes in place and ends with
 * recorder_text_done(). NULL under --timing: the record would need t_ns,
 * which only recorder_emit() adds.
 */
static inline char *recorder_text_slot(struct recorder *rc, size_t max)
{
	if (rc->timing)
		return NULL;
	if (__builtin_expect(sizeof(struct rent_head) + RENT_ALIGN(max) > RECORDER_BUF_SIZE - rc->len,
			     0))
		rec_writer_handoff(rc);
	return rc->buf + rc->len + sizeof(struct rent_head);
}

/* The entry recorder_text_slot() gave is n bytes long. */
static inline void recorder_text_done(struct recorder *rc, size_t n)
{
	struct rent_head h = { RENT_TEXT, (uint32_t)n };

	memcpy(rc->buf + rc->len, &h, sizeof(h));
	rc->len += sizeof(h) + RENT_ALIGN(n);
}

void recorder_count_exit(struct recorder *rc, uint32_t reason);
/* The same when the caller knows the slot: reason if named, else MVM_KVM_EXIT_MAX. */
static inline void recorder_count_slot(struct recorder *rc, uint32_t slot)
{
	rc->exit_count[slot]++;
}
/* Emits one "summary" record per exit reason seen. */
void recorder_summary(struct recorder *rc);
/* Flushes and closes; false (with a message) if any write failed. */
bool recorder_close(struct recorder *rc);

#endif /* MVM_RECORDER_H */
