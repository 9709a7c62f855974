/* SPDX-License-Identifier: MIT */
/* svm_vmrun.S - one VMRUN with every L2 general register loaded before it and saved after. */
#include "svm.h"

	.text
	.code64

/*
 * void svm_vmrun(uint64_t vmcb_pa, struct svm_gprs *g)
 *
 * VMRUN saves and restores only L1's RAX, RSP, RIP, RFLAGS and the state
 * in the host save area; every other general register comes back holding
 * L2's value. So L1's callee-saved registers go on the stack, g's values go
 * in, and after the exit L2's values go back to g. RAX carries the VMCB's
 * address into VMRUN; L2's RAX and RSP live in the VMCB.
 *
 * CLGI first, so that nothing is taken while the CPU switches worlds;
 * #VMEXIT leaves GIF clear and STGI sets it once L1 is back on its state.
 */
	.globl	svm_vmrun
	.type	svm_vmrun, @function
svm_vmrun:
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushq	%rsi			/* g, needed again after the exit */
	movq	%rdi, %rax
	movq	SVM_GPR_RBX(%rsi), %rbx
	movq	SVM_GPR_RCX(%rsi), %rcx
	movq	SVM_GPR_RDX(%rsi), %rdx
	movq	SVM_GPR_RDI(%rsi), %rdi
	movq	SVM_GPR_RBP(%rsi), %rbp
	movq	SVM_GPR_R8(%rsi), %r8
	movq	SVM_GPR_R9(%rsi), %r9
	movq	SVM_GPR_R10(%rsi), %r10
	movq	SVM_GPR_R11(%rsi), %r11
	movq	SVM_GPR_R12(%rsi), %r12
	movq	SVM_GPR_R13(%rsi), %r13
	movq	SVM_GPR_R14(%rsi), %r14
	movq	SVM_GPR_R15(%rsi), %r15
	movq	SVM_GPR_RSI(%rsi), %rsi
	clgi
	vmrun	%rax
	stgi
	xchgq	%rsi, (%rsp)		/* RSI = g; the stack slot takes L2's RSI */
	movq	%rbx, SVM_GPR_RBX(%rsi)
	movq	%rcx, SVM_GPR_RCX(%rsi)
	movq	%rdx, SVM_GPR_RDX(%rsi)
	movq	%rdi, SVM_GPR_RDI(%rsi)
	movq	%rbp, SVM_GPR_RBP(%rsi)
	movq	%r8, SVM_GPR_R8(%rsi)
	movq	%r9, SVM_GPR_R9(%rsi)
	movq	%r10, SVM_GPR_R10(%rsi)
	movq	%r11, SVM_GPR_R11(%rsi)
	movq	%r12, SVM_GPR_R12(%rsi)
	movq	%r13, SVM_GPR_R13(%rsi)
	movq	%r14, SVM_GPR_R14(%rsi)
	movq	%r15, SVM_GPR_R15(%rsi)
	popq	SVM_GPR_RSI(%rsi)
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret
	.size	svm_vmrun, . - svm_vmrun

	.section .note.GNU-stack, "", @progbits
