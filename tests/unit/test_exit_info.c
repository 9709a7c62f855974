/* SPDX-License-Identifier: MIT */
/*
 * test_exit_info.c - explain's tables are complete: every VMX reason, SVM
 * code and KVM exit the headers define has text, under the name traces print.
 */
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"
#include "exit_info.h"
#include "names.h"

#define KVM_H "/usr/include/linux/kvm.h"
/* Debian's multiarch place for the x86 uapi headers, else the plain one. */
static const char *const vmx_h[] = { "/usr/include/x86_64-linux-gnu/asm/vmx.h", "/usr/include/asm/"
										"vmx.h" };
static const char *const svm_h[] = { "/usr/include/x86_64-linux-gnu/asm/svm.h", "/usr/include/asm/"
										"svm.h" };

static FILE *open_first(const char *const *paths, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		FILE *f = fopen(paths[i], "r");

		if (f)
			return f;
	}
	fail_msg("none of the %zu header paths, from %s on, can be read", n, paths[0]);
	return NULL;
}

struct macro {
	char name[64];
	long long value;
};

/*
 * The "#define PREFIXNAME VALUE" lines of f whose VALUE is a number (decimal,
 * 0x hex or negative), outside every brace: <linux/kvm.h> defines its
 * KVM_EXIT_IO_IN and KVM_EXIT_HYPERV_SYNIC inside structs, and those are
 * not exit reasons. Returns how many; the names lose the prefix.
 */
static size_t read_macros(FILE *f, const char *prefix, struct macro *out, size_t cap)
{
	char line[512];
	size_t n = 0, plen = strlen(prefix);
	int depth = 0;

	while (fgets(line, sizeof(line), f)) {
		char name[64], value[64], *end;
		long long v;

		if (depth == 0 && sscanf(line, " #define %63s %63s", name, value) == 2 &&
		    !strncmp(name, prefix, plen) && !strchr(name, '(')) {
			v = strtoll(value, &end, 0);
			if (*end == '\0' && end != value) {
				assert_true(n < cap);
				snprintf(out[n].name, sizeof(out[n].name), "%s", name + plen);
				out[n++].value = v;
			}
		}
		for (const char *p = line; *p && !strstr(line, "#define"); p++)
			depth += *p == '{' ? 1 : *p == '}' ? -1 : 0;
	}
	fclose(f);
	return n;
}

/* The checks every non-reserved entry passes. */
static void check_text(const struct exit_info *e)
{
	const struct exit_text *t = e->text;
	const char *fam = exit_family_name(e->family);

	if (!t->summary || !*t->summary || strlen(t->summary) > EXIT_SUMMARY_MAX ||
	    strchr(t->summary, '\n'))
		fail_msg("%s %s (0x%llx): wanted a one-line summary of at most %d bytes, got '%s'",
			 fam, e->name, (unsigned long long)e->code, EXIT_SUMMARY_MAX,
			 t->summary ? t->summary : "NULL");
	if (!t->cause || strlen(t->cause) < 16 || !t->fields || !*t->fields || !t->handler ||
	    !*t->handler)
		fail_msg("%s %s (0x%llx): wanted a cause, fields and a handler, got %s/%s/%s", fam,
			 e->name, (unsigned long long)e->code, t->cause ? "cause" : "NULL",
			 t->fields ? "fields" : "NULL", t->handler ? "handler" : "NULL");
}

static void vmx_every_reason_has_text_or_is_reserved(void **state)
{
	size_t named = 0, reserved = 0;

	(void)state;
	for (uint32_t r = 0; r < MVM_VMX_EXIT_MAX; r++) {
		struct exit_info e;

		if (!exit_info_get(EXIT_VMX, r, &e))
			fail_msg("VMX reason %u: wanted an entry (text, or reserved), got none", r);
		if (e.reserved) {
			if (vmx_exit_name(r))
				fail_msg("VMX reason %u: reserved, but traces name it %s", r,
					 vmx_exit_name(r));
			reserved++;
			continue;
		}
		assert_string_equal(e.name, vmx_exit_name(r));
		check_text(&e);
		named++;
	}
	/* Nothing past the table has a name without text. */
	for (uint32_t r = MVM_VMX_EXIT_MAX; r <= 0xffff; r++)
		if (vmx_exit_name(r))
			fail_msg("VMX reason %u is named %s but beyond the text table", r,
				 vmx_exit_name(r));
	assert_false(exit_info_get(EXIT_VMX, MVM_VMX_EXIT_MAX, &(struct exit_info){ 0 }));
	print_message("VMX: %zu reasons with text, %zu reserved\n", named, reserved);
}

