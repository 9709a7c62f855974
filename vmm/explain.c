/* SPDX-License-Identifier: MIT */
/* explain.c - owns minivmm explain: parsing its words, and printing an exit's entry. */
#include "explain.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "mvm_x86.h"
#include "names.h"
#include "suggest.h"

#define USAGE_HINT "usage: minivmm explain vmx|svm|kvm CODE|NAME, or minivmm explain --help"

/* Words a student would type for the exits a lab talks about. */
static const struct topic {
	const char *word;
	enum exit_family fam;
	uint64_t code;
} topics[] = {
	{ "ept-violation", EXIT_VMX, EXIT_REASON_EPT_VIOLATION },
	{ "ept-misconfig", EXIT_VMX, EXIT_REASON_EPT_MISCONFIG },
	{ "pml-full", EXIT_VMX, EXIT_REASON_PML_FULL },
	{ "triple-fault", EXIT_VMX, EXIT_REASON_TRIPLE_FAULT },
	{ "invalid-guest-state", EXIT_VMX, EXIT_REASON_INVALID_STATE },
	{ "npf", EXIT_SVM, SVM_EXIT_NPF },
	{ "nested-page-fault", EXIT_SVM, SVM_EXIT_NPF },
	{ "vmexit-invalid", EXIT_SVM, (uint64_t)SVM_EXIT_ERR },
	{ "mmio", EXIT_KVM, KVM_EXIT_MMIO },
	{ "pio", EXIT_KVM, KVM_EXIT_IO },
	{ "shutdown", EXIT_KVM, KVM_EXIT_SHUTDOWN },
	{ "internal-error", EXIT_KVM, KVM_EXIT_INTERNAL_ERROR },
	{ "emulation-failure", EXIT_KVM, KVM_EXIT_INTERNAL_ERROR },
	{ "dirty-ring-full", EXIT_KVM, KVM_EXIT_DIRTY_RING_FULL },
	{ "single-step", EXIT_KVM, KVM_EXIT_DEBUG },
};

/* s in lower case with '_' as '-' (the form of topics), or upper with '-' as '_' (names). */
static void normalized(const char *s, char *out, size_t cap, bool upper)
{
	size_t i = 0;

	for (; s[i] && i + 1 < cap; i++) {
		char c = s[i] == '_' || s[i] == '-' ? (upper ? '_' : '-') : s[i];

		out[i] = (char)(upper ? toupper((unsigned char)c) : tolower((unsigned char)c));
	}
	out[i] = '\0';
}

static const struct topic *find_topic(const char *w)
{
	char n[64];

	normalized(w, n, sizeof(n), false);
	for (size_t i = 0; i < ARRAY_SIZE(topics); i++)
		if (!strcmp(n, topics[i].word))
			return &topics[i];
	return NULL;
}

/* The names of fam (all families when fam is EXIT_FAMILIES) into out. */
static size_t names_of(enum exit_family fam, const char **out, size_t cap)
{
	uint64_t codes[512];
	size_t n = 0;

	for (int f = 0; f < EXIT_FAMILIES; f++) {
		size_t k;

		if (fam != EXIT_FAMILIES && f != (int)fam)
			continue;
		k = exit_codes((enum exit_family)f, codes, ARRAY_SIZE(codes));
		for (size_t i = 0; i < k && i < ARRAY_SIZE(codes) && n < cap; i++)
			if ((out[n] = exit_code_name((enum exit_family)f, codes[i])))
				n++;
	}
	return n;
}

/* " (did you mean X?)" for w among fam's names (and, for EXIT_FAMILIES, the
 * topics and family names), or "". */
