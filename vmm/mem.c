/* SPDX-License-Identifier: MIT */
/* mem.c - owns the memory slots: host mappings, KVM registration, guest requests. */
#include "mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "dirty.h"
#include "vm.h"

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
static void mem_sync_gmem(struct vm *vm)
{
	vm->gmem.nregions = 0;
	for (int i = 0; i < MVM_SLOT_COUNT; i++) {
		struct mem_slot *s = &vm->mem.slot[i];

		if (s->exists && s->present)
			gmem_add(&vm->gmem, s->gpa, s->size, s->host);
	}
}

int mem_slot_commit(struct vm *vm, struct mem_slot *s, bool present)
{
	struct kvm_userspace_memory_region r = {
		.slot = s->id,
		.flags = s->flags,
		.guest_phys_addr = s->gpa,
		.memory_size = present ? s->size : 0,
		.userspace_addr = (uintptr_t)s->host,
	};
	int e = ioctl_raw(vm->fd, KVM_SET_USER_MEMORY_REGION, &r);

	if (e < 0)
		return e;
	s->present = present;
	mem_sync_gmem(vm);
	return 0;
}

static void rom_fill(struct mem_slot *s)
{
	uint64_t *w = (uint64_t *)s->host;

	for (uint64_t i = 0; i < s->size / 8; i++)
		w[i] = s->gpa + i * 8;
}

int mem_create(struct vm *vm, uint64_t ram_size, enum mem_backing backing, struct errbuf *err)
{
	struct mem *m = &vm->mem;
	int r;

	mem_layout(m, ram_size);
	m->backing = backing;
	for (int i = 0; i < MVM_SLOT_COUNT; i++) {
		struct mem_slot *s = &m->slot[i];

		if (!s->exists)
			continue;
		if ((r = slot_map(s, backing, err)))
			return r;
		if (s->id == MVM_SLOT_ROM)
			rom_fill(s);
		if ((r = mem_slot_commit(vm, s, true)) < 0) {
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
		free(s->dirty);
		page_list_free(&s->ring_pages);
		s->map = s->host = NULL;
		s->dirty = NULL;
	}
}

void mem_record_layout(struct vm *vm)
{
	for (int i = 0; i < MVM_SLOT_COUNT; i++) {
		struct mem_slot *s = &vm->mem.slot[i];
		struct record r;

		if (!s->exists)
			continue;
		rec_begin(&r, 0, 0, "slot");
		rec_u64(&r, "id", s->id);
		rec_word(&r, "name", s->name);
		rec_hex(&r, "gpa", s->gpa);
		rec_hex(&r, "size", s->size);
		rec_word(&r, "access", s->flags & KVM_MEM_READONLY ? "ro" : "rw");
		recorder_emit(&vm->rec, &r);
	}
}

static const char *const op_names[MVM_MEM_OP_COUNT] = {
	[MVM_MEM_LOG_START] = "log_start", [MVM_MEM_LOG_STOP] = "log_stop",
	[MVM_MEM_READONLY] = "readonly",   [MVM_MEM_WRITABLE] = "writable",
	[MVM_MEM_DELETE] = "delete",	   [MVM_MEM_RESTORE] = "restore",
	[MVM_MEM_MOVE] = "move",
};

/* Changes flags by deleting and adding back: KVM cannot flip READONLY in place. */
static int slot_reflag(struct vm *vm, struct mem_slot *s, uint32_t flags)
{
	int e = 0;

	if (s->present)
		e = mem_slot_commit(vm, s, false);
	s->flags = flags;
	return e ? e : mem_slot_commit(vm, s, true);
}

static int slot_move(struct vm *vm, struct mem_slot *s, uint64_t gpa)
{
	uint64_t old = s->gpa;
	int e;

	s->gpa = gpa;
	e = mem_slot_commit(vm, s, true);
	if (e)
		s->gpa = old;
	return e;
}

/* Applies op to s; returns 0 or -errno from KVM. */
static int mem_apply(struct vm *vm, struct mem_slot *s, uint32_t op, uint64_t gpa)
{
	int e;

	switch (op) {
	case MVM_MEM_LOG_START:
		s->flags |= KVM_MEM_LOG_DIRTY_PAGES;
		if ((e = mem_slot_commit(vm, s, true)))
			s->flags &= ~KVM_MEM_LOG_DIRTY_PAGES;
		else
			dirty_slot_started(vm, s);
		return e;
	case MVM_MEM_LOG_STOP:
		/* In place (KVM_MR_FLAGS_ONLY), as VMMs do at the end of a migration. */
		s->flags &= ~KVM_MEM_LOG_DIRTY_PAGES;
		if ((e = mem_slot_commit(vm, s, true)))
			s->flags |= KVM_MEM_LOG_DIRTY_PAGES;
		return e;
	case MVM_MEM_READONLY:
		return slot_reflag(vm, s, s->flags | KVM_MEM_READONLY);
	case MVM_MEM_WRITABLE:
		return slot_reflag(vm, s, s->flags & ~KVM_MEM_READONLY);
	case MVM_MEM_DELETE:
		return mem_slot_commit(vm, s, false);
	case MVM_MEM_RESTORE:
		s->gpa = s->base;
		e = mem_slot_commit(vm, s, true);
		if (!e && (s->flags & KVM_MEM_LOG_DIRTY_PAGES))
			dirty_slot_started(vm, s);
		return e;
	default:
		return slot_move(vm, s, gpa);
	}
}

/* Why the guest's request cannot even be tried, or NULL. */
static const char *mem_op_invalid(const struct vm *vm, const struct mvm_call_mem *op)
{
	const struct mem_slot *s;

	if (op->op >= MVM_MEM_OP_COUNT)
		return "no such memory operation";
	if (op->slot >= MVM_SLOT_COUNT || !vm->mem.slot[op->slot].exists)
		return "no such slot";
	s = &vm->mem.slot[op->slot];
	if (op->op == MVM_MEM_RESTORE ? s->present : !s->present)
		return op->op == MVM_MEM_RESTORE ? "slot is not deleted" : "slot is deleted";
	if (op->op == MVM_MEM_MOVE && (op->gpa & (HUGE_2M - 1)))
		return "move target is not 2 MiB aligned";
	return NULL;
}

void mem_guest_op(struct vm *vm, const struct mvm_call_mem *op)
{
	const char *bad = mem_op_invalid(vm, op);
	struct mem_slot *s;
	struct record r;
	int e;

	if (bad) {
		vm_guest_error(vm, "mem: op %u on slot %u: %s", op->op, op->slot, bad);
		return;
	}
	s = &vm->mem.slot[op->slot];
	/* Pages dirtied so far belong to the slot as it was: record them first. */
	if ((s->flags & KVM_MEM_LOG_DIRTY_PAGES) && op->op != MVM_MEM_LOG_START)
		dirty_record_slot(vm, s, "mem_op", 0);
	e = mem_apply(vm, s, op->op, op->gpa);
	vm_rec_begin(vm, &r, "mem");
	rec_word(&r, "op", op_names[op->op]);
	rec_u64(&r, "slot", s->id);
	rec_word(&r, "name", s->name);
	rec_hex(&r, "gpa", op->op == MVM_MEM_MOVE ? op->gpa : s->gpa);
	rec_word(&r, "result", e ? "refused" : "ok");
	if (e)
		rec_cstr(&r, "error", strerror(-e));
	vm_rec_emit(vm, &r);
}
