/* SPDX-License-Identifier: MIT */
/* stop.h - ending KVM_RUN cleanly on a timeout or a signal (immediate_exit). */
#ifndef MVM_STOP_H
#define MVM_STOP_H

#include <linux/kvm.h>
#include <stdbool.h>

#include "util.h"

enum stop_cause { STOP_NONE, STOP_TIMEOUT, STOP_SIGNAL };

/* Catches SIGINT/SIGTERM and arms a timer (seconds > 0) that interrupt run. */
bool stop_arm(struct kvm_run *run, double timeout_seconds, struct errbuf *err);
/* Why the run should stop, if it should. */
enum stop_cause stop_cause(void);
/* The signal that asked to stop (STOP_SIGNAL). */
int stop_signal(void);
/* Disarms the timer and restores the default signal actions. */
void stop_disarm(void);

#endif /* MVM_STOP_H */
