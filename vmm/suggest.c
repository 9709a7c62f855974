/* SPDX-License-Identifier: MIT */
/* suggest.c - owns finding the known word a mistyped one was meant to be. */
#include "suggest.h"

#include <string.h>

#define WORD_MAX 64

int suggest_distance(const char *a, const char *b, int limit)
{
	size_t la = strlen(a), lb = strlen(b);
	int row[3][WORD_MAX + 1];

	if (la > WORD_MAX || lb > WORD_MAX)
		return limit + 1;
	if ((la > lb ? la - lb : lb - la) > (size_t)limit)
		return limit + 1;
	/* Optimal string alignment, three rows: the one before last for swaps. */
	for (size_t j = 0; j <= lb; j++)
		row[0][j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int *cur = row[i % 3], *prev = row[(i - 1) % 3], *prev2 = row[(i + 1) % 3];
		int best = cur[0] = (int)i;

		for (size_t j = 1; j <= lb; j++) {
			int cost = a[i - 1] != b[j - 1];
			int d = prev[j - 1] + cost;

			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < d)
				d = prev2[j - 2] + 1;
			cur[j] = d;
			if (d < best)
				best = d;
		}
		if (best > limit)
			return limit + 1;
	}
	return row[la % 3][lb];
}

const char *suggest_nearest(const char *word, const char *const *cands, size_t n)
{
	size_t len = strlen(word);
	int limit = len <= 4 ? 1 : len <= 8 ? 2 : 3, best = limit + 1;
	const char *pick = NULL;

	for (size_t i = 0; i < n; i++) {
		int d;

		if (!cands[i])
			continue;
		if (len >= 3 && strncmp(cands[i], word, len) == 0 && strlen(cands[i]) > len)
			d = limit; /* an abbreviation: near, but a real typo nearer still wins */
		else
			d = suggest_distance(word, cands[i], limit);
		if (d < best) {
			best = d;
			pick = cands[i];
		}
	}
	return pick;
}
