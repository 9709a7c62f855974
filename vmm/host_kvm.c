/* SPDX-License-Identifier: MIT */
/* host_kvm.c - owns reading which KVM module the host runs and what its parameters say. */
#include "host_kvm.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

const char *host_module_param(const char *module, const char *name, char *buf, size_t n)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/%s/parameters/%s", module, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	if (!fgets(buf, (int)n, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

const char *host_kvm_module(void)
{
	static const char *const mods[] = { "kvm_intel", "kvm_amd", "kvm_pvm" };

	for (size_t i = 0; i < ARRAY_SIZE(mods); i++) {
		char path[64];

		snprintf(path, sizeof(path), "/sys/module/%s", mods[i]);
		if (access(path, F_OK) == 0)
			return mods[i];
	}
	return "none";
}

bool host_kvm_emulates_all(void)
{
	return access("/sys/module/kvm_pvm", F_OK) == 0;
}

static bool param_on(const char *v)
{
	return v && (v[0] == 'Y' || v[0] == 'y' || v[0] == '1');
}

const char *host_nested_advice(bool vmx, const char *module, const char *nested)
{
	const char *own = vmx ? "kvm_intel" : "kvm_amd";

	if (!strcmp(module, own) && nested && !param_on(nested))
		return vmx ? "reload kvm_intel with nested=1" : "reload kvm_amd with nested=1";
	if (!strcmp(module, own))
		return vmx ? "kvm_intel's nested is on: this host itself lacks VMX"
			   : "kvm_amd's nested is on: this host itself lacks SVM";
	if (!strcmp(module, "kvm_pvm"))
		return vmx ? "kvm_pvm has no nested mode: use an Intel host with kvm_intel "
			     "nested=1, or make check-nested"
			   : "kvm_pvm has no nested mode: use an AMD host with kvm_amd nested=1, "
			     "or make check-nested";
	return vmx ? "use an Intel host with kvm_intel nested=1, or make check-nested"
		   : "use an AMD host with kvm_amd nested=1, or make check-nested";
}
