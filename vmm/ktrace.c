/* SPDX-License-Identifier: MIT */
/* ktrace.c - owns --ktrace: perf tracepoint events of the vCPU thread, decoded by format. */
#include "ktrace.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "minivmm_abi.h"
#include "names.h"
#include "contrib.h"
#include "host_kvm.h"
#include "ktrace_fields.h"
#include "ktrace_render.h"

#define RING_PAGES 512 /* data pages, a power of two: 2 MiB */
#define SAMPLE_MAX 4096

static int perf_open(struct perf_event_attr *a, pid_t tid)
{
	return (int)syscall(SYS_perf_event_open, a, tid, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

static int paranoid(void)
{
	FILE *f = fopen("/proc/sys/kernel/perf_event_paranoid", "r");
	int v = -99;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -99;
		fclose(f);
	}
	return v;
}


static void record_event_state(struct machine *m, const char *name, const char *status)
{
	struct record r;

	rec_begin(&r, 0, REC_NO_VCPU, "ktrace_event");
	rec_word(&r, "name", name);
	rec_word(&r, "status", status);
	runlog_emit(&m->log, &r);
}

/* The first event owns the ring; the others are redirected into it, so
 * samples arrive in one buffer in the order they happened. */
static int attach(struct ktrace_vcpu *kv, pid_t tid, struct ktrace_event *e, struct errbuf *err)
{
	int i = kv->nfd;
	struct perf_event_attr a = { 0 };

	a.type = PERF_TYPE_TRACEPOINT;
	a.size = sizeof(a);
	a.config = e->fmt.id;
	a.sample_period = 1;
	a.sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_TIME | PERF_SAMPLE_RAW;
	if (e->stacks) {
		a.sample_type |= PERF_SAMPLE_CALLCHAIN;
		a.exclude_callchain_user = 1;
	}
	a.disabled = 1;
	a.use_clockid = 1;
	a.clockid = CLOCK_MONOTONIC;
	kv->fd[i] = perf_open(&a, tid);
	if (kv->fd[i] < 0) {
		errbuf_set(err,
			   "perf_event_open(%s): %s (perf_event_paranoid is %d; tracepoints "
			   "need root or CAP_PERFMON)",
			   e->fmt.name, strerror(errno), paranoid());
		return MVM_STATUS_HOST;
	}
	kv->nfd++;
	if (!kv->ring) {
		kv->ring_size = (RING_PAGES + 1) * (size_t)sysconf(_SC_PAGESIZE);
		kv->ring =
			mmap(NULL, kv->ring_size, PROT_READ | PROT_WRITE, MAP_SHARED, kv->fd[i], 0);
		if (kv->ring == MAP_FAILED) {
			kv->ring = NULL;
			errbuf_set(err, "cannot map the perf ring: %s", strerror(errno));
			return MVM_STATUS_HOST;
		}
	} else if (ioctl(kv->fd[i], PERF_EVENT_IOC_SET_OUTPUT, kv->fd[0]) < 0) {
		errbuf_set(err, "PERF_EVENT_IOC_SET_OUTPUT(%s): %s", e->fmt.name, strerror(errno));
		return MVM_STATUS_HOST;
	}
	if (ioctl(kv->fd[i], PERF_EVENT_IOC_ID, &kv->perf_id[i]) < 0) {
		errbuf_set(err, "PERF_EVENT_IOC_ID(%s): %s", e->fmt.name, strerror(errno));
		return MVM_STATUS_HOST;
	}
	return 0;
}

/* "kvm_exit" or "system:event" -> system and event. */
static void split_name(char *name, const char **sys, const char **ev)
{
	char *colon = strchr(name, ':');

	*sys = "kvm";
	*ev = name;
	if (colon) {
		*colon = '\0';
		*sys = name;
		*ev = colon + 1;
	}
}

/* Events named with --ktrace=LIST must exist (a typo is a usage error);
 * the default list's that this kernel lacks are recorded as absent. */
static int open_events(struct machine *m, struct ktrace *kt, const char *root, char *list,
		       bool must_exist, struct errbuf *err)
{
	char *save = NULL, *name;

	for (name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		struct ktrace_event *e = &kt->ev[kt->nev];
		const char *sys, *ev;
		char full[2 * TP_NAME_MAX];
		struct errbuf why;

		split_name(name, &sys, &ev);
		snprintf(full, sizeof(full), "%s:%s", sys, ev);
		if (kt->nev == KTRACE_EVENTS_MAX) {
			errbuf_set(err, "--ktrace: more than %d events", KTRACE_EVENTS_MAX);
			return MVM_STATUS_USAGE;
		}
		if (!tracefs_event(root, sys, ev, &e->fmt, &why)) {
			if (must_exist) {
				errbuf_set(err,
					   "--ktrace: this kernel has no tracepoint %s (%s/events/%s/%s)",
					   full, root, sys, ev);
				return MVM_STATUS_USAGE;
			}
			record_event_state(m, full, "absent");
			continue;
		}
		ktrace_resolve_fields(e);
		kt->nev++;
		record_event_state(m, full, "on");
	}
	return 0;
}

/* The fields of a kprobe event's fetch arguments (all but __probe_ip), with
 * the flag word of each that minivmm can name. */
static void hist_fields(struct ktrace_event *e, const struct kprobe_event *k)
{
	for (int f = 0; f < e->fmt.nfields && e->nhist < KPROBE_ARGS_MAX; f++) {
		const struct flag_name *w = NULL;

		if (strcmp(e->fmt.field[f].name, "__probe_ip") == 0)
			continue;
		for (int a = 0; a < k->nargs; a++)
			if (strcmp(k->args[a].name, e->fmt.field[f].name) == 0)
				w = kprobe_arg_flags(k->func, k->args[a].argno);
		e->hist_field[e->nhist] = f;
		e->hist_flags[e->nhist++] = w;
	}
}

/* The events kprobe.c just made: each must be there. */
static int open_kprobes(struct machine *m, struct ktrace *kt, const char *root,
			struct errbuf *err)
{
	for (int i = 0; i < m->nkprobes; i++) {
		struct ktrace_event *e = &kt->ev[kt->nev];
		const struct kprobe_event *k = &m->kprobes[i];
		char full[TP_NAME_MAX + 8];
		struct errbuf why;

		if (kt->nev == KTRACE_EVENTS_MAX) {
			errbuf_set(err, "--ktrace and --kprobe: more than %d events together",
				   KTRACE_EVENTS_MAX);
			return MVM_STATUS_USAGE;
		}
		if (!tracefs_event(root, k->sys, k->ev, &e->fmt, &why)) {
			errbuf_set(err, "--kprobe %s: the kprobe event is not in tracefs: %s",
				   k->func, why.msg);
			return MVM_STATUS_HOST;
		}
		e->kfunc = k->func;
		ktrace_resolve_fields(e);
		hist_fields(e, k);
		if ((m->opt.kstack && !(e->stacks = calloc(1, sizeof(*e->stacks)))) ||
		    (e->nhist && !(e->hist = calloc((size_t)e->nhist, sizeof(*e->hist))))) {
			errbuf_set(err, "out of memory");
			return MVM_STATUS_HOST;
		}
		kt->nev++;
		snprintf(full, sizeof(full), "kprobe:%s", k->func);
		record_event_state(m, full, "on");
	}
	return 0;
}

/* Whether the first n bytes of name are one of the comma-separated list's names. */
static bool listed(const char *list, const char *name, size_t n)
{
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",");

		if (len == n && strncmp(p, name, n) == 0)
			return true;
		p += len + (p[len] == ',');
	}
	return false;
}

