/* SPDX-License-Identifier: MIT */
/* vcpu.c - owns a vCPU: its fd, kvm_run mapping, start state, register dumps, guest errors. */
#include "vcpu.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cpu_model.h"
#include "cpu_x86.h"
#include "minivmm_abi.h"
#include "mvm_multiboot.h"
#include "names.h"

#define VCPU_CPUID_ENTRIES 256

int vcpu_create(struct vcpu *v, struct machine *m, int id, struct errbuf *err)
{
	struct {
		struct kvm_cpuid2 head;
		struct kvm_cpuid_entry2 entries[VCPU_CPUID_ENTRIES];
	} table;
	int e;

	/* All of it: KVM ignores the entries' padding, but it is passed in. */
	memset(&table, 0, sizeof(table));
	v->id = id;
	v->m = m;
	v->fd = ioctl_raw(m->fd, KVM_CREATE_VCPU, (void *)(long)id);
	if (v->fd < 0) {
		errbuf_set(err, "KVM_CREATE_VCPU(%d) failed: %s", id, strerror(-v->fd));
		v->fd = -1;
		return MVM_STATUS_HOST;
	}
	v->run_size = m->kvm.run_size;
	v->run = mmap(NULL, v->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED) {
		v->run = NULL;
		errbuf_set(err, "cannot map kvm_run: %s", strerror(errno));
		return MVM_STATUS_HOST;
	}
	if (!cpu_model_build(&m->opt.cpu, m->kvm.cpuid, (unsigned)id, (unsigned)m->nvcpus,
			     &table.head, VCPU_CPUID_ENTRIES, err))
		return MVM_STATUS_USAGE;
	e = ioctl_raw(v->fd, KVM_SET_CPUID2, &table.head);
	if (e < 0) {
		errbuf_set(err, "KVM_SET_CPUID2 rejected the %s CPUID table: %s",
			   m->opt.cpu.spec[0] ? m->opt.cpu.spec : "host", strerror(-e));
		return MVM_STATUS_HOST;
	}
	if (m->kvm.sync_regs)
		v->run->kvm_valid_regs = KVM_SYNC_X86_REGS;
	return 0;
}

void vcpu_guest_error(struct vcpu *v, const char *fmt, ...)
{
	char msg[256];
	struct record r;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	v->m->log.guest_errors++;
	vcpu_rec_begin(v, &r, "guest_error");
	rec_cstr(&r, "msg", msg);
	vcpu_emit(v, &r);
	runlog_echo(&v->m->log, "guest error: %s\n", msg);
}

/*
 * When KVM_SET_SREGS fails and no architectural rule explains it, the
 * vendor module refused something it does not support: for la57, KVM may
 * offer LA57 in CPUID yet refuse CR4.LA57. Trying again without the bit
 * tells which; the vCPU is not run after this.
 */
static int sregs_rejected(struct vcpu *v, const struct payload *p, struct kvm_sregs *s, int e,
			  struct errbuf *err)
{
	struct errbuf why;

	if (cpu_sregs_explain(s, &v->m->kvm.cpu, &why)) {
		errbuf_set(err, "KVM_SET_SREGS rejected the %s start state (%s): %s",
			   mvm_mode_name(p->mode), strerror(-e), why.msg);
		return MVM_STATUS_HOST;
	}
	if (s->cr4 & X86_CR4_LA57) {
		s->cr4 &= ~X86_CR4_LA57;
		if (ioctl_raw(v->fd, KVM_SET_SREGS, s) == 0) {
			errbuf_set(err, "this host's KVM refuses CR4.LA57 in KVM_SET_SREGS "
					"although "
					"its supported CPUID offers LA57: it cannot start la57 "
					"guests");
			return MVM_SKIP;
		}
	}
	errbuf_set(err,
		   "KVM_SET_SREGS rejected the %s start state (%s), and no rule minivmm "
		   "knows is broken",
		   mvm_mode_name(p->mode), strerror(-e));
	return MVM_STATUS_HOST;
}

/* KVM may accept a state it then does not keep (a paravirtual KVM can drop
 * CR0.PG outside long mode): read it back and say what did not stick. */
