/* SPDX-License-Identifier: MIT */
/*
 * kernel_pic - a Multiboot v1 kernel that checks the in-kernel 8259 PICs are
 * left as a PC BIOS leaves them (docs/kernels.md, "Interrupt controllers"):
 * IRQ 0-7 at vectors 0x08-0x0f, IRQ 8-15 at 0x70-0x77, no line masked. It
 * pulses IRQ 11 and IRQ 3 through pc-testdev (ports 0x2000 + n) and wants
 * each at its vector, once; kvm-unit-tests' realmode test relies on IRQ 11
 * arriving at vector 0x73. Run as
 *	minivmm run tests/kernel_pic.elf
 *
 * KVM path: KVM_IRQ_LINE raises and lowers the line (kvm_pic_set_irq, and
 * the IOAPIC pin, masked); the master's INT goes to the BSP's LINT0, ExtINT
 * after reset (kvm_apic_accept_pic_intr), and KVM injects the vector the
 * PIC's irq_base gives when the guest's STI opens the window.
 *
 * Memory map: linked at 4 MiB, 32-bit flat protected mode without paging,
 * its own 256-gate IDT in its bss.
 */
#include "mvm_guest.h"

#define PIC_MASTER_IMR	 0x21
#define PIC_SLAVE_IMR	 0xa1
#define PC_TESTDEV_IRQ(n) (0x2000 + (n))

struct gate {
	uint16_t off_lo, sel;
	uint8_t zero, type;
	uint16_t off_hi;
} __attribute__((packed));

static struct gate idt[256];
volatile uint32_t hits_0x73, hits_0x0b, hits_other;

/*
 * Vector 0x73 (slave IRQ 3) and 0x0b (master IRQ 3) EOI their PICs; any other
 * vector only counts: it should never come. Each goes back to the
 * interrupted code without IRET: on a host whose KVM emulates every guest
 * instruction (kvm_pvm), a protected-mode IRET is an emulation failure (KVM's
 * emulator emulates IRET in real mode only). The interrupt came in pulse()'s
 * HLT, whose EAX is free and whose flags (IF clear) the handler keeps.
 */
asm(".text\n"
    "isr_0x73:\n"
    "	incl hits_0x73\n"
    "	movb $0x20, %al\n"
    "	outb %al, $0xa0\n"
    "	outb %al, $0x20\n"
    "	jmp isr_back\n"
    "isr_0x0b:\n"
    "	incl hits_0x0b\n"
    "	movb $0x20, %al\n"
    "	outb %al, $0x20\n"
    "	jmp isr_back\n"
    "isr_other:\n"
    "	incl hits_other\n"
    "isr_back:\n"
    "	popl %eax\n"	   /* EIP */
    "	addl $8, %esp\n" /* CS, EFLAGS */
    "	jmp *%eax\n");
extern char isr_0x73[], isr_0x0b[], isr_other[];

static void set_gate(unsigned int v, void *fn, uint16_t cs)
{
	uint32_t a = (uint32_t)(uintptr_t)fn;

	idt[v] = (struct gate){ (uint16_t)a, cs, 0, 0x8e, (uint16_t)(a >> 16) };
}

static void pulse(unsigned int irq)
{
	outl(PC_TESTDEV_IRQ(irq), 1);
	outl(PC_TESTDEV_IRQ(irq), 0);
	/* The edge is latched in IRR: STI's shadow covers the HLT, which the
	 * interrupt then wakes. */
	asm volatile("sti; hlt; cli" : : : "eax", "memory");
}

int main(void)
{
	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) ptr = { sizeof(idt) - 1, (uint32_t)(uintptr_t)idt };
	uint16_t cs;

	asm volatile("mov %%cs, %0" : "=r"(cs));
	for (unsigned int v = 0; v < 256; v++)
		set_gate(v, isr_other, cs);
	set_gate(0x73, isr_0x73, cs);
	set_gate(0x0b, isr_0x0b, cs);
	asm volatile("lidt %0" : : "m"(ptr));

	report(inb(PIC_MASTER_IMR) == 0 && inb(PIC_SLAVE_IMR) == 0,
	       "no PIC line masked (IMR master 0x%x, slave 0x%x)", inb(PIC_MASTER_IMR),
	       inb(PIC_SLAVE_IMR));
	pulse(11);
	report(hits_0x73 == 1, "IRQ 11 arrives at vector 0x73 (%u times)", hits_0x73);
	pulse(3);
	report(hits_0x0b == 1, "IRQ 3 arrives at vector 0x0b (%u times)", hits_0x0b);
	report(hits_other == 0, "no other vector (%u interrupts)", hits_other);
	return 0;
}
