/* SPDX-License-Identifier: MIT */
/* qemu_cli.c - owns `minivmm qemu`: QEMU's options as kvm-unit-tests passes them, read into a run. */
#include "qemu_cli.h"

#ifndef MVM_VERSION
#define MVM_VERSION "unknown"
#endif

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* clang-format off: the help text is laid out as it prints. */
static const char qemu_usage_text[] =
"minivmm-qemu " MVM_VERSION ": boots kvm-unit-tests x86 binaries on minivmm from a QEMU command line\n"
"\n"
"Usage: minivmm qemu [QEMU OPTIONS]      (or minivmm-qemu, the same program)\n"
"       QEMU=/path/to/minivmm-qemu ./run_tests.sh     in a kvm-unit-tests tree\n"
"\n"
"Not QEMU: the options kvm-unit-tests' x86/run passes are read and the kernel\n"
"is booted as `minivmm run KERNEL --machine pc --cpu qemu64` would boot it:\n"
"  -kernel FILE      the Multiboot kernel (a .flat file)\n"
"  -append TEXT      its command line, after the file name\n"
"  -initrd FILE      its one module (KUT's environment file)\n"
"  -smp N[,cores=C,threads=T,sockets=S]   vCPUs\n"
"  -m SIZE[M|G]      guest RAM (MiB when no suffix; default 128)\n"
"  -cpu MODEL[,+F,-F,vendor=V]   qemu64 (default), host or max (both: what\n"
"                    KVM supports); QEMU-only properties (migratable,\n"
"                    phys-bits, host-phys-bits, check, enforce) are ignored\n"
"  -machine [pc,]accel=kvm[,pit=off]  -M ...  -accel kvm  -enable-kvm\n"
"  -device pc-testdev | isa-debug-exit,iobase=0xf4[,iosize=N] | help\n"
"  -global kvm-pit.lost_tick_policy=discard    (minivmm's PIT does that)\n"
"  -nodefaults -no-reboot -display none -serial stdio -nographic -vga none\n"
"  -monitor none -name NAME -h -version\n"
"Any other option is refused with one line naming it.\n"
"\n"
"Exit status, as QEMU's: (code << 1) | 1 after the guest writes code to port\n"
"0xf4 (1 pass, 3 fail, 77 all skipped); a minivmm payload's exit call gives\n"
"1, 3 or 77 for pass, fail, skip; 0 when the guest shuts down (triple fault,\n"
"reset); 128+N on signal N; 1 when the VMM fails (one line on stderr); 77\n"
"when this host cannot run it.\n"
"\n"
"Environment:\n"
"  MINIVMM_TRACE_DIR=DIR   each run writes DIR/$TESTNAME.jsonl (or the kernel's\n"
"                          name), the full exit trace, as JSON Lines\n"
"  MINIVMM_ARGS='OPTS'     more `minivmm run` options, e.g. '--stats --ktrace'\n"
"\n"
"See docs/kernels.md.\n";
/* clang-format on */

void qemu_usage(FILE *f)
{
	fputs(qemu_usage_text, f);
}

/* As QEMU prints them; KUT's x86/run greps the quoted names. */
void qemu_device_list(FILE *f)
{
	fputs("Devices minivmm emulates (-machine pc):\n"
	      "name \"isa-debug-exit\", bus ISA-bus\n"
	      "name \"pc-testdev\", bus ISA-bus\n",
	      f);
}

static const char *keep(struct qemu_cmd *q, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static const char *keep(struct qemu_cmd *q, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (q->nstore == QEMU_RUN_ARGS_MAX)
		return NULL;
	s = q->store[q->nstore++];
	va_start(ap, fmt);
	vsnprintf(s, sizeof(q->store[0]), fmt, ap);
	va_end(ap);
	return s;
}

static bool push(struct qemu_cmd *q, const char *a, struct errbuf *err)
{
	if (!a || q->argc == QEMU_RUN_ARGS_MAX) {
		errbuf_set(err, "qemu: too many options");
		return false;
	}
	q->argv[q->argc++] = (char *)a;
	q->argv[q->argc] = NULL;
	return true;
}

static bool push2(struct qemu_cmd *q, const char *opt, const char *val, struct errbuf *err)
{
	return push(q, opt, err) && push(q, val, err);
}

/* "key=value" item of a comma list: true when s starts with key=. */
static bool is_key(const char *s, size_t len, const char *key, const char **val)
{
	size_t k = strlen(key);

	if (len <= k || memcmp(s, key, k) || s[k] != '=')
		return false;
	*val = s + k + 1;
	return true;
}

static bool item_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && !memcmp(s, word, len);
}

