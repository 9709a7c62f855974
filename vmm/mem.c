/* SPDX-License-Identifier: MIT */
/* mem.c - owns the memory slots: host mappings, KVM registration, guest requests. */
#include "mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "kvm.h"

#define HUGE_2M (2ULL << 20)

static const char *const backing_names[] = {
	[BACKING_ANON] = "anon",
	[BACKING_THP] = "thp",
	[BACKING_HUGETLB] = "hugetlb",
};

const char *mem_backing_name(enum mem_backing b)
{
	return backing_names[b];
}

bool mem_backing_from_name(const char *s, enum mem_backing *b)
{
	int i = name_index(backing_names, ARRAY_SIZE(backing_names), s);

	if (i >= 0)
		*b = (enum mem_backing)i;
	return i >= 0;
}

static void slot_init(struct mem_slot *s, uint32_t id, const char *name, uint64_t gpa,
		      uint64_t size)
{
	memset(s, 0, sizeof(*s));
	s->id = id;
	s->name = name;
	s->base = s->gpa = gpa;
	s->size = size;
	s->exists = size != 0;
}

void mem_layout(struct mem *m, uint64_t ram_size)
{
	uint64_t low = ram_size < MVM_LOW_RAM_MAX ? ram_size : MVM_LOW_RAM_MAX;

	slot_init(&m->slot[MVM_SLOT_LOW], MVM_SLOT_LOW, "low", 0, low);
	slot_init(&m->slot[MVM_SLOT_HIGH], MVM_SLOT_HIGH, "high", MVM_HIGH_RAM_GPA, ram_size - low);
	slot_init(&m->slot[MVM_SLOT_TEST], MVM_SLOT_TEST, "test", MVM_TEST_SLOT_GPA,
		  MVM_TEST_SLOT_SIZE);
	slot_init(&m->slot[MVM_SLOT_ROM], MVM_SLOT_ROM, "rom", MVM_ROM_SLOT_GPA, MVM_ROM_SLOT_SIZE);
	m->slot[MVM_SLOT_ROM].flags = KVM_MEM_READONLY;
}

/*
 * anon: 4 KiB host pages (THP refused), reserved lazily (MAP_NORESERVE), so
 * a sparse 64 GiB guest costs only what it touches; thp: the same, 2 MiB
 * aligned and asking for transparent huge pages; hugetlb: 2 MiB pages from
 * the reserved pool, which must hold the whole slot.
 */
