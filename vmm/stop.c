/* SPDX-License-Identifier: MIT */
/* stop.c - owns the run's signals: the stop signals, the --timeout timer and the kick. */
#include "stop.h"

#include <errno.h>
#include <string.h>

#include "minivmm_abi.h"

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGALRM, STOP_DONE_SIGNAL };

/* The kick only has to exist: without a handler, SIGUSR1 would kill. */
static void kick_handler(int sig)
{
	(void)sig;
}

void stop_init(struct stopper *s)
{
	struct sigaction sa;

	memset(s, 0, sizeof(*s));
	sigemptyset(&s->set);
	for (size_t i = 0; i < ARRAY_SIZE(stop_signals); i++)
		sigaddset(&s->set, stop_signals[i]);
	pthread_sigmask(SIG_BLOCK, &s->set, NULL);
	s->waiter = pthread_self();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = kick_handler; /* no SA_RESTART: KVM_RUN must return */
	sigemptyset(&sa.sa_mask);
	sigaction(STOP_KICK_SIGNAL, &sa, NULL);
}

bool stop_arm(struct stopper *s, double seconds, struct errbuf *err)
{
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM };
	struct itimerspec its = { 0 };

	if (timer_create(CLOCK_MONOTONIC, &sev, &s->timer) < 0) {
		errbuf_set(err, "timer_create: %s", strerror(errno));
		return false;
	}
	s->timer_made = true;
	its.it_value.tv_sec = (time_t)seconds;
	its.it_value.tv_nsec = (long)((seconds - (double)its.it_value.tv_sec) * 1e9);
	if (!its.it_value.tv_sec && !its.it_value.tv_nsec)
		its.it_value.tv_nsec = 1; /* zero would disarm it */
	if (timer_settime(s->timer, 0, &its, NULL) < 0) {
		errbuf_set(err, "timer_settime: %s", strerror(errno));
		return false;
	}
	return true;
}

static void take(struct runlog *log, const siginfo_t *si)
{
	mvm_lock(&log->lock);
	if (si->si_signo == SIGALRM && si->si_code == SI_TIMER)
		runlog_end(log, END_TIMEOUT, MVM_FAIL, NULL);
	else
		runlog_end_code(log, END_SIGNAL, MVM_STATUS_INTERRUPT, strsignal(si->si_signo),
				(uint64_t)si->si_signo);
	mvm_unlock(&log->lock);
}

void stop_wait(struct stopper *s, struct runlog *log, const int *running, void (*tick)(void *),
	       void *ctx)
{
	const struct timespec every = { 0, STOP_TICK_NS };

	for (;;) {
		siginfo_t si;
		int left;

		mvm_lock(&log->lock);
		left = *running;
		mvm_unlock(&log->lock);
		if (!left)
			return;
		if ((tick ? sigtimedwait(&s->set, &si, &every) : sigwaitinfo(&s->set, &si)) < 0) {
			if (tick)
				tick(ctx);
			continue;
		}
		if (si.si_signo != STOP_DONE_SIGNAL)
			take(log, &si);
	}
}

void stop_done(struct stopper *s)
{
	pthread_kill(s->waiter, STOP_DONE_SIGNAL);
}

void stop_vcpu_thread(void)
{
	sigset_t kick;

	sigemptyset(&kick);
	sigaddset(&kick, STOP_KICK_SIGNAL);
	pthread_sigmask(SIG_UNBLOCK, &kick, NULL);
}

void stop_disarm(struct stopper *s)
{
	if (s->timer_made)
		timer_delete(s->timer);
	s->timer_made = false;
}
