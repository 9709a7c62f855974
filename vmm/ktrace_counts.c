/* SPDX-License-Identifier: MIT */
/*
 * ktrace_counts.c - owns what --ktrace and --kprobe count: each vCPU thread's
 * hits, chains and argument values, the kcount records of --kprobe-count,
 * their sum at the end, and the end's ksummary, khist and kstack records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktrace.h"
#include "machine.h"
#include "vcpu.h"

/* Counts one sample of event i into v's thread's counts. */
void ktrace_count_sample(struct ktrace_vcpu *kv, int i, const struct ktrace_event *e,
			 const uint64_t *ips, uint64_t nr, const uint8_t *raw, size_t len)
{
	uint64_t v;

	kv->count[i]++;
	if (e->counted) {
		kv->pending[i]++;
		kv->npending++;
	}
	if (kv->stacks[i])
		kstacks_add(kv->stacks[i], ips, nr);
	for (int h = 0; h < e->nhist; h++)
		if (tp_field_value(&e->fmt.field[e->hist_field[h]], raw, len, &v))
			khist_add(&kv->hist[i][h], v, 1);
}

/* --kprobe-count: one kcount record per function hit since v's last exit
 * (only its events count as pending). */
void ktrace_emit_pending(struct ktrace *kt, struct ktrace_vcpu *kv, struct vcpu *v)
{
	/* Most exits of a --ktrace run bring no sample at all. */
	if (!kv->npending)
		return;
	kv->npending = 0;
	for (int i = 0; i < kv->nfd; i++) {
		struct record r;

		if (!kv->pending[i])
			continue;
		if (kt->ev[i].counted) {
			vcpu_rec_begin(v, &r, "kcount");
			rec_word(&r, "func", kt->ev[i].kfunc);
			rec_u64(&r, "count", kv->pending[i]);
			vcpu_emit(v, &r);
		}
		kv->pending[i] = 0;
	}
}

/* Adds one stopped vCPU thread's counts into the run's. */
void ktrace_merge_counts(struct ktrace *kt, const struct ktrace_vcpu *kv)
{
	for (int i = 0; kv && i < kv->nfd; i++) {
		struct ktrace_event *e = &kt->ev[i];

		e->count += kv->count[i];
		if (e->stacks && kv->stacks[i])
			kstacks_merge(e->stacks, kv->stacks[i]);
		for (int h = 0; e->hist && kv->hist[i] && h < e->nhist; h++)
			khist_merge(&e->hist[h], &kv->hist[i][h]);
	}
}

static void emit_count(struct machine *m, const char *event, uint64_t count)
{
	struct record r;

	rec_begin(&r, 0, REC_NO_VCPU, "ksummary");
	rec_word(&r, "event", event);
	rec_u64(&r, "count", count);
	runlog_emit(&m->log, &r);
}

/* A --kprobe event's argument values: one khist record per value, smallest
 * first, with its flag names where minivmm knows the word. */
static void emit_hist(struct machine *m, struct ktrace_event *e)
{
	for (int h = 0; e->hist && h < e->nhist; h++) {
		struct khist *kh = &e->hist[h];
		const char *arg = e->fmt.field[e->hist_field[h]].name;
		struct record r;
		char names[256];

		khist_sort(kh);
		for (int j = 0; j < kh->n; j++) {
			rec_begin(&r, 0, REC_NO_VCPU, "khist");
			rec_word(&r, "func", e->kfunc);
			rec_word(&r, "arg", arg);
			rec_hex(&r, "value", kh->v[j].value);
			rec_u64(&r, "count", kh->v[j].count);
			if (e->hist_flags[h])
				rec_cstr(&r, "flags",
					 flags_format(names, sizeof(names), e->hist_flags[h],
						      kh->v[j].value));
			runlog_emit(&m->log, &r);
		}
		if (kh->other) {
			rec_begin(&r, 0, REC_NO_VCPU, "khist");
			rec_word(&r, "func", e->kfunc);
			rec_word(&r, "arg", arg);
			rec_cstr(&r, "value", "other");
			rec_u64(&r, "count", kh->other);
			runlog_emit(&m->log, &r);
		}
	}
}

/* One "ksummary" record per event: how many were seen. */
void ktrace_emit_summary(struct ktrace *kt, struct machine *m)
{

	for (int i = 0; i < kt->nev; i++)
		emit_count(m, kt->ev[i].kfunc ? kt->ev[i].kfunc : kt->ev[i].fmt.name,
			   kt->ev[i].count);
	for (int i = 0; i < kt->nev; i++)
		emit_hist(m, &kt->ev[i]);
	for (int i = 0; i < kt->nev; i++)
		if (kt->ev[i].stacks)
			kstacks_emit(kt->ev[i].stacks, kt->ev[i].kfunc, &kt->ksyms, &m->log, 0,
				     REC_NO_VCPU);
	if (kt->full)
		emit_count(m, "ring_full", kt->full);
	if (kt->lost)
		emit_count(m, "lost", kt->lost);
}
