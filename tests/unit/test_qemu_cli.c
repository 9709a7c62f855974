/* SPDX-License-Identifier: MIT */
/* test_qemu_cli.c - `minivmm qemu`: KUT's QEMU command lines read into `minivmm run` arguments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "qemu_cli.h"

/* The run arguments joined by spaces. */
static const char *joined(const struct qemu_cmd *q)
{
	static char buf[2048];
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < q->argc; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", i ? " " : "", q->argv[i]);
	return buf;
}

static bool parse(const char *const *args, struct qemu_cmd *q, struct errbuf *err)
{
	char *argv[64];
	int argc = 0;

	while (args[argc]) {
		argv[argc] = (char *)args[argc];
		argc++;
	}
	argv[argc] = NULL;
	return qemu_parse(argc, argv, NULL, NULL, NULL, q, err);
}

/* What KUT's x86/run builds for vmexit_ipi (scripts/arch-run.bash, x86/run). */
static void kut_command_line(void **state)
{
	static const char *const args[] = {
		"minivmm-qemu", "--no-reboot", "-nodefaults", "-global",
		"kvm-pit.lost_tick_policy=discard", "-device", "pc-testdev", "-device",
		"isa-debug-exit,iobase=0xf4,iosize=0x4", "-display", "none", "-serial", "stdio",
		"-machine", "accel=kvm", "-kernel", "x86/vmexit.flat", "-smp", "2", "-append",
		"ipi", "-machine", "pit=off", "-initrd", "/tmp/env", NULL
	};
	struct errbuf err = { "" };
	struct qemu_cmd q;

	(void)state;
	assert_true(parse(args, &q, &err));
	assert_int_equal(q.action, QEMU_RUN);
	assert_string_equal(joined(&q), "run x86/vmexit.flat --vcpus 2 --append ipi --no-pit "
					"--initrd /tmp/env --machine pc --cpu qemu64 --trace "
					"/dev/null");
}

static void options(void **state)
{
	static const char *const args[] = { "qemu",  "-kernel", "k.flat", "-device", "pc-testdev",
					    "-m",    "256",	"-smp",	  "cores=2,threads=2",
					    "-cpu",  "max,migratable=no,+vmx,host-phys-bits",
					    "-M",    "pc,accel=kvm", "-enable-kvm", NULL };
	static const char *const mem_g[] = { "qemu", "-kernel", "k", "-device", "isa-debug-exit",
					     "-m", "size=2G,slots=4,maxmem=8G", "-smp", "3,maxcpus=8",
					     "-cpu", "qemu64,+x2apic,-pcid,vendor=GenuineIntel", NULL };
	struct errbuf err = { "" };
	struct qemu_cmd q;

	(void)state;
	assert_true(parse(args, &q, &err));
	assert_string_equal(joined(&q), "run k.flat --mem 256M --vcpus 4 --cpu host,+vmx "
					"--machine pc --trace /dev/null");
	assert_true(parse(mem_g, &q, &err));
	assert_string_equal(joined(&q), "run k --mem 2G --vcpus 3 --cpu "
					"qemu64,+x2apic,-pcid,vendor=GenuineIntel --machine pc "
					"--trace /dev/null");
}

static void environment(void **state)
{
	char *argv[] = { "qemu", "-kernel", "x86/msr.flat", "-device", "pc-testdev", NULL };
	struct errbuf err = { "" };
	struct qemu_cmd q;

	(void)state;
	assert_true(qemu_parse(5, argv, " --stats  --ktrace ", "/tmp/tr", "msr_test", &q, &err));
	assert_string_equal(joined(&q), "run x86/msr.flat --machine pc --cpu qemu64 --trace "
					"/tmp/tr/msr_test.jsonl --format jsonl --stats --ktrace");
	assert_true(qemu_parse(5, argv, NULL, "/tmp/tr", NULL, &q, &err));
	assert_non_null(strstr(joined(&q), "--trace /tmp/tr/msr.flat.jsonl"));
}

