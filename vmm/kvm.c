/* SPDX-License-Identifier: MIT */
/* kvm.c - owns the /dev/kvm fd, the host's capabilities and supported CPUID. */
#include "kvm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define KVM_DEV		  "/dev/kvm"
#define CPUID_MAX_ENTRIES 256

int ioctl_raw(int fd, unsigned long req, void *arg)
{
	int r = ioctl(fd, req, arg);

	return r < 0 ? -errno : r;
}

int ioctl_checked(int fd, unsigned long req, void *arg, const char *name, const char *file,
		  int line)
{
	int r = ioctl_raw(fd, req, arg);
	const char *base = strrchr(file, '/');

	if (r >= 0)
		return r;
	mvm_err("%s failed: %s (%s:%d)", name, strerror(-r), base ? base + 1 : file, line);
	return -1;
}

int kvm_cap(struct kvm_sys *k, long cap)
{
	int r = ioctl(k->fd, KVM_CHECK_EXTENSION, cap);

	if (r < 0 && !k->cap_errno) {
		k->cap_failed = cap;
		k->cap_errno = errno;
	}
	return r < 0 ? 0 : r;
}

bool kvm_cap_check(const struct kvm_sys *k, struct errbuf *err)
{
	if (!k->cap_errno)
		return true;
	errbuf_set(err, "KVM_CHECK_EXTENSION(%ld) failed: %s", k->cap_failed,
		   strerror(k->cap_errno));
	return false;
}

static bool kvm_read_cpuid(struct kvm_sys *k, struct errbuf *err)
{
	size_t sz = sizeof(struct kvm_cpuid2) + CPUID_MAX_ENTRIES * sizeof(struct kvm_cpuid_entry2);
	int r;

	k->cpuid = calloc(1, sz);
	if (!k->cpuid) {
		errbuf_set(err, "out of memory");
		return false;
	}
	k->cpuid->nent = CPUID_MAX_ENTRIES;
	r = ioctl_raw(k->fd, KVM_GET_SUPPORTED_CPUID, k->cpuid);
	if (r < 0) {
		errbuf_set(err, "KVM_GET_SUPPORTED_CPUID failed: %s", strerror(-r));
		return false;
	}
	cpu_features_from_cpuid(k->cpuid, &k->cpu);
	return true;
}

static const struct {
	long cap;
	const char *name;
} required_caps[] = {
	{ KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY" },
	{ KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID" },
	{ KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT" },
};

bool kvm_open(struct kvm_sys *k, struct errbuf *err)
{
	int v;

	memset(k, 0, sizeof(*k));
	k->fd = open(KVM_DEV, O_RDWR | O_CLOEXEC);
	if (k->fd < 0) {
		int e = errno;

		errbuf_set(err, "cannot open " KVM_DEV ": %s%s", strerror(e),
			   e == ENOENT	 ? " (is the kvm module loaded?)"
			   : e == EACCES ? " (are you in the kvm group?)"
					 : "");
		return false;
	}
	v = ioctl(k->fd, KVM_GET_API_VERSION, 0);
	if (v < 0) {
		errbuf_set(err, "KVM_GET_API_VERSION failed: %s", strerror(errno));
		return false;
	}
	if (v != KVM_API_VERSION) {
		errbuf_set(err, "KVM API version %d, minivmm needs %d", v, KVM_API_VERSION);
		return false;
	}
	for (size_t i = 0; i < ARRAY_SIZE(required_caps); i++) {
		if (!kvm_cap(k, required_caps[i].cap)) {
			if (!kvm_cap_check(k, err))
				return false;
			errbuf_set(err, "this host's KVM lacks %s", required_caps[i].name);
			return false;
		}
	}
	k->run_size = ioctl(k->fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (k->run_size < 0) {
		errbuf_set(err, "KVM_GET_VCPU_MMAP_SIZE failed: %s", strerror(errno));
		return false;
	}
	if (k->run_size < (int)sizeof(struct kvm_run)) {
		errbuf_set(err, "KVM_GET_VCPU_MMAP_SIZE gave %d", k->run_size);
		return false;
	}
	k->sync_regs = kvm_cap(k, KVM_CAP_SYNC_REGS) & KVM_SYNC_X86_REGS;
	return kvm_read_cpuid(k, err);
}

void kvm_close(struct kvm_sys *k)
{
	if (k->fd >= 0)
		close(k->fd);
	free(k->cpuid);
	k->cpuid = NULL;
	k->fd = -1;
}
