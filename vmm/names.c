/* SPDX-License-Identifier: MIT */
/* names.c - owns every name table: one per numbering, designated initializers. */
#include "names.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "compat.h"
#include "minivmm_abi.h"
#include "util.h"

static const char *const kvm_exit_names[MVM_KVM_EXIT_MAX] = {
	[KVM_EXIT_UNKNOWN] = "UNKNOWN",
	[KVM_EXIT_EXCEPTION] = "EXCEPTION",
	[KVM_EXIT_IO] = "IO",
	[KVM_EXIT_HYPERCALL] = "HYPERCALL",
	[KVM_EXIT_DEBUG] = "DEBUG",
	[KVM_EXIT_HLT] = "HLT",
	[KVM_EXIT_MMIO] = "MMIO",
	[KVM_EXIT_IRQ_WINDOW_OPEN] = "IRQ_WINDOW_OPEN",
	[KVM_EXIT_SHUTDOWN] = "SHUTDOWN",
	[KVM_EXIT_FAIL_ENTRY] = "FAIL_ENTRY",
	[KVM_EXIT_INTR] = "INTR",
	[KVM_EXIT_SET_TPR] = "SET_TPR",
	[KVM_EXIT_TPR_ACCESS] = "TPR_ACCESS",
	[KVM_EXIT_S390_SIEIC] = "S390_SIEIC",
	[KVM_EXIT_S390_RESET] = "S390_RESET",
	[KVM_EXIT_DCR] = "DCR",
	[KVM_EXIT_NMI] = "NMI",
	[KVM_EXIT_INTERNAL_ERROR] = "INTERNAL_ERROR",
	[KVM_EXIT_OSI] = "OSI",
	[KVM_EXIT_PAPR_HCALL] = "PAPR_HCALL",
	[KVM_EXIT_S390_UCONTROL] = "S390_UCONTROL",
	[KVM_EXIT_WATCHDOG] = "WATCHDOG",
	[KVM_EXIT_S390_TSCH] = "S390_TSCH",
	[KVM_EXIT_EPR] = "EPR",
	[KVM_EXIT_SYSTEM_EVENT] = "SYSTEM_EVENT",
	[KVM_EXIT_S390_STSI] = "S390_STSI",
	[KVM_EXIT_IOAPIC_EOI] = "IOAPIC_EOI",
	[KVM_EXIT_HYPERV] = "HYPERV",
	[KVM_EXIT_ARM_NISV] = "ARM_NISV",
	[KVM_EXIT_X86_RDMSR] = "X86_RDMSR",
	[KVM_EXIT_X86_WRMSR] = "X86_WRMSR",
	[KVM_EXIT_DIRTY_RING_FULL] = "DIRTY_RING_FULL",
	[KVM_EXIT_AP_RESET_HOLD] = "AP_RESET_HOLD",
	[KVM_EXIT_X86_BUS_LOCK] = "X86_BUS_LOCK",
	[KVM_EXIT_XEN] = "XEN",
	[KVM_EXIT_RISCV_SBI] = "RISCV_SBI",
	[KVM_EXIT_RISCV_CSR] = "RISCV_CSR",
	[KVM_EXIT_NOTIFY] = "NOTIFY",
	[KVM_EXIT_LOONGARCH_IOCSR] = "LOONGARCH_IOCSR",
	[KVM_EXIT_MEMORY_FAULT] = "MEMORY_FAULT",
	[KVM_EXIT_TDX] = "TDX",
	[KVM_EXIT_ARM_SEA] = "ARM_SEA",
};

static const char *const internal_error_names[] = {
	[KVM_INTERNAL_ERROR_EMULATION] = "EMULATION",
	[KVM_INTERNAL_ERROR_SIMUL_EX] = "SIMUL_EX",
	[KVM_INTERNAL_ERROR_DELIVERY_EV] = "DELIVERY_EV",
	[KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON] = "UNEXPECTED_EXIT_REASON",
};