/* A decimal count in [1, 4096] up to the next comma. */
static bool count_of(const char *s, unsigned *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return false;
	v = strtoul(s, &end, 10);
	if ((*end && *end != ',') || v < 1 || v > 4096)
		return false;
	*out = (unsigned)v;
	return true;
}

static bool parse_smp(struct qemu_cmd *q, const char *arg, struct errbuf *err)
{
	unsigned cpus = 0, sockets = 1, cores = 1, threads = 1, dies = 1, v;
	bool topology = false;
	const char *p = arg, *val;

	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (p == arg && count_of(p, &v))
			cpus = v;
		else if (is_key(p, len, "cpus", &val) && count_of(val, &v))
			cpus = v;
		else if (is_key(p, len, "sockets", &val) && count_of(val, &v))
			sockets = v, topology = true;
		else if (is_key(p, len, "cores", &val) && count_of(val, &v))
			cores = v, topology = true;
		else if (is_key(p, len, "threads", &val) && count_of(val, &v))
			threads = v, topology = true;
		else if (is_key(p, len, "dies", &val) && count_of(val, &v))
			dies = v, topology = true;
		else if (is_key(p, len, "maxcpus", &val) && count_of(val, &v))
			; /* hot-plug room: minivmm has no CPU hot-plug */
		else {
			errbuf_set(err, "qemu: -smp: cannot read '%.*s'", (int)len, p);
			return false;
		}
		p = end ? end + 1 : p + len;
	}
	if (!cpus)
		cpus = topology ? sockets * dies * cores * threads : 1;
	return push2(q, "--vcpus", keep(q, "%u", cpus), err);
}

/* QEMU's -m: a size in MiB without a suffix, or size=...; slots/maxmem ignored. */
static bool parse_mem(struct qemu_cmd *q, const char *arg, struct errbuf *err)
{
	const char *s = arg, *val, *comma;
	char *end;
	unsigned long long v;

	if (is_key(arg, strlen(arg), "size", &val))
		s = val;
	v = strtoull(s, &end, 10);
	if (end == s || v == 0) {
		errbuf_set(err, "qemu: -m: '%s' is not a memory size", arg);
		return false;
	}
	comma = strchr(end, ',');
	if ((size_t)((comma ? comma : end + strlen(end)) - end) > 1 ||
	    (*end && *end != ',' && !strchr("kKmMgGtT", *end))) {
		errbuf_set(err, "qemu: -m: '%s' is not a memory size", arg);
		return false;
	}
	if (!*end || *end == ',')
		return push2(q, "--mem", keep(q, "%lluM", v), err);
	return push2(q, "--mem", keep(q, "%llu%c", v, *end == 'k' ? 'K' : *end), err);
}

/* -cpu: the model, QEMU's feature edits, QEMU-only properties dropped. */
static bool parse_cpu(struct qemu_cmd *q, const char *arg, struct errbuf *err)
{
	static const char *const ignored[] = { "migratable", "host-phys-bits",
					       "host-phys-bits-limit", "phys-bits",
					       "check", "enforce", "l3-cache" };
	const char *comma = strchr(arg, ',');
	size_t len = comma ? (size_t)(comma - arg) : strlen(arg);
	char spec[160];
	size_t n;

	if (item_is(arg, len, "qemu64"))
		n = (size_t)snprintf(spec, sizeof(spec), "qemu64");
	else if (item_is(arg, len, "host") || item_is(arg, len, "max"))
		n = (size_t)snprintf(spec, sizeof(spec), "host");
	else {
		errbuf_set(err, "qemu: -cpu: model '%.*s' is not emulated (qemu64, host, max)",
			   (int)len, arg);
		return false;
	}
	while (comma) {
		const char *p = comma + 1, *name = p;
		size_t k, nlen;
		bool skip = false;

		comma = strchr(p, ',');
		k = comma ? (size_t)(comma - p) : strlen(p);
		nlen = memchr(p, '=', k) ? (size_t)((const char *)memchr(p, '=', k) - p) : k;
		for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
			skip |= item_is(name, nlen, ignored[i]);
		if (nlen > 3 && name[0] == 'h' && name[1] == 'v' &&
		    (name[2] == '-' || name[2] == '_')) {
			errbuf_set(err, "qemu: -cpu: Hyper-V enlightenments (%.*s) are not emulated",
				   (int)k, p);
			return false;
		}
		if (skip)
			continue;
		if (n + 1 + k >= sizeof(spec)) {
			errbuf_set(err, "qemu: -cpu: '%s' is too long", arg);
			return false;
		}
		n += (size_t)snprintf(spec + n, sizeof(spec) - n, ",%.*s", (int)k, p);
	}
	return push2(q, "--cpu", keep(q, "%s", spec), err);
}

