/* SPDX-License-Identifier: MIT */
/* cli.c - owns option parsing and the help text of `minivmm run`. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "minivmm_abi.h"
#include "irqchip.h"
#include "dirty.h"
#include "ktrace.h"
#include "names.h"
#include "cpu_model.h"
#include "progress.h"
#include "suggest.h"

enum {
	OPT_MODE = 256,
	OPT_LOAD,
	OPT_ENTRY,
	OPT_MEM,
	OPT_TRACE,
	OPT_FORMAT,
	OPT_TIMING,
	OPT_TIMEOUT,
	OPT_MAX_EXITS,
	OPT_QUIET,
	OPT_HELP,
	OPT_BACKING,
	OPT_DIRTY,
	OPT_DIRTY_RING_SIZE,
	OPT_STATS,
	OPT_KTRACE,
	OPT_MARKER,
	OPT_NESTED_STATE,
	OPT_IRQCHIP,
	OPT_VCPUS,
	OPT_SYMBOLS,
	OPT_SINGLESTEP,
	OPT_MACHINE,
	OPT_APPEND,
	OPT_INITRD,
	OPT_CPU,
	OPT_KPROBE,
	OPT_KSTACK,
	OPT_KPROBE_COUNT,
	OPT_NO_PIT,
	OPT_NO_EXIT_RECORDS,
	OPT_PROGRESS,
	OPT_NO_PROGRESS,
	OPT_WAIT_ATTACH,
	OPT_EXPLAIN,
};

static const struct option run_options[] = {
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "load", required_argument, NULL, OPT_LOAD },
	{ "entry", required_argument, NULL, OPT_ENTRY },
	{ "mem", required_argument, NULL, OPT_MEM },
	{ "trace", required_argument, NULL, OPT_TRACE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "timing", no_argument, NULL, OPT_TIMING },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "max-exits", required_argument, NULL, OPT_MAX_EXITS },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "backing", required_argument, NULL, OPT_BACKING },
	{ "dirty", required_argument, NULL, OPT_DIRTY },
	{ "dirty-ring-size", required_argument, NULL, OPT_DIRTY_RING_SIZE },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "ktrace", optional_argument, NULL, OPT_KTRACE },
	{ "marker", no_argument, NULL, OPT_MARKER },
	{ "nested-state", no_argument, NULL, OPT_NESTED_STATE },
	{ "irqchip", required_argument, NULL, OPT_IRQCHIP },
	{ "vcpus", required_argument, NULL, OPT_VCPUS },
	{ "smp", required_argument, NULL, OPT_VCPUS },
	{ "symbols", required_argument, NULL, OPT_SYMBOLS },
	{ "singlestep", optional_argument, NULL, OPT_SINGLESTEP },
	{ "machine", required_argument, NULL, OPT_MACHINE },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "cpu", required_argument, NULL, OPT_CPU },
	{ "kprobe", required_argument, NULL, OPT_KPROBE },
	{ "kstack", no_argument, NULL, OPT_KSTACK },
	{ "kprobe-count", no_argument, NULL, OPT_KPROBE_COUNT },
	{ "no-pit", no_argument, NULL, OPT_NO_PIT },
	{ "no-exit-records", no_argument, NULL, OPT_NO_EXIT_RECORDS },
	{ "progress", no_argument, NULL, OPT_PROGRESS },
	{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
	{ "wait-attach", no_argument, NULL, OPT_WAIT_ATTACH },
	{ "explain", no_argument, NULL, OPT_EXPLAIN },
	{ NULL, 0, NULL, 0 },
};

/* clang-format off: the help text is laid out as it prints. */
static const char usage_text[] =
"Usage: minivmm run PAYLOAD [OPTIONS]\n"
"       minivmm show TRACE [--vcpu N] [--kind K,...] [--from SEQ] [--to SEQ]\n"
"                    [--no-decode]\n"
"       minivmm diff A B [--kernel] [--vcpu N] [--ignore KEY] [--context N]\n"
"       minivmm replay TRACE [--payload FILE] [--initrd FILE] [--timeout SECS]\n"
"       minivmm caps [--json]    what this host's KVM offers (run it first)\n"
"       minivmm qemu QEMU-OPTIONS  boot a kvm-unit-tests binary from QEMU's command\n"
"                    line (also ./minivmm-qemu; minivmm qemu --help)\n"
"       minivmm explain vmx|svm|kvm CODE|NAME   what an exit means (cause, fields,\n"
"                    KVM handler, a payload); also explain TOPIC (ept-violation,\n"
"                    npf, mmio, ...); minivmm explain --help\n"
"       minivmm --help | --version\n"
"\n"
"Boots PAYLOAD, a flat guest binary, on /dev/kvm and records every KVM_RUN exit.\n"
"A payload that starts with a minivmm header says its start mode, load address,\n"
"entry and memory size; an ELF32 file with a Multiboot v1 header boots as a\n"
"kernel (docs/kernels.md); any other file runs as a raw real-mode image loaded\n"
"and entered at 0x8000.\n"
"\n"
"Options:\n"
"  --mode MODE       start mode: real, prot32, paging32, pae, long, la57\n"
"  --load GPA        guest-physical address to load the file at\n"
"  --entry GPA       guest-physical address of the first instruction\n"
"  --mem SIZE        guest RAM, e.g. 64M or 64G (1M to 1T, multiple of 4K;\n"
"                    default 32M, 128M for Multiboot kernels); past 3G the\n"
"                    rest is RAM from 4G up\n"
"  --vcpus N         vCPUs, one thread each (alias --smp; default: the payload\n"
"                    header's, else 1); vCPU 0 starts the payload, the others\n"
"                    wait for INIT/SIPI; more than 1 needs --irqchip kernel\n"
"  --append TEXT     Multiboot kernels: the command line after the file name\n"
"  --initrd FILE     Multiboot kernels: FILE as the one module, at the top of\n"
"                    low RAM\n"
"  --irqchip KIND    interrupt controllers: none (HLT exits to userspace),\n"
"                    kernel (in-kernel PIC, IOAPIC, LAPIC and PIT) or split\n"
"                    (LAPICs in KVM, the IOAPIC in minivmm, EOIs of its level-\n"
"                    triggered vectors exit; no PIC, no PIT); default: the\n"
"                    payload header's, else none (Multiboot kernels: kernel)\n"
"  --no-pit          --irqchip kernel without the in-kernel PIT (QEMU's\n"
"                    -machine pit=off); the PIT otherwise drops lost ticks\n"
"  --machine KIND    minivmm (default: minivmm's devices only) or pc: also the\n"
"                    PC devices kvm-unit-tests expects (isa-debug-exit 0xf4,\n"
"                    fw_cfg 0x510, pc-testdev 0xe0/0xe4/0x2000+n/0xff000000,\n"
"                    PM timer 0x608, ACPI tables at 0xe0000, PCI 0xcf8/0xcfc;\n"
"                    docs/kernels.md); a write of N to port 0xf4 ends the run,\n"
"                    exit 0 for N=0, 77 for N=38, else 1\n"
"  --cpu MODEL[,+FEAT,-FEAT,vendor=V]\n"
"                    each vCPU's CPUID: host (default: what KVM supports) or\n"
"                    qemu64 (QEMU's qemu64 model under KVM, x2apic on); FEAT\n"
"                    is a QEMU feature name (x2apic, tsc-deadline, umip, pcid,\n"
"                    invpcid, ...); a +FEAT KVM lacks is left out, with a warning\n"
"  --backing KIND    host pages for guest RAM: anon (4K, default), thp (2M\n"
"                    transparent huge pages), hugetlb (2M, from the reserved pool)\n"
"  --dirty MODE      how dirty pages are read: bitmap (KVM_GET_DIRTY_LOG,\n"
"                    default), clear (KVM_CLEAR_DIRTY_LOG), ring (dirty ring)\n"
"  --dirty-ring-size BYTES\n"
"                    dirty ring per vCPU, a power of two from 16K (default 64K)\n"
"  --stats           record KVM's binary stats (VM and vCPU) that changed, at\n"
"                    every checkpoint and at the end\n"
"  --ktrace[=EVENTS] record kvm tracepoints of this run's vCPU thread between\n"
"                    the exits they led to; EVENTS is a comma list of kvm\n"
"                    events or system:event (default: kvm_exit, kvm_entry,\n"
"                    kvm_emulate_insn, kvm_page_fault, kvm_mmio, kvm_pio,\n"
"                    kvm_userspace_exit, kvm_nested_*, kvm_inj_exception,\n"
"                    kvmmmu:kvm_mmu_pagetable_walk, and with an irqchip\n"
"                    kvm_apic_ipi, kvm_apic_accept_irq, kvm_inj_virq, kvm_eoi,\n"
"                    kvm_apic, kvm_msr, kvm_pic_set_irq, kvm_ioapic_set_irq,\n"
"                    kvm_msi_set_irq, kvm_apicv_accept_irq); where KVM emulates\n"
"                    every guest instruction (kvm_pvm), the default leaves out\n"
"                    kvm_emulate_insn and kvmmmu:kvm_mmu_pagetable_walk (one or\n"
"                    more per instruction there), which EVENTS can still name;\n"
"                    needs root or CAP_PERFMON\n"
"  --kprobe FUNC[ ARGS][,FUNC...]\n"
"                    a kprobe on each kernel function, made in tracefs for this\n"
"                    run and removed at its end; each hit on a vCPU thread is a\n"
"                    kfunc record before the exit it led to, with the fetch\n"
"                    ARGS kprobe_events takes (type=%dx:u32); counted at the\n"
"                    end, and each ARG's values counted (khist records, EMULTYPE\n"
"                    and PFERR flags named); needs root and CONFIG_KPROBE_EVENTS\n"
"                    (else exit 3)\n"
"  --kprobe-count    with --kprobe: no kfunc record per hit, one kcount record\n"
"                    per function and exit instead (for hot functions)\n"
"  --kstack          with --kprobe: each function's kernel call chains, counted,\n"
"                    as kstack records at each checkpoint and at the end (named\n"
"                    from /proc/kallsyms)\n"
"  --marker          write a line to tracefs trace_marker at each exit and\n"
"                    checkpoint, to line up perf/trace-cmd/bpftrace sessions\n"
"  --nested-state    record KVM_GET_NESTED_STATE (format, guest mode, VMXON,\n"
"                    vmcs12 or vmcb12 addresses) at checkpoints and the end\n"
"  --singlestep[=N]  single-step each vCPU (KVM_GUESTDBG_SINGLESTEP): a step\n"
"                    record (RIP, mode, instruction bytes) per instruction, for\n"
"                    N steps per vCPU, then run on; no N: the whole run\n"
"  --trace FILE      write the trace to FILE instead of standard output; the\n"
"                    guest's console, prints, reports and a summary then go to\n"
"                    standard output\n"
"  --format FMT      trace format: text (default) or jsonl\n"
"  --symbols FILE    name every RIP of the trace func+0xoff from FILE, the\n"
"                    output of nm -n -S of the payload's ELF (default: PAYLOAD\n"
"                    with .bin replaced by .sym, when that file exists; the\n"
"                    build writes tests/guest_*.sym beside the payloads)\n"
"  --timing          add t_ns (ns since start) to every numbered record\n"
"                    (not deterministic)\n"
"  --no-exit-records write no exit record: every exit is still handled and\n"
"                    counted (end and summary records), every other record is\n"
"                    written; shows what recording costs (docs/performance.md)\n"
"  --timeout SECS    stop the guest after SECS seconds (fractions allowed)\n"
"  --max-exits N     stop after N exits\n"
"  --quiet           print nothing but the trace and errors\n"
"  --progress        on a terminal, a live status line on stderr from the start\n"
"                    (elapsed, exits, exits/s, the most frequent exit reasons),\n"
"                    also with --quiet; without it, runs longer than a second\n"
"                    show it unless --quiet; never in the trace, never when\n"
"                    stderr is not a terminal, erased at the end\n"
"  --no-progress     no status line\n"
"  --wait-attach     before the first KVM_RUN, print the pid and the vCPU\n"
"                    threads' ids and stop (SIGSTOP), so that bpftrace or perf\n"
"                    can attach; kill -CONT PID goes on (docs/bpftrace/README.md)\n"
"  --explain         end each exit record (and l2_exit record) of the text trace\n"
"                    with '  # ' and its summary from minivmm explain\n"
"  -h, --help        this help\n"
"\n"
"Reading traces back (traces written with --format jsonl):\n"
"  show TRACE        prints the trace as --format text would have written it,\n"
"                    instruction bytes decoded with objdump when it is there:\n"
"                    insn=488903 (mov %rax,(%rbx)); exit 0, or 2 if unreadable\n"
"    --vcpu N, --from SEQ, --to SEQ\n"
"                    only these numbered records (the header, slots, end and\n"
"                    summaries stay)\n"
"    --kind LIST     only records of these kinds or exit names (report,MMIO)\n"
"    --no-decode     the hex alone: exactly the text trace\n"
"    --explain       end each exit and l2_exit record with '  # ' and its\n"
"                    summary (minivmm explain)\n"
"  diff A B          the first record where A and B differ, with context and a\n"
"                    one-line summary; t_ns, ktime_ns and host addresses never\n"
"                    count; exit 0 same, 1 different, 2 unreadable\n"
"    --kernel        compare the kernel's records too (kevent, kstat, ksummary,\n"
"                    ktrace_*, nested_state, marker_error)\n"
"    --ignore KEY    a field to ignore as well (up to 16 times)\n"
"    --vcpu N        only vCPU N's records (vCPUs interleave run to run)\n"
"    --context N     records of context before and after (default 3)\n"
"  replay TRACE      reruns the payload TRACE was recorded from, with its\n"
"                    header's start values, answering every IN and MMIO read\n"
"                    with the recorded data, and reports as diff does where\n"
"                    the new run differs; exit 0 same, 1 different, 2 refused\n"
"                    (a changed payload, a trace of several vCPUs)\n"
"    --payload FILE  the payload (default: the header's name beside TRACE,\n"
"                    else in tests/)\n"
"    --timeout SECS  stop the rerun after SECS seconds (default 60): a run\n"
"                    that diverged may spin without exits\n"
"\n"
"Exit status of run:\n"
"  0    the payload passed\n"
"  1    it failed (failed report, triple fault, failed entry, timeout, max exits)\n"
"  2    usage error or bad payload file\n"
"  3    this host cannot run it (no /dev/kvm, permission, missing capability),\n"
"       or the trace could not be opened or written\n"
"  77   it skipped, or this host's KVM refuses its start mode or does not\n"
"       offer the VMX/SVM a nested payload needs\n"
"  130  interrupted (SIGINT, SIGTERM); the trace is complete all the same\n"
"  With --machine pc, a write of N to isa-debug-exit (port 0xf4) ends the run:\n"
"  N=0 gives 0, N=38 (kvm-unit-tests' all skipped) 77, any other N 1\n"
"\n"
"Docs: man minivmm; README.md and docs/: abi.md, trace-format.md, payloads.md,\n"
"      memory.md, kernel-view.md, nested.md, emulation.md, bpftrace/ (installed\n"
"      in share/doc/minivmm/)\n";
/* clang-format on */

