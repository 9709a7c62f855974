/* SPDX-License-Identifier: MIT */
/* exit_debug.c - --singlestep: guest debug on each vCPU, KVM_EXIT_DEBUG and its step records. */
#include <string.h>

#include "contrib.h"
#include "cpu_x86.h"
#include "exits.h"
#include "minivmm_abi.h"

#define STEP_INSN_MAX 15 /* the longest x86 instruction */
#define STEP_PAGE     4096ULL

static bool singlestep_wanted(const struct machine *m)
{
	return m->opt.singlestep;
}

static int singlestep_open(struct machine *m, void **state, struct errbuf *err)
{
	*state = NULL;
	if (!kvm_cap(&m->kvm, KVM_CAP_SET_GUEST_DEBUG)) {
		errbuf_set(err, "this host's KVM lacks KVM_CAP_SET_GUEST_DEBUG (--singlestep)");
		return MVM_STATUS_HOST;
	}
	return 0;
}

static int set_guest_debug(struct vcpu *v, uint32_t control)
{
	struct kvm_guest_debug dbg = { .control = control };

	return ioctl_raw(v->fd, KVM_SET_GUEST_DEBUG, &dbg);
}

/* After the BSP's start state (vm.c says why): KVM arms TF at the RIP the
 * vCPU has now. */
static int singlestep_open_vcpu(void *state, struct vcpu *v, int index, struct errbuf *err)
{
	int e = set_guest_debug(v, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP);

	(void)state;
	(void)index;
	if (e < 0) {
		errbuf_set(err, "KVM_SET_GUEST_DEBUG(ENABLE|SINGLESTEP) failed on vCPU %d: %s",
			   v->id, strerror(-e));
		return MVM_STATUS_HOST;
	}
	v->stepping = true;
	return 0;
}

const struct contrib_ops singlestep_contrib = {
	.name = "singlestep",
	.wanted = singlestep_wanted,
	.open = singlestep_open,
	.open_vcpu = singlestep_open_vcpu,
};

/* The names kvm_emulate_insn's flags give the same modes (ktrace.c). */
static const char *step_mode(const struct kvm_sregs *s, uint64_t rflags)
{
	if (!(s->cr0 & X86_CR0_PE))
		return "real";
	if (rflags & X86_EFLAGS_VM)
		return "vm16";
	if ((s->efer & EFER_LMA) && s->cs.l)
		return "prot64";
	return s->cs.db ? "prot32" : "prot16";
}

static uint64_t step_linear(const struct kvm_sregs *s, const struct kvm_regs *g)
{
	if ((s->efer & EFER_LMA) && s->cs.l)
		return g->rip; /* CS base is ignored in 64-bit mode */
	return (s->cs.base + g->rip) & 0xffffffff;
}

/*
 * Up to 15 bytes from linear address la. Each page is translated on its
 * own, since an instruction may cross into a page mapped elsewhere; the
 * bytes stop where a translation fails or RAM ends.
 */
static size_t step_fetch(struct gmem *gm, const struct kvm_sregs *s, uint64_t la, uint8_t *buf)
{
	size_t got = 0;

	while (got < STEP_INSN_MAX) {
		uint64_t va = la + got, pa;
		size_t want = STEP_PAGE - (va & (STEP_PAGE - 1)), n;
		const uint8_t *p;

		if (want > STEP_INSN_MAX - got)
			want = STEP_INSN_MAX - got;
		if (!cpu_translate(gm, s, va, &pa))
			break;
		for (n = want; n && !gmem_is_ram(gm, pa, n); n--)
			;
		if (!n || !(p = GMEM_PTR(gm, pa, n)))
			break;
		memcpy(buf + got, p, n);
		got += n;
		if (n < want)
			break;
	}
	return got;
}

/* Turning stepping off ends the steps, not the run. */
static bool step_stop(struct vcpu *v)
{
	int e = set_guest_debug(v, 0);

	if (e < 0) {
		runlog_host_error(&v->m->log, "KVM_SET_GUEST_DEBUG(0) failed on vCPU %d: %s", v->id,
				  strerror(-e));
		return false;
	}
	v->stepping = false;
	return true;
}

/*
 * KVM keeps TF in the guest's RFLAGS only while RIP is where
 * KVM_SET_GUEST_DEBUG found it (singlestep_rip, __kvm_set_rflags): once
 * its emulator has moved RIP, stock KVM stops stepping until the next
 * emulated instruction. Arming it again at each step keeps every
 * instruction stepped, on every KVM.
 */
static void step_rearm(struct vcpu *v)
{
	int e = set_guest_debug(v, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP);

	if (e < 0)
		runlog_host_error(&v->m->log,
				  "KVM_SET_GUEST_DEBUG(ENABLE|SINGLESTEP) failed on vCPU %d: %s",
				  v->id, strerror(-e));
}

/* The instruction v stopped before: the one it runs next. */
static void step_record(struct vcpu *v)
{
	const struct kvm_regs *g = vcpu_regs(v);
	uint8_t insn[STEP_INSN_MAX];
	struct kvm_sregs s;
	struct record r;
	bool last;
	size_t n;
	int e;

	if (!g)
		return;
	e = ioctl_raw(v->fd, KVM_GET_SREGS, &s);
	if (e < 0) {
		runlog_host_error(&v->m->log, "KVM_GET_SREGS failed on vCPU %d: %s", v->id,
				  strerror(-e));
		return;
	}
	n = step_fetch(&v->m->gmem, &s, step_linear(&s, g), insn);
	v->steps++;
	last = v->m->opt.singlestep_max && v->steps >= v->m->opt.singlestep_max;
	vcpu_rec_begin(v, &r, "step");
	rec_u64(&r, "n", v->steps);
	vcpu_rec_rip(v, &r, "rip", g->rip);
	rec_word(&r, "mode", step_mode(&s, g->rflags));
	rec_bytes(&r, "bytes", insn, n);
	if (last)
		rec_word(&r, "last", "yes");
	vcpu_emit(v, &r);
	if (last)
		step_stop(v);
	else
		step_rearm(v);
}

/*
 * KVM_EXIT_DEBUG is an exit of KVM_RUN like any other: it is numbered and
 * counted in the summary. A debug exit while not stepping (there should be
 * none: minivmm sets no breakpoints) gets its exit record only.
 */
enum run_action exit_debug(struct vcpu *v)
{
	const struct kvm_debug_exit_arch *d = &v->run->debug.arch;
	struct record r;

	exit_rec_begin(v, &r);
	rec_u64(&r, "exception", d->exception);
	rec_hex(&r, "dr6", d->dr6);
	vcpu_emit(v, &r);
	if (v->stepping)
		step_record(v);
	return RUN_CONTINUE;
}