static bool parse_machine(struct qemu_cmd *q, const char *arg, struct errbuf *err)
{
	const char *p = arg, *val;

	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if ((p == arg && (item_is(p, len, "pc") || (len > 10 && !memcmp(p, "pc-i440fx-", 10)))) ||
		    (is_key(p, len, "type", &val) && len >= sizeof("type=pc") - 1 &&
		     !memcmp(val, "pc", 2)))
			; /* the one machine: i440FX-like pc */
		else if (is_key(p, len, "accel", &val) &&
			 (item_is(val, len - 6, "kvm")))
			;
		else if (item_is(p, len, "pit=off"))
			push(q, "--no-pit", err);
		else if (item_is(p, len, "pit=on") || item_is(p, len, "kernel_irqchip=on"))
			;
		else {
			errbuf_set(err, "qemu: -machine: '%.*s' is not supported (pc, accel=kvm, "
					"pit=off)",
				   (int)len, p);
			return false;
		}
		p = end ? end + 1 : p + len;
	}
	return true;
}

static bool parse_device(struct qemu_cmd *q, const char *arg, bool *pc, struct errbuf *err)
{
	const char *comma = strchr(arg, ','), *val;
	size_t len = comma ? (size_t)(comma - arg) : strlen(arg);

	if (item_is(arg, len, "help") || item_is(arg, len, "?")) {
		q->action = QEMU_DEVICE_LIST;
		return true;
	}
	if (item_is(arg, len, "pc-testdev") && !comma) {
		*pc = true;
		return true;
	}
	if (!item_is(arg, len, "isa-debug-exit")) {
		errbuf_set(err, "qemu: -device %.*s: not emulated by minivmm (pc-testdev, "
				"isa-debug-exit)",
			   (int)len, arg);
		return false;
	}
	while (comma) {
		const char *p = comma + 1;
		size_t k;

		comma = strchr(p, ',');
		k = comma ? (size_t)(comma - p) : strlen(p);
		if (is_key(p, k, "iobase", &val) &&
		    (item_is(val, k - 7, "0xf4") || item_is(val, k - 7, "244")))
			continue;
		if (is_key(p, k, "iosize", &val) &&
		    (item_is(val, k - 7, "1") || item_is(val, k - 7, "2") ||
		     item_is(val, k - 7, "4") || item_is(val, k - 7, "0x1") ||
		     item_is(val, k - 7, "0x2") || item_is(val, k - 7, "0x4")))
			continue;
		errbuf_set(err, "qemu: -device isa-debug-exit: '%.*s' is not supported (iobase=0xf4, "
				"iosize=1|2|4)",
			   (int)k, p);
		return false;
	}
	*pc = true;
	return true;
}

/* Options with no value that change nothing here. */
static const char *const flags_ignored[] = {
	"nodefaults", "no-reboot", "enable-kvm", "nographic", "no-user-config", "no-hpet",
};

static bool takes_value(const char *o)
{
	static const char *const with_value[] = {
		"device", "kernel", "append", "initrd",	 "smp",	    "m",    "cpu", "machine",
		"M",	  "accel",  "global", "display", "serial",  "vga",  "monitor", "name",
	};

	for (size_t i = 0; i < sizeof(with_value) / sizeof(with_value[0]); i++)
		if (!strcmp(o, with_value[i]))
			return true;
	return false;
}

