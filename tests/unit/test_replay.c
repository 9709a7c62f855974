/* SPDX-License-Identifier: MIT */
/* test_replay.c - what replay reads from a trace, and the answers it gives the rerun's reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "testutil.h"

#include "replay.h"

#define DIR "build/tests/out"

static const char header[] = "{\"type\":\"trace\",\"version\":1,\"payload\":\"guest_pio.bin\","
			     "\"hash\":\"0x1234\","
			     "\"mode\":\"long\",\"load\":\"0x100000\",\"entry\":\"0x100030\","
			     "\"mem\":\"0x2000000\","
			     "\"backing\":\"anon\",\"dirty\":\"bitmap\"}\n";

static const char body[] =
	"{\"seq\":1,\"vcpu\":0,\"type\":\"exit\",\"exit\":\"IO\",\"rip\":\"0x1\",\"dir\":\"out\","
	"\"port\":\"0x500\",\"size\":4,\"count\":1,\"data\":\"0x8ffc0\",\"dev\":\"calls\"}\n"
	"{\"seq\":2,\"vcpu\":0,\"type\":\"exit\",\"exit\":\"IO\",\"rip\":\"0x2\",\"dir\":\"in\","
	"\"port\":\"0xe08\",\"size\":4,\"count\":1,\"data\":\"0xdeadbe11\",\"dev\":\"testdev\"}\n"
	"{\"seq\":3,\"vcpu\":0,\"type\":\"exit\",\"exit\":\"IO\",\"rip\":\"0x3\",\"dir\":\"in\","
	"\"port\":\"0xe00\",\"size\":1,\"count\":4,\"bytes\":\"4d4d4d4e\",\"dev\":\"testdev\"}\n"
	"{\"seq\":4,\"vcpu\":0,\"type\":\"exit\",\"exit\":\"MMIO\",\"rip\":\"0x4\",\"dir\":"
	"\"read\","
	"\"gpa\":\"0xd0000000\",\"len\":8,\"data\":\"0x31564544544d564d\",\"dev\":\"testdev\"}\n"
	"{\"type\":\"end\",\"reason\":\"exit\",\"verdict\":\"pass\",\"status\":0,\"exits\":4}\n";

static void write_trace(const char *path, const char *head)
{
	char buf[4096];

	mkdir("build", 0755);
	mkdir("build/tests", 0755);
	mkdir(DIR, 0755);
	snprintf(buf, sizeof(buf), "%s%s", head, body);
	spit(path, buf, strlen(buf));
}

static void reads_the_header_and_the_reads(void **state)
{
	struct errbuf err = { "" };
	struct replay rp;

	(void)state;
	write_trace(DIR "/replay-unit.jsonl", header);
	if (!replay_load(&rp, DIR "/replay-unit.jsonl", &err))
		fail_msg("replay_load: %s", err.msg);
	assert_string_equal(rp.payload, "guest_pio.bin");
	assert_int_equal(rp.hash, 0x1234);
	assert_string_equal(rp.mode, "long");
	assert_string_equal(rp.irqchip, "none");
	assert_int_equal(rp.load, 0x100000);
	assert_int_equal(rp.mem, 0x2000000);
	assert_int_equal(rp.exits, 4);
	assert_int_equal(rp.nans, 3); /* the OUT is not a read */
	replay_free(&rp);
}

static void answers_by_seq_and_address(void **state)
{
	static const uint8_t mmio[] = { 0x4d, 0x56, 0x4d, 0x54, 0x44, 0x45, 0x56, 0x31 };
	struct errbuf err = { "" };
	struct replay rp;
	uint8_t d[8] = { 0 };

	(void)state;
	write_trace(DIR "/replay-unit.jsonl", header);
	assert_true(replay_load(&rp, DIR "/replay-unit.jsonl", &err));
	assert_true(replay_answer(&rp, 2, 0xe08, d, 4, 1));
	assert_memory_equal(d, "\x11\xbe\xad\xde", 4);
	assert_true(replay_answer(&rp, 3, 0xe00, d, 1, 4));
	assert_memory_equal(d, "MMMN", 4);
	assert_true(replay_answer(&rp, 4, 0xd0000000, d, 8, 1));
	assert_memory_equal(d, mmio, 8);
	/* Another exit, port or size: not the recorded read, data untouched. */
	memset(d, 0xaa, sizeof(d));
	assert_false(replay_answer(&rp, 1, 0x500, d, 4, 1));
	assert_false(replay_answer(&rp, 2, 0xe0c, d, 4, 1));
	assert_false(replay_answer(&rp, 2, 0xe08, d, 2, 1));
	assert_false(replay_answer(&rp, 9, 0xe08, d, 4, 1));
	assert_int_equal(d[0], 0xaa);
	assert_int_equal(rp.answered, 3);
	assert_int_equal(rp.mismatched, 4);
	replay_free(&rp);
}

static void refuses_what_it_cannot_replay(void **state)
{
	static const struct {
		const char *head, *needle;
	} bad[] = {
		{ "{\"type\":\"trace\",\"version\":1,\"payload\":\"a.bin\",\"mode\":\"long\","
		  "\"load\":\"0x0\",\"entry\":\"0x0\",\"mem\":\"0x0\",\"backing\":\"anon\","
		  "\"dirty\":\"bitmap\"}\n",
		  "line 1: the header has no payload hash" },
		{ "{\"type\":\"trace\",\"version\":1,\"payload\":\"a.bin\",\"hash\":\"0x1\","
		  "\"mode\":\"long\",\"load\":\"0x0\",\"entry\":\"0x0\",\"mem\":\"0x0\","
		  "\"backing\":\"anon\",\"dirty\":\"bitmap\",\"vcpus\":2}\n",
		  "a trace of 2 vCPUs" },
		{ "{\"type\":\"slot\",\"id\":0}\n", "line 1: the first record is not the trace "
						    "header" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct errbuf err = { "" };
		struct replay rp;

		write_trace(DIR "/replay-bad.jsonl", bad[i].head);
		if (replay_load(&rp, DIR "/replay-bad.jsonl", &err))
			fail_msg("wanted '%s', got a trace to replay", bad[i].needle);
		if (!strstr(err.msg, bad[i].needle) || !strstr(err.msg, DIR "/replay-bad.jsonl: "))
			fail_msg("wanted '%s', got '%s'", bad[i].needle, err.msg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_the_header_and_the_reads),
		cmocka_unit_test(answers_by_seq_and_address),
		cmocka_unit_test(refuses_what_it_cannot_replay),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
