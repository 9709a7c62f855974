/* SPDX-License-Identifier: MIT */
/* vmx.h - the L1 hypervisor library for Intel VMX: a payload that runs its own 64-bit L2 guest. */
#ifndef MVM_VMX_H
#define MVM_VMX_H

#include "nested.h"

/* ------------------------------------------------------------------------
 * Intel SDM vol. 3, appendix A: VMX capability MSRs.
 * ---------------------------------------------------------------------- */
#define MSR_IA32_FEATURE_CONTROL	  0x3a
#define FEATURE_CONTROL_LOCK		  (1ULL << 0)
#define FEATURE_CONTROL_VMXON_OUTSIDE_SMX (1ULL << 2)
#define MSR_IA32_SYSENTER_CS		  0x174
#define MSR_IA32_SYSENTER_ESP		  0x175
#define MSR_IA32_SYSENTER_EIP		  0x176
#define MSR_FS_BASE			  0xc0000100U
#define MSR_GS_BASE			  0xc0000101U

#define MSR_IA32_VMX_BASIC		 0x480
#define MSR_IA32_VMX_PINBASED_CTLS	 0x481
#define MSR_IA32_VMX_PROCBASED_CTLS	 0x482
#define MSR_IA32_VMX_EXIT_CTLS		 0x483
#define MSR_IA32_VMX_ENTRY_CTLS		 0x484
#define MSR_IA32_VMX_CR0_FIXED0		 0x486
#define MSR_IA32_VMX_CR0_FIXED1		 0x487
#define MSR_IA32_VMX_CR4_FIXED0		 0x488
#define MSR_IA32_VMX_CR4_FIXED1		 0x489
#define MSR_IA32_VMX_PROCBASED_CTLS2	 0x48b
#define MSR_IA32_VMX_EPT_VPID_CAP	 0x48c
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS	 0x48d
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x48e
#define MSR_IA32_VMX_TRUE_EXIT_CTLS	 0x48f
#define MSR_IA32_VMX_TRUE_ENTRY_CTLS	 0x490

#define VMX_BASIC_REVISION_MASK 0x7fffffffULL /* bits 30:0 */
#define VMX_BASIC_TRUE_CTLS	(1ULL << 55)

#define EPT_CAP_WALK_4	 (1ULL << 6)
#define EPT_CAP_UC	 (1ULL << 8)
#define EPT_CAP_WB	 (1ULL << 14)
#define EPT_CAP_2M	 (1ULL << 16)
#define EPT_CAP_INVEPT	 (1ULL << 20)
#define EPT_CAP_AD	 (1ULL << 21) /* accessed and dirty flags */
#define EPT_CAP_INVEPT_1 (1ULL << 25) /* single-context */
#define EPT_CAP_INVEPT_2 (1ULL << 26) /* all-context */

/* ------------------------------------------------------------------------
 * Control bits (SDM vol. 3, 24.6-24.8).
 * ---------------------------------------------------------------------- */
#define PIN_EXTINT_EXITING (1U << 0)
#define PIN_NMI_EXITING	   (1U << 3)

#define CPU_HLT_EXITING	      (1U << 7)
#define CPU_CR3_LOAD_EXITING  (1U << 15)
#define CPU_CR3_STORE_EXITING (1U << 16)
#define CPU_CR8_LOAD_EXITING  (1U << 19)
#define CPU_UNCOND_IO_EXITING (1U << 24)
#define CPU_USE_IO_BITMAPS    (1U << 25)
#define CPU_USE_MSR_BITMAPS   (1U << 28)
#define CPU_SECONDARY	      (1U << 31)

#define CPU2_ENABLE_EPT (1U << 1)
#define CPU2_ENABLE_PML (1U << 17) /* page-modification logging */

#define EPTP_AD (1ULL << 6) /* EPT accessed and dirty flags on */

#define EXIT_HOST_ADDR_SPACE_SIZE (1U << 9)
#define EXIT_LOAD_EFER		  (1U << 21)

#define ENTRY_IA32E_MODE (1U << 9)
#define ENTRY_LOAD_EFER	 (1U << 15)

/* ------------------------------------------------------------------------
 * VMCS field encodings (SDM vol. 3, appendix B).
 * ---------------------------------------------------------------------- */