static void did_you_mean(const char *w, enum exit_family fam, char *out, size_t cap)
{
	static const char *names[600];
	const char *words[ARRAY_SIZE(topics) + EXIT_FAMILIES], *a, *b = NULL;
	char up[64], low[64];
	size_t n = names_of(fam, names, ARRAY_SIZE(names)), nw = 0;

	normalized(w, up, sizeof(up), true);
	normalized(w, low, sizeof(low), false);
	a = suggest_nearest(up, names, n);
	if (fam == EXIT_FAMILIES) {
		for (size_t i = 0; i < ARRAY_SIZE(topics); i++)
			words[nw++] = topics[i].word;
		for (int f = 0; f < EXIT_FAMILIES; f++)
			words[nw++] = exit_family_name((enum exit_family)f);
		b = suggest_nearest(low, words, nw);
	}
	if (a && b && suggest_distance(low, b, 8) <= suggest_distance(up, a, 8))
		a = NULL;
	snprintf(out, cap, "%s%s%s", a || b ? " (did you mean " : "",
		 a   ? a
		 : b ? b
		     : "",
		 a || b ? "?)" : "");
}

/* A code: decimal or 0x hex, and for SVM -1 and -2 (VMEXIT_INVALID, _BUSY). */
static bool parse_code(enum exit_family fam, const char *s, uint64_t *code)
{
	if (fam == EXIT_SVM && s[0] == '-' && parse_u64(s + 1, code) && *code >= 1 && *code <= 2) {
		*code = -*code;
		return true;
	}
	return isdigit((unsigned char)s[0]) && parse_u64(s, code);
}

static bool one_word(const char *w, struct explain_req *req, struct errbuf *err)
{
	const struct topic *t = find_topic(w);
	enum exit_family found[EXIT_FAMILIES];
	char hint[96];
	int nf = 0;

	if (exit_family_from_name(w, &req->family)) {
		req->what = EXPLAIN_LIST;
		return true;
	}
	if (t) {
		*req = (struct explain_req){ EXPLAIN_ENTRY, t->fam, t->code };
		return true;
	}
	for (int f = 0; f < EXIT_FAMILIES; f++)
		if (exit_code_from_name((enum exit_family)f, w, &req->code))
			found[nf++] = (enum exit_family)f;
	if (nf == 1) {
		req->what = EXPLAIN_ENTRY;
		req->family = found[0];
		return exit_code_from_name(found[0], w, &req->code);
	}
	if (nf > 1) {
		char fams[32] = "";

		for (int i = 0; i < nf; i++)
			snprintf(fams + strlen(fams), sizeof(fams) - strlen(fams), "%s%s",
				 i == 0	       ? ""
				 : i + 1 == nf ? " and "
					       : ", ",
				 exit_family_name(found[i]));
		errbuf_set(err,
			   "explain: %s is an exit of %s: say which (minivmm explain %s "
			   "%s); " USAGE_HINT,
			   w, fams, exit_family_name(found[nf - 1]), w);
		return false;
	}
	did_you_mean(w, EXIT_FAMILIES, hint, sizeof(hint));
	errbuf_set(err, "explain: no exit or topic is called '%s'%s; " USAGE_HINT, w, hint);
	return false;
}

/* The family that names w, other than fam, for "NPF is svm's". */
static const char *other_family(enum exit_family fam, const char *w)
{
	uint64_t c;

	for (int f = 0; f < EXIT_FAMILIES; f++)
		if (f != (int)fam && exit_code_from_name((enum exit_family)f, w, &c))
			return exit_family_name((enum exit_family)f);
	return NULL;
}

static bool family_and_code(const char *fw, const char *w, struct explain_req *req,
			    struct errbuf *err)
{
	static const char *const range[EXIT_FAMILIES] = {
		[EXIT_VMX] = "basic reasons 0 to 85",
		[EXIT_SVM] = "codes 0x0 to 0xa6, 0x400 to 0x403, -1 and -2",
		[EXIT_KVM] = "reasons 0 to 41",
	};
	struct exit_info e;
	char hint[96];
	const char *other;

