/* SPDX-License-Identifier: MIT */
/* mem.h - the guest's memory slots: layout, host backing, guest-driven changes. */
#ifndef MVM_MEM_H
#define MVM_MEM_H

#include <stdbool.h>
#include <stdint.h>

#include "gmem.h"
#include "record.h"
#include "minivmm_abi.h"
#include "util.h"

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
	uint32_t flags; /* KVM_MEM_LOG_DIRTY_PAGES, KVM_MEM_READONLY */
	bool exists;	/* part of this VM's layout */
	bool present;	/* known to KVM now (not deleted) */
};

struct mem {
	enum mem_backing backing;
	int vm_fd;
	struct gmem *gmem; /* kept in step with the slots KVM has */
	struct mem_slot slot[MVM_SLOT_COUNT];
};

/*
 * The default map for ram_size bytes of RAM: low RAM at 0 (up to 3 GiB),
 * the rest above 4 GiB, the test slot and the read-only slot. Pure: fills
 * ids, names, bases and sizes only.
 */
void mem_layout(struct mem *m, uint64_t ram_size);
/* Maps every slot's host memory and gives the slots to KVM (vm_fd). */
int mem_create(struct mem *m, int vm_fd, struct gmem *gm, uint64_t ram_size,
	       enum mem_backing backing, struct errbuf *err);
void mem_destroy(struct mem *m);
/* Fills r with slot s's "slot" record (after the trace header). */
void mem_slot_record(const struct mem_slot *s, struct record *r);
/* KVM_SET_USER_MEMORY_REGION for the slot's current gpa/flags (size 0 when
 * deleting); keeps the checked accessor's view in step. */
int mem_slot_commit(struct mem *m, struct mem_slot *s, bool present);
/* Why the guest's MVM_CALL_MEM cannot even be tried, or NULL. */
const char *mem_op_invalid(const struct mem *m, const struct mvm_call_mem *op);
/* Applies a valid op to its slot; 0 or -errno from KVM. */
int mem_apply(struct mem *m, struct mem_slot *s, uint32_t op, uint64_t gpa);
const char *mem_op_name(uint32_t op);

const char *mem_backing_name(enum mem_backing b);
/* Parses --backing: anon, thp, hugetlb; false for anything else. */
bool mem_backing_from_name(const char *s, enum mem_backing *b);

#endif /* MVM_MEM_H */
