/* SPDX-License-Identifier: MIT */
/* trace_diff.c - owns minivmm diff: two traces compared record by record, the first divergence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "record.h"
#include "trace_args.h"
#include "trace_cmd.h"

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
	while ((got = trace_next_kept(&rd, f, &r, err)) == 1) {
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
	const char *line = trace_render(c, b, r, &len, &err);

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

	if (!trace_args_parse(argc, argv, "afgh", 2, &a, &err)) {
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

	if (!trace_args_parse(3, argv, "", 2, &args, &err)) {
		mvm_err("%s", err.msg);
		return MVM_STATUS_USAGE;
	}
	args.label[0] = a;
	args.label[1] = label_b;
	return diff(&args);
}
