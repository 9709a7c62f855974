/* SPDX-License-Identifier: MIT */
/* exit_text_vmx.c - owns the text of the VMX basic exit reasons (Intel SDM vol. 3, appendix C). */
#include "exit_text.h"
#include "mvm_x86.h"

/*
 * In our own words, from the SDM's descriptions of the exits and their
 * exit qualifications, and from Linux's arch/x86/kvm/vmx/ (the handlers of
 * kvm_vmx_exit_handlers[] of 6.16 and the patches after it, and nested.c's, which
 * nested_vmx_hardware_setup() puts in that table when kvm_intel nested=1).
 */

const char exit_text_reserved[] = "Reserved: the SDM assigns no exit to this number.";

#define VMX    "arch/x86/kvm/vmx/vmx.c"
#define NESTED "arch/x86/kvm/vmx/nested.c"
#define X86    "arch/x86/kvm/x86.c"

#define RESERVED                                                                             \
	EXIT_TEXT(exit_text_reserved,                                                        \
		  "No exit has this number in the SDM revisions minivmm's tables follow; a " \
		  "processor never reports it, and traces print it as unknown.",             \
		  "None.", "None.", NULL)

/* The VMX instructions, which always exit: the heart of nested VMX. */
#define VMX_INSN_CAUSE(what)                                                                    \
	what " Every VMX instruction exits unconditionally in VMX non-root operation: a guest " \
	     "that uses them is a hypervisor itself (L1), and KVM (L0) carries them out for "   \
	     "it on the VMCSs it keeps for L1 (vmcs12) and for L2 (vmcs02). Such exits are "    \
	     "L1's, not L2's: a trace shows them only through the kernel's view (--ktrace "     \
	     "kvm_exit, --kprobe handle_vmread), never as l2_exit records."
#define VMX_INSN_FIELDS_MEM                                                               \
	"Exit qualification: the displacement of the memory operand, if there is one.\n"  \
	"VM-exit instruction information (VMCS 0x440e): how the operand is addressed "    \
	"(scaling, address size, register or memory, segment, index and base registers) " \
	"and, for VMREAD and VMWRITE, the register operands."
#define VMX_INSN_FIELDS_NONE "Exit qualification: 0; the instruction has no operands."
#define VMX_INSN_HANDLER(fn, more)                                                              \
	fn " (" NESTED "), put into kvm_vmx_exit_handlers[] by nested_vmx_hardware_setup when " \
	   "kvm_intel's nested=1" more "; without nested VMX the table's "                      \
	   "handle_vmx_instruction injects #UD."

#define MSR_CAUSE(insn, dir)                                                                    \
	insn " exits when MSR bitmaps are off or the " dir " bit of the MSR (the guest's ECX) " \
	     "is set in the bitmap. KVM lets the guest reach a few MSRs directly (FS and GS "   \
	     "base, for example) and intercepts the rest, which it emulates; with an MSR "      \
	     "filter or KVM_CAP_X86_USER_SPACE_MSR, userspace can get them as "                 \
	     "KVM_EXIT_X86_RDMSR or KVM_EXIT_X86_WRMSR."

#define NOT_KVM_HANDLER(why) "None in kvm_vmx_exit_handlers[]: " why

