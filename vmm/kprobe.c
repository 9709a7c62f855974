/* SPDX-License-Identifier: MIT */
/*
 * kprobe.c - owns --kprobe: a kprobe event per kernel function, made in
 * tracefs' kprobe_events for this run only and removed at its end; ktrace.c
 * attaches them to the vCPU threads like tracepoints (kfunc records).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "contrib.h"
#include "ktrace.h"
#include "machine.h"
#include "minivmm_abi.h"
#include "tracefs.h"

struct kprobes {
	char path[256]; /* tracefs' kprobe_events */
	struct kprobe_event ev[KTRACE_EVENTS_MAX];
	int nev;
};

/* Appends one line to kprobe_events; -errno on failure. */
static int kprobe_write(const char *path, const char *line)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	ssize_t n;
	int e;

	if (fd < 0)
		return -errno;
	n = write(fd, line, strlen(line));
	e = n < 0 ? -errno : 0;
	close(fd);
	return e;
}

/* "FUNC ARGS..." -> the event's name: FUNC with what tracefs refuses turned to '_'. */
static bool event_name(const char *item, size_t len, char *func, size_t fcap, char *ev,
		       size_t ecap)
{
	size_t n = 0;

	while (n < len && item[n] != ' ' && item[n] != '\t')
		n++;
	if (n == 0 || n >= fcap || n >= ecap)
		return false;
	memcpy(func, item, n);
	func[n] = '\0';
	for (size_t i = 0; i <= n; i++)
		ev[i] = (char)(func[i] == '.' || func[i] == '-' ? '_' : func[i]);
	return true;
}

static int make_event(struct kprobes *k, const char *group, const char *item, size_t len,
		      struct errbuf *err)
{
	struct kprobe_event *e = &k->ev[k->nev];
	char line[512];
	int r;

	if (k->nev == KTRACE_EVENTS_MAX) {
		errbuf_set(err, "--kprobe: more than %d functions", KTRACE_EVENTS_MAX);
		return MVM_STATUS_USAGE;
	}
	if (!event_name(item, len, e->func, sizeof(e->func), e->ev, sizeof(e->ev))) {
		errbuf_set(err, "--kprobe: '%.*s' does not start with a function name", (int)len,
			   item);
		return MVM_STATUS_USAGE;
	}
	snprintf(e->sys, sizeof(e->sys), "%s", group);
	e->nargs = kprobe_parse_args(item, len, e->args, KPROBE_ARGS_MAX);
	if ((size_t)snprintf(line, sizeof(line), "p:%s/%s %.*s\n", group, e->ev, (int)len, item) >=
	    sizeof(line)) {
		errbuf_set(err, "--kprobe: '%.*s' is too long", (int)len, item);
		return MVM_STATUS_USAGE;
	}
	r = kprobe_write(k->path, line);
	if (r == -EACCES || r == -EPERM) {
		errbuf_set(err, "--kprobe: %s: %s (kprobe events need root)", k->path,
			   strerror(-r));
		return MVM_STATUS_HOST;
	}
	if (r < 0) {
		errbuf_set(err,
			   "--kprobe: the kernel refused to probe '%.*s': %s (not a function "
			   "of this kernel, notrace or blacklisted, or bad fetch arguments)",
			   (int)len, item, strerror(-r));
		return MVM_STATUS_HOST;
	}
	k->nev++;
	return 0;
}

static int kprobe_open(struct machine *m, void **state, struct errbuf *err)
{
	struct kprobes *k = calloc(1, sizeof(*k));
	const char *root, *p = m->opt.kprobe;
	char group[32];
	int r;

	*state = k;
	if (!k) {
		errbuf_set(err, "out of memory");
		return MVM_STATUS_HOST;
	}
	if (!(root = tracefs_root(err)))
		return MVM_STATUS_HOST;
	snprintf(k->path, sizeof(k->path), "%s/kprobe_events", root);
	if (access(k->path, F_OK) < 0) {
		errbuf_set(err,
			   "--kprobe: this kernel has no kprobe events (no %s: "
			   "CONFIG_KPROBE_EVENTS is off; minivmm caps says)",
			   k->path);
		return MVM_STATUS_HOST;
	}
	/* One group per process, so that concurrent runs never share an event. */
	snprintf(group, sizeof(group), "minivmm_%d", (int)getpid());
	while (*p) {
		size_t len = strcspn(p, ",");

		if (len && (r = make_event(k, group, p, len, err)))
			return r;
		p += len + (p[len] == ',');
	}
	m->kprobes = k->ev;
	m->nkprobes = k->nev;
	return 0;
}

/* After ktrace.c closed its perf events (contributors close in reverse order). */
static void kprobe_close(void *state, struct machine *m)
{
	struct kprobes *k = state;
	char line[128];

	m->kprobes = NULL;
	m->nkprobes = 0;
	if (!k)
		return;
	for (int i = 0; i < k->nev; i++) {
		int r;

		snprintf(line, sizeof(line), "-:%s/%s\n", k->ev[i].sys, k->ev[i].ev);
		if ((r = kprobe_write(k->path, line)) < 0)
			mvm_err("warning: --kprobe: cannot remove %s:%s from %s: %s", k->ev[i].sys,
				k->ev[i].ev, k->path, strerror(-r));
	}
	free(k);
}

static bool kprobe_wanted(const struct machine *m)
{
	return m->opt.kprobe != NULL;
}

const struct contrib_ops kprobe_contrib = {
	.name = "kprobe",
	.wanted = kprobe_wanted,
	.open = kprobe_open,
	.close = kprobe_close,
};
