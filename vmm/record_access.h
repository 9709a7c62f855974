/* SPDX-License-Identifier: MIT */
/* record_access.h - IO and MMIO exit records from a per-vCPU rendered site: the hot path. */
#ifndef MVM_RECORD_ACCESS_H
#define MVM_RECORD_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "symbols.h"

/*
 * The common exit record, an IO exit of one element of at most 8 bytes or
 * an MMIO exit, in a struct instead of a field list. Of its line only seq
 * and data change while a guest loops over one access: everything between
 * them (the vCPU, exit name, RIP and symbol, direction, address, sizes) and
 * after data (the device, and --explain's note) is rendered once into a site, and each record
 * copies those bytes around its two numbers. The bytes are those
 * rec_encode() writes for the record exit_io() and exit_mmio() would build
 * field by field (a unit test compares them).
 */
struct access_rec {
	int vcpu;
	bool mmio;
	bool write; /* IO: out; MMIO: write */
	uint64_t rip;
	const struct symbol *sym; /* covering rip, or NULL */
	uint64_t addr;		  /* port or guest-physical address */
	uint32_t size;		  /* IO: size; MMIO: len */
	uint32_t count;		  /* IO only; 1 for MMIO */
	const char *dev;	  /* a word (word_safe), "none" for no device */
	size_t dev_len;
	const char *note; /* text only: --explain's summary after the record, or NULL */
};

#define ACCESS_SITE_HEAD  384
/* The device's name and, with --explain, "  # " and the exit's summary
 * (at most EXIT_SUMMARY_MAX, 96 bytes), which a site renders once. */
#define ACCESS_SITE_TAIL  192
#define ACCESS_SITE_CHUNK 32 /* copies move this many bytes at a time */

/*
 * A site belongs to one vCPU of one run. Its key: rip, addr, dev and the
 * rest packed in one word (access_site_key), 0 while there is no site.
 */
struct access_site {
	uint64_t rip, addr, key;
	const char *dev;
	uint8_t fmt; /* enum rec_format */
	uint16_t head_len, tail_len;
	char head[ACCESS_SITE_HEAD]; /* after seq, up to data's value */
	char tail[ACCESS_SITE_TAIL]; /* after data's value, the newline included */
	/* The last seq written, in decimal: exits of a vCPU count up by one, and
	 * a digit or two of it change. Kept across sites. */
	uint64_t seq;
	int seq_w;	  /* its digits, right-aligned at seq_buf[20] */
	char seq_buf[48]; /* spaces before the digits, slack after */
};

/* The most a record from a site writes: the output needs this much room. */
#define ACCESS_REC_MAX (48 + ACCESS_SITE_HEAD + ACCESS_SITE_TAIL)

static inline uint64_t access_site_key(enum rec_format fmt, bool mmio, bool write, uint32_t size,
				       uint32_t count)
{
	return (uint64_t)count << 32 | (uint64_t)(size & 0xffffff) << 8 | (uint64_t)fmt << 3 |
	       (uint64_t)mmio << 2 | (uint64_t)write << 1 | 1;
}

/* Whether s was rendered for this access (the symbol follows from rip). */
static inline bool access_site_is(const struct access_site *s, enum rec_format fmt, bool mmio,
				  bool write, uint64_t rip, uint64_t addr, uint32_t size,
				  uint32_t count, const char *dev)
{
	return s->rip == rip && s->addr == addr &&
	       s->key == access_site_key(fmt, mmio, write, size, count) && s->dev == dev;
}

/* Renders a's site into s; false (s left without a key) when its names are too
 * long for a site, and the record must take the generic path. */
bool access_site_set(struct access_site *s, const struct access_rec *a, enum rec_format fmt);

/* The same record without a site, field by field (rec_encode()'s contract). */
size_t access_rec_encode(const struct access_rec *a, uint64_t seq, uint64_t data,
			 enum rec_format fmt, char *out, size_t cap);

/* Encodes the record of site s with exit number seq and data into out,
 * which has ACCESS_REC_MAX bytes of room; returns its length. */
size_t access_site_encode(struct access_site *s, uint64_t seq, uint64_t data, char *out);

#endif /* MVM_RECORD_ACCESS_H */
