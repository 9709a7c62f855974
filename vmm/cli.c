/* SPDX-License-Identifier: MIT */
/* cli.c - owns option parsing and the help text of `minivmm run`. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "minivmm_abi.h"
#include "irqchip.h"
#include "dirty.h"
#include "ktrace.h"
#include "names.h"
#include "cpu_model.h"
#include "progress.h"
#include "suggest.h"

enum {
	OPT_MODE = 256,
	OPT_LOAD,
	OPT_ENTRY,
	OPT_MEM,
	OPT_TRACE,
	OPT_FORMAT,
	OPT_TIMING,
	OPT_TIMEOUT,
	OPT_MAX_EXITS,
	OPT_QUIET,
	OPT_HELP,
	OPT_BACKING,
	OPT_DIRTY,
	OPT_DIRTY_RING_SIZE,
	OPT_STATS,
	OPT_KTRACE,
	OPT_MARKER,
	OPT_NESTED_STATE,
	OPT_IRQCHIP,
	OPT_VCPUS,
	OPT_SYMBOLS,
	OPT_SINGLESTEP,
	OPT_MACHINE,
	OPT_APPEND,
	OPT_INITRD,
	OPT_CPU,
	OPT_KPROBE,
	OPT_KSTACK,
	OPT_KPROBE_COUNT,
	OPT_NO_PIT,
	OPT_NO_EXIT_RECORDS,
	OPT_PROGRESS,
	OPT_NO_PROGRESS,
	OPT_WAIT_ATTACH,
	OPT_EXPLAIN,
};

static const struct option run_options[] = {
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "load", required_argument, NULL, OPT_LOAD },
	{ "entry", required_argument, NULL, OPT_ENTRY },
	{ "mem", required_argument, NULL, OPT_MEM },
	{ "trace", required_argument, NULL, OPT_TRACE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "timing", no_argument, NULL, OPT_TIMING },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "max-exits", required_argument, NULL, OPT_MAX_EXITS },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "backing", required_argument, NULL, OPT_BACKING },
	{ "dirty", required_argument, NULL, OPT_DIRTY },
	{ "dirty-ring-size", required_argument, NULL, OPT_DIRTY_RING_SIZE },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "ktrace", optional_argument, NULL, OPT_KTRACE },
	{ "marker", no_argument, NULL, OPT_MARKER },
	{ "nested-state", no_argument, NULL, OPT_NESTED_STATE },
	{ "irqchip", required_argument, NULL, OPT_IRQCHIP },
	{ "vcpus", required_argument, NULL, OPT_VCPUS },
	{ "smp", required_argument, NULL, OPT_VCPUS },
	{ "symbols", required_argument, NULL, OPT_SYMBOLS },
	{ "singlestep", optional_argument, NULL, OPT_SINGLESTEP },
	{ "machine", required_argument, NULL, OPT_MACHINE },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "cpu", required_argument, NULL, OPT_CPU },
	{ "kprobe", required_argument, NULL, OPT_KPROBE },
	{ "kstack", no_argument, NULL, OPT_KSTACK },
	{ "kprobe-count", no_argument, NULL, OPT_KPROBE_COUNT },
	{ "no-pit", no_argument, NULL, OPT_NO_PIT },
	{ "no-exit-records", no_argument, NULL, OPT_NO_EXIT_RECORDS },
	{ "progress", no_argument, NULL, OPT_PROGRESS },
	{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
	{ "wait-attach", no_argument, NULL, OPT_WAIT_ATTACH },
	{ "explain", no_argument, NULL, OPT_EXPLAIN },
	{ NULL, 0, NULL, 0 },
};

/* "unknown option --tiemout (did you mean --timeout?)": the nearest of run's. */
static void unknown_option(const char *arg, struct errbuf *err)
{
	static char names[ARRAY_SIZE(run_options)][32];
	const char *cands[ARRAY_SIZE(run_options)], *near;
	int len = (int)strcspn(arg, "=");
	char word[64];
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(run_options) && run_options[i].name; i++) {
		snprintf(names[n], sizeof(names[n]), "--%s", run_options[i].name);
		cands[n] = names[n];
		n++;
	}
	snprintf(word, sizeof(word), "%.*s", len, arg);
	near = suggest_nearest(word, cands, n);
	if (near)
		errbuf_set(err, "unknown option %s (did you mean %s?)", word, near);
	else
		errbuf_set(err, "unknown option %s (see minivmm run --help)", word);
}

static bool parse_gpa(const char *what, const char *s, bool *has, uint64_t *out, struct errbuf *err)
{
	if (!parse_u64(s, out)) {
		errbuf_set(err, "--%s: '%s' is not an address (decimal or 0x hex)", what, s);
		return false;
	}
	*has = true;
	return true;
}

