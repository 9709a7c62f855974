/* SPDX-License-Identifier: MIT */
/* dirty_bench.c - benchmark: dirty checkpoints by slot size and mode, minivmm against bare KVM. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "dirty.h"
#include "exits.h"
#include "minivmm_abi.h"
#include "pageset.h"
#include "vm.h"

#include "dirty_report.h"

/*
 * guest_bench_dirty dirties the same 64 pages of the high slot (all in its
 * first GiB) before each of its checkpoints. Odd checkpoints go through
 * minivmm's own path (the checkpoint call's handler: KVM's dirty pages
 * fetched, decoded into runs, recorded); even ones only do what any VMM
 * must (KVM_GET_DIRTY_LOG into a buffer, and KVM_CLEAR_DIRTY_LOG of it in
 * clear mode, or harvesting and resetting the ring). Same VM, same pages,
 * same guest work in between: the ratio is minivmm's overhead per
 * checkpoint. The high slot is sized by --mem: low RAM is 3 GiB, the rest
 * is high, mapped lazily (MAP_NORESERVE), so 64 GiB fits a smaller host.
 */
#define MAX_SIZES 8

/* What to run: every size with every mode. */
struct plan {
	uint64_t gib[MAX_SIZES];
	int ngib;
	enum dirty_mode mode[DIRTY_MODE_COUNT];
	int nmodes;
};

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static void ignore_gfn(void *ctx, uint32_t slot, uint64_t offset)
{
	(void)ctx;
	(void)slot;
	(void)offset;
}

/* What a VMM cannot do without: fetch (and re-protect, or hand back) the log. */
static void bare_fetch(struct vm *vm, uint64_t *bm)
{
	struct mem_slot *s = &vm->m.mem.slot[MVM_SLOT_HIGH];
	struct kvm_dirty_log log = { .slot = s->id, .dirty_bitmap = bm };
	struct kvm_clear_dirty_log clear = { .slot = s->id,
					     .num_pages = (uint32_t)(s->size / 4096),
					     .dirty_bitmap = bm };
	struct dirty *d = vm->m.dirty;

	if (d->mode == DIRTY_RING) {
		dirty_ring_harvest(d->ring[0].gfns, d->ring_nent, &d->ring[0].fetch, ignore_gfn,
				   NULL);
		vm_ioctl(&vm->m, KVM_RESET_DIRTY_RINGS, NULL);
		return;
	}
	vm_ioctl(&vm->m, KVM_GET_DIRTY_LOG, &log);
	if (d->mode == DIRTY_CLEAR)
		vm_ioctl(&vm->m, KVM_CLEAR_DIRTY_LOG, &clear);
}

static void time_checkpoint(struct vm *vm, struct vcpu *v, uint64_t *bm, struct row *r)
{
	bool bare = (r->full.n + r->bare.n) % 2;
	struct samples *s = bare ? &r->bare : &r->full;
	double t = now_us();

	if (bare)
		bare_fetch(vm, bm);
	else
		exit_io(v);
	if (s->n < MAX_ROUNDS)
		s->v[s->n++] = now_us() - t;
}

/* One VM with a high slot of r->gib GiB, run to its end, checkpoints timed. */
static int run_row(struct payload *p, const char *trace, struct row *r)
{
	struct payload_overrides ov = { .mode = -1,
					.has_mem = true,
					.mem = MVM_LOW_RAM_MAX + (r->gib << 30) };
	struct run_options opt = { .format = REC_TEXT,
				   .dirty = r->mode,
				   .dirty_ring_bytes = DIRTY_RING_DEFAULT_BYTES };
	uint64_t *bm = calloc(1, (r->gib << 30) / 4096 / 8 + 8); /* KVM writes whole words */
	struct errbuf err = { 0 };
	struct vm vm;
	struct vcpu *v;
	int ok;

	vm_init(&vm, &opt);
	if (!bm || !payload_parse(p, &ov, &err) ||
	    !recorder_open(&vm.m.log.rec, trace, REC_TEXT, false, &err) ||
	    vm_create(&vm, p, &err)) {
		fprintf(stderr, "dirty_bench: %llu GiB, %s: %s\n", (unsigned long long)r->gib,
			dirty_mode_name(r->mode), bm ? err.msg : "out of memory");
		return -1;
	}
	/* vCPU 0 on this thread; its own thread waits at the gate until vm_destroy. */
	v = &vm.vcpu[0];
	while (vm.m.log.end == END_NONE) {
		struct kvm_run *run = v->run;
		int e = ioctl_raw(v->fd, KVM_RUN, NULL);

		if (e < 0 || run->exit_reason != KVM_EXIT_IO) {
			fprintf(stderr, "dirty_bench: KVM_RUN %d, exit %u\n", e, run->exit_reason);
			break;
		}
		/* As run_loop(): the exit's registers are kvm_run's synced copy. */
		v->kvm_ran = true;
		v->seq++;
		if (run->io.port == MVM_CALL_PORT + MVM_CALL_CHECKPOINT)
			time_checkpoint(&vm, v, bm, r);
		else
			exit_io(v);
	}
	ok = vm.m.log.end == END_EXIT && vm.m.log.verdict == MVM_PASS && r->full.n && r->bare.n;
	if (!ok)
		fprintf(stderr, "dirty_bench: %llu GiB, %s: the run did not pass (%s)\n",
			(unsigned long long)r->gib, dirty_mode_name(r->mode), trace);
	recorder_close(&vm.m.log.rec);
	vm_destroy(&vm);
	free(bm);
	return ok ? 0 : -1;
}

