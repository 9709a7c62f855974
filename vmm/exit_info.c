/* SPDX-License-Identifier: MIT */
/* exit_info.c - owns the lookups that join names.c's exit names to their text. */
#include "exit_info.h"

#include <string.h>
#include <strings.h>

#include "exit_text.h"
#include "mvm_x86.h"
#include "util.h"

static const char *const family_names[EXIT_FAMILIES] = {
	[EXIT_VMX] = "vmx",
	[EXIT_SVM] = "svm",
	[EXIT_KVM] = "kvm",
};

const char *exit_family_name(enum exit_family f)
{
	return (unsigned)f < EXIT_FAMILIES ? family_names[f] : NULL;
}

bool exit_family_from_name(const char *s, enum exit_family *f)
{
	for (int i = 0; i < EXIT_FAMILIES; i++)
		if (!strcasecmp(s, family_names[i])) {
			*f = (enum exit_family)i;
			return true;
		}
	return false;
}

const char *exit_code_name(enum exit_family f, uint64_t code)
{
	switch (f) {
	case EXIT_VMX:
		return code <= UINT32_MAX ? vmx_exit_name((uint32_t)code) : NULL;
	case EXIT_SVM:
		return svm_exit_name(code);
	case EXIT_KVM:
		return code <= UINT32_MAX ? kvm_exit_name((uint32_t)code) : NULL;
	default:
		return NULL;
	}
}

static const struct exit_text_row *svm_row(uint64_t code)
{
	for (size_t i = 0; i < exit_text_svm_rows; i++)
		if (code >= exit_text_svm[i].first && code <= exit_text_svm[i].last)
			return &exit_text_svm[i];
	return NULL;
}

/* The text of code, with the codes that share it; NULL for none. */
static const struct exit_text *text_of(enum exit_family f, uint64_t code, uint64_t *first,
				       uint64_t *last)
{
	const struct exit_text_row *row;

	*first = *last = code;
	switch (f) {
	case EXIT_VMX:
		return code < MVM_VMX_EXIT_MAX && exit_text_vmx[code].summary ? &exit_text_vmx[code]
									      : NULL;
	case EXIT_SVM:
		if (!(row = svm_row(code)))
			return NULL;
		*first = row->first;
		*last = row->last;
		return &row->t;
	case EXIT_KVM:
		return code < MVM_KVM_EXIT_MAX && exit_text_kvm[code].summary ? &exit_text_kvm[code]
									      : NULL;
	default:
		return NULL;
	}
}

bool exit_info_get(enum exit_family f, uint64_t code, struct exit_info *out)
{
	const struct exit_text *t = text_of(f, code, &out->first, &out->last);

	if (!t)
		return false;
	out->family = f;
	out->code = code;
	out->name = exit_code_name(f, code);
	out->reserved = t->summary == exit_text_reserved;
	out->text = t;
	/* A number with text but no name (or the reverse) is a table bug the
	 * unit test catches; here the entry is refused rather than shown half. */
	return out->reserved ? !out->name : out->name != NULL;
}

/* The prefixes a name may carry: the uapi headers' and the APM's. */
static const char *strip_prefix(enum exit_family f, const char *s)
{
	static const char *const prefixes[EXIT_FAMILIES][2] = {
		[EXIT_VMX] = { "EXIT_REASON_", NULL },
		[EXIT_SVM] = { "SVM_EXIT_", "VMEXIT_" },
		[EXIT_KVM] = { "KVM_EXIT_", NULL },
	};

	for (int i = 0; i < 2; i++) {
		const char *p = prefixes[f][i];

		if (p && !strncasecmp(s, p, strlen(p)) && s[strlen(p)])
			return s + strlen(p);
	}
	return s;
}

size_t exit_codes(enum exit_family f, uint64_t *codes, size_t cap)
{
	static const uint64_t svm_high[] = { (uint64_t)SVM_EXIT_BUSY, (uint64_t)SVM_EXIT_ERR };
	struct exit_info e;
	size_t n = 0;
	uint64_t end = f == EXIT_VMX ? MVM_VMX_EXIT_MAX : f == EXIT_KVM ? MVM_KVM_EXIT_MAX : 0x500;

	if ((unsigned)f >= EXIT_FAMILIES)
		return 0;
	for (uint64_t c = 0; c < end; c++)
		if (exit_info_get(f, c, &e)) {
			if (n < cap)
				codes[n] = c;
			n++;
		}
	for (size_t i = 0; f == EXIT_SVM && i < ARRAY_SIZE(svm_high); i++)
		if (exit_info_get(f, svm_high[i], &e)) {
			if (n < cap)
				codes[n] = svm_high[i];
			n++;
		}
	return n;
}

bool exit_code_from_name(enum exit_family f, const char *s, uint64_t *code)
{
	uint64_t codes[512];
	size_t n;

	if ((unsigned)f >= EXIT_FAMILIES)
		return false;
	s = strip_prefix(f, s);
	n = exit_codes(f, codes, ARRAY_SIZE(codes));
	for (size_t i = 0; i < n && i < ARRAY_SIZE(codes); i++) {
		const char *name = exit_code_name(f, codes[i]);

		if (name && !strcasecmp(name, s)) {
			*code = codes[i];
			return true;
		}
	}
	return false;
}

const char *exit_summary(enum exit_family f, uint64_t code)
{
	struct exit_info e;

	return exit_info_get(f, code, &e) && !e.reserved ? e.text->summary : NULL;
}

const char *exit_summary_kvm_name(const char *name)
{
	for (uint32_t i = 0; i < MVM_KVM_EXIT_MAX; i++) {
		const char *n = kvm_exit_name(i);

		if (n && !strcmp(n, name))
			return exit_text_kvm[i].summary;
	}
	return NULL;
}

const char *exit_record_note(const char *kind, const char *exit_name, const char *isa,
			     uint64_t reason)
{
	enum exit_family f;

	if (exit_name)
		return exit_summary_kvm_name(exit_name);
	if (strcmp(kind, "l2_exit") || !isa || !exit_family_from_name(isa, &f) || f == EXIT_KVM)
		return NULL;
	return exit_summary(f, f == EXIT_VMX ? reason & 0xffff : reason);
}
