/* SPDX-License-Identifier: MIT */
/* failioctl.c - owns the LD_PRELOAD ioctl shim the fault tests use: call log, one injected fault. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/*
 * Environment:
 *   MVM_FAULT_LOG=PATH     append "NAME nth=N" for every ioctl call (N counts
 *                          that request process-wide, from 1), " cap=C" for
 *                          KVM_CHECK_EXTENSION; the failed call's line ends
 *                          with " injected=ERRNO"
 *   MVM_FAULT_IOCTL=NAME   the request to fail: a name below or a number
 *   MVM_FAULT_NTH=N        which call of it fails, from 1 (default 1)
 *   MVM_FAULT_ERRNO=E      the errno it fails with, a name or a number (default EIO)
 * A failed call returns -1 with that errno and never reaches the kernel. At
 * most one call per process fails: only one call can be the Nth. A setting
 * the shim cannot read ends the process with status 125 and a line on stderr,
 * so a mistyped test never passes by failing nothing.
 */

#define EXIT_MISCONFIGURED 125
#define MAX_REQUESTS	   128

typedef int (*ioctl_fn)(int, unsigned long, ...);

/* A constant and its name, for the tables below. */
#define NAMED(x) (x), #x

static const struct {
	unsigned long req;
	const char *name;
} requests[] = {
	/* /dev/kvm */
	{ NAMED(KVM_GET_API_VERSION) },
	{ NAMED(KVM_CREATE_VM) },
	{ NAMED(KVM_CHECK_EXTENSION) },
	{ NAMED(KVM_GET_VCPU_MMAP_SIZE) },
	{ NAMED(KVM_GET_SUPPORTED_CPUID) },
	{ NAMED(KVM_GET_EMULATED_CPUID) },
	{ NAMED(KVM_GET_MSR_INDEX_LIST) },
	{ NAMED(KVM_GET_MSR_FEATURE_INDEX_LIST) },
	/* VM */
	{ NAMED(KVM_SET_TSS_ADDR) },
	{ NAMED(KVM_SET_IDENTITY_MAP_ADDR) },
	{ NAMED(KVM_CREATE_IRQCHIP) },
	{ NAMED(KVM_GET_IRQCHIP) },
	{ NAMED(KVM_SET_IRQCHIP) },
	{ NAMED(KVM_CREATE_PIT2) },
	{ NAMED(KVM_GET_PIT2) },
	{ NAMED(KVM_SET_PIT2) },
	{ NAMED(KVM_IRQ_LINE) },
	{ NAMED(KVM_IRQ_LINE_STATUS) },
	{ NAMED(KVM_SIGNAL_MSI) },
	{ NAMED(KVM_SET_GSI_ROUTING) },
	{ NAMED(KVM_IRQFD) },
	{ NAMED(KVM_IOEVENTFD) },
	{ NAMED(KVM_SET_USER_MEMORY_REGION) },
#ifdef KVM_SET_USER_MEMORY_REGION2
	{ NAMED(KVM_SET_USER_MEMORY_REGION2) },
#endif
#ifdef KVM_CREATE_GUEST_MEMFD
	{ NAMED(KVM_CREATE_GUEST_MEMFD) },
#endif
	{ NAMED(KVM_GET_DIRTY_LOG) },
	{ NAMED(KVM_CLEAR_DIRTY_LOG) },
	{ NAMED(KVM_RESET_DIRTY_RINGS) },
	{ NAMED(KVM_ENABLE_CAP) },
	{ NAMED(KVM_GET_STATS_FD) },
	{ NAMED(KVM_CREATE_VCPU) },
	{ NAMED(KVM_GET_CLOCK) },
	{ NAMED(KVM_CREATE_DEVICE) },
	{ NAMED(KVM_GET_DEVICE_ATTR) },
	/* vCPU */
	{ NAMED(KVM_RUN) },
	{ NAMED(KVM_GET_REGS) },
	{ NAMED(KVM_SET_REGS) },
	{ NAMED(KVM_GET_SREGS) },
	{ NAMED(KVM_SET_SREGS) },
	{ NAMED(KVM_SET_CPUID2) },
	{ NAMED(KVM_GET_CPUID2) },
	{ NAMED(KVM_GET_MSRS) },
	{ NAMED(KVM_SET_MSRS) },
	{ NAMED(KVM_GET_FPU) },
	{ NAMED(KVM_SET_FPU) },
	{ NAMED(KVM_GET_LAPIC) },
	{ NAMED(KVM_SET_LAPIC) },
	{ NAMED(KVM_GET_MP_STATE) },
	{ NAMED(KVM_SET_MP_STATE) },
	{ NAMED(KVM_GET_VCPU_EVENTS) },
	{ NAMED(KVM_SET_VCPU_EVENTS) },
	{ NAMED(KVM_GET_DEBUGREGS) },
	{ NAMED(KVM_SET_DEBUGREGS) },
	{ NAMED(KVM_GET_XSAVE) },
	{ NAMED(KVM_GET_XCRS) },
	{ NAMED(KVM_GET_NESTED_STATE) },
	{ NAMED(KVM_SET_NESTED_STATE) },
	{ NAMED(KVM_SET_SIGNAL_MASK) },
	{ NAMED(KVM_SET_GUEST_DEBUG) },
	{ NAMED(KVM_TRANSLATE) },
	{ NAMED(KVM_INTERRUPT) },
	{ NAMED(KVM_NMI) },
	{ NAMED(KVM_GET_TSC_KHZ) },
	{ NAMED(KVM_SET_TSC_KHZ) },
	/* perf events (--ktrace) */
	{ NAMED(PERF_EVENT_IOC_ENABLE) },
	{ NAMED(PERF_EVENT_IOC_DISABLE) },
	{ NAMED(PERF_EVENT_IOC_SET_OUTPUT) },
	{ NAMED(PERF_EVENT_IOC_ID) },
};

