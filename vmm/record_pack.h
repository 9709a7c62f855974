/* SPDX-License-Identifier: MIT */
/* record_pack.h - a record packed into bytes that carry everything it points to, and back. */
#ifndef MVM_RECORD_PACK_H
#define MVM_RECORD_PACK_H

#include <stddef.h>

#include "record.h"

/*
 * A record's fields point to keys, strings, bytes and page runs that may
 * change or go away once the record is emitted. Packed, the record holds
 * copies of all of them (its kind and exit name too), so it can be
 * encoded later, on another thread: the recorder keeps generic records
 * this way (RENT_RECORD) and the writer thread encodes them. Only an
 * RF_CODE field's symbol stays a pointer: the run's symbol table outlives
 * the recorder. Pure.
 */

/* The bytes r packs into: a multiple of 8. */
size_t rec_pack_size(const struct record *r);

/* Packs r into out (8-byte aligned, rec_pack_size(r) bytes). */
void rec_pack(const struct record *r, void *out);

/* The record packed at in (8-byte aligned), its pointers into in. */
void rec_unpack(const void *in, struct record *r);

#endif /* MVM_RECORD_PACK_H */
