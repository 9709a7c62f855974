/* SPDX-License-Identifier: MIT */
/* contrib.c - owns the table of trace contributors and calls their hooks in its order. */
#include "contrib.h"

/*
 * The table: one row per contributor, each defined in a file of its own
 * as NAME_contrib. The order is the order of their records: at a
 * checkpoint dirty pages, then stats, then nested state, then the marker
 * line; at the end the console's last lines first.
 */
#define CONTRIBUTORS(ROW)                                                                        \
	ROW(console)      /* dev_console.c: COM1 */                                              \
	ROW(testdev)      /* dev_testdev.c: the test device */                                   \
	ROW(calls)        /* dev_calls.c: the guest's calls */                                   \
	ROW(ioapic)       /* dev_ioapic.c: --irqchip split's IOAPIC */                           \
	ROW(pc)           /* dev_pc.c: --machine pc's debug-exit, fw_cfg, PM timer, ACPI, PCI */ \
	ROW(pc_testdev)   /* dev_pc_testdev.c: --machine pc's pc-testdev */                      \
	ROW(dirty)        /* dirty.c: dirty logging */                                           \
	ROW(stats)        /* stats.c: --stats */                                                 \
	ROW(nested_state) /* nested.c: --nested-state */                                         \
	ROW(kprobe)       /* kprobe.c: --kprobe's events (before ktrace, which attaches them) */ \
	ROW(ktrace)       /* ktrace.c: --ktrace and --kprobe */                                  \
	ROW(marker)       /* marker.c: --marker */                                               \
	ROW(singlestep)   /* exit_debug.c: --singlestep */

#define DECLARE(name) extern const struct contrib_ops name##_contrib;
#define ENTRY(name)   &name##_contrib,
CONTRIBUTORS(DECLARE)
static const struct contrib_ops *const table[] = { CONTRIBUTORS(ENTRY) };

_Static_assert(ARRAY_SIZE(table) <= CONTRIB_MAX, "CONTRIB_MAX");

#define EACH(c, i, hook)                                 \
	for (int i = 0; i < (int)ARRAY_SIZE(table); i++) \
		if ((c)->on[i] && table[i]->hook)

int contribs_open(struct contribs *c, struct machine *m, struct errbuf *err)
{
	int r;

	m->contribs = c;
	for (int i = 0; i < (int)ARRAY_SIZE(table); i++) {
		if (table[i]->wanted && !table[i]->wanted(m))
			continue;
		c->on[i] = true;
		if (table[i]->on_exit)
			c->exit_row[c->nexit_rows++] = (unsigned char)i;
		if (table[i]->open && (r = table[i]->open(m, &c->state[i], err)))
			return r;
	}
	return 0;
}

int contribs_open_vcpu(struct contribs *c, struct vcpu *v, struct errbuf *err)
{
	int r;

	EACH(c, i, open_vcpu)
	if ((r = table[i]->open_vcpu(c->state[i], v, i, err)))
		return r;
	return 0;
}

void contribs_run_on_exit(struct contribs *c, struct vcpu *v)
{
	for (int k = 0; k < c->nexit_rows; k++) {
		int i = c->exit_row[k];

		table[i]->on_exit(c->state[i], v, i);
	}
}

void contribs_checkpoint(struct contribs *c, struct vcpu *v, uint64_t id)
{
	EACH(c, i, checkpoint)
	table[i]->checkpoint(c->state[i], v, i, id);
}

void contribs_at_end(struct contribs *c, struct machine *m)
{
	EACH(c, i, at_end)
	table[i]->at_end(c->state[i], m, i);
}

void contribs_summary(struct contribs *c, struct machine *m)
{
	EACH(c, i, summary)
	table[i]->summary(c->state[i], m);
}

void contribs_close_vcpu(struct contribs *c, struct vcpu *v)
{
	EACH(c, i, close_vcpu)
	table[i]->close_vcpu(c->state[i], v, i);
}

void contribs_close(struct contribs *c, struct machine *m)
{
	for (int i = (int)ARRAY_SIZE(table) - 1; i >= 0; i--) {
		if (c->on[i] && table[i]->close)
			table[i]->close(c->state[i], m);
		c->on[i] = false;
		c->state[i] = NULL;
	}
	c->nexit_rows = 0;
}
