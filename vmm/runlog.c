/* SPDX-License-Identifier: MIT */
/* runlog.c - owns the run's record sink, its end state and the kicks that stop vCPU threads. */
#include "runlog.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>

#include "util.h"

static const char *const end_names[] = {
	[END_NONE] = "none",
	[END_EXIT] = "exit",
	[END_HLT] = "hlt",
	[END_SHUTDOWN] = "shutdown",
	[END_FAIL_ENTRY] = "fail_entry",
	[END_INTERNAL_ERROR] = "internal_error",
	[END_SYSTEM_EVENT] = "system_event",
	[END_TIMEOUT] = "timeout",
	[END_SIGNAL] = "signal",
	[END_MAX_EXITS] = "max_exits",
	[END_HOST_ERROR] = "host_error",
	[END_UNSUPPORTED] = "unsupported",
	[END_DEBUG_EXIT] = "debug_exit",
	[END_USAGE_ERROR] = "usage_error",
};

const char *end_reason_name(enum end_reason e)
{
	return end_names[e];
}

void runlog_init(struct runlog *log)
{
	log->lock = (struct mvm_lock){ 0 };
}

void runlog_destroy(struct runlog *log)
{
	(void)log; /* the lock holds nothing to free */
}

void runlog_trace_failed(struct runlog *log)
{
	log->rec.err_reported = true;
	runlog_host_error(log, "writing the trace failed: %s", strerror(recorder_errno(&log->rec)));
}

void runlog_emit(struct runlog *log, struct record *r)
{
	recorder_emit(&log->rec, r);
	runlog_check_trace(log);
}

/* The console (stdout) going away, e.g. to `| head`, ends the run the same way,
 * once: the trace file, if any, is still completed. */
static void check_echo(struct runlog *log, int ret)
{
	int e = errno;

	if (ret >= 0 && !ferror(log->echo))
		return;
	log->echo = NULL;
	runlog_host_error(log, "writing the console to stdout failed: %s", strerror(e ? e : EIO));
}

void runlog_echo(struct runlog *log, const char *fmt, ...)
{
	va_list ap;
	int ret;

	if (!log->echo)
		return;
	mvm_tty_line_clear(); /* a status line on the same terminal goes first */
	errno = 0;
	va_start(ap, fmt);
	ret = vfprintf(log->echo, fmt, ap);
	va_end(ap);
	check_echo(log, ret);
}

void runlog_flush_output(struct runlog *log)
{
	if (log->echo) {
		errno = 0;
		check_echo(log, fflush(log->echo));
	}
	recorder_flush(&log->rec);
	runlog_check_trace(log);
}

/* immediate_exit catches a thread just before KVM_RUN, the signal one inside it. */
static void kick_all(struct runlog *log)
{
	pthread_t self = pthread_self();

	for (int i = 0; i < log->nkick; i++) {
		struct kick_target *k = &log->kick[i];

		if (!k->live || pthread_equal(k->thread, self))
			continue;
		__atomic_store_n(&k->run->immediate_exit, 1, __ATOMIC_RELEASE);
		pthread_kill(k->thread, STOP_KICK_SIGNAL);
	}
}

enum run_action runlog_end(struct runlog *log, enum end_reason why, int verdict, const char *detail)
{
	return runlog_end_code(log, why, verdict, detail, 0);
}

enum run_action runlog_end_code(struct runlog *log, enum end_reason why, int verdict,
				const char *detail, uint64_t code)
{
	if (log->end == END_NONE) {
		log->end_code = code;
		log->verdict = verdict;
		log->end_detail = detail;
		__atomic_store_n(&log->end, why, __ATOMIC_RELEASE);
		kick_all(log);
	}
	return RUN_STOP;
}

enum run_action runlog_host_error(struct runlog *log, const char *fmt, ...)
{
	va_list ap;

	if (log->end == END_HOST_ERROR)
		return RUN_STOP; /* one line is enough */
	va_start(ap, fmt);
	vsnprintf(log->detail_buf, sizeof(log->detail_buf), fmt, ap);
	va_end(ap);
	mvm_err("%s", log->detail_buf);
	/* Even after the guest ended the run: what the end would have
	 * recorded is now missing, so the trace must not read as complete. */
	log->verdict = MVM_STATUS_HOST;
	log->end_detail = log->detail_buf;
	__atomic_store_n(&log->end, END_HOST_ERROR, __ATOMIC_RELEASE);
	kick_all(log);
	return RUN_STOP;
}
