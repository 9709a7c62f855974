/* SPDX-License-Identifier: MIT */
/* names.c - owns every name table: one per numbering, designated initializers. */
#include "names.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "compat.h"
#include "minivmm_abi.h"
#include "mvm_x86.h"
#include "util.h"

const char *const kvm_exit_names[MVM_KVM_EXIT_MAX] = {
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

/*
 * Intel SDM vol. 3, appendix C: VMX basic exit reasons, indexed by the uapi
 * names. The strings are the SDM's, which traces and golden files print,
 * also where the macro says otherwise (EXIT_REASON_VMON is "VMXON"); 84
 * and 85, which the SDM describes as RDMSR and WRMSRNS with an immediate,
 * take Linux's names.
 */
static const char *const vmx_exit_names[MVM_VMX_EXIT_MAX] = {
	[EXIT_REASON_EXCEPTION_NMI] = "EXCEPTION_NMI",
	[EXIT_REASON_EXTERNAL_INTERRUPT] = "EXTERNAL_INTERRUPT",
	[EXIT_REASON_TRIPLE_FAULT] = "TRIPLE_FAULT",
	[EXIT_REASON_INIT_SIGNAL] = "INIT_SIGNAL",
	[EXIT_REASON_SIPI_SIGNAL] = "SIPI",
	[EXIT_REASON_IO_SMI] = "IO_SMI",
	[EXIT_REASON_OTHER_SMI] = "OTHER_SMI",
	[EXIT_REASON_INTERRUPT_WINDOW] = "INTERRUPT_WINDOW",
	[EXIT_REASON_NMI_WINDOW] = "NMI_WINDOW",
	[EXIT_REASON_TASK_SWITCH] = "TASK_SWITCH",
	[EXIT_REASON_CPUID] = "CPUID",
	[EXIT_REASON_GETSEC] = "GETSEC",
	[EXIT_REASON_HLT] = "HLT",
	[EXIT_REASON_INVD] = "INVD",
	[EXIT_REASON_INVLPG] = "INVLPG",
	[EXIT_REASON_RDPMC] = "RDPMC",
	[EXIT_REASON_RDTSC] = "RDTSC",
	[EXIT_REASON_RSM] = "RSM",
	[EXIT_REASON_VMCALL] = "VMCALL",
	[EXIT_REASON_VMCLEAR] = "VMCLEAR",
	[EXIT_REASON_VMLAUNCH] = "VMLAUNCH",
	[EXIT_REASON_VMPTRLD] = "VMPTRLD",
	[EXIT_REASON_VMPTRST] = "VMPTRST",
	[EXIT_REASON_VMREAD] = "VMREAD",
	[EXIT_REASON_VMRESUME] = "VMRESUME",
	[EXIT_REASON_VMWRITE] = "VMWRITE",
	[EXIT_REASON_VMOFF] = "VMXOFF",
	[EXIT_REASON_VMON] = "VMXON",
	[EXIT_REASON_CR_ACCESS] = "CR_ACCESS",
	[EXIT_REASON_DR_ACCESS] = "DR_ACCESS",
	[EXIT_REASON_IO_INSTRUCTION] = "IO_INSTRUCTION",
	[EXIT_REASON_MSR_READ] = "MSR_READ",
	[EXIT_REASON_MSR_WRITE] = "MSR_WRITE",
	[EXIT_REASON_INVALID_STATE] = "INVALID_GUEST_STATE",
	[EXIT_REASON_MSR_LOAD_FAIL] = "MSR_LOAD_FAIL",
	[EXIT_REASON_MWAIT_INSTRUCTION] = "MWAIT",
	[EXIT_REASON_MONITOR_TRAP_FLAG] = "MONITOR_TRAP_FLAG",
	[EXIT_REASON_MONITOR_INSTRUCTION] = "MONITOR",
	[EXIT_REASON_PAUSE_INSTRUCTION] = "PAUSE",
	[EXIT_REASON_MCE_DURING_VMENTRY] = "MCE_DURING_VMENTRY",
	[EXIT_REASON_TPR_BELOW_THRESHOLD] = "TPR_BELOW_THRESHOLD",
	[EXIT_REASON_APIC_ACCESS] = "APIC_ACCESS",
	[EXIT_REASON_EOI_INDUCED] = "EOI_INDUCED",
	[EXIT_REASON_GDTR_IDTR] = "GDTR_IDTR",
	[EXIT_REASON_LDTR_TR] = "LDTR_TR",
	[EXIT_REASON_EPT_VIOLATION] = "EPT_VIOLATION",
	[EXIT_REASON_EPT_MISCONFIG] = "EPT_MISCONFIG",
	[EXIT_REASON_INVEPT] = "INVEPT",
	[EXIT_REASON_RDTSCP] = "RDTSCP",
	[EXIT_REASON_PREEMPTION_TIMER] = "PREEMPTION_TIMER",
	[EXIT_REASON_INVVPID] = "INVVPID",
	[EXIT_REASON_WBINVD] = "WBINVD",
	[EXIT_REASON_XSETBV] = "XSETBV",
	[EXIT_REASON_APIC_WRITE] = "APIC_WRITE",
	[EXIT_REASON_RDRAND] = "RDRAND",
	[EXIT_REASON_INVPCID] = "INVPCID",
	[EXIT_REASON_VMFUNC] = "VMFUNC",
	[EXIT_REASON_ENCLS] = "ENCLS",
	[EXIT_REASON_RDSEED] = "RDSEED",
	[EXIT_REASON_PML_FULL] = "PML_FULL",
	[EXIT_REASON_XSAVES] = "XSAVES",
	[EXIT_REASON_XRSTORS] = "XRSTORS",
	[EXIT_REASON_PCONFIG] = "PCONFIG",
	[EXIT_REASON_SPP] = "SPP",
	[EXIT_REASON_UMWAIT] = "UMWAIT",
	[EXIT_REASON_TPAUSE] = "TPAUSE",
	[EXIT_REASON_LOADIWKEY] = "LOADIWKEY",
	[EXIT_REASON_ENCLV] = "ENCLV",
	[EXIT_REASON_ENQCMD_PASID] = "ENQCMD_PASID",
	[EXIT_REASON_ENQCMDS_PASID] = "ENQCMDS_PASID",
	[EXIT_REASON_BUS_LOCK] = "BUS_LOCK",
	[EXIT_REASON_NOTIFY] = "NOTIFY",
	[EXIT_REASON_SEAMCALL] = "SEAMCALL",
	[EXIT_REASON_TDCALL] = "TDCALL",
	[EXIT_REASON_RDMSRLIST] = "RDMSRLIST",
	[EXIT_REASON_WRMSRLIST] = "WRMSRLIST",
	[EXIT_REASON_URDMSR] = "URDMSR",
	[EXIT_REASON_UWRMSR] = "UWRMSR",
	[EXIT_REASON_MSR_READ_IMM] = "MSR_READ_IMM",
	[EXIT_REASON_MSR_WRITE_IMM] = "MSR_WRITE_IMM",
};

/*
 * AMD APM vol. 2, appendix C: the SVM exit codes that have a name of their
 * own, from SVM_EXIT_INTR up. Those below it and the CR write traps are a
 * name with a number (svm_ranged); SVM_EXIT_NPF and up have a table of
 * their own, to keep this one short.
 */
static const char *const svm_exit_names[] = {
	[SVM_EXIT_INTR] = "INTR",
	[SVM_EXIT_NMI] = "NMI",
	[SVM_EXIT_SMI] = "SMI",
	[SVM_EXIT_INIT] = "INIT",
	[SVM_EXIT_VINTR] = "VINTR",
	[SVM_EXIT_CR0_SEL_WRITE] = "CR0_SEL_WRITE",
	[SVM_EXIT_IDTR_READ] = "IDTR_READ",
	[SVM_EXIT_GDTR_READ] = "GDTR_READ",
	[SVM_EXIT_LDTR_READ] = "LDTR_READ",
	[SVM_EXIT_TR_READ] = "TR_READ",
	[SVM_EXIT_IDTR_WRITE] = "IDTR_WRITE",
	[SVM_EXIT_GDTR_WRITE] = "GDTR_WRITE",
	[SVM_EXIT_LDTR_WRITE] = "LDTR_WRITE",
	[SVM_EXIT_TR_WRITE] = "TR_WRITE",
	[SVM_EXIT_RDTSC] = "RDTSC",
	[SVM_EXIT_RDPMC] = "RDPMC",
	[SVM_EXIT_PUSHF] = "PUSHF",
	[SVM_EXIT_POPF] = "POPF",
	[SVM_EXIT_CPUID] = "CPUID",
	[SVM_EXIT_RSM] = "RSM",
	[SVM_EXIT_IRET] = "IRET",
	[SVM_EXIT_SWINT] = "SWINT",
	[SVM_EXIT_INVD] = "INVD",
	[SVM_EXIT_PAUSE] = "PAUSE",
	[SVM_EXIT_HLT] = "HLT",
	[SVM_EXIT_INVLPG] = "INVLPG",
	[SVM_EXIT_INVLPGA] = "INVLPGA",
	[SVM_EXIT_IOIO] = "IOIO",
	[SVM_EXIT_MSR] = "MSR",
	[SVM_EXIT_TASK_SWITCH] = "TASK_SWITCH",
	[SVM_EXIT_FERR_FREEZE] = "FERR_FREEZE",
	[SVM_EXIT_SHUTDOWN] = "SHUTDOWN",
	[SVM_EXIT_VMRUN] = "VMRUN",
	[SVM_EXIT_VMMCALL] = "VMMCALL",
	[SVM_EXIT_VMLOAD] = "VMLOAD",
	[SVM_EXIT_VMSAVE] = "VMSAVE",
	[SVM_EXIT_STGI] = "STGI",
	[SVM_EXIT_CLGI] = "CLGI",
	[SVM_EXIT_SKINIT] = "SKINIT",
	[SVM_EXIT_RDTSCP] = "RDTSCP",
	[SVM_EXIT_ICEBP] = "ICEBP",
	[SVM_EXIT_WBINVD] = "WBINVD",
	[SVM_EXIT_MONITOR] = "MONITOR",
	[SVM_EXIT_MWAIT] = "MWAIT",
	[SVM_EXIT_MWAIT_COND] = "MWAIT_COND",
	[SVM_EXIT_XSETBV] = "XSETBV",
	[SVM_EXIT_RDPRU] = "RDPRU",
	[SVM_EXIT_EFER_WRITE_TRAP] = "EFER_WRITE_TRAP",
	[SVM_EXIT_INVLPGB] = "INVLPGB",
	[SVM_EXIT_INVLPGB_ILLEGAL] = "INVLPGB_ILLEGAL",
	[SVM_EXIT_INVPCID] = "INVPCID",
	[SVM_EXIT_MCOMMIT] = "MCOMMIT",
	[SVM_EXIT_TLBSYNC] = "TLBSYNC",
	[SVM_EXIT_BUS_LOCK] = "BUSLOCK",
	[SVM_EXIT_IDLE_HLT] = "IDLE_HLT",
};

static const char *const svm_exit_names_npf[] = {
	[SVM_EXIT_NPF - SVM_EXIT_NPF] = "NPF",
	[SVM_EXIT_AVIC_INCOMPLETE_IPI - SVM_EXIT_NPF] = "AVIC_INCOMPLETE_IPI",
	[SVM_EXIT_AVIC_UNACCELERATED_ACCESS - SVM_EXIT_NPF] = "AVIC_UNACCELERATED_ACCESS",
	[SVM_EXIT_VMGEXIT - SVM_EXIT_NPF] = "VMGEXIT",
};

/*
 * Exit codes below SVM_EXIT_INTR (CR0_READ ... DR15_WRITE, then EXCP0 ...
 * EXCP31) and the CR write traps: a name with a number, spelled out at
 * compile time, not formatted into a table at run time, which several
 * vCPU threads could race on.
 */
#define SVM_N16(p, s)                                                                            \
	p "0" s, p "1" s, p "2" s, p "3" s, p "4" s, p "5" s, p "6" s, p "7" s, p "8" s, p "9" s, \
		p "10" s, p "11" s, p "12" s, p "13" s, p "14" s, p "15" s
#define SVM_N32(p, s)                                                                            \
	SVM_N16(p, s), p "16" s, p "17" s, p "18" s, p "19" s, p "20" s, p "21" s, p "22" s,      \
		p "23" s, p "24" s, p "25" s, p "26" s, p "27" s, p "28" s, p "29" s, p "30" s,   \
		p "31" s

static const char *const svm_ranged[SVM_EXIT_INTR] = {
	SVM_N16("CR", "_READ"), SVM_N16("CR", "_WRITE"), SVM_N16("DR", "_READ"),
	SVM_N16("DR", "_WRITE"), SVM_N32("EXCP", ""),
};

static const char *const svm_traps[SVM_EXIT_CR15_WRITE_TRAP - SVM_EXIT_CR0_WRITE_TRAP + 1] = {
	SVM_N16("CR", "_WRITE_TRAP"),
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
	if (code < SVM_EXIT_INTR)
		return svm_ranged[code];
	if (code >= SVM_EXIT_CR0_WRITE_TRAP && code <= SVM_EXIT_CR15_WRITE_TRAP)
		return svm_traps[code - SVM_EXIT_CR0_WRITE_TRAP];
	switch (code) {
	case (uint64_t)SVM_EXIT_ERR:
		return "INVALID";
	case (uint64_t)SVM_EXIT_BUSY:
		return "BUSY";
	}
	if (code >= SVM_EXIT_NPF)
		return LOOKUP(svm_exit_names_npf, code - SVM_EXIT_NPF);
	return LOOKUP(svm_exit_names, code);
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
