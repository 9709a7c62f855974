/* SPDX-License-Identifier: MIT */
/* trace_read.c - owns parsing JSON Lines traces back into records (the inverse of record.c). */
#include "trace_read.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "util.h"

/* The parse of one line: a cursor over the record's copy of it. */
struct jp {
	char *p, *end, *start;
	unsigned long line;
	struct errbuf *err;
};

static bool jp_fail(struct jp *j, const char *what)
{
	errbuf_set(j->err, "line %lu, column %zu: %s", j->line, (size_t)(j->p - j->start) + 1,
		   what);
	return false;
}

static void jp_ws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\r'))
		j->p++;
}

static bool jp_eat(struct jp *j, char c, const char *what)
{
	jp_ws(j);
	if (j->p >= j->end || *j->p != c)
		return jp_fail(j, what);
	j->p++;
	return true;
}

/* Whether c comes next, and if so steps over it: the lists' separators. */
static bool jp_more(struct jp *j, char c)
{
	jp_ws(j);
	if (j->p >= j->end || *j->p != c)
		return false;
	j->p++;
	return true;
}

/* Writes code point v as a byte (up to U+00FF, the trace's own escapes) or as UTF-8. */
static char *put_code(char *w, unsigned v)
{
	if (v < 0x100) {
		*w++ = (char)v;
	} else if (v < 0x800) {
		*w++ = (char)(0xc0 | v >> 6);
		*w++ = (char)(0x80 | (v & 0x3f));
	} else {
		*w++ = (char)(0xe0 | v >> 12);
		*w++ = (char)(0x80 | ((v >> 6) & 0x3f));
		*w++ = (char)(0x80 | (v & 0x3f));
	}
	return w;
}

static bool jp_escape(struct jp *j, char **w)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e;
	unsigned v = 0;

	if (++j->p >= j->end)
		return jp_fail(j, "unfinished escape");
	e = strchr(from, *j->p);
	if (*j->p && e) {
		*(*w)++ = to[e - from];
		j->p++;
		return true;
	}
	if (*j->p != 'u')
		return jp_fail(j, "unknown escape");
	for (int i = 1; i <= 4; i++) {
		int h = j->p + i < j->end ? hex_digit(j->p[i]) : -1;

		if (h < 0)
			return jp_fail(j, "\\u needs four hex digits");
		v = v << 4 | (unsigned)h;
	}
	j->p += 5;
	*w = put_code(*w, v);
	return true;
}

/* A string, decoded in place (never longer than as written) and NUL-terminated. */
static bool jp_string(struct jp *j, const char **s, size_t *len)
{
	char *w;

	if (!jp_eat(j, '"', "expected a string"))
		return false;
	*s = w = j->p;
	while (j->p < j->end && *j->p != '"') {
		if ((unsigned char)*j->p < 0x20)
			return jp_fail(j, "control character in a string");
		if (*j->p == '\\') {
			if (!jp_escape(j, &w))
				return false;
		} else {
			*w++ = *j->p++;
		}
	}
	if (j->p >= j->end)
		return jp_fail(j, "unterminated string");
	j->p++;
	*len = (size_t)(w - *s);
	*w = '\0';
	return true;
}

/* An integer into f (TV_NUM, TV_INT), or any other number kept as written (TV_LIT). */
static bool jp_number(struct jp *j, struct trace_field *f)
{
	char *q = j->p, *end;
	bool neg = *q == '-';

	errno = 0;
	f->u = neg ? (uint64_t)strtoll(q, &end, 10) : strtoull(q, &end, 10);
	if (end == q || errno)
		return jp_fail(j, "bad number");
	if (end < j->end && (*end == '.' || *end == 'e' || *end == 'E')) {
		strtod(q, &end);
		f->type = TV_LIT;
		f->s = q;
		f->len = (size_t)(end - q);
	} else {
		f->type = neg ? TV_INT : TV_NUM;
	}
	j->p = end;
	return true;
}

