/* SPDX-License-Identifier: MIT */
/* multiboot.S - the Multiboot v1 header and _start of the SDK's test kernels (ELF32). */
#include "mvm_multiboot.h"

/* Flags 0: the loader loads the ELF program headers; nothing else is asked for. */
#define MB_KERNEL_FLAGS 0

	.section .header, "a"
	.balign	4
	.long	MB_HEADER_MAGIC
	.long	MB_KERNEL_FLAGS
	.long	-(MB_HEADER_MAGIC + MB_KERNEL_FLAGS)

/* What the loader passed, for the kernel to check: in .data, not in the bss
 * the kernel may check is zero. */
	.data
	.balign	4
	.globl	mb_boot_magic, mb_boot_info
mb_boot_magic:
	.long	0
mb_boot_info:
	.long	0

	.bss
	.balign	16
mb_stack:
	.skip	16384
mb_stack_top:

/* Multiboot leaves ESP undefined: the kernel brings its own stack. */
	.text
	.code32
	.globl	_start
_start:
	cld
	movl	%eax, mb_boot_magic
	movl	%ebx, mb_boot_info
	movl	$mb_stack_top, %esp
	xorl	%ebp, %ebp
	call	mvm_start
1:	hlt
	jmp	1b

	.section .note.GNU-stack, "", @progbits
