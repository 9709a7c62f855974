/* SPDX-License-Identifier: MIT */
/* mem.h - the guest's memory slots: layout, host backing, guest-driven changes. */
#ifndef MVM_MEM_H
#define MVM_MEM_H

#include <stdbool.h>
#include <stdint.h>

#include "minivmm_abi.h"
#include "pageset.h"
#include "util.h"

struct vm;

enum mem_backing { BACKING_ANON, BACKING_THP, BACKING_HUGETLB };

struct mem_slot {
	uint32_t id;
	const char *name;
	uint64_t base; /* where the slot was created */
	uint64_t gpa;  /* where it is now */
	uint64_t size;
	uint8_t *host; /* 2 MiB aligned when backed by huge pages */
	uint8_t *map;  /* the mapping, for munmap */
	uint64_t map_size;
	uint32_t flags;	 /* KVM_MEM_LOG_DIRTY_PAGES, KVM_MEM_READONLY */
	bool exists;	 /* part of this VM's layout */
	bool present;	 /* known to KVM now (not deleted) */
	bool logging;	 /* dirty logging was started (its state below exists) */
	uint64_t *dirty; /* bitmap/clear modes: pages dirtied since the last record */
	bool pending;	 /* dirty holds pages; when false its contents mean nothing */
	struct page_list ring_pages; /* ring mode: the same, as harvested */
};

struct mem {
	enum mem_backing backing;
	struct mem_slot slot[MVM_SLOT_COUNT];
};

/*
 * The default map for ram_size bytes of RAM: low RAM at 0 (up to 3 GiB),
 * the rest above 4 GiB, the test slot and the read-only slot. Pure: fills
 * ids, names, bases and sizes only.
 */
void mem_layout(struct mem *m, uint64_t ram_size);
/* Maps every slot's host memory and gives the slots to KVM. */
int mem_create(struct vm *vm, uint64_t ram_size, enum mem_backing backing, struct errbuf *err);
void mem_destroy(struct mem *m);
/* Records one "slot" record per slot (after the trace header). */
void mem_record_layout(struct vm *vm);
/* KVM_SET_USER_MEMORY_REGION for the slot's current gpa/flags (size 0 when
 * deleting); keeps the checked accessor's view in step. */
int mem_slot_commit(struct vm *vm, struct mem_slot *s, bool present);
/* The guest's MVM_CALL_MEM: validated, applied, recorded. */
void mem_guest_op(struct vm *vm, const struct mvm_call_mem *op);

const char *mem_backing_name(enum mem_backing b);
/* Parses --backing: anon, thp, hugetlb; false for anything else. */
bool mem_backing_from_name(const char *s, enum mem_backing *b);

#endif /* MVM_MEM_H */
