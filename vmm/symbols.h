/* SPDX-License-Identifier: MIT */
/* symbols.h - a payload's code symbols, read from nm's output, and RIP to func+0xoff. */
#ifndef MVM_SYMBOLS_H
#define MVM_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct symbol {
	uint64_t addr;
	uint64_t size; /* never 0: the symbol covers [addr, addr + size) */
	const char *name;
	uint32_t name_len;
};

/* Code symbols in address order; names point into text, the file's own copy. */
struct symtab {
	struct symbol *sym;
	size_t n;
	char *text;
};

/*
 * Parses the output of `nm -n -S --defined-only` (BSD format, any order):
 * lines "ADDR SIZE TYPE NAME" or "ADDR TYPE NAME", hex without 0x. Symbols
 * of type t, T, w or W are code. An assembly label has no size: it runs to
 * the next symbol of the file that is not absolute (A, a), and is dropped
 * when none follows. Absolute symbols are ignored; other types only end
 * labels. Of several code symbols at one address the first line wins.
 * False with err naming the line when a line is not of that form.
 */
bool symtab_parse(struct symtab *t, const char *text, size_t len, struct errbuf *err);
/* Reads and parses path: 0, or -errno (-ENOENT: no such file) with err set. */
int symtab_load(struct symtab *t, const char *path, struct errbuf *err);
void symtab_free(struct symtab *t);

/*
 * The symbol that covers addr, or NULL (also when t is NULL). hint, if not
 * NULL, holds the index of the caller's last hit, which is tried first:
 * consecutive exits mostly come from the same function.
 */
const struct symbol *symtab_lookup(const struct symtab *t, uint64_t addr, size_t *hint);

/* "func" at a symbol's own address, else "func+0x1f": the length written
 * (at most cap - 1, NUL-terminated), 0 when s is NULL. */
size_t symbol_format(const struct symbol *s, uint64_t addr, char *buf, size_t cap);

#endif /* MVM_SYMBOLS_H */