static void actions(void **state)
{
	static const char *const help[] = { "qemu", "-device", "pc-testdev", "--help", NULL };
	static const char *const list[] = { "qemu", "-device", "?", NULL };
	static const char *const list2[] = { "qemu", "-device", "help", NULL };
	static const char *const version[] = { "qemu", "-version", NULL };
	struct errbuf err = { "" };
	struct qemu_cmd q;

	(void)state;
	assert_true(parse(help, &q, &err));
	assert_int_equal(q.action, QEMU_HELP);
	assert_true(parse(list, &q, &err));
	assert_int_equal(q.action, QEMU_DEVICE_LIST);
	assert_true(parse(list2, &q, &err));
	assert_int_equal(q.action, QEMU_DEVICE_LIST);
	assert_true(parse(version, &q, &err));
	assert_int_equal(q.action, QEMU_VERSION);
}

/* Every refusal is one line naming what was refused. */
static void refusals(void **state)
{
	static const struct {
		const char *args[8];
		const char *says;
	} cases[] = {
		{ { "q", "-kernel", "k", "-device", "pc-testdev", "-hda", "x" }, "'-hda'" },
		{ { "q", "-kernel", "k", "-device", "pci-testdev" }, "-device pci-testdev" },
		{ { "q", "-kernel", "k", "-device", "isa-debug-exit,iobase=0x501" }, "iobase=0x501" },
		{ { "q", "-kernel", "k", "-device", "pc-testdev", "-cpu", "Skylake-Server" },
		  "'Skylake-Server'" },
		{ { "q", "-kernel", "k", "-device", "pc-testdev", "-cpu", "host,hv_passthrough" },
		  "Hyper-V" },
		{ { "q", "-kernel", "k", "-device", "pc-testdev", "-machine", "q35" }, "'q35'" },
		/* Shorter than "pc": once read past the argument (libFuzzer, ASan). */
		{ { "q", "-kernel", "k", "-device", "pc-testdev", "-machine", "type=" }, "type=" },
		{ { "q", "-kernel", "k", "-device", "pc-testdev", "-machine", "type=p" }, "type=p" },
		{ { "q", "-kernel", "k", "-device", "pc-testdev", "-accel", "tcg" }, "KVM only" },
		{ { "q", "-kernel", "k", "-device", "pc-testdev", "-m", "12X" }, "'12X'" },
		{ { "q", "-kernel", "k", "-device", "pc-testdev", "-smp", "0" }, "-smp" },
		{ { "q", "-kernel", "k", "-device", "pc-testdev", "-serial", "file:x" }, "file:x" },
		{ { "q", "-kernel", "k", "-device", "pc-testdev", "-global", "a.b=c" }, "a.b=c" },
		{ { "q", "-kernel", "k", "-device", "pc-testdev", "-append" }, "needs a value" },
		{ { "q", "-kernel", "k" }, "pc-testdev" },
		{ { "q", "-device", "pc-testdev" }, "no -kernel" },
		{ { "q", "-kernel", "k", "-device", "pc-testdev", "disk.img" }, "'disk.img'" },
	};
	struct errbuf err = { "" };
	struct qemu_cmd q;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err.msg[0] = '\0';
		assert_false(parse(cases[i].args, &q, &err));
		if (!strstr(err.msg, cases[i].says))
			fail_msg("case %zu: '%s' does not say %s", i, err.msg, cases[i].says);
		assert_null(strchr(err.msg, '\n'));
	}
}

static void debug_exit_status(void **state)
{
	(void)state;
	assert_int_equal(qemu_debug_exit_status(0), 1);
	assert_int_equal(qemu_debug_exit_status(1), 3);
	assert_int_equal(qemu_debug_exit_status(38), 77);
	assert_int_equal(qemu_debug_exit_status(0x7f), 0xff);
	assert_int_equal(qemu_debug_exit_status(0x80), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kut_command_line), cmocka_unit_test(options),
		cmocka_unit_test(environment),	    cmocka_unit_test(actions),
		cmocka_unit_test(refusals),	    cmocka_unit_test(debug_exit_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
