/* SPDX-License-Identifier: MIT */
/* marker.c - owns --marker: lines in tracefs trace_marker that line up outside tools. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tracefs.h"
#include "vm.h"

int marker_open(struct vm *vm, struct errbuf *err)
{
	const char *root = tracefs_root(err);
	char path[128];

	if (!root)
		return MVM_STATUS_HOST;
	snprintf(path, sizeof(path), "%s/trace_marker", root);
	vm->marker_fd = open(path, O_WRONLY | O_CLOEXEC);
	if (vm->marker_fd < 0) {
		errbuf_set(err, "cannot open %s: %s", path, strerror(errno));
		return MVM_STATUS_HOST;
	}
	return 0;
}

void vm_marker(struct vm *vm, const char *fmt, ...)
{
	char line[160];
	va_list ap;
	int n;

	if (vm->marker_fd < 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0 &&
	    write(vm->marker_fd, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1) < 0) {
		struct record r;

		/* Tracing is off or went away: say so once, then stop trying. */
		vm_rec_begin(vm, &r, "marker_error");
		rec_cstr(&r, "error", strerror(errno));
		vm_rec_emit(vm, &r);
		close(vm->marker_fd);
		vm->marker_fd = -1;
	}
}

void marker_close(struct vm *vm)
{
	if (vm->marker_fd >= 0)
		close(vm->marker_fd);
	vm->marker_fd = -1;
}
