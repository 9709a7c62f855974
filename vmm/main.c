/* SPDX-License-Identifier: MIT */
/* main.c - the minivmm command: subcommands, and the order a run is set up in. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caps.h"
#include "cli.h"
#include "explain.h"
#include "minivmm_abi.h"
#include "payload_path.h"
#include "qemu_cli.h"
#include "replay.h"
#include "suggest.h"
#include "symbols.h"
#include "trace_cmd.h"
#include "vm.h"

#ifndef MVM_VERSION
#define MVM_VERSION "unknown"
#endif
/* The Makefile passes DATADIR/payloads; without it only $MINIVMM_PAYLOAD_PATH is searched. */
#ifndef MVM_PAYLOAD_DIR
#define MVM_PAYLOAD_DIR ""
#endif

static void usage_top(FILE *f)
{
	fprintf(f, "minivmm %s - a small, exact userspace VMM that records KVM exits\n\n",
		MVM_VERSION);
	cli_usage(f);
}

/*
 * --symbols FILE must load; PAYLOAD's .sym twin may be missing (then the
 * trace has no symbols) and, broken, is only warned about: the run does
 * not depend on it. false with err for a bad --symbols.
 */
static bool load_symbols(const struct cli_run *c, struct symtab *t, bool *loaded,
			 struct errbuf *err)
{
	char beside[4096];
	int e;

	*loaded = false;
	if (c->opt.symbols) {
		if (symtab_load(t, c->opt.symbols, err) < 0)
			return false;
		*loaded = true;
		return true;
	}
	if (!cli_symbols_beside(c->payload, beside, sizeof(beside)))
		return true;
	e = symtab_load(t, beside, err);
	if (e < 0 && e != -ENOENT)
		mvm_err("ignoring %s", err->msg);
	*loaded = e == 0;
	err->msg[0] = '\0';
	return true;
}

/* An option that changed what the payload's header says is no surprise. */
static void note_overrides(const struct payload *p, const struct payload_overrides *o)
{
	char notes[PAYLOAD_NOTES_MAX][PAYLOAD_NOTE_LEN];
	int n = payload_override_notes(p, o, notes);

	for (int i = 0; i < n; i++)
		mvm_err("note: %s", notes[i]);
}

/* How a run ended, for a caller that reports it its own way (minivmm qemu). */
struct run_result {
	enum end_reason end;
	uint64_t code;
	char detail[128];
};

/* Everything that can be checked without KVM is checked before a VM exists.
 * rp, unless NULL, answers the guest's reads (minivmm replay); res, unless
 * NULL, gets how the run ended (END_NONE when it never started). */
static int run_parsed(struct cli_run *c, struct replay *rp, struct run_result *res)
{
	struct payload p;
	struct errbuf err = { "" };
	struct vm vm;
	struct symtab syms = { 0 };
	bool have_syms;
	int status, finished;

	if (!payload_read(c->payload, &p, &err) ||
	    (c->ov.initrd && !payload_read_initrd(c->ov.initrd, &p, &err)) ||
	    !payload_parse(&p, &c->ov, &err)) {
		mvm_err("%s", err.msg);
		payload_free(&p);
		return MVM_STATUS_USAGE;
	}
	if (!c->opt.quiet)
		note_overrides(&p, &c->ov);
	if (!load_symbols(c, &syms, &have_syms, &err)) {
		mvm_err("%s", err.msg);
		payload_free(&p);
		return MVM_STATUS_USAGE;
	}
	vm_init(&vm, &c->opt);
	vm.m.replay = rp;
	vm.m.syms = have_syms ? &syms : NULL;
	/* As a trace that cannot be written: the host's (status 3), not the usage's. */
	if (!recorder_open(&vm.m.log.rec, c->opt.trace_path, c->opt.format, c->opt.timing, &err)) {
		mvm_err("%s", err.msg);
		payload_free(&p);
		vm_destroy(&vm);
		symtab_free(&syms);
		return MVM_STATUS_HOST;
	}
	vm.m.log.rec.syms = vm.m.syms;
	vm.m.log.rec.skip_exits = c->opt.no_exit_records;
	vm.m.log.rec.explain = c->opt.explain;
	vm.m.log.echo = c->opt.quiet || vm.m.log.rec.fd == 1 ? NULL : stdout;
	vm_record_header(&vm, &p);
	status = vm_create(&vm, &p, &err);
	if (status) {
		mvm_err("%s%s", status == MVM_SKIP ? "skip: " : "", err.msg);
		runlog_end(&vm.m.log,
			   status == MVM_SKIP		 ? END_UNSUPPORTED
			   : status == MVM_STATUS_USAGE ? END_USAGE_ERROR
							 : END_HOST_ERROR,
			   status,
			   err.msg);
		vm.m.log.echo = NULL;
		/* A usage error found late (e.g. too many --ktrace events) stays one. */
		finished = vm_finish(&vm);
		if (status != MVM_STATUS_USAGE)
			status = finished;
	} else {
		vm_record_layout(&vm);
		status = vm_run(&vm);
	}
	if (res) {
		res->end = vm.m.log.end;
		res->code = vm.m.log.end_code;
		snprintf(res->detail, sizeof(res->detail), "%s",
			 vm.m.log.end_detail ? vm.m.log.end_detail : "");
	}
	vm_destroy(&vm);
	payload_free(&p);
	/* After the trace's last entries, which may name symbols. */
	if (!recorder_close(&vm.m.log.rec) && status != MVM_STATUS_INTERRUPT)
		status = MVM_STATUS_HOST;
	symtab_free(&syms);
	return status;
}

