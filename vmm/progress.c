/* SPDX-License-Identifier: MIT */
/* progress.c - owns the status line of a long run on a terminal: when, what, and erasing it. */
#include "progress.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "names.h"
#include "runlog.h"
#include "util.h"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void progress_start(struct progress *p, enum progress_mode mode, bool quiet, struct runlog *log)
{
	struct winsize ws;

	memset(p, 0, sizeof(*p));
	p->on = mode != PROGRESS_OFF && (mode == PROGRESS_ON || !quiet) && isatty(STDERR_FILENO);
	p->width = 80;
	if (p->on && ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		p->width = ws.ws_col;
	p->start = p->last_t = now();
	p->delay = mode == PROGRESS_ON ? 0 : 1.0;
	p->log = log;
}

/* 1234, 12.3k, 1.23M: short enough for a status line. */
static void count_text(char *out, size_t cap, double v)
{
	if (v < 10000)
		snprintf(out, cap, "%.0f", v);
	else if (v < 1e6)
		snprintf(out, cap, "%.1fk", v / 1e3);
	else if (v < 1e9)
		snprintf(out, cap, "%.2fM", v / 1e6);
	else
		snprintf(out, cap, "%.2fG", v / 1e9);
}

size_t progress_line(char *out, size_t cap, double elapsed, uint64_t exits, double rate,
		     const uint64_t *counts, int width)
{
	size_t max = width > 1 && (size_t)width - 1 < cap ? (size_t)width - 1 : cap - 1, n;
	bool used[MVM_KVM_EXIT_MAX + 1] = { false };
	char e[16], r[16];

	count_text(e, sizeof(e), (double)exits);
	count_text(r, sizeof(r), rate);
	n = (size_t)snprintf(out, cap, "minivmm: %.1f s, %s exits, %s/s", elapsed, e, r);
	for (int k = 0; k < 3 && n < cap; k++) {
		int best = -1;

		for (int i = 0; i <= MVM_KVM_EXIT_MAX; i++)
			if (!used[i] && counts[i] && (best < 0 || counts[i] > counts[best]))
				best = i;
		if (best < 0)
			break;
		used[best] = true;
		count_text(e, sizeof(e), (double)counts[best]);
		n += (size_t)snprintf(
			out + n, cap - n, "%s %s %s", k ? "," : ":",
			best < MVM_KVM_EXIT_MAX ? kvm_exit_name((uint32_t)best) : "UNNAMED", e);
	}
	if (n > max)
		n = max;
	out[n] = '\0';
	return n;
}

void progress_tick(void *arg)
{
	struct progress *p = arg;
	uint64_t counts[MVM_KVM_EXIT_MAX + 1], exits;
	double t = now(), rate;
	char line[512], buf[520];
	size_t n;

	if (!p->on || t - p->start < p->delay)
		return;
	mvm_lock(&p->log->lock);
	exits = p->log->exits;
	memcpy(counts, p->log->rec.exit_count, sizeof(counts));
	mvm_unlock(&p->log->lock);
	rate = t > p->last_t ? (double)(exits - p->last_exits) / (t - p->last_t) : 0;
	p->last_t = t;
	p->last_exits = exits;
	n = progress_line(line, sizeof(line), t - p->start, exits, rate, counts, p->width);
	/* Back to the start of the line, the text, then clear what an older one left. */
	n = (size_t)snprintf(buf, sizeof(buf), "\r%.*s\033[K", (int)n, line);
	mvm_tty_line_draw(buf, n);
}

void progress_end(struct progress *p)
{
	if (p->on)
		mvm_tty_line_clear();
}
