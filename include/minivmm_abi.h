/* SPDX-License-Identifier: MIT */
/*
 * minivmm_abi.h - the whole contract between a minivmm guest payload and the
 * host. Compiled by both sides: the VMM (x86-64, hosted) and the guest SDK
 * (freestanding, built with -m16, -m32 or -m64). Every structure therefore
 * uses fixed-width fields laid out so that no compiler inserts padding, and
 * every layout is pinned by a static assertion at the end of this file.
 *
 * Nothing here may be duplicated elsewhere: docs/abi.md explains it, the code
 * includes it.
 */
#ifndef MINIVMM_ABI_H
#define MINIVMM_ABI_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

/* ABI version: bumped on any incompatible change of this file. */
#define MVM_ABI_VERSION 1

/* ------------------------------------------------------------------------
 * Payload header: the first bytes of a payload file.
 *
 * A file whose first four bytes are not MVM_MAGIC is a raw real-mode image,
 * loaded and entered at MVM_RAW_LOAD_GPA.
 * ---------------------------------------------------------------------- */
#define MVM_MAGIC 0x504d564dU /* "MVMP" read as a little-endian u32 */

/* Start modes: what the VMM builds before the first KVM_RUN. */
#define MVM_MODE_REAL     0 /* CR0.PE=0, all segment bases 0 */
#define MVM_MODE_PROT32   1 /* flat 32-bit protected mode, no paging */
#define MVM_MODE_PAGING32 2 /* 32-bit 2-level paging (PSE for >= 4 MiB) */
#define MVM_MODE_PAE      3 /* 32-bit PAE 3-level paging */
#define MVM_MODE_LONG     4 /* 64-bit, 4-level paging */
#define MVM_MODE_LA57     5 /* 64-bit, 5-level paging (CR4.LA57) */
#define MVM_MODE_COUNT    6

/* Header flags; a set unknown bit is rejected. A payload that needs VMX or
 * SVM says so: on a host whose KVM does not offer it to guests the run
 * ends with MVM_SKIP and the reason, before the guest runs. */
#define MVM_FLAG_NEEDS_VMX 0x1U
#define MVM_FLAG_NEEDS_SVM 0x2U
#define MVM_FLAGS_KNOWN	   0x3U

/* Interrupt controllers (header irqchip, --irqchip). Without one, HLT exits
 * to userspace and there is no LAPIC; with the in-kernel one (PIC, IOAPIC,
 * LAPIC from KVM_CREATE_IRQCHIP, PIT from KVM_CREATE_PIT2), HLT stays in the
 * kernel, so a run ends by the exit call. */
#define MVM_IRQCHIP_NONE   0
#define MVM_IRQCHIP_KERNEL 1
/* LAPICs in the kernel, the IOAPIC (0xfec00000, 24 pins) in minivmm, which
 * delivers by MSI; no PIC, no PIT (KVM_CAP_SPLIT_IRQCHIP). */
#define MVM_IRQCHIP_SPLIT  2
#define MVM_IRQCHIP_COUNT  3

#ifndef __ASSEMBLER__
struct mvm_header {
	uint32_t magic;       /* MVM_MAGIC */
	uint16_t abi_version; /* MVM_ABI_VERSION */
	uint8_t mode;         /* MVM_MODE_* */
	uint8_t header_size;  /* sizeof(struct mvm_header) */
	uint32_t flags;       /* MVM_FLAGS_* */
	uint16_t vcpus;       /* vCPUs to create, 0 = 1; more than 1 needs an irqchip */
	uint8_t irqchip;      /* MVM_IRQCHIP_* */
	uint8_t reserved;     /* must be 0 */
	uint64_t load_gpa;    /* where the whole file (header included) goes */
	uint64_t entry_gpa;   /* first instruction executed */
	uint64_t mem_size;    /* guest RAM in bytes, 0 = MVM_DEFAULT_MEM_SIZE */
};
#endif
#define MVM_HEADER_SIZE 40

/* ------------------------------------------------------------------------
 * Guest-physical memory map set up by the VMM (see docs/abi.md).
 * ---------------------------------------------------------------------- */
#define MVM_GDT_GPA        0x1000ULL  /* GDT, then the TSS at +0x800 */
#define MVM_TSS_GPA        0x1800ULL
#define MVM_REAL_STACK_TOP 0x8000ULL  /* real mode: SS=0, SP=0x8000 */
#define MVM_RAW_LOAD_GPA   0x8000ULL  /* raw real-mode images: load = entry */
/* Multiboot kernels: the boot information EBX points at, its module list,
 * memory map and strings (docs/kernels.md); above the AP trampoline and the
 * GDT, below the page tables, 640 KiB and any kernel linked at 1 MiB up. */