static int cmd_run(int argc, char **argv)
{
	char search[4096], path[4096];
	struct cli_run c;
	struct errbuf err = { "" };

	if (!cli_parse_run(argc, argv, &c, &err)) {
		mvm_err("%s", err.msg);
		return MVM_STATUS_USAGE;
	}
	if (c.help) {
		usage_top(stdout);
		return 0;
	}
	/* A bare name (run guest_mmio) may be an installed payload; its .sym is found beside it. */
	payload_path_search(getenv("MINIVMM_PAYLOAD_PATH"), MVM_PAYLOAD_DIR, search, sizeof(search));
	if (!payload_path_find(c.payload, search, path, sizeof(path), &err)) {
		mvm_err("%s", err.msg);
		return MVM_STATUS_USAGE;
	}
	c.payload = path;
	return run_parsed(&c, NULL, NULL);
}

/*
 * QEMU's exit status for how the run ended (minivmm qemu --help). KUT's
 * runner reads status 1 without stderr as a pass, so every end that is not
 * the guest's own verdict says so on stderr, in one line.
 */
static int qemu_status(int status, const struct run_result *res)
{
	if (res->end != END_DEBUG_EXIT && res->end != END_EXIT && res->end != END_SIGNAL &&
	    res->end != END_HOST_ERROR && res->end != END_NONE && status != MVM_STATUS_USAGE)
		mvm_err("qemu: the guest stopped: %s%s%s%s", end_reason_name(res->end),
			res->detail[0] ? " (" : "", res->detail, res->detail[0] ? ")" : "");
	switch (res->end) {
	case END_DEBUG_EXIT:
		return qemu_debug_exit_status(res->code);
	case END_EXIT: /* minivmm's own exit call: its verdict, as KUT's codes */
		return status == 0 ? 1 : status == MVM_SKIP ? MVM_SKIP : 3;
	case END_SHUTDOWN:
	case END_SYSTEM_EVENT:
		return 0; /* -no-reboot: a reset or shutdown ends QEMU with 0 */
	case END_SIGNAL:
		return 128 + (int)res->code;
	case END_UNSUPPORTED:
		return MVM_SKIP;
	default:
		return status == MVM_SKIP ? MVM_SKIP : 1;
	}
}

static int cmd_qemu(int argc, char **argv)
{
	struct run_result res = { END_NONE, 0, "" };
	struct errbuf err = { "" };
	struct qemu_cmd q;
	struct cli_run c;
	int status;

	if (!qemu_parse(argc, argv, getenv("MINIVMM_ARGS"), getenv("MINIVMM_TRACE_DIR"),
			getenv("TESTNAME"), &q, &err)) {
		mvm_err("%s", err.msg);
		return 1;
	}
	if (q.action == QEMU_HELP) {
		qemu_usage(stdout);
		return 0;
	}
	if (q.action == QEMU_VERSION) {
		printf("minivmm-qemu %s: a QEMU command line for minivmm, not QEMU\n", MVM_VERSION);
		return 0;
	}
	if (q.action == QEMU_DEVICE_LIST) {
		qemu_device_list(stdout);
		return 0;
	}
	/* The words kvm-unit-tests' runner looks for to know the VMM works. */
	if (access(q.kernel, R_OK) < 0) {
		mvm_err("qemu: could not load kernel '%s': %s", q.kernel, strerror(errno));
		return 1;
	}
	if (!cli_parse_run(q.argc, q.argv, &c, &err)) {
		mvm_err("qemu: %s", err.msg);
		return 1;
	}
	c.opt.no_summary = true;
	status = run_parsed(&c, NULL, &res);
	return qemu_status(status, &res);
}

