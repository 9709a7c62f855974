/* SPDX-License-Identifier: MIT */
/* lock.h - the run lock: a futex mutex whose uncontended path is one atomic each way. */
#ifndef MVM_LOCK_H
#define MVM_LOCK_H

#include <stdbool.h>

/*
 * Every exit takes and drops the run lock once, so its fast path matters:
 * a compare-and-swap to take it, an exchange to drop it, the kernel only
 * when another thread waits (the three-state futex mutex of Drepper's
 * "Futexes Are Tricky"). Zero-initialized means unlocked.
 */
struct mvm_lock {
	int word; /* 0 free, 1 held, 2 held and maybe waited for */
};

void mvm_lock_slow(struct mvm_lock *l, int seen);
void mvm_lock_wake(struct mvm_lock *l);

static inline void mvm_lock(struct mvm_lock *l)
{
	int c = 0;

	if (!__atomic_compare_exchange_n(&l->word, &c, 1, false, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED))
		mvm_lock_slow(l, c);
}

static inline void mvm_unlock(struct mvm_lock *l)
{
	if (__atomic_exchange_n(&l->word, 0, __ATOMIC_RELEASE) == 2)
		mvm_lock_wake(l);
}

/* With l held: waits until *word is no longer val, dropping l while asleep.
 * Whoever changes *word (holding l) calls mvm_wake_all(word) after. */
void mvm_lock_wait_while(struct mvm_lock *l, int *word, int val);
void mvm_wake_all(int *word);
/* Sleeps while *word is val (it may return early: callers look again). */
void mvm_futex_wait(int *word, int val);

#endif /* MVM_LOCK_H */
