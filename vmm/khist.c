/* SPDX-License-Identifier: MIT */
/* khist.c - owns the per-value counts of --kprobe fetch arguments. */
#include "khist.h"

#include <stdlib.h>

void khist_add(struct khist *h, uint64_t value, uint64_t count)
{
	for (int i = 0; i < h->n; i++)
		if (h->v[i].value == value) {
			h->v[i].count += count;
			return;
		}
	if (h->n == KHIST_VALUES) {
		h->other += count;
		return;
	}
	h->v[h->n].value = value;
	h->v[h->n].count = count;
	h->n++;
}

void khist_merge(struct khist *dst, const struct khist *src)
{
	for (int i = 0; i < src->n; i++)
		khist_add(dst, src->v[i].value, src->v[i].count);
	dst->other += src->other;
}

static int by_value(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void khist_sort(struct khist *h)
{
	if (h->n > 1)
		qsort(h->v, (size_t)h->n, sizeof(h->v[0]), by_value);
}
