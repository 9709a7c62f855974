/* SPDX-License-Identifier: MIT */
/* startup_bench.c - benchmark: minivmm's start-to-exit against a bare VMM doing the same set-up. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cpu_x86.h"
#include "gmem.h"
#include "minivmm_abi.h"

/*
 * `startup_bench --bare PAYLOAD` is the bare VMM: one process that does what
 * any VMM must do to run an SDK payload the way minivmm runs it, and no more:
 * read the file, open /dev/kvm, read the supported CPUID, create the VM, map
 * and register minivmm's three slots (low RAM, the test slot, the read-only
 * slot filled with its addresses; 4 KiB pages, as --backing anon), copy the
 * image, write the GDT and page tables, create the vCPU with that CPUID and
 * the start registers, and KVM_RUN until HLT or the exit call, reading each
 * call's argument block. It keeps no trace, starts no thread, checks no
 * capability and leaves teardown to exit(). What it shares with minivmm is
 * what any VMM writes the same way: the GDT, page-table and register
 * builders of cpu_x86.c and the checked accessor of gmem.c.
 *
 * `startup_bench MINIVMM PAYLOAD [ROUNDS]` is the driver: it runs the bare
 * VMM and `MINIVMM run PAYLOAD --quiet --trace FILE` in turn, ROUNDS times
 * each (the order swapped every round), and compares the user+system CPU
 * time wait4() reports for each process, and its wall time.
 */

#define TARGET_RATIO  1.30
#define CPUID_ENTRIES 256
#define MAX_ROUNDS    1001

static void __attribute__((noreturn)) die(const char *what, int e)
{
	fprintf(stderr, "startup_bench: %s: %s\n", what, strerror(e));
	exit(3);
}

static int xioctl(int fd, unsigned long req, void *arg, const char *name)
{
	int r = ioctl(fd, req, arg);

	if (r < 0)
		die(name, errno);
	return r;
}

struct bare {
	int kvm, vm, vcpu;
	struct kvm_cpuid2 *cpuid;
	struct gmem gm;
	struct mvm_header h;
	uint8_t *image;
	size_t size;
};

static void bare_read(struct bare *b, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	ssize_t n;

	if (fd < 0 || fstat(fd, &st) < 0)
		die(path, errno);
	b->size = (size_t)st.st_size;
	if (b->size < sizeof(b->h) || !(b->image = malloc(b->size)))
		die(path, EINVAL);
	for (size_t got = 0; got < b->size; got += (size_t)n)
		if ((n = read(fd, b->image + got, b->size - got)) <= 0)
			die(path, n < 0 ? errno : EIO);
	close(fd);
	memcpy(&b->h, b->image, sizeof(b->h));
	if (b->h.magic != MVM_MAGIC || b->h.mode == MVM_MODE_REAL)
		die("the bare VMM runs SDK payloads of the 32- and 64-bit modes", EINVAL);
	if (!b->h.mem_size)
		b->h.mem_size = MVM_DEFAULT_MEM_SIZE;
	if (b->h.mem_size > MVM_LOW_RAM_MAX)
		die("the bare VMM has no high RAM slot", EINVAL);
}

static void bare_kvm(struct bare *b)
{
	b->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (b->kvm < 0)
		die("/dev/kvm", errno);
	if (xioctl(b->kvm, KVM_GET_API_VERSION, NULL, "KVM_GET_API_VERSION") != KVM_API_VERSION)
		die("KVM_GET_API_VERSION", EINVAL);
	b->cpuid = calloc(1, sizeof(*b->cpuid) + CPUID_ENTRIES * sizeof(b->cpuid->entries[0]));
	if (!b->cpuid)
		die("calloc", errno);
	b->cpuid->nent = CPUID_ENTRIES;
	xioctl(b->kvm, KVM_GET_SUPPORTED_CPUID, b->cpuid, "KVM_GET_SUPPORTED_CPUID");
	b->vm = xioctl(b->kvm, KVM_CREATE_VM, NULL, "KVM_CREATE_VM");
}

