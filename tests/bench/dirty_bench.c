/* SPDX-License-Identifier: MIT */
/* dirty_bench.c - benchmark: a dirty checkpoint over a 17 GiB slot, minivmm against the bare ioctl. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dirty.h"
#include "exits.h"
#include "minivmm_abi.h"
#include "pageset.h"
#include "vm.h"

/*
 * guest_bench_dirty dirties the same 64 pages of the high slot before each
 * of its checkpoints. Odd checkpoints go through minivmm's own path (the
 * checkpoint call's handler: KVM's dirty pages fetched, decoded into runs,
 * recorded); even ones only do what any VMM must (KVM_GET_DIRTY_LOG into a
 * buffer, or harvesting and resetting the ring). Same VM, same pages, same
 * guest work in between: the ratio is minivmm's overhead per checkpoint.
 */
#define MAX_ROUNDS 1024

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void ignore_gfn(void *ctx, uint32_t slot, uint64_t offset)
{
	(void)ctx;
	(void)slot;
	(void)offset;
}

/* What a VMM cannot do without: fetch (and for the ring, hand back) the log. */
static void bare_fetch(struct vm *vm, uint64_t *bm)
{
	struct mem_slot *s = &vm->m.mem.slot[MVM_SLOT_HIGH];
	struct kvm_dirty_log log = { .slot = s->id, .dirty_bitmap = bm };
	struct dirty *d = vm->m.dirty;

	if (d->mode == DIRTY_RING) {
		dirty_ring_harvest(d->ring[0].gfns, d->ring_nent, &d->ring[0].fetch, ignore_gfn,
				   NULL);
		vm_ioctl(&vm->m, KVM_RESET_DIRTY_RINGS, NULL);
	} else {
		vm_ioctl(&vm->m, KVM_GET_DIRTY_LOG, &log);
	}
}

struct result {
	double full[MAX_ROUNDS], bare[MAX_ROUNDS];
	int nfull, nbare;
};

static int run_mode(const struct payload *p, enum dirty_mode mode, const char *trace,
		    struct result *res)
{
	struct run_options opt = { .format = REC_TEXT,
				   .dirty = mode,
				   .dirty_ring_bytes = DIRTY_RING_DEFAULT_BYTES };
	uint64_t *bm = calloc(1, (p->mem_size / 4096 + 63) / 8 + 8);
	struct errbuf err;
	struct vm vm;

	struct vcpu *v;
	int ok;

	vm_init(&vm, &opt);
	if (!bm || !recorder_open(&vm.m.log.rec, trace, REC_TEXT, false, &err) ||
	    vm_create(&vm, p, &err)) {
		fprintf(stderr, "bench: %s\n", err.msg);
		return -1;
	}
	/* vCPU 0 on this thread; its own thread waits at the gate until vm_destroy. */
	v = &vm.vcpu[0];
	while (vm.m.log.end == END_NONE) {
		struct kvm_run *run = v->run;
		int r = ioctl_raw(v->fd, KVM_RUN, NULL);

		if (r < 0 || run->exit_reason != KVM_EXIT_IO) {
			fprintf(stderr, "bench: KVM_RUN %d, exit %u\n", r, run->exit_reason);
			break;
		}
		/* As run_loop(): the exit's registers are kvm_run's synced copy. */
		v->kvm_ran = true;
		v->seq++;
		if (run->io.port == MVM_CALL_PORT + MVM_CALL_CHECKPOINT &&
		    (res->nfull + res->nbare) % 2 && res->nbare < MAX_ROUNDS) {
			double t = now_us();

			bare_fetch(&vm, bm);
			res->bare[res->nbare++] = now_us() - t;
		} else if (run->io.port == MVM_CALL_PORT + MVM_CALL_CHECKPOINT &&
			   res->nfull < MAX_ROUNDS) {
			double t = now_us();

			exit_io(v);
			res->full[res->nfull++] = now_us() - t;
		} else {
			exit_io(v);
		}
	}
	ok = vm.m.log.end == END_EXIT && vm.m.log.verdict == MVM_PASS;
	recorder_close(&vm.m.log.rec);
	vm_destroy(&vm);
	free(bm);
	return ok ? 0 : -1;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(double), cmp_double);
	return n ? v[n / 2] : 0;
}

int main(int argc, char **argv)
{
	struct payload_overrides ov = { .mode = -1, .has_mem = true, .mem = 20ULL << 30 };
	static struct result res[2];
	const enum dirty_mode modes[2] = { DIRTY_BITMAP, DIRTY_RING };
	struct errbuf err;
	struct payload p;

	if (argc < 3) {
		fprintf(stderr, "usage: dirty_bench PAYLOAD TRACE_FILE\n");
		return 2;
	}
	if (!payload_read(argv[1], &p, &err) || !payload_parse(&p, &ov, &err)) {
		fprintf(stderr, "bench: %s\n", err.msg);
		return 2;
	}
	for (int m = 0; m < 2; m++)
		if (run_mode(&p, modes[m], argv[2], &res[m]))
			return 1;
	printf("dirty checkpoint over the 17 GiB high slot, 64 pages dirtied each time\n");
	for (int m = 0; m < 2; m++) {
		double full = median(res[m].full, res[m].nfull);
		double bare = median(res[m].bare, res[m].nbare);

		printf("  %-6s minivmm fetch+decode+record %8.1f us  bare %s %8.1f us  "
		       "ratio %.3f (target <= 1.1; %d+%d checkpoints)\n",
		       dirty_mode_name(modes[m]), full,
		       modes[m] == DIRTY_RING ? "harvest+reset   " : "KVM_GET_DIRTY_LOG", bare,
		       full / bare, res[m].nfull, res[m].nbare);
	}
	printf("  ring vs bitmap, minivmm path: %.3f\n",
	       median(res[1].full, res[1].nfull) / median(res[0].full, res[0].nfull));
	payload_free(&p);
	return 0;
}