/* Every EXIT_REASON_* the installed uapi header defines is below the table's end, with text. */
static void vmx_every_header_reason(void **state)
{
	struct macro m[128];
	size_t n = read_macros(open_first(vmx_h, 2), "EXIT_REASON_", m, 128);

	(void)state;
	assert_true(n > 50);
	for (size_t i = 0; i < n; i++) {
		struct exit_info e;

		if (m[i].value < 0 || !exit_info_get(EXIT_VMX, (uint64_t)m[i].value, &e) ||
		    e.reserved)
			fail_msg("EXIT_REASON_%s (%lld): wanted an entry with text, got none",
				 m[i].name, m[i].value);
	}
}

/* Every KVM_EXIT_* of the installed <linux/kvm.h>, read now: a new kernel header with a
 * reason the table lacks fails here. */
static void kvm_every_header_exit(void **state)
{
	FILE *f = fopen(KVM_H, "r");
	struct macro m[128];
	size_t n;

	(void)state;
	if (!f)
		fail_msg("cannot read %s", KVM_H);
	n = read_macros(f, "KVM_EXIT_", m, 128);
	assert_true(n >= 38); /* 0..37 in linux-libc-dev 6.1 */
	for (size_t i = 0; i < n; i++) {
		struct exit_info e;

		if (!exit_info_get(EXIT_KVM, (uint64_t)m[i].value, &e))
			fail_msg("KVM_EXIT_%s (%lld): wanted an entry, got none", m[i].name,
				 m[i].value);
		if (strcmp(e.name, m[i].name))
			fail_msg("KVM_EXIT_%s (%lld): wanted the name %s, got %s", m[i].name,
				 m[i].value, m[i].name, e.name);
		check_text(&e);
	}
	for (uint32_t r = 0; r < kvm_exit_name_count(); r++) {
		struct exit_info e;

		if (!exit_info_get(EXIT_KVM, r, &e))
			fail_msg("KVM exit %u (%s): wanted an entry, got none", r,
				 kvm_exit_name(r));
		check_text(&e);
	}
	print_message("KVM: %u exits with text; %s defines %zu\n", kvm_exit_name_count(), KVM_H, n);
}

/* An SVM code has text exactly when it has a name, every row covers named codes only. */
static void svm_names_and_text_agree(void **state)
{
	static const uint64_t high[] = { (uint64_t)-1, (uint64_t)-2, (uint64_t)-3, 1ULL << 32,
					 0xf0000000 };
	uint64_t codes[512];
	size_t n;

	(void)state;
	for (uint64_t c = 0; c <= 0xffff; c++) {
		struct exit_info e;
		bool has = exit_info_get(EXIT_SVM, c, &e);

		if (has != (svm_exit_name(c) != NULL))
			fail_msg("SVM code 0x%llx: name %s, text %s", (unsigned long long)c,
				 svm_exit_name(c) ? svm_exit_name(c) : "NULL", has ? "yes" : "no");
		if (!has)
			continue;
		check_text(&e);
		/* The range this code's row claims: each of its codes is named. */
		for (uint64_t k = e.first; k <= e.last; k++)
			if (!svm_exit_name(k))
				fail_msg("SVM row 0x%llx-0x%llx claims 0x%llx, which has no name",
					 (unsigned long long)e.first, (unsigned long long)e.last,
					 (unsigned long long)k);
	}
	for (size_t i = 0; i < sizeof(high) / sizeof(high[0]); i++) {
		struct exit_info e;
		bool has = exit_info_get(EXIT_SVM, high[i], &e);

		assert_int_equal(has, svm_exit_name(high[i]) != NULL);
	}
	n = exit_codes(EXIT_SVM, codes, 512);
	assert_true(n < 512);
	print_message("SVM: %zu codes with text\n", n);
}

/* Every SVM_EXIT_* of the installed <asm/svm.h> has text. */
static void svm_every_header_code(void **state)
{
	struct macro m[160];
	size_t n = read_macros(open_first(svm_h, 2), "SVM_EXIT_", m, 160);

	(void)state;
	assert_true(n > 80);
	for (size_t i = 0; i < n; i++) {
		struct exit_info e;

		/* KVM's own software exit, not an APM code. */
		if (!strcmp(m[i].name, "SW"))
			continue;
		if (!exit_info_get(EXIT_SVM, (uint64_t)m[i].value, &e))
			fail_msg("SVM_EXIT_%s (0x%llx): wanted an entry, got none", m[i].name,
				 (unsigned long long)m[i].value);
	}
}

