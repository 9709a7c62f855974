/* SPDX-License-Identifier: MIT */
/* marker.c - owns --marker: lines in tracefs trace_marker that line up outside tools. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "contrib.h"
#include "names.h"
#include "tracefs.h"

struct marker {
	int fd; /* -1 once a write failed */
};

static int marker_open(struct machine *m, void **state, struct errbuf *err)
{
	const char *root = tracefs_root(err);
	struct marker *mk = calloc(1, sizeof(*mk));
	char path[128];

	*state = mk;
	if (!mk) {
		errbuf_set(err, "out of memory");
		return MVM_STATUS_HOST;
	}
	mk->fd = -1;
	if (!root)
		return MVM_STATUS_HOST;
	snprintf(path, sizeof(path), "%s/trace_marker", root);
	mk->fd = open(path, O_WRONLY | O_CLOEXEC);
	if (mk->fd < 0) {
		errbuf_set(err, "cannot open %s: %s", path, strerror(errno));
		return MVM_STATUS_HOST;
	}
	(void)m;
	return 0;
}

static void mark(struct marker *mk, struct vcpu *v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* One write is one line in the kernel's trace: vCPUs never mix lines. */
static void mark(struct marker *mk, struct vcpu *v, const char *fmt, ...)
{
	char line[160];
	va_list ap;
	int n, at = 0;

	if (mk->fd < 0)
		return;
	if (v->m->nvcpus > 1)
		at = snprintf(line, sizeof(line), "minivmm: vcpu%d ", v->id);
	else
		at = snprintf(line, sizeof(line), "minivmm: ");
	va_start(ap, fmt);
	n = vsnprintf(line + at, sizeof(line) - at, fmt, ap);
	va_end(ap);
	n += at;
	if (n > 0 &&
	    write(mk->fd, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1) < 0) {
		struct record r;

		/* Tracing is off or went away: say so once, then stop trying. */
		vcpu_rec_begin(v, &r, "marker_error");
		rec_cstr(&r, "error", strerror(errno));
		vcpu_emit(v, &r);
		close(mk->fd);
		mk->fd = -1;
	}
}

static void marker_on_exit(void *state, struct vcpu *v, int index)
{
	const char *name = kvm_exit_name(v->run->exit_reason);

	(void)index;
	mark(state, v, "exit %llu %s\n", (unsigned long long)v->seq, name ? name : "UNNAMED");
}

static void marker_checkpoint(void *state, struct vcpu *v, int index, uint64_t id)
{
	(void)index;
	mark(state, v, "checkpoint %llu\n", (unsigned long long)id);
}

static void marker_close(void *state, struct machine *m)
{
	struct marker *mk = state;

	(void)m;
	if (mk && mk->fd >= 0)
		close(mk->fd);
	free(mk);
}

static bool marker_wanted(const struct machine *m)
{
	return m->opt.marker;
}

const struct contrib_ops marker_contrib = {
	.name = "marker",
	.wanted = marker_wanted,
	.open = marker_open,
	.on_exit = marker_on_exit,
	.checkpoint = marker_checkpoint,
	.close = marker_close,
};
