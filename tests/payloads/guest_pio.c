/* SPDX-License-Identifier: MIT */
/*
 * guest_pio - port I/O of every width to the test device's port twin, and
 * string I/O, checked value by value.
 *
 * KVM path: IN/OUT exit to userspace (handle_io on VMX, io_interception on
 * SVM): single accesses through kvm_fast_pio -> complete_fast_pio_out /
 * complete_fast_pio_in, REP OUTSB/INSB through the emulator
 * (x86_emulate_instruction -> emulator_pio_out/emulator_pio_in), each a
 * KVM_EXIT_IO, string ones with count > 1 possible.
 *
 * Memory map (long mode): payload at MVM_LOAD_GPA (0x100000), stack below
 * MVM_STACK_TOP (0x90000). Ports: COM1 0x3f8 (console), test device
 * MVM_TESTDEV_PORT 0xe00-0xe17 (ID +0, scratch +8, counter +0x10), calls
 * at MVM_CALL_PORT 0x500.
 */
#include "mvm_guest.h"

#define PORT_ID	     (MVM_TESTDEV_PORT + MVM_TESTDEV_REG_ID)
#define PORT_SCRATCH (MVM_TESTDEV_PORT + MVM_TESTDEV_REG_SCRATCH)
#define PORT_COUNTER (MVM_TESTDEV_PORT + MVM_TESTDEV_REG_COUNTER)

static void test_scratch(void)
{
	outb(PORT_SCRATCH, 0x5a);
	report(inb(PORT_SCRATCH) == 0x5a, "scratch: outb/inb 0x5a");
	outw(PORT_SCRATCH, 0x1234);
	report(inw(PORT_SCRATCH) == 0x1234, "scratch: outw/inw 0x1234");
	outl(PORT_SCRATCH, 0xdeadbeef);
	report(inl(PORT_SCRATCH) == 0xdeadbeef, "scratch: outl/inl 0xdeadbeef");

	/* A narrow write changes only the bytes it covers. */
	outb(PORT_SCRATCH, 0x11);
	report(inl(PORT_SCRATCH) == 0xdeadbe11, "scratch: outb +0 keeps bytes 1-3");
	outb(PORT_SCRATCH + 1, 0x22);
	report(inl(PORT_SCRATCH) == 0xdead2211, "scratch: outb +1 changes byte 1 only");
	outl(PORT_SCRATCH + 4, 0xcafef00d);
	report(inl(PORT_SCRATCH + 4) == 0xcafef00d, "scratch: outl/inl high half");
	report(inl(PORT_SCRATCH) == 0xdead2211, "scratch: high-half write keeps low half");
	report(inw(PORT_SCRATCH + 2) == 0xdead, "scratch: inw +2");
	report(inb(PORT_SCRATCH + 7) == 0xca, "scratch: inb +7");
}

static void test_id(void)
{
	report(inl(PORT_ID) == (uint32_t)MVM_TESTDEV_ID, "id: inl +0 is the low half");
	report(inl(PORT_ID + 4) == (uint32_t)(MVM_TESTDEV_ID >> 32), "id: inl +4 is the high half");
	report(inw(PORT_ID) == (uint16_t)MVM_TESTDEV_ID, "id: inw +0");
	report(inb(PORT_ID + 3) == (uint8_t)(MVM_TESTDEV_ID >> 24), "id: inb +3");
	/* ID is read-only: a write must not stick. */
	outl(PORT_ID, 0);
	report(inl(PORT_ID) == (uint32_t)MVM_TESTDEV_ID, "id: outl ignored");
}

static void test_counter(void)
{
	uint32_t i;

	/* Each read returns how many counter reads came before it. */
	for (i = 0; i < 4; i++) {
		uint32_t got = inl(PORT_COUNTER);

		report(got == i, "counter: inl #%u gives %u (got %u)", i, i, got);
	}
	report(inw(PORT_COUNTER) == 4, "counter: inw gives 4");
	report(inb(PORT_COUNTER) == 5, "counter: inb gives 5");
}

static void test_string(void)
{
	static const uint8_t out[8] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x88 };
	uint8_t in[4] = { 0 };
	unsigned int i, ok = 1;

	/* Every byte of REP OUTSB goes to the same port, so the last one wins. */
	outl(PORT_SCRATCH, 0x44332211);
	outsb(PORT_SCRATCH, out, sizeof(out));
	report(inl(PORT_SCRATCH) == 0x44332288, "string: rep outsb x8 leaves the last byte");

	insb(PORT_ID, in, sizeof(in));
	for (i = 0; i < sizeof(in); i++)
		ok &= in[i] == (uint8_t)MVM_TESTDEV_ID;
	report(ok, "string: rep insb x4 reads ID's low byte each time (%02x %02x %02x %02x)", in[0],
	       in[1], in[2], in[3]);
}

int main(void)
{
	mvm_console_puts("minivmm: guest_pio\n");
	test_scratch();
	test_id();
	test_counter();
	test_string();
	return report_summary();
}