enum vmcs_field {
	/* 16-bit guest and host state */
	GUEST_ES_SELECTOR = 0x0800,
	GUEST_CS_SELECTOR = 0x0802,
	GUEST_SS_SELECTOR = 0x0804,
	GUEST_DS_SELECTOR = 0x0806,
	GUEST_FS_SELECTOR = 0x0808,
	GUEST_GS_SELECTOR = 0x080a,
	GUEST_LDTR_SELECTOR = 0x080c,
	GUEST_TR_SELECTOR = 0x080e,
	GUEST_PML_INDEX = 0x0812,
	HOST_ES_SELECTOR = 0x0c00,
	HOST_CS_SELECTOR = 0x0c02,
	HOST_SS_SELECTOR = 0x0c04,
	HOST_DS_SELECTOR = 0x0c06,
	HOST_FS_SELECTOR = 0x0c08,
	HOST_GS_SELECTOR = 0x0c0a,
	HOST_TR_SELECTOR = 0x0c0c,
	/* 64-bit controls, read-only data, guest and host state */
	IO_BITMAP_A = 0x2000,
	IO_BITMAP_B = 0x2002,
	MSR_BITMAP = 0x2004,
	PML_ADDRESS = 0x200e,
	TSC_OFFSET = 0x2010,
	EPT_POINTER = 0x201a,
	GUEST_PHYSICAL_ADDRESS = 0x2400,
	VMCS_LINK_POINTER = 0x2800,
	GUEST_IA32_DEBUGCTL = 0x2802,
	GUEST_IA32_EFER = 0x2806,
	HOST_IA32_EFER = 0x2c02,
	/* 32-bit controls */
	PIN_BASED_VM_EXEC_CONTROL = 0x4000,
	CPU_BASED_VM_EXEC_CONTROL = 0x4002,
	EXCEPTION_BITMAP = 0x4004,
	PAGE_FAULT_ERROR_CODE_MASK = 0x4006,
	PAGE_FAULT_ERROR_CODE_MATCH = 0x4008,
	CR3_TARGET_COUNT = 0x400a,
	VM_EXIT_CONTROLS = 0x400c,
	VM_EXIT_MSR_STORE_COUNT = 0x400e,
	VM_EXIT_MSR_LOAD_COUNT = 0x4010,
	VM_ENTRY_CONTROLS = 0x4012,
	VM_ENTRY_MSR_LOAD_COUNT = 0x4014,
	VM_ENTRY_INTR_INFO = 0x4016,
	SECONDARY_VM_EXEC_CONTROL = 0x401e,
	/* 32-bit read-only data */
	VM_INSTRUCTION_ERROR = 0x4400,
	VM_EXIT_REASON = 0x4402,
	VM_EXIT_INTR_INFO = 0x4404,
	VM_EXIT_INTR_ERROR_CODE = 0x4406,
	VM_EXIT_INSTRUCTION_LEN = 0x440c,
	/* 32-bit guest and host state */
	GUEST_ES_LIMIT = 0x4800,
	GUEST_CS_LIMIT = 0x4802,
	GUEST_SS_LIMIT = 0x4804,
	GUEST_DS_LIMIT = 0x4806,
	GUEST_FS_LIMIT = 0x4808,
	GUEST_GS_LIMIT = 0x480a,
	GUEST_LDTR_LIMIT = 0x480c,
	GUEST_TR_LIMIT = 0x480e,
	GUEST_GDTR_LIMIT = 0x4810,
	GUEST_IDTR_LIMIT = 0x4812,
	GUEST_ES_AR = 0x4814,
	GUEST_CS_AR = 0x4816,
	GUEST_SS_AR = 0x4818,
	GUEST_DS_AR = 0x481a,
	GUEST_FS_AR = 0x481c,
	GUEST_GS_AR = 0x481e,
	GUEST_LDTR_AR = 0x4820,
	GUEST_TR_AR = 0x4822,
	GUEST_INTERRUPTIBILITY = 0x4824,
	GUEST_ACTIVITY_STATE = 0x4826,
	GUEST_SYSENTER_CS = 0x482a,
	HOST_IA32_SYSENTER_CS = 0x4c00,
	/* natural-width controls */
	CR0_GUEST_HOST_MASK = 0x6000,
	CR4_GUEST_HOST_MASK = 0x6002,
	CR0_READ_SHADOW = 0x6004,
	CR4_READ_SHADOW = 0x6006,
	/* natural-width read-only data */
	EXIT_QUALIFICATION = 0x6400,
	/* natural-width guest state */
	GUEST_CR0 = 0x6800,
	GUEST_CR3 = 0x6802,
	GUEST_CR4 = 0x6804,
	GUEST_ES_BASE = 0x6806,
	GUEST_CS_BASE = 0x6808,
	GUEST_SS_BASE = 0x680a,
	GUEST_DS_BASE = 0x680c,
	GUEST_FS_BASE = 0x680e,
	GUEST_GS_BASE = 0x6810,
	GUEST_LDTR_BASE = 0x6812,
	GUEST_TR_BASE = 0x6814,
	GUEST_GDTR_BASE = 0x6816,
	GUEST_IDTR_BASE = 0x6818,
	GUEST_DR7 = 0x681a,
	GUEST_RSP = 0x681c,
	GUEST_RIP = 0x681e,
	GUEST_RFLAGS = 0x6820,
	GUEST_PENDING_DBG_EXCEPTIONS = 0x6822,
	GUEST_SYSENTER_ESP = 0x6824,
	GUEST_SYSENTER_EIP = 0x6826,
	/* natural-width host state */
	HOST_CR0 = 0x6c00,
	HOST_CR3 = 0x6c02,
	HOST_CR4 = 0x6c04,
	HOST_FS_BASE = 0x6c06,
	HOST_GS_BASE = 0x6c08,
	HOST_TR_BASE = 0x6c0a,
	HOST_GDTR_BASE = 0x6c0c,
	HOST_IDTR_BASE = 0x6c0e,
	HOST_IA32_SYSENTER_ESP = 0x6c10,
	HOST_IA32_SYSENTER_EIP = 0x6c12,
	HOST_RSP = 0x6c14,
	HOST_RIP = 0x6c16,
};

