/* SPDX-License-Identifier: MIT */
/* vm.c - owns a VM's life: creation, guest RAM, image, vCPU threads, the run's end. */
#include "vm.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpu_x86.h"
#include "irqchip.h"
#include "minivmm_abi.h"
#include "names.h"
#include "nested.h"
#include "progress.h"

/* Addresses KVM needs for real mode on VMX without unrestricted guest; both
 * lie above the largest RAM and away from the test device. */
#define VMX_TSS_GPA	     0xfffbd000ULL
#define VMX_IDENTITY_MAP_GPA 0xfffbc000ULL

void vm_init(struct vm *vm, const struct run_options *opt)
{
	memset(vm, 0, sizeof(*vm));
	vm->m.kvm.fd = vm->m.fd = -1;
	vm->m.opt = *opt;
	vm->m.pc = opt->pc; /* --machine pc; a Multiboot kernel also sets it */
	vm->m.log.max_exits = opt->max_exits;
	runlog_init(&vm->m.log);
	stop_init(&vm->stop);
	vm->gate.stop = &vm->stop;
}

/* The loaded header tells the guest what the run uses: the command line
 * may have changed its vCPU count or irqchip. */
static void header_says_run(uint8_t *loaded, const struct payload *p)
{
	struct mvm_header h;

	memcpy(&h, loaded, sizeof(h));
	if ((h.vcpus ? h.vcpus : 1U) != p->vcpus)
		h.vcpus = (uint16_t)p->vcpus;
	h.irqchip = (uint8_t)p->irqchip;
	memcpy(loaded, &h, sizeof(h));
}

/* Where mb_layout placed them: the segments, zeroed bss, the module, the boot information. */
static int vm_load_multiboot(struct gmem *gm, const struct payload *p, struct errbuf *err)
{
	uint8_t *info = GMEM_PTR(gm, p->boot.info_gpa, MVM_MB_INFO_SIZE);
	uint8_t *mod = NULL;

	for (unsigned int i = 0; i < p->mb.nseg; i++) {
		const struct mb_segment *s = &p->mb.seg[i];
		uint8_t *dst = GMEM_PTR(gm, s->paddr, s->memsz);

		if (!dst) {
			errbuf_set(err, "kernel segment does not fit: %s (%s)", gm->last_error,
				   gm->last_where);
			return MVM_STATUS_USAGE;
		}
		memcpy(dst, p->data + s->offset, s->filesz);
		memset(dst + s->filesz, 0, s->memsz - s->filesz);
	}
	if (p->boot.initrd_name && !(mod = GMEM_PTR(gm, p->boot.initrd_gpa,
						    p->boot.initrd_size ? p->boot.initrd_size : 1)))
		info = NULL;
	if (!info) {
		errbuf_set(err, "Multiboot information or module does not fit: %s (%s)",
			   gm->last_error, gm->last_where);
		return MVM_STATUS_USAGE;
	}
	if (mod)
		memcpy(mod, p->initrd, p->boot.initrd_size);
	mb_build_info(info, &p->boot);
	return 0;
}

static int vm_load_image(struct vm *vm, const struct payload *p, uint64_t *cr3, struct errbuf *err)
{
	struct gmem *gm = &vm->m.gmem;
	uint8_t *dst;
	int r;

	if (p->multiboot) {
		if ((r = vm_load_multiboot(gm, p, err)))
			return r;
		return cpu_build_gdt(gm, err) ? 0 : MVM_STATUS_USAGE;
	}
	dst = GMEM_PTR(gm, p->load, p->size);
	if (!dst) {
		errbuf_set(err, "payload does not fit: %s (%s)", gm->last_error, gm->last_where);
		return MVM_STATUS_USAGE;
	}
	memcpy(dst, p->data, p->size);
	if (p->has_header)
		header_says_run(dst, p);
	if (p->mode != MVM_MODE_REAL && !cpu_build_gdt(gm, err))
		return MVM_STATUS_USAGE;
	if (!cpu_build_page_tables(gm, p->mode, cr3, err))
		return MVM_STATUS_USAGE;
	return 0;
}

static int vm_set_addr(struct machine *m, unsigned long req, const char *name, void *arg,
		       struct errbuf *err)
{
	int e = ioctl_raw(m->fd, req, arg);

