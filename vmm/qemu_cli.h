/* SPDX-License-Identifier: MIT */
/*
 * qemu_cli.h - `minivmm qemu` (and the minivmm-qemu link): the part of
 * QEMU's x86 command line that kvm-unit-tests' runner passes, turned into
 * the argument vector of `minivmm run`.
 */
#ifndef MVM_QEMU_CLI_H
#define MVM_QEMU_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "util.h"

#define QEMU_RUN_ARGS_MAX 64

enum qemu_action {
	QEMU_RUN,	  /* boot -kernel: argv holds the `minivmm run` arguments */
	QEMU_HELP,	  /* -h, -help, --help */
	QEMU_VERSION,	  /* -version */
	QEMU_DEVICE_LIST, /* -device help / -device '?' */
};

struct qemu_cmd {
	enum qemu_action action;
	const char *kernel; /* -kernel FILE */
	int argc;
	char *argv[QEMU_RUN_ARGS_MAX + 1]; /* argv[0] = "run", NULL-terminated */
	char store[QEMU_RUN_ARGS_MAX][256]; /* values argv points at that we made */
	int nstore;
};

/*
 * Reads QEMU's options (argv[0] is the program or "qemu") into q; extra,
 * unless NULL, is a space-separated list of `minivmm run` options added
 * at the end (MINIVMM_ARGS), trace_dir a directory for a JSONL trace per
 * run named after test (MINIVMM_TRACE_DIR; test NULL: the kernel's name).
 * false with a one-line err naming the option.
 */
bool qemu_parse(int argc, char **argv, const char *extra, const char *trace_dir,
		const char *test, struct qemu_cmd *q, struct errbuf *err);

/* QEMU's status for a run that ended on a write of code to isa-debug-exit. */
static inline int qemu_debug_exit_status(uint64_t code)
{
	return (int)(((code << 1) | 1) & 0xff);
}

void qemu_usage(FILE *f);
void qemu_device_list(FILE *f);

#endif /* MVM_QEMU_CLI_H */
