/* SPDX-License-Identifier: MIT */
/* nested.c - owns the host's side of nested payloads: the offer check and nested state. */
#include "nested.h"

#include <stdlib.h>
#include <string.h>

#include "minivmm_abi.h"
#include "contrib.h"
#include "host_kvm.h"

bool nested_offered(const struct cpu_features *f, uint32_t flags, struct errbuf *err)
{
	const char *module = host_kvm_module();
	char buf[16];
	const char *nested = host_module_param(module, "nested", buf, sizeof(buf));

	if ((flags & MVM_FLAG_NEEDS_VMX) && !f->vmx) {
		errbuf_set(err, "this host's KVM offers no VMX to guests (CPUID.1:ECX[5] is clear "
				"in KVM_GET_SUPPORTED_CPUID; %s)",
			   host_nested_advice(true, module, nested));
		return false;
	}
	if ((flags & MVM_FLAG_NEEDS_SVM) && !f->svm) {
		errbuf_set(err, "this host's KVM offers no SVM to guests (CPUID.80000001H:ECX[2] "
				"is clear in KVM_GET_SUPPORTED_CPUID; %s)",
			   host_nested_advice(false, module, nested));
		return false;
	}
	return true;
}

struct nested_state {
	uint32_t size; /* KVM_CAP_NESTED_STATE: the buffer each vCPU needs */
};

static int nested_state_open(struct machine *m, void **state, struct errbuf *err)
{
	int max = kvm_cap(&m->kvm, KVM_CAP_NESTED_STATE);
	struct nested_state *ns;

	*state = NULL;
	if (max < (int)sizeof(struct kvm_nested_state)) {
		errbuf_set(err, "this host's KVM lacks KVM_CAP_NESTED_STATE (--nested-state)");
		return MVM_STATUS_HOST;
	}
	if (!(ns = calloc(1, sizeof(*ns)))) {
		errbuf_set(err, "out of memory");
		return MVM_STATUS_HOST;
	}
	ns->size = (uint32_t)max;
	*state = ns;
	return 0;
}

static int nested_state_open_vcpu(void *state, struct vcpu *v, int index, struct errbuf *err)
{
	struct nested_state *ns = state;

	v->contrib[index] = calloc(1, ns->size);
	if (!v->contrib[index]) {
		errbuf_set(err, "out of memory");
		return MVM_STATUS_HOST;
	}
	return 0;
}

static const char *format_name(uint16_t f)
{
	return f == KVM_STATE_NESTED_FORMAT_VMX	  ? "vmx"
	       : f == KVM_STATE_NESTED_FORMAT_SVM ? "svm"
						  : "unknown";
}

/* Only v's own thread or the end may read it: KVM_GET_NESTED_STATE waits for
 * the vCPU to leave KVM_RUN. */
static void nested_state_record(struct nested_state *st, struct vcpu *v,
				struct kvm_nested_state *ns, const char *at, uint64_t id)
{
	struct record r;
	int e;

	memset(ns, 0, st->size);
	ns->size = st->size;
	e = ioctl_raw(v->fd, KVM_GET_NESTED_STATE, ns);
	if (e < 0) {
		runlog_host_error(&v->m->log, "KVM_GET_NESTED_STATE failed on vCPU %d: %s", v->id,
				  strerror(-e));
		return;
	}
	vcpu_rec_begin(v, &r, "nested_state");
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
	vcpu_emit(v, &r);
}

static void nested_state_checkpoint(void *state, struct vcpu *v, int index, uint64_t id)
{
	nested_state_record(state, v, v->contrib[index], "checkpoint", id);
}

static void nested_state_at_end(void *state, struct machine *m, int index)
{
	for (int i = 0; i < m->contribs->nvcpus; i++) {
		struct vcpu *v = &m->contribs->vcpus[i];

		if (v->contrib[index] && m->log.end != END_HOST_ERROR)
			nested_state_record(state, v, v->contrib[index], "end", 0);
	}
}

static void nested_state_close_vcpu(void *state, struct vcpu *v, int index)
{
	(void)state;
	free(v->contrib[index]);
	v->contrib[index] = NULL;
}

static void nested_state_close(void *state, struct machine *m)
{
	(void)m;
	free(state);
}

static bool nested_state_wanted(const struct machine *m)
{
	return m->opt.nested_state;
}

const struct contrib_ops nested_state_contrib = {
	.name = "nested_state",
	.wanted = nested_state_wanted,
	.open = nested_state_open,
	.open_vcpu = nested_state_open_vcpu,
	.checkpoint = nested_state_checkpoint,
	.at_end = nested_state_at_end,
	.close_vcpu = nested_state_close_vcpu,
	.close = nested_state_close,
};