static uint8_t *bare_slot(struct bare *b, uint32_t id, uint64_t gpa, uint64_t size, uint32_t flags)
{
	uint8_t *host = mmap(NULL, size, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	struct kvm_userspace_memory_region r = {
		.slot = id,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)host,
	};

	if (host == MAP_FAILED)
		die("mmap", errno);
	madvise(host, size, MADV_NOHUGEPAGE);
	if (flags & KVM_MEM_READONLY)
		for (uint64_t i = 0; i < size / 8; i++)
			((uint64_t *)host)[i] = gpa + i * 8;
	xioctl(b->vm, KVM_SET_USER_MEMORY_REGION, &r, "KVM_SET_USER_MEMORY_REGION");
	if (!gmem_add(&b->gm, gpa, size, host))
		die("gmem_add", EINVAL);
	return host;
}

static uint64_t bare_memory(struct bare *b)
{
	struct errbuf err;
	uint64_t cr3 = 0;
	uint8_t *dst;

	bare_slot(b, MVM_SLOT_LOW, 0, b->h.mem_size, 0);
	bare_slot(b, MVM_SLOT_TEST, MVM_TEST_SLOT_GPA, MVM_TEST_SLOT_SIZE, 0);
	bare_slot(b, MVM_SLOT_ROM, MVM_ROM_SLOT_GPA, MVM_ROM_SLOT_SIZE, KVM_MEM_READONLY);
	if (!(dst = GMEM_PTR(&b->gm, b->h.load_gpa, b->size)))
		die(b->gm.last_error, EINVAL);
	memcpy(dst, b->image, b->size);
	if (!cpu_build_gdt(&b->gm, &err) || !cpu_build_page_tables(&b->gm, b->h.mode, &cr3, &err))
		die(err.msg, EINVAL);
	return cr3;
}

static struct kvm_run *bare_vcpu(struct bare *b, uint64_t cr3)
{
	int size = xioctl(b->kvm, KVM_GET_VCPU_MMAP_SIZE, NULL, "KVM_GET_VCPU_MMAP_SIZE");
	struct kvm_sregs s;
	struct kvm_regs r;
	struct kvm_run *run;

	b->vcpu = xioctl(b->vm, KVM_CREATE_VCPU, NULL, "KVM_CREATE_VCPU");
	run = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, b->vcpu, 0);
	if (run == MAP_FAILED)
		die("mmap kvm_run", errno);
	xioctl(b->vcpu, KVM_SET_CPUID2, b->cpuid, "KVM_SET_CPUID2");
	xioctl(b->vcpu, KVM_GET_SREGS, &s, "KVM_GET_SREGS");
	cpu_setup_sregs(b->h.mode, cr3, &s);
	xioctl(b->vcpu, KVM_SET_SREGS, &s, "KVM_SET_SREGS");
	cpu_setup_regs(b->h.mode, b->h.entry_gpa, &r);
	xioctl(b->vcpu, KVM_SET_REGS, &r, "KVM_SET_REGS");
	return run;
}

/* A call's argument block, as every VMM must read it: bounds-checked. */
static const void *bare_args(struct bare *b, struct kvm_run *run, size_t len)
{
	uint32_t gpa;

	memcpy(&gpa, (uint8_t *)run + run->io.data_offset, sizeof(gpa));
	return GMEM_PTR(&b->gm, gpa, len);
}

/* 0 after HLT, the guest's verdict after its exit call, 1 on anything unexpected. */
static int bare_loop(struct bare *b, struct kvm_run *run)
{
	for (;;) {
		if (ioctl(b->vcpu, KVM_RUN, NULL) < 0) {
			if (errno == EINTR)
				continue;
			die("KVM_RUN", errno);
		}
		if (run->exit_reason == KVM_EXIT_HLT)
			return 0;
		if (run->exit_reason != KVM_EXIT_IO)
			break;
		if (run->io.direction == KVM_EXIT_IO_IN) {
			memset((uint8_t *)run + run->io.data_offset, 0xff,
			       (size_t)run->io.size * run->io.count);
		} else if (run->io.port == MVM_CALL_PORT + MVM_CALL_PRINT) {
			const struct mvm_call_print *p = bare_args(b, run, sizeof(*p));

			if (!p || (p->len && !GMEM_PTR(&b->gm, p->gpa, p->len)))
				break;
		} else if (run->io.port == MVM_CALL_PORT + MVM_CALL_EXIT) {
			const struct mvm_call_exit *e = bare_args(b, run, sizeof(*e));

			return e ? (int)e->verdict : 1;
		}
	}
	fprintf(stderr, "startup_bench: bare VMM: unexpected exit %u\n", run->exit_reason);
	return 1;
}

