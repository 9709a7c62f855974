/* SPDX-License-Identifier: MIT */
/* recorder_writer.c - renders the recorder's entry stream into the trace, on its own thread. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exit_info.h"
#include "lock.h"
#include "record_pack.h"
#include "recorder.h"

#define OUT_SIZE (256 * 1024)

/*
 * One full buffer at a time is the writer's (busy 1): the recorder fills
 * the other. Everything else here belongs to whoever holds the stream, the
 * writer thread while busy, else the thread that waited for it to be idle.
 */
struct wsite {
	struct access_site s;
	size_t sym_hint; /* symtab_lookup()'s */
};

struct rec_writer {
	int busy; /* futex word: 1 while the thread renders job */
	int quit;
	bool thread_up;
	pthread_t thread;
	char *spare;
	char *job;
	size_t job_len;
	char *out;
	size_t out_len;
	struct wsite *site; /* each vCPU's */
	size_t nsite;
};

static void set_errno(struct recorder *rc, int e)
{
	if (!recorder_errno(rc))
		__atomic_store_n(&rc->write_errno, e, __ATOMIC_RELAXED);
}

void rec_writer_write(struct recorder *rc, const char *p, size_t n)
{
	while (n && !recorder_errno(rc)) {
		ssize_t w = write(rc->fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			set_errno(rc, w < 0 ? errno : EIO);
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

static void out_flush(struct recorder *rc, struct rec_writer *w)
{
	rec_writer_write(rc, w->out, w->out_len);
	w->out_len = 0;
}

static void out_put(struct recorder *rc, struct rec_writer *w, const char *p, size_t n)
{
	if (n > OUT_SIZE - w->out_len)
		out_flush(rc, w);
	if (n > OUT_SIZE) {
		rec_writer_write(rc, p, n);
		return;
	}
	memcpy(w->out + w->out_len, p, n);
	w->out_len += n;
}

static struct wsite *site_of(struct rec_writer *w, uint32_t vcpu)
{
	if (vcpu >= w->nsite) {
		size_t n = (size_t)vcpu + 1;
		struct wsite *s = realloc(w->site, n * sizeof(*s));

		if (!s)
			return NULL;
		memset(s + w->nsite, 0, (n - w->nsite) * sizeof(*s));
		w->site = s;
		w->nsite = n;
	}
	return &w->site[vcpu];
}

/* The record of e, the first from its site or one whose names are too
 * long for a site: rendered field by field. Out of line: inlined, its
 * setup leaked into the loop of render() (4 instructions an exit). */
static __attribute__((noinline)) void render_new_site(struct recorder *rc, struct rec_writer *w, struct wsite *ws,
			    const struct rent_access *e)
{
	struct access_rec a = {
		.vcpu = (int)e->h.n,
		.mmio = e->mmio,
		.write = e->write,
		.rip = e->rip,
		.sym = symtab_lookup(rc->syms, e->rip, &ws->sym_hint),
		.addr = e->addr,
		.size = e->size,
		.count = e->count,
		.dev = e->dev,
		.dev_len = strlen(e->dev),
		.note = rc->explain ? exit_summary(EXIT_KVM, e->mmio ? KVM_EXIT_MMIO : KVM_EXIT_IO)
				    : NULL,
	};
	size_t need;

	if (access_site_set(&ws->s, &a, rc->fmt)) {
		w->out_len += access_site_encode(&ws->s, e->seq, e->data, w->out + w->out_len);
		return;
	}
	need = access_rec_encode(&a, e->seq, e->data, rc->fmt, w->out + w->out_len,
				 OUT_SIZE - w->out_len);
	if (need > OUT_SIZE - w->out_len) {
		out_flush(rc, w);
		need = access_rec_encode(&a, e->seq, e->data, rc->fmt, w->out, OUT_SIZE);
		if (need > OUT_SIZE) {
			set_errno(rc, ENAMETOOLONG);
			return;
		}
	}
	w->out_len += need;
}

/* A record of an --explain run: encoded with its note, if it has one. Out of
 * line, so that the loop of render() is the same as without the option. */
static __attribute__((noinline, cold)) void render_noted(struct recorder *rc,
							 struct rec_writer *w,
							 const struct record *r)
{
	const char *note = recorder_note(rc, r);
	size_t need = rec_encode_noted(r, rc->fmt, note, NULL, 0);
	char *big;

	if (need > OUT_SIZE - w->out_len)
		out_flush(rc, w);
	if (need <= OUT_SIZE) {
		w->out_len += rec_encode_noted(r, rc->fmt, note, w->out + w->out_len,
					       OUT_SIZE - w->out_len);
		return;
	}
	if (!(big = malloc(need))) {
		set_errno(rc, ENOMEM);
		return;
	}
	rec_writer_write(rc, big, rec_encode_noted(r, rc->fmt, note, big, need));
	free(big);
}

/* A packed generic record, encoded into the output (on its own when its
 * bound exceeds the output buffer). */
static void render_record(struct recorder *rc, struct rec_writer *w, const char *p)
{
	struct record r;
	size_t need;
	char *big;

	rec_unpack(p, &r);
	if (__builtin_expect(rc->explain, 0)) {
		render_noted(rc, w, &r);
		return;
	}
	need = rec_encode(&r, rc->fmt, NULL, 0);
	if (need > OUT_SIZE - w->out_len)
		out_flush(rc, w);
	if (need <= OUT_SIZE) {
		w->out_len += rec_encode(&r, rc->fmt, w->out + w->out_len, OUT_SIZE - w->out_len);
		return;
	}
	if (!(big = malloc(need))) {
		set_errno(rc, ENOMEM);
		return;
	}
	rec_writer_write(rc, big, rec_encode(&r, rc->fmt, big, need));
	free(big);
}

static void render(struct recorder *rc, struct rec_writer *w, const char *p, size_t len)
{
	const char *end = p + len;

	while (p < end) {
		struct rent_head h;

		memcpy(&h, p, sizeof(h));
		if (h.type == RENT_ACCESS) {
			struct rent_access e;
			struct wsite *ws = site_of(w, h.n);

			memcpy(&e, p, sizeof(e));
			p += sizeof(e);
			if (!ws) {
				set_errno(rc, ENOMEM);
				return;
			}
			if (ACCESS_REC_MAX > OUT_SIZE - w->out_len)
				out_flush(rc, w);
			if (__builtin_expect(access_site_is(&ws->s, rc->fmt, e.mmio, e.write, e.rip,
							    e.addr, e.size, e.count, e.dev),
					     1))
				w->out_len += access_site_encode(&ws->s, e.seq, e.data,
								 w->out + w->out_len);
			else
				render_new_site(rc, w, ws, &e);
		} else if (h.type == RENT_RECORD) {
			p += sizeof(h);
			render_record(rc, w, p);
			p += h.n;
		} else {
			p += sizeof(h);
			out_put(rc, w, p, h.n);
			p += RENT_ALIGN(h.n);
		}
	}
	out_flush(rc, w);
}

static void wait_idle(struct rec_writer *w)
{
	while (__atomic_load_n(&w->busy, __ATOMIC_ACQUIRE))
		mvm_futex_wait(&w->busy, 1);
}

struct thread_arg {
	struct recorder *rc;
	struct rec_writer *w;
};

static void *writer_thread(void *p)
{
	struct rec_writer *w = ((struct thread_arg *)p)->w;
	struct recorder *rc = ((struct thread_arg *)p)->rc;

	free(p);
	for (;;) {
		while (!__atomic_load_n(&w->busy, __ATOMIC_ACQUIRE) &&
		       !__atomic_load_n(&w->quit, __ATOMIC_ACQUIRE))
			mvm_futex_wait(&w->busy, 0);
		if (!__atomic_load_n(&w->busy, __ATOMIC_ACQUIRE))
			return NULL;
		render(rc, w, w->job, w->job_len);
		__atomic_store_n(&w->busy, 0, __ATOMIC_RELEASE);
		mvm_wake_all(&w->busy);
	}
}

/* Started at the first full buffer, with every signal blocked: signals are
 * the main thread's (stop.c) and the kick's, never the writer's. */
static bool start_thread(struct recorder *rc, struct rec_writer *w)
{
	struct thread_arg *a = malloc(sizeof(*a));
	sigset_t all, old;

	if (!a)
		return false;
	*a = (struct thread_arg){ rc, w };
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	w->thread_up = pthread_create(&w->thread, NULL, writer_thread, a) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!w->thread_up)
		free(a);
	return w->thread_up;
}

struct rec_writer *rec_writer_new(void)
{
	struct rec_writer *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->spare = malloc(RECORDER_BUF_SIZE);
	w->out = malloc(OUT_SIZE);
	if (!w->spare || !w->out) {
		free(w->spare);
		free(w->out);
		free(w);
		return NULL;
	}
	return w;
}

void rec_writer_handoff(struct recorder *rc)
{
	struct rec_writer *w = rc->w;
	char *full = rc->buf;

	wait_idle(w);
	if (!w->thread_up && !start_thread(rc, w)) {
		/* No thread: the caller renders, as a flush would. */
		render(rc, w, rc->buf, rc->len);
		rc->len = 0;
		return;
	}
	w->job = full;
	w->job_len = rc->len;
	rc->buf = w->spare;
	w->spare = full;
	rc->len = 0;
	__atomic_store_n(&w->busy, 1, __ATOMIC_RELEASE);
	mvm_wake_all(&w->busy);
}

void rec_writer_drain(struct recorder *rc)
{
	wait_idle(rc->w);
	render(rc, rc->w, rc->buf, rc->len);
	rc->len = 0;
}

void rec_writer_free(struct recorder *rc)
{
	struct rec_writer *w = rc->w;

	if (!w)
		return;
	wait_idle(w);
	if (w->thread_up) {
		__atomic_store_n(&w->quit, 1, __ATOMIC_RELEASE);
		mvm_wake_all(&w->busy);
		pthread_join(w->thread, NULL);
	}
	free(w->spare);
	free(w->out);
	free(w->site);
	free(w);
	rc->w = NULL;
}
