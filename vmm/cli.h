/* SPDX-License-Identifier: MIT */
/* cli.h - the command line of `minivmm run`. */
#ifndef MVM_CLI_H
#define MVM_CLI_H

#include <stdio.h>

#include "payload.h"
#include "util.h"
#include "options.h"

struct cli_run {
	const char *payload;
	struct payload_overrides ov;
	struct run_options opt;
	int help;	    /* --help was given */
	bool ring_size_set; /* --dirty-ring-size was given */
};

/* Parses argv of "run ..." (argv[0] is "run"); false with err on a usage error. */
bool cli_parse_run(int argc, char **argv, struct cli_run *c, struct errbuf *err);
void cli_usage(FILE *f);

#endif /* MVM_CLI_H */