/* The codes by name, in any case, with the headers' prefixes. */
static void names_back_to_codes(void **state)
{
	uint64_t c;

	(void)state;
	assert_true(exit_code_from_name(EXIT_VMX, "EPT_VIOLATION", &c));
	assert_int_equal(c, 48);
	assert_true(exit_code_from_name(EXIT_VMX, "exit_reason_ept_violation", &c));
	assert_int_equal(c, 48);
	assert_true(exit_code_from_name(EXIT_SVM, "npf", &c));
	assert_int_equal(c, 0x400);
	assert_true(exit_code_from_name(EXIT_SVM, "VMEXIT_INVALID", &c));
	assert_int_equal(c, (uint64_t)-1);
	assert_true(exit_code_from_name(EXIT_SVM, "SVM_EXIT_EXCP14", &c));
	assert_int_equal(c, 0x4e);
	assert_true(exit_code_from_name(EXIT_KVM, "KVM_EXIT_MMIO", &c));
	assert_int_equal(c, 6);
	assert_false(exit_code_from_name(EXIT_VMX, "EPT_VIOLATON", &c));
	assert_false(exit_code_from_name(EXIT_VMX, "EXIT_REASON_", &c));
	assert_string_equal(exit_summary_kvm_name("MMIO"), exit_summary(EXIT_KVM, 6));
	assert_null(exit_summary_kvm_name("UNNAMED"));
	assert_null(exit_summary(EXIT_VMX, 35));
}

/* A payload an entry names exists, and its options are run's. */
static void payloads_exist(void **state)
{
	(void)state;
	for (int f = 0; f < EXIT_FAMILIES; f++) {
		uint64_t codes[512];
		size_t n = exit_codes((enum exit_family)f, codes, 512);

		for (size_t i = 0; i < n; i++) {
			struct exit_info e;
			char line[256], src[128], *argv[16];
			struct errbuf err = { "" };
			struct cli_run c;
			int argc = 0;

			assert_true(exit_info_get((enum exit_family)f, codes[i], &e));
			if (!e.text->payload)
				continue;
			snprintf(line, sizeof(line), "run tests/%s", e.text->payload);
			for (char *t = strtok(line, " "); t && argc < 15; t = strtok(NULL, " "))
				argv[argc++] = t;
			argv[argc] = NULL;
			if (!cli_parse_run(argc, argv, &c, &err))
				fail_msg("%s %s: payload '%s': %s", exit_family_name(e.family),
					 e.name, e.text->payload, err.msg);
			/* tests/guest_x.bin is built from tests/payloads/guest_x.c (or a
			 * shared source the build table names). */
			snprintf(src, sizeof(src), "%.*s", (int)(strlen(c.payload) - 10),
				 c.payload + 6);
			{
				char path[192];
				FILE *p;

				snprintf(path, sizeof(path), "tests/payloads/%s.c", src);
				p = fopen(path, "r");
				if (!p)
					fail_msg("%s %s: payload %s has no source %s",
						 exit_family_name(e.family), e.name, c.payload,
						 path);
				fclose(p);
			}
		}
	}
}

/* One l2_exit or summary line of a golden trace: its names are explain's. */
static void golden_line(const char *path, const char *line)
{
	char isa[8], name[64];
	unsigned long long reason;
	const char *p;
	uint64_t code;
	enum exit_family f;

	if ((p = strstr(line, " l2_exit ")) &&
	    sscanf(strstr(p, "isa="), "isa=%7s reason=%llx name=%63s", isa, &reason, name) == 3) {
		assert_true(exit_family_from_name(isa, &f));
		if (f == EXIT_VMX)
			reason &= 0xffff;
		if (!exit_code_from_name(f, name, &code) || code != reason ||
		    !exit_summary(f, code))
			fail_msg("%s: l2_exit %s %s (0x%llx) has no entry of that code", path, isa,
				 name, reason);
	}
	if (sscanf(line, "summary exit=%63s", name) == 1 && !exit_summary_kvm_name(name))
		fail_msg("%s: exit %s has no KVM entry", path, name);
}

/* The names the recorder printed into the golden traces all have text. */
static void golden_names_have_text(void **state)
{
	glob_t g;
	size_t lines = 0;

	(void)state;
	assert_int_equal(glob("tests/golden/*.trace", 0, NULL, &g), 0);
	assert_int_equal(glob("tests/golden/nested/*.trace", GLOB_APPEND, NULL, &g), 0);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		FILE *f = fopen(g.gl_pathv[i], "r");
		char line[4096];

		assert_non_null(f);
		while (fgets(line, sizeof(line), f)) {
			golden_line(g.gl_pathv[i], line);
			lines++;
		}
		fclose(f);
	}
	assert_true(lines > 1000);
	globfree(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vmx_every_reason_has_text_or_is_reserved),
		cmocka_unit_test(vmx_every_header_reason),
		cmocka_unit_test(kvm_every_header_exit),
		cmocka_unit_test(svm_names_and_text_agree),
		cmocka_unit_test(svm_every_header_code),
		cmocka_unit_test(names_back_to_codes),
		cmocka_unit_test(payloads_exist),
		cmocka_unit_test(golden_names_have_text),
	};

	return cmocka_run_group_tests_name("test_exit_info", tests, NULL, NULL);
}
