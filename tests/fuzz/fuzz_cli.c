/* SPDX-License-Identifier: MIT */
/*
 * fuzz_cli.c - cli_parse_run() (cli.h), the command line of `minivmm run`,
 * and cpu_model_parse() behind --cpu.
 *
 * The input is split on NUL bytes into the words after "run" (at most
 * 64), each in its own exact-size allocation, as main.c passes argv. A
 * refusal must say why in err; mvm_err() prints it escaped, so a control
 * character in it is only allowed if the user typed it. What is accepted
 * must hold only values the run can use: the payload one of the words,
 * each option in the range its help text gives.
 */
#include "cli.h"
#include "dirty.h"
#include "fuzz.h"
#include "minivmm_abi.h"

#define WORDS_MAX 64

static void check_cpu(const struct cpu_model *m)
{
	FUZZ_CHECK(m->base == CPU_HOST || m->base == CPU_QEMU64, "cpu base %d", m->base);
	FUZZ_CHECK(memchr(m->vendor, 0, sizeof(m->vendor)) && memchr(m->spec, 0, sizeof(m->spec)),
		   "cpu vendor or spec not terminated");
	FUZZ_CHECK(m->nedits <= CPU_MODEL_MAX_EDITS, "%u cpu edits", m->nedits);
	for (unsigned i = 0; i < m->nedits; i++)
		FUZZ_CHECK(cpu_feature_name(m->edit[i].feat), "cpu edit %u: feature %u", i,
			   m->edit[i].feat);
}

static void check_run(const struct cli_run *c, char **argv, int argc)
{
	const struct run_options *o = &c->opt;
	bool found = false;

	if (c->help)
		return;
	for (int i = 1; i < argc; i++)
		found |= c->payload == argv[i];
	FUZZ_CHECK(found, "payload is none of the words");
	FUZZ_CHECK(c->ov.mode >= -1 && c->ov.mode < MVM_MODE_COUNT, "mode %d", c->ov.mode);
	FUZZ_CHECK(c->ov.vcpus <= MVM_VCPUS_MAX, "vcpus %u", c->ov.vcpus);
	FUZZ_CHECK(!c->ov.has_irqchip || (c->ov.irqchip >= 0 && c->ov.irqchip < MVM_IRQCHIP_COUNT),
		   "irqchip %d", c->ov.irqchip);
	FUZZ_CHECK(o->format == REC_TEXT || o->format == REC_JSONL, "format %d", o->format);
	FUZZ_CHECK(o->timeout == 0 || (o->timeout >= 1e-6 && o->timeout <= 1e9), "timeout %g",
		   o->timeout);
	FUZZ_CHECK(o->dirty < DIRTY_MODE_COUNT, "dirty %d", o->dirty);
	FUZZ_CHECK(o->dirty_ring_bytes >= DIRTY_RING_MIN_BYTES && o->dirty_ring_bytes <= 1U << 30 &&
			   !(o->dirty_ring_bytes & (o->dirty_ring_bytes - 1)),
		   "dirty ring of %u bytes", o->dirty_ring_bytes);
	FUZZ_CHECK(!c->ring_size_set || o->dirty == DIRTY_RING, "ring size without the ring");
	FUZZ_CHECK((!o->kstack && !o->kprobe_count) || o->kprobe, "kstack/kprobe-count alone");
	FUZZ_CHECK(!o->kprobe || (o->kprobe[0] && o->kprobe[0] != ',' && o->kprobe[0] != ' '),
		   "kprobe '%s'", o->kprobe);
	FUZZ_CHECK(!o->singlestep_max || o->singlestep, "singlestep_max without singlestep");
	check_cpu(&o->cpu);
}

/* The .sym name beside the payload, into buffers of exactly cap bytes. */
static void check_symbols_beside(const char *payload)
{
	for (size_t cap = 1; cap <= 64; cap += 9) {
		char *buf = malloc(cap);

		if (!buf)
			abort();
		if (cli_symbols_beside(payload, buf, cap))
			FUZZ_CHECK(strlen(buf) == strlen(payload) && strlen(buf) < cap,
				   "'%s' beside '%s' in %zu bytes", buf, payload, cap);
		free(buf);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *words[WORDS_MAX], *argv[WORDS_MAX + 2];
	int n = fuzz_split_words(data, size, words, WORDS_MAX);
	struct errbuf err = { "" };
	struct cli_run c;

	argv[0] = "run";
	memcpy(argv + 1, words, (size_t)n * sizeof(words[0]));
	argv[n + 1] = NULL;
	if (cli_parse_run(n + 1, argv, &c, &err)) {
		check_run(&c, argv, n + 1);
		if (c.payload)
			check_symbols_beside(c.payload);
	} else {
		fuzz_check_message(err.msg, sizeof(err.msg), data, size);
	}
	fuzz_free_words(words, n);
	return 0;
}