	if (!exit_family_from_name(fw, &req->family)) {
		static const char *const fams[] = { "vmx", "svm", "kvm" };
		const char *near = suggest_nearest(fw, fams, 3);

		errbuf_set(err, "explain: '%s' is not a family: vmx, svm or kvm%s%s%s; " USAGE_HINT,
			   fw, near ? " (did you mean " : "", near ? near : "", near ? "?)" : "");
		return false;
	}
	req->what = EXPLAIN_ENTRY;
	if (parse_code(req->family, w, &req->code)) {
		/* An l2_exit's reason=0x80000021: the basic reason is bits 15:0. */
		if (req->family == EXIT_VMX && req->code <= UINT32_MAX)
			req->code &= 0xffff;
		if (exit_info_get(req->family, req->code, &e))
			return true;
		errbuf_set(err, "explain: %s has no exit %s (it numbers %s); " USAGE_HINT, fw, w,
			   range[req->family]);
		return false;
	}
	if (exit_code_from_name(req->family, w, &req->code))
		return true;
	if ((other = other_family(req->family, w))) {
		errbuf_set(err,
			   "explain: %s is not a %s exit but %s's: minivmm explain %s "
			   "%s; " USAGE_HINT,
			   w, exit_family_name(req->family), other, other, w);
		return false;
	}
	did_you_mean(w, req->family, hint, sizeof(hint));
	errbuf_set(err, "explain: %s has no exit called '%s'%s; " USAGE_HINT, fw, w, hint);
	return false;
}

bool explain_parse(int argc, char **argv, struct explain_req *req, struct errbuf *err)
{
	*req = (struct explain_req){ EXPLAIN_HELP, EXIT_VMX, 0 };
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h") ||
		    !strcmp(argv[i], "help"))
			return true;
	if (argc > 1 && argv[1][0] == '-') {
		errbuf_set(err, "explain: unknown option %s; " USAGE_HINT, argv[1]);
		return false;
	}
	if (argc > 3) {
		errbuf_set(err, "explain: unexpected argument '%s'; " USAGE_HINT, argv[3]);
		return false;
	}
	if (argc == 1)
		return true;
	if (argc == 2)
		return one_word(argv[1], req, err);
	return family_and_code(argv[1], argv[2], req, err);
}

/* ---- output ---- */

/* One line of text (up to '\n' or its end), wrapped. */
static const char *wrap_hang(FILE *f, const char *s, int indent, int hang, int width)
{
	int col = 0, first = 1;

	while (*s && *s != '\n') {
		size_t w = strcspn(s, " \n");

		if (!first && col + 1 + (int)w > width) {
			fprintf(f, "\n%*s", hang, "");
			col = hang;
		} else if (!first) {
			fputc(' ', f);
			col++;
		} else {
			fprintf(f, "%*s", indent, "");
			col = indent;
		}
		fwrite(s, 1, w, f);
		col += (int)w;
		first = 0;
		s += w;
		while (*s == ' ')
			s++;
	}
	fputc('\n', f);
	return *s ? s + 1 : s;
}

static const char *wrap_line(FILE *f, const char *s, int indent, int width)
{
	return wrap_hang(f, s, indent, strncmp(s, "- ", 2) ? indent : indent + 2, width);
}

void explain_wrap(FILE *f, const char *text, int indent, int width)
{
	while (*text)
		text = wrap_line(f, text, indent, width);
}

