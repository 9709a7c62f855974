/* SPDX-License-Identifier: MIT */
/* dev_pc_testdev.c - --machine pc's pc-testdev: scratch port, page flush, IRQ lines, MMIO window. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "contrib.h"
#include "dev_ioapic.h"
#include "irqchip.h"
#include "minivmm_abi.h"

#define PAGE_SIZE 4096ULL

struct pc_testdev {
	uint8_t scratch[4];
	uint8_t flush[4];
	uint8_t *iomem; /* MVM_PC_IOMEM_SIZE bytes */
};

/* Byte lanes: an access of any width acts on exactly the bytes it covers. */
static void lanes(uint8_t *store, uint64_t size, struct io_access *a)
{
	for (uint32_t i = 0; i < a->len; i++) {
		uint64_t off = a->offset + i;

		if (off >= size) {
			if (!a->is_write)
				a->data[i] = 0;
		} else if (a->is_write) {
			store[off] = a->data[i];
		} else {
			a->data[i] = store[off];
		}
	}
}

static enum run_action scratch_io(struct vcpu *v, void *dev, struct io_access *a)
{
	struct pc_testdev *t = dev;

	(void)v;
	lanes(t->scratch, sizeof(t->scratch), a);
	return RUN_CONTINUE;
}

static enum run_action iomem_io(struct vcpu *v, void *dev, struct io_access *a)
{
	struct pc_testdev *t = dev;

	(void)v;
	lanes(t->iomem, MVM_PC_IOMEM_SIZE, a);
	return RUN_CONTINUE;
}

/*
 * The guest asks that its mapping of a page be dropped (KUT's eventinj
 * makes the next access to it fault into KVM). Taking write access from
 * the host page for a moment makes the kernel's MMU notifier zap KVM's
 * mapping of it; contents stay. With huge-page backing mprotect cannot
 * split the page: the record says flushed=no.
 */
static enum run_action flush_io(struct vcpu *v, void *dev, struct io_access *a)
{
	struct pc_testdev *t = dev;
	uint32_t addr;
	uint8_t *page;
	struct record r;
	bool done;

	lanes(t->flush, sizeof(t->flush), a);
	if (!a->is_write || a->offset != 0)
		return RUN_CONTINUE;
	memcpy(&addr, t->flush, sizeof(addr));
	page = GMEM_PTR(&v->m->gmem, addr & ~(PAGE_SIZE - 1), PAGE_SIZE);
	if (!page) {
		vcpu_guest_error(v, "pc-testdev: flush of a page not in RAM: %s",
				 v->m->gmem.last_error);
		return RUN_CONTINUE;
	}
	done = mprotect(page, PAGE_SIZE, PROT_READ) == 0 &&
	       mprotect(page, PAGE_SIZE, PROT_READ | PROT_WRITE) == 0;
	vcpu_rec_begin(v, &r, "flush_page");
	rec_hex(&r, "addr", addr);
	rec_word(&r, "flushed", done ? "yes" : "no");
	vcpu_emit(v, &r);
	return RUN_CONTINUE;
}

/* A write to 0x2000 + n sets line n to (value != 0), as KUT's set_irq_line expects. */
static enum run_action irq_io(struct vcpu *v, void *dev, struct io_access *a)
{
	uint32_t line = (uint32_t)a->offset;
	bool level = false;
	struct record r;
	int e;

	(void)dev;
	if (!a->is_write) {
		memset(a->data, 0, a->len);
		return RUN_CONTINUE;
	}
	for (uint32_t i = 0; i < a->len; i++)
		level |= a->data[i] != 0;
	if (v->m->irqchip == MVM_IRQCHIP_NONE) {
		vcpu_guest_error(v, "pc-testdev: IRQ line %u driven, but the VM has no irqchip",
				 line);
		return RUN_CONTINUE;
	}
	e = v->m->irqchip == MVM_IRQCHIP_SPLIT ? ioapic_dev_line(v, line, level)
					       : irqchip_line(v->m->fd, line, level);
	if (e < 0)
		return runlog_host_error(&v->m->log, "%s failed: %s",
					 v->m->irqchip == MVM_IRQCHIP_SPLIT ? "KVM_SIGNAL_MSI"
									    : "KVM_IRQ_LINE",
					 strerror(-e));
	vcpu_rec_begin(v, &r, "irq_line");
	rec_u64(&r, "gsi", line);
	rec_u64(&r, "level", level);
	vcpu_emit(v, &r);
	return RUN_CONTINUE;
}

static int pc_testdev_open(struct machine *m, void **state, struct errbuf *err)
{
	struct pc_testdev *t = calloc(1, sizeof(*t));
	const struct io_range ranges[] = {
		{ IO_PIO, MVM_PC_TESTDEV_PORT, 4, "pc_testdev", scratch_io, t },
		{ IO_PIO, MVM_PC_FLUSH_PAGE_PORT, 4, "pc_testdev", flush_io, t },
		{ IO_PIO, MVM_PC_IRQ_PORT, MVM_PC_IRQ_LINES, "pc_testdev", irq_io, t },
		{ IO_MMIO, MVM_PC_IOMEM_GPA, MVM_PC_IOMEM_SIZE, "pc_testdev", iomem_io, t },
	};

	*state = t;
	if (!t || !(t->iomem = calloc(1, MVM_PC_IOMEM_SIZE))) {
		errbuf_set(err, "out of memory");
		return MVM_STATUS_HOST;
	}
	for (size_t i = 0; i < ARRAY_SIZE(ranges); i++)
		if (!iorange_add(&m->io, &ranges[i], err))
			return MVM_STATUS_HOST;
	return 0;
}

static void pc_testdev_close(void *state, struct machine *m)
{
	struct pc_testdev *t = state;

	(void)m;
	if (t)
		free(t->iomem);
	free(t);
}

static bool pc_testdev_wanted(const struct machine *m)
{
	return m->pc;
}

const struct contrib_ops pc_testdev_contrib = {
	.name = "pc_testdev",
	.wanted = pc_testdev_wanted,
	.open = pc_testdev_open,
	.close = pc_testdev_close,
};
