/* SPDX-License-Identifier: MIT */
/* compat.h - the one place for constants older <linux/kvm.h> headers lack. */
#ifndef MVM_COMPAT_H
#define MVM_COMPAT_H

#include <linux/kvm.h>

#ifndef KVM_EXIT_NOTIFY
#define KVM_EXIT_NOTIFY 37
#endif
#ifndef KVM_EXIT_LOONGARCH_IOCSR
#define KVM_EXIT_LOONGARCH_IOCSR 38
#endif
#ifndef KVM_EXIT_MEMORY_FAULT
#define KVM_EXIT_MEMORY_FAULT 39
#endif
#ifndef KVM_EXIT_TDX
#define KVM_EXIT_TDX 40
#endif
#ifndef KVM_EXIT_ARM_SEA
#define KVM_EXIT_ARM_SEA 41
#endif
/* One past the highest exit reason minivmm has a name for. */
#define MVM_KVM_EXIT_MAX 42

#ifndef KVM_INTERNAL_ERROR_EMULATION_FLAG_INSTRUCTION_BYTES
#define KVM_INTERNAL_ERROR_EMULATION_FLAG_INSTRUCTION_BYTES (1ULL << 0)
#endif

#endif /* MVM_COMPAT_H */
