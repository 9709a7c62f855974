/* SPDX-License-Identifier: MIT */
/* khist.h - hits of a --kprobe fetch argument counted by value: the summary's histogram. */
#ifndef MVM_KHIST_H
#define MVM_KHIST_H

#include <stdint.h>

#define KHIST_VALUES 32 /* distinct values kept per argument; the rest are "other" */

struct khist {
	int n;
	uint64_t other; /* hits whose value did not fit in v[] */
	struct {
		uint64_t value, count;
	} v[KHIST_VALUES];
};

/* Counts count hits of value. */
void khist_add(struct khist *h, uint64_t value, uint64_t count);
/* Adds src's counts to dst's (values that do not fit go to dst's other). */
void khist_merge(struct khist *dst, const struct khist *src);
/* Orders the values, smallest first. */
void khist_sort(struct khist *h);

#endif /* MVM_KHIST_H */
