/* SPDX-License-Identifier: MIT */
/*
 * seedgen.c - writes the synthetic seeds of the fuzz harnesses into
 * DIR/HARNESS/: inputs in each harness's own layout (its head comment)
 * that reach past the first checks, which the repository's files alone
 * do not give (a stats blob, command lines, records, odd trace lines).
 *
 *   seedgen DIR
 */
#include <elf.h>
#include <errno.h>
#include <linux/kvm.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "minivmm_abi.h"
#include "mvm_multiboot.h"

/* One seed under construction. */
struct seed {
	uint8_t b[8192];
	size_t n;
};

static const char *dir;

static void put(struct seed *s, const void *p, size_t n)
{
	if (s->n + n > sizeof(s->b)) {
		fprintf(stderr, "seedgen: a seed of more than %zu bytes\n", sizeof(s->b));
		exit(1);
	}
	memcpy(s->b + s->n, p, n);
	s->n += n;
}

static void put_uint(struct seed *s, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		put(s, (uint8_t[]){ (uint8_t)(v >> (8 * i)) }, 1);
}

/* A string with its NUL: command-line words, the tracefs harness's separator. */
static void put_word(struct seed *s, const char *w)
{
	put(s, w, strlen(w) + 1);
}

static void write_seed(const char *harness, const char *name, const struct seed *s)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, harness);
	if (mkdir(path, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "seedgen: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s/%s", dir, harness, name);
	f = fopen(path, "wb");
	if (!f || fwrite(s->b, 1, s->n, f) != s->n || fclose(f)) {
		fprintf(stderr, "seedgen: cannot write %s\n", path);
		exit(1);
	}
}

/* Command lines: NUL-separated words (fuzz_qemu_cli: after its env byte). */
static void words_seed(const char *harness, const char *name, const char *first, ...)
{
	struct seed s = { .n = 0 };
	va_list ap;

	va_start(ap, first);
	for (const char *w = first; w; w = va_arg(ap, const char *))
		put_word(&s, w);
	va_end(ap);
	if (s.n)
		s.n--; /* the last word needs no NUL */
	write_seed(harness, name, &s);
}

static void cli_seeds(void)
{
	words_seed("cli", "long", "tests/guest_mmio.bin", "--mode", "long", "--load", "0x100000",
		   "--entry", "0x100030", "--mem", "64M", "--format", "jsonl", "--trace", "t.jsonl",
		   NULL);
	words_seed("cli", "dirty", "--dirty", "ring", "--dirty-ring-size", "32K", "--backing",
		   "thp", "--stats", "--timing", "--max-exits", "100", "g.bin", NULL);
	words_seed("cli", "kernel", "--irqchip", "split", "--vcpus", "4", "--machine", "pc",
		   "--cpu", "qemu64,+x2apic,-pcid,vendor=GenuineIntel", "--no-pit", "--append",
		   "-v x", "--initrd", "env", "k.elf", NULL);
	words_seed("cli", "kprobe", "--kprobe", "handle_ud type=%dx:u32,npf_interception",
		   "--kstack", "--kprobe-count", "--ktrace=kvm_exit,kvmmmu:kvm_mmu_pagetable_walk",
		   "--marker", "--nested-state", "--singlestep=10", "--timeout", "0.5", "--symbols",
		   "g.sym", "--quiet", "g.bin", NULL);
	words_seed("cli", "errors", "-x", "--mode", "--bogus", "--ktrace", "-h", NULL);
}

static void qemu_seed(const char *name, unsigned env, const char *const *w)
{
	struct seed s = { .n = 0 };

	put_uint(&s, env, 1);
	for (; *w; w++)
		put_word(&s, *w);
	s.n--;
	write_seed("qemu_cli", name, &s);
}

