/* SPDX-License-Identifier: MIT */
/* bare_loop.c - benchmark: minivmm's recording run loop against a bare KVM_RUN loop. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "minivmm_abi.h"
#include "vm.h"

/*
 * Both loops run the same payload in a VM built by the same code
 * (vm_create), one after the other in this process, so the only
 * difference measured is the loop: the bare one does nothing per exit but
 * look for the payload's exit call; the full one is vm_run() with the
 * recorder writing a text trace. The ratio is taken per round (a pair of
 * runs), its median and spread over the rounds printed.
 */
static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int make_vm(struct vm *vm, const struct payload *p, const char *trace)
{
	struct run_options opt = { .trace_path = trace, .format = REC_TEXT };
	struct errbuf err;
	int r;

	vm_init(vm, &opt);
	if (!recorder_open(&vm->m.log.rec, trace, REC_TEXT, false, &err) ||
	    (r = vm_create(vm, p, &err))) {
		fprintf(stderr, "bench: %s\n", err.msg);
		return -1;
	}
	return 0;
}

/* Returns the number of exits, or -1. */
static long bare_run(struct vm *vm)
{
	struct kvm_run *run = vm->vcpu[0].run;
	long exits = 0;

	/* On this thread: vCPU 0's own thread waits at the gate until vm_destroy. */
	for (;;) {
		int r = ioctl_raw(vm->vcpu[0].fd, KVM_RUN, NULL);

		if (r == -EINTR)
			continue;
		if (r < 0)
			return -1;
		exits++;
		if (run->exit_reason == KVM_EXIT_IO &&
		    run->io.port == MVM_CALL_PORT + MVM_CALL_EXIT)
			return exits;
		if (run->exit_reason != KVM_EXIT_IO)
			return -1;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One bare run of p: its seconds, and its exits into *exits (-1: failed). */
static double time_bare(const struct payload *p, long *exits)
{
	struct vm vm;
	double t;

	*exits = -1;
	if (make_vm(&vm, p, "/dev/null"))
		return 0;
	t = now();
	*exits = bare_run(&vm);
	t = now() - t;
	recorder_close(&vm.m.log.rec);
	vm_destroy(&vm);
	return t;
}

/* One recording run of p with its trace at path: seconds, exits (-1: failed). */
static double time_full(const struct payload *p, const char *path, long *exits)
{
	struct vm vm;
	int status;
	double t;

	*exits = -1;
	if (make_vm(&vm, p, path))
		return 0;
	t = now();
	status = vm_run(&vm);
	t = now() - t;
	recorder_close(&vm.m.log.rec);
	if (status == 0)
		*exits = (long)vm.m.log.exits;
	vm_destroy(&vm);
	return t;
}

int main(int argc, char **argv)
{
	struct payload_overrides ov = { .mode = -1 };
	double bare[16], full[16], ratio[16];
	struct errbuf err;
	struct payload p;
	int rounds = argc > 3 ? atoi(argv[3]) : 5;
	long exits = 0;

	if (argc < 3 || rounds < 1 || rounds > 16) {
		fprintf(stderr, "usage: bare_loop PAYLOAD TRACE_FILE [ROUNDS<=16]\n");
		return 2;
	}
	if (!payload_read(argv[1], &p, &err) || !payload_parse(&p, &ov, &err)) {
		fprintf(stderr, "bench: %s\n", err.msg);
		return 2;
	}
	/* Bare first in odd rounds, recording first in even ones: a slower
	 * spell of a shared host falls on both sides. */
	for (int i = 0; i < rounds; i++) {
		long be, fe;

		if (i % 2 == 0) {
			bare[i] = time_bare(&p, &be);
			full[i] = time_full(&p, argv[2], &fe);
		} else {
			full[i] = time_full(&p, argv[2], &fe);
			bare[i] = time_bare(&p, &be);
		}
		if (be < 0 || fe != be) {
			fprintf(stderr, "bench: the recording run gave %ld exits, the bare one %ld\n",
				fe, be);
			return 1;
		}
		exits = be;
		ratio[i] = full[i] / bare[i];
		printf("round %d: bare %.3f s, minivmm %.3f s, ratio %.4f (%ld exits)\n", i + 1,
		       bare[i], full[i], ratio[i], exits);
	}
	qsort(bare, rounds, sizeof(double), cmp_double);
	qsort(full, rounds, sizeof(double), cmp_double);
	qsort(ratio, rounds, sizeof(double), cmp_double);
	printf("bare KVM_RUN loop:       %.3f s median, %.2f us/exit\n", bare[rounds / 2],
	       bare[rounds / 2] / exits * 1e6);
	printf("minivmm, full recording: %.3f s median, %.2f us/exit\n", full[rounds / 2],
	       full[rounds / 2] / exits * 1e6);
	printf("ratio minivmm/bare: median %.4f of %d rounds (spread %.4f to %.4f), "
	       "target <= 1.02: %s\n",
	       ratio[rounds / 2], rounds, ratio[0], ratio[rounds - 1],
	       ratio[rounds / 2] <= 1.02 ? "met" : "MISSED");
	payload_free(&p);
	return 0;
}
