/* SPDX-License-Identifier: MIT */
/* names.h - the name tables: KVM exits, VMX and SVM exit codes, vectors, modes. */
#ifndef MVM_NAMES_H
#define MVM_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "compat.h"

/* Each returns a static string; unknown values give NULL, never a guess. */
/* Indexed by exit reason; NULL where <linux/kvm.h> defines none. */
extern const char *const kvm_exit_names[MVM_KVM_EXIT_MAX];

/* One past the highest VMX basic exit reason the SDM numbers (WRMSRNS with
 * an immediate, 85); some below it are unassigned. */
#define MVM_VMX_EXIT_MAX 86

/* Inline: every exit is counted under its name. */
static inline const char *kvm_exit_name(uint32_t reason)
{
	return reason < MVM_KVM_EXIT_MAX ? kvm_exit_names[reason] : NULL;
}
const char *kvm_internal_error_name(uint32_t suberror);
const char *vmx_exit_name(uint32_t basic_reason);
const char *svm_exit_name(uint64_t exit_code);
const char *x86_vector_name(uint32_t vector);
const char *mvm_mode_name(int mode);
/* The mode whose name is s, or -1. */
int mvm_mode_from_name(const char *s);

/* Number of entries in the KVM exit-name table (one past the last). */
uint32_t kvm_exit_name_count(void);

#endif /* MVM_NAMES_H */
