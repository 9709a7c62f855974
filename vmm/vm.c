/* SPDX-License-Identifier: MIT */
/* vm.c - owns a VM's life: creation, guest RAM, image loading, run-state events. */
#include "vm.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cpu_x86.h"
#include "irqchip.h"
#include "minivmm_abi.h"
#include "names.h"

/* Addresses KVM needs for real mode on VMX without unrestricted guest; both
 * lie above the largest RAM and away from the test device. */
#define VMX_TSS_GPA	     0xfffbd000ULL
#define VMX_IDENTITY_MAP_GPA 0xfffbc000ULL

static int vm_load_image(struct vm *vm, const struct payload *p, uint64_t *cr3, struct errbuf *err)
{
	uint8_t *dst = GMEM_PTR(&vm->gmem, p->load, p->size);

	if (!dst) {
		errbuf_set(err, "payload does not fit: %s (%s)", vm->gmem.last_error,
			   vm->gmem.last_where);
		return MVM_STATUS_USAGE;
	}
	memcpy(dst, p->data, p->size);
	if (p->mode != MVM_MODE_REAL && !cpu_build_gdt(&vm->gmem, err))
		return MVM_STATUS_USAGE;
	if (!cpu_build_page_tables(&vm->gmem, p->mode, cr3, err))
		return MVM_STATUS_USAGE;
	return 0;
}

static int vm_register_devices(struct vm *vm, struct errbuf *err)
{
	if (!console_register(vm, err) || !testdev_register(vm, err) || !calls_register(vm, err))
		return MVM_STATUS_HOST;
	return 0;
}

static int vm_create_kvm(struct vm *vm, const struct payload *p, struct errbuf *err)
{
	if (!kvm_open(&vm->kvm, err))
		return MVM_STATUS_HOST;
	if (!cpu_mode_supported(&vm->kvm.cpu, p->mode, err) ||
	    !nested_offered(&vm->kvm.cpu, p->flags, err))
		return MVM_SKIP;
	vm->fd = kvm_ioctl(&vm->kvm, KVM_CREATE_VM, 0);
	if (vm->fd < 0) {
		errbuf_set(err, "KVM_CREATE_VM failed");
		return MVM_STATUS_HOST;
	}
	if (kvm_cap(&vm->kvm, KVM_CAP_SET_TSS_ADDR) &&
	    vm_ioctl(vm, KVM_SET_TSS_ADDR, (void *)VMX_TSS_GPA) < 0) {
		errbuf_set(err, "KVM_SET_TSS_ADDR failed");
		return MVM_STATUS_HOST;
	}
	if (kvm_cap(&vm->kvm, KVM_CAP_SET_IDENTITY_MAP_ADDR)) {
		uint64_t addr = VMX_IDENTITY_MAP_GPA;

		if (vm_ioctl(vm, KVM_SET_IDENTITY_MAP_ADDR, &addr) < 0) {
			errbuf_set(err, "KVM_SET_IDENTITY_MAP_ADDR failed");
			return MVM_STATUS_HOST;
		}
	}
	return irqchip_create(&vm->kvm, vm->fd, p->irqchip, err);
}

/* --stats, --ktrace and --marker, once the vCPU exists (stats fds, thread). */
static int vm_open_kernel_view(struct vm *vm, struct errbuf *err)
{
	int r;

	if (vm->opt.stats && (r = stats_open(vm, err)))
		return r;
	if (vm->opt.ktrace && (r = ktrace_open(vm, vm->opt.ktrace, err)))
		return r;
	if (vm->opt.marker && (r = marker_open(vm, err)))
		return r;
	if (vm->opt.nested_state && (r = nested_state_open(vm, err)))
		return r;
	return 0;
}

int vm_create(struct vm *vm, const struct payload *p, const struct run_options *opt,
	      struct errbuf *err)
{
	uint64_t cr3 = 0;
	int r;

	vm->kvm.fd = vm->fd = vm->vcpu.fd = vm->marker_fd = -1;
	vm->opt = *opt;
	vm->mode = p->mode;
	vm->irqchip = p->irqchip;
	if ((r = vm_create_kvm(vm, p, err)) || (r = mem_create(vm, p->mem_size, opt->backing, err)) ||
	    (r = dirty_init(vm, opt->dirty, opt->dirty_ring_bytes, err)) ||
	    (r = vm_load_image(vm, p, &cr3, err)) || (r = vcpu_create(vm, err)) ||
	    (r = dirty_init_vcpu(vm, err)) ||
	    (r = vcpu_init_state(vm, p, cr3, err)) || (r = vm_register_devices(vm, err)))
		return r;
	return vm_open_kernel_view(vm, err);
}

void vm_destroy(struct vm *vm)
{
	stats_close(vm);
	ktrace_close(vm);
	marker_close(vm);
	nested_state_close(vm);
	dirty_destroy(vm);
	vcpu_destroy(&vm->vcpu);
	if (vm->fd >= 0)
		close(vm->fd);
	vm->fd = -1;
	mem_destroy(&vm->mem);
	kvm_close(&vm->kvm);
}

void vm_rec_begin(struct vm *vm, struct record *r, const char *kind)
{
	rec_begin(r, vm->seq, vm->vcpu.id, kind);
}

void vm_rec_emit(struct vm *vm, struct record *r)
{
	recorder_emit(&vm->rec, r);
}

void vm_echo(struct vm *vm, const char *fmt, ...)
{
	va_list ap;

	if (!vm->echo)
		return;
	va_start(ap, fmt);
	vfprintf(vm->echo, fmt, ap);
	va_end(ap);
}

void vm_guest_error(struct vm *vm, const char *fmt, ...)
{
	char msg[256];
	struct record r;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vm->guest_errors++;
	vm_rec_begin(vm, &r, "guest_error");
	rec_cstr(&r, "msg", msg);
	vm_rec_emit(vm, &r);
	vm_echo(vm, "guest error: %s\n", msg);
}

enum run_action vm_end(struct vm *vm, enum end_reason why, int verdict, const char *detail)
{
	if (vm->end == END_NONE) {
		vm->end = why;
		vm->verdict = verdict;
		vm->end_detail = detail;
	}
	return RUN_STOP;
}

void vm_checkpoint(struct vm *vm, uint64_t id, const char *label, size_t label_len)
{
	struct record r;

	vm_rec_begin(vm, &r, "checkpoint");
	rec_u64(&r, "id", id);
	if (label)
		rec_str(&r, "label", label, label_len);
	vm_rec_emit(vm, &r);
	dirty_record_all(vm, "checkpoint", id);
	stats_record(vm, "checkpoint", id);
	nested_state_record(vm, "checkpoint", id);
	vm_marker(vm, "minivmm: checkpoint %llu\n", (unsigned long long)id);
}