/* clang-format off: laid out as it prints. */
static const char usage_text[] =
	"Usage: minivmm explain vmx|svm|kvm CODE|NAME\n"
	"       minivmm explain TOPIC|NAME\n"
	"       minivmm explain vmx|svm|kvm   (the family's exits, with their summaries)\n"
	"\n"
	"What an exit means: its name and code, what causes it, how to read its\n"
	"qualification (VMX), EXITINFO1/2 (SVM) or kvm_run member (KVM), the kernel\n"
	"function it reaches, and a payload in tests/ that shows it.\n"
	"\n"
	"Families:\n"
	"  vmx  Intel VMX basic exit reasons, 0 to 85 (SDM vol. 3, appendix C): the\n"
	"       reason of a vmx l2_exit record, of a kvm_exit event on Intel\n"
	"  svm  AMD SVM exit codes, 0x0 to 0xa6, 0x400 to 0x403, -1 and -2 (APM vol.\n"
	"       2, appendix C): the reason of an svm l2_exit record\n"
	"  kvm  KVM_EXIT_* of <linux/kvm.h>, 0 to 41: the name of a trace's exit record\n"
	"\n"
	"CODE is decimal or 0x hex (svm also takes -1 and -2; a vmx code keeps bits\n"
	"15:0, so an l2_exit's reason=0x80000021 works). NAME is the trace's name in\n"
	"any case, with or without EXIT_REASON_, SVM_EXIT_ or VMEXIT_, KVM_EXIT_; alone,\n"
	"it must belong to one family.\n"
	"\n"
	"Topics:\n";
/* clang-format on */

void explain_usage(FILE *f)
{
	fputs(usage_text, f);
	for (size_t i = 0; i < ARRAY_SIZE(topics); i++)
		fprintf(f, "  %-20s %s %s\n", topics[i].word, exit_family_name(topics[i].fam),
			exit_code_name(topics[i].fam, topics[i].code));
	fputs("\nExamples:\n"
	      "  minivmm explain vmx 48\n"
	      "  minivmm explain svm 0x7b\n"
	      "  minivmm explain kvm MMIO\n"
	      "  minivmm explain ept-violation\n"
	      "\n"
	      "minivmm show --explain TRACE and minivmm run --explain add each exit's\n"
	      "summary to its record in the text trace (docs/explain.md).\n",
	      f);
}

/* "48 (0x30)", "0x7b", "-1 (0xffffffffffffffff)": a code as its family writes it. */
static void code_text(enum exit_family fam, uint64_t code, char *out, size_t cap)
{
	if (fam == EXIT_SVM && code >= (uint64_t)-2)
		snprintf(out, cap, "-%llu (0x%llx)", (unsigned long long)-code,
			 (unsigned long long)code);
	else if (fam == EXIT_SVM)
		snprintf(out, cap, "0x%llx", (unsigned long long)code);
	else
		snprintf(out, cap, "%llu (0x%llx)", (unsigned long long)code,
			 (unsigned long long)code);
}

void explain_list(FILE *f, enum exit_family fam)
{
	uint64_t codes[512], range_done = UINT64_MAX;
	size_t n = exit_codes(fam, codes, ARRAY_SIZE(codes));

	for (size_t i = 0; i < n && i < ARRAY_SIZE(codes); i++) {
		struct exit_info e;
		char line[256], code[48];

		if (!exit_info_get(fam, codes[i], &e) || e.reserved || e.first == range_done)
			continue;
		code_text(fam, e.code, code, sizeof(code));
		if (e.first != e.last) {
			/* One line for a range; its codes with text of their own follow. */
			snprintf(line, sizeof(line), "0x%llx-0x%llx %s..%s: %s",
				 (unsigned long long)e.first, (unsigned long long)e.last, e.name,
				 exit_code_name(fam, e.last), e.text->summary);
			range_done = e.first;
		} else {
			snprintf(line, sizeof(line), "%s %s: %s", code, e.name, e.text->summary);
		}
		wrap_hang(f, line, 0, 4, EXPLAIN_WIDTH);
	}
}

static void section(FILE *f, const char *title, const char *text)
{
	fprintf(f, "\n%s:\n", title);
	explain_wrap(f, text, 2, EXPLAIN_WIDTH);
}

