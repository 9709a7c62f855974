/* SPDX-License-Identifier: MIT */
/*
 * ap_start.S - how an AP gets from SIPI to C: real -> protected -> long mode.
 *
 * mvm_ap_tramp_start .. mvm_ap_tramp_end is copied by the BSP to
 * MVM_AP_TRAMPOLINE_GPA and entered there by SIPI (CS = page << 8, IP = 0).
 * It is the only part that must run below 1 MiB; once in protected mode
 * the AP jumps to ap_start32 where the payload was linked, and reads the
 * BSP's control registers from mvm_ap_boot (smp.c fills it).
 */
#include "minivmm_abi.h"
#include "smp_boot.h"

#define MSR_EFER 0xc0000080
#define CR0_PE	 0x1

	.section .rodata
	.code16
	.balign	16
	.globl	mvm_ap_tramp_start
mvm_ap_tramp_start:
	cli
	cld
	/* Addresses below are offsets in the page SIPI started us at: DS = CS. */
	movw	%cs, %ax
	movw	%ax, %ds
	lgdtl	mvm_ap_tramp_gdtr - mvm_ap_tramp_start
	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	$MVM_SEL_CODE32, $ap_start32

	/* GDTR as a 64-bit SGDT stores it (LGDTL reads 6 of the 10 bytes): the BSP's. */
	.balign	8
	.globl	mvm_ap_tramp_gdtr
mvm_ap_tramp_gdtr:
	.word	0
	.quad	0
	.globl	mvm_ap_tramp_end
mvm_ap_tramp_end:

	.text
	.code32
ap_start32:
	movw	$MVM_SEL_DATA, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	%ax, %fs
	movw	%ax, %gs
	/* Long mode as the SDM orders it: PAE (and LA57), CR3, EFER.LME, then CR0.PG. */
	movl	mvm_ap_boot + AP_BOOT_CR4, %eax
	movl	%eax, %cr4
	movl	mvm_ap_boot + AP_BOOT_CR3, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	movl	mvm_ap_boot + AP_BOOT_EFER, %eax
	movl	mvm_ap_boot + AP_BOOT_EFER + 4, %edx
	wrmsr
	movl	mvm_ap_boot + AP_BOOT_CR0, %eax
	movl	%eax, %cr0
	ljmpl	$MVM_SEL_CODE64, $ap_start64

	.code64
ap_start64:
	/* A ticket per AP, in the order they get here: ticket t owns stack t. */
	movl	$1, %eax
	lock xaddl %eax, mvm_ap_boot + AP_BOOT_TICKET(%rip)
	/* More APs than stacks: park the rest (smp.c never waits for them). */
	cmpl	$AP_TICKETS, %eax
	jae	ap_park
	incl	%eax
	imull	$AP_STACK_SIZE, %eax
	movq	mvm_ap_boot + AP_BOOT_STACKS(%rip), %rsp
	addq	%rax, %rsp
	lidt	mvm_ap_boot + AP_BOOT_IDTR(%rip)
	xorl	%ebp, %ebp
	call	mvm_ap_main
ap_park:
	cli
	hlt
	jmp	ap_park

	.section .note.GNU-stack, "", @progbits
