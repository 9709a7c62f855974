/* SPDX-License-Identifier: MIT */
/* dev_console.c - the COM1 console: transmitted bytes become console lines. */
#include <string.h>

#include "minivmm_abi.h"
#include "vm.h"

#define UART_THR      0 /* transmit holding (write), receive buffer (read) */
#define UART_LCR      3
#define UART_LSR      5
#define UART_LCR_DLAB 0x80
#define UART_LSR_IDLE 0x60 /* transmitter empty: the guest never waits */

void console_flush(struct vm *vm)
{
	struct console *c = &vm->console;
	struct record r;

	if (!c->len)
		return;
	vm_rec_begin(vm, &r, "console");
	rec_str(&r, "text", c->line, c->len);
	vm_rec_emit(vm, &r);
	vm_echo(vm, "%.*s\n", (int)c->len, c->line);
	c->len = 0;
}

static void console_putc(struct vm *vm, uint8_t ch)
{
	struct console *c = &vm->console;

	if (ch == '\n') {
		console_flush(vm);
		return;
	}
	c->line[c->len++] = ch;
	if (c->len == CONSOLE_LINE_MAX)
		console_flush(vm);
}

static enum run_action console_io(struct vm *vm, void *dev, struct io_access *a)
{
	struct console *c = dev;
	uint64_t reg = a->offset;
	bool dlab = c->reg[UART_LCR] & UART_LCR_DLAB;

	/* The UART has byte registers: wider accesses act on the first byte. */
	if (a->is_write) {
		if (reg == UART_THR && !dlab)
			console_putc(vm, a->data[0]);
		else
			c->reg[reg] = a->data[0];
		return RUN_CONTINUE;
	}
	memset(a->data, 0, a->len);
	if (reg == UART_LSR)
		a->data[0] = UART_LSR_IDLE;
	else if (reg != UART_THR || dlab)
		a->data[0] = c->reg[reg];
	return RUN_CONTINUE;
}

bool console_register(struct vm *vm, struct errbuf *err)
{
	struct io_range r = { IO_PIO, MVM_COM1_PORT, MVM_COM1_PORTS,
			      "com1", console_io,    &vm->console };

	return iorange_add(&vm->io, &r, err);
}
