/* SPDX-License-Identifier: MIT */
/* svm.h - the L1 hypervisor library for AMD SVM (64-bit payloads): VMCB, setup, VMRUN, exits. */
#ifndef MVM_SVM_H
#define MVM_SVM_H

/*
 * Where svm_vmrun.S keeps L2's general registers in struct svm_gprs.
 * RAX and RSP are not there: VMRUN loads and #VMEXIT saves them in the VMCB.
 */
#define SVM_GPR_RBX 0x00
#define SVM_GPR_RCX 0x08
#define SVM_GPR_RDX 0x10
#define SVM_GPR_RSI 0x18
#define SVM_GPR_RDI 0x20
#define SVM_GPR_RBP 0x28
#define SVM_GPR_R8  0x30
#define SVM_GPR_R9  0x38
#define SVM_GPR_R10 0x40
#define SVM_GPR_R11 0x48
#define SVM_GPR_R12 0x50
#define SVM_GPR_R13 0x58
#define SVM_GPR_R14 0x60
#define SVM_GPR_R15 0x68

#ifndef __ASSEMBLER__
#include "nested.h"

/* MSRs and bits (AMD APM vol. 2, chapter 15 and appendix A). */
#define MSR_VM_CR	0xc0010114U
#define MSR_VM_HSAVE_PA 0xc0010117U
#define MSR_PAT		0x00000277U
#define VM_CR_SVMDIS	(1ULL << 4)

/* CPUID 0x80000001 ECX[2] says SVM; leaf 0x8000000A describes it. */
#define CPUID_EXT_SVM		(1U << 2)
#define SVM_FEAT_NP		(1U << 0) /* nested paging */
#define SVM_FEAT_LBRV		(1U << 1)
#define SVM_FEAT_NRIPS		(1U << 3) /* the VMCB's nRIP is written on exits */
#define SVM_FEAT_VMCB_CLEAN	(1U << 5)
#define SVM_FEAT_FLUSH_BY_ASID	(1U << 6)
#define SVM_FEAT_DECODE_ASSISTS (1U << 7)
#define SVM_FEAT_VGIF		(1U << 16) /* virtual GIF */

/* Intercept vector 3 (VMCB 0x00c) and 4 (0x010). */
#define SVM_INTERCEPT3_CPUID	(1U << 18)
#define SVM_INTERCEPT3_HLT	(1U << 24)
#define SVM_INTERCEPT3_IOIO	(1U << 27) /* ports whose IOPM bit is set */
#define SVM_INTERCEPT3_MSR	(1U << 28) /* MSRs whose MSRPM bit is set */
#define SVM_INTERCEPT3_SHUTDOWN (1U << 31)
#define SVM_INTERCEPT4_VMRUN	(1U << 0) /* VMRUN refuses a VMCB without it */
#define SVM_INTERCEPT4_VMMCALL	(1U << 1)

/*
 * EXITCODE values are <asm/svm.h>'s SVM_EXIT_*, which mvm_guest.h includes;
 * SVM_EXIT_ERR (-1) is VMEXIT_INVALID, VMRUN finding the VMCB's state illegal.
 */
#define SVM_EXIT_EXCP(vector) (SVM_EXIT_EXCP_BASE + (vector))

/* IOIO EXITINFO1: what the IN/OUT was; EXITINFO2 holds the RIP after it. */
#define SVM_IOIO_IN	     (1U << 0)
#define SVM_IOIO_STR	     (1U << 2)
#define SVM_IOIO_REP	     (1U << 3)
#define SVM_IOIO_SZ8	     (1U << 4)
#define SVM_IOIO_SZ16	     (1U << 5)
#define SVM_IOIO_SZ32	     (1U << 6)
#define SVM_IOIO_PORT(info1) ((uint16_t)((info1) >> 16))

/* MSR EXITINFO1: 0 for RDMSR, 1 for WRMSR. */
#define SVM_MSR_WRITE 1U

