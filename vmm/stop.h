/* SPDX-License-Identifier: MIT */
/* stop.h - ending a run on a timeout or a signal, and kicking vCPU threads out of KVM_RUN. */
#ifndef MVM_STOP_H
#define MVM_STOP_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <time.h>

#include "runlog.h"
#include "util.h"

/* Sent by the last vCPU thread to finish, to the thread in stop_wait(). */
#define STOP_DONE_SIGNAL SIGUSR2

/*
 * The signals that end a run (SIGINT, SIGTERM, SIGHUP, SIGQUIT, the
 * timer's SIGALRM) are blocked in every thread for the whole run and taken
 * by stop_wait() alone, so none can kill minivmm before its trace is
 * complete, and a vCPU thread is only ever interrupted by a kick.
 */
struct stopper {
	sigset_t set; /* what stop_wait() takes */
	pthread_t waiter;
	timer_t timer;
	bool timer_made;
};

/* Blocks the stop signals in this thread (threads started later inherit
 * it) and installs the kick handler. Before any vCPU thread exists. */
void stop_init(struct stopper *s);
/* Starts --timeout's timer (seconds > 0). */
bool stop_arm(struct stopper *s, double seconds, struct errbuf *err);
/* Until *running (under log->lock) is 0: a stop signal or the timer ends
 * the run in log, which kicks the vCPU threads. tick, if not NULL, is
 * called with ctx every STOP_TICK_NS while nothing else happens. */
#define STOP_TICK_NS 250000000L
void stop_wait(struct stopper *s, struct runlog *log, const int *running, void (*tick)(void *),
	       void *ctx);
/* A vCPU thread saying it has finished (after it made *running 0). */
void stop_done(struct stopper *s);
/* In a vCPU thread: lets kicks in. */
void stop_vcpu_thread(void);
void stop_disarm(struct stopper *s);

#endif /* MVM_STOP_H */
