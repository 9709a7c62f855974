/* SPDX-License-Identifier: MIT */
/* payload_path.h - where `minivmm run NAME` finds a payload given by a bare name. */
#ifndef MVM_PAYLOAD_PATH_H
#define MVM_PAYLOAD_PATH_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/*
 * The directories a bare name is looked up in, as a colon list into out:
 * env ($MINIVMM_PAYLOAD_PATH, may be NULL), then builtin (the directory
 * `make install` puts the payloads in). Truncated to cap.
 */
void payload_path_search(const char *env, const char *builtin, char *out, size_t cap);

/*
 * The file PAYLOAD names, into out: PAYLOAD itself when it holds a '/' or
 * exists; else the first of DIR/PAYLOAD and DIR/PAYLOAD.bin that exists and
 * is not a directory, DIR taken in turn from the colon list search (empty
 * entries skipped). false with err naming every place looked in.
 */
bool payload_path_find(const char *payload, const char *search, char *out, size_t cap,
		       struct errbuf *err);

#endif /* MVM_PAYLOAD_PATH_H */