/* NPF EXITINFO1: a #PF error code; EXITINFO2 the guest-physical address. */
#define SVM_NPF_P     (1ULL << 0)
#define SVM_NPF_W     (1ULL << 1)
#define SVM_NPF_U     (1ULL << 2)
#define SVM_NPF_FINAL (1ULL << 32) /* the fault hit the final GPA, not a guest table */
#define SVM_NPF_GPT   (1ULL << 33) /* ... a guest page table */

#define SVM_NP_ENABLE	  (1ULL << 0)
#define SVM_TLB_NOTHING	  0
#define SVM_TLB_FLUSH_ALL 1
#define SVM_IOPM_SIZE	  (3 * 4096) /* a bit per port; accesses running past 0xffff reach page 3 */
#define SVM_MSRPM_SIZE	  (2 * 4096)

/* A segment in the save area: attrib packs descriptor bits 47:40 and 55:52. */
struct vmcb_seg {
	uint16_t selector;
	uint16_t attrib;
	uint32_t limit;
	uint64_t base;
};

/* The control area, VMCB bytes 0x000-0x3ff (APM vol. 2, table B-1). */
struct vmcb_control {
	uint32_t intercept_cr;	/* 15:0 reads of CR0-15, 31:16 writes */
	uint32_t intercept_dr;	/* 15:0 reads of DR0-15, 31:16 writes */
	uint32_t intercept_exc; /* bit n: exception vector n */
	uint32_t intercept3;	/* SVM_INTERCEPT3_* */
	uint32_t intercept4;	/* SVM_INTERCEPT4_* */
	uint32_t intercept5;
	uint8_t reserved_018[0x3c - 0x18];
	uint16_t pause_filter_threshold;
	uint16_t pause_filter_count;
	uint64_t iopm_base_pa;
	uint64_t msrpm_base_pa;
	uint64_t tsc_offset;
	uint32_t asid;
	uint8_t tlb_control;
	uint8_t reserved_05d[3];
	uint32_t int_ctl; /* V_TPR, V_IRQ, V_GIF, V_INTR_MASKING, ... */
	uint32_t int_vector;
	uint64_t int_state; /* bit 0: interrupt shadow */
	uint64_t exit_code;
	uint64_t exit_info1;
	uint64_t exit_info2;
	uint64_t exit_int_info;
	uint64_t np_control; /* SVM_NP_ENABLE */
	uint64_t avic_apic_bar;
	uint64_t ghcb_pa;
	uint64_t event_inj;
	uint64_t n_cr3;
	uint64_t virt_ext; /* LBR virtualization, virtual VMSAVE/VMLOAD */
	uint32_t clean;	   /* VMCB clean bits: 0 = reload everything */
	uint32_t reserved_0c4;
	uint64_t next_rip; /* with NRIPS: the RIP after the intercepted instruction */
	uint8_t insn_len;  /* with decode assists */
	uint8_t insn_bytes[15];
	uint8_t reserved_0e0[0x400 - 0xe0];
};

/* The state save area, VMCB bytes 0x400-0xfff (APM vol. 2, table B-2). */
struct vmcb_save {
	struct vmcb_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr;
	uint8_t reserved_4a0[0x4cb - 0x4a0];
	uint8_t cpl;
	uint32_t reserved_4cc;
	uint64_t efer;
	uint8_t reserved_4d8[0x548 - 0x4d8];
	uint64_t cr4;
	uint64_t cr3;
	uint64_t cr0;
	uint64_t dr7;
	uint64_t dr6;
	uint64_t rflags;
	uint64_t rip;
	uint8_t reserved_580[0x5d8 - 0x580];
	uint64_t rsp;
	uint8_t reserved_5e0[0x5f8 - 0x5e0]; /* S_CET, SSP, ISST_ADDR: no CET here */
	uint64_t rax;
	uint64_t star;
	uint64_t lstar;
	uint64_t cstar;
	uint64_t sfmask;
	uint64_t kernel_gs_base;
	uint64_t sysenter_cs;
	uint64_t sysenter_esp;
	uint64_t sysenter_eip;
	uint64_t cr2;
	uint8_t reserved_648[0x668 - 0x648];
	uint64_t g_pat;
	uint64_t dbgctl;
	uint64_t br_from;
	uint64_t br_to;
	uint64_t last_excp_from;
	uint64_t last_excp_to;
	uint8_t reserved_698[0x1000 - 0x698];
};