const struct exit_text exit_text_vmx[MVM_VMX_EXIT_MAX] = {
	[EXIT_REASON_EXCEPTION_NMI] = EXIT_TEXT(
		"An exception or an NMI in the guest that the hypervisor intercepts.",
		"The guest raised an exception whose bit is set in the VMCS exception bitmap (a "
		"#PF is filtered further by the page-fault error-code mask and match fields), or "
		"an NMI arrived while NMI exiting was on. The exit happens instead of delivery "
		"through the guest's IDT, so that the hypervisor can handle, reflect or re-inject "
		"the event. KVM itself intercepts #UD, #MC, #AC and #DB always, #PF when it "
		"shadows the guest's page tables (no EPT), #BP while userspace sets software "
		"breakpoints, and #GP for the VMware backdoor when that is on.",
		"VM-exit interruption information (VMCS 0x4404):\n"
		"- bits 7:0 the vector (6 #UD, 13 #GP, 14 #PF, 2 for an NMI)\n"
		"- bits 10:8 the type: 0 external interrupt, 2 NMI, 3 hardware exception, 4 "
		"software interrupt, 5 privileged software exception, 6 software exception\n"
		"- bit 11 an error code was pushed (it is in VMCS 0x4406)\n"
		"- bit 12 NMI unblocking due to IRET\n"
		"- bit 31 valid\n"
		"Exit qualification: for #PF the faulting linear address (what CR2 would get), for "
		"#DB the debug conditions (as DR6 would show them), otherwise 0. An l2_exit "
		"record's intr_info is this interruption information: 0x80000306 is a valid "
		"hardware #UD.",
		"handle_exception_nmi (" VMX "): an NMI was already handled right after the exit "
		"(vmx_handle_exit_irqoff); #UD goes to handle_ud and the instruction emulator, #PF "
		"to kvm_handle_page_fault (shadow paging), #DB and #BP to userspace as "
		"KVM_EXIT_DEBUG when it asked for them. For L2, nested_vmx_reflect_vmexit first "
		"checks L1's exception bitmap.",
		"guest_vmx_except.bin"),
	[EXIT_REASON_EXTERNAL_INTERRUPT] = EXIT_TEXT(
		"A hardware interrupt arrived while the guest ran.",
		"A physical interrupt (a device's, a timer's, another CPU's IPI) became pending "
		"while the guest ran, and external-interrupt exiting was on. The processor leaves "
		"the guest instead of letting its IDT see the interrupt; with 'acknowledge "
		"interrupt on exit' it also takes the vector from the interrupt controller. KVM "
		"always runs guests this way, so that the host gets its own interrupts while a "
		"vCPU runs: these exits are frequent and never reach userspace.",
		"VM-exit interruption information: bits 7:0 the vector, bits 10:8 type 0, bit 31 "
		"valid (with 'acknowledge interrupt on exit', which KVM sets). Exit qualification: "
		"0.",
		"handle_external_interrupt (" VMX ") only counts it: vmx_handle_exit_irqoff has "
		"already called the host's handler for the vector, with interrupts off. For L2, "
		"L1 gets the exit when it set external-interrupt exiting.",
		"guest_vmx_intr.bin"),
	[EXIT_REASON_TRIPLE_FAULT] = EXIT_TEXT("The guest faulted while delivering a double fault: "
					       "a shutdown.",
					       "An exception occurred while the processor was "
					       "delivering a #DF. On bare metal the "
					       "processor would shut down (and the board usually "
					       "resets it); in VMX non-root "
					       "operation the shutdown is this exit. Typical "
					       "causes are a broken IDT, a stack "
					       "pointer into unmapped memory, or a page fault "
					       "while the page tables themselves "
					       "are not mapped.",
					       "Exit qualification: 0. The VMCS holds the guest's "
					       "state at the fault.",
					       "handle_triple_fault (" VMX "): sets "
					       "KVM_EXIT_SHUTDOWN for "
					       "userspace; minivmm "
					       "records SHUTDOWN cause=triple_fault and the "
					       "registers. An L2 triple fault goes "
					       "to L1 as this exit.",
					       "guest_triplefault.bin"),
	[EXIT_REASON_INIT_SIGNAL] = EXIT_TEXT("An INIT signal arrived for the processor that runs "
					      "the guest.",
					      "INIT resets a processor (another CPU's INIT IPI, "
					      "for example). In VMX non-root "
					      "operation it is not acted on but causes this exit, "
					      "so that the hypervisor decides "
					      "what a reset of its guest means. A host CPU does "
					      "not get INIT while it runs KVM's "
					      "guests: KVM emulates INIT for its vCPUs in its "
					      "local APIC.",
					      "Exit qualification: 0.",
					      NOT_KVM_HANDLER("KVM makes this exit only for L1, in "
							      "vmx_check_nested_events, when "
							      "an INIT is pending for a vCPU that "
							      "runs L2."),
					      NULL),
	[EXIT_REASON_SIPI_SIGNAL] = EXIT_TEXT("A start-up IPI arrived while the guest waited for "
					      "one.",
					      "A SIPI only means something to a processor in the "
					      "wait-for-SIPI state (after "
					      "INIT). When the guest's activity state is "
					      "wait-for-SIPI, a SIPI causes this exit "
					      "and carries the start vector, so that the "
					      "hypervisor can start the virtual "
					      "processor at vector * 4096.",
					      "Exit qualification bits 7:0: the SIPI vector; the "
					      "start address is the vector "
					      "shifted left by 12.",
					      NOT_KVM_HANDLER("KVM emulates INIT and SIPI in its "
							      "local APIC "
							      "(kvm_apic_accept_events) and never "
							      "leaves a vCPU in the "
							      "hardware's wait-for-SIPI state; for "
							      "L2 it makes the exit for L1 "
							      "in vmx_check_nested_events."),
					      NULL),
	[EXIT_REASON_IO_SMI] = EXIT_TEXT(
		"An SMI right after an I/O instruction, under the dual-monitor treatment of SMM.",
		"With the dual-monitor treatment, system-management mode runs under an SMM "
		"transfer monitor (STM), and an SMI that arrives right after an I/O instruction "
		"exits to it instead of entering SMM. Ordinary hypervisors, KVM among them, never "
		"see it: SMIs go to the platform firmware's SMM handler.",
		"Exit qualification: 0; the I/O RCX, RSI, RDI and RIP fields of the VMCS describe "
		"the I/O instruction.",
		NOT_KVM_HANDLER("KVM does not implement the dual-monitor treatment."), NULL),
	[EXIT_REASON_OTHER_SMI] = EXIT_TEXT("Any other SMI, under the dual-monitor treatment of "
					    "SMM.",
					    "As IO_SMI, for an SMI not tied to an I/O instruction: "
					    "only an SMM transfer monitor "
					    "gets it. KVM's emulated SMM (for guests with SMM "
					    "firmware) is a different thing: "
					    "the vCPU enters SMM in software, and RSM leaves it "
					    "through the emulator.",
					    "Exit qualification: 0.",
					    NOT_KVM_HANDLER("KVM does not implement the "
							    "dual-monitor treatment."),
					    NULL),
	[EXIT_REASON_INTERRUPT_WINDOW] = EXIT_TEXT("The guest can take an interrupt now, as the "
						   "hypervisor asked to be told.",
						   "The hypervisor had an interrupt to inject "
						   "while the guest had RFLAGS.IF clear or "
						   "was in an interrupt shadow (after STI or MOV "
						   "SS). It set interrupt-window exiting, "
						   "and the processor exits at the first "
						   "instruction boundary where the guest can "
						   "take a maskable interrupt.",
						   "Exit qualification: 0.",
						   "handle_interrupt_window (" VMX "): stops "
						   "asking for the "
						   "window; the "
						   "next entry "
						   "injects the pending interrupt. With a "
						   "userspace interrupt controller that asked "
						   "for the window, the exit goes on to userspace "
						   "as KVM_EXIT_IRQ_WINDOW_OPEN.",
						   NULL),
	[EXIT_REASON_NMI_WINDOW] = EXIT_TEXT("NMIs are no longer blocked in the guest, as the "
					     "hypervisor asked to be told.",
					     "As the interrupt window, for NMIs: the hypervisor "
					     "had a virtual NMI to deliver "
					     "while the guest still blocked NMIs (it had not yet "
					     "returned with IRET from the "
					     "previous one). With NMI-window exiting (which needs "
					     "virtual NMIs), the processor "
					     "exits once an NMI could be delivered.",
					     "Exit qualification: 0.",
					     "handle_nmi_window (" VMX "): stops asking for the "
					     "window; the next entry "
					     "injects "
					     "the NMI.",
					     NULL),
	[EXIT_REASON_TASK_SWITCH] = EXIT_TEXT("The guest asked for a hardware task switch.",
					      "A CALL or JMP to a TSS descriptor or task gate, an "
					      "interrupt or exception through "
					      "a task gate in the IDT, or an IRET with EFLAGS.NT "
					      "set asks the processor to "
					      "switch tasks. Task switches always exit in VMX "
					      "non-root operation, and the "
					      "hypervisor must perform them. Only 32-bit "
					      "protected-mode guests can ask: long "
					      "mode has no task switches.",
					      "Exit qualification:\n"
					      "- bits 15:0 the selector of the new task's TSS\n"
					      "- bits 31:30 the source: 0 CALL, 1 IRET, 2 JMP, 3 a "
					      "task gate in the IDT\n"
					      "For a task gate in the IDT, the IDT-vectoring "
					      "information says which event was "
					      "being delivered.",
					      "handle_task_switch (" VMX ") -> kvm_task_switch "
					      "(" X86 "), which does "
					      "the switch "
					      "in the instruction emulator (emulator_task_switch).",
					      NULL),
	[EXIT_REASON_CPUID] = EXIT_TEXT("The guest executed CPUID, which always exits.",
					"CPUID exits unconditionally in VMX non-root operation, so "
					"that the hypervisor "
					"decides which processor the guest sees. KVM answers from "
					"the CPUID entries "
					"userspace gave it with KVM_SET_CPUID2 (minivmm's --cpu).",
					"Exit qualification: 0. The leaf and subleaf are the "
					"guest's EAX and ECX; the "
					"VM-exit instruction length (2) is what KVM adds to RIP.",
					"kvm_emulate_cpuid (arch/x86/kvm/cpuid.c): looks the leaf "
					"up in the vCPU's CPUID "
					"entries (kvm_cpuid), writes EAX to EDX and skips the "
					"instruction. For L2, L1 "
					"always gets it.",
					"guest_vmx_basic.bin"),
	[EXIT_REASON_GETSEC] = EXIT_TEXT("The guest executed GETSEC (Intel TXT) with CR4.SMXE set.",
					 "GETSEC is the instruction of Safer Mode Extensions, "
					 "Intel TXT's measured launch. "
					 "It exits unconditionally, but only where it does not "
					 "fault first: with CR4.SMXE "
					 "clear it raises #UD in the guest. KVM does not offer SMX "
					 "to guests.",
					 "Exit qualification: 0; the leaf is the guest's EAX.",
					 NOT_KVM_HANDLER("KVM keeps CR4.SMXE clear in its guests, "
							 "so GETSEC raises #UD "
							 "instead."),
					 NULL),
	[EXIT_REASON_HLT] = EXIT_TEXT("The guest executed HLT, with HLT exiting on.",
				      "HLT stops a processor until the next interrupt. With HLT "
				      "exiting the processor "
				      "leaves the guest instead, so that the hypervisor can give "
				      "the physical CPU to "
				      "someone else until the vCPU has an interrupt to take. KVM "
				      "always sets it.",
				      "Exit qualification: 0.",
				      "kvm_emulate_halt (" X86 "): skips the instruction and, with "
				      "an in-kernel local "
				      "APIC, blocks the vCPU thread until an interrupt is pending "
				      "(the HLT never reaches "
				      "userspace); without one (minivmm's default, --irqchip none) "
				      "it returns "
				      "KVM_EXIT_HLT. For L2, L1 gets it when it set HLT exiting.",
				      "guest_vmx_basic.bin"),
	[EXIT_REASON_INVD] = EXIT_TEXT("The guest executed INVD, which always exits.",
				       "INVD throws the caches away without writing them back, "
				       "which a guest must not be "
				       "allowed to do to memory it shares with the host. It exits "
				       "unconditionally.",
				       "Exit qualification: 0.",
				       "kvm_emulate_invd (" X86 "): skips it, as a NOP.", NULL),
	[EXIT_REASON_INVLPG] = EXIT_TEXT("The guest executed INVLPG, with INVLPG exiting on.",
					 "INVLPG drops the TLB entries of one linear address. A "
					 "hypervisor that shadows the "
					 "guest's page tables must drop its own entry too, so KVM "
					 "sets INVLPG exiting when "
					 "it has no EPT; with EPT the guest's TLB is the guest's "
					 "business.",
					 "Exit qualification: the linear address operand.",
					 "handle_invlpg (" VMX ") -> kvm_mmu_invlpg, which "
					 "invalidates the shadow "
					 "page-table entry of that address.",
					 NULL),
	[EXIT_REASON_RDPMC] = EXIT_TEXT("The guest read a performance counter with RDPMC, with "
					"RDPMC exiting on.",
					"RDPMC reads the performance-monitoring counter ECX "
					"selects. KVM virtualizes the "
					"PMU, so it intercepts RDPMC unless the counters are "
					"passed through to the guest.",
					"Exit qualification: 0; the counter index is the guest's "
					"ECX.",
					"kvm_emulate_rdpmc (" X86 ") -> kvm_pmu_rdpmc: the virtual "
					"counter's value in "
					"EDX:EAX, or #GP for a bad index.",
					NULL),
	[EXIT_REASON_RDTSC] = EXIT_TEXT("The guest read the time-stamp counter, with RDTSC exiting "
					"on.",
					"RDTSC exiting lets a hypervisor make up the guest's TSC "
					"entirely. KVM does not "
					"use it: TSC offsetting and scaling let the guest's RDTSC "
					"run without an exit. "
					"Only an L1 hypervisor asks for it, for its L2.",
					"Exit qualification: 0.",
					NOT_KVM_HANDLER("for L2, the exit goes to L1 when L1 set "
							"RDTSC exiting."),
					NULL),
	[EXIT_REASON_RSM] =
		EXIT_TEXT("The guest executed RSM in SMM, under the dual-monitor treatment.",
			  "RSM returns from system-management mode. It exits only for SMM code "
			  "that an SMM "
			  "transfer monitor runs as a guest. KVM's own SMM emulation carries RSM "
			  "out in the "
			  "instruction emulator (after the #UD that RSM outside SMM raises).",
			  "Exit qualification: 0.",
			  NOT_KVM_HANDLER("KVM emulates RSM itself (emulator_leave_smm)."), NULL),
	[EXIT_REASON_VMCALL] = EXIT_TEXT("The guest executed VMCALL, a call to its hypervisor.",
					 "VMCALL always exits in VMX non-root operation: it is how "
					 "a guest calls its "
					 "hypervisor on purpose. KVM's paravirtual interface uses "
					 "it (hypercall number in "
					 "RAX, arguments in RBX, RCX, RDX and RSI), and so do the "
					 "L2 guests of the nested "
					 "payloads, to hand control back to their L1.",
					 "Exit qualification: 0. The instruction is three bytes "
					 "long (0f 01 c1).",
					 "kvm_emulate_hypercall (" X86 "): runs one of KVM's "
					 "hypercalls (KVM_HC_*) or, "
					 "for "
					 "one userspace enabled with KVM_CAP_EXIT_HYPERCALL, "
					 "returns KVM_EXIT_HYPERCALL; "
					 "an unknown number gets -KVM_ENOSYS in RAX. For L2, L1 "
					 "always gets it.",
					 "guest_vmx_basic.bin"),
	[EXIT_REASON_VMCLEAR] = EXIT_TEXT(
		"The guest executed VMCLEAR: it is a hypervisor itself (nested VMX).",
		VMX_INSN_CAUSE("VMCLEAR writes a VMCS back to memory and marks it clear, so that "
			       "it "
			       "can be launched again or moved to another processor."),
		VMX_INSN_FIELDS_MEM, VMX_INSN_HANDLER("handle_vmclear", ""), "guest_vmx_basic.bin"),
	[EXIT_REASON_VMLAUNCH] = EXIT_TEXT("The guest executed VMLAUNCH: L1 starts its guest L2 "
					   "for the first time.",
					   VMX_INSN_CAUSE("VMLAUNCH enters the guest of the "
							  "current VMCS for the first time. "
							  "For KVM this is L1 starting L2: it "
							  "checks vmcs12, builds vmcs02 from "
							  "it and runs L2 on the processor."),
					   VMX_INSN_FIELDS_NONE,
					   VMX_INSN_HANDLER("handle_vmlaunch", ", which calls "
									       "nested_vmx_run"),
					   "guest_vmx_basic.bin"),
	[EXIT_REASON_VMPTRLD] = EXIT_TEXT(
		"The guest executed VMPTRLD: L1 makes a VMCS current.",
		VMX_INSN_CAUSE("VMPTRLD makes the VMCS at a physical address the current one, "
			       "the one VMREAD, VMWRITE and VMLAUNCH act on."),
		VMX_INSN_FIELDS_MEM, VMX_INSN_HANDLER("handle_vmptrld", ""), "guest_vmx_basic.bin"),
	[EXIT_REASON_VMPTRST] =
		EXIT_TEXT("The guest executed VMPTRST: L1 stores the current-VMCS pointer.",
			  VMX_INSN_CAUSE("VMPTRST writes the physical address of the current VMCS "
					 "to "
					 "memory."),
			  VMX_INSN_FIELDS_MEM, VMX_INSN_HANDLER("handle_vmptrst", ""), NULL),
	[EXIT_REASON_VMREAD] = EXIT_TEXT("The guest executed VMREAD: L1 reads a field of its VMCS.",
					 VMX_INSN_CAUSE("VMREAD reads one field of the current "
							"VMCS. With VMCS shadowing, "
							"most of L1's VMREADs are served from a "
							"shadow VMCS without an "
							"exit; the others come here."),
					 VMX_INSN_FIELDS_MEM, VMX_INSN_HANDLER("handle_vmread", ""),
					 "guest_vmx_vmread.bin"),
	[EXIT_REASON_VMRESUME] = EXIT_TEXT("The guest executed VMRESUME: L1 resumes its guest L2.",
					   VMX_INSN_CAUSE("VMRESUME re-enters the guest of a "
							  "launched VMCS, which L1 does "
							  "after it handled each of L2's exits."),
					   VMX_INSN_FIELDS_NONE,
					   VMX_INSN_HANDLER("handle_vmresume", ", which calls "
									       "nested_vmx_run"),
					   "guest_vmx_basic.bin"),
	[EXIT_REASON_VMWRITE] = EXIT_TEXT(
		"The guest executed VMWRITE: L1 writes a field of its VMCS.",
		VMX_INSN_CAUSE("VMWRITE writes one field of the current VMCS; with VMCS "
			       "shadowing, most of L1's VMWRITEs do not exit."),
		VMX_INSN_FIELDS_MEM, VMX_INSN_HANDLER("handle_vmwrite", ""), "guest_vmx_basic.bin"),
	[EXIT_REASON_VMOFF] =
		EXIT_TEXT("The guest executed VMXOFF: L1 leaves VMX operation.",
			  VMX_INSN_CAUSE("VMXOFF ends VMX operation on the (virtual) processor."),
			  VMX_INSN_FIELDS_NONE, VMX_INSN_HANDLER("handle_vmxoff", ""), NULL),
	[EXIT_REASON_VMON] = EXIT_TEXT("The guest executed VMXON: it starts to be a hypervisor "
				       "(nested VMX).",
				       VMX_INSN_CAUSE("VMXON enters VMX operation, given the "
						      "physical address of a "
						      "VMXON region; the guest must have CR4.VMXE "
						      "set, which KVM allows "
						      "only with nested VMX."),
				       VMX_INSN_FIELDS_MEM, VMX_INSN_HANDLER("handle_vmxon", ""),
				       "guest_vmx_basic.bin"),
	[EXIT_REASON_CR_ACCESS] = EXIT_TEXT(
		"The guest accessed a control register in a way the hypervisor intercepts.",
		"A write to CR0 or CR4 exits when it would change a bit the hypervisor owns (one "
		"set in the CR0 or CR4 guest/host mask); reads of those registers come from the "
		"read shadows, without an exit. CR3 loads and stores exit with CR3-load and "
		"CR3-store exiting, which KVM needs only without EPT, when it shadows the guest's "
		"page tables; CR8 accesses exit with CR8-load and CR8-store exiting, unless the "
		"TPR shadow handles them. CLTS and LMSW, which change CR0, come here as well.",
		"Exit qualification:\n"
		"- bits 3:0 the control register (0, 3, 4 or 8)\n"
		"- bits 5:4 the access: 0 MOV to CR, 1 MOV from CR, 2 CLTS, 3 LMSW\n"
		"- bit 6 the LMSW operand: 0 a register, 1 memory\n"
		"- bits 11:8 the general-purpose register of a MOV (0 RAX, 1 RCX, 2 RDX, 3 RBX, 4 "
		"RSP, ...)\n"
		"- bits 31:16 the LMSW source data\n"
		"An l2_exit record's info1 is this qualification.",
		"handle_cr (" VMX "): decodes the qualification and calls kvm_set_cr0, "
		"kvm_set_cr3, kvm_set_cr4 or kvm_set_cr8, reads CR3 or CR8, or emulates CLTS and "
		"LMSW. For L2, nested_vmx_exit_handled_cr checks L1's masks and CR3-target "
		"values first.",
		"guest_vmx_basic.bin"),
	[EXIT_REASON_DR_ACCESS] = EXIT_TEXT("The guest moved to or from a debug register, with "
					    "MOV-DR exiting on.",
					    "MOV to or from DR0-DR7 exits when MOV-DR exiting is "
					    "on. KVM sets it while the "
					    "guest's debug registers are not loaded on the "
					    "processor, and clears it at the "
					    "first access, after which it switches the registers "
					    "on entry and exit.",
					    "Exit qualification:\n"
					    "- bits 2:0 the debug register\n"
					    "- bit 4 the direction: 0 MOV to DR, 1 MOV from DR\n"
					    "- bits 11:8 the general-purpose register",
					    "handle_dr (" VMX "): loads the guest's debug "
					    "registers and stops intercepting, "
					    "or, when userspace debugs the guest with hardware "
					    "breakpoints, may report "
					    "KVM_EXIT_DEBUG.",
					    NULL),
	[EXIT_REASON_IO_INSTRUCTION] = EXIT_TEXT(
		"The guest executed IN, OUT, INS or OUTS on a port the hypervisor intercepts.",
		"A port I/O instruction exits with unconditional I/O exiting or, with I/O bitmaps, "
		"when the bit of a port it touches is set. KVM intercepts every port: its "
		"in-kernel devices (PIT, PIC, ...) answer some in the kernel, and the rest go to "
		"userspace as KVM_EXIT_IO, which is what every IO record of a minivmm trace is.",
		"Exit qualification:\n"
		"- bits 2:0 the size minus one (0 a byte, 1 a word, 3 a doubleword)\n"
		"- bit 3 the direction: 0 OUT, 1 IN\n"
		"- bit 4 a string instruction (INS, OUTS)\n"
		"- bit 5 a REP prefix\n"
		"- bit 6 the port operand: 0 in DX, 1 an immediate\n"
		"- bits 31:16 the port\n"
		"String instructions also fill the guest-linear-address field.",
		"handle_io (" VMX "): a plain IN or OUT goes to kvm_fast_pio, a string one to the "
		"instruction emulator; a port no in-kernel device claims fills kvm_run.io and "
		"returns KVM_EXIT_IO. For L2, nested_vmx_exit_handled_io reads L1's I/O bitmaps.",
		"guest_vmx_basic.bin"),
	[EXIT_REASON_MSR_READ] = EXIT_TEXT("The guest executed RDMSR on an MSR the hypervisor "
					   "intercepts.",
					   MSR_CAUSE("RDMSR", "read"),
					   "Exit qualification: 0. The MSR is the guest's ECX; the "
					   "value goes to EDX:EAX.",
					   "kvm_emulate_rdmsr (" X86 ") -> kvm_get_msr and "
					   "vmx_get_msr: the value, a "
					   "#GP, or "
					   "an exit to userspace (KVM_EXIT_X86_RDMSR). For L2, "
					   "L1's MSR bitmap decides "
					   "(nested_vmx_exit_handled_msr).",
					   "guest_vmx_basic.bin"),
	[EXIT_REASON_MSR_WRITE] = EXIT_TEXT("The guest executed WRMSR on an MSR the hypervisor "
					    "intercepts.",
					    MSR_CAUSE("WRMSR", "write"),
					    "Exit qualification: 0. The MSR is the guest's ECX, "
					    "the value EDX:EAX.",
					    "kvm_emulate_wrmsr (" X86 ") -> kvm_set_msr and "
					    "vmx_set_msr (the x2APIC ICR "
					    "and the "
					    "TSC deadline take a fast path, handle_fastpath_wrmsr, "
					    "before interrupts are "
					    "enabled): a #GP for a bad value, or an exit to "
					    "userspace (KVM_EXIT_X86_WRMSR).",
					    NULL),
	[EXIT_REASON_INVALID_STATE] = EXIT_TEXT(
		"VM entry failed: the guest state in the VMCS broke the entry checks.",
		"Before it enters a guest the processor checks the VMCS's guest-state area: "
		"control registers, segment registers and their access rights, RIP and RFLAGS, "
		"the activity and interruptibility state. If a check fails, VM entry fails with "
		"this basic reason and bit 31 of the exit reason set, and the guest never runs. "
		"For L1, KVM makes the same checks on vmcs12 in software "
		"(nested_vmx_check_guest_state), so that an L1 usually gets this exit from KVM, "
		"not from the processor.",
		"Exit reason: bit 31 set (0x80000021). Exit qualification: 0, or 2 when loading "
		"the PAE PDPTEs failed, 3 for an NMI injected while NMIs were blocked, 4 for an "
		"invalid VMCS link pointer. The guest state is unchanged.",
		"No handler runs for KVM's own guest: __vmx_handle_exit sees the failed entry and "
		"returns KVM_EXIT_FAIL_ENTRY with the exit reason in "
		"kvm_run.fail_entry.hardware_entry_failure_reason (minivmm's FAIL_ENTRY record "
		"says vmx_exit=INVALID_GUEST_STATE). With emulate_invalid_guest_state, KVM runs "
		"code the processor would refuse (old real-mode states) in its emulator "
		"instead (handle_invalid_guest_state). For L1, nested_vmx_enter_non_root_mode "
		"makes the exit when nested_vmx_check_guest_state fails.",
		"guest_vmx_invalid.bin"),
	[EXIT_REASON_MSR_LOAD_FAIL] = EXIT_TEXT("VM entry failed while loading the VM-entry "
						"MSR-load list.",
						"The VM-entry MSR-load area lists MSRs to load "
						"when the guest is entered. An entry "
						"with a bad MSR index, reserved bits, or a value "
						"the MSR refuses makes the entry "
						"fail with this reason (bit 31 set); the guest "
						"does not run.",
						"Exit qualification: the number of the entry that "
						"failed, counting from 1.",
						"For KVM's own guest, a KVM_EXIT_FAIL_ENTRY; for "
						"L1, "
						"nested_vmx_enter_non_root_mode makes the exit "
						"when nested_vmx_load_msr fails on "
						"vmcs12's list.",
						NULL),
	[35] = RESERVED,
	[EXIT_REASON_MWAIT_INSTRUCTION] = EXIT_TEXT("The guest executed MWAIT, with MWAIT exiting "
						    "on.",
						    "MWAIT waits for a write to the address range "
						    "MONITOR armed, or for an interrupt. "
						    "KVM intercepts it unless userspace let the "
						    "guest idle in MWAIT "
						    "(KVM_CAP_X86_DISABLE_EXITS), because a guest "
						    "waiting there would hold the "
						    "physical CPU.",
						    "Exit qualification: bit 0 set when the "
						    "monitoring hardware was armed.",
						    "kvm_emulate_mwait (" X86 "): a NOP (KVM warns "
						    "once); when the "
						    "guest's CPUID does "
						    "not offer MONITOR/MWAIT, #UD unless a quirk "
						    "says otherwise.",
						    NULL),
	[EXIT_REASON_MONITOR_TRAP_FLAG] = EXIT_TEXT("A monitor-trap-flag step: the guest completed "
						    "one instruction.",
						    "With the monitor trap flag set, the processor "
						    "exits after each guest instruction "
						    "(or the delivery of an event): a single step "
						    "the guest cannot see, unlike "
						    "RFLAGS.TF. KVM's own single-step "
						    "(KVM_GUESTDBG_SINGLESTEP, minivmm's "
						    "--singlestep) uses RFLAGS.TF; KVM emulates "
						    "the monitor trap flag for an L1 "
						    "that asks for it.",
						    "Exit qualification: 0.",
						    "handle_monitor_trap (" VMX ") only resumes; "
						    "vmx_check_nested_"
						    "events delivers "
						    "the pending step to L1.",
						    NULL),
	[38] = RESERVED,
	[EXIT_REASON_MONITOR_INSTRUCTION] =
		EXIT_TEXT("The guest executed MONITOR, with MONITOR exiting on.",
			  "MONITOR arms address-range monitoring for a later MWAIT. KVM intercepts "
			  "it "
			  "together with MWAIT.",
			  "Exit qualification: 0; the address is the guest's RAX (DS segment).",
			  "kvm_emulate_monitor (" X86 "): a NOP, as MWAIT.", NULL),
	[EXIT_REASON_PAUSE_INSTRUCTION] = EXIT_TEXT("The guest spun in a PAUSE loop long enough "
						    "(PAUSE-loop exiting).",
						    "A guest that waits for a lock runs PAUSE in "
						    "its loop. With PAUSE-loop exiting, "
						    "the processor exits when PAUSEs follow each "
						    "other closely (within PLE_Gap "
						    "cycles) for longer than PLE_Window: the vCPU "
						    "probably waits for a lock holder "
						    "that is not running. PAUSE exiting, which "
						    "exits at every PAUSE, gives the same "
						    "reason.",
						    "Exit qualification: 0.",
						    "handle_pause (" VMX "): grows the PLE window "
						    "and calls "
						    "kvm_vcpu_on_spin, which "
						    "yields to a vCPU of the same VM that may hold "
						    "the lock.",
						    NULL),
	[EXIT_REASON_MCE_DURING_VMENTRY] = EXIT_TEXT("A machine check happened during VM entry.",
						     "A machine-check exception occurred while the "
						     "processor entered the guest. The "
						     "entry fails (bit 31 of the exit reason set) "
						     "and the host must handle the machine "
						     "check.",
						     "Exit qualification: 0.",
						     "handle_machine_check (" VMX ") only resumes: "
						     "the host's "
						     "machine-check "
						     "handler "
						     "already ran right after the exit "
						     "(vmx_handle_exit_irqoff).",
						     NULL),
	[42] = RESERVED,
	[EXIT_REASON_TPR_BELOW_THRESHOLD] =
		EXIT_TEXT("The guest lowered its task priority below the threshold the hypervisor "
			  "set.",
			  "With the TPR shadow, the guest writes CR8 (or the APIC's TPR) in the "
			  "virtual-APIC "
			  "page without an exit. The hypervisor sets the TPR threshold to the "
			  "priority class "
			  "of its highest pending interrupt; when the guest lowers its TPR below "
			  "it, that "
			  "interrupt can be delivered, and the processor exits to say so.",
			  "Exit qualification: 0. The exit is trap-like: RIP is already past the "
			  "instruction.",
			  "handle_tpr_below_threshold (" VMX "): asks for an event-injection pass "
			  "(KVM_REQ_EVENT), which delivers the interrupt.",
			  NULL),
	[EXIT_REASON_APIC_ACCESS] = EXIT_TEXT("The guest accessed the APIC page in a way APIC "
					      "virtualization does not cover.",
					      "With 'virtualize APIC accesses', guest accesses to "
					      "the APIC-access page (the "
					      "page at the APIC base, 0xfee00000) go to the "
					      "virtual-APIC page when APIC "
					      "virtualization covers them. Others (a register or "
					      "width it does not virtualize, "
					      "an instruction fetch, an access outside xAPIC mode) "
					      "exit with this reason, and "
					      "the hypervisor emulates the APIC register.",
					      "Exit qualification:\n"
					      "- bits 11:0 the offset in the page, for a linear "
					      "access\n"
					      "- bits 15:12 the access: 0 linear read, 1 linear "
					      "write, 2 linear instruction "
					      "fetch, 3 linear during event delivery, 10 "
					      "guest-physical during event delivery, "
					      "15 guest-physical instruction fetch or page walk",
					      "handle_apic_access (" VMX "): an EOI write takes a "
					      "fast path to "
					      "kvm_lapic_set_eoi; everything else goes through the "
					      "instruction emulator to the "
					      "in-kernel local APIC.",
					      NULL),
	[EXIT_REASON_EOI_INDUCED] = EXIT_TEXT("The guest ended an interrupt (EOI) whose vector the "
					      "hypervisor wants to hear of.",
					      "With virtual-interrupt delivery the processor "
					      "completes most EOIs in the virtual "
					      "APIC by itself. For vectors set in the EOI-exit "
					      "bitmap (level-triggered "
					      "interrupts, whose IOAPIC line must be looked at "
					      "again) it exits after the EOI.",
					      "Exit qualification bits 7:0: the vector. Trap-like: "
					      "RIP is past the instruction.",
					      "handle_apic_eoi_induced (" VMX ") -> "
					      "kvm_apic_set_eoi_"
					      "accelerated, which "
					      "tells "
					      "the IOAPIC, or userspace with a split irqchip "
					      "(KVM_EXIT_IOAPIC_EOI).",
					      NULL),
	[EXIT_REASON_GDTR_IDTR] = EXIT_TEXT("The guest executed LGDT, LIDT, SGDT or SIDT, with "
					    "descriptor-table exiting on.",
					    "Descriptor-table exiting makes the instructions that "
					    "load and store GDTR and "
					    "IDTR exit. KVM sets it only to emulate UMIP on "
					    "processors that lack it: it "
					    "intercepts them to raise #GP when CR4.UMIP forbids "
					    "them at CPL > 0.",
					    "Exit qualification: the displacement of the memory "
					    "operand. Instruction "
					    "information: bits 29:28 the instruction (0 SGDT, 1 "
					    "SIDT, 2 LGDT, 3 LIDT), and "
					    "how the operand is addressed.",
					    "handle_desc (" VMX "): runs the instruction in the "
					    "emulator, which makes the UMIP "
					    "check.",
					    NULL),
	[EXIT_REASON_LDTR_TR] = EXIT_TEXT("The guest executed LLDT, LTR, SLDT or STR, with "
					  "descriptor-table exiting on.",
					  "As GDTR_IDTR, for the instructions that load and store "
					  "LDTR and TR; KVM sets the "
					  "control only to emulate UMIP.",
					  "Exit qualification: the displacement of a memory "
					  "operand. Instruction "
					  "information: bits 29:28 the instruction (0 SLDT, 1 STR, "
					  "2 LLDT, 3 LTR), and the "
					  "register or memory operand.",
					  "handle_desc (" VMX "), as for GDTR_IDTR.", NULL),
	[EXIT_REASON_EPT_VIOLATION] = EXIT_TEXT(
		"A guest-physical access that the EPT tables do not map, or do not allow.",
		"With EPT the processor translates every guest-physical address through the "
		"extended page tables the hypervisor built. This exit happens when the walk finds "
		"no mapping, or one without the read, write or execute permission the access "
		"needs. KVM builds EPT lazily: the first touch of each guest page exits here and "
		"KVM maps it. Dirty logging write-protects pages, so the first write after each "
		"harvest exits here too. An access to an address in no memory slot becomes MMIO: "
		"KVM installs an entry that turns later accesses into EPT misconfigurations.",
		"Exit qualification:\n"
		"- bit 0 a data read, bit 1 a data write, bit 2 an instruction fetch\n"
		"- bits 5:3 whether the translation allowed reading, writing, executing (bit 6 "
		"user-mode executing, with mode-based execute control)\n"
		"- bit 7 the guest-linear address is valid\n"
		"- bit 8, when bit 7 is set: 1 for an access to the translated address, 0 for an "
		"access to one of the guest's own paging-structure entries\n"
		"- bit 12 NMI unblocking due to IRET\n"
		"The guest-physical address is in VMCS 0x2400, the linear one in 0x640a when bit "
		"7 is set. An l2_exit record's info1 is the qualification and info2 the "
		"guest-physical address.",
		"handle_ept_violation (" VMX ") -> __vmx_handle_ept_violation -> "
		"kvm_mmu_page_fault, which maps the page (kvm_tdp_page_fault, the TDP MMU) or "
		"hands an access to an address without memory to the MMIO path (KVM_EXIT_MMIO). "
		"For L2, KVM first fixes its shadow of L1's EPT; only when L1's EPT does not map "
		"the address does L1 get the exit (nested_ept_inject_page_fault).",
		"guest_vmx_paging.bin"),
	[EXIT_REASON_EPT_MISCONFIG] = EXIT_TEXT(
		"An EPT entry with an illegal combination of bits: KVM's MMIO entries.",
		"The processor met an EPT paging-structure entry it cannot use: writable but not "
		"readable, execute-only where that is not supported, reserved bits set, or a bad "
		"memory type. KVM makes such entries on purpose: for a guest-physical address in "
		"no memory slot it installs one (an MMIO SPTE, tagged with the memslot "
		"generation), so that every later access exits here at once and goes straight to "
		"MMIO emulation, without a page-table walk. On an Intel host with EPT, the MMIO "
		"records of a trace come through here.",
		"Exit qualification: undefined (0). The guest-physical address is in VMCS "
		"0x2400.",
		"handle_ept_misconfig (" VMX "): tries an ioeventfd on the address first, then "
		"kvm_mmu_page_fault for MMIO, which emulates the instruction and returns "
		"KVM_EXIT_MMIO for an address no in-kernel device claims.",
		"guest_mmio.bin"),
	[EXIT_REASON_INVEPT] = EXIT_TEXT(
		"The guest executed INVEPT: L1 flushes translations derived from its EPT.",
		VMX_INSN_CAUSE("INVEPT invalidates cached translations derived from EPT, for one "
			       "EPT pointer (single-context) or all of them; for KVM that means "
			       "dropping its shadows of L1's EPT."),
		"Exit qualification: the displacement of the memory operand, a 128-bit "
		"descriptor holding the EPT pointer. Instruction information: the register that "
		"holds the type (1 single-context, 2 all-context), and how the operand is "
		"addressed.",
		VMX_INSN_HANDLER("handle_invept", ", which frees the matching shadow roots"), NULL),
	[EXIT_REASON_RDTSCP] = EXIT_TEXT("The guest executed RDTSCP, with RDTSC exiting on.",
					 "RDTSCP reads the TSC and IA32_TSC_AUX. It exits only "
					 "with RDTSC exiting, which "
					 "KVM does not use for its own guests.",
					 "Exit qualification: 0.",
					 NOT_KVM_HANDLER("for L2, the exit goes to L1 when L1 set "
							 "RDTSC exiting."),
					 NULL),
	[EXIT_REASON_PREEMPTION_TIMER] = EXIT_TEXT("The VMX-preemption timer reached zero.",
						   "The preemption timer counts down in the VMCS "
						   "while the guest runs, at a fixed "
						   "fraction of the TSC rate. KVM uses it as the "
						   "host-side deadline of the guest's "
						   "local-APIC timer in TSC-deadline mode, instead "
						   "of an hrtimer, which saves a host "
						   "interrupt per guest timer.",
						   "Exit qualification: 0.",
						   "handle_preemption_timer (" VMX "), or its fast "
						   "path "
						   "handle_fastpath_preemption_timer: fires the "
						   "guest's APIC timer "
						   "(kvm_lapic_expired_hv_timer), whose interrupt "
						   "is then injected.",
						   NULL),
	[EXIT_REASON_INVVPID] = EXIT_TEXT("The guest executed INVVPID: L1 flushes TLB entries of a "
					  "VPID.",
					  VMX_INSN_CAUSE("INVVPID invalidates TLB entries tagged "
							 "with a virtual-processor "
							 "ID: of one address, of one VPID, of all "
							 "VPIDs, or of one VPID "
							 "except global translations."),
					  "Exit qualification: the displacement of the memory "
					  "operand, a 128-bit "
					  "descriptor holding the VPID and the address. "
					  "Instruction information: the "
					  "register that holds the type (0 to 3), and how the "
					  "operand is addressed.",
					  VMX_INSN_HANDLER("handle_invvpid", ""), NULL),
	[EXIT_REASON_WBINVD] =
		EXIT_TEXT("The guest executed WBINVD, with WBINVD exiting on.",
			  "WBINVD writes back and invalidates every cache: slow, and useless to a "
			  "vCPU that "
			  "has run on other physical CPUs than this one. KVM always intercepts it. "
			  "Without "
			  "an assigned device that does non-coherent DMA it just skips the "
			  "instruction; with "
			  "one, it flushes the caches of every physical CPU the vCPU ran on.",
			  "Exit qualification: 0.", "kvm_emulate_wbinvd (" X86 ").", NULL),
	[EXIT_REASON_XSETBV] = EXIT_TEXT("The guest executed XSETBV to change XCR0.",
					 "XSETBV writes an extended control register: XCR0 selects "
					 "the state components "
					 "XSAVE manages (x87, SSE, AVX, ...). It always exits, "
					 "since the host must put its "
					 "own XCR0 back around the guest.",
					 "Exit qualification: 0. ECX selects the register (0 for "
					 "XCR0), EDX:EAX is the "
					 "value.",
					 "kvm_emulate_xsetbv (" X86 ") -> __kvm_set_xcr: checks "
					 "the value against what the "
					 "guest's CPUID allows (else #GP) and keeps it for the "
					 "next entry.",
					 NULL),
	[EXIT_REASON_APIC_WRITE] = EXIT_TEXT("The guest wrote an APIC register whose new value the "
					     "hypervisor must act on.",
					     "With APIC-register virtualization, a guest write to "
					     "the virtual-APIC page is "
					     "completed there; for some registers (the ICR, the "
					     "timer, the LVT entries, ...) the "
					     "processor then exits, trap-like, so that the "
					     "hypervisor acts on the value: sends "
					     "the IPI, arms the timer.",
					     "Exit qualification bits 11:0: the offset of the "
					     "register. Trap-like: RIP is past "
					     "the instruction and the value is already in the "
					     "virtual-APIC page.",
					     "handle_apic_write (" VMX ") -> "
					     "kvm_apic_write_nodecode, "
					     "which reads the value "
					     "from the virtual-APIC page and applies it in the "
					     "in-kernel local APIC.",
					     NULL),
	[EXIT_REASON_RDRAND] = EXIT_TEXT("The guest executed RDRAND, with RDRAND exiting on.",
					 "RDRAND exiting lets a hypervisor supply the random "
					 "numbers itself. KVM does not "
					 "set it for its guests, where RDRAND runs without an "
					 "exit; only an L1 asks for "
					 "it, for its L2.",
					 "Exit qualification: 0. Instruction information: the "
					 "destination register and "
					 "the operand size.",
					 "kvm_handle_invalid_op (" X86 "): injects #UD, since KVM "
					 "never asks for the exit "
					 "itself.",
					 NULL),
	[EXIT_REASON_INVPCID] = EXIT_TEXT(
		"The guest executed INVPCID, with INVPCID exiting on.",
		"INVPCID invalidates TLB entries by PCID: of one address, of one PCID, of all "
		"PCIDs with or without global ones. It exits when INVPCID is enabled together "
		"with INVLPG exiting, which KVM sets only when it shadows the guest's page tables "
		"(no EPT): then it must drop the matching shadow entries.",
		"Exit qualification: the displacement of the memory operand (the descriptor with "
		"the PCID and the address). Instruction information: the register that holds the "
		"type, and how the operand is addressed.",
		"handle_invpcid (" VMX ") -> kvm_handle_invpcid (" X86 ").", NULL),
	[EXIT_REASON_VMFUNC] = EXIT_TEXT("A VM function the guest called with VMFUNC failed, or is "
					 "not enabled.",
					 "VMFUNC lets a guest use processor functions the "
					 "hypervisor enabled, without an "
					 "exit; function 0, EPTP switching, loads an EPT pointer "
					 "from a list the "
					 "hypervisor prepared. The exit happens only when the "
					 "function is not enabled or "
					 "its argument is bad. KVM offers EPTP switching to L1 "
					 "only, for its L2, and "
					 "emulates it.",
					 "Exit qualification: 0. EAX is the function, ECX its "
					 "argument (the index in the "
					 "EPTP list for function 0).",
					 VMX_INSN_HANDLER("handle_vmfunc", ", which switches L2's "
									   "EPT pointer "
									   "(nested_vmx_eptp_"
									   "switching) or reflects "
									   "the exit to L1"),
					 NULL),
	[EXIT_REASON_ENCLS] = EXIT_TEXT("The guest executed ENCLS (SGX, supervisor leaves), with "
					"ENCLS exiting on.",
					"ENCLS holds the supervisor operations of Intel SGX: "
					"creating enclaves, adding "
					"pages to them, initializing them. The ENCLS-exiting "
					"bitmap selects the leaves "
					"that exit. KVM intercepts the leaves it must check "
					"(ECREATE, EINIT, ...) when it "
					"offers SGX to the guest, and all of them when it does "
					"not.",
					"Exit qualification: 0. The leaf is the guest's EAX.",
					"handle_encls (" VMX "; with CONFIG_X86_SGX_KVM the one in "
					"arch/x86/kvm/vmx/sgx.c) -> handle_encls_ecreate, "
					"handle_encls_einit, or #UD "
					"when SGX is not offered.",
					NULL),
	[EXIT_REASON_RDSEED] = EXIT_TEXT("The guest executed RDSEED, with RDSEED exiting on.",
					 "As RDRAND: RDSEED exiting lets a hypervisor supply the "
					 "seeds; KVM does not set it "
					 "for its own guests.",
					 "Exit qualification: 0. Instruction information: the "
					 "destination register and "
					 "the operand size.",
					 "kvm_handle_invalid_op (" X86 "): injects #UD.", NULL),
	[EXIT_REASON_PML_FULL] = EXIT_TEXT(
		"The page-modification log is full: dirty pages to harvest.",
		"With page-modification logging, the processor appends the guest-physical address "
		"of each page whose EPT dirty flag it sets to a log page of 512 entries, so that "
		"dirty logging needs no write protection. When the log is full, the next write "
		"that would log exits with this reason; the hypervisor empties the log into its "
		"dirty bitmap (or ring) and resets the index. PML is never on while KVM runs an "
		"L2: KVM emulates it for L1, writing L1's log itself, and a full log of L1's "
		"becomes this exit for L1.",
		"Exit qualification: bit 12 NMI unblocking due to IRET, the rest 0. The PML index "
		"(VMCS 0x0812) counts down from 511.",
		"handle_pml_full (" VMX ") only resumes: vmx_flush_pml_buffer has already moved "
		"the log into the dirty bitmap at the start of every exit "
		"(kvm_vcpu_mark_page_dirty for each entry). For L1, nested_vmx_write_pml_buffer "
		"fills L1's log and makes this exit when it is full.",
		"guest_vmx_pml.bin"),
	[EXIT_REASON_XSAVES] = EXIT_TEXT("The guest executed XSAVES for a component the "
					 "XSS-exiting bitmap intercepts.",
					 "XSAVES and XRSTORS save and restore the supervisor state "
					 "components (those "
					 "IA32_XSS enables). They exit only for components set in "
					 "the XSS-exiting bitmap, "
					 "which KVM leaves empty: neither exits for KVM's guests.",
					 "Exit qualification: 0. The requested components are "
					 "EDX:EAX and XCR0 | "
					 "IA32_XSS.",
					 NOT_KVM_HANDLER("KVM's XSS-exiting bitmap is empty; for "
							 "L2, L1's bitmap decides."),
					 NULL),
	[EXIT_REASON_XRSTORS] = EXIT_TEXT("The guest executed XRSTORS for a component the "
					  "XSS-exiting bitmap intercepts.",
					  "As XSAVES, for the restore.", "Exit qualification: 0.",
					  NOT_KVM_HANDLER("KVM's XSS-exiting bitmap is empty; for "
							  "L2, L1's bitmap decides."),
					  NULL),
	[EXIT_REASON_PCONFIG] = EXIT_TEXT("The guest executed PCONFIG (platform configuration, "
					  "memory-encryption keys).",
					  "PCONFIG configures platform features, above all the "
					  "keys of total memory "
					  "encryption (MKTME). It exits when PCONFIG is enabled "
					  "and the leaf's bit is set in "
					  "the PCONFIG-exiting bitmap. KVM does not offer PCONFIG.",
					  "Exit qualification: 0. The leaf is the guest's EAX.",
					  NOT_KVM_HANDLER("KVM does not offer PCONFIG to guests."),
					  NULL),
	[EXIT_REASON_SPP] =
		EXIT_TEXT("A write hit a protected 128-byte part of a page (sub-page write "
			  "permissions).",
			  "Sub-page write permissions let EPT allow writes to each 128-byte part "
			  "of a 4 KiB "
			  "page separately, from a table with 32 write bits per page. A write to a "
			  "protected part, or a missing or bad entry of that table, exits with "
			  "this "
			  "reason. KVM does not use SPP: the patches for it were never merged.",
			  "Exit qualification: tells a miss in the SPP table from a "
			  "misconfiguration of it; "
			  "the guest-physical address is in VMCS 0x2400.",
			  NOT_KVM_HANDLER("KVM does not use sub-page permissions."), NULL),
	[EXIT_REASON_UMWAIT] = EXIT_TEXT("The guest executed UMWAIT, with the controls set for it "
					 "to exit.",
					 "UMWAIT (WAITPKG) waits in user mode for a write to a "
					 "monitored address or for a "
					 "TSC deadline. It exits when 'enable user wait and pause' "
					 "and RDTSC exiting are "
					 "both on. KVM offers WAITPKG without RDTSC exiting, so "
					 "UMWAIT runs without an "
					 "exit there.",
					 "Exit qualification: 0.",
					 NOT_KVM_HANDLER("with WAITPKG offered, UMWAIT and TPAUSE "
							 "run in the guest; "
							 "without, they raise #UD."),
					 NULL),
	[EXIT_REASON_TPAUSE] =
		EXIT_TEXT("The guest executed TPAUSE, with the controls set for it to exit.",
			  "TPAUSE (WAITPKG) pauses the processor until a TSC deadline. It exits "
			  "under the "
			  "same controls as UMWAIT, which KVM does not set.",
			  "Exit qualification: 0.", NOT_KVM_HANDLER("as for UMWAIT."), NULL),
	[EXIT_REASON_LOADIWKEY] =
		EXIT_TEXT("The guest executed LOADIWKEY (Key Locker), with LOADIWKEY exiting on.",
			  "LOADIWKEY loads Key Locker's internal wrapping key, which the AES Key "
			  "Locker "
			  "instructions use to unwrap key handles. A hypervisor intercepts it to "
			  "manage that "
			  "key (a tertiary control). KVM does not offer Key Locker.",
			  "Exit qualification: 0. The key comes from XMM0-XMM2, the options from "
			  "EAX.",
			  NOT_KVM_HANDLER("KVM does not offer Key Locker."), NULL),
	[EXIT_REASON_ENCLV] = EXIT_TEXT("The guest executed ENCLV (SGX leaves for hypervisors), "
					"with ENCLV exiting on.",
					"ENCLV holds SGX's operations for a hypervisor that "
					"oversubscribes enclave memory "
					"(EINCVIRTCHILD, EDECVIRTCHILD, ESETCONTEXT). The "
					"ENCLV-exiting bitmap selects "
					"the leaves that exit. KVM does not offer ENCLV.",
					"Exit qualification: 0. The leaf is the guest's EAX.",
					NOT_KVM_HANDLER("KVM does not offer ENCLV."), NULL),
	[71] = RESERVED,
	[EXIT_REASON_ENQCMD_PASID] =
		EXIT_TEXT("ENQCMD could not translate the guest's PASID.",
			  "ENQCMD sends a work descriptor to a shared device queue, tagged with "
			  "the process "
			  "address-space ID in IA32_PASID. With PASID translation, the processor "
			  "translates "
			  "the guest's PASID through the hypervisor's tables; this exit says the "
			  "translation failed.",
			  "Exit qualification: 0.",
			  NOT_KVM_HANDLER("KVM does not turn on PASID translation."), NULL),
	[EXIT_REASON_ENQCMDS_PASID] =
		EXIT_TEXT("ENQCMDS could not translate the guest's PASID.",
			  "As ENQCMD_PASID, for ENQCMDS, the supervisor form, whose PASID comes "
			  "from the "
			  "descriptor.",
			  "Exit qualification: 0.",
			  NOT_KVM_HANDLER("KVM does not turn on PASID translation."), NULL),
	[EXIT_REASON_BUS_LOCK] = EXIT_TEXT("A guest instruction took a bus lock (a split or "
					   "uncacheable locked access).",
					   "A locked access that crosses a cache line, or one to "
					   "uncacheable memory, locks "
					   "the bus and slows every other CPU down. With bus-lock "
					   "detection the processor "
					   "exits after such an instruction, trap-like, so that "
					   "the hypervisor can throttle "
					   "the guest; bit 26 of the exit reason also flags a bus "
					   "lock that came with another "
					   "exit. KVM turns it on when userspace asks "
					   "(KVM_CAP_X86_BUS_LOCK_EXIT).",
					   "Exit qualification: 0. Bit 26 of the exit reason: a "
					   "bus lock was asserted.",
					   "handle_bus_lock_vmexit (" VMX ") only notes it; "
					   "vmx_handle_exit then "
					   "returns "
					   "KVM_EXIT_X86_BUS_LOCK to userspace, with "
					   "KVM_RUN_X86_BUS_LOCK in kvm_run.flags.",
					   NULL),
	[EXIT_REASON_NOTIFY] = EXIT_TEXT("The guest stayed too long without an interrupt window "
					 "(notify VM exit).",
					 "A malicious guest can keep a processor inside one "
					 "instruction indefinitely (a "
					 "chain of faults during event delivery, for example), "
					 "blocking even the host's "
					 "interrupts. With notify VM exiting (the SDM's "
					 "'instruction timeout'), the "
					 "processor exits when no interrupt window has opened for "
					 "longer than the notify "
					 "window the hypervisor set. KVM turns it on when "
					 "userspace asks "
					 "(KVM_CAP_X86_NOTIFY_VMEXIT).",
					 "Exit qualification: bit 0 'VM context invalid': the "
					 "guest's state could not be "
					 "saved consistently and it cannot go on; bit 12 NMI "
					 "unblocking due to IRET.",
					 "handle_notify (" VMX "): counts it (the "
					 "notify_window_exits statistic) and "
					 "returns KVM_EXIT_NOTIFY when userspace asked, or when "
					 "the context is invalid "
					 "(kvm_run.notify.flags KVM_NOTIFY_CONTEXT_INVALID).",
					 NULL),
	[EXIT_REASON_SEAMCALL] = EXIT_TEXT("The guest executed SEAMCALL (a call to the TDX "
					   "module), which always exits.",
					   "SEAMCALL is how a host VMM calls the Intel TDX module "
					   "in SEAM mode. In a guest it "
					   "exits unconditionally; KVM lets neither its guests nor "
					   "an L1 call the TDX "
					   "module.",
					   "Exit qualification: 0.",
					   "handle_tdx_instruction (" VMX ", recent kernels) "
									  "injects #UD; older "
									  "kernels have "
					   "no handler and report an unexpected exit.",
					   NULL),
	[EXIT_REASON_TDCALL] = EXIT_TEXT("The guest executed TDCALL (a TD guest's call to the TDX "
					 "module).",
					 "TDCALL is how a trust domain, a TDX guest, calls the TDX "
					 "module. In an ordinary "
					 "VMX guest it exits unconditionally. KVM runs TD guests "
					 "through the TDX module, "
					 "where their TDCALLs go to the module, not to this exit.",
					 "Exit qualification: 0.",
					 "handle_tdx_instruction (" VMX ", recent kernels) injects "
									"#UD; before, there was "
					 "no handler.",
					 NULL),
	[EXIT_REASON_RDMSRLIST] =
		EXIT_TEXT("The guest executed RDMSRLIST and reached an MSR the hypervisor "
			  "intercepts.",
			  "RDMSRLIST reads a list of MSRs, named in a table in memory, in one "
			  "instruction "
			  "that can be interrupted and resumed. It exits when it reaches an MSR "
			  "whose read "
			  "the MSR bitmap intercepts, or when MSR bitmaps are off.",
			  "Exit qualification: 0. RSI and RDI point to the tables of MSR numbers "
			  "and "
			  "values; RCX is the mask of the entries not yet done.",
			  NOT_KVM_HANDLER("KVM does not offer MSRLIST to guests."), NULL),
	[EXIT_REASON_WRMSRLIST] =
		EXIT_TEXT("The guest executed WRMSRLIST and reached an MSR the hypervisor "
			  "intercepts.",
			  "As RDMSRLIST, for writes of a list of MSRs.",
			  "Exit qualification: 0. RSI and RDI point to the tables of MSR numbers "
			  "and "
			  "values; RCX is the mask of the entries not yet done.",
			  NOT_KVM_HANDLER("KVM does not offer MSRLIST to guests."), NULL),
	[EXIT_REASON_URDMSR] =
		EXIT_TEXT("The guest executed URDMSR, a user-mode MSR read, on an intercepted MSR.",
			  "URDMSR (USER_MSR) lets user-mode code read the few MSRs the OS allows "
			  "in a "
			  "user-MSR bitmap. In a guest it exits when the hypervisor intercepts the "
			  "read of "
			  "that MSR, as RDMSR would.",
			  "Exit qualification: the MSR number. Instruction information: the "
			  "register "
			  "operand.",
			  NOT_KVM_HANDLER("KVM does not offer USER_MSR to guests."), NULL),
	[EXIT_REASON_UWRMSR] = EXIT_TEXT("The guest executed UWRMSR, a user-mode MSR write, on an "
					 "intercepted MSR.",
					 "As URDMSR, for UWRMSR's writes.",
					 "Exit qualification: the MSR number. Instruction "
					 "information: the register "
					 "operand.",
					 NOT_KVM_HANDLER("KVM does not offer USER_MSR to guests."),
					 NULL),
	[82] = RESERVED,
	[83] = RESERVED,
	[EXIT_REASON_MSR_READ_IMM] = EXIT_TEXT(
		"The guest executed RDMSR with an immediate MSR number, on an intercepted MSR.",
		"The MSR_IMM extension adds forms of RDMSR and WRMSRNS that take the MSR number as "
		"an immediate and a 64-bit register as the value. They exit as the classic forms "
		"do when the MSR bitmap intercepts the MSR.",
		"Exit qualification: the MSR number. Instruction information: the register "
		"operand.",
		"handle_rdmsr_imm (" VMX ", recent kernels) -> kvm_emulate_rdmsr_imm.", NULL),
	[EXIT_REASON_MSR_WRITE_IMM] = EXIT_TEXT("The guest executed WRMSRNS with an immediate MSR "
						"number, on an intercepted MSR.",
						"As MSR_READ_IMM, for the write form.",
						"Exit qualification: the MSR number. Instruction "
						"information: the register "
						"operand.",
						"handle_wrmsr_imm (" VMX ", recent kernels) "
						"-> "
						"kvm_emulate_wrmsr_imm.",
						NULL),
};
