/* SPDX-License-Identifier: MIT */
/* entry.S - the payload header and _start, for the start mode MVM_ENTRY_MODE. */
#include "minivmm_abi.h"

#ifndef MVM_ENTRY_MODE
#error "assemble with -DMVM_ENTRY_MODE=MVM_MODE_..."
#endif

/* A 64-bit header field holding a link-time address. */
.macro addr64 sym
#if defined(__x86_64__)
	.quad	\sym
#else
	/* ELF32 has no 64-bit relocation; every payload address is below 4 GiB anyway. */
	.long	\sym, 0
#endif
.endm

	.section .header, "a"
	.globl	mvm_header
mvm_header:
	.long	MVM_MAGIC
	.short	MVM_ABI_VERSION
	.byte	MVM_ENTRY_MODE
	.byte	MVM_HEADER_SIZE
	.long	HEADER_FLAGS		/* flags: guest.mk's --defsym, from the row's <needs> */
	.short	HEADER_VCPUS		/* vcpus: guest.mk's --defsym, 0 = 1 */
	.byte	HEADER_IRQCHIP		/* irqchip: MVM_IRQCHIP_*, --defsym too */
	.byte	0			/* reserved */
	addr64	__load_start		/* load_gpa */
	addr64	_start			/* entry_gpa */
	.quad	0			/* mem_size: MVM_DEFAULT_MEM_SIZE */
	.if	. - mvm_header - MVM_HEADER_SIZE
	.error	"struct mvm_header and entry.S disagree"
	.endif

/*
 * objcopy leaves .bss out of the file, and entry does not clear it: the VMM
 * hands the guest fresh anonymous memory and writes nothing where .bss lies
 * (docs/abi.md, "Memory at the start"). A REP STOSB over it cost 0.2 ms of
 * guest_hlt's 2.1 ms (544 bytes) on kvm_pvm, which emulates guest instructions.
 * CLD stays: RFLAGS starts as 0x2, but the C code the SDK calls assumes DF=0.
 */
	.text
	.globl	_start
_start:
#if MVM_ENTRY_MODE == MVM_MODE_REAL
	.code16
	cld
	/* gcc -m16 code addresses the stack through ESP: its top half must be 0. */
	movzwl	%sp, %esp
	xorl	%ebp, %ebp
	/* -m16 code returns with a 32-bit ret, so the call must push 32 bits. */
	calll	mvm_start
1:	hlt
	jmp	1b
#elif MVM_ENTRY_MODE == MVM_MODE_LONG || MVM_ENTRY_MODE == MVM_MODE_LA57
	.code64
	cld
	xorl	%ebp, %ebp
	andq	$-16, %rsp
	call	mvm_start
1:	hlt
	jmp	1b
#else /* PROT32, PAGING32, PAE */
	.code32
	cld
	xorl	%ebp, %ebp
	andl	$-16, %esp
	call	mvm_start
1:	hlt
	jmp	1b
#endif

	.section .note.GNU-stack, "", @progbits
