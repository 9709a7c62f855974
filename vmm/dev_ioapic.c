/* SPDX-License-Identifier: MIT */
/* dev_ioapic.c - the split irqchip's IOAPIC: MMIO registers, MSI routes, deliveries, EOIs. */
#include "dev_ioapic.h"

#include <string.h>

#include "contrib.h"
#include "exits.h"
#include "irqchip.h"
#include "minivmm_abi.h"

/* Delivers pin as its MSI, and records it; 0 or -errno. */
static int deliver(struct vcpu *v, unsigned int pin, const char *why)
{
	struct ioapic *a = &v->m->ioapic;
	uint64_t addr;
	uint32_t data;
	struct record r;
	int e;

	ioapic_msi(a, pin, &addr, &data);
	e = irqchip_msi(v->m->fd, addr, data);
	if (e < 0)
		return e;
	ioapic_delivered(a, pin);
	vcpu_rec_begin(v, &r, "ioapic_irq");
	rec_u64(&r, "pin", pin);
	rec_word(&r, "why", why);
	rec_u64(&r, "vector", a->redir[pin] & IOAPIC_VECTOR);
	rec_word(&r, "trigger", a->redir[pin] & IOAPIC_LEVEL ? "level" : "edge");
	rec_u64(&r, "dest", a->redir[pin] >> IOAPIC_DEST_SHIFT);
	rec_hex(&r, "msi_addr", addr);
	rec_hex(&r, "msi_data", data);
	rec_word(&r, "delivered", e > 0 ? "yes" : "no");
	vcpu_emit(v, &r);
	return 0;
}

static int deliver_pins(struct vcpu *v, uint32_t pins, const char *why)
{
	for (unsigned int i = 0; i < IOAPIC_PINS; i++) {
		int e = pins & (1U << i) ? deliver(v, i, why) : 0;

		if (e < 0)
			return e;
	}
	return 0;
}

int ioapic_dev_line(struct vcpu *v, unsigned int pin, bool level)
{
	if (pin >= IOAPIC_PINS) {
		vcpu_guest_error(v, "ioapic: no pin %u (it has %d)", pin, IOAPIC_PINS);
		return 0;
	}
	return ioapic_set_line(&v->m->ioapic, pin, level) ? deliver(v, pin, "line") : 0;
}

enum run_action exit_ioapic_eoi(struct vcpu *v)
{
	uint8_t vector = v->run->eoi.vector;
	uint32_t again;
	struct record r;
	int e;

	exit_rec_begin(v, &r);
	rec_u64(&r, "vector", vector);
	vcpu_emit(v, &r);
	if (v->m->irqchip != MVM_IRQCHIP_SPLIT)
		return runlog_host_error(&v->m->log, "KVM_EXIT_IOAPIC_EOI without a split irqchip");
	again = ioapic_eoi(&v->m->ioapic, vector);
	e = deliver_pins(v, again, "eoi");
	if (e < 0)
		return runlog_host_error(&v->m->log, "KVM_SIGNAL_MSI failed: %s", strerror(-e));
	return RUN_CONTINUE;
}

/* IOREGSEL and IOWIN are 32-bit registers; other widths are the guest's mistake. */
static enum run_action ioapic_io(struct vcpu *v, void *dev, struct io_access *a)
{
	struct ioapic *io = dev;
	uint32_t val = 0, changed, now;
	int e;

	if (a->len != 4 || (a->offset != IOAPIC_REGSEL && a->offset != IOAPIC_WIN)) {
		if (!a->is_write)
			memset(a->data, 0, a->len);
		vcpu_guest_error(v, "ioapic: %u-byte %s at +0x%llx: only 32-bit IOREGSEL (+0) and "
				    "IOWIN (+0x10)", a->len, a->is_write ? "write" : "read",
				 (unsigned long long)a->offset);
		return RUN_CONTINUE;
	}
	if (!a->is_write) {
		val = ioapic_read(io, a->offset);
		memcpy(a->data, &val, 4);
		return RUN_CONTINUE;
	}
	memcpy(&val, a->data, 4);
	now = ioapic_write(io, a->offset, val, &changed);
	if (changed && (e = irqchip_set_routes(v->m->fd, io)) < 0)
		return runlog_host_error(&v->m->log, "KVM_SET_GSI_ROUTING failed: %s", strerror(-e));
	if ((e = deliver_pins(v, now, "unmask")) < 0)
		return runlog_host_error(&v->m->log, "KVM_SIGNAL_MSI failed: %s", strerror(-e));
	return RUN_CONTINUE;
}

static int ioapic_open(struct machine *m, void **state, struct errbuf *err)
{
	struct io_range r = { IO_MMIO, IOAPIC_GPA, IOAPIC_SIZE, "ioapic", ioapic_io, &m->ioapic };
	int e;

	*state = NULL;
	ioapic_init(&m->ioapic);
	e = irqchip_set_routes(m->fd, &m->ioapic);
	if (e < 0) {
		errbuf_set(err, "KVM_SET_GSI_ROUTING failed: %s", strerror(-e));
		return MVM_STATUS_HOST;
	}
	return iorange_add(&m->io, &r, err) ? 0 : MVM_STATUS_HOST;
}

/* Only the split irqchip leaves the IOAPIC to minivmm. */
static bool ioapic_wanted(const struct machine *m)
{
	return m->irqchip == MVM_IRQCHIP_SPLIT;
}

const struct contrib_ops ioapic_contrib = {
	.name = "ioapic",
	.wanted = ioapic_wanted,
	.open = ioapic_open,
};
