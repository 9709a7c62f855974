/* SPDX-License-Identifier: MIT */
/* test_explain.c - minivmm explain's words, its wrapping at 80 columns, and its entries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "explain.h"

/* Parses the words of "explain w1 w2": true, or false with err. */
static bool parse(struct explain_req *r, struct errbuf *err, const char *w1, const char *w2)
{
	char *argv[4] = { "explain", (char *)w1, (char *)w2, NULL };
	int argc = w1 ? (w2 ? 3 : 2) : 1;

	err->msg[0] = '\0';
	return explain_parse(argc, argv, r, err);
}

static void entry(const char *w1, const char *w2, enum exit_family fam, uint64_t code)
{
	struct explain_req r;
	struct errbuf err;

	if (!parse(&r, &err, w1, w2) || r.what != EXPLAIN_ENTRY || r.family != fam ||
	    r.code != code)
		fail_msg("explain %s %s: wanted %s 0x%llx, got what=%d %s 0x%llx (%s)", w1,
			 w2 ? w2 : "", exit_family_name(fam), (unsigned long long)code, r.what,
			 exit_family_name(r.family), (unsigned long long)r.code, err.msg);
}

/* A refused input: one line that names the families and contains want. */
static void refused(const char *w1, const char *w2, const char *want)
{
	struct explain_req r;
	struct errbuf err;

	if (parse(&r, &err, w1, w2) || !strstr(err.msg, want) || strchr(err.msg, '\n') ||
	    !strstr(err.msg, "vmx") || !strstr(err.msg, "svm") || !strstr(err.msg, "kvm"))
		fail_msg("explain %s %s: wanted a refusal with '%s', got '%s'", w1, w2 ? w2 : "",
			 want, err.msg);
}

static void codes_and_names(void **state)
{
	(void)state;
	entry("vmx", "48", EXIT_VMX, 48);
	entry("VMX", "0x30", EXIT_VMX, 48);
	entry("vmx", "EPT_VIOLATION", EXIT_VMX, 48);
	entry("vmx", "ept_violation", EXIT_VMX, 48);
	entry("vmx", "EXIT_REASON_EPT_VIOLATION", EXIT_VMX, 48);
	entry("vmx", "0x80000021", EXIT_VMX, 33); /* an l2_exit's failed entry */
	entry("vmx", "35", EXIT_VMX, 35);	  /* reserved, but an entry */
	entry("svm", "0x7b", EXIT_SVM, 0x7b);
	entry("svm", "123", EXIT_SVM, 0x7b);
	entry("svm", "NPF", EXIT_SVM, 0x400);
	entry("svm", "-1", EXIT_SVM, (uint64_t)-1);
	entry("svm", "0xffffffffffffffff", EXIT_SVM, (uint64_t)-1);
	entry("svm", "cr3_write", EXIT_SVM, 0x13);
	entry("kvm", "MMIO", EXIT_KVM, 6);
	entry("kvm", "6", EXIT_KVM, 6);
	entry("kvm", "KVM_EXIT_MMIO", EXIT_KVM, 6);
}

static void topics_and_lone_names(void **state)
{
	(void)state;
	entry("ept-violation", NULL, EXIT_VMX, 48);
	entry("EPT_VIOLATION", NULL, EXIT_VMX, 48); /* a name only vmx has */
	entry("npf", NULL, EXIT_SVM, 0x400);
	entry("mmio", NULL, EXIT_KVM, 6);
	entry("Dirty_Ring_Full", NULL, EXIT_KVM, 31);
	entry("vmexit-invalid", NULL, EXIT_SVM, (uint64_t)-1);
}

static void help_and_lists(void **state)
{
	struct explain_req r;
	struct errbuf err;

	(void)state;
	assert_true(parse(&r, &err, NULL, NULL));
	assert_int_equal(r.what, EXPLAIN_HELP);
	assert_true(parse(&r, &err, "--help", NULL));
	assert_int_equal(r.what, EXPLAIN_HELP);
	assert_true(parse(&r, &err, "vmx", "-h"));
	assert_int_equal(r.what, EXPLAIN_HELP);
	assert_true(parse(&r, &err, "svm", NULL));
	assert_int_equal(r.what, EXPLAIN_LIST);
	assert_int_equal(r.family, EXIT_SVM);
}

static void refusals(void **state)
{
	(void)state;
	refused("vmx", "EPT_VIOLATON", "did you mean EPT_VIOLATION?");
	refused("vxm", "48", "did you mean vmx?");
	refused("ept-violaton", NULL, "did you mean ept-violation?");
	refused("frobnicate", NULL, "no exit or topic is called 'frobnicate'");
	refused("vmx", "200", "vmx has no exit 200");
	refused("kvm", "42", "kvm has no exit 42");
	refused("svm", "0xa7", "svm has no exit 0xa7");
	refused("svm", "-3", "svm has no exit");
	refused("--bogus", NULL, "unknown option --bogus");
	refused("HLT", NULL, "HLT is an exit of vmx, svm and kvm");
	refused("vmx", "NPF", "NPF is not a vmx exit but svm's");
}

/* Every line an entry prints fits in 80 columns, whatever its family. */
static void entries_fit_80_columns(void **state)
{
	(void)state;
	for (int f = 0; f < EXIT_FAMILIES; f++) {
		uint64_t codes[512];
		size_t n = exit_codes((enum exit_family)f, codes, 512);

		for (size_t i = 0; i < n; i++) {
			struct exit_info e;
			char *buf = NULL, *line;
			size_t len = 0;
			FILE *m = open_memstream(&buf, &len);

			assert_true(exit_info_get((enum exit_family)f, codes[i], &e));
			explain_entry(m, &e);
			fclose(m);
			assert_non_null(strstr(buf, e.reserved ? "reserved" : e.name));
			for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
				if (strlen(line) > EXPLAIN_WIDTH)
					fail_msg("%s 0x%llx: a line of %zu columns: %s",
						 exit_family_name(e.family),
						 (unsigned long long)e.code, strlen(line), line);
			free(buf);
		}
	}
}

static void wrapping(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	(void)state;
	explain_wrap(m, "aaaa bbbb cccc\n- dddd eeee ffff", 2, 12);
	fclose(m);
	assert_string_equal(buf, "  aaaa bbbb\n  cccc\n  - dddd\n    eeee\n    ffff\n");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(codes_and_names),	  cmocka_unit_test(topics_and_lone_names),
		cmocka_unit_test(help_and_lists),	  cmocka_unit_test(refusals),
		cmocka_unit_test(entries_fit_80_columns), cmocka_unit_test(wrapping),
	};

	return cmocka_run_group_tests_name("test_explain", tests, NULL, NULL);
}