/* [["0xADDR",N],...]: the only arrays a trace has (page runs). */
static bool jp_runs(struct jp *j, struct trace_field *f)
{
	size_t cap = 0;

	f->type = TV_RUNS;
	f->runs = NULL;
	f->len = 0;
	j->p++;
	jp_ws(j);
	if (jp_more(j, ']'))
		return true;
	do {
		const char *a;
		size_t alen;
		uint64_t addr, count;
		char *end;

		if (!jp_eat(j, '[', "expected a page run [\"0xADDR\",N]") ||
		    !jp_string(j, &a, &alen))
			return false;
		if (!parse_u64(a, &addr) || (addr & 4095))
			return jp_fail(j, "a page run's address is not a page's 0x address");
		if (!jp_eat(j, ',', "expected ',' in a page run"))
			return false;
		jp_ws(j);
		count = strtoull(j->p, &end, 10);
		if (end == j->p || *j->p == '-')
			return jp_fail(j, "a page run needs a page count");
		j->p = end;
		if (!jp_eat(j, ']', "expected ']' after a page run"))
			return false;
		if (f->len == cap) {
			struct page_run *n = realloc(f->runs, (cap = cap * 2 + 8) * sizeof(*n));

			if (!n)
				return jp_fail(j, "out of memory");
			f->runs = n;
		}
		f->runs[f->len++] = (struct page_run){ addr >> 12, count };
		jp_ws(j);
	} while (jp_more(j, ','));
	return jp_eat(j, ']', "expected ',' or ']' in the page runs");
}

static bool jp_value(struct jp *j, struct trace_field *f)
{
	static const char *const lits[] = { "true", "false", "null" };

	jp_ws(j);
	if (j->p >= j->end)
		return jp_fail(j, "expected a value");
	if (*j->p == '"') {
		f->type = TV_STR;
		return jp_string(j, &f->s, &f->len);
	}
	if (*j->p == '[')
		return jp_runs(j, f);
	if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9'))
		return jp_number(j, f);
	for (size_t i = 0; i < ARRAY_SIZE(lits); i++) {
		size_t n = strlen(lits[i]);

		if ((size_t)(j->end - j->p) >= n && !memcmp(j->p, lits[i], n)) {
			f->type = TV_LIT;
			f->s = j->p;
			f->len = n;
			j->p += n;
			return true;
		}
	}
	return jp_fail(j, *j->p == '{' ? "nested objects are not part of a trace"
				       : "expected a value");
}

static struct trace_field *new_field(struct trace_rec *r)
{
	if (r->n == r->cap) {
		int cap = r->cap * 2 + 16;
		struct trace_field *n = realloc(r->f, (size_t)cap * sizeof(*n));

		if (!n)
			return NULL;
		r->f = n;
		r->cap = cap;
	}
	memset(&r->f[r->n], 0, sizeof(r->f[0]));
	return &r->f[r->n++];
}

/* Moves the leading seq, vcpu, type and an exit record's exit out of the fields. */
static bool take_frame(struct jp *j, struct trace_rec *r)
{
	int i = 0;

	r->vcpu = REC_NO_VCPU;
	if (r->n >= 2 && !strcmp(r->f[0].key, "seq") && !strcmp(r->f[1].key, "vcpu")) {
		if (r->f[0].type != TV_NUM || r->f[1].type != TV_NUM || r->f[1].u > INT32_MAX)
			return jp_fail(j, "seq and vcpu must be numbers");
		r->seq = r->f[0].u;
		r->vcpu = (int)r->f[1].u;
		i = 2;
	}
	if (i >= r->n || strcmp(r->f[i].key, "type") || r->f[i].type != TV_STR)
		return jp_fail(j, "no \"type\" string where a record names its kind");
	r->kind = r->f[i++].s;
	if (!strcmp(r->kind, "exit")) {
		if (i >= r->n || strcmp(r->f[i].key, "exit") || r->f[i].type != TV_STR)
			return jp_fail(j, "an exit record without its \"exit\" name");
		r->exit_name = r->f[i++].s;
	}
	r->n -= i;
	memmove(r->f, r->f + i, (size_t)r->n * sizeof(r->f[0]));
	return true;
}

