/* SPDX-License-Identifier: MIT */
/* isr.S - exception entry stubs: give every vector one frame layout, then call C. */
#define ISR_VECTORS 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15, \
		    16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31

/* Vectors for which the CPU pushes an error code: #DF #TS #NP #SS #GP #PF #AC #CP #VC #SX. */
#define ISR_HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || \
			  (v) == 29 || (v) == 30)

	.text

#if defined(__x86_64__)
	.code64
#define ISR_PTR .quad

.macro isr_stub vec
mvm_isr_\vec:
	.if ISR_HAS_ERROR(\vec) == 0
	pushq	$0
	.endif
	pushq	$\vec
	jmp	isr_common
.endm

	.irp v, ISR_VECTORS
	isr_stub \v
	.endr

/* Layout must match struct mvm_isr_frame: 15 GPRs, vector, error code, CPU frame. */
isr_common:
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
	/* The ABI wants DF clear and a 16-byte aligned stack at the call, whatever was interrupted. */
	cld
	movq	%rsp, %rdi
	movq	%rsp, %rbx
	andq	$-16, %rsp
	call	mvm_isr_dispatch
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

#else /* 32-bit */
	.code32
#define ISR_PTR .long

.macro isr_stub vec
mvm_isr_\vec:
	.if ISR_HAS_ERROR(\vec) == 0
	pushl	$0
	.endif
	pushl	$\vec
	jmp	isr_common
.endm

	.irp v, ISR_VECTORS
	isr_stub \v
	.endr

/* Layout must match struct mvm_isr_frame: pushal's 8 GPRs, vector, error code, CPU frame. */
isr_common:
	pushal
	cld
	movl	%esp, %eax
	movl	%esp, %ebx
	andl	$-16, %esp
	subl	$12, %esp
	pushl	%eax
	call	mvm_isr_dispatch
	movl	%ebx, %esp
	popal
	addl	$8, %esp
	iretl
#endif

	.section .rodata
	.balign 8
	.globl	mvm_isr_stubs
mvm_isr_stubs:
	.irp v, ISR_VECTORS
	ISR_PTR	mvm_isr_\v
	.endr

	.section .note.GNU-stack, "", @progbits
