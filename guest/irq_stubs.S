/* SPDX-License-Identifier: MIT */
/* irq_stubs.S - entry stubs for vectors 32-255: the exception stubs' frame, then C. */

/* irq.c finds vector v's stub at mvm_irq_stubs + (v - 32) * IRQ_STUB_SIZE. */
#define IRQ_FIRST     32
#define IRQ_VECTORS   256
#define IRQ_STUB_SIZE 16

	.text
	.code64

	.balign	IRQ_STUB_SIZE
	.globl	mvm_irq_stubs
mvm_irq_stubs:
	.set	vec, IRQ_FIRST
	.rept	IRQ_VECTORS - IRQ_FIRST
1:
	pushq	$0		/* no error code: the frame is struct mvm_isr_frame's */
	pushq	$vec
	jmp	irq_common
	/* Pads the stub to its size; a stub that outgrew it fails here (.org backwards). */
	.org	1b + IRQ_STUB_SIZE, 0xcc
	.set	vec, vec + 1
	.endr

/* Same layout as isr.S builds: 15 GPRs, vector, error code, CPU frame. */
irq_common:
	pushq	%rax
	pushq	%rcx
	pushq	%rdx
	pushq	%rbx
	pushq	%rbp
	pushq	%rsi
	pushq	%rdi
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	/* An interrupt may hit any code: give C a clear DF and a 16-byte aligned stack. */
	cld
	movq	%rsp, %rdi
	movq	%rsp, %rbx
	andq	$-16, %rsp
	call	mvm_irq_dispatch
	movq	%rbx, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rbp
	popq	%rbx
	popq	%rdx
	popq	%rcx
	popq	%rax
	addq	$16, %rsp
	iretq

	.section .note.GNU-stack, "", @progbits
