/* SPDX-License-Identifier: MIT */
/* lock.c - the run lock's slow paths: sleeping and waking on its futex. */
#include "lock.h"

#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

static void futex(int *word, int op, int val)
{
	/* EINTR and EAGAIN (the word changed) need nothing: callers look again. */
	syscall(SYS_futex, word, op, val, NULL, NULL, 0);
}

void mvm_lock_slow(struct mvm_lock *l, int seen)
{
	int c = seen;

	if (c != 2)
		c = __atomic_exchange_n(&l->word, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		futex(&l->word, FUTEX_WAIT_PRIVATE, 2);
		c = __atomic_exchange_n(&l->word, 2, __ATOMIC_ACQUIRE);
	}
}

void mvm_lock_wake(struct mvm_lock *l)
{
	futex(&l->word, FUTEX_WAKE_PRIVATE, 1);
}

void mvm_lock_wait_while(struct mvm_lock *l, int *word, int val)
{
	while (__atomic_load_n(word, __ATOMIC_ACQUIRE) == val) {
		mvm_unlock(l);
		futex(word, FUTEX_WAIT_PRIVATE, val);
		mvm_lock(l);
	}
}

void mvm_futex_wait(int *word, int val)
{
	futex(word, FUTEX_WAIT_PRIVATE, val);
}

void mvm_wake_all(int *word)
{
	futex(word, FUTEX_WAKE_PRIVATE, INT_MAX);
}