static int sregs_verify(struct vcpu *v, const struct payload *p, const struct kvm_sregs *want,
			struct errbuf *err)
{
	const uint64_t cr0_bits = X86_CR0_PE | X86_CR0_PG;
	const uint64_t cr4_bits = X86_CR4_PSE | X86_CR4_PAE | X86_CR4_LA57;
	const uint64_t efer_bits = EFER_LME | EFER_LMA;
	struct kvm_sregs got;
	const char *reg = NULL;
	uint64_t w = 0, g = 0;
	int e = ioctl_raw(v->fd, KVM_GET_SREGS, &got);

	if (e < 0) {
		errbuf_set(err, "KVM_GET_SREGS failed reading back the start state: %s",
			   strerror(-e));
		return MVM_STATUS_HOST;
	}
	if ((got.cr0 ^ want->cr0) & cr0_bits)
		reg = "CR0", w = want->cr0, g = got.cr0;
	else if ((got.cr4 ^ want->cr4) & cr4_bits)
		reg = "CR4", w = want->cr4, g = got.cr4;
	else if ((got.efer ^ want->efer) & efer_bits)
		reg = "EFER", w = want->efer, g = got.efer;
	else if (got.cr3 != want->cr3)
		reg = "CR3", w = want->cr3, g = got.cr3;
	if (!reg)
		return 0;
	errbuf_set(err,
		   "this host's KVM accepted %s=0x%llx but kept 0x%llx: it cannot start "
		   "guests in %s mode",
		   reg, (unsigned long long)w, (unsigned long long)g, mvm_mode_name(p->mode));
	return MVM_SKIP;
}

int vcpu_init_state(struct vcpu *v, const struct payload *p, uint64_t cr3, struct errbuf *err)
{
	struct kvm_sregs s;
	struct kvm_regs r;
	int e = ioctl_raw(v->fd, KVM_GET_SREGS, &s);

	if (e < 0) {
		errbuf_set(err, "KVM_GET_SREGS failed: %s", strerror(-e));
		return MVM_STATUS_HOST;
	}
	cpu_setup_sregs(p->mode, cr3, &s);
	e = ioctl_raw(v->fd, KVM_SET_SREGS, &s);
	if (e < 0)
		return sregs_rejected(v, p, &s, e, err);
	if ((e = sregs_verify(v, p, &s, err)))
		return e;
	cpu_setup_regs(p->mode, p->entry, &r);
	if (p->multiboot) {
		r.rax = MB_BOOT_MAGIC;
		r.rbx = p->boot.info_gpa;
	}
	e = ioctl_raw(v->fd, KVM_SET_REGS, &r);
	if (e < 0) {
		errbuf_set(err, "KVM_SET_REGS rejected RIP=0x%llx RSP=0x%llx RFLAGS=0x%llx: %s",
			   (unsigned long long)r.rip, (unsigned long long)r.rsp,
			   (unsigned long long)r.rflags, strerror(-e));
		return MVM_STATUS_HOST;
	}
	return 0;
}

void vcpu_destroy(struct vcpu *v)
{
	if (v->run)
		munmap(v->run, v->run_size);
	v->run = NULL;
	if (v->fd >= 0)
		close(v->fd);
	v->fd = -1;
}

const struct kvm_regs *vcpu_regs_get(struct vcpu *v)
{
	int e = ioctl_raw(v->fd, KVM_GET_REGS, &v->regs);
	if (e < 0) {
		runlog_host_error(&v->m->log, "KVM_GET_REGS failed on vCPU %d: %s", v->id,
				  strerror(-e));
		return NULL;
	}
	return &v->regs;
}

static void rec_regs(struct vcpu *v)
{
	const struct kvm_regs *g = vcpu_regs(v);
	struct record r;

	if (!g)
		return;
	vcpu_rec_begin(v, &r, "regs");
	vcpu_rec_rip(v, &r, "rip", g->rip);
	rec_hex(&r, "rflags", g->rflags);
	rec_hex(&r, "rsp", g->rsp);
	rec_hex(&r, "rbp", g->rbp);
	rec_hex(&r, "rax", g->rax);
	rec_hex(&r, "rbx", g->rbx);
	rec_hex(&r, "rcx", g->rcx);
	rec_hex(&r, "rdx", g->rdx);
	rec_hex(&r, "rsi", g->rsi);
	rec_hex(&r, "rdi", g->rdi);
	rec_hex(&r, "r8", g->r8);
	rec_hex(&r, "r9", g->r9);
	rec_hex(&r, "r10", g->r10);
	rec_hex(&r, "r11", g->r11);
	rec_hex(&r, "r12", g->r12);
	rec_hex(&r, "r13", g->r13);
	rec_hex(&r, "r14", g->r14);
	rec_hex(&r, "r15", g->r15);
	vcpu_emit(v, &r);
}

