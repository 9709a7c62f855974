/* SPDX-License-Identifier: MIT */
/* exit_text_kvm.c - owns the text of KVM's exit reasons (KVM_EXIT_* of <linux/kvm.h>). */
#include "exit_text.h"

/*
 * In our own words, from include/uapi/linux/kvm.h and
 * Documentation/virt/kvm/api.rst (struct kvm_run), and from minivmm's own
 * handlers (the exit_table of vmm/run.c). The handler text names the
 * minivmm function, then the kvm_run member it reads.
 */

#define UNHANDLED                                                                              \
	"minivmm has no handler: exit_unhandled (vmm/run.c) records the exit with handled=no " \
	"and the run goes on."
#define OTHER_ARCH(arch) "Never on x86: a " arch " exit. "

const struct exit_text exit_text_kvm[MVM_KVM_EXIT_MAX] = {
	[KVM_EXIT_UNKNOWN] = EXIT_TEXT("KVM stopped for a reason it has no better name for.",
				       "The catch-all reason: KVM returns it when an exit has no "
				       "better description, as "
				       "it did in early kernels for hardware exit reasons it did "
				       "not know. Today x86 "
				       "reports those as INTERNAL_ERROR with suberror "
				       "UNEXPECTED_EXIT_REASON, and this "
				       "reason is rare.",
				       "kvm_run.hw.hardware_exit_reason: the vendor's raw exit "
				       "reason.",
				       UNHANDLED, NULL),
	[KVM_EXIT_EXCEPTION] = EXIT_TEXT("A guest exception KVM handed to userspace (rare on x86).",
					 "KVM's first interface let userspace handle guest "
					 "exceptions. x86 KVM now handles "
					 "or injects them itself, reports debug exceptions as "
					 "DEBUG, and returns this "
					 "reason only in corner cases (an exception of a real-mode "
					 "guest on Intel hosts "
					 "without unrestricted guest that it cannot reflect).",
					 "kvm_run.ex: exception (the vector), error_code.",
					 UNHANDLED, NULL),
	[KVM_EXIT_IO] = EXIT_TEXT("A port I/O instruction no in-kernel device handles: userspace "
				  "carries it out.",
				  "The guest executed IN, OUT, INS or OUTS (a VMX IO_INSTRUCTION "
				  "or SVM IOIO exit in "
				  "the hardware) on a port no in-kernel device claims. KVM stops "
				  "and lets userspace "
				  "emulate the device. For an OUT the data is already in the "
				  "kvm_run page; for an IN "
				  "userspace writes it there, and the next KVM_RUN completes the "
				  "instruction (which "
				  "is why the RIP of an IN's record is the IN itself).",
				  "kvm_run.io:\n"
				  "- direction: KVM_EXIT_IO_IN (0) or KVM_EXIT_IO_OUT (1)\n"
				  "- size: 1, 2 or 4 bytes\n"
				  "- port\n"
				  "- count: elements of a string instruction, as many as fit in "
				  "one exit\n"
				  "- data_offset: where the bytes are, from the start of kvm_run\n"
				  "minivmm's record: dir, port, size, count, data (or bytes for a "
				  "string access) "
				  "and dev, the device that claimed the port.",
				  "exit_io (vmm/exit_io.c): looks the port up in the range "
				  "registry (vmm/iorange.c) "
				  "and calls its device: COM1 (0x3f8), the call port (0x500), the "
				  "test device "
				  "(0xe00), ... A port no device claims is recorded with dev=none.",
				  "guest_pio.bin"),
	[KVM_EXIT_HYPERCALL] =
		EXIT_TEXT("A hypercall of the guest that userspace asked to handle.",
			  "A VMCALL or VMMCALL whose number userspace enabled with "
			  "KVM_CAP_EXIT_HYPERCALL "
			  "comes to userspace (on x86 that is KVM_HC_MAP_GPA_RANGE, with which SEV "
			  "and TDX "
			  "guests convert memory between private and shared). Other hypercalls KVM "
			  "handles "
			  "itself.",
			  "kvm_run.hypercall: nr, args[6], ret (userspace's answer), flags (bit 0: "
			  "the "
			  "guest was in 64-bit mode).",
			  UNHANDLED " minivmm does not enable KVM_CAP_EXIT_HYPERCALL.", NULL),
	[KVM_EXIT_DEBUG] = EXIT_TEXT("A debug event userspace asked for: a single step or a "
				     "breakpoint.",
				     "With KVM_SET_GUEST_DEBUG, userspace can single-step the "
				     "guest, set hardware "
				     "breakpoints and watchpoints, or catch INT3. Each such event "
				     "ends KVM_RUN with "
				     "this exit instead of reaching the guest.",
				     "kvm_run.debug.arch: exception (1 for #DB, 3 for #BP), pc, "
				     "dr6, dr7.",
				     "exit_debug (vmm/exit_debug.c): records exception and dr6 "
				     "and, with --singlestep, "
				     "a step record with the RIP, the mode and the instruction "
				     "bytes.",
				     "guest_hlt.bin --singlestep=64"),
	[KVM_EXIT_HLT] = EXIT_TEXT("The guest halted, and no in-kernel local APIC will wake it: "
				   "userspace decides.",
				   "Without an in-kernel irqchip (minivmm's default, --irqchip "
				   "none), KVM cannot wait "
				   "for interrupts itself, so a HLT (the VMX HLT or SVM HLT exit) "
				   "comes to "
				   "userspace. With an in-kernel local APIC, KVM blocks the vCPU "
				   "thread instead, "
				   "and this exit never happens.",
				   "No kvm_run member: only the registers.",
				   "exit_hlt (vmm/run.c): records it and ends the run with reason "
				   "hlt.",
				   "guest_hlt.bin"),
	[KVM_EXIT_MMIO] = EXIT_TEXT(
		"A guest access to an address no memory slot backs: userspace emulates it.",
		"The access hit a guest-physical address outside every memory slot, or wrote to a "
		"read-only slot, and no in-kernel device claims it. In the hardware it was an EPT "
		"violation or misconfiguration (Intel), an NPF (AMD), or a page fault of KVM's "
		"shadow paging; KVM decoded the instruction in its emulator and hands the access "
		"to userspace. For a write the data is in kvm_run; for a read userspace puts it "
		"there, and the next KVM_RUN completes the instruction.",
		"kvm_run.mmio: phys_addr, data[8], len (1 to 8), is_write. A wider or split access "
		"comes as several exits. minivmm's record: dir, gpa, len, data and dev.",
		"exit_mmio (vmm/exit_mmio.c): looks the address up in the range registry and "
		"calls its device (the test device at 0xd0000000, the IOAPIC with --irqchip "
		"split); an address no device claims is recorded with dev=none.",
		"guest_mmio.bin"),
	[KVM_EXIT_IRQ_WINDOW_OPEN] = EXIT_TEXT("The guest can take an interrupt now, as userspace "
					       "asked.",
					       "With an interrupt controller in userspace, "
					       "userspace sets "
					       "kvm_run.request_interrupt_window when it has an "
					       "interrupt to inject; KVM "
					       "returns this exit as soon as the guest can take "
					       "one (RFLAGS.IF set, no interrupt "
					       "shadow), and userspace injects it with "
					       "KVM_INTERRUPT.",
					       "kvm_run.ready_for_injection, kvm_run.if_flag, "
					       "kvm_run.cr8.",
					       "exit_irq_window_open (vmm/exit_irq.c): records the "
					       "three values; minivmm never "
					       "asks for the window.",
					       NULL),
	[KVM_EXIT_SHUTDOWN] = EXIT_TEXT("The guest shut down, usually by a triple fault.",
					"A triple fault (VMX TRIPLE_FAULT, SVM SHUTDOWN) or "
					"another shutdown condition of "
					"the virtual processor. A real machine would reset; KVM "
					"leaves that to userspace.",
					"No kvm_run member.",
					"exit_shutdown (vmm/exit_fail.c): records "
					"cause=triple_fault, then the regs and "
					"sregs records, and ends the run with reason shutdown.",
					"guest_triplefault.bin"),
	[KVM_EXIT_FAIL_ENTRY] = EXIT_TEXT("VM entry failed: the processor refused the vCPU's "
					  "state.",
					  "The processor did not enter the guest: on Intel a "
					  "VM-entry failure (bit 31 of the "
					  "exit reason, such as INVALID_GUEST_STATE) or a VMLAUNCH "
					  "or VMRESUME error, on AMD "
					  "VMEXIT_INVALID. KVM, or userspace through KVM_SET_SREGS "
					  "and its kin, produced a "
					  "state the hardware does not accept.",
					  "kvm_run.fail_entry: hardware_entry_failure_reason (the "
					  "VMX exit reason or "
					  "VM-instruction error, or the SVM exit code), cpu (the "
					  "physical CPU).",
					  "exit_fail_entry (vmm/exit_fail.c): names the vendor's "
					  "reason (vmx_exit and "
					  "vm_entry_failure, or svm_exit), records the registers "
					  "and ends the run with "
					  "reason fail_entry.",
					  NULL),
	[KVM_EXIT_INTR] = EXIT_TEXT("KVM_RUN returned for a signal: a kick of the vCPU thread.",
				    "A signal pending for the vCPU thread, or "
				    "kvm_run.immediate_exit, makes KVM_RUN "
				    "return -EINTR with this exit reason. That is how a VMM kicks "
				    "a vCPU out of the "
				    "guest: minivmm does it to stop a run (a timeout, another "
				    "vCPU's exit, SIGINT).",
				    "No kvm_run member.",
				    "run_loop (vmm/run.c) sees -EINTR and goes back to the top of "
				    "the loop: the exit "
				    "is not counted and not recorded.",
				    NULL),
	[KVM_EXIT_SET_TPR] = EXIT_TEXT("Obsolete: current kernels never return it.",
				       "An early interface for userspace to follow the guest's "
				       "task priority; no code of a "
				       "current kernel returns it.",
				       "No kvm_run member.", UNHANDLED, NULL),
	[KVM_EXIT_TPR_ACCESS] =
		EXIT_TEXT("The guest accessed the APIC's TPR, and userspace asked to be told.",
			  "With KVM_TPR_ACCESS_REPORTING on (QEMU used it to patch the TPR "
			  "accesses of "
			  "Windows XP), an access of the guest to its local APIC's task-priority "
			  "register "
			  "exits with its RIP and direction.",
			  "kvm_run.tpr_access: rip, is_write.",
			  "exit_tpr_access (vmm/exit_irq.c): records access_rip and dir.", NULL),
	[KVM_EXIT_S390_SIEIC] =
		EXIT_TEXT("s390: an intercept of the SIE instruction that userspace must handle.",
			  OTHER_ARCH("s390") "The guest did something the s390 SIE interception "
					     "code leaves "
					     "to userspace.",
			  "kvm_run.s390_sieic: icptcode, ipa, ipb.", UNHANDLED, NULL),
	[KVM_EXIT_S390_RESET] = EXIT_TEXT("s390: the guest asked for a reset.",
					  OTHER_ARCH("s390") "A CPU or system reset requested by "
							     "the guest.",
					  "kvm_run.s390_reset_flags.", UNHANDLED, NULL),
	[KVM_EXIT_DCR] = EXIT_TEXT("Deprecated (PowerPC 440): an access to a device control "
				   "register.",
				   OTHER_ARCH("PowerPC") "Kept only so that the number stays "
							 "taken.",
				   "kvm_run.dcr: dcrn, data, is_write.", UNHANDLED, NULL),
	[KVM_EXIT_NMI] = EXIT_TEXT("Unused: no current kernel returns it.",
				   "Reserved for an NMI exit to userspace; no architecture's code "
				   "returns it today.",
				   "No kvm_run member.", UNHANDLED, NULL),
	[KVM_EXIT_INTERNAL_ERROR] = EXIT_TEXT(
		"KVM itself could not go on: an emulation failure, an unexpected exit, a bad "
		"event.",
		"KVM cannot continue with the vCPU; the suberror says why. EMULATION (1): the "
		"instruction emulator could not handle an instruction it had to emulate, such as "
		"one that touches MMIO in a way it does not support. SIMUL_EX (2): an exception "
		"while another was being delivered, which KVM could not resolve. DELIVERY_EV (3): "
		"an exit during event delivery that KVM cannot replay, such as an MMIO access "
		"while the processor pushed an interrupt frame. UNEXPECTED_EXIT_REASON (4): a "
		"hardware exit reason KVM has no handler for.",
		"kvm_run.internal: suberror, ndata, data[16] (for DELIVERY_EV the vectoring "
		"information and the exit reason, for UNEXPECTED_EXIT_REASON the raw reason and "
		"the CPU). For EMULATION, the emulation_failure overlay adds flags and, with "
		"KVM_INTERNAL_ERROR_EMULATION_FLAG_INSTRUCTION_BYTES, insn_size and up to 15 "
		"insn_bytes.",
		"exit_internal_error (vmm/exit_fail.c): records suberror and its name, ndata, "
		"data and the instruction bytes (insn, which show decodes), then the registers, "
		"and ends the run with reason internal_error.",
		"guest_emulate_fail.bin"),
	[KVM_EXIT_OSI] = EXIT_TEXT("PowerPC: an OSI hypercall (Mac-on-Linux).",
				   OTHER_ARCH("PowerPC") "The guest made an OSI call, which "
							 "userspace handles.",
				   "kvm_run.osi.gprs[32].", UNHANDLED, NULL),
	[KVM_EXIT_PAPR_HCALL] = EXIT_TEXT("PowerPC: a PAPR hypercall that userspace handles.",
					  OTHER_ARCH("PowerPC") "A hypercall of the PAPR (pSeries) "
								"interface that KVM does "
								"not implement in the kernel.",
					  "kvm_run.papr_hcall: nr, ret, args[9].", UNHANDLED, NULL),
	[KVM_EXIT_S390_UCONTROL] =
		EXIT_TEXT("s390: a translation fault of a user-controlled VM.",
			  OTHER_ARCH("s390") "In a user-controlled VM, userspace manages the "
					     "guest's address "
					     "space and gets its faults.",
			  "kvm_run.s390_ucontrol: trans_exc_code, pgm_code.", UNHANDLED, NULL),
	[KVM_EXIT_WATCHDOG] = EXIT_TEXT("PowerPC BookE: the watchdog timer expired.",
					OTHER_ARCH("PowerPC") "The guest's watchdog ran out, and "
							      "userspace decides what "
							      "to do.",
					"No kvm_run member.", UNHANDLED, NULL),
	[KVM_EXIT_S390_TSCH] = EXIT_TEXT("s390: a TEST SUBCHANNEL intercept that userspace "
					 "handles.",
					 OTHER_ARCH("s390") "The guest's channel I/O needs "
							    "userspace's answer.",
					 "kvm_run.s390_tsch: subchannel_id, subchannel_nr, "
					 "io_int_parm, io_int_word, ipb, "
					 "dequeued.",
					 UNHANDLED, NULL),
	[KVM_EXIT_EPR] = EXIT_TEXT("PowerPC: the guest acknowledged an external proxy interrupt.",
				   OTHER_ARCH("PowerPC") "Userspace supplies the interrupt's "
							 "vector.",
				   "kvm_run.epr.epr.", UNHANDLED, NULL),
	[KVM_EXIT_SYSTEM_EVENT] = EXIT_TEXT("A VM-wide event KVM reports for the guest: a "
					    "shutdown, a reset, a crash.",
					    "KVM reports an event of the whole VM that it learned "
					    "of on the guest's behalf: on "
					    "x86 a Hyper-V guest's crash report (CRASH) or an "
					    "SEV-ES guest's request to "
					    "terminate (SEV_TERM); on ARM and RISC-V the "
					    "firmware's power calls (PSCI "
					    "SYSTEM_OFF, SYSTEM_RESET, SYSTEM_SUSPEND).",
					    "kvm_run.system_event: type (SHUTDOWN 1, RESET 2, "
					    "CRASH 3, WAKEUP 4, SUSPEND 5, "
					    "SEV_TERM 6), ndata, data[16].",
					    "exit_system_event (vmm/exit_fail.c): records "
					    "event_type and event (its name) and "
					    "ends the run with reason system_event.",
					    NULL),
	[KVM_EXIT_S390_STSI] =
		EXIT_TEXT("s390: a STORE SYSTEM INFORMATION that userspace completes.",
			  OTHER_ARCH("s390") "Userspace adds its own information to what the guest "
					     "reads.",
			  "kvm_run.s390_stsi: addr, ar, fc, sel1, sel2.", UNHANDLED, NULL),
	[KVM_EXIT_IOAPIC_EOI] = EXIT_TEXT("Split irqchip: the guest ended a level-triggered "
					  "interrupt of userspace's IOAPIC.",
					  "With KVM_CAP_SPLIT_IRQCHIP the local APICs are in KVM "
					  "and the IOAPIC in "
					  "userspace. When the guest EOIs a vector userspace "
					  "routed as level-triggered, KVM "
					  "tells userspace, which looks at the line again and "
					  "delivers the interrupt again "
					  "if it is still asserted.",
					  "kvm_run.eoi.vector.",
					  "exit_ioapic_eoi (vmm/dev_ioapic.c): delivers the pins "
					  "still asserted again "
					  "(ioapic_irq records with why=eoi).",
					  NULL),
	[KVM_EXIT_HYPERV] = EXIT_TEXT("A Hyper-V enlightenment event that userspace emulates.",
				      "With Hyper-V emulation on, some of its events go to "
				      "userspace: a write to a "
				      "synthetic interrupt controller MSR (SYNIC), a hypercall KVM "
				      "does not handle "
				      "(HCALL), a synthetic debugger MSR access (SYNDBG).",
				      "kvm_run.hyperv: type (KVM_EXIT_HYPERV_SYNIC 1, HCALL 2, "
				      "SYNDBG 3) and its "
				      "member of u.",
				      UNHANDLED, NULL),
	[KVM_EXIT_ARM_NISV] = EXIT_TEXT("ARM: a data abort on MMIO that KVM cannot decode (no "
					"valid syndrome).",
					OTHER_ARCH("ARM") "The guest touched an MMIO address with "
							  "an instruction whose "
							  "syndrome gives KVM nothing to emulate "
							  "with.",
					"kvm_run.arm_nisv: esr_iss, fault_ipa.", UNHANDLED, NULL),
	[KVM_EXIT_X86_RDMSR] = EXIT_TEXT("The guest read an MSR that userspace asked to handle.",
					 "With KVM_CAP_X86_USER_SPACE_MSR, an RDMSR that KVM would "
					 "refuse (an unknown MSR, "
					 "an invalid access) or that an MSR filter "
					 "(KVM_X86_SET_MSR_FILTER) denies comes "
					 "to userspace instead of raising #GP.",
					 "kvm_run.msr: reason (KVM_MSR_EXIT_REASON_INVAL, "
					 "_UNKNOWN, _FILTER), index, data "
					 "(userspace's answer), error (set it to inject #GP).",
					 UNHANDLED, NULL),
	[KVM_EXIT_X86_WRMSR] = EXIT_TEXT("The guest wrote an MSR that userspace asked to handle.",
					 "As X86_RDMSR, for WRMSR.",
					 "kvm_run.msr: reason, index, data (the value written), "
					 "error (set it to inject "
					 "#GP).",
					 UNHANDLED, NULL),
	[KVM_EXIT_DIRTY_RING_FULL] = EXIT_TEXT("The vCPU's dirty ring is full: userspace must "
					       "harvest it first.",
					       "With the dirty ring (KVM_CAP_DIRTY_LOG_RING), KVM "
					       "pushes each page the vCPU "
					       "dirties into a ring it shares with userspace. When "
					       "the ring is nearly full, KVM "
					       "stops the vCPU with this exit, so that userspace "
					       "collects the entries and calls "
					       "KVM_RESET_DIRTY_RINGS before the guest goes on.",
					       "No kvm_run member: the ring itself (mapped at "
					       "KVM_DIRTY_LOG_PAGE_OFFSET of the "
					       "vCPU) holds the entries.",
					       "exit_dirty_ring_full (vmm/dirty_ring.c): harvests "
					       "and resets the ring; after "
					       "1000 such exits in a row that free nothing the run "
					       "ends as a host error.",
					       "guest_dirty.bin --dirty ring --dirty-ring-size "
					       "16K"),
	[KVM_EXIT_AP_RESET_HOLD] = EXIT_TEXT("SEV-ES: an AP parked itself until the next SIPI (AP "
					     "reset hold).",
					     "An SEV-ES guest cannot use INIT and SIPI as usual, "
					     "since the hypervisor cannot "
					     "set its registers; its APs park themselves with an "
					     "AP Reset Hold request (a "
					     "VMGEXIT) and wait there to be woken.",
					     "No kvm_run member.", UNHANDLED, NULL),
	[KVM_EXIT_X86_BUS_LOCK] =
		EXIT_TEXT("A guest instruction took a bus lock, and userspace asked to hear about "
			  "it.",
			  "With KVM_CAP_X86_BUS_LOCK_EXIT, KVM turns on the processor's bus-lock "
			  "detection "
			  "(VMX BUS_LOCK, SVM BUS_LOCK) and reports each split or uncacheable "
			  "locked access "
			  "after the instruction, so that userspace can throttle the guest.",
			  "No member: kvm_run.flags has KVM_RUN_X86_BUS_LOCK.", UNHANDLED, NULL),
	[KVM_EXIT_XEN] = EXIT_TEXT("A Xen hypercall of a guest that runs under KVM's Xen "
				   "emulation.",
				   "With KVM_XEN_HVM_CONFIG, KVM can run Xen guests; hypercalls it "
				   "does not "
				   "accelerate in the kernel come to userspace.",
				   "kvm_run.xen: type (KVM_EXIT_XEN_HCALL), hcall.longmode, cpl, "
				   "input, result, "
				   "params[6].",
				   UNHANDLED, NULL),
	[KVM_EXIT_RISCV_SBI] = EXIT_TEXT("RISC-V: an SBI call that userspace handles.",
					 OTHER_ARCH("RISC-V") "A call to the supervisor binary "
							      "interface KVM does not "
							      "implement itself.",
					 "kvm_run.riscv_sbi: extension_id, function_id, args[6], "
					 "ret[2].",
					 UNHANDLED, NULL),
	[KVM_EXIT_RISCV_CSR] = EXIT_TEXT("RISC-V: a CSR access that userspace emulates.",
					 OTHER_ARCH("RISC-V") "The guest accessed a control and "
							      "status register userspace "
							      "emulates.",
					 "kvm_run.riscv_csr: csr_num, new_value, write_mask, "
					 "ret_value.",
					 UNHANDLED, NULL),
	[KVM_EXIT_NOTIFY] = EXIT_TEXT("The processor's notify window ran out: the guest may block "
				      "interrupts forever.",
				      "With KVM_CAP_X86_NOTIFY_VMEXIT, KVM turns on Intel's notify "
				      "VM exits (VMX "
				      "NOTIFY) and tells userspace when the guest stayed longer "
				      "than the notify window "
				      "without an interrupt window, or always when the guest's "
				      "context became invalid.",
				      "kvm_run.notify.flags: KVM_NOTIFY_CONTEXT_INVALID when the "
				      "vCPU cannot go on.",
				      UNHANDLED, NULL),
	[KVM_EXIT_LOONGARCH_IOCSR] =
		EXIT_TEXT("LoongArch: an IOCSR access that userspace emulates.",
			  OTHER_ARCH("LoongArch") "An access to the I/O control and status "
						  "registers.",
			  "kvm_run.iocsr_io: phys_addr, data[8], len, is_write.", UNHANDLED, NULL),
	[KVM_EXIT_MEMORY_FAULT] = EXIT_TEXT("KVM could not resolve a guest memory access and tells "
					    "userspace which range.",
					    "An access KVM cannot map: most often one to "
					    "guest_memfd memory whose private or "
					    "shared state is not what the access needs, so that "
					    "userspace converts the range. "
					    "KVM_RUN also returns -EFAULT (or -EHWPOISON) with it.",
					    "kvm_run.memory_fault: flags "
					    "(KVM_MEMORY_EXIT_FLAG_PRIVATE), gpa, size.",
					    UNHANDLED, NULL),
	[KVM_EXIT_TDX] = EXIT_TEXT("A TDX guest's TDVMCALL that userspace handles.",
				   "A trust domain calls its host with TDVMCALL; the calls KVM "
				   "does not handle itself "
				   "(getting a quote for attestation, for example) come to "
				   "userspace.",
				   "kvm_run.tdx: the TDVMCALL's leaf and its arguments and "
				   "results.",
				   UNHANDLED, NULL),
	[KVM_EXIT_ARM_SEA] = EXIT_TEXT("ARM: a synchronous external abort on a guest access, for "
				       "userspace.",
				       OTHER_ARCH("ARM") "A memory error on a guest access that "
							 "userspace asked to handle.",
				       "kvm_run.arm_sea: the syndrome and the faulting addresses.",
				       UNHANDLED, NULL),
};