	if (e < 0)
		errbuf_set(err, "%s failed: %s", name, strerror(-e));
	return e < 0 ? MVM_STATUS_HOST : 0;
}

static int vm_create_kvm(struct machine *m, const struct payload *p, struct errbuf *err)
{
	uint64_t idmap = VMX_IDENTITY_MAP_GPA;
	char missing[256];
	int max, r;

	if (!kvm_open(&m->kvm, err))
		return MVM_STATUS_HOST;
	cpu_model_missing(&m->opt.cpu, m->kvm.cpuid, missing, sizeof(missing));
	if (missing[0])
		mvm_err("warning: --cpu: this host's KVM does not offer %s; left out", missing);
	if (!cpu_mode_supported(&m->kvm.cpu, p->mode, err) ||
	    !nested_offered(&m->kvm.cpu, p->flags, err))
		return MVM_SKIP;
	max = kvm_cap(&m->kvm, KVM_CAP_MAX_VCPUS);
	if (max <= 0)
		max = kvm_cap(&m->kvm, KVM_CAP_NR_VCPUS);
	if (max > 0 && m->nvcpus > max) {
		errbuf_set(err,
			   "%d vCPUs asked for; this host's KVM allows at most %d "
			   "(KVM_CAP_MAX_VCPUS)",
			   m->nvcpus, max);
		return MVM_STATUS_HOST;
	}
	m->fd = ioctl_raw(m->kvm.fd, KVM_CREATE_VM, 0);
	if (m->fd < 0) {
		errbuf_set(err, "KVM_CREATE_VM failed: %s", strerror(-m->fd));
		m->fd = -1;
		return MVM_STATUS_HOST;
	}
	if (kvm_cap(&m->kvm, KVM_CAP_SET_TSS_ADDR) &&
	    (r = vm_set_addr(m, KVM_SET_TSS_ADDR, "KVM_SET_TSS_ADDR", (void *)VMX_TSS_GPA, err)))
		return r;
	if (kvm_cap(&m->kvm, KVM_CAP_SET_IDENTITY_MAP_ADDR) &&
	    (r = vm_set_addr(m, KVM_SET_IDENTITY_MAP_ADDR, "KVM_SET_IDENTITY_MAP_ADDR", &idmap,
			     err)))
		return r;
	if (m->opt.no_pit && p->irqchip != MVM_IRQCHIP_KERNEL) {
		errbuf_set(err, "--no-pit: there is a PIT only with --irqchip kernel");
		return MVM_STATUS_USAGE;
	}
	if ((r = irqchip_create(&m->kvm, m->fd, p->irqchip, !m->opt.no_pit, err)))
		return r;
	return kvm_cap_check(&m->kvm, err) ? 0 : MVM_STATUS_HOST;
}

/*
 * Each vCPU gets its thread before the contributors see it (ktrace opens
 * perf events for the thread's tid); the thread waits at the gate. Only
 * the BSP gets the payload's start state: with an in-kernel LAPIC the APs
 * wait for INIT/SIPI, as KVM leaves them. The BSP has it before the
 * contributors see it: KVM_SET_REGS drops the TF that KVM_SET_GUEST_DEBUG
 * set unless RIP is still where it was then (__kvm_set_rflags).
 */
static int vm_create_vcpus(struct vm *vm, const struct payload *p, uint64_t cr3, struct errbuf *err)
{
	struct machine *m = &vm->m;
	int r;

	vm->vcpu = calloc((size_t)m->nvcpus, sizeof(*vm->vcpu));
	m->log.kick = calloc((size_t)m->nvcpus, sizeof(*m->log.kick));
	if (!vm->vcpu || !m->log.kick) {
		errbuf_set(err, "out of memory for %d vCPUs", m->nvcpus);
		return MVM_STATUS_HOST;
	}
	vm->contribs.vcpus = vm->vcpu;
	for (int i = 0; i < m->nvcpus; i++) {
		struct vcpu *v = &vm->vcpu[i];

		v->fd = -1;
		vm->nvcpus_made = vm->contribs.nvcpus = i + 1;
		if ((r = vcpu_create(v, m, i, err)) || (r = run_start_thread(v, &vm->gate, err)))
			return r;
		m->log.kick[i] = (struct kick_target){ v->run, v->thread, true };
		m->log.nkick = i + 1;
		if ((i == 0 && (r = vcpu_init_state(v, p, cr3, err))) ||
		    (r = contribs_open_vcpu(&vm->contribs, v, err)))
			return r;
	}
	return 0;
}

