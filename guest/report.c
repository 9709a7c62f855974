/* SPDX-License-Identifier: MIT */
/* report.c - kvm-unit-tests style checks: each is sent to the host and counted here. */
#include "mvm_lib.h"

static unsigned int report_failures;

void report(int pass, const char *fmt, ...)
{
	char buf[MVM_PRINTF_MAX];
	struct mvm_call_report call;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);

	call = (struct mvm_call_report){
		.msg_gpa = mvm_gpa(buf),
		.msg_len = mvm_msg_len(buf),
		.pass = pass ? 1 : 0,
	};
	mvm_call(MVM_CALL_REPORT, &call);
	if (!pass)
		report_failures++;
}

int report_summary(void)
{
	return report_failures ? MVM_FAIL : MVM_PASS;
}
