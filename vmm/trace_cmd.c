/* SPDX-License-Identifier: MIT */
/* trace_cmd.c - owns minivmm show and minivmm diff: options, filters, comparison, output. */
#include "trace_cmd.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "record.h"
#include "trace_text.h"
#include "util.h"

/* ---- what both commands share: options, the filter, reading, rendering ---- */

#define MAX_IGNORED 16

struct trace_filter {
	int vcpu; /* -1: every vCPU */
	uint64_t from, to;
	const char *kinds; /* comma list of kinds or exit names, or NULL */
	bool kernel;	   /* keep the kernel's records (diff skips them by default) */
};

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
	{ NULL, 0, NULL, 0 },
};

/* The options of both commands; each refuses the other's. */
struct trace_args {
	struct trace_filter filt;
	bool no_decode, help;
	const char *ignored[MAX_IGNORED];
	int nignored;
	uint64_t context;
	const char *path[2];
	const char *label[2]; /* the paths as diff prints them */
	int npaths;
};

static const char *const kernel_kinds[] = {
	"kevent",      "kstat",	      "ksummary",     "ktrace_event",
	"ktrace_lost", "ktrace_full", "nested_state", "marker_error",
};

static bool is_kernel_kind(const char *kind)
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
	if (!f->kernel && is_kernel_kind(r->kind))
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
static bool parse_args(int argc, char **argv, const char *allowed, int npaths, struct trace_args *a,
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
static int next_kept(struct trace_reader *rd, const struct trace_filter *f, struct trace_rec *r,
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

/* A growing line buffer for trace_text(). */
struct line_buf {
	char *p;
	size_t cap;
};

static const char *render(struct text_ctx *c, struct line_buf *b, const struct trace_rec *r,
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

/* ---- minivmm show ---- */

static int show(const struct trace_args *a, struct disasm *dis)
{
	struct trace_reader rd;
	struct trace_rec r = { 0 };
	struct text_ctx ctx;
	struct line_buf b = { NULL, 0 };
	struct errbuf err = { "" };
	int got;

	text_ctx_init(&ctx, dis);
	if (!trace_open(&rd, a->path[0], &err)) {
		mvm_err("%s", err.msg);
		return MVM_STATUS_USAGE;
	}
	while ((got = next_kept(&rd, &a->filt, &r, &err)) == 1) {
		size_t len;
		const char *line = render(&ctx, &b, &r, &len, &err);

		if (!line) {
			got = -1;
			break;
		}
		fwrite(line, 1, len, stdout);
	}
	if (got < 0)
		mvm_err("%s", err.msg);
	trace_rec_free(&r);
	trace_close(&rd);
	free(b.p);
	return got < 0 ? MVM_STATUS_USAGE : 0;
}

int cmd_show(int argc, char **argv)
{
	struct trace_args a;
	struct errbuf err = { "" };
	struct disasm *dis = NULL;
	int status;

	if (!parse_args(argc, argv, "abcde", 1, &a, &err)) {
		mvm_err("%s", err.msg);
		return MVM_STATUS_USAGE;
	}
	a.filt.kernel = true;
	if (a.help) {
		cli_usage(stdout);
		return 0;
	}
	if (!a.no_decode && !(dis = calloc(1, sizeof(*dis)))) {
		mvm_err("show: out of memory");
		return MVM_STATUS_HOST;
	}
	status = show(&a, dis);
	free(dis);
	return status;
}

/* ---- minivmm diff ---- */

/* Time, and host addresses (which move with every run), never compare. */
static const char *const always_ignored[] = { "t_ns", "ktime_ns", "hva", "userspace_addr" };

struct rec_list {
	struct trace_rec *r;
	size_t n, cap;
};

static void list_free(struct rec_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		trace_rec_free(&l->r[i]);
	free(l->r);
}

/* A whole trace, filtered: diff shows records before the divergence. */
static bool load(const char *path, const struct trace_filter *f, struct rec_list *l,
		 struct errbuf *err)
{
	struct trace_reader rd;
	struct trace_rec r = { 0 };
	int got;

	if (!trace_open(&rd, path, err))
		return false;
	while ((got = next_kept(&rd, f, &r, err)) == 1) {
		if (l->n == l->cap) {
			struct trace_rec *n =
				realloc(l->r, (l->cap = l->cap * 2 + 256) * sizeof(*n));

			if (!n) {
				errbuf_set(err, "%s: out of memory", path);
				got = -1;
				break;
			}
			l->r = n;
		}
		l->r[l->n++] = r;
		memset(&r, 0, sizeof(r));
	}
	trace_rec_free(&r);
	trace_close(&rd);
	return got == 0;
}

static bool is_ignored(const struct trace_args *a, const char *key)
{
	for (size_t i = 0; i < ARRAY_SIZE(always_ignored); i++)
		if (!strcmp(key, always_ignored[i]))
			return true;
	for (int i = 0; i < a->nignored; i++)
		if (!strcmp(key, a->ignored[i]))
			return true;
	return false;
}

static const struct trace_field *next_field(const struct trace_args *a, const struct trace_rec *r,
					    int *i)
{
	while (*i < r->n && is_ignored(a, r->f[*i].key))
		(*i)++;
	return *i < r->n ? &r->f[(*i)++] : NULL;
}

static bool field_equal(const struct trace_field *x, const struct trace_field *y)
{
	if (x->type != y->type || x->u != y->u || x->len != y->len)
		return false;
	if (x->type == TV_RUNS)
		return !x->len || !memcmp(x->runs, y->runs, x->len * sizeof(x->runs[0]));
	if (x->type == TV_STR || x->type == TV_LIT)
		return !memcmp(x->s, y->s, x->len);
	return true;
}

/* A value for the one-line summary: short, one line, bytes outside ASCII escaped. */
static void fmt_value(const struct trace_field *f, char *out, size_t cap)
{
	size_t w = 0;

	if (f->type == TV_NUM || f->type == TV_INT) {
		snprintf(out, cap, f->type == TV_NUM ? "%llu" : "%lld", (unsigned long long)f->u);
		return;
	}
	if (f->type == TV_RUNS) {
		snprintf(out, cap, "%zu page runs", f->len);
		return;
	}
	for (size_t i = 0; i < f->len && w + 8 < cap; i++) {
		unsigned char c = (unsigned char)f->s[i];

		if (i == 40) {
			w += (size_t)snprintf(out + w, cap - w, "...");
			break;
		}
		if (c >= ' ' && c <= '~')
			out[w++] = (char)c;
		else
			w += (size_t)snprintf(out + w, cap - w, "\\x%02x", c);
	}
	out[w] = '\0';
}

/* "seq 48 vcpu0 MMIO", or the kind of a record of the whole run ("end"). */
static void describe(const struct trace_rec *r, char *out, size_t cap)
{
	const char *name = r->exit_name ? r->exit_name : r->kind;

	if (r->vcpu == REC_NO_VCPU)
		snprintf(out, cap, "%s", name);
	else
		snprintf(out, cap, "seq %llu vcpu%d %s", (unsigned long long)r->seq, r->vcpu, name);
}

/* Whether two records are the same, but for ignored fields; if not, why. */
static bool rec_same(const struct trace_args *a, const struct trace_rec *x,
		     const struct trace_rec *y, char *why, size_t cap)
{
	const char *xn = x->exit_name ? x->exit_name : x->kind;
	const char *yn = y->exit_name ? y->exit_name : y->kind;
	int i = 0, j = 0;

	if (x->vcpu != y->vcpu || x->seq != y->seq || strcmp(x->kind, y->kind) || strcmp(xn, yn)) {
		char dx[96], dy[96];

		describe(x, dx, sizeof(dx));
		describe(y, dy, sizeof(dy));
		snprintf(why, cap, "%s vs %s", dx, dy);
		return false;
	}
	for (;;) {
		const struct trace_field *fx = next_field(a, x, &i), *fy = next_field(a, y, &j);
		char vx[200], vy[200];

		if (!fx && !fy)
			return true;
		if (!fx || !fy || strcmp(fx->key, fy->key)) {
			snprintf(why, cap, "field %s vs %s", fx ? fx->key : "(none)",
				 fy ? fy->key : "(none)");
			return false;
		}
		if (!field_equal(fx, fy)) {
			fmt_value(fx, vx, sizeof(vx));
			fmt_value(fy, vy, sizeof(vy));
			snprintf(why, cap, "%s %s vs %s", fx->key, vx, vy);
			return false;
		}
	}
}

static void print_rec(struct text_ctx *c, struct line_buf *b, const char *prefix,
		      const struct trace_rec *r)
{
	struct errbuf err;
	size_t len;
	const char *line = render(c, b, r, &len, &err);

	if (line)
		printf("%s%.*s", prefix, (int)len, line);
	else
		printf("%s(line %lu: %s)\n", prefix, r->line, err.msg);
}

/* The divergence at record k (0-based): context before, then each side's records. */
static void report(const struct trace_args *a, const struct rec_list *l, size_t k, const char *why)
{
	struct text_ctx c;
	struct line_buf b = { NULL, 0 };
	size_t from = k > a->context ? k - a->context : 0;

	text_ctx_init(&c, NULL);
	printf("--- %s\n+++ %s\n", a->label[0], a->label[1]);
	for (size_t i = from; i < k; i++)
		print_rec(&c, &b, "  ", &l[0].r[i]);
	for (int s = 0; s < 2; s++)
		for (size_t i = k; i < l[s].n && i <= k + a->context; i++)
			print_rec(&c, &b, s ? "+ " : "- ", &l[s].r[i]);
	free(b.p);
	printf("first difference at record %zu", k + 1);
	for (int s = 0; s < 2; s++) {
		const struct trace_rec *r = k < l[s].n ? &l[s].r[k] : NULL;
		char d[96];

		/* The record named is A's, or B's where A has ended. */
		if (!s) {
			describe(r ? r : &l[1].r[k], d, sizeof(d));
			printf(" (%s;", d);
		}
		if (r)
			printf(" %s line %lu%s", a->label[s], r->line, s ? "" : ",");
		else
			printf(" %s ends after %zu records%s", a->label[s], l[s].n, s ? "" : ",");
	}
	printf("): %s\n", why);
}

static int diff(const struct trace_args *a)
{
	struct rec_list l[2] = { { 0 }, { 0 } };
	struct errbuf err = { "" };
	char why[512] = "";
	size_t k;
	int status = 0;

	for (int s = 0; s < 2; s++) {
		if (!load(a->path[s], &a->filt, &l[s], &err)) {
			mvm_err("%s", err.msg);
			list_free(&l[0]);
			list_free(&l[1]);
			return MVM_STATUS_USAGE;
		}
	}
	for (k = 0; k < l[0].n && k < l[1].n; k++)
		if (!rec_same(a, &l[0].r[k], &l[1].r[k], why, sizeof(why)))
			break;
	if (k < l[0].n || k < l[1].n) {
		if (!*why)
			snprintf(why, sizeof(why), "%s has %zu more records",
				 a->label[k < l[0].n ? 0 : 1],
				 k < l[0].n ? l[0].n - l[1].n : l[1].n - l[0].n);
		report(a, l, k, why);
		status = 1;
	} else {
		printf("same: %zu records (t_ns, ktime_ns and host addresses ignored%s)\n", k,
		       a->filt.kernel ? "" : "; kernel records skipped");
	}
	list_free(&l[0]);
	list_free(&l[1]);
	return status;
}

int cmd_diff(int argc, char **argv)
{
	struct trace_args a;
	struct errbuf err = { "" };

	if (!parse_args(argc, argv, "afgh", 2, &a, &err)) {
		mvm_err("%s", err.msg);
		return MVM_STATUS_USAGE;
	}
	if (a.help) {
		cli_usage(stdout);
		return 0;
	}
	a.label[0] = a.path[0];
	a.label[1] = a.path[1];
	return diff(&a);
}

int trace_diff_files(const char *a, const char *b, const char *label_b)
{
	struct trace_args args;
	struct errbuf err;
	char *argv[] = { "replay", (char *)a, (char *)b, NULL };

	if (!parse_args(3, argv, "", 2, &args, &err)) {
		mvm_err("%s", err.msg);
		return MVM_STATUS_USAGE;
	}
	args.label[0] = a;
	args.label[1] = label_b;
	return diff(&args);
}
