/* SPDX-License-Identifier: MIT */
/* vmx_entry.S - VMLAUNCH/VMRESUME into L2 and the VM-exit landing pad, with every GPR saved. */

/* VMCS field encodings of the host RSP and RIP (SDM vol. 3, appendix B). */
#define HOST_RSP 0x6c14
#define HOST_RIP 0x6c16

/* Offsets in struct vmx_gprs (vmx.h): rax rcx rdx rbx rsp rbp rsi rdi r8..r15. */
#define G_RAX 0
#define G_RCX 8
#define G_RDX 16
#define G_RBX 24
#define G_RBP 40
#define G_RSI 48
#define G_RDI 56
#define G_R8  64
#define G_R9  72
#define G_R10 80
#define G_R11 88
#define G_R12 96
#define G_R13 104
#define G_R14 112
#define G_R15 120

	.text
	.code64

/*
 * enum vmx_status vmx_enter(struct vmx_gprs *l2, int resume)
 *
 * Pushes L1's callee-saved registers and the l2 pointer, points HOST_RSP
 * at that frame and HOST_RIP at vmx_exit_stub, loads L2's registers and
 * enters. A VM exit continues at vmx_exit_stub on the same frame; a failed
 * entry falls through here with L2's registers loaded and L1's on the stack.
 */
	.globl	vmx_enter
	.type	vmx_enter, @function
vmx_enter:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushq	%rdi

	movl	$HOST_RSP, %eax
	vmwrite	%rsp, %rax
	jbe	.Lsetup_failed
	leaq	vmx_exit_stub(%rip), %rdx
	movl	$HOST_RIP, %eax
	vmwrite	%rdx, %rax
	jbe	.Lsetup_failed

	/* MOVs leave the flags alone: ZF tells VMLAUNCH from VMRESUME below. */
	testl	%esi, %esi
	movq	G_RAX(%rdi), %rax
	movq	G_RCX(%rdi), %rcx
	movq	G_RDX(%rdi), %rdx
	movq	G_RBX(%rdi), %rbx
	movq	G_RBP(%rdi), %rbp
	movq	G_RSI(%rdi), %rsi
	movq	G_R8(%rdi), %r8
	movq	G_R9(%rdi), %r9
	movq	G_R10(%rdi), %r10
	movq	G_R11(%rdi), %r11
	movq	G_R12(%rdi), %r12
	movq	G_R13(%rdi), %r13
	movq	G_R14(%rdi), %r14
	movq	G_R15(%rdi), %r15
	movq	G_RDI(%rdi), %rdi
	jnz	1f
	vmlaunch
	jmp	.Lentry_failed
1:	vmresume

.Lentry_failed:
.Lsetup_failed:
	/* CF: VMfailInvalid (1); ZF: VMfailValid (2). L2's registers are dropped. */
	movl	$1, %eax
	movl	$2, %ecx
	cmovzl	%ecx, %eax
	popq	%rdi
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
	.size	vmx_enter, . - vmx_enter

/*
 * The VM exit lands here with RSP = HOST_RSP, i.e. the l2 pointer on top,
 * L2's registers live and RFLAGS cleared but for bit 1.
 */
	.globl	vmx_exit_stub
	.type	vmx_exit_stub, @function
vmx_exit_stub:
	pushq	%rdi
	movq	8(%rsp), %rdi
	movq	%rax, G_RAX(%rdi)
	movq	%rcx, G_RCX(%rdi)
	movq	%rdx, G_RDX(%rdi)
	movq	%rbx, G_RBX(%rdi)
	movq	%rbp, G_RBP(%rdi)
	movq	%rsi, G_RSI(%rdi)
	movq	%r8, G_R8(%rdi)
	movq	%r9, G_R9(%rdi)
	movq	%r10, G_R10(%rdi)
	movq	%r11, G_R11(%rdi)
	movq	%r12, G_R12(%rdi)
	movq	%r13, G_R13(%rdi)
	movq	%r14, G_R14(%rdi)
	movq	%r15, G_R15(%rdi)
	popq	%rax
	movq	%rax, G_RDI(%rdi)
	popq	%rdi
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	xorl	%eax, %eax
	ret
	.size	vmx_exit_stub, . - vmx_exit_stub

	.section .note.GNU-stack, "", @progbits
