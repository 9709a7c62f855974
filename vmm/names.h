/* SPDX-License-Identifier: MIT */
/* names.h - the name tables: KVM exits, VMX and SVM exit codes, vectors, modes. */
#ifndef MVM_NAMES_H
#define MVM_NAMES_H

#include <stdint.h>

/* Each returns a static string; unknown values give NULL, never a guess. */
const char *kvm_exit_name(uint32_t reason);
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
