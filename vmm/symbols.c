/* SPDX-License-Identifier: MIT */
/* symbols.c - owns reading a payload's symbol file and naming addresses with it. */
#include "symbols.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A symbol file of a payload is a few kilobytes; this is far past any. */
#define SYM_FILE_MAX (16u << 20)

/* One line of nm's output, before sizes are settled. */
struct nm_line {
	uint64_t addr;
	uint64_t size; /* 0: none given */
	char type;
	const char *name;
	uint32_t name_len;
	size_t index; /* its line's order, so that sorting keeps the first of a tie */
};

static bool is_code(char type)
{
	return type == 't' || type == 'T' || type == 'w' || type == 'W';
}

static bool parse_hex(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	size_t n = strlen(s);

	if (n == 0 || n > 16)
		return false;
	for (; *s; s++) {
		int d = *s >= '0' && *s <= '9'	 ? *s - '0'
			: *s >= 'a' && *s <= 'f' ? *s - 'a' + 10
			: *s >= 'A' && *s <= 'F' ? *s - 'A' + 10
						 : -1;

		if (d < 0)
			return false;
		v = v << 4 | (uint64_t)d;
	}
	*out = v;
	return true;
}

/* Splits line (NUL-terminated, changed in place) into l; false if it is not nm's. */
static bool parse_line(char *line, struct nm_line *l)
{
	char *tok[5];
	int n = 0;

	for (char *save = NULL, *p = strtok_r(line, " \t", &save); p && n < 5;
	     p = strtok_r(NULL, " \t", &save))
		tok[n++] = p;
	if (n != 3 && n != 4)
		return false;
	if (!parse_hex(tok[0], &l->addr) || strlen(tok[n - 2]) != 1 ||
	    !word_safe(tok[n - 1], strlen(tok[n - 1])))
		return false;
	l->size = 0;
	if (n == 4 && !parse_hex(tok[1], &l->size))
		return false;
	l->type = tok[n - 2][0];
	l->name = tok[n - 1];
	l->name_len = (uint32_t)strlen(l->name);
	return true;
}

static int by_addr(const void *a, const void *b)
{
	const struct nm_line *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* nm -n writes the lines in by_addr order already: then sorting would only cost. */
static bool sorted(const struct nm_line *l, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (by_addr(&l[i - 1], &l[i]) > 0)
			return false;
	return true;
}

/* Sorted lines to code symbols: labels run to the next address that is not theirs. */
static void settle(struct symtab *t, const struct nm_line *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct symbol *s = &t->sym[t->n];
		uint64_t size = l[i].size;

		if (!is_code(l[i].type) || (t->n && t->sym[t->n - 1].addr == l[i].addr))
			continue;
		for (size_t j = i + 1; !size && j < n; j++)
			if (l[j].addr > l[i].addr)
				size = l[j].addr - l[i].addr;
		if (!size)
			continue;
		*s = (struct symbol){ l[i].addr, size, l[i].name, l[i].name_len };
		t->n++;
	}
}

/* Every line of text into l, absolute symbols left out, their count in *count. */
static bool split_lines(char *text, struct nm_line *l, size_t *count, struct errbuf *err)
{
	size_t n = 0, lineno = 0;

	for (char *p = text, *end; p; p = end) {
		end = strchr(p, '\n');
		if (end)
			*end++ = '\0';
		lineno++;
		if (strspn(p, " \t\r") == strlen(p))
			continue;
		p[strcspn(p, "\r")] = '\0';
		if (!parse_line(p, &l[n])) {
			errbuf_set(err,
				   "line %zu is not a symbol line of nm (ADDR [SIZE] TYPE NAME)",
				   lineno);
			return false;
		}
		if (l[n].type == 'A' || l[n].type == 'a')
			continue;
		l[n].index = n;
		n++;
	}
	*count = n;
	return true;
}

bool symtab_parse(struct symtab *t, const char *text, size_t len, struct errbuf *err)
{
	struct nm_line *l;
	size_t lines = 1, n;

	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	t->text = malloc(len + 1);
	l = calloc(lines, sizeof(*l));
	t->sym = calloc(lines, sizeof(*t->sym));
	if (!t->text || !l || !t->sym) {
		errbuf_set(err, "out of memory for %zu symbol lines", lines);
		goto fail;
	}
	memcpy(t->text, text, len);
	t->text[len] = '\0';
	if (memchr(text, '\0', len)) {
		errbuf_set(err, "a NUL byte: not a text file");
		goto fail;
	}
	if (!split_lines(t->text, l, &n, err))
		goto fail;
	if (!sorted(l, n))
		qsort(l, n, sizeof(*l), by_addr);
	settle(t, l, n);
	free(l);
	return true;
fail:
	free(l);
	symtab_free(t);
	return false;
}

static char *read_all(FILE *f, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap), *bigger;

	while (buf) {
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap || cap >= SYM_FILE_MAX)
			break;
		bigger = realloc(buf, cap * 2);
		if (!bigger)
			free(buf);
		buf = bigger;
		cap *= 2;
	}
	*len = n;
	return buf;
}

int symtab_load(struct symtab *t, const char *path, struct errbuf *err)
{
	struct errbuf why = { "" };
	FILE *f = fopen(path, "re");
	size_t len;
	char *text;
	int e;

	memset(t, 0, sizeof(*t));
	if (!f) {
		e = errno;
		errbuf_set(err, "cannot open symbol file %s: %s", path, strerror(e));
		return -e;
	}
	text = read_all(f, &len);
	e = ferror(f) ? errno : !text ? ENOMEM : len >= SYM_FILE_MAX ? EFBIG : 0;
	fclose(f);
	if (e) {
		errbuf_set(err, "cannot read symbol file %s: %s", path, strerror(e));
		free(text);
		return -e;
	}
	if (!symtab_parse(t, text, len, &why)) {
		errbuf_set(err, "symbol file %s: %s", path, why.msg);
		free(text);
		return -EINVAL;
	}
	free(text);
	return 0;
}

void symtab_free(struct symtab *t)
{
	free(t->sym);
	free(t->text);
	memset(t, 0, sizeof(*t));
}

static bool covers(const struct symbol *s, uint64_t addr)
{
	return addr >= s->addr && addr - s->addr < s->size;
}

const struct symbol *symtab_lookup(const struct symtab *t, uint64_t addr, size_t *hint)
{
	size_t lo = 0, hi;

	if (!t || !t->n)
		return NULL;
	/* The hint only if the search would find it too: where symbols
	 * overlap, the name must not depend on earlier lookups. */
	if (hint && *hint < t->n && covers(&t->sym[*hint], addr) &&
	    (*hint + 1 == t->n || t->sym[*hint + 1].addr > addr))
		return &t->sym[*hint];
	/* The last symbol that starts at or below addr. */
	hi = t->n;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->sym[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (!covers(&t->sym[lo], addr))
		return NULL;
	if (hint)
		*hint = lo;
	return &t->sym[lo];
}

size_t symbol_format(const struct symbol *s, uint64_t addr, char *buf, size_t cap)
{
	int n;

	if (!s || !cap)
		return 0;
	if (addr == s->addr)
		n = snprintf(buf, cap, "%s", s->name);
	else
		n = snprintf(buf, cap, "%s+0x%llx", s->name, (unsigned long long)(addr - s->addr));
	return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}
