/* SPDX-License-Identifier: MIT */
/* nested.h - nested virtualization on the host side: what is offered, KVM_GET_NESTED_STATE. */
#ifndef MVM_NESTED_H
#define MVM_NESTED_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu_x86.h"
#include "util.h"

struct vm;

/* Whether a payload with these header flags can run; why not in err. Pure. */
bool nested_offered(const struct cpu_features *f, uint32_t flags, struct errbuf *err);
/* --nested-state: checks KVM_CAP_NESTED_STATE and sizes the buffer. */
int nested_state_open(struct vm *vm, struct errbuf *err);
/* Records KVM_GET_NESTED_STATE ("nested_state"). */
void nested_state_record(struct vm *vm, const char *at, uint64_t id);
void nested_state_close(struct vm *vm);

#endif /* MVM_NESTED_H */