static void qemu_cli_seeds(void)
{
	/* As kvm-unit-tests' x86/run passes them, with MINIVMM_ARGS and a trace dir. */
	static const char *const kut[] = { "--stats --ktrace",
					   "/tmp/traces",
					   "msr",
					   "-nodefaults",
					   "-enable-kvm",
					   "-device",
					   "pc-testdev",
					   "-device",
					   "isa-debug-exit,iobase=0xf4,iosize=0x4",
					   "-vnc",
					   "none",
					   "-serial",
					   "stdio",
					   "-device",
					   "pci-testdev",
					   "-machine",
					   "accel=kvm",
					   "-kernel",
					   "x86/msr.flat",
					   "-smp",
					   "1",
					   "-append",
					   "-v",
					   "-initrd",
					   "/tmp/env",
					   NULL };
	static const char *const smp[] = { "-kernel",  "a.flat",
					   "-device",  "pc-testdev",
					   "-smp",     "cpus=4,sockets=2,cores=2",
					   "-m",       "size=256M,slots=2",
					   "-cpu",     "qemu64,+x2apic,migratable=no,hv-vapic",
					   "-machine", "pc,accel=kvm,pit=off",
					   "-machine", "type=pc-i440fx-8.0",
					   "-global",  "kvm-pit.lost_tick_policy=discard",
					   "-display", "none",
					   "-M",       "pc",
					   "-accel",   "kvm",
					   "-name",    "t",
					   NULL };
	static const char *const other[] = { "-device", "help", "-version", "-h", "disk.img", NULL };

	qemu_seed("kut", 7, kut);
	qemu_seed("smp", 0, smp);
	qemu_seed("other", 0, other);
}

/* payload's 40-byte override block: none, or the ones a Multiboot run gives. */
static void put_overrides(struct seed *s, unsigned which, uint64_t load, uint64_t mem)
{
	put_uint(s, which, 1);
	put_uint(s, MVM_MODE_LONG, 1);
	put_uint(s, MVM_IRQCHIP_KERNEL, 1);
	put_uint(s, 0, 1);
	put_uint(s, 2, 2);	 /* vCPUs */
	put_uint(s, 40, 2);	 /* --append bytes */
	put_uint(s, 8, 2);	 /* --initrd name bytes */
	put_uint(s, 0x12345, 4); /* --initrd size */
	put_uint(s, 0, 2);
	put_uint(s, load, 8);
	put_uint(s, load + 0x40, 8);
	put_uint(s, mem, 8);
}

static void header_payload(const char *name, int mode, unsigned which)
{
	struct mvm_header h = { .magic = MVM_MAGIC,
				.abi_version = MVM_ABI_VERSION,
				.mode = (uint8_t)mode,
				.header_size = MVM_HEADER_SIZE,
				.vcpus = 1,
				.load_gpa = MVM_LOAD_GPA,
				.entry_gpa = MVM_LOAD_GPA + MVM_HEADER_SIZE };
	struct seed s = { .n = 0 };

	put_overrides(&s, which, 0x200000, 64ULL << 20);
	put(&s, &h, sizeof(h));
	put(&s, "\xf4\xeb\xfd", 3); /* hlt; jmp . */
	write_seed("payload", name, &s);
}

/* The smallest Multiboot v1 ELF32 kernel: one PT_LOAD at 1 MiB with its bss. */
static void multiboot_payload(void)
{
	Elf32_Ehdr e = { .e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS32, ELFDATA2LSB,
				      EV_CURRENT },
			 .e_type = ET_EXEC,
			 .e_machine = EM_386,
			 .e_version = EV_CURRENT,
			 .e_entry = 0x100000 + 0x60,
			 .e_phoff = sizeof(Elf32_Ehdr),
			 .e_ehsize = sizeof(Elf32_Ehdr),
			 .e_phentsize = sizeof(Elf32_Phdr),
			 .e_phnum = 1 };
	Elf32_Phdr ph = { .p_type = PT_LOAD,
			  .p_offset = 0,
			  .p_vaddr = 0x100000,
			  .p_paddr = 0x100000,
			  .p_filesz = 0x80,
			  .p_memsz = 0x2000,
			  .p_flags = PF_R | PF_X };
	struct mb_header mh = { MB_HEADER_MAGIC, MB_HF_PAGE_ALIGN | MB_HF_MEMINFO,
				-(MB_HEADER_MAGIC + (MB_HF_PAGE_ALIGN | MB_HF_MEMINFO)) };
	uint8_t file[0x80] = { 0 };
	struct seed s = { .n = 0 };

	memcpy(file, &e, sizeof(e));
	memcpy(file + sizeof(e), &ph, sizeof(ph));
	memcpy(file + 0x54, &mh, sizeof(mh));
	file[0x60] = 0xf4; /* hlt */
	put_overrides(&s, 0x08 | 0x10 | 0x20 | 0x40 | 0x80, 0, 256ULL << 20);
	put(&s, file, sizeof(file));
	write_seed("payload", "multiboot_initrd", &s);
}

static void payload_seeds(void)
{
	header_payload("header_long", MVM_MODE_LONG, 0);
	header_payload("header_real_ov", MVM_MODE_REAL, 0x01 | 0x02 | 0x04 | 0x08);
	header_payload("header_smp", MVM_MODE_PAE, 0x10 | 0x20);
	multiboot_payload();
}