void cli_usage(FILE *f)
{
	fputs(usage_text, f);
}

/* "unknown option --tiemout (did you mean --timeout?)": the nearest of run's. */
static void unknown_option(const char *arg, struct errbuf *err)
{
	static char names[ARRAY_SIZE(run_options)][32];
	const char *cands[ARRAY_SIZE(run_options)], *near;
	int len = (int)strcspn(arg, "=");
	char word[64];
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(run_options) && run_options[i].name; i++) {
		snprintf(names[n], sizeof(names[n]), "--%s", run_options[i].name);
		cands[n] = names[n];
		n++;
	}
	snprintf(word, sizeof(word), "%.*s", len, arg);
	near = suggest_nearest(word, cands, n);
	if (near)
		errbuf_set(err, "unknown option %s (did you mean %s?)", word, near);
	else
		errbuf_set(err, "unknown option %s (see minivmm run --help)", word);
}

static bool parse_gpa(const char *what, const char *s, bool *has, uint64_t *out, struct errbuf *err)
{
	if (!parse_u64(s, out)) {
		errbuf_set(err, "--%s: '%s' is not an address (decimal or 0x hex)", what, s);
		return false;
	}
	*has = true;
	return true;
}

static bool parse_ring_size(struct cli_run *c, const char *arg, struct errbuf *err)
{
	uint64_t v;

	/* Below 16K a ring is smaller than what KVM reserves on some hosts: a
	 * 6.18 host took 4K and 8K rings, then lost entries or stalled. */
	if (!parse_size(arg, &v) || (v & (v - 1))) {
		errbuf_set(err, "--dirty-ring-size: '%s' is not a power of two (16K to 1G)", arg);
		return false;
	}
	if (v < DIRTY_RING_MIN_BYTES || v > (1U << 30)) {
		errbuf_set(err, "--dirty-ring-size: '%s' is outside 16K to 1G", arg);
		return false;
	}
	c->opt.dirty_ring_bytes = (uint32_t)v;
	c->ring_size_set = true;
	return true;
}

