/* SPDX-License-Identifier: MIT */
/*
 * storm.c - random and hostile payloads through minivmm for a bounded time,
 * every run judged (make storm; docs/testing.md).
 *
 * Three kinds of payload, in every start mode: random bytes behind a valid
 * header; a mutated header (random fields, bytes flipped) before a short
 * random body; and hostile ABI code, a generated sequence of stores and
 * OUTs that makes the calls with argument blocks holding random addresses,
 * lengths, verdicts and memory operations, touches the test device, the
 * ROM and unbacked addresses, then falls into random bytes. Runs get random
 * options too (dirty modes and ring sizes, JSONL, --max-exits, a short
 * single-step, the split or kernel irqchip).
 *
 * A run passes when minivmm exited by itself (no signal) within its timeout
 * plus a margin, with a documented status (0, 1, 2, 3, 77); when a trace
 * file exists it is complete (an end record, summaries only after it, one
 * record per line, JSONL lines objects) and its end status is the exit
 * status; and stderr holds at most one line that is not a warning, every
 * line starting "minivmm: ". A failing payload is kept with the command that
 * reruns it.
 *
 * usage: storm MINIVMM OUTDIR SECONDS [JOBS] [SEED]
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "minivmm_abi.h"

#define MAX_JOBS     8
#define MAX_PAYLOAD  8192
#define MARGIN_S     10.0 /* past --timeout: set-up and teardown of a big guest */
#define MAX_ARGV     24
#define STATUS_SLOTS 5

static const int statuses[STATUS_SLOTS] = { 0, 1, 2, 3, 77 };

/* ---- a small PRNG: runs are reproducible from the seed ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static uint64_t rnd_below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

/* ---- payload generation ---- */

struct gen {
	uint8_t b[MAX_PAYLOAD];
	size_t n;
	int mode;
};

static void put(struct gen *g, const void *p, size_t len)
{
	if (g->n + len <= sizeof(g->b)) {
		memcpy(g->b + g->n, p, len);
		g->n += len;
	}
}

static void put8(struct gen *g, uint8_t v)
{
	put(g, &v, 1);
}

static void put16(struct gen *g, uint16_t v)
{
	put(g, &v, 2);
}

static void put32(struct gen *g, uint32_t v)
{
	put(g, &v, 4);
}

static void random_bytes(struct gen *g, size_t len)
{
	while (len--)
		put8(g, (uint8_t)rnd());
}

/* Where the payload goes: the SDK's places (real mode below 1 MiB). */
static uint64_t load_of(int mode)
{
	return mode == MVM_MODE_REAL ? 0x8000 : MVM_LOAD_GPA;
}

static void header(struct gen *g, int mode)
{
	struct mvm_header h = {
		.magic = MVM_MAGIC,
		.abi_version = MVM_ABI_VERSION,
		.mode = (uint8_t)mode,
		.header_size = MVM_HEADER_SIZE,
		.load_gpa = load_of(mode),
		.entry_gpa = load_of(mode) + MVM_HEADER_SIZE,
	};

	g->mode = mode;
	put(g, &h, sizeof(h));
}

/* mov dword [addr], v, for addresses below 64 KiB in real mode. */
static void store32(struct gen *g, uint32_t addr, uint32_t v)
{
	if (g->mode == MVM_MODE_REAL) {
		put8(g, 0x66); /* operand size 32 */
		put8(g, 0xc7);
		put8(g, 0x06); /* [disp16] */
		put16(g, (uint16_t)addr);
	} else {
		put8(g, 0xc7);
		put8(g, 0x04); /* SIB: [disp32], in 32- and 64-bit code alike */
		put8(g, 0x25);
		put32(g, addr);
	}
	put32(g, v);
}

/* mov edx, port; mov eax, v; out dx, eax (or in eax, dx). */
static void port_op(struct gen *g, uint16_t port, uint32_t v, int in)
{
	int real = g->mode == MVM_MODE_REAL;

	put8(g, 0xba); /* mov dx/edx, imm */
	if (real)
		put16(g, port);
	else
		put32(g, port);
	if (real)
		put8(g, 0x66);
	put8(g, 0xb8); /* mov eax, imm32 */
	put32(g, v);
	if (real)
		put8(g, 0x66);
	put8(g, in ? 0xed : 0xef);
}