static bool parse_value(struct qemu_cmd *q, const char *o, const char *v, bool *pc,
			struct errbuf *err)
{
	if (!strcmp(o, "kernel")) {
		q->kernel = v;
		return true;
	}
	if (!strcmp(o, "append"))
		return push2(q, "--append", v, err);
	if (!strcmp(o, "initrd"))
		return push2(q, "--initrd", v, err);
	if (!strcmp(o, "smp"))
		return parse_smp(q, v, err);
	if (!strcmp(o, "m"))
		return parse_mem(q, v, err);
	if (!strcmp(o, "cpu"))
		return parse_cpu(q, v, err);
	if (!strcmp(o, "machine") || !strcmp(o, "M"))
		return parse_machine(q, v, err);
	if (!strcmp(o, "accel")) {
		if (!strcmp(v, "kvm"))
			return true;
		errbuf_set(err, "qemu: -accel %s: minivmm runs on KVM only", v);
		return false;
	}
	if (!strcmp(o, "device"))
		return parse_device(q, v, pc, err);
	if (!strcmp(o, "global")) {
		if (!strcmp(v, "kvm-pit.lost_tick_policy=discard"))
			return true;
		errbuf_set(err, "qemu: -global %s: not supported "
				"(kvm-pit.lost_tick_policy=discard)", v);
		return false;
	}
	if (!strcmp(o, "serial")) {
		if (!strcmp(v, "stdio"))
			return true;
		errbuf_set(err, "qemu: -serial %s: COM1 goes to standard output only (stdio)", v);
		return false;
	}
	if ((!strcmp(o, "display") || !strcmp(o, "vga") || !strcmp(o, "monitor")) &&
	    strcmp(v, "none")) {
		errbuf_set(err, "qemu: -%s %s: minivmm has none (none)", o, v);
		return false;
	}
	return true; /* -display/-vga/-monitor none, -name */
}

static bool push_extra(struct qemu_cmd *q, const char *extra, struct errbuf *err)
{
	while (extra && *extra) {
		size_t len;

		while (*extra == ' ')
			extra++;
		len = strcspn(extra, " ");
		if (!len)
			break;
		if (len >= sizeof(q->store[0])) {
			errbuf_set(err, "MINIVMM_ARGS: '%.*s' is too long", (int)len, extra);
			return false;
		}
		if (!push(q, keep(q, "%.*s", (int)len, extra), err))
			return false;
		extra += len;
	}
	return true;
}

bool qemu_parse(int argc, char **argv, const char *extra, const char *trace_dir,
		const char *test, struct qemu_cmd *q, struct errbuf *err)
{
	bool pc = false, cpu = false;

	memset(q, 0, sizeof(*q));
	q->action = QEMU_RUN;
	q->argv[q->argc++] = "run";
	q->argv[q->argc++] = NULL; /* the kernel, filled in below */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *o = a + 1;
		bool known = false;

		if (a[0] != '-' || !a[1]) {
			errbuf_set(err, "qemu: '%s': minivmm boots -kernel files only (no disk "
					"images)",
				   a);
			return false;
		}
		if (o[0] == '-')
			o++;
		if (!strcmp(o, "h") || !strcmp(o, "help")) {
			q->action = QEMU_HELP;
			return true;
		}
		if (!strcmp(o, "version")) {
			q->action = QEMU_VERSION;
			return true;
		}
		for (size_t k = 0; k < sizeof(flags_ignored) / sizeof(flags_ignored[0]); k++)
			known |= !strcmp(o, flags_ignored[k]);
		if (known)
			continue;
		if (!takes_value(o)) {
			errbuf_set(err, "qemu: unknown or unsupported QEMU option '%s'", a);
			return false;
		}
		if (i + 1 == argc) {
			errbuf_set(err, "qemu: option '%s' needs a value", a);
			return false;
		}
		cpu |= !strcmp(o, "cpu");
		if (!parse_value(q, o, argv[++i], &pc, err))
			return false;
		if (q->action == QEMU_DEVICE_LIST)
			return true;
	}
	if (!q->kernel) {
		errbuf_set(err, "qemu: no -kernel FILE given (minivmm qemu boots Multiboot "
				"kernels)");
		return false;
	}
	q->argv[1] = (char *)q->kernel;
	if (!pc) {
		errbuf_set(err, "qemu: no -device pc-testdev or isa-debug-exit: minivmm qemu "
				"always boots --machine pc, so ask for it");
		return false;
	}
	if (!push2(q, "--machine", "pc", err) || (!cpu && !push2(q, "--cpu", "qemu64", err)))
		return false;
	if (trace_dir && *trace_dir) {
		const char *base = strrchr(q->kernel, '/');
		const char *name = test && *test ? test : base ? base + 1 : q->kernel;

		if (strlen(trace_dir) + strlen(name) + 8 > sizeof(q->store[0])) {
			errbuf_set(err, "MINIVMM_TRACE_DIR: '%s/%s.jsonl' is too long", trace_dir,
				   name);
			return false;
		}
		if (!push2(q, "--trace", keep(q, "%s/%s.jsonl", trace_dir, name), err) ||
		    !push2(q, "--format", "jsonl", err))
			return false;
	} else if (!push2(q, "--trace", "/dev/null", err))
		return false;
	return push_extra(q, extra, err);
}
