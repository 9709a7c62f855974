/* SPDX-License-Identifier: MIT */
/* dev_ioapic.h - the split irqchip's IOAPIC as a device: its MMIO, pins and EOI exits. */
#ifndef MVM_DEV_IOAPIC_H
#define MVM_DEV_IOAPIC_H

#include <stdbool.h>

#include "vcpu.h"

/* Input pin goes to level (the test device's IRQ register); 0 or -errno. */
int ioapic_dev_line(struct vcpu *v, unsigned int pin, bool level);
/* KVM_EXIT_IOAPIC_EOI: a level-triggered vector's EOI; pins still
 * asserted are delivered again. */
enum run_action exit_ioapic_eoi(struct vcpu *v);

#endif /* MVM_DEV_IOAPIC_H */