/* ------------------------------------------------------------------------
 * Exit information. The basic exit reasons (EXIT_REASON_*) and the failed
 * VM-entry bit (VMX_EXIT_REASONS_FAILED_VMENTRY) are <asm/vmx.h>'s, which
 * mvm_guest.h includes.
 * ---------------------------------------------------------------------- */
/* Interruption information: valid, type 3 (hardware exception), vector. */
#define INTR_INFO_VALID	       (1U << 31)
#define INTR_TYPE_HW_EXCEPTION (3U << 8)
#define UD_VECTOR	       6

/* VMX instruction outcomes (SDM vol. 3, 30.2): VMsucceed, VMfailInvalid (CF), VMfailValid (ZF). */
enum vmx_status {
	VMX_SUCCEED = 0,
	VMX_FAIL_INVALID = 1,
	VMX_FAIL_VALID = 2,
};

/* L2's general registers as the exit stub leaves them; rsp lives in the VMCS. */
struct vmx_gprs {
	uint64_t rax, rcx, rdx, rbx, rsp_unused, rbp, rsi, rdi;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

#define PAGE_4K 4096

/* The payload's choices on top of what the library always sets up. */
struct vmx_config {
	uint32_t proc; /* primary processor-based controls wanted */
	uint32_t exception_bitmap;
	int ept;	   /* give L2 an identity EPT map built by L1 */
	uint64_t ept_hole; /* a 4 KiB GPA left out of that map, 0 for none */
};

/*
 * Everything an L1 hypervisor owns, in one block the payload places in its
 * .bss (the pages must be 4 KiB aligned, which the alignment below gives).
 */
struct vmx {
	uint8_t vmxon_region[PAGE_4K];
	uint8_t vmcs[PAGE_4K];
	uint8_t io_bitmap_a[PAGE_4K];
	uint8_t io_bitmap_b[PAGE_4K];
	uint8_t msr_bitmap[PAGE_4K];
	uint64_t ept_pml4[512];
	uint64_t ept_pdpt[512];
	uint64_t ept_pd[NESTED_MAP_GIB][512];
	uint64_t ept_pt[512]; /* the 2 MiB around ept_hole, in 4 KiB pages */