/* Intel SDM vol. 3, appendix C: VMX basic exit reasons. */
static const char *const vmx_exit_names[] = {
	[0] = "EXCEPTION_NMI",
	[1] = "EXTERNAL_INTERRUPT",
	[2] = "TRIPLE_FAULT",
	[3] = "INIT_SIGNAL",
	[4] = "SIPI",
	[5] = "IO_SMI",
	[6] = "OTHER_SMI",
	[7] = "INTERRUPT_WINDOW",
	[8] = "NMI_WINDOW",
	[9] = "TASK_SWITCH",
	[10] = "CPUID",
	[11] = "GETSEC",
	[12] = "HLT",
	[13] = "INVD",
	[14] = "INVLPG",
	[15] = "RDPMC",
	[16] = "RDTSC",
	[17] = "RSM",
	[18] = "VMCALL",
	[19] = "VMCLEAR",
	[20] = "VMLAUNCH",
	[21] = "VMPTRLD",
	[22] = "VMPTRST",
	[23] = "VMREAD",
	[24] = "VMRESUME",
	[25] = "VMWRITE",
	[26] = "VMXOFF",
	[27] = "VMXON",
	[28] = "CR_ACCESS",
	[29] = "DR_ACCESS",
	[30] = "IO_INSTRUCTION",
	[31] = "MSR_READ",
	[32] = "MSR_WRITE",
	[33] = "INVALID_GUEST_STATE",
	[34] = "MSR_LOAD_FAIL",
	[36] = "MWAIT",
	[37] = "MONITOR_TRAP_FLAG",
	[39] = "MONITOR",
	[40] = "PAUSE",
	[41] = "MCE_DURING_VMENTRY",
	[43] = "TPR_BELOW_THRESHOLD",
	[44] = "APIC_ACCESS",
	[45] = "EOI_INDUCED",
	[46] = "GDTR_IDTR",
	[47] = "LDTR_TR",
	[48] = "EPT_VIOLATION",
	[49] = "EPT_MISCONFIG",
	[50] = "INVEPT",
	[51] = "RDTSCP",
	[52] = "PREEMPTION_TIMER",
	[53] = "INVVPID",
	[54] = "WBINVD",
	[55] = "XSETBV",
	[56] = "APIC_WRITE",
	[57] = "RDRAND",
	[58] = "INVPCID",
	[59] = "VMFUNC",
	[60] = "ENCLS",
	[61] = "RDSEED",
	[62] = "PML_FULL",
	[63] = "XSAVES",
	[64] = "XRSTORS",
	[65] = "PCONFIG",
	[66] = "SPP",
	[67] = "UMWAIT",
	[68] = "TPAUSE",
	[69] = "LOADIWKEY",
	[70] = "ENCLV",
	[72] = "ENQCMD_PASID",
	[73] = "ENQCMDS_PASID",
	[74] = "BUS_LOCK",
	[75] = "NOTIFY",
	[76] = "SEAMCALL",
	[77] = "TDCALL",
	[78] = "RDMSRLIST",
	[79] = "WRMSRLIST",
};

/* AMD APM vol. 2, appendix C: SVM exit codes 0x60 and up (below: ranges). */
static const char *const svm_exit_names_60[] = {
	[0x60 - 0x60] = "INTR",	       [0x61 - 0x60] = "NMI",
	[0x62 - 0x60] = "SMI",	       [0x63 - 0x60] = "INIT",
	[0x64 - 0x60] = "VINTR",       [0x65 - 0x60] = "CR0_SEL_WRITE",
	[0x66 - 0x60] = "IDTR_READ",   [0x67 - 0x60] = "GDTR_READ",
	[0x68 - 0x60] = "LDTR_READ",   [0x69 - 0x60] = "TR_READ",
	[0x6a - 0x60] = "IDTR_WRITE",  [0x6b - 0x60] = "GDTR_WRITE",
	[0x6c - 0x60] = "LDTR_WRITE",  [0x6d - 0x60] = "TR_WRITE",
	[0x6e - 0x60] = "RDTSC",       [0x6f - 0x60] = "RDPMC",
	[0x70 - 0x60] = "PUSHF",       [0x71 - 0x60] = "POPF",
	[0x72 - 0x60] = "CPUID",       [0x73 - 0x60] = "RSM",
	[0x74 - 0x60] = "IRET",	       [0x75 - 0x60] = "SWINT",
	[0x76 - 0x60] = "INVD",	       [0x77 - 0x60] = "PAUSE",
	[0x78 - 0x60] = "HLT",	       [0x79 - 0x60] = "INVLPG",
	[0x7a - 0x60] = "INVLPGA",     [0x7b - 0x60] = "IOIO",
	[0x7c - 0x60] = "MSR",	       [0x7d - 0x60] = "TASK_SWITCH",
	[0x7e - 0x60] = "FERR_FREEZE", [0x7f - 0x60] = "SHUTDOWN",
	[0x80 - 0x60] = "VMRUN",       [0x81 - 0x60] = "VMMCALL",
	[0x82 - 0x60] = "VMLOAD",      [0x83 - 0x60] = "VMSAVE",
	[0x84 - 0x60] = "STGI",	       [0x85 - 0x60] = "CLGI",
	[0x86 - 0x60] = "SKINIT",      [0x87 - 0x60] = "RDTSCP",
	[0x88 - 0x60] = "ICEBP",       [0x89 - 0x60] = "WBINVD",
	[0x8a - 0x60] = "MONITOR",     [0x8b - 0x60] = "MWAIT",
	[0x8c - 0x60] = "MWAIT_COND",  [0x8d - 0x60] = "XSETBV",
	[0x8e - 0x60] = "RDPRU",       [0x8f - 0x60] = "EFER_WRITE_TRAP",
	[0xa0 - 0x60] = "INVLPGB",     [0xa1 - 0x60] = "INVLPGB_ILLEGAL",
	[0xa2 - 0x60] = "INVPCID",     [0xa3 - 0x60] = "MCOMMIT",
	[0xa4 - 0x60] = "TLBSYNC",     [0xa5 - 0x60] = "BUSLOCK",
	[0xa6 - 0x60] = "IDLE_HLT",
};