static bool parse_one(struct cli_run *c, int opt, const char *arg, struct errbuf *err)
{
	char *end;

	switch (opt) {
	case OPT_MODE:
		c->ov.mode = mvm_mode_from_name(arg);
		if (c->ov.mode < 0)
			errbuf_set(err,
				   "--mode: unknown mode '%s' (real, prot32, paging32, pae, "
				   "long, la57)",
				   arg);
		return c->ov.mode >= 0;
	case OPT_LOAD:
		return parse_gpa("load", arg, &c->ov.has_load, &c->ov.load, err);
	case OPT_ENTRY:
		return parse_gpa("entry", arg, &c->ov.has_entry, &c->ov.entry, err);
	case OPT_MEM:
		if (!parse_size(arg, &c->ov.mem)) {
			errbuf_set(err, "--mem: '%s' is not a size (e.g. 64M)", arg);
			return false;
		}
		c->ov.has_mem = true;
		return true;
	case OPT_TRACE:
		c->opt.trace_path = arg;
		return true;
	case OPT_SYMBOLS:
		c->opt.symbols = arg;
		return true;
	case OPT_APPEND:
		c->ov.append = arg;
		return true;
	case OPT_INITRD:
		c->ov.initrd = arg;
		return true;
	case OPT_FORMAT:
		if (strcmp(arg, "text") && strcmp(arg, "jsonl")) {
			errbuf_set(err, "--format: '%s' is neither text nor jsonl", arg);
			return false;
		}
		c->opt.format = strcmp(arg, "jsonl") ? REC_TEXT : REC_JSONL;
		return true;
	case OPT_TIMEOUT:
		c->opt.timeout = strtod(arg, &end);
		if (*arg == '\0' || *arg == ' ' || *arg == '\t' || *end ||
		    !(c->opt.timeout > 0) || c->opt.timeout > 1e9) {
			errbuf_set(err, "--timeout: '%s' is not a positive number of seconds", arg);
			return false;
		}
		/* Below the timer's microsecond a value would disarm it: no timeout at all. */
		if (c->opt.timeout < 1e-6) {
			errbuf_set(err, "--timeout: '%s' is below 1 microsecond (0.000001)", arg);
			return false;
		}
		return true;
	case OPT_BACKING:
		if (!mem_backing_from_name(arg, &c->opt.backing)) {
			errbuf_set(err, "--backing: '%s' is not anon, thp or hugetlb", arg);
			return false;
		}
		return true;
	case OPT_DIRTY:
		if (!dirty_mode_from_name(arg, &c->opt.dirty)) {
			errbuf_set(err, "--dirty: '%s' is not bitmap, clear or ring", arg);
			return false;
		}
		return true;
	case OPT_DIRTY_RING_SIZE:
		return parse_ring_size(c, arg, err);
	case OPT_VCPUS: {
		uint64_t n;

		if (!parse_u64(arg, &n) || n < 1 || n > MVM_VCPUS_MAX) {
			errbuf_set(err, "--vcpus: '%s' is not a count from 1 to %d", arg,
				   MVM_VCPUS_MAX);
			return false;
		}
		c->ov.vcpus = (uint32_t)n;
		return true;
	}
	case OPT_IRQCHIP:
		if (!irqchip_from_name(arg, &c->ov.irqchip)) {
			errbuf_set(err, "--irqchip: '%s' is not none, kernel or split", arg);
			return false;
		}
		c->ov.has_irqchip = true;
		return true;
	case OPT_CPU:
		return cpu_model_parse(arg, &c->opt.cpu, err);
	case OPT_KPROBE:
		if (!*arg || *arg == ',' || *arg == ' ') {
			errbuf_set(err, "--kprobe: '%s' does not start with a function name", arg);
			return false;
		}
		c->opt.kprobe = arg;
		return true;
	case OPT_MACHINE:
		if (strcmp(arg, "pc") && strcmp(arg, "minivmm")) {
			errbuf_set(err, "--machine: '%s' is neither minivmm nor pc", arg);
			return false;
		}
		c->opt.pc = !strcmp(arg, "pc");
		return true;
	case OPT_SINGLESTEP:
		c->opt.singlestep = true;
		if (arg && (!parse_u64(arg, &c->opt.singlestep_max) || !c->opt.singlestep_max)) {
			errbuf_set(err, "--singlestep: '%s' is not a positive count of steps", arg);
			return false;
		}
		return true;
	case OPT_MAX_EXITS:
		if (!parse_u64(arg, &c->opt.max_exits) || !c->opt.max_exits) {
			errbuf_set(err, "--max-exits: '%s' is not a positive count", arg);
			return false;
		}
		return true;
	}
	return false;
}

