/* SPDX-License-Identifier: MIT */
/* test_names.c - the name tables: KVM exits, VMX/SVM exit codes, vectors, start modes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <linux/kvm.h>

#include "minivmm_abi.h"
#include "names.h"

struct exit_name {
	uint32_t reason;
	const char *name;
};

#define EXIT(x)                  \
	{                        \
		KVM_EXIT_##x, #x \
	}

/* Every exit reason the installed <linux/kvm.h> defines. */
static const struct exit_name kernel_exits[] = {
	EXIT(UNKNOWN),
	EXIT(EXCEPTION),
	EXIT(IO),
	EXIT(HYPERCALL),
	EXIT(DEBUG),
	EXIT(HLT),
	EXIT(MMIO),
	EXIT(IRQ_WINDOW_OPEN),
	EXIT(SHUTDOWN),
	EXIT(FAIL_ENTRY),
	EXIT(INTR),
	EXIT(SET_TPR),
	EXIT(TPR_ACCESS),
	EXIT(S390_SIEIC),
	EXIT(S390_RESET),
	EXIT(DCR),
	EXIT(NMI),
	EXIT(INTERNAL_ERROR),
	EXIT(OSI),
	EXIT(PAPR_HCALL),
	EXIT(S390_UCONTROL),
	EXIT(WATCHDOG),
	EXIT(S390_TSCH),
	EXIT(EPR),
	EXIT(SYSTEM_EVENT),
	EXIT(S390_STSI),
	EXIT(IOAPIC_EOI),
	EXIT(HYPERV),
	EXIT(ARM_NISV),
	EXIT(X86_RDMSR),
	EXIT(X86_WRMSR),
	EXIT(DIRTY_RING_FULL),
	EXIT(AP_RESET_HOLD),
	EXIT(X86_BUS_LOCK),
	EXIT(XEN),
	EXIT(RISCV_SBI),
	EXIT(RISCV_CSR),
#ifdef KVM_EXIT_NOTIFY
	EXIT(NOTIFY),
#endif
#ifdef KVM_EXIT_LOONGARCH_IOCSR
	EXIT(LOONGARCH_IOCSR),
#endif
#ifdef KVM_EXIT_MEMORY_FAULT
	EXIT(MEMORY_FAULT),
#endif
#ifdef KVM_EXIT_TDX
	EXIT(TDX),
#endif
#ifdef KVM_EXIT_ARM_SEA
	EXIT(ARM_SEA),
#endif
};

static void kvm_exit_names_match_kernel(void **state)
{
	for (size_t i = 0; i < sizeof(kernel_exits) / sizeof(kernel_exits[0]); i++) {
		const char *got = kvm_exit_name(kernel_exits[i].reason);

		if (!got || strcmp(got, kernel_exits[i].name) != 0)
			fail_msg("exit %u: wanted %s, got %s", kernel_exits[i].reason,
				 kernel_exits[i].name, got ? got : "NULL");
	}
	assert_string_equal(kvm_exit_name(2), "IO");
	assert_string_equal(kvm_exit_name(6), "MMIO");
	(void)state;
}

static void kvm_exit_table_has_every_header_exit(void **state)
{
	for (size_t i = 0; i < sizeof(kernel_exits) / sizeof(kernel_exits[0]); i++)
		if (kernel_exits[i].reason >= kvm_exit_name_count())
			fail_msg("exit %s (%u) is beyond the table (%u entries)",
				 kernel_exits[i].name, kernel_exits[i].reason,
				 kvm_exit_name_count());
	(void)state;
}

/* The kernel numbers exit reasons 0.. without gaps, so the table has none. */
static void kvm_exit_table_has_no_holes(void **state)
{
	for (uint32_t i = 0; i < kvm_exit_name_count(); i++)
		if (!kvm_exit_name(i))
			fail_msg("exit %u: wanted a name, got NULL", i);
	(void)state;
}

static void kvm_exit_beyond_table_null(void **state)
{
	assert_null(kvm_exit_name(kvm_exit_name_count()));
	assert_null(kvm_exit_name(kvm_exit_name_count() + 1));
	assert_null(kvm_exit_name(0x10000));
	assert_null(kvm_exit_name(UINT32_MAX));
	(void)state;
}

static void vmx_names(void **state)
{
	assert_string_equal(vmx_exit_name(0), "EXCEPTION_NMI");
	assert_string_equal(vmx_exit_name(2), "TRIPLE_FAULT");
	assert_string_equal(vmx_exit_name(10), "CPUID");
	assert_string_equal(vmx_exit_name(12), "HLT");
	assert_string_equal(vmx_exit_name(18), "VMCALL");
	assert_string_equal(vmx_exit_name(28), "CR_ACCESS");
	assert_string_equal(vmx_exit_name(30), "IO_INSTRUCTION");
	assert_string_equal(vmx_exit_name(31), "MSR_READ");
	assert_string_equal(vmx_exit_name(32), "MSR_WRITE");
	assert_string_equal(vmx_exit_name(33), "INVALID_GUEST_STATE");
	assert_string_equal(vmx_exit_name(48), "EPT_VIOLATION");
	assert_string_equal(vmx_exit_name(49), "EPT_MISCONFIG");
	assert_string_equal(vmx_exit_name(79), "WRMSRLIST");
	assert_string_equal(vmx_exit_name(80), "URDMSR");
	assert_string_equal(vmx_exit_name(85), "MSR_WRITE_IMM");
	assert_null(vmx_exit_name(35)); /* unused in the SDM */
	assert_null(vmx_exit_name(38));
	assert_null(vmx_exit_name(82));
	assert_null(vmx_exit_name(MVM_VMX_EXIT_MAX));
	assert_null(vmx_exit_name(1000));
	assert_null(vmx_exit_name(UINT32_MAX));
	(void)state;
}