int vm_create(struct vm *vm, const struct payload *p, struct errbuf *err)
{
	struct machine *m = &vm->m;
	uint64_t cr3 = 0;
	int r;

	m->mode = p->mode;
	m->irqchip = p->irqchip;
	m->nvcpus = (int)p->vcpus;
	m->pc = m->pc || p->multiboot;
	if ((r = vm_create_kvm(m, p, err)) ||
	    (r = mem_create(&m->mem, m->fd, &m->gmem, p->mem_size, m->opt.backing, err)) ||
	    (r = contribs_open(&vm->contribs, m, err)) || (r = vm_load_image(vm, p, &cr3, err)) ||
	    (r = vm_create_vcpus(vm, p, cr3, err)))
		return r;
	/* A capability check that failed would have read as "absent". */
	return kvm_cap_check(&m->kvm, err) ? 0 : MVM_STATUS_HOST;
}

/* Threads that never ran (a failed set-up) leave through the gate. */
static void vm_join(struct vm *vm)
{
	if (vm->gate.state == GATE_WAIT)
		run_open_gate(&vm->m.log, &vm->gate, false);
	for (int i = 0; i < vm->nvcpus_made; i++) {
		struct vcpu *v = &vm->vcpu[i];

		if (v->thread_started)
			pthread_join(v->thread, NULL);
		v->thread_started = false;
		vm->m.log.kick[i].live = false;
	}
}

void vm_destroy(struct vm *vm)
{
	struct machine *m = &vm->m;

	vm_join(vm);
	for (int i = 0; i < vm->nvcpus_made; i++) {
		contribs_close_vcpu(&vm->contribs, &vm->vcpu[i]);
		vcpu_destroy(&vm->vcpu[i]);
	}
	contribs_close(&vm->contribs, m);
	free(vm->vcpu);
	vm->vcpu = NULL;
	vm->nvcpus_made = vm->contribs.nvcpus = 0;
	free(m->log.kick);
	m->log.kick = NULL;
	m->log.nkick = 0;
	if (m->fd >= 0)
		close(m->fd);
	m->fd = -1;
	mem_destroy(&m->mem);
	kvm_close(&m->kvm);
	stop_disarm(&vm->stop);
	runlog_destroy(&m->log);
}

/*
 * --wait-attach: the vCPU threads exist and wait at the gate, so their ids
 * are known; the whole process stops until a SIGCONT. The stop signals
 * stay blocked meanwhile: a Ctrl-C while stopped ends the run once it
 * continues, with its trace.
 */
static void wait_attach(struct vm *vm)
{
	char tids[256];
	size_t n = 0;

	tids[0] = '\0';
	for (int i = 0; i < vm->nvcpus_made && n < sizeof(tids) - 16; i++)
		n += (size_t)snprintf(tids + n, sizeof(tids) - n, "%s%d", i ? "," : "",
				      (int)vm->vcpu[i].tid);
	mvm_err("waiting for a tracer: pid %d, vCPU threads %s; stopped before the first "
		"KVM_RUN, continue with: kill -CONT %d",
		(int)getpid(), tids, (int)getpid());
	kill(getpid(), SIGSTOP);
}

int vm_run(struct vm *vm)
{
	struct runlog *log = &vm->m.log;
	struct progress pg;
	struct errbuf err;

	if (vm->m.opt.wait_attach)
		wait_attach(vm);
	if (vm->m.opt.timeout > 0 && !stop_arm(&vm->stop, vm->m.opt.timeout, &err)) {
		runlog_host_error(log, "%s", err.msg);
		run_open_gate(log, &vm->gate, false);
	} else {
		run_open_gate(log, &vm->gate, true);
	}
	progress_start(&pg, (enum progress_mode)vm->m.opt.progress, vm->m.opt.quiet, log);
	stop_wait(&vm->stop, log, &vm->gate.running, pg.on ? progress_tick : NULL, &pg);
	vm_join(vm);
	progress_end(&pg);
	stop_disarm(&vm->stop);
	return vm_finish(vm);
}
