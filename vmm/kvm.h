/* SPDX-License-Identifier: MIT */
/* kvm.h - /dev/kvm: opening it, capabilities, and the two tiers of ioctl. */
#ifndef MVM_KVM_H
#define MVM_KVM_H

#include <linux/kvm.h>
#include <stdbool.h>

#include "cpu_x86.h"
#include "util.h"

struct kvm_sys {
	int fd;
	int run_size;		  /* KVM_GET_VCPU_MMAP_SIZE */
	struct kvm_cpuid2 *cpuid; /* KVM_GET_SUPPORTED_CPUID */
	struct cpu_features cpu;
	bool sync_regs; /* KVM_CAP_SYNC_REGS has KVM_SYNC_X86_REGS */
	/* The first KVM_CHECK_EXTENSION that failed (not: said 0), and why. */
	long cap_failed;
	int cap_errno;
};

/*
 * Raw tier: returns the ioctl's result, or -errno. Checked tier: on failure
 * prints "minivmm: KVM_X failed: reason (file:line)" and returns -1. The
 * names say which fd an ioctl goes to.
 */
int ioctl_raw(int fd, unsigned long req, void *arg);
int ioctl_checked(int fd, unsigned long req, void *arg, const char *name, const char *file,
		  int line);
#define kvm_ioctl(k, req, arg)	ioctl_checked((k)->fd, req, arg, #req, __FILE__, __LINE__)
#define vm_ioctl(vm, req, arg)	ioctl_checked((vm)->fd, req, arg, #req, __FILE__, __LINE__)
#define vcpu_ioctl(v, req, arg) ioctl_checked((v)->fd, req, arg, #req, __FILE__, __LINE__)

/* Opens /dev/kvm and reads what minivmm needs; err says why not. */
bool kvm_open(struct kvm_sys *k, struct errbuf *err);
void kvm_close(struct kvm_sys *k);
/* KVM_CHECK_EXTENSION on /dev/kvm; 0 when absent, and when the call
 * itself failed, which kvm_cap_check() then reports. */
int kvm_cap(struct kvm_sys *k, long cap);
/* False, with err, if any kvm_cap() call so far failed. */
bool kvm_cap_check(const struct kvm_sys *k, struct errbuf *err);

#endif /* MVM_KVM_H */
