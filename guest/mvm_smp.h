/* SPDX-License-Identifier: MIT */
/* mvm_smp.h - starting the APs (INIT/SIPI), running work on them, and atomic counters. */
#ifndef MVM_SMP_H
#define MVM_SMP_H

#include "mvm_irq.h"

/* CPUs the SDK can run: vCPU i has APIC ID i, so IDs 0 to MVM_SMP_MAX_CPUS - 1. */
#define MVM_SMP_MAX_CPUS 16

/*
 * The number of vCPUs: the payload header's vcpus field (0 reads as 1),
 * capped at MVM_SMP_MAX_CPUS. The guest cannot ask the host how many vCPUs
 * it made, so a payload run with --vcpus other than its header's still
 * starts its header's count: the extra APs stay waiting for SIPI, and the
 * missing ones are not online (mvm_smp_start() says how many came).
 */
unsigned int mvm_smp_cpus(void);

/*
 * On the BSP: loads the 256-entry IDT (mvm_irq_init()), software-enables the
 * LAPIC, copies the AP start code to MVM_AP_TRAMPOLINE_GPA and, one AP at a
 * time in APIC ID order, sends INIT and SIPI (vector MVM_AP_TRAMPOLINE_GPA
 * >> 12, a second SIPI if the first did not start it) and waits for it. Each
 * AP goes real -> protected -> long mode on the BSP's GDT, CR3, CR4 and
 * EFER, takes its own stack from the SDK's .bss, loads the IDT,
 * software-enables its LAPIC and waits, interrupts enabled, in HLT for work.
 * Returns the number of CPUs online, the BSP included; a second call only
 * returns it.
 */
unsigned int mvm_smp_start(void);
unsigned int mvm_smp_online(void); /* CPUs online, the BSP included */
int mvm_cpu_online(uint32_t apic_id);

/*
 * Work on APs: fn(arg) runs with interrupts enabled, on its AP's stack; the
 * BSP waits until it has returned (and ends the run with MVM_FAIL if it
 * does not within a generous timeout). mvm_on_cpu() takes an APIC ID and
 * returns -1 for one not online; mvm_on_each_ap() runs fn on every AP
 * online at once. An AP is woken by a fixed IPI on MVM_VEC_SMP_KICK.
 */
typedef void (*mvm_cpu_fn)(void *arg);
int mvm_on_cpu(uint32_t apic_id, mvm_cpu_fn fn, void *arg);
void mvm_on_each_ap(mvm_cpu_fn fn, void *arg);

/* Atomic counters shared between CPUs: lock-prefixed, and compiler barriers. */
static inline uint32_t atomic_fetch_add32(volatile uint32_t *p, uint32_t v)
{
	asm volatile("lock xaddl %0, %1" : "+r"(v), "+m"(*p) : : "memory");
	return v;
}

static inline void atomic_inc32(volatile uint32_t *p)
{
	asm volatile("lock incl %0" : "+m"(*p) : : "memory");
}

static inline uint32_t atomic_read32(const volatile uint32_t *p)
{
	return *p;
}

static inline void atomic_set32(volatile uint32_t *p, uint32_t v)
{
	asm volatile("xchgl %0, %1" : "+r"(v), "+m"(*p) : : "memory");
}

#endif /* MVM_SMP_H */