	struct vmx_gprs l2;	      /* L2's registers while L1 runs */
	struct mvm_call_l2_exit exit; /* the last exit, as reported to the host */
	struct vmx_config cfg;
	uint64_t basic, ept_cap, eptp;
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	uint32_t pin, proc, proc2, exit_ctl, entry_ctl; /* the controls as written */
	enum vmx_status status;				/* of the last VMLAUNCH/VMRESUME */
	uint32_t error; /* VM-instruction error of the last VMfailValid */
	int launched;
} __attribute__((aligned(PAGE_4K)));

/* ------------------------------------------------------------------------
 * VMREAD / VMWRITE: a raw tier that returns the outcome, and a checked one
 * that reports a failure with the field and the VM-instruction error, then
 * ends the run.
 * ---------------------------------------------------------------------- */
static inline enum vmx_status vmx_status_of(uint8_t cf, uint8_t zf)
{
	return cf ? VMX_FAIL_INVALID : zf ? VMX_FAIL_VALID : VMX_SUCCEED;
}

/*
 * Every VMREAD and VMWRITE the SDK executes, counted: L0 handles each one
 * that exits (handle_vmread/handle_vmwrite), so with shadow VMCS off the
 * counts are what --kprobe should see (docs/nested.md).
 */
extern uint64_t vmx_vmreads, vmx_vmwrites;

static inline enum vmx_status vmread_raw(uint64_t field, uint64_t *value)
{
	uint8_t cf, zf;

	vmx_vmreads++;
	asm volatile("vmread %[field], %[value]\n\tsetc %[cf]\n\tsetz %[zf]"
		     : [value] "=rm"(*value), [cf] "=qm"(cf), [zf] "=qm"(zf)
		     : [field] "r"(field)
		     : "cc");
	return vmx_status_of(cf, zf);
}

static inline enum vmx_status vmwrite_raw(uint64_t field, uint64_t value)
{
	uint8_t cf, zf;

	vmx_vmwrites++;
	asm volatile("vmwrite %[value], %[field]\n\tsetc %[cf]\n\tsetz %[zf]"
		     : [cf] "=qm"(cf), [zf] "=qm"(zf)
		     : [field] "r"(field), [value] "rm"(value)
		     : "cc", "memory");
	return vmx_status_of(cf, zf);
}

uint64_t vmread(uint64_t field);
void vmwrite(uint64_t field, uint64_t value);

/* The SDM's name for a VM-instruction error number (vol. 3, 30.4). */
const char *vmx_error_name(uint32_t error);
/* "VMfailInvalid", "VMfailValid, error 7 (...)": names an outcome; buf holds at least 128 bytes. */
const char *vmx_status_str(enum vmx_status st, uint32_t error, char *buf, size_t size);

/* ------------------------------------------------------------------------
 * The L1 sequence: vmx_setup (skips when VMX cannot be used), vmx_run for
 * each L2 stretch, vmx_off at the end.
 * ---------------------------------------------------------------------- */
/*
 * Enters VMX operation (VMXON; skips the payload without usable VMX) and
 * builds a VMCS for a 64-bit L2 that starts at rip with rsp, shares L1's
 * page tables, segments and descriptor tables, and runs with the controls
 * cfg asks for on top of what the library always sets (I/O and MSR
 * bitmaps, empty, when the CPU has them).
 */
void vmx_setup(struct vmx *v, void (*rip)(void), void *rsp, const struct vmx_config *cfg);
/* Intercept L2's accesses to one more I/O port, or MSR (its reads, or writes if write). */
void vmx_intercept_io(struct vmx *v, uint16_t port);
void vmx_intercept_msr(struct vmx *v, uint32_t msr, int write);
/*
 * Enters L2 (VMLAUNCH first, VMRESUME once launched) and comes back at its
 * next exit, read into v->exit, reported to the host with mvm_l2_exit()
 * and returned. A failed VMLAUNCH/VMRESUME returns NULL (v->status and
 * v->error say how) and reports nothing: the payload decides whether it
 * expected it.
 */
const struct mvm_call_l2_exit *vmx_run(struct vmx *v);
/*
 * One vmx_run that must end in exit reason want with L2's RIP at rip, as a
 * report either way ("wanted NAME (want) at RIP, got ..."; a failed
 * VMLAUNCH/VMRESUME is reported with its error). Returns whether it did.
 */
int vmx_expect(struct vmx *v, uint32_t want, const char *name, const void *rip);
/* Moves L2's RIP past the instruction of the last exit: n bytes, or the VMCS length for 0. */
void vmx_skip(struct vmx *v, uint32_t n);
/*
 * Maps the EPT hole to the 4 KiB page of L1 at l1_gpa (the hole itself for an
 * identity map, another page to remap it) and invalidates what the CPU may
 * hold for this EPTP.
 */
void vmx_ept_map_hole(struct vmx *v, uint64_t l1_gpa);
void vmx_off(struct vmx *v);

/* The assembly half (vmx_entry.S): resume != 0 selects VMRESUME. */
enum vmx_status vmx_enter(struct vmx_gprs *l2, int resume);
void vmx_exit_stub(void);

#endif /* MVM_VMX_H */
