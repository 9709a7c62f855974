/* SPDX-License-Identifier: MIT */
/*
 * l2_except.h - the L2 of guest_vmx_except and guest_svm_except: three
 * exceptions at known instructions, and L2's own IDT for the ones L1 lets
 * through.
 *
 * L2 executes, in order:
 *   l2_ud        ud2                  #UD (no error code)
 *   l2_pf_read   movq (%rdx), %rax    #PF, a read of UNMAPPED (error code 0)
 *   l2_pf_write  movq %rax, (%rdx)    #PF, a write of UNMAPPED (error code 2)
 *   l2_handback  vmcall or vmmcall    back to L1 (the includer's L2_HANDBACK)
 * An exception L1 intercepts is an exit to L1, which moves L2's RIP to the
 * next label. One L1 lets through goes to l2_idt: its #UD handler counts
 * and skips the 2-byte ud2, its #PF handler counts, keeps the error code
 * and CR2, and skips the 3-byte move (REX.W, opcode, ModRM: both moves).
 * Every other vector is absent from l2_idt, so any other exception in L2
 * ends in a triple fault, an exit L1 does not expect.
 */
#ifndef L2_EXCEPT_H
#define L2_EXCEPT_H

#ifndef L2_HANDBACK
#error "define L2_HANDBACK (the instruction that hands back to L1) before l2_except.h"
#endif

#define UNMAPPED     0x8000000000 /* PML4 entry 1: not present in L1's (and L2's) tables */
#define PF_ERR_WRITE (1U << 1)
#define VEC_UD	     6
#define VEC_PF	     14

#define STR(x)	STR_(x)
#define STR_(x) #x

/* clang-format off */
asm(".pushsection .text\n"
    "l2_main:\n"
    "l2_ud:\n"
    "	ud2\n"
    "l2_after_ud:\n"
    "	movabsq $" STR(UNMAPPED) ", %rdx\n"
    "l2_pf_read:\n"
    "	movq (%rdx), %rax\n"
    "l2_pf_write:\n"
    "	movq %rax, (%rdx)\n"
    "l2_handback:\n"
    "	" L2_HANDBACK "\n"
    "l2_ud_handler:\n"
    "	incl l2_ud_count(%rip)\n"
    "	addq $2, (%rsp)\n"
    "	iretq\n"
    "l2_pf_handler:\n"
    "	incl l2_pf_count(%rip)\n"
    "	pushq %rax\n"
    "	movq 8(%rsp), %rax\n"
    "	movq %rax, l2_pf_error(%rip)\n"
    "	movq %cr2, %rax\n"
    "	movq %rax, l2_pf_cr2(%rip)\n"
    "	popq %rax\n"
    "	addq $8, %rsp\n"
    "	addq $3, (%rsp)\n"
    "	iretq\n"
    ".popsection");
/* clang-format on */

void l2_main(void);
void l2_ud_handler(void);
void l2_pf_handler(void);
extern char l2_ud[], l2_after_ud[], l2_pf_read[], l2_pf_write[], l2_handback[];

/* What L2's handlers saw (written by L2, read by L1: they share the memory). */
volatile uint32_t l2_ud_count, l2_pf_count;
volatile uint64_t l2_pf_error, l2_pf_cr2;

/* A 64-bit interrupt gate (SDM vol. 3, 6.14.1). */
struct l2_gate {
	uint16_t offset_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type; /* 0x8e: present, DPL 0, interrupt gate */
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
};
_Static_assert(sizeof(struct l2_gate) == 16, "64-bit IDT gate");

static struct l2_gate l2_idt[VEC_PF + 1] __attribute__((aligned(16)));

static struct l2_gate l2_gate(void (*handler)(void))
{
	uintptr_t a = (uintptr_t)handler;

	return (struct l2_gate){ .offset_lo = (uint16_t)a,
				 .sel = MVM_SEL_CODE64,
				 .type = 0x8e,
				 .offset_mid = (uint16_t)(a >> 16),
				 .offset_hi = (uint32_t)(a >> 32) };
}

/* Fills l2_idt: #UD and #PF only. The caller points L2's IDTR at it (limit: sizeof - 1). */
static void l2_idt_init(void)
{
	memset(l2_idt, 0, sizeof(l2_idt));
	l2_idt[VEC_UD] = l2_gate(l2_ud_handler);
	l2_idt[VEC_PF] = l2_gate(l2_pf_handler);
}

/* Clears what the handlers saw, before an L2 run. */
static void l2_seen_clear(void)
{
	l2_ud_count = 0;
	l2_pf_count = 0;
	l2_pf_error = ~0ULL;
	l2_pf_cr2 = 0;
}

/* One report of what L2's own handlers took in a run: ud #UDs, pf #PFs, the last error code. */
static void l2_seen_check(const char *run, uint32_t ud, uint32_t pf, uint64_t last_error)
{
	if (pf == 0)
		last_error = ~0ULL;
	report(l2_ud_count == ud && l2_pf_count == pf && l2_pf_error == last_error &&
		       (pf == 0 || l2_pf_cr2 == UNMAPPED),
	       "%s: L2's IDT took %u #UD and %u #PF (wanted %u and %u), last error code 0x%llx, "
	       "CR2 0x%llx",
	       run, l2_ud_count, l2_pf_count, ud, pf, (unsigned long long)l2_pf_error,
	       (unsigned long long)l2_pf_cr2);
}

#endif /* L2_EXCEPT_H */
