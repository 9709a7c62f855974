/* SPDX-License-Identifier: MIT */
/* nested.c - owns the host's side of nested payloads: the offer check and nested state. */
#include "nested.h"

#include <stdlib.h>
#include <string.h>

#include "minivmm_abi.h"
#include "vm.h"

bool nested_offered(const struct cpu_features *f, uint32_t flags, struct errbuf *err)
{
	if ((flags & MVM_FLAG_NEEDS_VMX) && !f->vmx) {
		errbuf_set(err, "this host's KVM offers no VMX to guests (CPUID.1:ECX[5] is clear "
				"in KVM_GET_SUPPORTED_CPUID; on Intel, load kvm_intel with nested=1)");
		return false;
	}
	if ((flags & MVM_FLAG_NEEDS_SVM) && !f->svm) {
		errbuf_set(err, "this host's KVM offers no SVM to guests (CPUID.80000001H:ECX[2] "
				"is clear in KVM_GET_SUPPORTED_CPUID; on AMD, load kvm_amd with "
				"nested=1)");
		return false;
	}
	return true;
}

int nested_state_open(struct vm *vm, struct errbuf *err)
{
	int max = kvm_cap(&vm->kvm, KVM_CAP_NESTED_STATE);

	if (max < (int)sizeof(struct kvm_nested_state)) {
		errbuf_set(err, "this host's KVM lacks KVM_CAP_NESTED_STATE (--nested-state)");
		return MVM_STATUS_HOST;
	}
	vm->nested_state = calloc(1, (size_t)max);
	vm->nested_state_size = (uint32_t)max;
	if (!vm->nested_state) {
		errbuf_set(err, "out of memory");
		return MVM_STATUS_HOST;
	}
	return 0;
}

static const char *format_name(uint16_t f)
{
	return f == KVM_STATE_NESTED_FORMAT_VMX ? "vmx"
	       : f == KVM_STATE_NESTED_FORMAT_SVM ? "svm"
						  : "unknown";
}

void nested_state_record(struct vm *vm, const char *at, uint64_t id)
{
	struct kvm_nested_state *ns = vm->nested_state;
	struct record r;

	if (!ns)
		return;
	memset(ns, 0, vm->nested_state_size);
	ns->size = vm->nested_state_size;
	if (vcpu_ioctl(&vm->vcpu, KVM_GET_NESTED_STATE, ns) < 0)
		return;
	vm_rec_begin(vm, &r, "nested_state");
	rec_word(&r, "at", at);
	if (strcmp(at, "checkpoint") == 0)
		rec_u64(&r, "id", id);
	rec_word(&r, "format", format_name(ns->format));
	rec_hex(&r, "flags", ns->flags);
	rec_word(&r, "guest_mode", ns->flags & KVM_STATE_NESTED_GUEST_MODE ? "yes" : "no");
	rec_word(&r, "run_pending", ns->flags & KVM_STATE_NESTED_RUN_PENDING ? "yes" : "no");
	rec_u64(&r, "size", ns->size);
	if (ns->format == KVM_STATE_NESTED_FORMAT_VMX) {
		rec_hex(&r, "vmxon_pa", ns->hdr.vmx.vmxon_pa);
		rec_hex(&r, "vmcs12_pa", ns->hdr.vmx.vmcs12_pa);
		rec_hex(&r, "smm_flags", ns->hdr.vmx.smm.flags);
	} else if (ns->format == KVM_STATE_NESTED_FORMAT_SVM) {
		rec_hex(&r, "vmcb12_pa", ns->hdr.svm.vmcb_pa);
		rec_word(&r, "gif", ns->flags & KVM_STATE_NESTED_GIF_SET ? "set" : "clear");
	}
	vm_rec_emit(vm, &r);
}

void nested_state_close(struct vm *vm)
{
	free(vm->nested_state);
	vm->nested_state = NULL;
}
