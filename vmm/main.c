/* SPDX-License-Identifier: MIT */
/* main.c - the minivmm command: subcommands, and the order a run is set up in. */
#include <stdio.h>
#include <string.h>

#include "caps.h"
#include "cli.h"
#include "minivmm_abi.h"
#include "trace_cmd.h"
#include "vm.h"

#ifndef MVM_VERSION
#define MVM_VERSION "unknown"
#endif

static void usage_top(FILE *f)
{
	fprintf(f, "minivmm %s - a small, exact userspace VMM that records KVM exits\n\n",
		MVM_VERSION);
	cli_usage(f);
}

/* Everything that can be checked without KVM is checked before a VM exists. */
static int cmd_run(int argc, char **argv)
{
	struct cli_run c;
	struct payload p;
	struct errbuf err = { "" };
	struct vm vm;
	int status, finished;

	if (!cli_parse_run(argc, argv, &c, &err)) {
		mvm_err("%s", err.msg);
		return MVM_STATUS_USAGE;
	}
	if (c.help) {
		usage_top(stdout);
		return 0;
	}
	if (!payload_read(c.payload, &p, &err) || !payload_parse(&p, &c.ov, &err)) {
		mvm_err("%s", err.msg);
		payload_free(&p);
		return MVM_STATUS_USAGE;
	}
	vm_init(&vm, &c.opt);
	if (!recorder_open(&vm.m.log.rec, c.opt.trace_path, c.opt.format, c.opt.timing, &err)) {
		mvm_err("%s", err.msg);
		payload_free(&p);
		vm_destroy(&vm);
		return MVM_STATUS_USAGE;
	}
	vm.m.log.echo = c.opt.quiet || vm.m.log.rec.fd == 1 ? NULL : stdout;
	vm_record_header(&vm, &p);
	status = vm_create(&vm, &p, &err);
	if (status) {
		mvm_err("%s%s", status == MVM_SKIP ? "skip: " : "", err.msg);
		runlog_end(&vm.m.log, status == MVM_SKIP ? END_UNSUPPORTED : END_HOST_ERROR, status,
			   err.msg);
		vm.m.log.echo = NULL;
		/* A usage error found late (e.g. too many --ktrace events) stays one. */
		finished = vm_finish(&vm);
		if (status != MVM_STATUS_USAGE)
			status = finished;
	} else {
		vm_record_layout(&vm);
		status = vm_run(&vm);
	}
	vm_destroy(&vm);
	payload_free(&p);
	if (!recorder_close(&vm.m.log.rec) && status != MVM_STATUS_INTERRUPT)
		status = MVM_STATUS_HOST;
	return status;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		mvm_err("no command given (usage: minivmm run PAYLOAD [OPTIONS]; see minivmm "
			"--help)");
		return MVM_STATUS_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage_top(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("minivmm %s (payload ABI %d)\n", MVM_VERSION, MVM_ABI_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "caps"))
		return cmd_caps(argc - 1, argv + 1);
	if (!strcmp(argv[1], "show"))
		return cmd_show(argc - 1, argv + 1);
	if (!strcmp(argv[1], "diff"))
		return cmd_diff(argc - 1, argv + 1);
	mvm_err("unknown command '%s' (try: minivmm --help)", argv[1]);
	return MVM_STATUS_USAGE;
}