static bool parse_ring_size(struct cli_run *c, const char *arg, struct errbuf *err)
{
	uint64_t v;

	/* Below 16K a ring is smaller than what KVM reserves on some hosts: a
	 * 6.18 host took 4K and 8K rings, then lost entries or stalled. */
	if (!parse_size(arg, &v) || (v & (v - 1))) {
		errbuf_set(err, "--dirty-ring-size: '%s' is not a power of two (16K to 1G)", arg);
		return false;
	}
	if (v < DIRTY_RING_MIN_BYTES || v > (1U << 30)) {
		errbuf_set(err, "--dirty-ring-size: '%s' is outside 16K to 1G", arg);
		return false;
	}
	c->opt.dirty_ring_bytes = (uint32_t)v;
	c->ring_size_set = true;
	return true;
}

static bool parse_one(struct cli_run *c, int opt, const char *arg, struct errbuf *err)
{
	char *end;

	switch (opt) {
	case OPT_MODE:
		c->ov.mode = mvm_mode_from_name(arg);
		if (c->ov.mode < 0)
			errbuf_set(err,
				   "--mode: unknown mode '%s' (real, prot32, paging32, pae, "
				   "long, la57)",
				   arg);
		return c->ov.mode >= 0;
	case OPT_LOAD:
		return parse_gpa("load", arg, &c->ov.has_load, &c->ov.load, err);
	case OPT_ENTRY:
		return parse_gpa("entry", arg, &c->ov.has_entry, &c->ov.entry, err);
	case OPT_MEM:
		if (!parse_size(arg, &c->ov.mem)) {
			errbuf_set(err, "--mem: '%s' is not a size (e.g. 64M)", arg);
			return false;
		}
		c->ov.has_mem = true;
		return true;
	case OPT_TRACE:
		c->opt.trace_path = arg;
		return true;
	case OPT_SYMBOLS:
		c->opt.symbols = arg;
		return true;
	case OPT_APPEND:
		c->ov.append = arg;
		return true;
	case OPT_INITRD:
		c->ov.initrd = arg;
		return true;
	case OPT_FORMAT:
		if (strcmp(arg, "text") && strcmp(arg, "jsonl")) {
			errbuf_set(err, "--format: '%s' is neither text nor jsonl", arg);
			return false;
		}
		c->opt.format = strcmp(arg, "jsonl") ? REC_TEXT : REC_JSONL;
		return true;
	case OPT_TIMEOUT:
		c->opt.timeout = strtod(arg, &end);
		if (*arg == '\0' || *arg == ' ' || *arg == '\t' || *end ||
		    !(c->opt.timeout > 0) || c->opt.timeout > 1e9) {
			errbuf_set(err, "--timeout: '%s' is not a positive number of seconds", arg);
			return false;
		}
		/* Below the timer's microsecond a value would disarm it: no timeout at all. */
		if (c->opt.timeout < 1e-6) {
			errbuf_set(err, "--timeout: '%s' is below 1 microsecond (0.000001)", arg);
			return false;
		}
		return true;
	case OPT_BACKING:
		if (!mem_backing_from_name(arg, &c->opt.backing)) {
			errbuf_set(err, "--backing: '%s' is not anon, thp or hugetlb", arg);
			return false;
		}
		return true;
	case OPT_DIRTY:
		if (!dirty_mode_from_name(arg, &c->opt.dirty)) {
			errbuf_set(err, "--dirty: '%s' is not bitmap, clear or ring", arg);
			return false;
		}
		return true;
	case OPT_DIRTY_RING_SIZE:
		return parse_ring_size(c, arg, err);
	case OPT_VCPUS: {
		uint64_t n;

		if (!parse_u64(arg, &n) || n < 1 || n > MVM_VCPUS_MAX) {
			errbuf_set(err, "--vcpus: '%s' is not a count from 1 to %d", arg,
				   MVM_VCPUS_MAX);
			return false;
		}
		c->ov.vcpus = (uint32_t)n;
		return true;
	}
	case OPT_IRQCHIP:
		if (!irqchip_from_name(arg, &c->ov.irqchip)) {
			errbuf_set(err, "--irqchip: '%s' is not none, kernel or split", arg);
			return false;
		}
		c->ov.has_irqchip = true;
		return true;
	case OPT_CPU:
		return cpu_model_parse(arg, &c->opt.cpu, err);
	case OPT_KPROBE:
		if (!*arg || *arg == ',' || *arg == ' ') {
			errbuf_set(err, "--kprobe: '%s' does not start with a function name", arg);
			return false;
		}
		c->opt.kprobe = arg;
		return true;
	case OPT_MACHINE:
		if (strcmp(arg, "pc") && strcmp(arg, "minivmm")) {
			errbuf_set(err, "--machine: '%s' is neither minivmm nor pc", arg);
			return false;
		}
		c->opt.pc = !strcmp(arg, "pc");
		return true;
	case OPT_SINGLESTEP:
		c->opt.singlestep = true;
		if (arg && (!parse_u64(arg, &c->opt.singlestep_max) || !c->opt.singlestep_max)) {
			errbuf_set(err, "--singlestep: '%s' is not a positive count of steps", arg);
			return false;
		}
		return true;
	case OPT_MAX_EXITS:
		if (!parse_u64(arg, &c->opt.max_exits) || !c->opt.max_exits) {
			errbuf_set(err, "--max-exits: '%s' is not a positive count", arg);
			return false;
		}
		return true;
	}
	return false;
}

