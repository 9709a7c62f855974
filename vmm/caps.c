/* SPDX-License-Identifier: MIT */
/* caps.c - owns `minivmm caps`: what this host's KVM offers, as text or JSON. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "caps.h"
#include "host_kvm.h"
#include "compat.h"
#include "cpu_x86.h"
#include "kvm.h"
#include "minivmm_abi.h"
#include "names.h"
#include "tracefs.h"

#ifndef KVM_CAP_X86_TRIPLE_FAULT_EVENT
#define KVM_CAP_X86_TRIPLE_FAULT_EVENT 218
#endif

/* The capabilities minivmm uses or reports, in the order it prints them. */
static const struct {
	long cap;
	const char *name;
} caps[] = {
	{ KVM_CAP_USER_MEMORY, "user_memory" },
	{ KVM_CAP_IMMEDIATE_EXIT, "immediate_exit" },
	{ KVM_CAP_SYNC_REGS, "sync_regs" },
	{ KVM_CAP_SET_TSS_ADDR, "set_tss_addr" },
	{ KVM_CAP_SET_IDENTITY_MAP_ADDR, "set_identity_map_addr" },
	{ KVM_CAP_NR_MEMSLOTS, "nr_memslots" },
	{ KVM_CAP_READONLY_MEM, "readonly_mem" },
	{ KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2, "manual_dirty_log_protect2" },
	{ KVM_CAP_DIRTY_LOG_RING, "dirty_log_ring" },
	{ KVM_CAP_DIRTY_LOG_RING_ACQ_REL, "dirty_log_ring_acq_rel" },
	{ KVM_CAP_BINARY_STATS_FD, "binary_stats_fd" },
	{ KVM_CAP_SET_GUEST_DEBUG, "set_guest_debug" },
	{ KVM_CAP_X86_USER_SPACE_MSR, "x86_user_space_msr" },
	{ KVM_CAP_NESTED_STATE, "nested_state" },
	{ KVM_CAP_EXIT_ON_EMULATION_FAILURE, "exit_on_emulation_failure" },
	{ KVM_CAP_X86_TRIPLE_FAULT_EVENT, "x86_triple_fault_event" },
	{ KVM_CAP_IRQCHIP, "irqchip" },
	{ KVM_CAP_SPLIT_IRQCHIP, "split_irqchip" },
	{ KVM_CAP_PIT2, "pit2" },
	{ KVM_CAP_MAX_VCPUS, "max_vcpus" },
	{ KVM_CAP_NR_VCPUS, "nr_vcpus" },
	{ KVM_CAP_TSC_DEADLINE_TIMER, "tsc_deadline_timer" },
	{ KVM_CAP_X2APIC_API, "x2apic_api" },
	{ KVM_CAP_SIGNAL_MSI, "signal_msi" },
};

struct host_view {
	struct kvm_sys k;
	bool vmx, svm;
	bool mode_ok[MVM_MODE_COUNT];
	const char *module, *nested, *tdp, *tracefs, *fep;
	char nested_buf[16], tdp_buf[16], fep_buf[16];
	bool kprobes; /* tracefs has kprobe_events (--kprobe) */
};

/*
 * Whether KVM takes and keeps each start mode's special registers: the
 * same test a run makes (vcpu.c), on a throwaway VM. CPUID alone is not
 * enough: a paravirtual KVM was seen to offer LA57 and refuse CR4.LA57,
 * and to drop CR0.PG outside long mode.
 */
static void probe_modes(struct host_view *h)
{
	int vm = ioctl_raw(h->k.fd, KVM_CREATE_VM, 0), vcpu = -1;

	if (vm >= 0)
		vcpu = ioctl_raw(vm, KVM_CREATE_VCPU, 0);
	if (vcpu >= 0 && ioctl_raw(vcpu, KVM_SET_CPUID2, h->k.cpuid) >= 0) {
		for (int m = 0; m < MVM_MODE_COUNT; m++) {
			struct kvm_sregs s, got;

			if (ioctl_raw(vcpu, KVM_GET_SREGS, &s) < 0)
				break;
			cpu_setup_sregs(m, MVM_PT_GPA, &s);
			h->mode_ok[m] = ioctl_raw(vcpu, KVM_SET_SREGS, &s) >= 0 &&
					ioctl_raw(vcpu, KVM_GET_SREGS, &got) >= 0 &&
					got.cr0 == s.cr0 && got.cr4 == s.cr4 &&
					(got.efer & (EFER_LME | EFER_LMA)) == s.efer;
		}
	}
	if (vcpu >= 0)
		close(vcpu);
	if (vm >= 0)
		close(vm);
}