/* An address a hostile call might pass: mostly plausible, often not. */
static uint64_t hostile_addr(struct gen *g)
{
	static const uint64_t places[] = {
		0,	    0x1000,	0x8000,		0x9000,	    0x10000,
		0x8fff0,    0x100000,	0x1ffffff8,	0x1fffffff, 0xe0000000,
		0xf0000000, 0xfffffff8, 0x100000000ULL, ~0ULL
	};
	uint64_t a = places[rnd_below(sizeof(places) / sizeof(places[0]))];

	if (rnd_below(4) == 0)
		a += rnd_below(0x10000);
	if (g->mode == MVM_MODE_REAL && rnd_below(2))
		a &= 0xffff;
	return a;
}

static uint64_t hostile_len(void)
{
	static const uint64_t lens[] = { 0,	     1,	   7, 64, MVM_MSG_MAX, MVM_MSG_MAX + 1,
					 1ULL << 32, ~0ULL };

	return rnd_below(3) ? rnd_below(200) : lens[rnd_below(sizeof(lens) / sizeof(lens[0]))];
}

/* A call's argument block at blk: 6 random-ish u64 words, then the OUT. */
static void hostile_call(struct gen *g, uint32_t blk)
{
	uint64_t w[7];

	w[0] = rnd_below(3) ? rnd_below(8) : rnd(); /* verdict, op, vector, id */
	w[1] = rnd_below(2) ? hostile_addr(g) : rnd_below(8);
	w[2] = hostile_len();
	w[3] = hostile_addr(g);
	w[4] = hostile_len();
	w[5] = rnd_below(2);
	w[6] = rnd();
	for (int i = 0; i < 7; i++) {
		store32(g, blk + 8 * (uint32_t)i, (uint32_t)w[i]);
		store32(g, blk + 8 * (uint32_t)i + 4, (uint32_t)(w[i] >> 32));
	}
	port_op(g, (uint16_t)(MVM_CALL_PORT + rnd_below(MVM_CALL_PORTS)),
		rnd_below(8) ? blk : (uint32_t)hostile_addr(g), 0);
}

static void gen_abi(struct gen *g, int mode)
{
	uint32_t blk = mode == MVM_MODE_REAL ? 0x6000 : 0x200000;
	int ops = 1 + (int)rnd_below(24);

	header(g, mode);
	for (int i = 0; i < ops; i++) {
		switch (rnd_below(6)) {
		case 0:
		case 1:
		case 2:
			hostile_call(g, blk);
			break;
		case 3:
			port_op(g, (uint16_t)(MVM_TESTDEV_PORT + rnd_below(MVM_TESTDEV_PORTS)),
				(uint32_t)rnd(), (int)rnd_below(2));
			break;
		case 4:
			port_op(g, (uint16_t)rnd(), (uint32_t)rnd(), (int)rnd_below(2));
			break;
		default:
			store32(g, (uint32_t)hostile_addr(g), (uint32_t)rnd());
			break;
		}
	}
	random_bytes(g, rnd_below(64));
}

static void gen_random(struct gen *g, int mode)
{
	header(g, mode);
	random_bytes(g, 1 + rnd_below(4096));
}

static void gen_header(struct gen *g, int mode)
{
	struct mvm_header h;

	header(g, mode);
	memcpy(&h, g->b, sizeof(h));
	switch (rnd_below(8)) {
	case 0:
		h.mode = (uint8_t)rnd();
		break;
	case 1:
		h.flags = (uint32_t)rnd();
		break;
	case 2:
		h.vcpus = (uint16_t)rnd_below(rnd_below(2) ? 9 : 65536);
		h.irqchip = (uint8_t)rnd_below(4);
		break;
	case 3:
		h.mem_size = rnd_below(2) ? rnd() : rnd_below(1ULL << 36) & ~0xfffULL;
		break;
	case 4:
		h.load_gpa = rnd_below(2) ? rnd() : rnd_below(1ULL << 32);
		break;
	case 5:
		h.entry_gpa = h.load_gpa + rnd_below(0x2000);
		break;
	case 6:
		h.abi_version = (uint16_t)rnd();
		h.header_size = (uint8_t)rnd();
		break;
	default:
		for (int i = 0, k = 1 + (int)rnd_below(4); i < k; i++)
			((uint8_t *)&h)[rnd_below(sizeof(h))] ^= (uint8_t)(1u << rnd_below(8));
		break;
	}
	memcpy(g->b, &h, sizeof(h));
	if (rnd_below(8) == 0)
		g->n = rnd_below(sizeof(h)); /* truncated */
	else
		random_bytes(g, rnd_below(256));
}

