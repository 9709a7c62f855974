/* SPDX-License-Identifier: MIT */
/* irqchip.c - owns the interrupt controllers KVM emulates and the lines and MSIs raised on them. */
#include "irqchip.h"

#include <string.h>

#include "minivmm_abi.h"

static const char *const irqchip_names[] = {
	[MVM_IRQCHIP_NONE] = "none",
	[MVM_IRQCHIP_KERNEL] = "kernel",
};

const char *irqchip_name(int kind)
{
	return kind >= 0 && kind < MVM_IRQCHIP_COUNT ? irqchip_names[kind] : "unknown";
}

bool irqchip_from_name(const char *s, int *kind)
{
	int i = name_index(irqchip_names, ARRAY_SIZE(irqchip_names), s);

	if (i >= 0)
		*kind = i;
	return i >= 0;
}

int irqchip_create(struct kvm_sys *k, int vm_fd, int kind, struct errbuf *err)
{
	struct kvm_pit_config pit = { .flags = 0 };
	int e;

	if (kind == MVM_IRQCHIP_NONE)
		return 0;
	if (!kvm_cap(k, KVM_CAP_IRQCHIP) || !kvm_cap(k, KVM_CAP_PIT2)) {
		errbuf_set(err, "this host's KVM lacks KVM_CAP_IRQCHIP or KVM_CAP_PIT2 "
				"(--irqchip kernel)");
		return MVM_STATUS_HOST;
	}
	e = ioctl_raw(vm_fd, KVM_CREATE_IRQCHIP, NULL);
	if (e < 0) {
		errbuf_set(err, "KVM_CREATE_IRQCHIP failed: %s", strerror(-e));
		return MVM_STATUS_HOST;
	}
	e = ioctl_raw(vm_fd, KVM_CREATE_PIT2, &pit);
	if (e < 0) {
		errbuf_set(err, "KVM_CREATE_PIT2 failed: %s", strerror(-e));
		return MVM_STATUS_HOST;
	}
	return 0;
}

int irqchip_line(int vm_fd, uint32_t gsi, bool level)
{
	struct kvm_irq_level l = { .irq = gsi, .level = level };

	return ioctl_raw(vm_fd, KVM_IRQ_LINE, &l);
}

int irqchip_msi(int vm_fd, uint64_t addr, uint32_t data)
{
	struct kvm_msi m = {
		.address_lo = (uint32_t)addr,
		.address_hi = (uint32_t)(addr >> 32),
		.data = data,
	};

	return ioctl_raw(vm_fd, KVM_SIGNAL_MSI, &m);
}