/* A stats fd's start: header, id, descriptors of every type. */
static void stats_seeds(void)
{
	static const struct {
		const char *name;
		uint32_t flags;
		uint16_t size;
	} d[] = {
		{ "exits", KVM_STATS_TYPE_CUMULATIVE | KVM_STATS_UNIT_NONE, 1 },
		{ "pages_4k", KVM_STATS_TYPE_INSTANT | KVM_STATS_UNIT_NONE, 1 },
		{ "max_mmu_page_hash_collisions", KVM_STATS_TYPE_PEAK, 1 },
		{ "halt_poll_fail_hist",
		  KVM_STATS_TYPE_LOG_HIST | KVM_STATS_UNIT_SECONDS | KVM_STATS_BASE_POW10, 32 },
		{ "halt_wait_ns", KVM_STATS_TYPE_CUMULATIVE | KVM_STATS_UNIT_SECONDS, 1 },
	};
	const uint32_t name_size = 48, ndesc = sizeof(d) / sizeof(d[0]);
	struct kvm_stats_header h = { .name_size = name_size,
				      .num_desc = ndesc,
				      .id_offset = sizeof(h) };
	struct seed s = { .n = 0 };
	uint32_t offset = 0;
	char name[48];

	h.desc_offset = h.id_offset + name_size;
	h.data_offset =
		h.desc_offset + ndesc * (uint32_t)(sizeof(struct kvm_stats_desc) + name_size);
	put(&s, &h, sizeof(h));
	memset(name, 0, sizeof(name));
	snprintf(name, sizeof(name), "kvm-4242");
	put(&s, name, name_size);
	for (uint32_t i = 0; i < ndesc; i++) {
		struct kvm_stats_desc k = {
			.flags = d[i].flags, .exponent = -9, .size = d[i].size, .offset = offset
		};

		put(&s, &k, sizeof(k));
		memset(name, 0, sizeof(name));
		snprintf(name, sizeof(name), "%s", d[i].name);
		put(&s, name, name_size);
		offset += d[i].size * 8u;
	}
	for (uint32_t i = 0; i < offset / 8; i++)
		put_uint(&s, i * 3, 8);
	write_seed("stats", "vcpu", &s);
}

/* A format file's text, its NUL, then a raw sample of n bytes (isa, if
 * not 0, as the u32 at 24 and SVM's VMEXIT_INVALID as the one at 8). */
static void tracefs_seed(const char *name, const char *text, size_t n, unsigned isa)
{
	struct seed s = { .n = 0 };

	put_word(&s, text);
	for (size_t i = 0; i < n; i++)
		put_uint(&s, i < 16 ? 0x10 + i : 0x41 + i % 26, 1);
	if (isa) {
		memcpy(s.b + strlen(text) + 1 + 24, &isa, 4);
		memcpy(s.b + strlen(text) + 1 + 8, "\xff\xff\xff\xff", 4);
	}
	write_seed("tracefs", name, &s);
}

static void tracefs_seeds(void)
{
	tracefs_seed("emulate_insn",
		     "name: kvm_emulate_insn\nID: 77\nformat:\n"
		     "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
		     "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
		     "\tfield:__u64 rip;\toffset:8;\tsize:8;\tsigned:0;\n"
		     "\tfield:__u32 csbase;\toffset:16;\tsize:4;\tsigned:0;\n"
		     "\tfield:__u8 len;\toffset:20;\tsize:1;\tsigned:0;\n"
		     "\tfield:__u8 insn[15];\toffset:21;\tsize:15;\tsigned:0;\n"
		     "\tfield:__u8 flags;\toffset:36;\tsize:1;\tsigned:0;\n"
		     "\tfield:__u8 failed;\toffset:37;\tsize:1;\tsigned:0;\n\n"
		     "print fmt: \"field:%x\", REC->rip\n",
		     40, 0);
	tracefs_seed("data_loc",
		     "name: kvm_kfunc_1\nID: 2001\nformat:\n"
		     "\tfield:unsigned long __probe_ip;\toffset:8;\tsize:8;\tsigned:0;\n"
		     "\tfield:__data_loc char[] msg;\toffset:16;\tsize:4;\tsigned:0;\n"
		     "\tfield:s32 type;\toffset:20;\tsize:4;\tsigned:1;\n"
		     "\tfield:u64 *vcpu;\toffset:24;\tsize:8;\tsigned:0;\n\n"
		     "print fmt: \"(%lx)\", REC->__probe_ip\n",
		     48, 0);
	tracefs_seed("mmio",
		     "name: kvm_mmio\nID: 90\nformat:\n"
		     "\tfield:u32 type;\toffset:8;\tsize:4;\tsigned:0;\n"
		     "\tfield:u32 len;\toffset:12;\tsize:4;\tsigned:0;\n"
		     "\tfield:u64 gpa;\toffset:16;\tsize:8;\tsigned:0;\n"
		     "\tfield:u64 val;\toffset:24;\tsize:8;\tsigned:0;\n",
		     32, 0);
	tracefs_seed("exit_svm",
		     "name: kvm_exit\nID: 103\nformat:\n"
		     "\tfield:unsigned int exit_reason;\toffset:8;\tsize:4;\tsigned:0;\n"
		     "\tfield:unsigned long guest_rip;\toffset:16;\tsize:8;\tsigned:0;\n"
		     "\tfield:u32 isa;\toffset:24;\tsize:4;\tsigned:0;\n"
		     "\tfield:u64 info1;\toffset:32;\tsize:8;\tsigned:0;\n",
		     40, 2);
}