static int bare_main(const char *payload)
{
	struct bare b;
	uint64_t cr3;

	memset(&b, 0, sizeof(b));
	bare_read(&b, payload);
	bare_kvm(&b);
	cr3 = bare_memory(&b);
	return bare_loop(&b, bare_vcpu(&b, cr3));
}

/* ---- the driver ---- */

struct series {
	const char *name;
	double cpu[MAX_ROUNDS], wall[MAX_ROUNDS]; /* milliseconds */
	int n;
};

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* Runs argv once; adds its user+system CPU and wall time to s; returns its status. */
static int spawn(char *const argv[], struct series *s)
{
	struct rusage ru;
	double t = now_ms();
	pid_t pid = fork();
	int st;

	if (pid < 0)
		die("fork", errno);
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &st, 0, &ru) < 0)
		die("wait4", errno);
	s->wall[s->n] = now_ms() - t;
	s->cpu[s->n++] = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
			 (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The value at quantile q of v[0..n), nearest rank, on a sorted copy. */
static double quantile(const double *v, int n, double q)
{
	double s[MAX_ROUNDS];

	memcpy(s, v, (size_t)n * sizeof(*v));
	qsort(s, (size_t)n, sizeof(*s), cmp_double);
	return s[(int)(q * (n - 1) + 0.5)];
}

static void print_series(const struct series *s)
{
	printf("%-20s %7.3f [%7.3f %7.3f] %7.3f-%-7.3f   %7.3f [%7.3f %7.3f] %7.3f-%-7.3f\n",
	       s->name, quantile(s->cpu, s->n, 0.5), quantile(s->cpu, s->n, 0.25),
	       quantile(s->cpu, s->n, 0.75), quantile(s->cpu, s->n, 0), quantile(s->cpu, s->n, 1),
	       quantile(s->wall, s->n, 0.5), quantile(s->wall, s->n, 0.25),
	       quantile(s->wall, s->n, 0.75), quantile(s->wall, s->n, 0),
	       quantile(s->wall, s->n, 1));
}

/* The first qemu-system-x86_64 on PATH, or NULL. */
static const char *find_qemu(char *buf, size_t n)
{
	const char *path = getenv("PATH");

	for (const char *p = path; p && *p;) {
		size_t len = strcspn(p, ":");

		snprintf(buf, n, "%.*s/qemu-system-x86_64", (int)len, p);
		if (len && access(buf, X_OK) == 0)
			return buf;
		p += len + (p[len] == ':');
	}
	return NULL;
}

/*
 * QEMU for scale: a 64 KiB BIOS whose reset vector writes 0 to
 * isa-debug-exit, so QEMU's start-up and teardown are all there is (status
 * 1). Not the same payload: QEMU cannot load minivmm's format.
 */
static void run_qemu(const char *dir, int rounds)
{
	static const uint8_t reset[] = { 0xb0, 0x00, 0xe6, 0xf4, 0xf4, 0xeb, 0xfd };
	static struct series q = { .name = "qemu-system-x86_64" };
	char qemu[4096], bios[4200];
	uint8_t rom[65536];
	FILE *f;

	if (!find_qemu(qemu, sizeof(qemu))) {
		printf("(qemu-system-x86_64 is not on PATH: no QEMU line)\n");
		return;
	}
	snprintf(bios, sizeof(bios), "%s/exit-bios.bin", dir);
	memset(rom, 0xf4, sizeof(rom));
	memcpy(rom + 0xfff0, reset, sizeof(reset));
	if (!(f = fopen(bios, "wb")) || fwrite(rom, sizeof(rom), 1, f) != 1 || fclose(f))
		die(bios, errno);
	char *argv[] = { qemu,
			 "-accel",
			 "kvm",
			 "-cpu",
			 "host",
			 "-M",
			 "pc",
			 "-m",
			 "32",
			 "-bios",
			 bios,
			 "-nodefaults",
			 "-no-user-config",
			 "-display",
			 "none",
			 "-device",
			 "isa-debug-exit,iobase=0xf4,iosize=4",
			 NULL };
	for (int i = 0; i < rounds; i++)
		if (spawn(argv, &q) != 1) {
			printf("(qemu-system-x86_64 did not exit through isa-debug-exit: no QEMU "
			       "line)\n");
			unlink(bios);
			return;
		}
	unlink(bios);
	print_series(&q);
	printf("  (QEMU: -M pc -accel kvm, a BIOS that exits at its first instruction)\n");
}

static double median_ratio(const struct series *a, const struct series *b, bool cpu)
{
	double r[MAX_ROUNDS];

	for (int i = 0; i < a->n; i++)
		r[i] = cpu ? a->cpu[i] / b->cpu[i] : a->wall[i] / b->wall[i];
	return quantile(r, a->n, 0.5);
}

/* Prints the ratios and whether the target is met; a miss is reported, not
 * an error (the exit status stays 0). */
static void report(const struct series *bare, const struct series *mvm)
{
	double cpu = quantile(mvm->cpu, mvm->n, 0.5) / quantile(bare->cpu, bare->n, 0.5);
	double wall = quantile(mvm->wall, mvm->n, 0.5) / quantile(bare->wall, bare->n, 0.5);

	printf("ratio minivmm/bare: u+s CPU %.3f (paired rounds' median %.3f), wall %.3f "
	       "(paired %.3f)\n",
	       cpu, median_ratio(mvm, bare, true), wall, median_ratio(mvm, bare, false));
	printf("target: u+s CPU ratio <= %.2f: %s\n", TARGET_RATIO,
	       cpu <= TARGET_RATIO ? "met" : "MISSED");
}

static int driver(char *minivmm, char *payload, int rounds)
{
	static struct series bare = { .name = "bare VMM" }, mvm = { .name = "minivmm run" };
	char dir[] = "/tmp/startup_bench.XXXXXX", trace[64];
	char *bare_argv[] = { "/proc/self/exe", "--bare", payload, NULL };
	char *mvm_argv[] = { minivmm, "run", payload, "--quiet", "--trace", trace, NULL };

	if (!mkdtemp(dir))
		die("mkdtemp", errno);
	snprintf(trace, sizeof(trace), "%s/run.trace", dir);
	/* One of each untimed: the files in the page cache, the binaries mapped once. */
	for (int i = -1; i < rounds; i++) {
		struct series *first = i & 1 ? &mvm : &bare, *second = i & 1 ? &bare : &mvm;
		int s1 = spawn(first == &bare ? bare_argv : mvm_argv, first);
		int s2 = spawn(second == &bare ? bare_argv : mvm_argv, second);

		if (s1 || s2) {
			fprintf(stderr, "startup_bench: round %d: %s gave status %d, %s %d\n", i,
				first->name, s1, second->name, s2);
			return 2;
		}
		if (i < 0)
			bare.n = mvm.n = 0;
	}
	unlink(trace);
	printf("== start-to-exit of %s, %d rounds interleaved (ms)\n", payload, rounds);
	printf("%-20s %-40s %s\n", "", "u+s CPU: median [p25 p75] min-max",
	       "wall: median [p25 p75] min-max");
	print_series(&bare);
	print_series(&mvm);
	report(&bare, &mvm);
	if (!getenv("STARTUP_BENCH_NO_QEMU"))
		run_qemu(dir, rounds);
	rmdir(dir);
	return 0;
}

int main(int argc, char **argv)
{
	int rounds = argc > 3 ? atoi(argv[3]) : 21;

	if (argc == 3 && strcmp(argv[1], "--bare") == 0)
		return bare_main(argv[2]);
	if (argc < 3 || argc > 4 || rounds < 1 || rounds > MAX_ROUNDS) {
		fprintf(stderr,
			"usage: startup_bench MINIVMM PAYLOAD [ROUNDS<=%d]\n"
			"       startup_bench --bare PAYLOAD\n",
			MAX_ROUNDS);
		return 2;
	}
	if (access("/dev/kvm", R_OK | W_OK) != 0) {
		printf("startup_bench: /dev/kvm is not usable here; nothing to measure\n");
		return 77;
	}
	return driver(argv[1], argv[2], rounds);
}
