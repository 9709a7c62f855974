/* SPDX-License-Identifier: MIT */
/* stats.h - KVM binary statistics (KVM_GET_STATS_FD): descriptors, values, deltas. */
#ifndef MVM_STATS_H
#define MVM_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define STATS_NAME_MAX 64

struct stat_desc {
	char name[STATS_NAME_MAX];
	uint32_t flags; /* KVM_STATS_TYPE_*, _UNIT_*, _BASE_* */
	int16_t exponent;
	uint16_t size;	 /* number of u64 values (buckets for histograms) */
	uint32_t offset; /* from the data block */
	uint32_t bucket_size;
};

/* One stats fd (the VM's or a vCPU's): its layout and the last values read. */
struct stats_set {
	char scope[16]; /* "vm", "vcpu0" */
	int fd;
	char id[STATS_NAME_MAX];
	uint32_t data_offset;
	size_t data_size; /* bytes of the data block minivmm reads */
	struct stat_desc *desc;
	uint32_t ndesc;
	uint64_t *last; /* data block at the previous record, as u64s */
	uint64_t *now;
};

/*
 * Parses what a stats fd holds before its data: the header, the id string
 * and ndesc descriptors, from buf (the file's first len bytes). Pure, so
 * synthetic blobs test it; err names what is malformed.
 */
bool stats_parse(struct stats_set *set, const void *buf, size_t len, struct errbuf *err);
/* Whether descriptor d's value changed between last and now (histograms:
 * any bucket); *delta is the change of a cumulative counter or histogram
 * total, the new value of an instant or peak one. */
bool stats_changed(const struct stats_set *set, const struct stat_desc *d, uint64_t *delta);
const char *stats_type_name(uint32_t flags);
const char *stats_unit_name(uint32_t flags);
void stats_free(struct stats_set *set);

/* --stats is the stats_contrib row (contrib.h): the VM's and each vCPU's stats
 * fds, read at every checkpoint and at the end ("kstat" records). */

#endif /* MVM_STATS_H */
