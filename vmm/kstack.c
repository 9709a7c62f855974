/* SPDX-License-Identifier: MIT */
/* kstack.c - owns --kstack's chains: counting them and naming their frames from /proc/kallsyms. */
#include "kstack.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record.h"

/* Counts count hits of chain c. */
static void kstacks_count(struct kstacks *k, const struct kstack *c, uint64_t count)
{
	for (int i = 0; i < k->n; i++)
		if (k->s[i].depth == c->depth &&
		    !memcmp(k->s[i].ip, c->ip, c->depth * sizeof(c->ip[0]))) {
			k->s[i].count += count;
			return;
		}
	if (k->n == KSTACK_MAX) {
		k->other += count;
		return;
	}
	k->s[k->n] = *c;
	k->s[k->n++].count = count;
}

void kstacks_add(struct kstacks *k, const uint64_t *ips, uint64_t nr)
{
	struct kstack c = { 1, 0, { 0 } };

	for (uint64_t i = 0; i < nr && c.depth < KSTACK_DEPTH; i++) {
		if (ips[i] >= (uint64_t)PERF_CONTEXT_MAX) {
			if (ips[i] == (uint64_t)PERF_CONTEXT_KERNEL)
				continue;
			break; /* the user part, or another context: not the kernel's */
		}
		c.ip[c.depth++] = ips[i];
	}
	kstacks_count(k, &c, 1);
}

void kstacks_merge(struct kstacks *dst, const struct kstacks *src)
{
	for (int i = 0; i < src->n; i++)
		kstacks_count(dst, &src->s[i], src->s[i].count);
	dst->other += src->other;
}

bool kallsyms_load(struct symtab *t, struct errbuf *err)
{
	size_t cap = 1 << 20, len = 0, w = 0;
	char *text = malloc(cap);
	int fd = open("/proc/kallsyms", O_RDONLY | O_CLOEXEC);
	ssize_t n;
	bool ok;

	if (fd < 0 || !text) {
		errbuf_set(err, "/proc/kallsyms: %s", fd < 0 ? strerror(errno) : "out of memory");
		if (fd >= 0)
			close(fd);
		free(text);
		return false;
	}
	while ((n = read(fd, text + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (cap - len < 4096) {
			char *more = realloc(text, cap * 2);

			if (!more)
				break;
			text = more;
			cap *= 2;
		}
	}
	close(fd);
	/* "ADDR TYPE NAME\t[module]": nm's form once the module is cut off. */
	for (size_t r = 0; r < len;) {
		size_t e = r;

		while (e < len && text[e] != '\n')
			e++;
		for (size_t i = r; i < e && text[i] != '\t'; i++)
			text[w++] = text[i];
		text[w++] = '\n';
		r = e + 1;
	}
	ok = symtab_parse(t, text, w, err);
	free(text);
	return ok;
}

static int by_count(const void *a, const void *b)
{
	const struct kstack *x = *(const struct kstack *const *)a;
	const struct kstack *y = *(const struct kstack *const *)b;

	return x->count < y->count ? 1 : x->count > y->count ? -1 : 0;
}

void kstacks_emit(const struct kstacks *k, const char *func, const struct symtab *ksyms,
		  struct runlog *log, uint64_t seq, int vcpu)
{
	const struct kstack *order[KSTACK_MAX];
	size_t hint = 0;

	for (int i = 0; i < k->n; i++)
		order[i] = &k->s[i];
	if (k->n > 1)
		qsort(order, (size_t)k->n, sizeof(order[0]), by_count);
	for (int i = 0; i < k->n; i++) {
		const struct kstack *s = order[i];
		char chain[KSTACK_DEPTH * 64 + 1];
		size_t used = 0;
		struct record r;

		chain[0] = '\0';
		for (uint32_t f = 0; f < s->depth && used < sizeof(chain) - 70; f++) {
			char name[64];

			if (!symbol_format(symtab_lookup(ksyms, s->ip[f], &hint), s->ip[f], name,
					   sizeof(name)))
				snprintf(name, sizeof(name), "0x%llx", (unsigned long long)s->ip[f]);
			used += (size_t)snprintf(chain + used, sizeof(chain) - used, "%s%s",
						 f ? " <- " : "", name);
		}
		rec_begin(&r, seq, vcpu, "kstack");
		rec_word(&r, "func", func);
		rec_u64(&r, "count", s->count);
		rec_u64(&r, "depth", s->depth);
		rec_cstr(&r, "stack", chain);
		runlog_emit(log, &r);
	}
	if (k->other) {
		struct record r;

		rec_begin(&r, seq, vcpu, "kstack");
		rec_word(&r, "func", func);
		rec_u64(&r, "count", k->other);
		rec_cstr(&r, "stack", "(other chains: more than 64 distinct)");
		runlog_emit(log, &r);
	}
}