static int slot_map(struct mem_slot *s, enum mem_backing b, struct errbuf *err)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;
	uint64_t align = b == BACKING_ANON ? 0 : HUGE_2M;

	if (b == BACKING_HUGETLB)
		flags |= MAP_HUGETLB | (21 << MAP_HUGE_SHIFT);
	else
		flags |= MAP_NORESERVE;
	s->map_size = s->size + (b == BACKING_THP ? align : 0);
	if (b == BACKING_HUGETLB)
		s->map_size = (s->size + HUGE_2M - 1) & ~(HUGE_2M - 1);
	s->map = mmap(NULL, s->map_size, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (s->map == MAP_FAILED) {
		s->map = NULL;
		errbuf_set(err, "cannot map %llu bytes for slot %s (%s backing): %s%s",
			   (unsigned long long)s->size, s->name, backing_names[b], strerror(errno),
			   b == BACKING_HUGETLB ? " (reserve 2 MiB pages: echo N > "
						  "/proc/sys/vm/nr_hugepages)"
						: "");
		return MVM_STATUS_HOST;
	}
	s->host = b == BACKING_THP ? (uint8_t *)(((uintptr_t)s->map + align - 1) & ~(align - 1))
				   : s->map;
	if (b != BACKING_HUGETLB)
		madvise(s->host, s->size, b == BACKING_THP ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	return 0;
}

/* The checked accessor sees exactly the slots KVM has. */
static void mem_sync_gmem(struct mem *m)
{
	m->gmem->nregions = 0;
	for (int i = 0; i < MVM_SLOT_COUNT; i++) {
		struct mem_slot *s = &m->slot[i];

		if (s->exists && s->present)
			gmem_add(m->gmem, s->gpa, s->size, s->host);
	}
}

int mem_slot_commit(struct mem *m, struct mem_slot *s, bool present)
{
	struct kvm_userspace_memory_region r = {
		.slot = s->id,
		.flags = s->flags,
		.guest_phys_addr = s->gpa,
		.memory_size = present ? s->size : 0,
		.userspace_addr = (uintptr_t)s->host,
	};
	int e = ioctl_raw(m->vm_fd, KVM_SET_USER_MEMORY_REGION, &r);

	if (e < 0)
		return e;
	s->present = present;
	mem_sync_gmem(m);
	return 0;
}

static void rom_fill(struct mem_slot *s)
{
	uint64_t *w = (uint64_t *)s->host;

	for (uint64_t i = 0; i < s->size / 8; i++)
		w[i] = s->gpa + i * 8;
}

int mem_create(struct mem *m, int vm_fd, struct gmem *gm, uint64_t ram_size,
	       enum mem_backing backing, struct errbuf *err)
{
	int r;

	mem_layout(m, ram_size);
	m->backing = backing;
	m->vm_fd = vm_fd;
	m->gmem = gm;
	for (int i = 0; i < MVM_SLOT_COUNT; i++) {
		struct mem_slot *s = &m->slot[i];

		if (!s->exists)
			continue;
		if ((r = slot_map(s, backing, err)))
			return r;
		if (s->id == MVM_SLOT_ROM)
			rom_fill(s);
		if ((r = mem_slot_commit(m, s, true)) < 0) {
			errbuf_set(err, "KVM_SET_USER_MEMORY_REGION refused slot %s: %s", s->name,
				   strerror(-r));
			return MVM_STATUS_HOST;
		}
	}
	return 0;
}

void mem_destroy(struct mem *m)
{
	for (int i = 0; i < MVM_SLOT_COUNT; i++) {
		struct mem_slot *s = &m->slot[i];

		if (s->map)
			munmap(s->map, s->map_size);
		s->map = s->host = NULL;
	}
}

void mem_slot_record(const struct mem_slot *s, struct record *r)
{
	rec_begin(r, 0, REC_NO_VCPU, "slot");
	rec_u64(r, "id", s->id);
	rec_word(r, "name", s->name);
	rec_hex(r, "gpa", s->gpa);
	rec_hex(r, "size", s->size);
	rec_word(r, "access", s->flags & KVM_MEM_READONLY ? "ro" : "rw");
}

static const char *const op_names[MVM_MEM_OP_COUNT] = {
	[MVM_MEM_LOG_START] = "log_start", [MVM_MEM_LOG_STOP] = "log_stop",
	[MVM_MEM_READONLY] = "readonly",   [MVM_MEM_WRITABLE] = "writable",
	[MVM_MEM_DELETE] = "delete",	   [MVM_MEM_RESTORE] = "restore",
	[MVM_MEM_MOVE] = "move",
};

const char *mem_op_name(uint32_t op)
{
	return op < MVM_MEM_OP_COUNT ? op_names[op] : "unknown";
}

/* Changes flags by deleting and adding back: KVM cannot flip READONLY in place. */
static int slot_reflag(struct mem *m, struct mem_slot *s, uint32_t flags)
{
	int e = 0;

	if (s->present)
		e = mem_slot_commit(m, s, false);
	s->flags = flags;
	return e ? e : mem_slot_commit(m, s, true);
}

static int slot_move(struct mem *m, struct mem_slot *s, uint64_t gpa)
{
	uint64_t old = s->gpa;
	int e;

	s->gpa = gpa;
	e = mem_slot_commit(m, s, true);
	if (e)
		s->gpa = old;
	return e;
}

/* Flips one flag in place (KVM_MR_FLAGS_ONLY), undone if KVM refuses. */
static int slot_flag(struct mem *m, struct mem_slot *s, uint32_t flag, bool on)
{
	uint32_t old = s->flags;
	int e;

	s->flags = on ? s->flags | flag : s->flags & ~flag;
	if ((e = mem_slot_commit(m, s, true)))
		s->flags = old;
	return e;
}

int mem_apply(struct mem *m, struct mem_slot *s, uint32_t op, uint64_t gpa)
{
	switch (op) {
	case MVM_MEM_LOG_START:
		return slot_flag(m, s, KVM_MEM_LOG_DIRTY_PAGES, true);
	case MVM_MEM_LOG_STOP:
		/* In place, as VMMs do at the end of a migration. */
		return slot_flag(m, s, KVM_MEM_LOG_DIRTY_PAGES, false);
	case MVM_MEM_READONLY:
		return slot_reflag(m, s, s->flags | KVM_MEM_READONLY);
	case MVM_MEM_WRITABLE:
		return slot_reflag(m, s, s->flags & ~KVM_MEM_READONLY);
	case MVM_MEM_DELETE:
		return mem_slot_commit(m, s, false);
	case MVM_MEM_RESTORE:
		s->gpa = s->base;
		return mem_slot_commit(m, s, true);
	default:
		return slot_move(m, s, gpa);
	}
}

const char *mem_op_invalid(const struct mem *m, const struct mvm_call_mem *op)
{
	const struct mem_slot *s;

	if (op->op >= MVM_MEM_OP_COUNT)
		return "no such memory operation";
	if (op->slot >= MVM_SLOT_COUNT || !m->slot[op->slot].exists)
		return "no such slot";
	s = &m->slot[op->slot];
	if (op->op == MVM_MEM_RESTORE ? s->present : !s->present)
		return op->op == MVM_MEM_RESTORE ? "slot is not deleted" : "slot is deleted";
	if (op->op == MVM_MEM_MOVE && (op->gpa & (HUGE_2M - 1)))
		return "move target is not 2 MiB aligned";
	return NULL;
}