/* Whether this host's KVM has what mode needs; says so when it does not. */
static bool mode_offered(int kvm, enum dirty_mode mode)
{
	bool ok = mode == DIRTY_BITMAP;

	if (mode == DIRTY_CLEAR)
		ok = ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2) > 0;
	if (mode == DIRTY_RING)
		ok = ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_DIRTY_LOG_RING) > 0 ||
		     ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_DIRTY_LOG_RING_ACQ_REL) > 0;
	if (!ok)
		printf("dirty_bench: %s mode skipped: this host's KVM does not offer it\n",
		       dirty_mode_name(mode));
	return ok;
}

/* The arguments after the trace file: slot sizes in GiB and mode names, in
 * any order; none of a kind means all of it (1, 17 and 64 GiB; every mode). */
static bool parse_plan(int argc, char **argv, struct plan *pl)
{
	static const uint64_t default_gib[] = { 1, 17, 64 };

	for (int i = 3; i < argc; i++) {
		unsigned long long g;
		enum dirty_mode m;
		char *end;

		errno = 0;
		g = strtoull(argv[i], &end, 10);
		if (dirty_mode_from_name(argv[i], &m) && pl->nmodes < DIRTY_MODE_COUNT)
			pl->mode[pl->nmodes++] = m;
		else if (!errno && end != argv[i] && !*end && g && g <= 1000 &&
			 pl->ngib < MAX_SIZES)
			pl->gib[pl->ngib++] = g;
		else
			return false;
	}
	if (!pl->ngib)
		for (; pl->ngib < 3; pl->ngib++)
			pl->gib[pl->ngib] = default_gib[pl->ngib];
	if (!pl->nmodes)
		for (; pl->nmodes < DIRTY_MODE_COUNT; pl->nmodes++)
			pl->mode[pl->nmodes] = (enum dirty_mode)pl->nmodes;
	return true;
}

int main(int argc, char **argv)
{
	static struct row rows[MAX_SIZES * DIRTY_MODE_COUNT];
	struct plan pl = { .ngib = 0 };
	struct errbuf err;
	struct payload p;
	int kvm, n = 0, offered = 0;

	if (argc < 3 || !parse_plan(argc, argv, &pl)) {
		fprintf(stderr, "usage: dirty_bench PAYLOAD TRACE_FILE "
				"[GIB|bitmap|clear|ring]...\n");
		return 2;
	}
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		printf("dirty_bench: /dev/kvm is not usable here (%s); nothing to measure\n",
		       strerror(errno));
		return 77;
	}
	for (int m = 0; m < pl.nmodes; m++)
		if (mode_offered(kvm, pl.mode[m]))
			pl.mode[offered++] = pl.mode[m];
	pl.nmodes = offered;
	close(kvm);
	if (!payload_read(argv[1], &p, &err)) {
		fprintf(stderr, "dirty_bench: %s\n", err.msg);
		return 2;
	}
	for (int g = 0; g < pl.ngib; g++)
		for (int m = 0; m < pl.nmodes; m++, n++) {
			rows[n].gib = pl.gib[g];
			rows[n].mode = pl.mode[m];
			if (run_row(&p, argv[2], &rows[n]))
				return 1;
		}
	dirty_report(rows, n);
	payload_free(&p);
	return 0;
}
