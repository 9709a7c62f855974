/* SPDX-License-Identifier: MIT */
/* tp_formats.h - tracepoint format texts the tracefs and ktrace unit tests parse, as tracefs prints them. */
#ifndef MVM_TEST_TP_FORMATS_H
#define MVM_TEST_TP_FORMATS_H

/* Each test uses some of them. */
#define TP_FORMAT static const char __attribute__((unused))

/* clang-format off */

/* What every event's format file holds between its ID: and its own fields. */
TP_FORMAT common_fields[] =
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n";

/* Those of this kernel's events/kvm/kvm_mmio/format: "type" is a taken key. */
TP_FORMAT kvm_mmio_fields[] =
	"\tfield:u32 type;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:u32 len;\toffset:12;\tsize:4;\tsigned:0;\n"
	"\tfield:u64 gpa;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:u64 val;\toffset:24;\tsize:8;\tsigned:0;\n";

/* kvm_emulate_insn's: a rip, bytes cut to len, flags (the mode); then a
 * signed field and a string of other events. */
TP_FORMAT emulate_fields[] =
	"\tfield:__u64 rip;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:__u32 csbase;\toffset:16;\tsize:4;\tsigned:0;\n"
	"\tfield:__u8 len;\toffset:20;\tsize:1;\tsigned:0;\n"
	"\tfield:__u8 insn[15];\toffset:21;\tsize:15;\tsigned:0;\n"
	"\tfield:__u8 flags;\toffset:36;\tsize:1;\tsigned:0;\n"
	"\tfield:__u8 failed;\toffset:37;\tsize:1;\tsigned:0;\n"
	"\tfield:int errno;\toffset:40;\tsize:4;\tsigned:1;\n"
	"\tfield:__data_loc char[] msg;\toffset:44;\tsize:4;\tsigned:1;\n";

/* Linux 6.1's events/kvm/kvm_exit: a RIP, the exit reason with its isa, a vcpu_id. */
#define TP_KVM_EXIT_FIELDS \
	"\tfield:unsigned int exit_reason;\toffset:8;\tsize:4;\tsigned:0;\n" \
	"\tfield:unsigned long guest_rip;\toffset:16;\tsize:8;\tsigned:0;\n" \
	"\tfield:u32 isa;\toffset:24;\tsize:4;\tsigned:0;\n" \
	"\tfield:u64 info1;\toffset:32;\tsize:8;\tsigned:0;\n" \
	"\tfield:u64 info2;\toffset:40;\tsize:8;\tsigned:0;\n" \
	"\tfield:u32 intr_info;\toffset:48;\tsize:4;\tsigned:0;\n" \
	"\tfield:u32 error_code;\toffset:52;\tsize:4;\tsigned:0;\n" \
	"\tfield:unsigned int vcpu_id;\toffset:56;\tsize:4;\tsigned:0;\n"

/* clang-format on */

#endif /* MVM_TEST_TP_FORMATS_H */