void trace_rec_free(struct trace_rec *r)
{
	for (int i = 0; i < r->n; i++)
		if (r->f[i].type == TV_RUNS)
			free(r->f[i].runs);
	free(r->f);
	free(r->buf);
	memset(r, 0, sizeof(*r));
}

static bool parse_members(struct jp *j, struct trace_rec *r)
{
	jp_ws(j);
	if (j->p >= j->end || *j->p != '{')
		return jp_fail(j, "not a JSON object: show and diff read traces written with "
				  "--format jsonl");
	j->p++;
	jp_ws(j);
	if (j->p < j->end && *j->p == '}')
		return jp_fail(j, "empty record");
	do {
		struct trace_field *f = new_field(r);
		size_t klen;

		if (!f)
			return jp_fail(j, "out of memory");
		if (!jp_string(j, &f->key, &klen) || !jp_eat(j, ':', "expected ':' after a key") ||
		    !jp_value(j, f))
			return false;
		jp_ws(j);
	} while (jp_more(j, ','));
	if (!jp_eat(j, '}', "expected ',' or '}'"))
		return false;
	jp_ws(j);
	return j->p == j->end || jp_fail(j, "text after the record's '}'");
}

bool trace_parse_line(const char *line, size_t len, unsigned long lineno, struct trace_rec *r,
		      struct errbuf *err)
{
	struct jp j;

	memset(r, 0, sizeof(*r));
	r->line = lineno;
	r->buf = malloc(len + 1);
	if (!r->buf) {
		errbuf_set(err, "line %lu: out of memory", lineno);
		return false;
	}
	memcpy(r->buf, line, len);
	r->buf[len] = '\0';
	j = (struct jp){ r->buf, r->buf + len, r->buf, lineno, err };
	if (!parse_members(&j, r) || !take_frame(&j, r)) {
		trace_rec_free(r);
		return false;
	}
	r->line = lineno;
	return true;
}

const struct trace_field *trace_field(const struct trace_rec *r, const char *key)
{
	for (int i = 0; i < r->n; i++)
		if (!strcmp(r->f[i].key, key))
			return &r->f[i];
	return NULL;
}

bool trace_field_is(const struct trace_field *f, const char *s)
{
	return f && f->type == TV_STR && f->len == strlen(s) && !memcmp(f->s, s, f->len);
}

bool trace_open(struct trace_reader *rd, const char *path, struct errbuf *err)
{
	memset(rd, 0, sizeof(*rd));
	rd->path = path;
	rd->f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!rd->f) {
		errbuf_set(err, "%s: %s", path, strerror(errno));
		return false;
	}
	return true;
}

int trace_next(struct trace_reader *rd, struct trace_rec *r, struct errbuf *err)
{
	ssize_t n;
	struct errbuf e;

	trace_rec_free(r);
	errno = 0;
	n = getline(&rd->buf, &rd->cap, rd->f);
	if (n < 0) {
		if (errno)
			errbuf_set(err, "%s: %s", rd->path, strerror(errno));
		return errno ? -1 : 0;
	}
	rd->line++;
	if (n > 0 && rd->buf[n - 1] == '\n')
		n--;
	if (trace_parse_line(rd->buf, (size_t)n, rd->line, r, &e))
		return 1;
	errbuf_set(err, "%s: %s", rd->path, e.msg);
	return -1;
}

void trace_close(struct trace_reader *rd)
{
	if (rd->f && rd->f != stdin)
		fclose(rd->f);
	free(rd->buf);
	memset(rd, 0, sizeof(*rd));
}