/* ---- one run ---- */

struct run {
	pid_t pid;
	unsigned long id;
	double deadline;
	char dir[200];
	char *argv[MAX_ARGV];
	char args[MAX_ARGV][320];
	int argc;
	int jsonl;
};

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void arg(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void arg(struct run *r, const char *fmt, ...)
{
	va_list ap;

	if (r->argc < MAX_ARGV - 1) {
		va_start(ap, fmt);
		vsnprintf(r->args[r->argc], sizeof(r->args[0]), fmt, ap);
		va_end(ap);
		r->argv[r->argc] = r->args[r->argc];
		r->argc++;
		r->argv[r->argc] = NULL;
	}
}

static void options(struct run *r, double *timeout)
{
	static const char *const timeouts[] = { "0.02", "0.05", "0.1" };
	static const char *const rings[] = { "16K", "64K", "1M" };
	const char *t = timeouts[rnd_below(3)];

	arg(r, "%s", "--timeout");
	arg(r, "%s", t);
	*timeout = atof(t);
	switch (rnd_below(10)) {
	case 0:
		arg(r, "%s", "--dirty");
		arg(r, "%s", "ring");
		arg(r, "%s", "--dirty-ring-size");
		arg(r, "%s", rings[rnd_below(3)]);
		break;
	case 1:
		arg(r, "%s", "--dirty");
		arg(r, "%s", "clear");
		break;
	case 2:
		arg(r, "%s", "--max-exits");
		arg(r, "%s", rnd_below(2) ? "1" : "100");
		break;
	case 3:
		arg(r, "%s", "--singlestep=16");
		break;
	case 4:
		arg(r, "%s", "--irqchip");
		arg(r, "%s", rnd_below(2) ? "kernel" : "split");
		break;
	default:
		break;
	}
	r->jsonl = rnd_below(4) == 0;
	if (r->jsonl) {
		arg(r, "%s", "--format");
		arg(r, "%s", "jsonl");
	}
}

static int write_file(const char *path, const void *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t w;

	if (fd < 0)
		return -1;
	w = write(fd, p, n);
	close(fd);
	return w == (ssize_t)n ? 0 : -1;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	*len = 0;
	if (!f)
		return NULL;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = cap * 2 + 8192);

			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		size_t got = fread(buf + n, 1, 4096, f);

		n += got;
		if (got < 4096)
			break;
	}
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
}

