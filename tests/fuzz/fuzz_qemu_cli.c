/* SPDX-License-Identifier: MIT */
/*
 * fuzz_qemu_cli.c - qemu_parse() (qemu_cli.h), QEMU's command line as
 * kvm-unit-tests passes it, and cli_parse_run() on the `minivmm run`
 * words it makes, as main.c's cmd_qemu does.
 *
 * Input: a byte that says which of MINIVMM_ARGS, MINIVMM_TRACE_DIR and
 * TESTNAME are set, then NUL-separated words: those set first, then
 * QEMU's arguments after argv[0] (at most 64 in all), each word in its
 * own exact-size allocation. A refusal must say why in err, with no
 * control character the input did not have (mvm_err() escapes it); a run
 * must be a NULL-terminated "run KERNEL ..." vector within its bounds.
 */
#include "cli.h"
#include "fuzz.h"
#include "qemu_cli.h"

#define WORDS_MAX 64

/* The run vector, then `minivmm run`'s parse of it. */
static void check_run(struct qemu_cmd *q, const uint8_t *data, size_t size)
{
	struct errbuf err = { "" };
	struct cli_run c;

	FUZZ_CHECK(q->kernel && q->argc >= 2 && q->argc <= QEMU_RUN_ARGS_MAX, "argc %d", q->argc);
	FUZZ_CHECK(!strcmp(q->argv[0], "run") && q->argv[1] == q->kernel && !q->argv[q->argc],
		   "argv is not run KERNEL ... NULL");
	FUZZ_CHECK(q->nstore >= 0 && q->nstore <= QEMU_RUN_ARGS_MAX, "nstore %d", q->nstore);
	for (int i = 0; i < q->argc; i++)
		FUZZ_CHECK(q->argv[i], "argv[%d] is NULL", i);
	for (int i = 0; i < q->nstore; i++)
		FUZZ_CHECK(memchr(q->store[i], 0, sizeof(q->store[i])), "store[%d] not terminated",
			   i);
	if (!cli_parse_run(q->argc, q->argv, &c, &err))
		fuzz_check_message(err.msg, sizeof(err.msg), data, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *words[WORDS_MAX], *argv[WORDS_MAX + 2];
	const char *env[3] = { NULL, NULL, NULL };
	struct errbuf err = { "" };
	struct qemu_cmd *q;
	int n, w = 0, argc = 1;

	if (!size)
		return 0;
	n = fuzz_split_words(data + 1, size - 1, words, WORDS_MAX);
	for (int i = 0; i < 3; i++)
		if (data[0] & (1 << i) && w < n)
			env[i] = words[w++];
	argv[0] = "qemu";
	while (w < n)
		argv[argc++] = words[w++];
	argv[argc] = NULL;
	q = malloc(sizeof(*q));
	if (!q)
		abort();
	if (!qemu_parse(argc, argv, env[0], env[1], env[2], q, &err))
		fuzz_check_message(err.msg, sizeof(err.msg), data, size);
	else if (q->action == QEMU_RUN)
		check_run(q, data, size);
	else
		FUZZ_CHECK(q->action == QEMU_HELP || q->action == QEMU_VERSION ||
				   q->action == QEMU_DEVICE_LIST,
			   "action %d", q->action);
	free(q);
	fuzz_free_words(words, n);
	return 0;
}