static void gather(struct host_view *h)
{
	const struct kvm_cpuid_entry2 *e;
	struct errbuf err;
	bool amd;

	e = cpuid_find(h->k.cpuid, 1, 0);
	h->vmx = e && (e->ecx & (1U << 5));
	e = cpuid_find(h->k.cpuid, 0x80000001, 0);
	h->svm = e && (e->ecx & (1U << 2));
	h->module = host_kvm_module();
	amd = strcmp(h->module, "kvm_amd") == 0;
	h->nested = host_module_param(h->module, "nested", h->nested_buf, sizeof(h->nested_buf));
	h->tdp = host_module_param(h->module, amd ? "npt" : "ept", h->tdp_buf, sizeof(h->tdp_buf));
	h->fep = host_module_param("kvm", "force_emulation_prefix", h->fep_buf, sizeof(h->fep_buf));
	h->tracefs = tracefs_root(&err);
	if (h->tracefs) {
		char path[256];

		snprintf(path, sizeof(path), "%s/kprobe_events", h->tracefs);
		h->kprobes = access(path, F_OK) == 0;
	}
	probe_modes(h);
}

static void print_text(struct host_view *h)
{
	printf("kvm api version        %d\n", KVM_API_VERSION);
	printf("cpu vendor             %s\n", h->k.cpu.vendor);
	printf("vendor module          %s\n", h->module);
	printf("nested vmx to guests   %s\n", h->vmx ? "offered" : "not offered");
	printf("nested svm to guests   %s\n", h->svm ? "offered" : "not offered");
	printf("%-22s %s\n", "module nested=", h->nested ? h->nested : "(no such parameter)");
	printf("%-22s %s\n", "ept/npt", h->tdp ? h->tdp : "(no such parameter)");
	printf("%-22s %s\n", "force_emulation_prefix", h->fep ? h->fep : "(no such parameter)");
	printf("tracefs                %s\n", h->tracefs ? h->tracefs : "unavailable");
	printf("kprobe events          %s\n", h->kprobes ? "available (--kprobe)" : "unavailable");
	printf("start modes accepted  ");
	for (int m = 0; m < MVM_MODE_COUNT; m++)
		printf(" %s%s", mvm_mode_name(m), h->mode_ok[m] ? "" : "(refused)");
	printf("\n");
	printf("capabilities:\n");
	for (size_t i = 0; i < ARRAY_SIZE(caps); i++)
		printf("  %-28s %d\n", caps[i].name, kvm_cap(&h->k, caps[i].cap));
}

static void json_str(const char *key, const char *v, const char *sep)
{
	if (v)
		printf("\"%s\":\"%s\"%s", key, v, sep);
	else
		printf("\"%s\":null%s", key, sep);
}

static void print_json(struct host_view *h)
{
	printf("{\"api_version\":%d,", KVM_API_VERSION);
	json_str("cpu_vendor", h->k.cpu.vendor, ",");
	json_str("vendor_module", h->module, ",");
	printf("\"nested\":{\"vmx_offered\":%s,\"svm_offered\":%s,",
	       h->vmx ? "true" : "false", h->svm ? "true" : "false");
	json_str("module_param", h->nested, "},");
	json_str("tdp", h->tdp, ",");
	json_str("force_emulation_prefix", h->fep, ",");
	json_str("tracefs", h->tracefs, ",");
	printf("\"kprobes\":%s,", h->kprobes ? "true" : "false");
	printf("\"start_modes\":{");
	for (int m = 0; m < MVM_MODE_COUNT; m++)
		printf("\"%s\":%s%s", mvm_mode_name(m), h->mode_ok[m] ? "true" : "false",
		       m + 1 < MVM_MODE_COUNT ? "," : "},");
	printf("\"capabilities\":{");
	for (size_t i = 0; i < ARRAY_SIZE(caps); i++)
		printf("\"%s\":%d%s", caps[i].name, kvm_cap(&h->k, caps[i].cap),
		       i + 1 < ARRAY_SIZE(caps) ? "," : "");
	printf("}}\n");
}

int cmd_caps(int argc, char **argv)
{
	struct host_view h;
	struct errbuf err;
	bool json = false;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf("usage: minivmm caps [--json]\n\n"
			       "What this host's KVM offers minivmm: API version, vendor module, "
			       "nested\nsupport, start modes, tracefs and kprobes, and the KVM "
			       "capabilities runs use.\n--json prints the same as one JSON "
			       "object. See minivmm --help.\n");
			return 0;
		} else {
			mvm_err("caps: unknown argument '%s' (caps [--json])", argv[i]);
			return MVM_STATUS_USAGE;
		}
	}
	memset(&h, 0, sizeof(h));
	if (!kvm_open(&h.k, &err)) {
		mvm_err("%s", err.msg);
		kvm_close(&h.k);
		return MVM_STATUS_HOST;
	}
	gather(&h);
	if (json)
		print_json(&h);
	else
		print_text(&h);
	kvm_close(&h.k);
	return 0;
}
