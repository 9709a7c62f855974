/* SPDX-License-Identifier: MIT */
/* disasm.c - owns decoding instruction bytes with binutils' objdump, and the cache in front of it. */
#include "disasm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

static const char *const arch_names[] = {
	[DISASM_I8086] = "i8086",
	[DISASM_I386] = "i386",
	[DISASM_X86_64] = "i386:x86-64",
};

int disasm_arch_of_mode(const char *mode, size_t len)
{
	static const struct {
		const char *mode;
		enum disasm_arch arch;
	} map[] = {
		{ "real", DISASM_I8086 },    { "vm16", DISASM_I8086 },
		{ "prot16", DISASM_I8086 },  { "prot32", DISASM_I386 },
		{ "paging32", DISASM_I386 }, { "pae", DISASM_I386 },
		{ "prot64", DISASM_X86_64 }, { "long", DISASM_X86_64 },
		{ "la57", DISASM_X86_64 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (strlen(map[i].mode) == len && !memcmp(map[i].mode, mode, len))
			return (int)map[i].arch;
	return -1;
}

/* Copies s[0..n) into out, runs of blanks as one space, without the comment. */
static void collapse(const char *s, size_t n, char *out, size_t cap)
{
	size_t w = 0;

	for (size_t i = 0; i < n && s[i] != '#' && w + 1 < cap; i++) {
		bool blank = s[i] == ' ' || s[i] == '\t';

		if (blank && (w == 0 || out[w - 1] == ' '))
			continue;
		out[w++] = blank ? ' ' : s[i];
	}
	while (w && out[w - 1] == ' ')
		w--;
	out[w] = '\0';
}

bool disasm_parse_objdump(const char *text, char *out, size_t cap)
{
	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *p = l + strspn(l, " "), *insn;
		size_t n;

		if (strncmp(p, "0:\t", 3))
			continue;
		insn = strchr(p + 3, '\t'); /* past the hex bytes */
		if (!insn)
			return false;
		insn++;
		n = strcspn(insn, "\n");
		collapse(insn, n, out, cap);
		return *out && strcmp(out, "(bad)") && strncmp(out, ".byte", 5);
	}
	return false;
}

/* Runs objdump on the file at path; its standard output into out (NUL-terminated). */
static int run_objdump(const char *path, enum disasm_arch arch, char *out, size_t cap)
{
	const char *objdump = getenv("MVM_OBJDUMP") ? getenv("MVM_OBJDUMP") : "objdump";
	int fd[2], st;
	size_t n = 0;
	ssize_t r;
	pid_t pid;

	if (pipe(fd) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execlp(objdump, objdump, "-D", "-b", "binary", "-m", arch_names[arch], path,
		       (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	while (n + 1 < cap && ((r = read(fd[0], out + n, cap - 1 - n)) > 0 || errno == EINTR))
		n += r > 0 ? (size_t)r : 0;
	out[n] = '\0';
	close(fd[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static bool decode(struct disasm *d, enum disasm_arch arch, const uint8_t *b, size_t n, char *out,
		   size_t cap)
{
	const char *dir = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char path[512], text[4096];
	int fd, st;

	snprintf(path, sizeof(path), "%s/minivmm-insn-XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0)
		return false;
	if (write(fd, b, n) != (ssize_t)n) {
		close(fd);
		unlink(path);
		return false;
	}
	close(fd);
	d->forks++;
	st = run_objdump(path, arch, text, sizeof(text));
	unlink(path);
	if (st == 127 || st < 0)
		d->no_objdump = true;
	return st == 0 && disasm_parse_objdump(text, out, cap);
}

bool disasm_insn(struct disasm *d, enum disasm_arch arch, const uint8_t *b, size_t n,
		 const char **out)
{
	uint32_t h = 2166136261u ^ (uint32_t)arch;
	struct disasm_entry *e;

	if (n == 0 || n > DISASM_MAX_BYTES)
		return false;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	e = &d->slot[h % DISASM_SLOTS];
	if (e->arch != arch + 1 || e->n != n || memcmp(e->bytes, b, n)) {
		if (d->no_objdump)
			return false;
		e->arch = (uint8_t)(arch + 1);
		e->n = (uint8_t)n;
		memcpy(e->bytes, b, n);
		e->ok = decode(d, arch, b, n, e->text, sizeof(e->text));
	}
	*out = e->text;
	return e->ok;
}