/* The command that shows the payload, and what a student needs to know to run it. */
static void shown_by(FILE *f, const struct exit_info *e)
{
	const char *p = e->text->payload;
	char cmd[160];

	fputs("\nShown by:\n", f);
	if (!p) {
		fputs("  no payload in tests/ yet.\n", f);
		return;
	}
	snprintf(cmd, sizeof(cmd), "./minivmm run tests/%s", p);
	wrap_line(f, cmd, 2, EXPLAIN_WIDTH);
	if (strstr(p, "_vmx_") || strstr(p, "_svm_"))
		explain_wrap(f,
			     "A nested payload (an L1 hypervisor): it needs a host whose KVM "
			     "offers "
			     "VMX or SVM to guests (nested=1) and skips with status 77 elsewhere; "
			     "make check-nested runs it on an emulated stack (docs/nested.md). Its "
			     "l2_exit records carry this exit's code.",
			     2, EXPLAIN_WIDTH);
	else if (e->family != EXIT_KVM)
		explain_wrap(f,
			     "On a host with this vendor's virtualization, the exit happens in KVM "
			     "itself (L0): the trace shows the KVM exit it led to, and "
			     "--ktrace=kvm_exit the exit itself.",
			     2, EXPLAIN_WIDTH);
}

void explain_entry(FILE *f, const struct exit_info *e)
{
	static const char *const kind[EXIT_FAMILIES] = {
		[EXIT_VMX] = "VMX basic exit reason",
		[EXIT_SVM] = "SVM exit code",
		[EXIT_KVM] = "KVM exit reason",
	};
	static const char *const fields[EXIT_FAMILIES] = {
		[EXIT_VMX] = "Fields (exit qualification, VMCS)",
		[EXIT_SVM] = "Fields (EXITINFO1, EXITINFO2)",
		[EXIT_KVM] = "Fields (kvm_run)",
	};
	char code[48], line[160];

	code_text(e->family, e->code, code, sizeof(code));
	if (e->family == EXIT_KVM)
		snprintf(line, sizeof(line), "%s %llu (KVM_EXIT_%s): %s", kind[e->family],
			 (unsigned long long)e->code, e->name, e->name);
	else
		snprintf(line, sizeof(line), "%s %s: %s", kind[e->family], code,
			 e->reserved ? "reserved" : e->name);
	wrap_line(f, line, 0, EXPLAIN_WIDTH);
	explain_wrap(f, e->text->summary, 0, EXPLAIN_WIDTH);
	if (e->first != e->last) {
		snprintf(line, sizeof(line), "Codes 0x%llx to 0x%llx (%s to %s) share this text.",
			 (unsigned long long)e->first, (unsigned long long)e->last,
			 exit_code_name(e->family, e->first), exit_code_name(e->family, e->last));
		wrap_line(f, line, 0, EXPLAIN_WIDTH);
	}
	section(f, "Cause", e->text->cause);
	if (e->reserved)
		return;
	section(f, fields[e->family], e->text->fields);
	section(f, e->family == EXIT_KVM ? "Handler (minivmm)" : "KVM handler", e->text->handler);
	shown_by(f, e);
}

int cmd_explain(int argc, char **argv)
{
	struct explain_req req;
	struct errbuf err = { "" };
	struct exit_info e;

	if (!explain_parse(argc, argv, &req, &err)) {
		mvm_err("%s", err.msg);
		return MVM_STATUS_USAGE;
	}
	switch (req.what) {
	case EXPLAIN_HELP:
		explain_usage(stdout);
		break;
	case EXPLAIN_LIST:
		explain_list(stdout, req.family);
		break;
	case EXPLAIN_ENTRY:
		if (!exit_info_get(req.family, req.code, &e)) {
			mvm_err("explain: %s has no exit 0x%llx; " USAGE_HINT,
				exit_family_name(req.family), (unsigned long long)req.code);
			return MVM_STATUS_USAGE;
		}
		explain_entry(stdout, &e);
		break;
	}
	return fflush(stdout) == 0 ? 0 : MVM_STATUS_HOST;
}
