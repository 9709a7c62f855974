/* SPDX-License-Identifier: MIT */
/* test_host_kvm.c - nested skip advice names only what can help on the host at hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "host_kvm.h"

static void expect_advice(bool vmx, const char *module, const char *nested, const char *has,
			  const char *lacks)
{
	const char *a = host_nested_advice(vmx, module, nested);

	if (!strstr(a, has) || (lacks && strstr(a, lacks)))
		fail_msg("%s %s nested=%s: wanted '%s'%s%s, got '%s'", vmx ? "VMX" : "SVM", module,
			 nested ? nested : "(none)", has, lacks ? " without " : "",
			 lacks ? lacks : "", a);
}

static void own_module_with_nested_off(void **state)
{
	(void)state;
	expect_advice(true, "kvm_intel", "N", "reload kvm_intel with nested=1", NULL);
	expect_advice(true, "kvm_intel", "0", "reload kvm_intel with nested=1", NULL);
	expect_advice(false, "kvm_amd", "0", "reload kvm_amd with nested=1", NULL);
}

static void own_module_with_nested_on(void **state)
{
	(void)state;
	expect_advice(true, "kvm_intel", "Y", "lacks VMX", "reload");
	expect_advice(false, "kvm_amd", "1", "lacks SVM", "reload");
}

/* No parameter of this host can help: none is named as if it could. */
static void other_hosts(void **state)
{
	(void)state;
	expect_advice(true, "kvm_pvm", NULL, "kvm_pvm has no nested mode", "reload");
	expect_advice(false, "kvm_pvm", NULL, "an AMD host", "reload");
	expect_advice(true, "kvm_amd", "1", "an Intel host", "reload");
	expect_advice(false, "kvm_intel", "Y", "an AMD host", "reload");
	expect_advice(true, "none", NULL, "make check-nested", "reload");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(own_module_with_nested_off),
		cmocka_unit_test(own_module_with_nested_on),
		cmocka_unit_test(other_hosts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