#define MVM_MB_INFO_GPA    0x9000ULL
#define MVM_MB_INFO_SIZE   0x7000ULL
#define MVM_PT_GPA         0x10000ULL /* page tables, MVM_PT_PAGES pages */
#define MVM_PT_PAGES       16
#define MVM_STACK_TOP      0x90000ULL /* protected/long mode initial RSP */
#define MVM_STACK_SIZE     0x10000ULL /* kept free below MVM_STACK_TOP */
#define MVM_LOAD_GPA       0x100000ULL /* where the SDK links payloads */
/* Several vCPUs: vCPU i has APIC ID i; vCPU 0 (the BSP) starts the payload,
 * the others (APs) wait for INIT/SIPI as on a PC. The SDK copies its AP
 * start code here and sends SIPI vector MVM_AP_TRAMPOLINE_GPA >> 12; the
 * VMM keeps the page free. */
#define MVM_AP_TRAMPOLINE_GPA 0x3000ULL
#define MVM_DEFAULT_MEM_SIZE (32ULL << 20)
#define MVM_MIN_MEM_SIZE   (1ULL << 20)
#define MVM_MAX_MEM_SIZE   (1ULL << 40)
/* RAM up to MVM_LOW_RAM_MAX is "low" RAM at 0; the rest is "high" RAM at
 * MVM_HIGH_RAM_GPA, above the MMIO hole, as on a PC. */
#define MVM_LOW_RAM_MAX    (3ULL << 30)
#define MVM_HIGH_RAM_GPA   (4ULL << 30)

/* Identity mapping built for paging modes: the first 4 GiB, with 4 KiB
 * pages for the first 2 MiB (4 MiB in paging32) and large pages above. */
#define MVM_IDMAP_LIMIT 0x100000000ULL

/* GDT selectors (the VMM's GDT; guests reuse it for their IDT gates). */
#define MVM_SEL_CODE32 0x08
#define MVM_SEL_DATA   0x10
#define MVM_SEL_CODE64 0x18
#define MVM_SEL_TSS    0x20 /* 16-byte descriptor in long mode */

/* ------------------------------------------------------------------------
 * Devices.
 * ---------------------------------------------------------------------- */
#define MVM_COM1_PORT  0x3f8 /* 8 ports; writes to +0 are console output */
#define MVM_COM1_PORTS 8

/*
 * Test device: three 64-bit registers with deterministic contents, in MMIO
 * at MVM_TESTDEV_MMIO_GPA and mirrored in port space at MVM_TESTDEV_PORT.
 * Accesses of any size at any offset act on the bytes they cover.
 */
#define MVM_TESTDEV_MMIO_GPA 0xd0000000ULL
#define MVM_TESTDEV_MMIO_SIZE 0x1000ULL
#define MVM_TESTDEV_PORT     0x0e00
#define MVM_TESTDEV_PORTS    0x30
#define MVM_TESTDEV_REG_ID      0x00 /* read-only: MVM_TESTDEV_ID */
#define MVM_TESTDEV_REG_SCRATCH 0x08 /* read/write, reset 0 */
#define MVM_TESTDEV_REG_COUNTER 0x10 /* +1 after every read access */
/*
 * Interrupt registers (write-only, read 0; need an irqchip, else a guest
 * error). A write that covers a register's byte 0 acts, with the register's
 * value after the write: IRQ sets IOAPIC/PIC input line bits 0-7 to level
 * bit 8 (KVM_IRQ_LINE: assert with 1, deassert with 0); MSI_DATA sends one
 * MSI (KVM_SIGNAL_MSI) of address MSI_ADDR and that data.
 */
#define MVM_TESTDEV_REG_IRQ      0x18
#define MVM_TESTDEV_REG_MSI_ADDR 0x20
#define MVM_TESTDEV_REG_MSI_DATA 0x28
#define MVM_TESTDEV_IRQ_LEVEL    0x100
#define MVM_TESTDEV_REGS_SIZE   0x30
#define MVM_TESTDEV_ID 0x31564544544d564dULL /* "MVMTDEV1" in memory */

