/* SPDX-License-Identifier: MIT */
/* lib.c - the host calls a payload makes (print, checkpoint, exit) and the start sequence. */
#include "mvm_lib.h"

uint64_t mvm_msg_len(const char *s)
{
	size_t n = strlen(s);

	/* The host rejects a longer string outright; a cut message is more useful. */
	return n < MVM_MSG_MAX ? n : MVM_MSG_MAX;
}

void mvm_print(const char *s)
{
	struct mvm_call_print call = {
		.gpa = mvm_gpa(s),
		.len = mvm_msg_len(s),
	};

	mvm_call(MVM_CALL_PRINT, &call);
}

void mvm_printf(const char *fmt, ...)
{
	char buf[MVM_PRINTF_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	mvm_print(buf);
}

/* One OUT per byte on purpose: this is the path that exercises many small PIO exits. */
void mvm_console_puts(const char *s)
{
	while (*s)
		outb(MVM_COM1_PORT, (uint8_t)*s++);
}

void mvm_checkpoint(uint64_t id, const char *label)
{
	struct mvm_call_checkpoint call = {
		.id = id,
		.label_gpa = label ? mvm_gpa(label) : 0,
		.label_len = label ? mvm_msg_len(label) : 0,
	};

	mvm_call(MVM_CALL_CHECKPOINT, &call);
}

void mvm_mem(uint32_t op, uint32_t slot, uint64_t gpa)
{
	struct mvm_call_mem call = {
		.op = op,
		.slot = slot,
		.gpa = gpa,
	};

	mvm_call(MVM_CALL_MEM, &call);
}

void mvm_l2_exit(const struct mvm_call_l2_exit *e)
{
	struct mvm_call_l2_exit call = *e;

	mvm_call(MVM_CALL_L2_EXIT, &call);
}

void mvm_exit(uint32_t verdict, const char *msg)
{
	struct mvm_call_exit call = {
		.verdict = verdict,
		.msg_gpa = msg ? mvm_gpa(msg) : 0,
		.msg_len = msg ? mvm_msg_len(msg) : 0,
	};

	mvm_call(MVM_CALL_EXIT, &call);
	/* The host is not meant to resume us; if it does, stay put. */
	for (;;)
		hlt();
}

void mvm_skip(const char *why)
{
	mvm_exit(MVM_SKIP, why);
}

void mvm_start(void)
{
	int ret;

#if MVM_BITS != 16
	mvm_idt_init();
#endif
	ret = main();
	if (ret == MVM_PASS)
		ret = report_summary();
	mvm_exit((uint32_t)ret, NULL);
}