bool ktrace_default_list(char *out, size_t n, bool irqchip, bool emulates_all)
{
	const char *p = irqchip ? KTRACE_DEFAULT_EVENTS "," KTRACE_IRQ_EVENTS
				: KTRACE_DEFAULT_EVENTS;
	size_t used = 0;

	if (n == 0)
		return false;
	out[0] = '\0';
	while (*p) {
		size_t len = strcspn(p, ",");

		if (!emulates_all || !listed(KTRACE_PER_INSN_EVENTS, p, len)) {
			if (used + (used > 0) + len >= n)
				return false;
			if (used)
				out[used++] = ',';
			memcpy(out + used, p, len);
			used += len;
			out[used] = '\0';
		}
		p += len + (p[len] == ',');
	}
	return true;
}

/* kvm_pvm runs every guest instruction in KVM's emulator: its own module
 * is the sign (as caps.c's vendor module). */
static int ktrace_open(struct machine *m, void **state, struct errbuf *err)
{
	/* The longest default list, with every event: the call below always fits. */
	char defaults[sizeof(KTRACE_DEFAULT_EVENTS "," KTRACE_IRQ_EVENTS)];
	const char *events = m->opt.ktrace_default ? defaults
			     : m->opt.ktrace	   ? m->opt.ktrace
						   : ""; /* --kprobe alone */
	struct ktrace *kt = calloc(1, sizeof(*kt));
	struct errbuf why = { "" };
	const char *root;
	char *list;
	struct timespec t;
	int r;

	*state = kt;
	if (m->opt.ktrace_default)
		ktrace_default_list(defaults, sizeof(defaults), m->irqchip != MVM_IRQCHIP_NONE,
				    host_kvm_emulates_all());
	if (!kt || !(list = strdup(events))) {
		errbuf_set(err, "out of memory");
		return MVM_STATUS_HOST;
	}
	kt->count_only = m->opt.kprobe_count;
	if (!(root = tracefs_root(err))) {
		free(list);
		return MVM_STATUS_HOST;
	}
	r = open_events(m, kt, root, list, !m->opt.ktrace_default, err);
	free(list);
	if (!r)
		r = open_kprobes(m, kt, root, err);
	if (r)
		return r;
	/* Once, before any vCPU thread runs: the chains are named from it at
	 * checkpoints and at the end, read-only from then on. */
	if (m->opt.kstack && !kallsyms_load(&kt->ksyms, &why))
		mvm_err("warning: --kstack: %s; frames stay addresses", why.msg);
	if (kt->nev == 0) {
		errbuf_set(err, "--ktrace: none of the events '%s' exists on this kernel", events);
		return MVM_STATUS_HOST;
	}
	for (int i = 0; i < kt->nev; i++) {
		kt->ev[i].counted = kt->count_only && kt->ev[i].kfunc;
		ktrace_render_prepare(&kt->ev[i], m->log.rec.fmt);
	}
	clock_gettime(CLOCK_MONOTONIC, &t);
	kt->t0 = (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
	return 0;
}

int ktrace_event_index(const struct ktrace_vcpu *kv, uint64_t id)
{
	if (kv->ids_dense) {
		uint64_t i = id - kv->id0;

		return i < (uint64_t)kv->nfd ? (int)i : -1;
	}
	for (int i = 0; i < kv->nfd; i++)
		if (kv->perf_id[i] == id)
			return i;
	return -1;
}

/* Whether perf gave v's thread's events ids in a row, as it numbers them. */
static void note_ids(struct ktrace_vcpu *kv)
{
	kv->id0 = kv->perf_id[0];
	kv->ids_dense = kv->nfd > 0;
	for (int i = 1; i < kv->nfd; i++)
		kv->ids_dense &= kv->perf_id[i] == kv->id0 + (uint64_t)i;
}

/* The events of v's thread, opened from this thread (perf_event_open takes a tid). */
static int ktrace_open_vcpu(void *state, struct vcpu *v, int index, struct errbuf *err)
{
	struct ktrace *kt = state;
	struct ktrace_vcpu *kv = calloc(1, sizeof(*kv));
	int r;

	v->contrib[index] = kv;
	if (!kv) {
		errbuf_set(err, "out of memory");
		return MVM_STATUS_HOST;
	}
	for (int i = 0; i < kt->nev; i++) {
		const struct ktrace_event *e = &kt->ev[i];

		if ((e->stacks && !(kv->stacks[i] = calloc(1, sizeof(*kv->stacks[i])))) ||
		    (e->nhist && !(kv->hist[i] = calloc((size_t)e->nhist, sizeof(*kv->hist[i]))))) {
			errbuf_set(err, "out of memory");
			return MVM_STATUS_HOST;
		}
		if ((r = attach(kv, v->tid, &kt->ev[i], err)))
			return r;
	}
	note_ids(kv);
	for (int i = 0; i < kv->nfd; i++)
		if (ioctl(kv->fd[i], PERF_EVENT_IOC_ENABLE, 0) < 0) {
			errbuf_set(err, "PERF_EVENT_IOC_ENABLE(%s): %s", kt->ev[i].fmt.name,
				   strerror(errno));
			return MVM_STATUS_HOST;
		}
	return 0;
}


/* A sample's record rendered in place (ktrace_render.c): false when it
 * must be built field by field instead. */
static bool emit_rendered(struct ktrace_vcpu *kv, struct vcpu *v, const struct ktrace_event *e,
			  int64_t ktime_ns, const uint8_t *raw, size_t len)
{
	struct runlog *log = &v->m->log;
	char *out;
	size_t n;

	if (!e->fast || !(out = runlog_text_begin(log, KTRACE_RENDER_MAX)))
		return false;
	/* An exit's kevents all carry its seq: the head is rendered once. */
	if (!kv->head_len || kv->head_seq != v->seq) {
		kv->head_len = (uint8_t)ktrace_render_head(kv->head, log->rec.fmt, v->seq, v->id);
		kv->head_seq = v->seq;
	}
	n = ktrace_render(e, log->rec.fmt, kv->head, kv->head_len, ktime_ns, raw, len, v->m->syms,
			  &v->sym_hint, out);
	if (!n)
		return false;
	runlog_text_end(log, n);
	return true;
}

static void emit_sample(struct ktrace *kt, struct ktrace_vcpu *kv, struct vcpu *v, const uint8_t *s,
			size_t n)
{
	uint64_t id, time, nr = 0, ips[SAMPLE_MAX / 8];
	const struct ktrace_event *e;
	uint32_t raw_size;
	size_t off = 16;
	struct record r;
	int i;

	if (n < 20)
		return;
	memcpy(&id, s, 8);
	memcpy(&time, s + 8, 8);
	if ((i = ktrace_event_index(kv, id)) < 0)
		return;
	e = &kt->ev[i];
	/* IDENTIFIER, TIME, then CALLCHAIN (nr, ips) if asked for, then RAW. */
	if (e->stacks) {
		memcpy(&nr, s + off, 8);
		off += 8;
		if (nr > (n - off) / 8 || nr > ARRAY_SIZE(ips))
			return;
		memcpy(ips, s + off, nr * 8);
		off += nr * 8;
	}
	if (n < off + 4)
		return;
	memcpy(&raw_size, s + off, 4);
	off += 4;
	if (raw_size > n - off)
		return;
	ktrace_count_sample(kv, i, e, ips, nr, s + off, raw_size);
	if (e->counted)
		return;
	if (emit_rendered(kv, v, e, (int64_t)(time - kt->t0), s + off, raw_size))
		return;
	ktrace_add_sample(&r, v, e, (int64_t)(time - kt->t0), s + off, raw_size);
	vcpu_emit(v, &r);
}

static void emit_lost(struct ktrace *kt, struct vcpu *v, const uint8_t *s, size_t n)
{
	uint64_t lost;
	struct record r;

	if (n < 16)
		return;
	memcpy(&lost, s + 8, 8);
	kt->lost += lost;
	vcpu_rec_begin(v, &r, "ktrace_lost");
	rec_u64(&r, "count", lost);
	vcpu_emit(v, &r);
}

void ktrace_ring_copy(void *dst, const uint8_t *data, uint64_t size, uint64_t pos, size_t n)
{
	size_t at = (size_t)(pos & (size - 1)), first = size - at < n ? size - at : n;

	memcpy(dst, data + at, first);
	if (first < n)
		memcpy((uint8_t *)dst + first, data, n - first);
}

/* Moves every event v's thread recorded so far into the trace. */
static void drain(struct ktrace *kt, struct ktrace_vcpu *kv, struct vcpu *v)
{
	struct perf_event_mmap_page *meta = kv ? kv->ring : NULL;
	uint8_t buf[SAMPLE_MAX], *data;
	uint64_t head, tail, size;

	if (!meta)
		return;
	data = (uint8_t *)kv->ring + meta->data_offset;
	size = meta->data_size; /* a power of two: perf maps 2^n data pages */
	head = __atomic_load_n(&meta->data_head, __ATOMIC_ACQUIRE);
	/* perf reports a loss only once it has room to write the record: a ring
	 * found full may have dropped samples that no PERF_RECORD_LOST names. */
	if (head - meta->data_tail > size - SAMPLE_MAX) {
		struct record r;

		vcpu_rec_begin(v, &r, "ktrace_full");
		rec_u64(&r, "bytes", head - meta->data_tail);
		vcpu_emit(v, &r);
		kt->full++;
	}
	for (tail = meta->data_tail; tail < head;) {
		struct perf_event_header h;

		ktrace_ring_copy(&h, data, size, tail, sizeof(h));
		if (h.size < sizeof(h))
			break;
		if (h.size <= sizeof(buf)) {
			ktrace_ring_copy(buf, data, size, tail, h.size);
			if (h.type == PERF_RECORD_SAMPLE)
				emit_sample(kt, kv, v, buf + sizeof(h), h.size - sizeof(h));
			else if (h.type == PERF_RECORD_LOST)
				emit_lost(kt, v, buf + sizeof(h), h.size - sizeof(h));
		}
		tail += h.size;
	}
	__atomic_store_n(&meta->data_tail, head, __ATOMIC_RELEASE);
	ktrace_emit_pending(kt, kv, v);
}

static void ktrace_on_exit(void *state, struct vcpu *v, int index)
{
	drain(state, v->contrib[index], v);
}

static void ktrace_at_end(void *state, struct machine *m, int index)
{
	for (int i = 0; i < m->contribs->nvcpus; i++) {
		drain(state, m->contribs->vcpus[i].contrib[index], &m->contribs->vcpus[i]);
		ktrace_merge_counts(state, m->contribs->vcpus[i].contrib[index]);
	}
}

/* One "ksummary" record per event: how many were seen. */
static void ktrace_summary(void *state, struct machine *m)
{
	ktrace_emit_summary(state, m);
}

/* --kstack at a checkpoint: v's own chains so far, numbered like its records. */
static void ktrace_checkpoint(void *state, struct vcpu *v, int index, uint64_t id)
{
	struct ktrace *kt = state;
	struct ktrace_vcpu *kv = v->contrib[index];

	(void)id;
	if (!kv)
		return;
	drain(kt, kv, v);
	for (int i = 0; i < kv->nfd; i++)
		if (kv->stacks[i])
			kstacks_emit(kv->stacks[i], kt->ev[i].kfunc, &kt->ksyms, &v->m->log, v->seq,
				     v->id);
}

static void ktrace_close_vcpu(void *state, struct vcpu *v, int index)
{
	struct ktrace_vcpu *kv = v->contrib[index];

	(void)state;
	if (!kv)
		return;
	if (kv->ring)
		munmap(kv->ring, kv->ring_size);
	for (int i = 0; i < kv->nfd; i++)
		close(kv->fd[i]);
	for (int i = 0; i < KTRACE_EVENTS_MAX; i++) {
		free(kv->stacks[i]);
		free(kv->hist[i]);
	}
	free(kv);
	v->contrib[index] = NULL;
}

static void ktrace_close(void *state, struct machine *m)
{
	struct ktrace *kt = state;

	(void)m;
	for (int i = 0; kt && i < kt->nev; i++) {
		free(kt->ev[i].stacks);
		free(kt->ev[i].hist);
	}
	if (kt)
		symtab_free(&kt->ksyms);
	free(kt);
}

static bool ktrace_wanted(const struct machine *m)
{
	return m->opt.ktrace != NULL || m->opt.kprobe != NULL;
}

const struct contrib_ops ktrace_contrib = {
	.name = "ktrace",
	.wanted = ktrace_wanted,
	.open = ktrace_open,
	.open_vcpu = ktrace_open_vcpu,
	.on_exit = ktrace_on_exit,
	.checkpoint = ktrace_checkpoint,
	.at_end = ktrace_at_end,
	.summary = ktrace_summary,
	.close_vcpu = ktrace_close_vcpu,
	.close = ktrace_close,
};
