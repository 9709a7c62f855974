/* SPDX-License-Identifier: MIT */
/* trace_cmd.c - owns minivmm show: a JSONL trace as text, filtered, instructions decoded. */
#include "trace_cmd.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "record.h"
#include "trace_args.h"
#include "trace_text.h"
#include "util.h"

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
	ctx.explain = a->explain;
	if (!trace_open(&rd, a->path[0], &err)) {
		mvm_err("%s", err.msg);
		return MVM_STATUS_USAGE;
	}
	while ((got = trace_next_kept(&rd, &a->filt, &r, &err)) == 1) {
		size_t len;
		const char *line = trace_render(&ctx, &b, &r, &len, &err);

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

	if (!trace_args_parse(argc, argv, "abcdej", 1, &a, &err)) {
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