static void start(struct run *r, const char *mvm, const char *work, unsigned long id)
{
	static const int modes[] = { MVM_MODE_REAL, MVM_MODE_PROT32, MVM_MODE_PAGING32,
				     MVM_MODE_PAE,  MVM_MODE_LONG,   MVM_MODE_LA57 };
	struct gen g = { .n = 0 };
	char path[300];
	double timeout;
	int mode = modes[rnd_below(6)];

	switch (id % 3) {
	case 0:
		gen_random(&g, mode);
		break;
	case 1:
		gen_header(&g, mode);
		break;
	default:
		gen_abi(&g, mode);
		break;
	}
	r->id = id;
	r->argc = 0;
	if (r->dir != work)
		snprintf(r->dir, sizeof(r->dir), "%s", work);
	snprintf(path, sizeof(path), "%s/p.bin", work);
	if (write_file(path, g.b, g.n) < 0) {
		fprintf(stderr, "storm: cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
	arg(r, "%s", mvm);
	arg(r, "%s", "run");
	arg(r, "%s", path);
	options(r, &timeout);
	arg(r, "%s", "--trace");
	arg(r, "%s/t.trace", work);
	arg(r, "%s", "--quiet");
	snprintf(path, sizeof(path), "%s/t.trace", work);
	unlink(path);
	r->deadline = now() + timeout + MARGIN_S;
	r->pid = fork();
	if (r->pid < 0) {
		perror("storm: fork");
		exit(1);
	}
	if (r->pid == 0) {
		char o[300], e[300];
		int fo, fe;

		snprintf(o, sizeof(o), "%s/stdout", work);
		snprintf(e, sizeof(e), "%s/stderr", work);
		fo = open(o, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		fe = open(e, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fo < 0 || fe < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
			_exit(126);
		execv(r->argv[0], r->argv);
		_exit(127);
	}
}

/* ---- judging ---- */

/* The trace: NULL when complete with end status st, else why not. */
static const char *judge_trace(const char *t, size_t len, int jsonl, int st, char *why, size_t size)
{
	const char *end_key = jsonl ? "{\"type\":\"end\"" : "end reason=";
	const char *end = NULL, *p;
	char want[32];

	if (!len || t[len - 1] != '\n')
		return "trace does not end with a newline";
	if (strlen(t) != len)
		return "trace holds a NUL byte";
	for (p = t; *p; p = strchr(p, '\n') + 1) {
		size_t l = strcspn(p, "\n");

		if (jsonl && (p[0] != '{' || p[l - 1] != '}'))
			return "a JSONL line is not an object";
		if (!strncmp(p, end_key, strlen(end_key))) {
			if (end)
				return "two end records";
			end = p;
		} else if (end &&
			   strncmp(p, jsonl ? "{\"type\":\"summary\"" : "summary ",
				   jsonl ? 17 : 8) &&
			   strncmp(p, jsonl ? "{\"type\":\"vcpu_summary\"" : "vcpu_summary ",
				   jsonl ? 22 : 13) &&
			   strncmp(p, jsonl ? "{\"type\":\"ksummary\"" : "ksummary ",
				   jsonl ? 18 : 9)) {
			snprintf(why, size, "record after the end: %.60s", p);
			return why;
		}
	}
	if (!end)
		return "no end record";
	snprintf(want, sizeof(want), jsonl ? "\"status\":%d," : " status=%d ", st);
	p = strstr(end, want);
	if (!p || p > strchr(end, '\n')) {
		snprintf(why, size, "end record does not give status %d: %.120s", st, end);
		return why;
	}
	return NULL;
}

static const char *judge_stderr(const char *e)
{
	int errors = 0;

	for (const char *p = e; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
		if (strncmp(p, "minivmm: ", 9))
			return "a stderr line does not start with \"minivmm: \"";
		if (strncmp(p, "minivmm: warning: ", 18))
			errors++;
	}
	if (*e && e[strlen(e) - 1] != '\n')
		return "stderr does not end with a newline";
	return errors > 1 ? "more than one error line on stderr" : NULL;
}

struct tally {
	unsigned long runs, failed, by_status[STATUS_SLOTS];
};

static void keep_failure(const struct run *r, const char *out, const char *why, struct tally *ty)
{
	char src[300], dst[300], cmd[300];
	FILE *f;

	ty->failed++;
	snprintf(src, sizeof(src), "%s/p.bin", r->dir);
	snprintf(dst, sizeof(dst), "%s/fail-%lu.bin", out, r->id);
	rename(src, dst);
	snprintf(cmd, sizeof(cmd), "%s/fail-%lu.cmd", out, r->id);
	f = fopen(cmd, "w");
	if (f) {
		fprintf(f, "# %s\n", why);
		for (int i = 0; i < r->argc; i++) {
			const char *a = r->argv[i];

			if (i == 2)
				a = dst;
			else if (i > 0 && !strcmp(r->argv[i - 1], "--trace"))
				a = "fail.trace";
			fprintf(f, "%s'%s'", i ? " " : "", a);
		}
		fprintf(f, "\n");
		fclose(f);
	}
	fprintf(stderr, "storm: run %lu failed: %s (payload %s, command %s)\n", r->id, why, dst,
		cmd);
}

static void judge(struct run *r, int wst, int hung, const char *out, struct tally *ty)
{
	char path[300], why[256];
	const char *bad = NULL;
	size_t len;
	char *t, *e;
	int st = -1;

	ty->runs++;
	if (hung)
		bad = "no end within the timeout plus the margin (killed)";
	else if (WIFSIGNALED(wst))
		snprintf(why, sizeof(why), "killed by signal %d (%s)", WTERMSIG(wst),
			 strsignal(WTERMSIG(wst))),
			bad = why;
	else
		st = WEXITSTATUS(wst);
	if (!bad) {
		int k = 0;

		while (k < STATUS_SLOTS && statuses[k] != st)
			k++;
		if (k == STATUS_SLOTS) {
			snprintf(why, sizeof(why), "undocumented exit status %d", st);
			bad = why;
		} else {
			ty->by_status[k]++;
		}
	}
	if (!bad) {
		snprintf(path, sizeof(path), "%s/t.trace", r->dir);
		t = slurp(path, &len);
		if (t)
			bad = judge_trace(t, len, r->jsonl, st, why, sizeof(why));
		else if (st != 2)
			bad = "no trace file";
		free(t);
	}
	if (!bad) {
		snprintf(path, sizeof(path), "%s/stderr", r->dir);
		e = slurp(path, &len);
		bad = e ? judge_stderr(e) : "no stderr file";
		free(e);
	}
	if (bad)
		keep_failure(r, out, bad, ty);
}

int main(int argc, char **argv)
{
	struct run runs[MAX_JOBS];
	struct tally ty = { 0 };
	const char *mvm, *out;
	double seconds, stop;
	unsigned long next = 0;
	uint64_t seed;
	int jobs, live = 0;

	if (argc < 4 || argc > 6) {
		fprintf(stderr, "usage: storm MINIVMM OUTDIR SECONDS [JOBS] [SEED]\n");
		return 2;
	}
	mvm = argv[1];
	out = argv[2];
	seconds = atof(argv[3]);
	jobs = argc > 4 ? atoi(argv[4]) : 2;
	seed = argc > 5 ? strtoull(argv[5], NULL, 0) : (uint64_t)time(NULL);
	if (jobs < 1 || jobs > MAX_JOBS || seconds <= 0) {
		fprintf(stderr, "storm: JOBS is 1 to %d, SECONDS more than 0\n", MAX_JOBS);
		return 2;
	}
	rng_state = seed ? seed : 1;
	mkdir(out, 0755);
	printf("storm: %s for %.0f s, %d at a time, seed %llu\n", mvm, seconds, jobs,
	       (unsigned long long)seed);
	fflush(stdout);
	stop = now() + seconds;
	for (int j = 0; j < jobs; j++) {
		char dir[220];

		snprintf(dir, sizeof(dir), "%s/job%d", out, j);
		mkdir(dir, 0755);
		start(&runs[j], mvm, dir, next++);
		live++;
	}
	while (live) {
		int progressed = 0;

		for (int j = 0; j < jobs; j++) {
			struct run *r = &runs[j];
			int wst = 0, hung = 0;
			pid_t w;

			if (!r->pid)
				continue;
			w = waitpid(r->pid, &wst, WNOHANG);
			if (w == 0 && now() > r->deadline) {
				kill(r->pid, SIGKILL);
				waitpid(r->pid, &wst, 0);
				hung = 1;
			} else if (w == 0) {
				continue;
			}
			judge(r, wst, hung, out, &ty);
			r->pid = 0;
			progressed = 1;
			if (now() < stop) {
				start(r, mvm, r->dir, next++);
			} else {
				live--;
			}
		}
		if (!progressed) {
			struct timespec d = { 0, 1000000 };

			nanosleep(&d, NULL);
		}
	}
	printf("storm: %lu runs judged, %lu failed; status 0: %lu, 1: %lu, 2: %lu, 3: %lu, 77: "
	       "%lu\n",
	       ty.runs, ty.failed, ty.by_status[0], ty.by_status[1], ty.by_status[2],
	       ty.by_status[3], ty.by_status[4]);
	return ty.failed ? 1 : 0;
}
