/* SPDX-License-Identifier: MIT */
/* tracefs.c - owns tracefs access and the parsing of tracepoint format files. */
#include "tracefs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

/* "field:TYPE NAME[N];" -> the name (and whether it is an array). */
static bool field_name(const char *decl, size_t n, struct tp_field *fl)
{
	const char *end = decl + n, *start;

	if (end > decl && end[-1] == ']') {
		while (end > decl && *end != '[')
			end--;
		fl->is_array = true;
	}
	start = end;
	while (start > decl && start[-1] != ' ' && start[-1] != '*')
		start--;
	if (start == end || (size_t)(end - start) >= sizeof(fl->name))
		return false;
	memcpy(fl->name, start, end - start);
	fl->name[end - start] = '\0';
	fl->is_data_loc = strstr(decl, "__data_loc") && strstr(decl, "__data_loc") < end;
	return true;
}

static bool parse_field_line(const char *line, struct tp_field *fl)
{
	const char *decl = strstr(line, "field:"), *semi;
	unsigned int off, size, sign;
	const char *o;

	if (!decl)
		return false;
	decl += 6;
	semi = strchr(decl, ';');
	o = semi ? strstr(semi, "offset:") : NULL;
	if (!o || sscanf(o, "offset:%u;%*[ \t]size:%u;%*[ \t]signed:%u;", &off, &size, &sign) != 3)
		return false;
	memset(fl, 0, sizeof(*fl));
	if (!field_name(decl, semi - decl, fl) || !word_safe(fl->name, strlen(fl->name)))
		return false;
	snprintf(fl->key, sizeof(fl->key), "tp_%s", fl->name);
	fl->offset = off;
	fl->size = size;
	fl->is_signed = sign;
	return true;
}

bool tp_format_parse(const char *text, struct tp_format *f, struct errbuf *err)
{
	const char *p = text;

	memset(f, 0, sizeof(*f));
	if (sscanf(text, "name: %47s", f->name) != 1 || !strstr(text, "ID:") ||
	    sscanf(strstr(text, "ID:"), "ID: %u", &f->id) != 1) {
		errbuf_set(err, "format file without name: or ID:");
		return false;
	}
	/* Names go into traces unescaped, JSON keys included. */
	if (!word_safe(f->name, strlen(f->name))) {
		errbuf_set(err,
			   "format file: event name '%s' has a quote, backslash, control or "
			   "non-ASCII byte",
			   f->name);
		return false;
	}
	/* Fields end where the print format begins; it may quote "field:" itself. */
	const char *end = strstr(text, "\nprint fmt:");

	while ((p = strstr(p, "field:")) && (!end || p < end)) {
		struct tp_field fl;
		const char *nl = strchr(p, '\n');
		char line[256];
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		snprintf(line, sizeof(line), "%.*s", (int)n, p);
		p += n;
		if (!parse_field_line(line, &fl)) {
			errbuf_set(err, "%s: cannot read field line '%.60s'", f->name, line);
			return false;
		}
		if (strncmp(fl.name, "common_", 7) == 0)
			continue;
		if (f->nfields == TP_FIELDS_MAX) {
			errbuf_set(err, "%s: more than %d fields", f->name, TP_FIELDS_MAX);
			return false;
		}
		f->field[f->nfields++] = fl;
	}
	return true;
}

static bool has_events(const char *root)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/events", root);
	return access(path, R_OK) == 0;
}

const char *tracefs_root(struct errbuf *err)
{
	static const char *const roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

	for (size_t i = 0; i < ARRAY_SIZE(roots); i++)
		if (has_events(roots[i]))
			return roots[i];
	if (mount("nodev", roots[0], "tracefs", 0, NULL) == 0 && has_events(roots[0]))
		return roots[0];
	errbuf_set(err, "tracefs is not mounted and mounting it at %s failed: %s", roots[0],
		   strerror(errno));
	return NULL;
}

bool tracefs_event(const char *root, const char *system, const char *event, struct tp_format *f,
		   struct errbuf *err)
{
	char path[256], text[16384];
	size_t got = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/events/%s/%s/format", root, system, event);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		errbuf_set(err, "no tracepoint %s:%s (%s)", system, event, strerror(errno));
		return false;
	}
	/* The fields come first; a print format longer than the buffer is cut. */
	while (got < sizeof(text) - 1 && (n = read(fd, text + got, sizeof(text) - 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	if (got == 0) {
		errbuf_set(err, "cannot read %s", path);
		return false;
	}
	text[got] = '\0';
	return tp_format_parse(text, f, err);
}
