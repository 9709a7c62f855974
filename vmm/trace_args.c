/* SPDX-License-Identifier: MIT */
/* trace_args.c - owns what show and diff share: their options, the filter, rendering. */
#include "trace_args.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"

enum {
	OPT_VCPU = 256,
	OPT_KIND,
	OPT_FROM,
	OPT_TO,
	OPT_NO_DECODE,
	OPT_KERNEL,
	OPT_IGNORE,
	OPT_CONTEXT,
	OPT_HELP,
	OPT_EXPLAIN,
};

/* In OPT_* order: a refused option is named from its row. */
static const struct option trace_options[] = {
	{ "vcpu", required_argument, NULL, OPT_VCPU },
	{ "kind", required_argument, NULL, OPT_KIND },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "no-decode", no_argument, NULL, OPT_NO_DECODE },
	{ "kernel", no_argument, NULL, OPT_KERNEL },
	{ "ignore", required_argument, NULL, OPT_IGNORE },
	{ "context", required_argument, NULL, OPT_CONTEXT },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "explain", no_argument, NULL, OPT_EXPLAIN },
	{ NULL, 0, NULL, 0 },
};

/* What the kernel's own counters and tracing wrote: not the same from run to run. */
static const char *const kernel_kinds[] = {
	"kevent",      "kstat",	      "ksummary",     "ktrace_event", "ktrace_lost",
	"ktrace_full", "kfunc",	      "kcount",	      "khist",	      "kstack",
	"nested_state", "marker_error",
};

bool trace_is_kernel_kind(const char *kind)
{
	for (size_t i = 0; i < ARRAY_SIZE(kernel_kinds); i++)
		if (!strcmp(kind, kernel_kinds[i]))
			return true;
	return false;
}

static bool in_list(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; p; p = strchr(p, ','), p = p ? p + 1 : NULL)
		if (!strncmp(p, name, n) && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

/* --vcpu, --from and --to pick among numbered records; --kind among all. */
static bool filter_keep(const struct trace_filter *f, const struct trace_rec *r)
{
	if (!f->kernel && trace_is_kernel_kind(r->kind))
		return false;
	if (f->kinds && !in_list(f->kinds, r->kind) &&
	    !(r->exit_name && in_list(f->kinds, r->exit_name)))
		return false;
	if (r->vcpu == REC_NO_VCPU)
		return true;
	return (f->vcpu < 0 || r->vcpu == f->vcpu) && r->seq >= f->from && r->seq <= f->to;
}

static bool parse_opt(struct trace_args *a, int opt, const char *arg, struct errbuf *err)
{
	uint64_t v;

	switch (opt) {
	case OPT_VCPU:
		if (!parse_u64(arg, &v) || v > INT32_MAX) {
			errbuf_set(err, "--vcpu: '%s' is not a vCPU number", arg);
			return false;
		}
		a->filt.vcpu = (int)v;
		return true;
	case OPT_FROM:
	case OPT_TO:
		if (!parse_u64(arg, opt == OPT_FROM ? &a->filt.from : &a->filt.to)) {
			errbuf_set(err, "--%s: '%s' is not a seq number",
				   opt == OPT_FROM ? "from" : "to", arg);
			return false;
		}
		return true;
	case OPT_CONTEXT:
		if (!parse_u64(arg, &a->context) || a->context > 1000) {
			errbuf_set(err, "--context: '%s' is not a count up to 1000", arg);
			return false;
		}
		return true;
	case OPT_IGNORE:
		if (a->nignored == MAX_IGNORED) {
			errbuf_set(err, "--ignore: at most %d keys", MAX_IGNORED);
			return false;
		}
		a->ignored[a->nignored++] = arg;
		return true;
	}
	return false;
}

/* allowed: the options this command takes (a string of OPT_* - 256 + 'a'). */
bool trace_args_parse(int argc, char **argv, const char *allowed, int npaths, struct trace_args *a,
		      struct errbuf *err)
{
	int opt;

	memset(a, 0, sizeof(*a));
	a->filt = (struct trace_filter){ -1, 0, UINT64_MAX, NULL, false };
	a->context = 3;
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", trace_options, NULL)) != -1) {
		if (opt == 'h' || opt == OPT_HELP) {
			a->help = true;
			continue;
		}
		if (opt == ':') {
			errbuf_set(err, "%s needs a value", argv[optind - 1]);
			return false;
		}
		if (opt == '?') {
			errbuf_set(err, "%s: unknown option %s", argv[0], argv[optind - 1]);
			return false;
		}
		if (!strchr(allowed, opt - 256 + 'a')) {
			errbuf_set(err, "%s: unknown option --%s", argv[0],
				   trace_options[opt - OPT_VCPU].name);
			return false;
		}
		if (opt == OPT_KIND)
			a->filt.kinds = optarg;
		else if (opt == OPT_NO_DECODE)
			a->no_decode = true;
		else if (opt == OPT_KERNEL)
			a->filt.kernel = true;
		else if (opt == OPT_EXPLAIN)
			a->explain = true;
		else if (!parse_opt(a, opt, optarg, err))
			return false;
	}
	if (a->help)
		return true;
	while (optind < argc && a->npaths < npaths)
		a->path[a->npaths++] = argv[optind++];
	if (a->npaths < npaths || optind < argc) {
		errbuf_set(err, "%s: %s (try: minivmm --help)", argv[0],
			   a->npaths < npaths ? "a trace file is missing" : "too many arguments");
		return false;
	}
	return true;
}

/* The next record the filter keeps; the header's version is checked on the way. */
int trace_next_kept(struct trace_reader *rd, const struct trace_filter *f, struct trace_rec *r,
		    struct errbuf *err)
{
	int got;

	while ((got = trace_next(rd, r, err)) == 1) {
		const struct trace_field *v = trace_field(r, "version");

		if (!strcmp(r->kind, "trace") && v && (v->type != TV_NUM || v->u != 1)) {
			errbuf_set(err,
				   "%s: line %lu: trace version is not 1, the one this minivmm "
				   "reads",
				   rd->path, r->line);
			return -1;
		}
		if (filter_keep(f, r))
			return 1;
	}
	return got;
}

const char *trace_render(struct text_ctx *c, struct line_buf *b, const struct trace_rec *r,
			 size_t *len, struct errbuf *err)
{
	size_t n = trace_text(c, r, b->p, b->cap, err);

	if (n > b->cap) {
		char *p = realloc(b->p, n);

		if (!p) {
			errbuf_set(err, "out of memory");
			return NULL;
		}
		b->p = p;
		b->cap = n;
		n = trace_text(c, r, b->p, b->cap, err);
	}
	*len = n;
	return n ? b->p : NULL;
}