bool cli_parse_run(int argc, char **argv, struct cli_run *c, struct errbuf *err)
{
	int opt;

	memset(c, 0, sizeof(*c));
	c->ov.mode = -1;
	c->opt.dirty_ring_bytes = DIRTY_RING_DEFAULT_BYTES;
	optind = 0; /* 0, not 1: glibc then also forgets the previous call's state */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", run_options, NULL)) != -1) {
		switch (opt) {
		case OPT_TIMING:
			c->opt.timing = true;
			break;
		case OPT_NO_PIT:
			c->opt.no_pit = true;
			break;
		case OPT_NO_EXIT_RECORDS:
			c->opt.no_exit_records = true;
			break;
		case OPT_PROGRESS:
			c->opt.progress = PROGRESS_ON;
			break;
		case OPT_NO_PROGRESS:
			c->opt.progress = PROGRESS_OFF;
			break;
		case OPT_WAIT_ATTACH:
			c->opt.wait_attach = true;
			break;
		case OPT_EXPLAIN:
			c->opt.explain = true;
			break;
		case OPT_KSTACK:
			c->opt.kstack = true;
			break;
		case OPT_KPROBE_COUNT:
			c->opt.kprobe_count = true;
			break;
		case OPT_QUIET:
			c->opt.quiet = true;
			break;
		case OPT_STATS:
			c->opt.stats = true;
			break;
		case OPT_KTRACE:
			c->opt.ktrace = optarg && *optarg ? optarg : KTRACE_DEFAULT_EVENTS;
			c->opt.ktrace_default = !(optarg && *optarg);
			break;
		case OPT_MARKER:
			c->opt.marker = true;
			break;
		case OPT_NESTED_STATE:
			c->opt.nested_state = true;
			break;
		case 'h':
		case OPT_HELP:
			c->help = 1;
			break;
		case ':':
			errbuf_set(err, "%s needs a value", argv[optind - 1]);
			return false;
		case '?':
			/* A short option ("-x" of "-xy") is named by optopt; optind may
			 * not have moved past its word yet. */
			if (strncmp(argv[optind - 1], "--", 2) && optopt > ' ' && optopt < 127)
				errbuf_set(err, "unknown option -%c", optopt);
			else
				unknown_option(argv[optind - 1], err);
			return false;
		default:
			if (!parse_one(c, opt, optarg, err))
				return false;
		}
	}
	if (c->help)
		return true;
	if (c->ring_size_set && c->opt.dirty != DIRTY_RING) {
		errbuf_set(err, "--dirty-ring-size needs --dirty ring");
		return false;
	}
	if (c->opt.explain && c->opt.format == REC_JSONL) {
		errbuf_set(err, "--explain adds to the text trace; for a JSON Lines trace use "
				"minivmm show --explain TRACE");
		return false;
	}
	if (c->opt.kstack && !c->opt.kprobe) {
		errbuf_set(err, "--kstack needs --kprobe FUNC (the functions whose chains to count)");
		return false;
	}
	if (c->opt.kprobe_count && !c->opt.kprobe) {
		errbuf_set(err, "--kprobe-count needs --kprobe FUNC (the functions to count)");
		return false;
	}
	if (optind >= argc) {
		errbuf_set(err, "run: no payload given (try: minivmm run tests/guest_mmio.bin)");
		return false;
	}
	c->payload = argv[optind++];
	if (optind < argc) {
		errbuf_set(err, "run: unexpected argument '%s' after the payload", argv[optind]);
		return false;
	}
	return true;
}

bool cli_symbols_beside(const char *payload, char *buf, size_t cap)
{
	size_t n = strlen(payload);

	if (n < 4 || strcmp(payload + n - 4, ".bin") != 0 || n >= cap)
		return false;
	memcpy(buf, payload, n - 4);
	memcpy(buf + n - 4, ".sym", 5);
	return true;
}
