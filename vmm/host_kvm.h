/* SPDX-License-Identifier: MIT */
/* host_kvm.h - which KVM module this host runs, and its parameters, from /sys/module. */
#ifndef MVM_HOST_KVM_H
#define MVM_HOST_KVM_H

#include <stdbool.h>
#include <stddef.h>

/* The first of kvm_intel, kvm_amd, kvm_pvm that is loaded, else "none". */
const char *host_kvm_module(void);

/* A module parameter as text ("Y", "1", ...) in buf, or NULL when absent. */
const char *host_module_param(const char *module, const char *name, char *buf, size_t n);

/* Whether this host's KVM emulates every guest instruction (kvm_pvm). */
bool host_kvm_emulates_all(void);

/*
 * What can make a nested payload run when this host's KVM offers no
 * VMX (vmx true) or SVM to guests: a sentence fit for a skip message,
 * naming only what can help on a host with module loaded and its nested
 * parameter nested (NULL when it has none). Pure.
 */
const char *host_nested_advice(bool vmx, const char *module, const char *nested);

#endif /* MVM_HOST_KVM_H */
