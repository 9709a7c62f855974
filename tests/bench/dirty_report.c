/* SPDX-License-Identifier: MIT */
/* dirty_report.c - dirty_bench's table: medians, spreads, ratios, targets met or missed. */
#include "dirty_report.h"

#include <stdio.h>
#include <stdlib.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Issue 13's targets: bitmap and clear within 1.5x of the bare ioctls up
 * to 1 GiB, where minivmm's fixed costs weigh most, 1.1x from 17 GiB on
 * (1.5x in between, which the issue does not name); ring within 1.2x. */
static double target(const struct row *r)
{
	if (r->mode == DIRTY_RING)
		return 1.2;
	return r->gib >= 17 ? 1.1 : 1.5;
}

static double median(struct samples *s)
{
	qsort(s->v, (size_t)s->n, sizeof(double), cmp_double);
	return s->v[s->n / 2];
}

void dirty_report(struct row *rows, int n)
{
	printf("dirty checkpoint, minivmm's path against the bare fetch, 64 pages dirtied each "
	       "time\n");
	printf("times in us: median (min-max) over the checkpoints of one run\n");
	printf("  %-8s%-8s%8s %-17s%8s %-17s%6s %s\n", "slot", "mode", "minivmm", "", "bare", "",
	       "ratio", "target");
	for (int i = 0; i < n; i++) {
		struct row *r = &rows[i];
		double full = median(&r->full), bare = median(&r->bare);

		r->ratio = full / bare;
		printf("  %3llu GiB %-7s %8.1f (%6.1f-%7.1f) %8.1f (%6.1f-%7.1f) %6.3f <= %.1f\n",
		       (unsigned long long)r->gib, dirty_mode_name(r->mode), full, r->full.v[0],
		       r->full.v[r->full.n - 1], bare, r->bare.v[0], r->bare.v[r->bare.n - 1],
		       r->ratio, target(r));
	}
	for (int i = 0; i < n; i++)
		printf("%llu GiB %s: %s (%.3f, target %.1f; %d+%d checkpoints)\n",
		       (unsigned long long)rows[i].gib, dirty_mode_name(rows[i].mode),
		       rows[i].ratio <= target(&rows[i]) ? "met" : "missed", rows[i].ratio,
		       target(&rows[i]), rows[i].full.n, rows[i].bare.n);
}