/* A record in fuzz_record's layout: one field of every builder. */
static void record_seeds(void)
{
	struct seed s = { .n = 0 };

	put_uint(&s, 0x03, 1);	    /* a vCPU's exit record */
	put_uint(&s, 42, 8);	    /* seq */
	put_uint(&s, 1, 2);	    /* vcpu */
	put(&s, "\x01\x08\x0e", 3); /* exit name "io" */
	put_uint(&s, 0x40, 2);	    /* the small cap */
	for (unsigned b = 0; b < 10; b++) {
		put_uint(&s, b, 1);
		put(&s, "\x02\x11\x08\x0f", 4); /* key "rip" */
		put_uint(&s, 0x100435 + b, 8);
		if (b == 3 || b == 4 || b == 5) {
			put_uint(&s, 12, 2);
			put(&s, "a\"b\\c\nd\0\xff\x7f\x01z", 12);
		} else if (b == 6) {
			put_uint(&s, 2, 1);
			put_uint(&s, 0xe0000000, 8);
			put_uint(&s, 0, 8), put_uint(&s, 1, 8);
			put_uint(&s, 0x20, 8), put_uint(&s, 8, 8);
		} else if (b == 8) {
			put(&s,
			    "\x07"
			    "mvm_outb",
			    9); /* a name of 8 */
			put_uint(&s, 0x100430, 8);
		} else if (b == 9) {
			put(&s,
			    "\x03"
			    "out!",
			    5); /* a word of 4 */
		}
	}
	write_seed("record", "every_builder", &s);
}

/* Lines of a JSONL trace the golden traces do not have. */
static void trace_read_seeds(void)
{
	static const char text[] =
		"{\"type\":\"trace\",\"version\":1,\"payload\":\"a\\\"b\\u00ff\",\"mode\":\"long\"}"
		"\n"
		"{\"seq\":1,\"vcpu\":0,\"type\":\"exit\",\"exit\":\"INTERNAL_ERROR\",\"rip\":"
		"\"0x100435\",\"sym\":\"mvm_outb+0x5\",\"insn\":\"488903\",\"delta\":-3}\n"
		"{\"seq\":2,\"vcpu\":0,\"type\":\"kevent\",\"event\":\"kvm_emulate_insn\","
		"\"mode\":\"prot64\",\"insn\":\"0f01c1\",\"ok\":true,\"x\":null,\"f\":1.5e3}\n"
		"{\"seq\":3,\"vcpu\":1,\"type\":\"dirty\",\"pages\":[[\"0xe0000000\",1],"
		"[\"0xe0020000\",8]],\"empty\":[]}\n"
		"{\"type\":\"ktrace_event\",\"name\":\"kvm: kvm_mmio\"}\n"
		"{\"seq\":4,\"vcpu\":0,\"type\":\"step\",\"bytes\":\"f4\",\"s\":\"\\t\\n\\/\\r\"}\n"
		"{\"type\":\"end\",\"reason\":\"signal\",\"detail\":\"Interrupt\"}\n";
	struct seed s = { .n = 0 };

	put(&s, text, sizeof(text) - 1);
	write_seed("trace_read", "odd_lines", &s);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: seedgen DIR\n");
		return 2;
	}
	dir = argv[1];
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "seedgen: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	cli_seeds();
	qemu_cli_seeds();
	payload_seeds();
	stats_seeds();
	tracefs_seeds();
	record_seeds();
	trace_read_seeds();
	return 0;
}
