/* SPDX-License-Identifier: MIT */
/* nested.h - nested virtualization on the host side: what is offered, KVM_GET_NESTED_STATE. */
#ifndef MVM_NESTED_H
#define MVM_NESTED_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu_x86.h"
#include "util.h"

/* Whether a payload with these header flags can run; why not in err. Pure. */
bool nested_offered(const struct cpu_features *f, uint32_t flags, struct errbuf *err);
/* --nested-state is the nested_state_contrib row (contrib.h): KVM_GET_NESTED_STATE
 * of the vCPU at its checkpoints and of every vCPU at the end. */

#endif /* MVM_NESTED_H */
