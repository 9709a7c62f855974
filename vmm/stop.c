/* SPDX-License-Identifier: MIT */
/* stop.c - owns the stop timer and signal handlers that set kvm_run.immediate_exit. */
#include "stop.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>

/*
 * Signal handlers can reach nothing but file-scope state: the kvm_run page
 * to set immediate_exit on, and why. A signal that lands during KVM_RUN
 * makes it return EINTR; one that lands just before it is caught by
 * immediate_exit, so no stop request is ever lost.
 */
static struct kvm_run *volatile stop_run;
static volatile sig_atomic_t stop_why;
static volatile sig_atomic_t stop_signo;
static timer_t stop_timer;
static bool stop_timer_armed;

static void stop_handler(int sig)
{
	if (stop_why == STOP_NONE) {
		stop_why = sig == SIGALRM ? STOP_TIMEOUT : STOP_SIGNAL;
		stop_signo = sig;
	}
	if (stop_run)
		stop_run->immediate_exit = 1;
}

static const int stop_signals[] = { SIGINT, SIGTERM, SIGALRM };

bool stop_arm(struct kvm_run *run, double timeout_seconds, struct errbuf *err)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = stop_handler; /* no SA_RESTART: KVM_RUN must return */
	sigemptyset(&sa.sa_mask);
	stop_run = run;
	stop_why = STOP_NONE;
	for (size_t i = 0; i < ARRAY_SIZE(stop_signals); i++)
		sigaction(stop_signals[i], &sa, NULL);
	if (timeout_seconds > 0) {
		struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM };
		struct itimerspec its = { 0 };

		if (timer_create(CLOCK_MONOTONIC, &sev, &stop_timer) < 0) {
			errbuf_set(err, "timer_create: %s", strerror(errno));
			return false;
		}
		stop_timer_armed = true;
		its.it_value.tv_sec = (time_t)timeout_seconds;
		its.it_value.tv_nsec =
			(long)((timeout_seconds - (double)its.it_value.tv_sec) * 1e9);
		if (timer_settime(stop_timer, 0, &its, NULL) < 0) {
			errbuf_set(err, "timer_settime: %s", strerror(errno));
			return false;
		}
	}
	return true;
}

enum stop_cause stop_cause(void)
{
	return stop_why;
}

int stop_signal(void)
{
	return stop_signo;
}

void stop_disarm(void)
{
	struct sigaction sa;

	if (stop_timer_armed)
		timer_delete(stop_timer);
	stop_timer_armed = false;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (size_t i = 0; i < ARRAY_SIZE(stop_signals); i++)
		sigaction(stop_signals[i], &sa, NULL);
	stop_run = NULL;
}