/* The payload a trace names: --payload, else beside the trace, else in tests/. */
static bool replay_payload(const char *trace, const char *given, const char *name, char *out,
			   size_t cap)
{
	const char *slash = strrchr(trace, '/');

	if (given)
		return (size_t)snprintf(out, cap, "%s", given) < cap;
	snprintf(out, cap, "%.*s%s", slash ? (int)(slash - trace + 1) : 0, trace, name);
	if (access(out, R_OK) == 0)
		return true;
	snprintf(out, cap, "tests/%s", name);
	return access(out, R_OK) == 0;
}

/* The payload file must be the one recorded: same bytes, by the header's hash. */
static bool replay_check(const struct replay *rp, const char *path, struct errbuf *err)
{
	struct payload p;
	uint64_t h;

	if (!payload_read(path, &p, err))
		return false;
	h = payload_hash(&p);
	payload_free(&p);
	if (h != rp->hash)
		errbuf_set(err,
			   "replay: %s is not the payload the trace was recorded from (hash "
			   "0x%llx, "
			   "the trace's 0x%llx)",
			   path, (unsigned long long)h, (unsigned long long)rp->hash);
	return h == rp->hash;
}

/*
 * Reruns with the header's start values, into a JSONL trace at out. A run
 * that diverged may spin without exits, so it also has a timeout.
 */
static int replay_run(struct replay *rp, const char *payload, const char *initrd, const char *out,
		      const char *timeout)
{
	char load[24], entry[24], mem[24], exits[24];
	char *argv[] = { "run",		(char *)payload, "--mode",    rp->mode,	   "--load",
			 load,		"--entry",	 entry,	      "--mem",	   mem,
			 "--backing",	rp->backing,	 "--dirty",   rp->dirty,   "--irqchip",
			 rp->irqchip,	"--machine",	 rp->machine, "--format",  "jsonl",
			 "--trace",	(char *)out,	 "--quiet",   "--timeout", (char *)timeout,
			 "--max-exits", exits,		 NULL };
	int argc = (int)(sizeof(argv) / sizeof(argv[0])) - 1;
	char *more[6], *all[sizeof(argv) / sizeof(argv[0]) + 6];
	int nmore = 0;
	struct errbuf err = { "" };
	struct cli_run c;

	snprintf(load, sizeof(load), "0x%llx", (unsigned long long)rp->load);
	snprintf(entry, sizeof(entry), "0x%llx", (unsigned long long)rp->entry);
	snprintf(mem, sizeof(mem), "0x%llx", (unsigned long long)rp->mem);
	snprintf(exits, sizeof(exits), "%llu", (unsigned long long)rp->exits);
	if (!rp->exits)
		argc -= 2; /* no exits recorded: no limit */
	if (rp->append[0]) {
		more[nmore++] = "--append";
		more[nmore++] = rp->append;
	}
	if (initrd) {
		more[nmore++] = "--initrd";
		more[nmore++] = (char *)initrd;
	}
	if (rp->cpu[0]) {
		more[nmore++] = "--cpu";
		more[nmore++] = rp->cpu;
	}
	memcpy(all, argv, (size_t)argc * sizeof(argv[0]));
	memcpy(all + argc, more, (size_t)nmore * sizeof(more[0]));
	argc += nmore;
	all[argc] = NULL;
	if (!cli_parse_run(argc, all, &c, &err)) {
		mvm_err("replay: %s", err.msg);
		return MVM_STATUS_USAGE;
	}
	return run_parsed(&c, rp, NULL);
}

