/* SPDX-License-Identifier: MIT */
/* exit_text_svm.c - owns the text of the SVM exit codes (AMD APM vol. 2, appendix C). */
#include "exit_text.h"
#include "mvm_x86.h"

/*
 * In our own words, from the APM's descriptions of the intercepts and of
 * EXITINFO1/EXITINFO2, and from Linux's arch/x86/kvm/svm/ (the handlers of
 * svm_exit_handlers[] of 6.18).
 */

#define SVM "arch/x86/kvm/svm/svm.c"
#define X86 "arch/x86/kvm/x86.c"

#define NONE(why) "None in svm_exit_handlers[]: " why
#define NO_INFO	  "EXITINFO1 and EXITINFO2: 0."

#define ROW(code, ...)                                 \
	{                                              \
		(code), (code), EXIT_TEXT(__VA_ARGS__) \
	}
#define RANGE(first, last, ...)                         \
	{                                               \
		(first), (last), EXIT_TEXT(__VA_ARGS__) \
	}

/* The descriptor-table intercepts: KVM sets none of them. */
#define DESC(code, insn, reg)                                                                   \
	ROW(code, "The guest executed " insn " with its intercept on.",                         \
	    "The intercepts of the instructions that store and load " reg " let a "             \
	    "hypervisor hide or emulate the descriptor tables (to emulate UMIP, for example). " \
	    "KVM does not set them for its guests; an L1 may, for its L2.",                     \
	    NO_INFO " The operand must be decoded from the instruction.",                       \
	    NONE("KVM never sets this intercept; for L2, L1's intercept decides."), NULL)

