/* SPDX-License-Identifier: MIT */
/* cpu_x86.h - pure x86 builders: GDT, identity page tables, start registers. */
#ifndef MVM_CPU_X86_H
#define MVM_CPU_X86_H

#include <linux/kvm.h>
#include <stdbool.h>
#include <stdint.h>

#include "gmem.h"
#include "util.h"

#define X86_CR0_PE   (1ULL << 0)
#define X86_CR0_ET   (1ULL << 4)
#define X86_CR0_NE   (1ULL << 5)
#define X86_CR0_NW   (1ULL << 29)
#define X86_CR0_CD   (1ULL << 30)
#define X86_CR0_PG   (1ULL << 31)
#define X86_CR4_PSE  (1ULL << 4)
#define X86_CR4_PAE  (1ULL << 5)
#define X86_CR4_LA57 (1ULL << 12)
#define X86_EFER_LME (1ULL << 8)
#define X86_EFER_LMA (1ULL << 10)

#define PTE_P  (1ULL << 0)
#define PTE_RW (1ULL << 1)
#define PTE_A  (1ULL << 5)
#define PTE_D  (1ULL << 6)
#define PTE_PS (1ULL << 7)

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
