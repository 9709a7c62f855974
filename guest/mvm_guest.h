/* SPDX-License-Identifier: MIT */
/* mvm_guest.h - the payload API: CPU access inlines, host calls, reports, expected faults. */
#ifndef MVM_GUEST_H
#define MVM_GUEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "minivmm_abi.h"
#include "mvm_x86.h" /* X86_CR0_*, X86_CR4_* from uapi; MSR_EFER, EFER_*, PTE_* */

/*
 * MVM_BITS is 16, 32 or 64: the code size the payload is compiled for. guest.mk
 * passes it because gcc -m16 defines nothing that tells it apart from -m32.
 */
#ifndef MVM_BITS
#if defined(__x86_64__)
#define MVM_BITS 64
#else
#define MVM_BITS 32
#endif
#endif

#define X86_PF_P (1U << 0)
#define X86_PF_W (1U << 1)

/* ------------------------------------------------------------------------
 * Port I/O.
 * ---------------------------------------------------------------------- */
static inline void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	asm volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;

	asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* One string instruction for the whole buffer: KVM sees a single rep OUTS/INS. */
static inline void outsb(uint16_t port, const void *buf, size_t n)
{
	asm volatile("rep outsb" : "+S"(buf), "+c"(n) : "d"(port) : "memory");
}

static inline void insb(uint16_t port, void *buf, size_t n)
{
	asm volatile("rep insb" : "+D"(buf), "+c"(n) : "d"(port) : "memory");
}

/* ------------------------------------------------------------------------
 * MMIO: one instruction of exactly the access width, so KVM sees that width.
 * ---------------------------------------------------------------------- */
static inline uint8_t mmio_read8(uintptr_t addr)
{
	uint8_t v;

	asm volatile("movb %1, %0" : "=q"(v) : "m"(*(volatile uint8_t *)addr));
	return v;
}

static inline uint16_t mmio_read16(uintptr_t addr)
{
	uint16_t v;

	asm volatile("movw %1, %0" : "=r"(v) : "m"(*(volatile uint16_t *)addr));
	return v;
}

static inline uint32_t mmio_read32(uintptr_t addr)
{
	uint32_t v;

	asm volatile("movl %1, %0" : "=r"(v) : "m"(*(volatile uint32_t *)addr));
	return v;
}

static inline void mmio_write8(uintptr_t addr, uint8_t v)
{
	asm volatile("movb %1, %0" : "=m"(*(volatile uint8_t *)addr) : "qi"(v));
}

static inline void mmio_write16(uintptr_t addr, uint16_t v)
{
	asm volatile("movw %1, %0" : "=m"(*(volatile uint16_t *)addr) : "ri"(v));
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	asm volatile("movl %1, %0" : "=m"(*(volatile uint32_t *)addr) : "ri"(v));
}

#if defined(__x86_64__)
static inline uint64_t mmio_read64(uintptr_t addr)
{
	uint64_t v;

	asm volatile("movq %1, %0" : "=r"(v) : "m"(*(volatile uint64_t *)addr));
	return v;
}

/* "r" only: a 64-bit immediate store does not exist, the assembler would refuse. */
static inline void mmio_write64(uintptr_t addr, uint64_t v)
{
	asm volatile("movq %1, %0" : "=m"(*(volatile uint64_t *)addr) : "r"(v));
}
#endif

/* ------------------------------------------------------------------------
 * Control registers, MSRs, CPUID. unsigned long is the register width of
 * the build: 32 bits under -m16 and -m32.
 * ---------------------------------------------------------------------- */