bool cli_parse_run(int argc, char **argv, struct cli_run *c, struct errbuf *err)
{
	int opt;

	memset(c, 0, sizeof(*c));
	c->ov.mode = -1;
	c->opt.dirty_ring_bytes = DIRTY_RING_DEFAULT_BYTES;
	optind = 0; /* 0, not 1: glibc then also forgets the previous call's state */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", run_options, NULL)) != -1) {
		switch (opt) {
		case OPT_TIMING:
			c->opt.timing = true;
			break;
		case OPT_NO_PIT:
			c->opt.no_pit = true;
			break;
		case OPT_NO_EXIT_RECORDS:
			c->opt.no_exit_records = true;
			break;
		case OPT_PROGRESS:
			c->opt.progress = PROGRESS_ON;
			break;
		case OPT_NO_PROGRESS:
			c->opt.progress = PROGRESS_OFF;
			break;
		case OPT_WAIT_ATTACH:
			c->opt.wait_attach = true;
			break;
		case OPT_EXPLAIN:
			c->opt.explain = true;
			break;
		case OPT_KSTACK:
			c->opt.kstack = true;
			break;
		case OPT_KPROBE_COUNT:
			c->opt.kprobe_count = true;
			break;
		case OPT_QUIET:
			c->opt.quiet = true;
			break;
		case OPT_STATS:
			c->opt.stats = true;
			break;
		case OPT_KTRACE:
			c->opt.ktrace = optarg && *optarg ? optarg : KTRACE_DEFAULT_EVENTS;
			c->opt.ktrace_default = !(optarg && *optarg);
			break;
		case OPT_MARKER:
			c->opt.marker = true;
			break;
		case OPT_NESTED_STATE:
			c->opt.nested_state = true;
			break;
		case 'h':
		case OPT_HELP:
			c->help = 1;
			break;
		case ':':
			errbuf_set(err, "%s needs a value", argv[optind - 1]);
			return false;
		case '?':
			/* A short option ("-x" of "-xy") is named by optopt; optind may
			 * not have moved past its word yet. */
			if (strncmp(argv[optind - 1], "--", 2) && optopt > ' ' && optopt < 127)
				errbuf_set(err, "unknown option -%c", optopt);
			else
				unknown_option(argv[optind - 1], err);
			return false;
		default:
			if (!parse_one(c, opt, optarg, err))
				return false;
		}
	}
	if (c->help)
		return true;
	if (c->ring_size_set && c->opt.dirty != DIRTY_RING) {
		errbuf_set(err, "--dirty-ring-size needs --dirty ring");
		return false;
	}
	if (c->opt.explain && c->opt.format == REC_JSONL) {
		errbuf_set(err, "--explain adds to the text trace; for a JSON Lines trace use "
				"minivmm show --explain TRACE");
		return false;
	}
	if (c->opt.kstack && !c->opt.kprobe) {
		errbuf_set(err, "--kstack needs --kprobe FUNC (the functions whose chains to count)");
		return false;
	}
	if (c->opt.kprobe_count && !c->opt.kprobe) {
		errbuf_set(err, "--kprobe-count needs --kprobe FUNC (the functions to count)");
		return false;
	}
	if (optind >= argc) {
		errbuf_set(err, "run: no payload given (try: minivmm run tests/guest_mmio.bin)");
		return false;
	}
	c->payload = argv[optind++];
	if (optind < argc) {
		errbuf_set(err, "run: unexpected argument '%s' after the payload", argv[optind]);
		return false;
	}
	return true;
}

bool cli_symbols_beside(const char *payload, char *buf, size_t cap)
{
	size_t n = strlen(payload);

	if (n < 4 || strcmp(payload + n - 4, ".bin") != 0 || n >= cap)
		return false;
	memcpy(buf, payload, n - 4);
	memcpy(buf + n - 4, ".sym", 5);
	return true;
}
