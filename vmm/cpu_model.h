/* SPDX-License-Identifier: MIT */
/*
 * cpu_model.h - the CPUID table each vCPU is given (--cpu): the host's
 * (KVM_GET_SUPPORTED_CPUID as it is) or QEMU's qemu64 model, with +feat,
 * -feat and vendor= edits, and the vCPU's own APIC ID and topology.
 */
#ifndef MVM_CPU_MODEL_H
#define MVM_CPU_MODEL_H

#include <linux/kvm.h>
#include <stdbool.h>
#include <stdint.h>

#include "util.h"

enum cpu_base {
	CPU_HOST,   /* what KVM supports, as it is */
	CPU_QEMU64, /* QEMU's qemu64 under KVM: QEMU's leaves, features KVM offers */
};

#define CPU_MODEL_MAX_EDITS 32
#define CPU_MODEL_SPEC_MAX  160

struct cpu_model {
	enum cpu_base base;
	char vendor[13]; /* vendor=: 12 characters; "" keeps the base's */
	unsigned nedits;
	struct {
		uint16_t feat; /* index into the feature table */
		bool on;       /* +feat (true) or -feat */
	} edit[CPU_MODEL_MAX_EDITS];
	char spec[CPU_MODEL_SPEC_MAX]; /* as given, for the trace header */
};

/* Parses "host" or "qemu64" followed by ",+feat", ",-feat", ",feat=on|off"
 * or ",vendor=XXXXXXXXXXXX"; false with a one-line err. */
bool cpu_model_parse(const char *spec, struct cpu_model *m, struct errbuf *err);

/* The +features of m that host does not offer, one name after another in
 * buf ("" when none): they are left out of the table, as QEMU does. */
void cpu_model_missing(const struct cpu_model *m, const struct kvm_cpuid2 *host, char *buf,
		       size_t cap);

/*
 * Fills out (room for cap entries) with vCPU id's table among n vCPUs:
 * the model's leaves, edited, each feature word limited to what host
 * offers; leaf 1 EBX, leaves 0xb/0x1f and 0x8000001e carry the vCPU's APIC
 * ID. false with err if cap is too small.
 */
bool cpu_model_build(const struct cpu_model *m, const struct kvm_cpuid2 *host, unsigned id,
		     unsigned n, struct kvm_cpuid2 *out, uint32_t cap, struct errbuf *err);

/* The feature table, for --help and tests: name of entry i, NULL past the end. */
const char *cpu_feature_name(unsigned i);

#endif /* MVM_CPU_MODEL_H */