static inline unsigned long read_cr0(void)
{
	unsigned long v;

	asm volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline unsigned long read_cr2(void)
{
	unsigned long v;

	asm volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline unsigned long read_cr3(void)
{
	unsigned long v;

	asm volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

/* Reloading CR3 flushes the TLB's non-global entries. */
static inline void write_cr3(unsigned long v)
{
	asm volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline unsigned long read_cr4(void)
{
	unsigned long v;

	asm volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

/* EDX:EAX in every build: "=A" would mean RAX alone in 64-bit code. */
static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

static inline void cpuid(uint32_t leaf, uint32_t subleaf, uint32_t *a, uint32_t *b, uint32_t *c,
			 uint32_t *d)
{
	asm volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(subleaf));
}

static inline void invlpg(uintptr_t va)
{
	asm volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline void hlt(void)
{
	asm volatile("hlt" : : : "memory");
}

/* ------------------------------------------------------------------------
 * Formatting and strings (freestanding: the SDK provides these).
 * Conversions: %s %c %d %i %u %x %X %p %%, modifiers l ll z, flags 0 # -,
 * a decimal width. No floating point.
 * ---------------------------------------------------------------------- */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

/* ------------------------------------------------------------------------
 * Calls to the host (MVM_CALL_*). Formatted text longer than
 * MVM_PRINTF_MAX - 1 bytes is truncated.
 * ---------------------------------------------------------------------- */
#define MVM_PRINTF_MAX 512

void mvm_print(const char *s);
void mvm_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void mvm_console_puts(const char *s);
void mvm_checkpoint(uint64_t id, const char *label);
/* Asks the host to change a memory slot (MVM_MEM_* on MVM_SLOT_*); the trace
 * records the request and KVM's answer. */
void mvm_mem(uint32_t op, uint32_t slot, uint64_t gpa);
/* Reports one exit of the payload's own guest (L2) to the host, which
 * records it as an "l2_exit" with the reason named. */
void mvm_l2_exit(const struct mvm_call_l2_exit *e);
void mvm_exit(uint32_t verdict, const char *msg) __attribute__((noreturn));
void mvm_skip(const char *why) __attribute__((noreturn));

/* kvm-unit-tests style checks: each one is sent to the host as it happens. */
void report(int pass, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int report_summary(void);

/*
 * What a payload defines. mvm_start() runs it after installing the IDT
 * (32- and 64-bit builds only: real-mode payloads run on whatever IVT the
 * VMM left, so an exception there is not caught) and then exits with its
 * return value, or MVM_FAIL if it returned MVM_PASS but a report failed.
 */
int main(void);
void mvm_start(void);

/* ------------------------------------------------------------------------
 * Expected exceptions (32- and 64-bit builds).
 *
 *	struct mvm_fault f;
 *
 *	mvm_fault_expect(&f);
 *	asm volatile(MVM_TRY_BEGIN "ud2\n\t" MVM_TRY_END : : : "memory");
 *	mvm_fault_end(&f);
 *
 * MVM_TRY_BEGIN stores the address of the label MVM_TRY_END places, so the
 * instructions between them must not jump out. The asm must be extended asm
 * (it uses %=) and clobber "memory", because the IDT handler writes *f. If
 * an exception is taken, the handler reports it to the host with
 * expected=1, fills *f, disarms, and resumes at the label with every
 * general register as it was when the exception hit. Any other exception
 * is reported with expected=0 and ends the run with MVM_FAIL.
 * ---------------------------------------------------------------------- */
#if MVM_BITS != 16
struct mvm_fault {
	int taken;
	uint64_t vector;
	uint64_t error_code; /* 0 for vectors that push none */
	uint64_t rip;	     /* as pushed: the faulting instruction for a fault */
	uint64_t cr2;	     /* #PF only, 0 otherwise */
};

void mvm_fault_expect(struct mvm_fault *f);
int mvm_fault_end(struct mvm_fault *f); /* disarms; returns f->taken */

#if MVM_BITS == 64
#define MVM_TRY_BEGIN "movq $mvm_catch_%=, mvm_fault_resume(%%rip)\n\t"
#else
#define MVM_TRY_BEGIN "movl $mvm_catch_%=, mvm_fault_resume\n\t"
#endif
#define MVM_TRY_END "mvm_catch_%=:\n\t"
#endif /* MVM_BITS != 16 */

#endif /* MVM_GUEST_H */