struct vmcb {
	struct vmcb_control control;
	struct vmcb_save save;
};

struct svm_gprs {
	uint64_t rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15;
};

/*
 * One L1 hypervisor with one L2 guest. Everything the CPU reads by physical
 * address is page aligned here and the payload runs identity mapped, so a
 * pointer is its own guest-physical address. The payload owns the object
 * (static, in its .bss); svm_setup() fills it.
 */
struct svm {
	struct vmcb vmcb;
	uint8_t hsave[4096]; /* VM_HSAVE_PA: the CPU's, never touched by software */
	uint8_t iopm[SVM_IOPM_SIZE];
	uint8_t msrpm[SVM_MSRPM_SIZE];
	/* Identity nested page tables for the first 4 GiB, 2 MiB pages. */
	uint64_t npt_pml4[512];
	uint64_t npt_pdpt[512];
	uint64_t npt_pd[NESTED_MAP_GIB][512];
	struct svm_gprs gprs;	      /* L2's, between two VMRUNs */
	uint32_t revision;	      /* CPUID 0x8000000A EAX[7:0] */
	uint32_t nasid;		      /* EBX: number of ASIDs */
	uint32_t features;	      /* EDX: SVM_FEAT_* */
	struct mvm_call_l2_exit exit; /* the last exit, as reported to the host */
} __attribute__((aligned(4096)));

/*
 * Checks CPUID for SVM (skips the payload without it), turns on EFER.SVME,
 * sets VM_HSAVE_PA and builds a VMCB for a 64-bit L2 that starts at rip
 * with rsp, shares L1's page tables and the VMM's flat GDT segments, and
 * runs as ASID 1 with VMRUN and SHUTDOWN intercepted.
 */
void svm_setup(struct svm *s, void (*rip)(void), void *rsp);
/* Turns on nested paging with identity tables for the first 4 GiB. */
void svm_npt_init(struct svm *s);
/* Maps or unmaps (a hole: L2 gets an NPF) the 2 MiB of L2 GPA holding gpa. */
void svm_npt_map(struct svm *s, uint64_t gpa, int present);
/* Intercept L2's accesses to one more I/O port, or MSR (its reads, or writes if write). */
void svm_intercept_io(struct svm *s, uint16_t port);
void svm_intercept_msr(struct svm *s, uint32_t msr, int write);
/* One VMRUN; reports the exit to the host (mvm_l2_exit) and returns it (&s->exit). */
const struct mvm_call_l2_exit *svm_run(struct svm *s);
/*
 * One svm_run that must end in exit code want with L2's RIP at rip, as a
 * report either way ("wanted NAME (0xwant) at RIP, got ..."). Returns
 * whether it did.
 */
int svm_expect(struct svm *s, uint64_t want, const char *name, const void *rip);
/*
 * Moves L2's RIP past the instruction that exited: nRIP when NRIPS gives
 * it, else the length of the plain encoding (no prefixes) L2 is known to
 * use. Returns 0 for an exit that is no instruction it knows.
 */
int svm_skip(struct svm *s);

/* svm_vmrun.S: CLGI, VMRUN of the VMCB at vmcb_pa with g loaded, STGI; saves g. */
void svm_vmrun(uint64_t vmcb_pa, struct svm_gprs *g);
#endif /* !__ASSEMBLER__ */

#endif /* MVM_SVM_H */
