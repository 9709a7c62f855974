/* SPDX-License-Identifier: MIT */
/* irqchip.h - the interrupt controllers: in-kernel PIC/IOAPIC/LAPIC and PIT, lines, MSIs. */
#ifndef MVM_IRQCHIP_H
#define MVM_IRQCHIP_H

#include <stdbool.h>
#include <stdint.h>

#include "ioapic.h"
#include "kvm.h"
#include "util.h"

const char *irqchip_name(int kind);
/* Parses --irqchip: none, kernel, split; false for anything else. */
bool irqchip_from_name(const char *s, int *kind);

/* Creates the controllers of kind (MVM_IRQCHIP_*) on vm_fd, before any
 * vCPU; returns 0, or an exit status with err saying why. */
int irqchip_create(struct kvm_sys *k, int vm_fd, int kind, bool with_pit, struct errbuf *err);
/*
 * The in-kernel PICs as a PC BIOS leaves them: initialized, vector bases
 * 0x08 (IRQ 0-7) and 0x70 (IRQ 8-15), no line masked (--machine pc with
 * --irqchip kernel).
 */
int irqchip_pc_firmware(int vm_fd, struct errbuf *err);
/* Split: KVM_SET_GSI_ROUTING to one MSI route per pin of a, so that KVM
 * knows which vectors are level-triggered IOAPIC ones (their EOIs exit
 * with KVM_EXIT_IOAPIC_EOI); -errno on failure. */
int irqchip_set_routes(int vm_fd, const struct ioapic *a);
/* KVM_IRQ_LINE: sets input line gsi to level; -errno on failure. */
int irqchip_line(int vm_fd, uint32_t gsi, bool level);
/* KVM_SIGNAL_MSI; returns KVM's result (1 delivered, 0 blocked) or -errno. */
int irqchip_msi(int vm_fd, uint64_t addr, uint32_t data);

#endif /* MVM_IRQCHIP_H */
