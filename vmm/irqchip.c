/* SPDX-License-Identifier: MIT */
/* irqchip.c - owns the interrupt controllers KVM emulates and the lines and MSIs raised on them. */
#include "irqchip.h"

#include <string.h>

#include "minivmm_abi.h"

static const char *const irqchip_names[] = {
	[MVM_IRQCHIP_NONE] = "none",
	[MVM_IRQCHIP_KERNEL] = "kernel",
	[MVM_IRQCHIP_SPLIT] = "split",
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

/* The LAPICs in KVM, the IOAPIC in minivmm (dev_ioapic.c), no PIC or PIT. */
static int create_split(struct kvm_sys *k, int vm_fd, struct errbuf *err)
{
	struct kvm_enable_cap ec = { .cap = KVM_CAP_SPLIT_IRQCHIP, .args = { IOAPIC_PINS } };
	int e;

	if (!kvm_cap(k, KVM_CAP_SPLIT_IRQCHIP)) {
		errbuf_set(err, "this host's KVM lacks KVM_CAP_SPLIT_IRQCHIP (--irqchip split)");
		return MVM_STATUS_HOST;
	}
	e = ioctl_raw(vm_fd, KVM_ENABLE_CAP, &ec);
	if (e < 0) {
		errbuf_set(err, "KVM_ENABLE_CAP(KVM_CAP_SPLIT_IRQCHIP, %d) failed: %s", IOAPIC_PINS,
			   strerror(-e));
		return MVM_STATUS_HOST;
	}
	return 0;
}

int irqchip_create(struct kvm_sys *k, int vm_fd, int kind, bool with_pit, struct errbuf *err)
{
	struct kvm_pit_config pit = { .flags = 0 };
	/* As QEMU's kvm-pit.lost_tick_policy=discard, which KUT asks for. */
	struct kvm_reinject_control reinject = { .pit_reinject = 0 };
	int e;

	if (kind == MVM_IRQCHIP_NONE)
		return 0;
	if (kind == MVM_IRQCHIP_SPLIT)
		return create_split(k, vm_fd, err);
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
	if (!with_pit)
		return 0;
	e = ioctl_raw(vm_fd, KVM_CREATE_PIT2, &pit);
	if (e < 0) {
		errbuf_set(err, "KVM_CREATE_PIT2 failed: %s", strerror(-e));
		return MVM_STATUS_HOST;
	}
	if (!kvm_cap(k, KVM_CAP_REINJECT_CONTROL))
		return 0;
	e = ioctl_raw(vm_fd, KVM_REINJECT_CONTROL, &reinject);
	if (e < 0) {
		errbuf_set(err, "KVM_REINJECT_CONTROL failed: %s", strerror(-e));
		return MVM_STATUS_HOST;
	}
	return 0;
}

/* One 8259 (KVM_IRQCHIP_PIC_MASTER or _SLAVE) initialized with vector base base. */
static int pic_set_base(int vm_fd, uint32_t chip, uint8_t base, struct errbuf *err)
{
	struct kvm_irqchip c = { .chip_id = chip };
	const char *call = "KVM_GET_IRQCHIP";
	int e = ioctl_raw(vm_fd, KVM_GET_IRQCHIP, &c);

	if (e >= 0) {
		call = "KVM_SET_IRQCHIP";
		/* As ICW1-ICW4 leave it: initialized, no IRQ masked, nothing pending. */
		c.chip.pic.irq_base = base;
		c.chip.pic.init_state = 0;
		c.chip.pic.imr = 0;
		c.chip.pic.irr = 0;
		c.chip.pic.isr = 0;
		e = ioctl_raw(vm_fd, KVM_SET_IRQCHIP, &c);
	}
	if (e < 0)
		errbuf_set(err, "%s (PIC %s) failed: %s", call, chip == KVM_IRQCHIP_PIC_MASTER ? "master" : "slave", strerror(-e));
	return e < 0 ? MVM_STATUS_HOST : 0;
}

int irqchip_pc_firmware(int vm_fd, struct errbuf *err)
{
	int r = pic_set_base(vm_fd, KVM_IRQCHIP_PIC_MASTER, 0x08, err);

	return r ? r : pic_set_base(vm_fd, KVM_IRQCHIP_PIC_SLAVE, 0x70, err);
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

int irqchip_set_routes(int vm_fd, const struct ioapic *a)
{
	struct {
		struct kvm_irq_routing r;
		struct kvm_irq_routing_entry e[IOAPIC_PINS];
	} t;

	memset(&t, 0, sizeof(t));
	t.r.nr = IOAPIC_PINS;
	for (unsigned int i = 0; i < IOAPIC_PINS; i++) {
		uint64_t addr;
		uint32_t data;

		ioapic_msi(a, i, &addr, &data);
		t.e[i].gsi = i;
		t.e[i].type = KVM_IRQ_ROUTING_MSI;
		t.e[i].u.msi.address_lo = (uint32_t)addr;
		t.e[i].u.msi.address_hi = (uint32_t)(addr >> 32);
		t.e[i].u.msi.data = data;
	}
	return ioctl_raw(vm_fd, KVM_SET_GSI_ROUTING, &t.r);
}