static const struct {
	int no;
	const char *name;
} errnos[] = {
	{ NAMED(EIO) },	   { NAMED(EINVAL) }, { NAMED(ENOMEM) },     { NAMED(EFAULT) },
	{ NAMED(EBUSY) },  { NAMED(EAGAIN) }, { NAMED(EINTR) },	     { NAMED(ENOSYS) },
	{ NAMED(ENOTTY) }, { NAMED(ENXIO) },  { NAMED(EPERM) },	     { NAMED(EACCES) },
	{ NAMED(EEXIST) }, { NAMED(ENOENT) }, { NAMED(ENODEV) },     { NAMED(EBADF) },
	{ NAMED(ENOSPC) }, { NAMED(E2BIG) },  { NAMED(EOPNOTSUPP) },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* What the environment asked for, read once by the first call. */
static struct {
	ioctl_fn real;
	int log_fd;
	unsigned long target;
	int has_target;
	unsigned long nth;
	int err;
} cfg;
static pthread_once_t cfg_once = PTHREAD_ONCE_INIT;

/* Calls per request, shared by all threads: a slot is claimed once with a CAS
 * on its key (request + 1, so that 0 means free) and never given back. */
static struct {
	atomic_ulong key;
	atomic_ulong calls;
} counters[MAX_REQUESTS];

__attribute__((format(printf, 1, 2), noreturn)) static void die(const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	ssize_t w;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	w = write(2, msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
	(void)w; /* if stderr is gone too, the status still says it */
	_exit(EXIT_MISCONFIGURED);
}

static const char *request_name(unsigned long req)
{
	for (size_t i = 0; i < ARRAY_LEN(requests); i++)
		if (requests[i].req == req)
			return requests[i].name;
	return NULL;
}

/* A positive decimal or 0x-hex number; 0 when s is not one. */
static unsigned long parse_number(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	return *s && !*end && !errno && s[0] != '-' ? v : 0;
}

static void parse_target(const char *s)
{
	for (size_t i = 0; i < ARRAY_LEN(requests); i++) {
		if (strcmp(requests[i].name, s) == 0) {
			cfg.target = requests[i].req;
			cfg.has_target = 1;
			return;
		}
	}
	cfg.target = parse_number(s);
	if (!cfg.target)
		die("failioctl: MVM_FAULT_IOCTL=%s is neither a request name it knows nor a "
		    "number\n",
		    s);
	cfg.has_target = 1;
}

static int parse_errno(const char *s)
{
	unsigned long v;

	for (size_t i = 0; i < ARRAY_LEN(errnos); i++)
		if (strcmp(errnos[i].name, s) == 0)
			return errnos[i].no;
	v = parse_number(s);
	if (!v || v > 4095)
		die("failioctl: MVM_FAULT_ERRNO=%s is neither an errno name it knows nor a "
		    "number from 1 to 4095\n",
		    s);
	return (int)v;
}

static void cfg_read(void)
{
	const char *log = getenv("MVM_FAULT_LOG");
	const char *req = getenv("MVM_FAULT_IOCTL");
	const char *nth = getenv("MVM_FAULT_NTH");
	const char *err = getenv("MVM_FAULT_ERRNO");

	cfg.real = (ioctl_fn)dlsym(RTLD_NEXT, "ioctl");
	if (!cfg.real)
		die("failioctl: dlsym(RTLD_NEXT, \"ioctl\") found nothing\n");
	cfg.log_fd = -1;
	if (log && *log) {
		cfg.log_fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (cfg.log_fd < 0)
			die("failioctl: cannot open MVM_FAULT_LOG=%s\n", log);
	}
	if (req && *req)
		parse_target(req);
	cfg.nth = 1;
	if (nth && *nth && !(cfg.nth = parse_number(nth)))
		die("failioctl: MVM_FAULT_NTH=%s is not a number from 1 up\n", nth);
	cfg.err = err && *err ? parse_errno(err) : EIO;
}

/* This call's number among the calls of req (from 1), or 0 if the table is full. */
static unsigned long count_call(unsigned long req)
{
	unsigned long key = req + 1;

	for (size_t i = 0; i < MAX_REQUESTS; i++) {
		size_t k = (key + i) % MAX_REQUESTS;
		unsigned long cur = atomic_load(&counters[k].key);

		if (cur == 0 && atomic_compare_exchange_strong(&counters[k].key, &cur, key))
			cur = key;
		if (cur == key)
			return atomic_fetch_add(&counters[k].calls, 1) + 1;
	}
	return 0;
}

static const char *errno_name(int e)
{
	for (size_t i = 0; i < ARRAY_LEN(errnos); i++)
		if (errnos[i].no == e)
			return errnos[i].name;
	return NULL;
}

/* One write per line, so that lines from several threads never interleave. */
static void log_call(unsigned long req, void *arg, unsigned long nth, int injected)
{
	const char *name = request_name(req);
	char line[128];
	int n;

	if (name)
		n = snprintf(line, sizeof(line), "%s nth=%lu", name, nth);
	else
		n = snprintf(line, sizeof(line), "0x%lx nth=%lu", req, nth);
	if (req == KVM_CHECK_EXTENSION)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " cap=%lu", (unsigned long)arg);
	if (injected && errno_name(cfg.err))
		n += snprintf(line + n, sizeof(line) - (size_t)n, " injected=%s",
			      errno_name(cfg.err));
	else if (injected)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " injected=%d", cfg.err);
	n += snprintf(line + n, sizeof(line) - (size_t)n, "\n");
	if (write(cfg.log_fd, line, (size_t)n) != n)
		die("failioctl: writing MVM_FAULT_LOG failed\n");
}

int ioctl(int fd, unsigned long request, ...)
{
	unsigned long nth;
	int inject;
	va_list ap;
	void *arg;

	/* Every KVM and perf request takes at most one argument, an integer or
	 * a pointer; read as a pointer, it reaches the real ioctl in the same
	 * register, bit for bit, as without the shim. */
	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	pthread_once(&cfg_once, cfg_read);
	nth = count_call(request);
	inject = cfg.has_target && request == cfg.target && nth == cfg.nth;
	if (cfg.log_fd >= 0)
		log_call(request, arg, nth, inject);
	if (inject) {
		errno = cfg.err;
		return -1;
	}
	return cfg.real(fd, request, arg);
}
