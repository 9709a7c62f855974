/* SPDX-License-Identifier: MIT */
/* dev_console.c - the COM1 console: each vCPU's transmitted bytes become its console lines. */
#include <stdlib.h>
#include <string.h>

#include "contrib.h"
#include "minivmm_abi.h"

#define UART_THR      0 /* transmit holding (write), receive buffer (read) */
#define UART_LCR      3
#define UART_LSR      5
#define UART_LCR_DLAB 0x80
#define UART_LSR_IDLE 0x60 /* transmitter empty: the guest never waits */

#define CONSOLE_LINE_MAX 256

/* A line per vCPU, so that vCPUs printing at once do not mix their bytes. */
struct console_line {
	struct vcpu *v; /* who wrote it */
	char text[CONSOLE_LINE_MAX];
	size_t len;
};

struct console {
	uint8_t reg[8];
	int nlines;
	struct console_line line[];
};

static void line_flush(struct runlog *log, struct console_line *l)
{
	struct record r;

	if (!l->len)
		return;
	vcpu_rec_begin(l->v, &r, "console");
	rec_str(&r, "text", l->text, l->len);
	runlog_emit(log, &r);
	runlog_echo(log, "%.*s\n", (int)l->len, l->text);
	l->len = 0;
}

static void console_putc(struct console *c, struct vcpu *v, uint8_t ch)
{
	struct console_line *l = &c->line[v->id];

	l->v = v;
	if (ch == '\n') {
		line_flush(&v->m->log, l);
		return;
	}
	l->text[l->len++] = ch;
	if (l->len == CONSOLE_LINE_MAX)
		line_flush(&v->m->log, l);
}

static enum run_action console_io(struct vcpu *v, void *dev, struct io_access *a)
{
	struct console *c = dev;
	uint64_t reg = a->offset;
	bool dlab = c->reg[UART_LCR] & UART_LCR_DLAB;

	/* The UART has byte registers: wider accesses act on the first byte. */
	if (a->is_write) {
		if (reg == UART_THR && !dlab)
			console_putc(c, v, a->data[0]);
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

static int console_open(struct machine *m, void **state, struct errbuf *err)
{
	struct console *c = calloc(1, sizeof(*c) + (size_t)m->nvcpus * sizeof(c->line[0]));
	struct io_range r = { IO_PIO, MVM_COM1_PORT, MVM_COM1_PORTS, "com1", console_io, c };

	*state = c;
	if (!c) {
		errbuf_set(err, "out of memory");
		return MVM_STATUS_HOST;
	}
	c->nlines = m->nvcpus;
	return iorange_add(&m->io, &r, err) ? 0 : MVM_STATUS_HOST;
}

/* A last line without its newline is still the guest's output. */
static void console_at_end(void *state, struct machine *m, int index)
{
	struct console *c = state;

	(void)index;
	for (int i = 0; i < c->nlines; i++)
		line_flush(&m->log, &c->line[i]);
}

static void console_close(void *state, struct machine *m)
{
	(void)m;
	free(state);
}

const struct contrib_ops console_contrib = {
	.name = "console",
	.open = console_open,
	.at_end = console_at_end,
	.close = console_close,
};