static void svm_names(void **state)
{
	assert_string_equal(svm_exit_name(0x72), "CPUID");
	assert_string_equal(svm_exit_name(0x78), "HLT");
	assert_string_equal(svm_exit_name(0x7b), "IOIO");
	assert_string_equal(svm_exit_name(0x7c), "MSR");
	assert_string_equal(svm_exit_name(0x7f), "SHUTDOWN");
	assert_string_equal(svm_exit_name(0x81), "VMMCALL");
	assert_string_equal(svm_exit_name(0x60), "INTR");
	assert_string_equal(svm_exit_name(0x400), "NPF");
	assert_string_equal(svm_exit_name((uint64_t)-1), "INVALID");
	(void)state;
}

static void svm_ranged_names(void **state)
{
	assert_string_equal(svm_exit_name(0x00), "CR0_READ");
	assert_string_equal(svm_exit_name(0x03), "CR3_READ");
	assert_string_equal(svm_exit_name(0x0f), "CR15_READ");
	assert_string_equal(svm_exit_name(0x10), "CR0_WRITE");
	assert_string_equal(svm_exit_name(0x13), "CR3_WRITE");
	assert_string_equal(svm_exit_name(0x27), "DR7_READ");
	assert_string_equal(svm_exit_name(0x37), "DR7_WRITE");
	assert_string_equal(svm_exit_name(0x40), "EXCP0");
	assert_string_equal(svm_exit_name(0x46), "EXCP6");
	assert_string_equal(svm_exit_name(0x4e), "EXCP14");
	assert_string_equal(svm_exit_name(0x5f), "EXCP31");
	assert_string_equal(svm_exit_name(0x93), "CR3_WRITE_TRAP");
	/* A second call gives the same text (the strings are cached). */
	assert_string_equal(svm_exit_name(0x4e), "EXCP14");
	(void)state;
}

static void svm_unknown_null(void **state)
{
	assert_null(svm_exit_name(0xa7));
	assert_null(svm_exit_name(0x3ff));
	assert_null(svm_exit_name(0x404));
	assert_null(svm_exit_name(0x100000000ULL));
	assert_null(svm_exit_name((uint64_t)-3));
	(void)state;
}

static void vector_names(void **state)
{
	assert_string_equal(x86_vector_name(0), "#DE");
	assert_string_equal(x86_vector_name(6), "#UD");
	assert_string_equal(x86_vector_name(8), "#DF");
	assert_string_equal(x86_vector_name(13), "#GP");
	assert_string_equal(x86_vector_name(14), "#PF");
	assert_null(x86_vector_name(15)); /* reserved */
	assert_null(x86_vector_name(32));
	assert_null(x86_vector_name(UINT32_MAX));
	(void)state;
}

static void internal_error_names(void **state)
{
	assert_string_equal(kvm_internal_error_name(KVM_INTERNAL_ERROR_EMULATION), "EMULATION");
	assert_string_equal(kvm_internal_error_name(1), "EMULATION");
	assert_string_equal(kvm_internal_error_name(2), "SIMUL_EX");
	assert_string_equal(kvm_internal_error_name(3), "DELIVERY_EV");
	assert_string_equal(kvm_internal_error_name(4), "UNEXPECTED_EXIT_REASON");
	assert_null(kvm_internal_error_name(0));
	assert_null(kvm_internal_error_name(5));
	(void)state;
}

static void mode_names_round_trip(void **state)
{
	static const char *const want[MVM_MODE_COUNT] = {
		[MVM_MODE_REAL] = "real",	  [MVM_MODE_PROT32] = "prot32",
		[MVM_MODE_PAGING32] = "paging32", [MVM_MODE_PAE] = "pae",
		[MVM_MODE_LONG] = "long",	  [MVM_MODE_LA57] = "la57",
	};

	for (int mode = 0; mode < MVM_MODE_COUNT; mode++) {
		assert_string_equal(mvm_mode_name(mode), want[mode]);
		assert_int_equal(mvm_mode_from_name(want[mode]), mode);
	}
	assert_null(mvm_mode_name(-1));
	assert_null(mvm_mode_name(MVM_MODE_COUNT));
	assert_int_equal(mvm_mode_from_name("bogus"), -1);
	assert_int_equal(mvm_mode_from_name(""), -1);
	assert_int_equal(mvm_mode_from_name("LONG"), -1);
	assert_int_equal(mvm_mode_from_name("long "), -1);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kvm_exit_names_match_kernel),
		cmocka_unit_test(kvm_exit_table_has_every_header_exit),
		cmocka_unit_test(kvm_exit_table_has_no_holes),
		cmocka_unit_test(kvm_exit_beyond_table_null),
		cmocka_unit_test(vmx_names),
		cmocka_unit_test(svm_names),
		cmocka_unit_test(svm_ranged_names),
		cmocka_unit_test(svm_unknown_null),
		cmocka_unit_test(vector_names),
		cmocka_unit_test(internal_error_names),
		cmocka_unit_test(mode_names_round_trip),
	};

	return cmocka_run_group_tests_name("test_names", tests, NULL, NULL);
}
