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
/* The symbol file looked for when --symbols is not given: PAYLOAD with its
 * .bin replaced by .sym, into buf; false for a payload not named *.bin. */
bool cli_symbols_beside(const char *payload, char *buf, size_t cap);

#endif /* MVM_CLI_H */