/*
 * PC devices, present only with --machine pc (or a Multiboot kernel): the
 * ports and addresses kvm-unit-tests' x86 binaries expect (docs/kernels.md).
 */
#define MVM_PC_DEBUG_EXIT_PORT 0xf4 /* 4 ports, any width: ends the run */
#define MVM_PC_FW_CFG_PORT     0x510 /* +0: 16-bit selector, +1: data bytes */
#define MVM_PC_FW_CFG_SIGNATURE 0x00 /* "QEMU" */
#define MVM_PC_FW_CFG_RAM_SIZE  0x03 /* 8 bytes: guest RAM */
#define MVM_PC_FW_CFG_NB_CPUS   0x05 /* 2 bytes: vCPUs */
#define MVM_PC_FW_CFG_MAX_RAM   0x11 /* 8 bytes: 0, no limit */
#define MVM_PC_TESTDEV_PORT    0xe0 /* 4 ports: 32-bit scratch */
#define MVM_PC_FLUSH_PAGE_PORT 0xe4 /* 32-bit write: a guest page to flush */
#define MVM_PC_IRQ_PORT        0x2000 /* +n, n < MVM_PC_IRQ_LINES: IRQ line n */
#define MVM_PC_IRQ_LINES       24
#define MVM_PC_IOMEM_GPA       0xff000000ULL /* RAM-like MMIO window */
#define MVM_PC_IOMEM_SIZE      0x10000ULL
#define MVM_PC_PM_TIMER_PORT   0x608 /* 32-bit read: 24-bit 3.579545 MHz counter */
#define MVM_PC_PCI_ADDR_PORT   0xcf8 /* configuration mechanism #1 */
#define MVM_PC_PCI_DATA_PORT   0xcfc
/* ACPI tables (RSDP, RSDT, FADT, FACS) the VMM writes into low RAM at start. */
#define MVM_PC_ACPI_GPA        0xe0000ULL
#define MVM_PC_ACPI_SIZE       0x200ULL

/* A guest-physical address no memory slot and no device claims: an access
 * gives a KVM_EXIT_MMIO that the VMM records as unclaimed (reads: all ones). */
#define MVM_UNBACKED_GPA 0xc0000000ULL

/* ------------------------------------------------------------------------
 * Memory slots. Their ids are KVM slot numbers and the guest's names for
 * them in MVM_CALL_MEM.
 * ---------------------------------------------------------------------- */
#define MVM_SLOT_LOW  0 /* RAM at 0, up to MVM_LOW_RAM_MAX */
#define MVM_SLOT_HIGH 1 /* RAM above 4 GiB, when --mem is larger */
#define MVM_SLOT_TEST 2 /* a RAM slot for experiments, always present */
#define MVM_SLOT_ROM  3 /* read-only (KVM_MEM_READONLY), always present */
#define MVM_SLOT_COUNT 4

#define MVM_TEST_SLOT_GPA  0xe0000000ULL
#define MVM_TEST_SLOT_SIZE 0x1000000ULL /* 16 MiB */
#define MVM_ROM_SLOT_GPA   0xf0000000ULL
#define MVM_ROM_SLOT_SIZE  0x10000ULL /* 64 KiB; each 8-byte word holds its GPA */

/* ------------------------------------------------------------------------
 * Calls from guest to host ("hypercalls" by port I/O).
 *
 * A call is a 32-bit OUT to port MVM_CALL_PORT + call number. The value
 * written is the guest-physical address of the call's argument block (which
 * must lie in guest RAM, below 4 GiB). The host checks every address and
 * length it is given; a bad one is recorded as a guest error.
 * ---------------------------------------------------------------------- */
#define MVM_CALL_PORT 0x0500
#define MVM_CALL_PRINT      0 /* struct mvm_call_print */
#define MVM_CALL_REPORT     1 /* struct mvm_call_report */
#define MVM_CALL_CHECKPOINT 2 /* struct mvm_call_checkpoint */
#define MVM_CALL_EXIT       3 /* struct mvm_call_exit */
#define MVM_CALL_EXCEPTION  4 /* struct mvm_call_exception */
#define MVM_CALL_MEM        5 /* struct mvm_call_mem */
#define MVM_CALL_L2_EXIT    6 /* struct mvm_call_l2_exit */
#define MVM_CALL_COUNT      7
#define MVM_CALL_PORTS      16 /* ports reserved for calls */

/* Verdicts: also minivmm's exit status. */
#define MVM_PASS 0
#define MVM_FAIL 1
#define MVM_SKIP 77

