/* SPDX-License-Identifier: MIT */
/* suggest.h - the nearest known word to a mistyped one, for "did you mean" hints. */
#ifndef MVM_SUGGEST_H
#define MVM_SUGGEST_H

#include <stddef.h>

/*
 * The edits (insert, delete, replace, swap of two neighbours) from a to b,
 * counting at most up to limit + 1. Pure.
 */
int suggest_distance(const char *a, const char *b, int limit);

/*
 * Of the n candidates, the one nearest to word, or NULL when none is near
 * enough to be what was meant: at most 1 edit for words of up to 4
 * characters, 2 up to 8, 3 beyond. A tie goes to the first. A candidate
 * that word is a prefix of (at least 3 characters) counts as near. Pure.
 */
const char *suggest_nearest(const char *word, const char *const *cands, size_t n);

#endif /* MVM_SUGGEST_H */