const struct exit_text_row exit_text_svm[] = {
	/* Single codes first: an exception with a payload of its own. */
	ROW(SVM_EXIT_EXCP_BASE + 6, "A #UD in the guest, which the hypervisor intercepts.",
	    "Exception 6, invalid opcode, exits when bit 6 of the exception intercepts is set. "
	    "KVM always sets it for its own guests, so that it can emulate instructions the "
	    "processor refuses (VMCALL on AMD, for example). In a nested guest the #UD is "
	    "L0's first; L0 gives it to L1 when L1 intercepts #UD too.",
	    NO_INFO " (#UD pushes no error code.)",
	    "ud_interception (" SVM ") -> handle_ud: tries the instruction emulator, and "
	    "queues #UD for the guest when it cannot help (a ud2). For L2, "
	    "svm_check_nested_events then turns that #UD into this exit for L1.",
	    "guest_svm_except.bin"),
	ROW(SVM_EXIT_EXCP_BASE + 14, "A #PF in the guest, which the hypervisor intercepts.",
	    "Exception 14, page fault, exits when bit 14 of the exception intercepts is set. "
	    "KVM sets it only without nested paging, when it shadows the guest's page tables "
	    "and must see every fault; an L1 may set it for its L2 either way.",
	    "EXITINFO1: the page-fault error code (bit 0 present, bit 1 write, bit 2 user, "
	    "bit 3 reserved bit, bit 4 instruction fetch).\n"
	    "EXITINFO2: the faulting linear address, what CR2 would get.",
	    "pf_interception (" SVM ") -> kvm_handle_page_fault, the shadow MMU's fault path. "
	    "For L2, L1's exception intercepts decide whether L1 gets it.",
	    "guest_svm_paging.bin"),
	/* The named codes. */
	ROW(SVM_EXIT_INTR, "A physical interrupt arrived while the guest ran.",
	    "With the INTR intercept, a physical interrupt (a device's, a timer's, an IPI) makes "
	    "the processor leave the guest with the interrupt still pending; the host takes "
	    "it once it enables interrupts after the exit. KVM always sets the intercept, so "
	    "that the host gets its own interrupts while a vCPU runs: these exits are "
	    "frequent and never reach userspace.",
	    NO_INFO,
	    "intr_interception (" SVM ") only counts it. For L2, an interrupt for L1 becomes "
	    "this exit to L1 (svm_check_nested_events) when L1 intercepts INTR.",
	    "guest_svm_intr.bin"),
	ROW(SVM_EXIT_NMI, "A physical NMI arrived while the guest ran.",
	    "With the NMI intercept, a non-maskable interrupt makes the processor leave the "
	    "guest; the host's NMI handler runs after the exit. KVM always sets it.",
	    NO_INFO, "nmi_interception (" SVM ") only resumes.", NULL),
	ROW(SVM_EXIT_SMI, "A system-management interrupt arrived while the guest ran.",
	    "With the SMI intercept, an SMI for the physical processor makes it leave the guest, "
	    "so that the firmware's SMM handler runs outside the guest. KVM sets it.",
	    NO_INFO, "smi_interception (" SVM ") only resumes.", NULL),
	ROW(SVM_EXIT_INIT, "An INIT signal arrived while the guest ran.",
	    "With the INIT intercept, an INIT for the processor makes it leave the guest instead "
	    "of resetting it. KVM emulates INIT for its vCPUs in its local APIC; L1 may "
	    "intercept INIT for its L2.",
	    NO_INFO,
	    NONE("recent kernels have no entry for it (older ones skipped it as a NOP); for "
		 "L2, svm_check_nested_events makes this exit for L1 when an INIT is pending "
		 "and L1 intercepts it."),
	    NULL),
	ROW(SVM_EXIT_VINTR, "The guest can take the virtual interrupt the hypervisor queued.",
	    "SVM has no interrupt-window exit as such: to learn when the guest can take an "
	    "interrupt, KVM queues a virtual interrupt request (V_IRQ) and intercepts VINTR. "
	    "The exit comes when the guest would take it (RFLAGS.IF set, no interrupt "
	    "shadow), and KVM injects the real interrupt.",
	    NO_INFO,
	    "interrupt_window_interception (" SVM "): clears the request and lets the next "
	    "entry inject; with a userspace interrupt controller that asked for the window, "
	    "KVM_EXIT_IRQ_WINDOW_OPEN.",
	    NULL),
	ROW(SVM_EXIT_CR0_SEL_WRITE, "The guest wrote CR0 and changed a bit other than TS or MP.",
	    "The selective CR0-write intercept catches writes to CR0 (MOV, LMSW, CLTS) that "
	    "change a bit other than CR0.TS and CR0.MP, leaving the frequent TS changes of "
	    "lazy FPU switching alone.",
	    "EXITINFO1: with decode assists, bit 63 set for a MOV to CR0 and bits 3:0 its "
	    "general-purpose register. EXITINFO2: 0.",
	    "cr_interception (" SVM "), as for the CR writes.", NULL),
	DESC(SVM_EXIT_IDTR_READ, "SIDT", "IDTR"),
	DESC(SVM_EXIT_GDTR_READ, "SGDT", "GDTR"),
	DESC(SVM_EXIT_LDTR_READ, "SLDT", "LDTR"),
	DESC(SVM_EXIT_TR_READ, "STR", "TR"),
	DESC(SVM_EXIT_IDTR_WRITE, "LIDT", "IDTR"),
	DESC(SVM_EXIT_GDTR_WRITE, "LGDT", "GDTR"),
	DESC(SVM_EXIT_LDTR_WRITE, "LLDT", "LDTR"),
	DESC(SVM_EXIT_TR_WRITE, "LTR", "TR"),
	ROW(SVM_EXIT_RDTSC, "The guest executed RDTSC with its intercept on.",
	    "The RDTSC intercept lets a hypervisor make up the TSC entirely. KVM does not set "
	    "it: the TSC offset (and ratio) in the VMCB let RDTSC run without an exit.",
	    NO_INFO, NONE("KVM never sets it; for L2, L1's intercept decides."), NULL),
	ROW(SVM_EXIT_RDPMC, "The guest read a performance counter with RDPMC.",
	    "KVM virtualizes the PMU and intercepts RDPMC, which reads the counter ECX selects, "
	    "unless the counters are passed through.",
	    NO_INFO " The counter index is the guest's ECX.",
	    "kvm_emulate_rdpmc (" X86 ") -> kvm_pmu_rdpmc.", NULL),
	ROW(SVM_EXIT_PUSHF, "The guest executed PUSHF with its intercept on.",
	    "The PUSHF and POPF intercepts let a hypervisor hide or emulate EFLAGS bits (such "
	    "as IF, in a guest that runs with interrupts virtualized by software). KVM does "
	    "not set them.",
	    NO_INFO, NONE("KVM never sets it."), NULL),
	ROW(SVM_EXIT_POPF, "The guest executed POPF with its intercept on.",
	    "As PUSHF: the intercept lets a hypervisor catch EFLAGS changes. KVM does not set "
	    "it.",
	    NO_INFO, NONE("KVM never sets it."), NULL),
	ROW(SVM_EXIT_CPUID, "The guest executed CPUID.",
	    "KVM always intercepts CPUID, so that it decides which processor the guest sees: it "
	    "answers from the CPUID entries userspace gave it with KVM_SET_CPUID2 (minivmm's "
	    "--cpu).",
	    NO_INFO " The leaf and subleaf are the guest's EAX and ECX.",
	    "kvm_emulate_cpuid (arch/x86/kvm/cpuid.c). For L2, L1 gets it when it intercepts "
	    "CPUID.",
	    "guest_svm_basic.bin"),
	ROW(SVM_EXIT_RSM, "The guest executed RSM with its intercept on.",
	    "RSM returns from system-management mode. KVM emulates SMM for guests with SMM "
	    "firmware and intercepts RSM to carry it out.",
	    NO_INFO,
	    "rsm_interception (" SVM "): runs RSM in the instruction emulator "
	    "(emulator_leave_smm).",
	    NULL),
	ROW(SVM_EXIT_IRET, "The guest executed IRET while the hypervisor waits for an NMI to end.",
	    "SVM has no NMI-window exit. After it injects an NMI, KVM intercepts IRET to learn "
	    "when the guest's NMI handler is done and NMIs are unblocked again (unless the "
	    "processor has virtual NMIs).",
	    NO_INFO,
	    "iret_interception (" SVM "): stops intercepting IRET and lets the next entry "
	    "deliver a pending NMI.",
	    NULL),
	ROW(SVM_EXIT_SWINT, "The guest executed INT n with its intercept on.",
	    "The software-interrupt intercept catches INT n. KVM does not set it.", NO_INFO,
	    NONE("KVM never sets it; for L2, L1's intercept decides."), NULL),
	ROW(SVM_EXIT_INVD, "The guest executed INVD.",
	    "INVD throws the caches away without writing them back, which a guest must not do "
	    "to memory it shares with the host; KVM intercepts it.",
	    NO_INFO, "kvm_emulate_invd (" X86 "): skips it, as a NOP.", NULL),
	ROW(SVM_EXIT_PAUSE, "The guest spun in a PAUSE loop long enough (pause filter).",
	    "With the PAUSE intercept and the pause filter, the processor counts PAUSEs (and, "
	    "with the filter threshold, only those close to each other) and exits when the "
	    "count runs out: the vCPU probably waits for a lock whose holder is not running.",
	    NO_INFO,
	    "pause_interception (" SVM "): grows the pause-filter count and calls "
	    "kvm_vcpu_on_spin, which yields to a vCPU of the same VM that may hold the lock.",
	    NULL),
	ROW(SVM_EXIT_HLT, "The guest executed HLT.",
	    "HLT stops a processor until the next interrupt. KVM always intercepts it, so that "
	    "the physical CPU can do something else until the vCPU has an interrupt to take.",
	    NO_INFO,
	    "kvm_emulate_halt (" X86 "): with an in-kernel local APIC it blocks the vCPU "
	    "thread until an interrupt is pending; without (minivmm's default) it returns "
	    "KVM_EXIT_HLT. For L2, L1 gets it when it intercepts HLT.",
	    "guest_svm_basic.bin"),
	ROW(SVM_EXIT_INVLPG, "The guest executed INVLPG with its intercept on.",
	    "INVLPG drops the TLB entries of one linear address. KVM intercepts it only without "
	    "nested paging, when it shadows the guest's page tables and must drop its own "
	    "entry too.",
	    "EXITINFO1: with decode assists, the linear address. EXITINFO2: 0.",
	    "invlpg_interception (" SVM ") -> kvm_mmu_invlpg.", NULL),
	ROW(SVM_EXIT_INVLPGA, "The guest executed INVLPGA: an L1 flushes a TLB entry of an ASID.",
	    "INVLPGA drops the TLB entry of the address in RAX for the ASID in ECX. It is an "
	    "SVM instruction, for hypervisors; KVM intercepts it to carry it out for L1.",
	    NO_INFO " The address is the guest's RAX, the ASID its ECX.",
	    "invlpga_interception (" SVM ").", NULL),
	ROW(SVM_EXIT_IOIO, "The guest executed IN, OUT, INS or OUTS on an intercepted port.",
	    "With the IOIO intercept, a port I/O instruction exits when the bit of a port it "
	    "touches is set in the I/O permission map. KVM's map intercepts every port: its "
	    "in-kernel devices answer some in the kernel, and the rest go to userspace as "
	    "KVM_EXIT_IO, which is what every IO record of a minivmm trace is.",
	    "EXITINFO1:\n"
	    "- bit 0 the direction: 1 IN, 0 OUT\n"
	    "- bit 2 a string instruction (INS, OUTS)\n"
	    "- bit 3 a REP prefix\n"
	    "- bits 6:4 the size, one bit each: byte, word, doubleword\n"
	    "- bits 9:7 the address size, one bit each: 16, 32, 64 bits\n"
	    "- bits 12:10 the segment of a string instruction (with decode assists)\n"
	    "- bits 31:16 the port\n"
	    "EXITINFO2: the address of the next instruction, where the guest resumes.",
	    "io_interception (" SVM "): a plain IN or OUT goes to kvm_fast_pio, a string one to "
	    "the instruction emulator; a port no in-kernel device claims returns KVM_EXIT_IO. "
	    "For L2, L1's permission map decides (nested_svm_intercept_ioio).",
	    "guest_svm_basic.bin"),
	ROW(SVM_EXIT_MSR, "The guest executed RDMSR or WRMSR on an intercepted MSR.",
	    "With the MSR intercept, RDMSR and WRMSR exit when the MSR's read or write bit is set "
	    "in the MSR permission map. KVM lets the guest reach a few MSRs directly and "
	    "intercepts the rest, which it emulates; with an MSR filter or "
	    "KVM_CAP_X86_USER_SPACE_MSR, userspace can get them as KVM_EXIT_X86_RDMSR or "
	    "KVM_EXIT_X86_WRMSR.",
	    "EXITINFO1: 0 for RDMSR, 1 for WRMSR. EXITINFO2: 0. The MSR is the guest's ECX, "
	    "the value EDX:EAX.",
	    "msr_interception (" SVM ") -> kvm_emulate_rdmsr or kvm_emulate_wrmsr (" X86 "). "
	    "For L2, L1's permission map decides (nested_svm_exit_handled_msr).",
	    "guest_svm_basic.bin"),
	ROW(SVM_EXIT_TASK_SWITCH, "The guest asked for a hardware task switch.",
	    "A CALL or JMP to a TSS or task gate, an interrupt through a task gate, or an IRET "
	    "with EFLAGS.NT set asks for a task switch, which the hypervisor must perform. "
	    "Only 32-bit protected-mode guests can ask.",
	    "EXITINFO1 bits 15:0: the selector of the new task's TSS.\n"
	    "EXITINFO2: bit 36 the switch comes from an IRET, bit 38 from a far JMP, bit 44 an "
	    "error code is to be pushed (it is in bits 31:0).",
	    "task_switch_interception (" SVM ") -> kvm_task_switch (" X86 ").", NULL),
	ROW(SVM_EXIT_FERR_FREEZE,
	    "The processor froze on an x87 error (FERR) with the intercept on.",
	    "With CR0.NE clear, an x87 error is reported the old way, through the FERR# pin, and "
	    "the processor freezes until an interrupt; the intercept makes that an exit. KVM "
	    "does not set it.",
	    NO_INFO, NONE("KVM never sets it."), NULL),
	ROW(SVM_EXIT_SHUTDOWN, "The guest hit a shutdown condition, such as a triple fault.",
	    "A triple fault (an exception while delivering a #DF) or another shutdown condition "
	    "would stop a real processor; with the intercept it is an exit. KVM always sets "
	    "it.",
	    NO_INFO,
	    "shutdown_interception (" SVM "): reinitializes the VMCB (whose state is undefined "
	    "after a shutdown) and returns KVM_EXIT_SHUTDOWN; minivmm records SHUTDOWN "
	    "cause=triple_fault.",
	    "guest_triplefault.bin"),
	ROW(SVM_EXIT_VMRUN, "The guest executed VMRUN: it is a hypervisor itself (nested SVM).",
	    "VMRUN runs a guest from a VMCB. The processor refuses a VMCB without the VMRUN "
	    "intercept, so every VMRUN of a guest exits, and KVM (L0) carries it out for the "
	    "guest hypervisor L1: it checks L1's VMCB (vmcb12), builds vmcb02 from it and "
	    "runs L2. Such exits are L1's: a trace shows them through the kernel's view "
	    "(--ktrace kvm_nested_vmenter), not as l2_exit records.",
	    NO_INFO " The VMCB's physical address is the guest's RAX.",
	    "vmrun_interception (" SVM ") -> nested_svm_vmrun (arch/x86/kvm/svm/nested.c).",
	    "guest_svm_basic.bin"),
	ROW(SVM_EXIT_VMMCALL, "The guest executed VMMCALL, a call to its hypervisor.",
	    "VMMCALL is AMD's hypercall instruction: with the intercept (always set by KVM) it "
	    "exits. KVM's paravirtual interface uses it (number in RAX), and so do the L2 "
	    "guests of the nested payloads, to hand control back to their L1.",
	    NO_INFO " The instruction is three bytes long (0f 01 d9).",
	    "vmmcall_interception (" SVM ", recent kernels; kvm_emulate_hypercall before) -> "
	    "KVM's hypercalls, or KVM_EXIT_HYPERCALL for one userspace enabled. For L2, L1 "
	    "gets it when it intercepts VMMCALL.",
	    "guest_svm_basic.bin"),
	ROW(SVM_EXIT_VMLOAD, "The guest executed VMLOAD: an L1 loads extra guest state.",
	    "VMLOAD loads the state VMRUN leaves alone (FS, GS, TR, LDTR and their hidden "
	    "parts, the SYSCALL and SYSENTER MSRs) from a VMCB. KVM intercepts it to carry it "
	    "out for L1, unless the processor virtualizes VMLOAD and VMSAVE.",
	    NO_INFO " The VMCB's physical address is the guest's RAX.",
	    "vmload_interception (" SVM ").", NULL),
	ROW(SVM_EXIT_VMSAVE, "The guest executed VMSAVE: an L1 saves extra guest state.",
	    "As VMLOAD, for the store of the same state into a VMCB.",
	    NO_INFO " The VMCB's physical address is the guest's RAX.",
	    "vmsave_interception (" SVM ").", NULL),
	ROW(SVM_EXIT_STGI, "The guest executed STGI: an L1 sets the global interrupt flag.",
	    "GIF gates every interrupt, NMI and SMI while a hypervisor switches worlds; STGI "
	    "sets it. KVM intercepts STGI and CLGI to keep L1's virtual GIF, unless the "
	    "processor virtualizes GIF. The nested payloads' L1 sets GIF with STGI after "
	    "each VMRUN (guest/svm_vmrun.S).",
	    NO_INFO, "stgi_interception (" SVM ").", "guest_svm_basic.bin"),
	ROW(SVM_EXIT_CLGI, "The guest executed CLGI: an L1 clears the global interrupt flag.",
	    "As STGI, for clearing GIF.", NO_INFO, "clgi_interception (" SVM ").", NULL),
	ROW(SVM_EXIT_SKINIT, "The guest executed SKINIT (secure init, AMD's measured launch).",
	    "SKINIT starts a measured launch of a secure loader. KVM intercepts it and does not "
	    "offer it.",
	    NO_INFO, "skinit_interception (" SVM "): injects #UD.", NULL),
	ROW(SVM_EXIT_RDTSCP, "The guest executed RDTSCP with its intercept on.",
	    "RDTSCP reads the TSC and TSC_AUX. KVM intercepts it only when the guest's CPUID "
	    "does not offer RDTSCP, to make it fault.",
	    NO_INFO, "kvm_handle_invalid_op (" X86 "): injects #UD.", NULL),
	ROW(SVM_EXIT_ICEBP, "The guest executed INT1 (ICEBP, opcode f1) with its intercept on.",
	    "INT1 raises a #DB as a debug trap; the intercept catches the instruction itself. "
	    "KVM does not set it.",
	    NO_INFO, NONE("KVM never sets it."), NULL),
	ROW(SVM_EXIT_WBINVD, "The guest executed WBINVD.",
	    "WBINVD writes back and invalidates every cache. KVM intercepts it; without an "
	    "assigned device that does non-coherent DMA it just skips it, with one it flushes "
	    "the caches of every physical CPU the vCPU ran on.",
	    NO_INFO, "kvm_emulate_wbinvd (" X86 ").", NULL),
	ROW(SVM_EXIT_MONITOR, "The guest executed MONITOR.",
	    "MONITOR arms address-range monitoring for a later MWAIT; KVM intercepts both.",
	    NO_INFO, "kvm_emulate_monitor (" X86 "): a NOP.", NULL),
	ROW(SVM_EXIT_MWAIT, "The guest executed MWAIT.",
	    "MWAIT waits for a write to the monitored range or for an interrupt; a guest "
	    "waiting there would hold the physical CPU, so KVM intercepts it unless "
	    "userspace let the guest idle in MWAIT (KVM_CAP_X86_DISABLE_EXITS).",
	    NO_INFO,
	    "kvm_emulate_mwait (" X86 "): a NOP (KVM warns once); #UD when the guest's CPUID "
	    "lacks MONITOR/MWAIT, unless a quirk says otherwise.",
	    NULL),
	ROW(SVM_EXIT_MWAIT_COND,
	    "The guest executed MWAIT with the monitor armed (conditional intercept).",
	    "This intercept catches MWAIT only when the monitoring hardware is armed, that is "
	    "when MWAIT would really wait. KVM uses the unconditional MWAIT intercept instead.",
	    NO_INFO, NONE("KVM never sets it."), NULL),
	ROW(SVM_EXIT_XSETBV, "The guest executed XSETBV to change XCR0.",
	    "XSETBV writes an extended control register (XCR0 selects the state components "
	    "XSAVE manages). KVM intercepts it, since the host must put its own XCR0 back "
	    "around the guest.",
	    NO_INFO " ECX selects the register, EDX:EAX is the value.",
	    "kvm_emulate_xsetbv (" X86 ").", NULL),
	ROW(SVM_EXIT_RDPRU, "The guest executed RDPRU with its intercept on.",
	    "RDPRU reads processor registers (MPERF, APERF) at any privilege level. KVM "
	    "intercepts it to make it fault, as it does not offer it.",
	    NO_INFO, "kvm_handle_invalid_op (" X86 "): injects #UD.", NULL),
	ROW(SVM_EXIT_EFER_WRITE_TRAP, "An SEV-ES guest wrote EFER (a trap, after the write).",
	    "In an SEV-ES guest the hypervisor can neither read nor change the guest's "
	    "registers, so an intercepted EFER write is reported after it completed, with the "
	    "new value.",
	    "EXITINFO1: the new value of EFER. EXITINFO2: 0.",
	    "efer_trap (" SVM "): updates KVM's copy of EFER.", NULL),
	ROW(SVM_EXIT_INVLPGB,
	    "The guest executed INVLPGB (broadcast TLB invalidation) with its intercept on.",
	    "INVLPGB invalidates TLB entries on every processor of the system at once. The "
	    "intercept lets a hypervisor handle it; KVM does not offer it to guests.",
	    NO_INFO " The operands are in RAX, ECX and EDX.", NONE("KVM does not offer INVLPGB."),
	    NULL),
	ROW(SVM_EXIT_INVLPGB_ILLEGAL,
	    "The guest executed INVLPGB with an illegal combination of operands.",
	    "When the hypervisor lets INVLPGB run without an exit, an invalid use of it (for "
	    "example a broadcast the guest may not make) exits with this code instead.",
	    NO_INFO, NONE("KVM does not offer INVLPGB."), NULL),
	ROW(SVM_EXIT_INVPCID, "The guest executed INVPCID with its intercept on.",
	    "INVPCID invalidates TLB entries by PCID. KVM intercepts it when it shadows the "
	    "guest's page tables (no nested paging), or to make it fault when the guest's "
	    "CPUID does not offer it.",
	    "EXITINFO1: the linear address of the descriptor (PCID and address). EXITINFO2: "
	    "the type (0 to 3).",
	    "invpcid_interception (" SVM ") -> kvm_handle_invpcid (" X86 ").", NULL),
	ROW(SVM_EXIT_MCOMMIT, "The guest executed MCOMMIT with its intercept on.",
	    "MCOMMIT makes sure earlier stores reached persistent memory. KVM does not offer "
	    "it.",
	    NO_INFO, NONE("KVM does not offer MCOMMIT."), NULL),
	ROW(SVM_EXIT_TLBSYNC, "The guest executed TLBSYNC with its intercept on.",
	    "TLBSYNC waits for the INVLPGB broadcasts of this processor to finish everywhere. "
	    "KVM does not offer it.",
	    NO_INFO, NONE("KVM does not offer TLBSYNC."), NULL),
	ROW(SVM_EXIT_BUS_LOCK,
	    "A guest instruction took a bus lock (a split or uncacheable locked access).",
	    "A locked access across a cache line, or to uncacheable memory, locks the bus and "
	    "slows every other CPU. With bus-lock threshold counting the processor exits when "
	    "the guest's allowance of bus locks runs out, so that the hypervisor can throttle "
	    "it. KVM turns it on when userspace asks (KVM_CAP_X86_BUS_LOCK_EXIT).",
	    NO_INFO,
	    "bus_lock_exit (" SVM ", recent kernels): returns KVM_EXIT_X86_BUS_LOCK to "
	    "userspace.",
	    NULL),
	ROW(SVM_EXIT_IDLE_HLT,
	    "The guest executed HLT with no interrupt pending (idle HLT intercept).",
	    "The idle-HLT intercept is a HLT intercept that does not fire when a virtual "
	    "interrupt is already pending, in which case the HLT would end at once anyway. "
	    "KVM uses it instead of the HLT intercept where the processor has it.",
	    NO_INFO, "kvm_emulate_halt (" X86 "), as for HLT.", NULL),
	ROW(SVM_EXIT_NPF,
	    "A nested page fault: the nested page tables do not map, or do not allow, the access.",
	    "With nested paging the processor translates every guest-physical address through "
	    "the nested page tables the hypervisor built. This exit happens when that walk "
	    "finds no mapping, or one that does not allow the access. KVM builds them lazily: "
	    "the first touch of each guest page exits here and KVM maps it; dirty logging "
	    "write-protects pages, so the first write after a harvest exits here too; an "
	    "address in no memory slot is MMIO and is emulated.",
	    "EXITINFO1: an error code of the nested walk:\n"
	    "- bit 0 the entry was present (a protection fault, not a missing page)\n"
	    "- bit 1 a write\n"
	    "- bit 2 a user access (the nested walk counts every guest access as a user one)\n"
	    "- bit 3 a reserved bit was set (KVM's MMIO entries)\n"
	    "- bit 4 an instruction fetch\n"
	    "- bit 32 the fault was on the final guest-physical address\n"
	    "- bit 33 the fault was on one of the guest's own page-table accesses\n"
	    "EXITINFO2: the guest-physical address. An l2_exit record's info1 and info2 are "
	    "these two: 0x100000004 is a user access to a final address that is not mapped.",
	    "npf_interception (" SVM ") -> kvm_mmu_page_fault: maps the page (the TDP MMU) or "
	    "emulates an MMIO access (KVM_EXIT_MMIO for userspace's devices). For L2, KVM "
	    "first consults L1's nested page tables through its shadow of them; L1 gets the "
	    "exit only for an address L1 does not map (nested_svm_inject_npf_exit).",
	    "guest_svm_paging.bin"),
	ROW(SVM_EXIT_AVIC_INCOMPLETE_IPI, "An IPI the AVIC could not deliver by itself.",
	    "With the AVIC, a guest's write to the ICR delivers an IPI to running vCPUs in "
	    "hardware. When a target is not running, or the destination or the backing page is "
	    "invalid, the processor exits so that the hypervisor delivers it (and wakes the "
	    "target).",
	    "EXITINFO1: bits 31:0 the ICR's low half, bits 63:32 its high half.\n"
	    "EXITINFO2: bits 63:32 the reason (0 invalid interrupt type, 1 target not running, "
	    "2 invalid target, 3 invalid backing page), the low bits the index of the entry in "
	    "the physical APIC ID table.",
	    "avic_incomplete_ipi_interception (arch/x86/kvm/svm/avic.c).", NULL),
	ROW(SVM_EXIT_AVIC_UNACCELERATED_ACCESS,
	    "The guest accessed an APIC register the AVIC does not accelerate.",
	    "With the AVIC, most accesses to the APIC page go to the backing page without an "
	    "exit; accesses to other registers exit with this code. Writes to some registers "
	    "are traps (already done when the exit comes); the rest are faults, and the "
	    "hypervisor emulates them.",
	    "EXITINFO1: bits 11:4 the register's offset in the APIC page, bit 32 set for a "
	    "write. EXITINFO2: the vector, for an access that concerns one.",
	    "avic_unaccelerated_access_interception (arch/x86/kvm/svm/avic.c): emulates the "
	    "access in the in-kernel local APIC.",
	    NULL),
	ROW(SVM_EXIT_VMGEXIT, "An SEV-ES or SEV-SNP guest called its hypervisor (VMGEXIT).",
	    "An encrypted-state guest cannot let its hypervisor read its registers. It writes "
	    "what the hypervisor needs (an exit code, two info words, the registers that "
	    "matter) into the shared GHCB page and executes VMGEXIT (VMMCALL with a REP "
	    "prefix).",
	    "EXITINFO1 and EXITINFO2 of the VMCB: not used. The request is in the GHCB: its "
	    "sw_exit_code (an SVM exit code, or one of VMGEXIT's own such as MMIO read and "
	    "write, AP creation, page-state change) and sw_exit_info_1 and 2; with the GHCB "
	    "MSR protocol, the request is in the GHCB MSR instead.",
	    "sev_handle_vmgexit (arch/x86/kvm/svm/sev.c).", NULL),
	ROW(SVM_EXIT_ERR,
	    "VMRUN failed: the VMCB's state or controls are illegal (VMEXIT_INVALID).",
	    "VMRUN checks the VMCB before it enters the guest: EFER.SVME set, the VMRUN "
	    "intercept set, a nonzero ASID, legal combinations of CR0, CR4 and EFER for the "
	    "mode, and more. If a check fails, the guest is not entered and EXITCODE becomes "
	    "-1. For L1, KVM makes these checks on vmcb12 in software.",
	    "EXITCODE: -1 in all 64 bits (0xffffffffffffffff). EXITINFO1 and EXITINFO2: 0.",
	    "No handler runs for KVM's own guest: svm_handle_exit returns KVM_EXIT_FAIL_ENTRY "
	    "with the code in kvm_run.fail_entry (minivmm's FAIL_ENTRY record says "
	    "svm_exit=INVALID). For L1, nested_svm_vmrun writes it into vmcb12 when "
	    "__nested_vmcb_check_controls or __nested_vmcb_check_save fail, and L1 goes on "
	    "after its VMRUN.",
	    "guest_svm_invalid.bin"),
	ROW(SVM_EXIT_BUSY, "VMRUN refused a guest-state page (VMSA) that is in use (SEV-SNP).",
	    "With SEV-SNP the guest's registers live in an encrypted VMSA page. VMRUN ends with "
	    "-2 instead of entering the guest when that VMSA is already in use, on another "
	    "processor or being changed; the hypervisor can try again later.",
	    "EXITCODE: -2. EXITINFO1 and EXITINFO2: 0.",
	    NONE("KVM takes it for an invalid exit code."), NULL),
	/* The ranges, one text for each. */
	RANGE(SVM_EXIT_READ_CR0, SVM_EXIT_READ_CR0 + 15,
	      "The guest read a control register whose read the VMCB intercepts (MOV from CRn).",
	      "Bit n of the CR-read intercepts makes MOV from CRn exit (code 0x00 + n). KVM "
	      "intercepts reads of CR0, CR3 and CR4 by default, drops the CR3 intercept with "
	      "nested paging, and the CR0 ones when the guest's CR0 needs no change from KVM.",
	      "EXITINFO1: with decode assists, bit 63 set and bits 3:0 the general-purpose "
	      "register of the MOV; without them 0, and the instruction must be decoded. "
	      "EXITINFO2: 0.",
	      "cr_interception (" SVM ") for CR0, CR3, CR4 and CR8: with decode assists it "
	      "performs the MOV itself, else it runs the instruction emulator. The other "
	      "registers have no handler (KVM never intercepts them). For L2, L1's intercepts "
	      "decide.",
	      NULL),
	RANGE(SVM_EXIT_WRITE_CR0, SVM_EXIT_WRITE_CR0 + 15,
	      "The guest wrote a control register whose writes the VMCB intercepts (MOV to CRn).",
	      "Bit n of the CR-write intercepts makes MOV to CRn exit (code 0x10 + n); for CR0 "
	      "also LMSW and CLTS. KVM intercepts writes of CR0, CR3 and CR4 (CR3 only without "
	      "nested paging) and of CR8 when the AVIC does not handle the TPR.",
	      "EXITINFO1: with decode assists, bit 63 set for a MOV and bits 3:0 its "
	      "general-purpose register (bit 63 clear for LMSW and CLTS). EXITINFO2: 0.",
	      "cr_interception (" SVM ") for CR0, CR3 and CR4, cr8_write_interception for CR8; "
	      "the other registers have no handler. For L2, L1's intercepts decide.",
	      NULL),
	RANGE(SVM_EXIT_READ_DR0, SVM_EXIT_READ_DR0 + 15,
	      "The guest read a debug register whose read the VMCB intercepts (MOV from DRn).",
	      "Bit n of the DR-read intercepts makes MOV from DRn exit (code 0x20 + n). KVM "
	      "intercepts the debug registers until the guest first uses them, then loads the "
	      "guest's and stops intercepting, unless userspace debugs the guest.",
	      "EXITINFO1: with decode assists, bits 3:0 the general-purpose register. "
	      "EXITINFO2: 0.",
	      "dr_interception (" SVM ") for DR0-DR7; DR8-DR15 do not exist, and their codes do "
	      "not occur.",
	      NULL),
	RANGE(SVM_EXIT_WRITE_DR0, SVM_EXIT_WRITE_DR0 + 15,
	      "The guest wrote a debug register whose writes the VMCB intercepts (MOV to DRn).",
	      "Bit n of the DR-write intercepts makes MOV to DRn exit (code 0x30 + n); KVM "
	      "intercepts them as the reads.",
	      "EXITINFO1: with decode assists, bits 3:0 the general-purpose register. "
	      "EXITINFO2: 0.",
	      "dr_interception (" SVM ") for DR0-DR7.", NULL),
	RANGE(SVM_EXIT_EXCP_BASE, SVM_EXIT_EXCP_BASE + 31,
	      "An exception in the guest that the VMCB's exception intercepts send to the "
	      "hypervisor.",
	      "Exception vector n (code 0x40 + n) exits instead of going through the guest's IDT "
	      "when bit n of the exception intercepts is set. KVM intercepts #UD, #MC and #AC "
	      "always, #PF without nested paging, #GP for a few workarounds, and #DB and #BP "
	      "while userspace debugs the guest. In a nested guest, L1's exception intercepts "
	      "decide which reach L1.",
	      "EXITINFO1: the error code, for an exception that pushes one. EXITINFO2: for #PF "
	      "the faulting address. EXITINTINFO: an event whose delivery caused the "
	      "exception, if any.",
	      "Per vector: db_interception (1, #DB), bp_interception (3, #BP), ud_interception "
	      "(6, #UD), gp_interception (13, #GP), pf_interception (14, #PF), ac_interception "
	      "(17, #AC), mc_interception (18, #MC), all in " SVM "; the other vectors have "
	      "none, KVM never intercepts them.",
	      NULL),
	RANGE(SVM_EXIT_CR0_WRITE_TRAP, SVM_EXIT_CR15_WRITE_TRAP,
	      "An SEV-ES guest wrote a control register (a trap, after the write).",
	      "In an SEV-ES guest the hypervisor can neither read nor change the guest's "
	      "registers, so an intercepted write of CRn is reported after it completed, with "
	      "the new value (code 0x90 + n). KVM uses the traps of CR0, CR4 and CR8.",
	      "EXITINFO1: the new value of the register. EXITINFO2: 0.",
	      "cr_trap (" SVM ") for CR0, CR4 and CR8: updates KVM's copy of the register.", NULL),
};

const size_t exit_text_svm_rows = sizeof(exit_text_svm) / sizeof(exit_text_svm[0]);
