/* SPDX-License-Identifier: MIT */
/* cpu_x86.h - pure x86 builders: GDT, identity page tables, start registers. */
#ifndef MVM_CPU_X86_H
#define MVM_CPU_X86_H

#include <linux/kvm.h>
#include <stdbool.h>
#include <stdint.h>

#include "gmem.h"
#include "mvm_x86.h" /* X86_CR0_*, X86_CR4_* from uapi; EFER_*, PTE_* */
#include "util.h"

/* What the guest's CPUID (KVM_GET_SUPPORTED_CPUID) offers. */
struct cpu_features {
	bool pse, pae, lm, la57;
	bool vmx, svm; /* offered to guests: nested virtualization */
	unsigned int maxphyaddr;
	char vendor[13];
};

void cpu_features_from_cpuid(const struct kvm_cpuid2 *cpuid, struct cpu_features *f);
const struct kvm_cpuid_entry2 *cpuid_find(const struct kvm_cpuid2 *cpuid, uint32_t fn,
					  uint32_t index);

/* Writes the GDT and TSS at MVM_GDT_GPA / MVM_TSS_GPA. */
bool cpu_build_gdt(struct gmem *gm, struct errbuf *err);
/* Writes identity page tables for a paging mode at MVM_PT_GPA; sets *cr3. */
bool cpu_build_page_tables(struct gmem *gm, int mode, uint64_t *cr3, struct errbuf *err);
/* Fills segments, control registers and EFER for a start mode. */
void cpu_setup_sregs(int mode, uint64_t cr3, struct kvm_sregs *s);
/* Fills general registers: RIP = entry, stack, RFLAGS. */
void cpu_setup_regs(int mode, uint64_t entry, struct kvm_regs *r);
/* Whether this CPU can start in mode; on false, err says what is missing. */
bool cpu_mode_supported(const struct cpu_features *f, int mode, struct errbuf *err);

/* Walks the guest's page tables as the CPU would; false if not present. */
bool cpu_translate(struct gmem *gm, const struct kvm_sregs *s, uint64_t va, uint64_t *pa);

/*
 * Says which field of s KVM_SET_SREGS would reject and why, mirroring the
 * kernel's kvm_is_valid_sregs(); false when no known rule is broken.
 */
bool cpu_sregs_explain(const struct kvm_sregs *s, const struct cpu_features *f, struct errbuf *why);

#endif /* MVM_CPU_X86_H */