#define MVM_MSG_MAX 4096 /* longest string a call may pass */

#ifndef __ASSEMBLER__
struct mvm_call_print {
	uint64_t gpa; /* bytes to print */
	uint64_t len;
};

struct mvm_call_report {
	uint64_t msg_gpa; /* what was checked */
	uint64_t msg_len;
	uint32_t pass; /* 1 pass, 0 fail */
	uint32_t reserved;
};

struct mvm_call_checkpoint {
	uint64_t id; /* numbered marker; later records attach to it */
	uint64_t label_gpa; /* optional label, 0 for none */
	uint64_t label_len;
};

struct mvm_call_exit {
	uint32_t verdict; /* MVM_PASS, MVM_FAIL or MVM_SKIP */
	uint32_t reserved;
	uint64_t msg_gpa; /* reason, e.g. why a skip; 0 for none */
	uint64_t msg_len;
};

/* An exception taken by the guest, as its IDT handler saw it. */
struct mvm_call_exception {
	uint64_t vector;
	uint64_t error_code; /* 0 when the vector pushes none */
	uint64_t rip;
	uint64_t cr2;
	uint32_t expected; /* 1: the payload provoked it on purpose */
	uint32_t reserved;
};

/* Memory operations a guest may ask for (struct mvm_call_mem.op). */
#define MVM_MEM_LOG_START 0 /* start dirty logging on the slot */
#define MVM_MEM_LOG_STOP  1 /* stop it (the pending pages are recorded first) */
#define MVM_MEM_READONLY  2 /* make the slot read-only (delete, add back read-only) */
#define MVM_MEM_WRITABLE  3 /* make it writable again */
#define MVM_MEM_DELETE    4 /* delete the slot: its range becomes unbacked */
#define MVM_MEM_RESTORE   5 /* add a deleted slot back at its base */
#define MVM_MEM_MOVE      6 /* move the slot to gpa (KVM_MR_MOVE) */
#define MVM_MEM_OP_COUNT  7

struct mvm_call_mem {
	uint32_t op;   /* MVM_MEM_* */
	uint32_t slot; /* MVM_SLOT_* */
	uint64_t gpa;  /* MVM_MEM_MOVE: the new base, 2 MiB aligned */
};

/* An exit of a guest run by the payload itself (the payload is L1, its
 * guest L2), as L1 read it from its VMCS or VMCB. */
#define MVM_ISA_VMX 1
#define MVM_ISA_SVM 2

struct mvm_call_l2_exit {
	uint64_t reason;    /* VMX: the 32-bit exit reason (bit 31: entry failed);
			       SVM: EXITCODE (VMEXIT_INVALID is ~0) */
	uint64_t info1;	    /* VMX: exit qualification; SVM: EXITINFO1 */
	uint64_t info2;	    /* VMX: guest-physical address; SVM: EXITINFO2 */
	uint64_t guest_rip; /* L2's RIP at the exit */
	uint64_t insn_len;  /* VMX: VM-exit instruction length; SVM: next_rip - rip
			       when NRIPS gives it, else 0 */
	uint64_t intr_info; /* VMX: VM-exit interruption info; SVM: EXITINTINFO */
	uint32_t isa;	    /* MVM_ISA_VMX or MVM_ISA_SVM */
	uint32_t level;	    /* the guest that exited: 2 */
};

#define MVM_ABI_ASSERT(c, m) _Static_assert(c, m)
MVM_ABI_ASSERT(sizeof(struct mvm_header) == MVM_HEADER_SIZE, "mvm_header");
MVM_ABI_ASSERT(sizeof(struct mvm_call_print) == 16, "mvm_call_print");
MVM_ABI_ASSERT(sizeof(struct mvm_call_report) == 24, "mvm_call_report");
MVM_ABI_ASSERT(sizeof(struct mvm_call_checkpoint) == 24, "mvm_call_checkpoint");
MVM_ABI_ASSERT(sizeof(struct mvm_call_exit) == 24, "mvm_call_exit");
MVM_ABI_ASSERT(sizeof(struct mvm_call_exception) == 40, "mvm_call_exception");
MVM_ABI_ASSERT(sizeof(struct mvm_call_mem) == 16, "mvm_call_mem");
MVM_ABI_ASSERT(sizeof(struct mvm_call_l2_exit) == 56, "mvm_call_l2_exit");
#endif /* !__ASSEMBLER__ */

#endif /* MINIVMM_ABI_H */