/* Ranges of SVM codes that are one name with a number: CR0_READ ... EXCP31. */
static const struct {
	const char *prefix, *suffix;
} svm_ranged[] = {
	{ "CR", "_READ" },  { "CR", "_WRITE" }, { "DR", "_READ" },
	{ "DR", "_WRITE" }, { "EXCP", "" },	{ "EXCP", "" },
};

static const char *const vector_names[32] = {
	[0] = "#DE",  [1] = "#DB",  [2] = "NMI",  [3] = "#BP",	[4] = "#OF",  [5] = "#BR",
	[6] = "#UD",  [7] = "#NM",  [8] = "#DF",  [9] = "CSO",	[10] = "#TS", [11] = "#NP",
	[12] = "#SS", [13] = "#GP", [14] = "#PF", [16] = "#MF", [17] = "#AC", [18] = "#MC",
	[19] = "#XM", [20] = "#VE", [21] = "#CP", [28] = "#HV", [29] = "#VC", [30] = "#SX",
};

static const char *const mode_names[MVM_MODE_COUNT] = {
	[MVM_MODE_REAL] = "real", [MVM_MODE_PROT32] = "prot32", [MVM_MODE_PAGING32] = "paging32",
	[MVM_MODE_PAE] = "pae",	  [MVM_MODE_LONG] = "long",	[MVM_MODE_LA57] = "la57",
};

#define LOOKUP(table, i) ((uint64_t)(i) < ARRAY_SIZE(table) ? (table)[i] : NULL)

const char *kvm_exit_name(uint32_t reason)
{
	return LOOKUP(kvm_exit_names, reason);
}

uint32_t kvm_exit_name_count(void)
{
	return ARRAY_SIZE(kvm_exit_names);
}

const char *kvm_internal_error_name(uint32_t suberror)
{
	return LOOKUP(internal_error_names, suberror);
}

const char *vmx_exit_name(uint32_t basic_reason)
{
	return LOOKUP(vmx_exit_names, basic_reason);
}

const char *svm_exit_name(uint64_t code)
{
	/* Ranged names are formatted once into this table on first use. */
	static char ranged[0x60][16];

	if (code < 0x60) {
		if (!ranged[code][0])
			snprintf(ranged[code], sizeof(ranged[code]), "%s%u%s",
				 svm_ranged[code / 16].prefix,
				 (unsigned int)(code % (code >= 0x40 ? 32 : 16)),
				 svm_ranged[code / 16].suffix);
		return ranged[code];
	}
	if (code >= 0x90 && code <= 0x9f) {
		static char traps[16][20];

		if (!traps[code - 0x90][0])
			snprintf(traps[code - 0x90], sizeof(traps[0]), "CR%u_WRITE_TRAP",
				 (unsigned int)(code - 0x90));
		return traps[code - 0x90];
	}
	switch (code) {
	case 0x400:
		return "NPF";
	case 0x401:
		return "AVIC_INCOMPLETE_IPI";
	case 0x402:
		return "AVIC_UNACCELERATED_ACCESS";
	case 0x403:
		return "VMGEXIT";
	case (uint64_t)-1:
		return "INVALID";
	case (uint64_t)-2:
		return "BUSY";
	}
	return LOOKUP(svm_exit_names_60, code - 0x60);
}

const char *x86_vector_name(uint32_t vector)
{
	return LOOKUP(vector_names, vector);
}

const char *mvm_mode_name(int mode)
{
	return mode < 0 ? NULL : LOOKUP(mode_names, mode);
}

int mvm_mode_from_name(const char *s)
{
	return name_index(mode_names, ARRAY_SIZE(mode_names), s);
}