static int cmd_replay(int argc, char **argv)
{
	const char *trace = NULL, *given = NULL, *timeout = NULL, *tmpdir = getenv("TMPDIR");
	const char *given_initrd = NULL;
	char payload[4096], out[4096], initrd[4096];
	struct errbuf err = { "" };
	struct replay rp;
	int status, fd;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage_top(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--payload") && i + 1 < argc && !given) {
			given = argv[++i];
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc && !timeout) {
			timeout = argv[++i];
		} else if (!strcmp(argv[i], "--initrd") && i + 1 < argc && !given_initrd) {
			given_initrd = argv[++i];
		} else if (argv[i][0] != '-' && !trace) {
			trace = argv[i];
		} else {
			mvm_err("replay: unexpected argument '%s' (usage: minivmm replay TRACE "
				"[--payload FILE] [--initrd FILE] [--timeout SECS])",
				argv[i]);
			return MVM_STATUS_USAGE;
		}
	}
	if (!trace) {
		mvm_err("replay: no trace given (usage: minivmm replay TRACE [--payload FILE] "
			"[--initrd FILE] [--timeout SECS])");
		return MVM_STATUS_USAGE;
	}
	if (!replay_load(&rp, trace, &err)) {
		mvm_err("replay: %s", err.msg);
		return MVM_STATUS_USAGE;
	}
	if (!replay_payload(trace, given, rp.payload, payload, sizeof(payload))) {
		mvm_err("replay: no %s beside %s or in tests/ (give it with --payload FILE)",
			rp.payload, trace);
		replay_free(&rp);
		return MVM_STATUS_USAGE;
	}
	if (!replay_check(&rp, payload, &err)) {
		mvm_err("%s", err.msg);
		replay_free(&rp);
		return MVM_STATUS_USAGE;
	}
	/* A kernel's module: --initrd, else its file name beside the payload or the trace. */
	if (rp.initrd[0] && !replay_payload(payload, given_initrd, rp.initrd, initrd, sizeof(initrd)) &&
	    !replay_payload(trace, NULL, rp.initrd, initrd, sizeof(initrd))) {
		mvm_err("replay: the trace's --initrd %s is not beside %s or %s (give it with "
			"--initrd FILE)",
			rp.initrd, payload, trace);
		replay_free(&rp);
		return MVM_STATUS_USAGE;
	}
	snprintf(out, sizeof(out), "%s/minivmm-replay-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	fd = mkstemp(out);
	if (fd < 0) {
		mvm_err("replay: %s: %s", out, strerror(errno));
		replay_free(&rp);
		return MVM_STATUS_HOST;
	}
	close(fd);
	status = replay_run(&rp, payload, rp.initrd[0] ? initrd : NULL, out, timeout ? timeout : "60");
	/* The guest's verdict is the recorded run's too; only a host or usage failure counts. */
	if (status != MVM_STATUS_USAGE && status != MVM_STATUS_HOST)
		status = trace_diff_files(trace, out, "replay");
	unlink(out);
	replay_free(&rp);
	return status;
}

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "run", cmd_run },   { "caps", cmd_caps },	{ "show", cmd_show },
	{ "diff", cmd_diff }, { "replay", cmd_replay }, { "qemu", cmd_qemu },
	{ "explain", cmd_explain },
};

/* A payload given without its command, a mistyped command, or neither. */
static void unknown_command(const char *word)
{
	const char *names[ARRAY_SIZE(commands)], *near;
	size_t n = strlen(word);

	if (access(word, R_OK) == 0 || (n > 4 && !strcmp(word + n - 4, ".bin"))) {
		mvm_err("unknown command '%s' (did you mean: minivmm run %s?)", word, word);
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		names[i] = commands[i].name;
	near = suggest_nearest(word, names, ARRAY_SIZE(names));
	if (near)
		mvm_err("unknown command '%s' (did you mean %s?)", word, near);
	else
		mvm_err("unknown command '%s' (try: minivmm --help)", word);
}

int main(int argc, char **argv)
{
	const char *self = strrchr(argv[0], '/');

	/* A closed pipe (minivmm run X | head -1) is a write error the trace's
	 * recorder reports in one line, not a silent death by SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	/* Installed as minivmm-qemu (a link), minivmm is `minivmm qemu`. */
	if (!strcmp(self ? self + 1 : argv[0], "minivmm-qemu"))
		return cmd_qemu(argc, argv);
	if (argc < 2) {
		mvm_err("no command given (usage: minivmm run PAYLOAD [OPTIONS]; see minivmm "
			"--help)");
		return MVM_STATUS_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage_top(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("minivmm %s (payload ABI %d)\n", MVM_VERSION, MVM_ABI_VERSION);
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	unknown_command(argv[1]);
	return MVM_STATUS_USAGE;
}