static void fmt_seg(char *buf, size_t n, const struct kvm_segment *s)
{
	snprintf(buf, n,
		 "sel=0x%x,base=0x%llx,limit=0x%x,type=%u,s=%u,dpl=%u,p=%u,db=%u,l=%u,g=%u%s",
		 s->selector, (unsigned long long)s->base, s->limit, s->type, s->s, s->dpl,
		 s->present, s->db, s->l, s->g, s->unusable ? ",unusable" : "");
}

static void rec_sregs(struct vcpu *v)
{
	static const char *const names[] = { "cs", "ds", "es", "fs", "gs", "ss", "tr", "ldt" };
	char seg[8][128];
	struct kvm_sregs s;
	struct record r;
	int e = ioctl_raw(v->fd, KVM_GET_SREGS, &s);

	if (e < 0) {
		runlog_host_error(&v->m->log, "KVM_GET_SREGS failed on vCPU %d: %s", v->id,
				  strerror(-e));
		return;
	}
	vcpu_rec_begin(v, &r, "sregs");
	rec_hex(&r, "cr0", s.cr0);
	rec_hex(&r, "cr2", s.cr2);
	rec_hex(&r, "cr3", s.cr3);
	rec_hex(&r, "cr4", s.cr4);
	rec_hex(&r, "efer", s.efer);
	rec_hex(&r, "gdt_base", s.gdt.base);
	rec_hex(&r, "gdt_limit", s.gdt.limit);
	rec_hex(&r, "idt_base", s.idt.base);
	rec_hex(&r, "idt_limit", s.idt.limit);
	const struct kvm_segment *segs[] = {
		&s.cs, &s.ds, &s.es, &s.fs, &s.gs, &s.ss, &s.tr, &s.ldt
	};
	for (int i = 0; i < 8; i++) {
		fmt_seg(seg[i], sizeof(seg[i]), segs[i]);
		rec_word(&r, names[i], seg[i]);
	}
	vcpu_emit(v, &r);
}

static const char *const mp_state_names[] = {
	[KVM_MP_STATE_RUNNABLE] = "runnable",
	[KVM_MP_STATE_UNINITIALIZED] = "uninitialized",
	[KVM_MP_STATE_INIT_RECEIVED] = "init_received",
	[KVM_MP_STATE_HALTED] = "halted",
	[KVM_MP_STATE_SIPI_RECEIVED] = "sipi_received",
	[KVM_MP_STATE_STOPPED] = "stopped",
	[KVM_MP_STATE_CHECK_STOP] = "check_stop",
	[KVM_MP_STATE_OPERATING] = "operating",
	[KVM_MP_STATE_LOAD] = "load",
	[KVM_MP_STATE_AP_RESET_HOLD] = "ap_reset_hold",
	[KVM_MP_STATE_SUSPENDED] = "suspended",
};

/* With an in-kernel LAPIC, KVM keeps whether the vCPU waits for SIPI or halts. */
static void rec_mp_state(struct vcpu *v)
{
	struct kvm_mp_state mp;
	struct record r;
	int e = ioctl_raw(v->fd, KVM_GET_MP_STATE, &mp);

	if (e < 0) {
		runlog_host_error(&v->m->log, "KVM_GET_MP_STATE failed on vCPU %d: %s", v->id,
				  strerror(-e));
		return;
	}
	vcpu_rec_begin(v, &r, "mp_state");
	rec_u64(&r, "state", mp.mp_state);
	rec_word(&r, "name",
		 mp.mp_state < ARRAY_SIZE(mp_state_names) && mp_state_names[mp.mp_state]
			 ? mp_state_names[mp.mp_state]
			 : "unknown");
	vcpu_emit(v, &r);
}

void vcpu_record_state(struct vcpu *v)
{
	rec_regs(v);
	rec_sregs(v);
	if (v->m->irqchip != MVM_IRQCHIP_NONE)
		rec_mp_state(v);
}
