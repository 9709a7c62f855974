/* SPDX-License-Identifier: MIT */
/* payload_path.c - owns the lookup of a payload named bare (`minivmm run guest_mmio`). */
#include "payload_path.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

void payload_path_search(const char *env, const char *builtin, char *out, size_t cap)
{
	const char *sep = env && *env && builtin && *builtin ? ":" : "";

	snprintf(out, cap, "%s%s%s", env ? env : "", sep, builtin ? builtin : "");
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* Found in a search directory: anything but a directory (its reading says if it is no payload). */
static bool usable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

/* DIR/NAME then DIR/NAME.bin for the directory search[0..len); false when neither is there. */
static bool try_dir(const char *dir, size_t len, const char *name, char *out, size_t cap)
{
	static const char *const suffixes[] = { "", ".bin" };

	for (size_t i = 0; i < ARRAY_SIZE(suffixes); i++) {
		int n = snprintf(out, cap, "%.*s/%s%s", (int)len, dir, name, suffixes[i]);

		if (n > 0 && (size_t)n < cap && usable(out))
			return true;
	}
	return false;
}

bool payload_path_find(const char *payload, const char *search, char *out, size_t cap,
		       struct errbuf *err)
{
	const char *dir = search ? search : "";

	/* As given, the reader says what is wrong with it (a directory, say). */
	if (!*payload || strchr(payload, '/') || exists(payload)) {
		if (snprintf(out, cap, "%s", payload) < (int)cap)
			return true;
		errbuf_set(err, "run: payload path too long: %.64s...", payload);
		return false;
	}
	while (*dir) {
		size_t len = strcspn(dir, ":");

		if (len && try_dir(dir, len, payload, out, cap))
			return true;
		dir += len + (dir[len] == ':');
	}
	if (search && *search)
		errbuf_set(err,
			   "run: no payload %s: not in this directory, nor as %s or %s.bin in %s",
			   payload, payload, payload, search);
	else
		errbuf_set(err,
			   "run: no payload %s in this directory (and no payload directory to "
			   "look in: set MINIVMM_PAYLOAD_PATH)",
			   payload);
	return false;
}
